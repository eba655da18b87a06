// Package postgres implements mallsync's store interfaces on PostgreSQL through sqlx and
// lib/pq. All of mallsync's SQL lives here: rows become domain values at this boundary, and
// driver errors become mallsync errors in one place (interpret).
//
// Bulk writes are one statement per page (unnest over arrays), never a statement per row, and
// a page's records, its status events and its cursor are committed in one transaction.
package postgres
