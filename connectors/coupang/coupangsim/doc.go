// Package coupangsim is a Coupang WING Open API simulator: a real net/http server that
// checks the CEA HMAC signature of every call the way the gateway does (a wrong signature or
// a signed-date more than five minutes off is refused), lists order sheets one status at a
// time in createdAt windows of at most 31 days with nextToken paging (maxPerPage ≤ 50) and
// v5 money objects, limits a vendor to 10 calls a second (429, then a block), and injects
// faults. Its data set is deterministic (seed, orders, period), its clock moves only when
// told to, and its ground truth (Truth) is what a synced store must equal.
//
// Built so far: order sheets through ACCEPT → INSTRUCT → DEPARTURE → DELIVERING →
// FINAL_DELIVERY (or NONE_TRACKING). Not yet: returnRequests, return withdrawals,
// exchangeRequests, the write endpoints (issue 4).
package coupangsim
