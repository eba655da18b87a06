// Package mallsync keeps one true, current copy of every order, order line, claim and stock
// movement from every mall a Korean retailer sells through (Cafe24 shops, Naver SmartStore,
// Coupang, 11st, ...), and names the ports that adapters fill.
//
// This root package holds the domain only: malls, orders and lines, unified statuses,
// ownership of stock, the sync vocabulary (streams, cursors, pages) and the store interfaces.
// It imports no adapter: postgres, the connectors, Temporal and the console all depend on it,
// never the other way round.
package mallsync
