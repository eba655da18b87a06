package coupangsim

import (
	"net/http"
	"strings"
)

// handler answers one call with a status and a body.
type handler func(s *Server, c call) (int, any)

// routes are the APIs served, by method and path under apiPrefix ("*" is one segment, the
// vendor id the second one). Claim actions take PUT, as the facts say, and PATCH, as
// Coupang's older pages say.
var routes = []struct {
	method, path string
	h            handler
}{
	{http.MethodGet, "v5/vendors/*/ordersheets", (*Server).listOrderSheets},
	{http.MethodGet, "v5/vendors/*/ordersheets/*", (*Server).getOrderSheet},
	{http.MethodGet, "v6/vendors/*/returnRequests", (*Server).listReturnRequests},
	{http.MethodGet, "v4/vendors/*/returnRequests/*", (*Server).getReturnRequest},
	{http.MethodGet, "v4/vendors/*/returnWithdrawRequests", (*Server).listReturnWithdrawals},
	{http.MethodGet, "v4/vendors/*/exchangeRequests", (*Server).listExchangeRequests},
	{http.MethodPut, "v4/vendors/*/ordersheets/acknowledgement", (*Server).acknowledge},
	{http.MethodPost, "v4/vendors/*/orders/invoices", (*Server).uploadInvoices},
	{http.MethodPost, "v4/vendors/*/orders/updateInvoices", (*Server).updateInvoices},
	{http.MethodPut, "v4/vendors/*/returnRequests/*/stoppedShipment", (*Server).stoppedShipment},
	{http.MethodPut, "v4/vendors/*/returnRequests/*/completedShipment", (*Server).completedShipment},
	{http.MethodPut, "v4/vendors/*/returnRequests/*/receiveConfirmation", (*Server).returnReceived},
	{http.MethodPut, "v4/vendors/*/returnRequests/*/approval", (*Server).returnApproval},
	{http.MethodPut, "v4/vendors/*/exchangeRequests/*/receiveConfirmation", (*Server).exchangeReceived},
	{http.MethodPost, "v4/vendors/*/exchangeRequests/*/invoices", (*Server).exchangeInvoices},
	{http.MethodPut, "v4/vendors/*/exchangeRequests/*/rejection", (*Server).exchangeRejection},
	{http.MethodPost, "v5/vendors/*/orders/*/cancel", (*Server).sellerCancel},
}

// route finds r's handler; write says it changes data; vendor is the path's vendor id.
func route(r *http.Request) (h handler, write bool, vendor string, ok bool) {
	rest, found := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !found {
		return nil, false, "", false
	}
	parts := strings.Split(rest, "/")
	method := r.Method
	if method == http.MethodPatch {
		method = http.MethodPut
	}
	for _, rt := range routes {
		want := strings.Split(rt.path, "/")
		if rt.method != method || len(want) != len(parts) {
			continue
		}
		match := true
		for i := range want {
			if want[i] != "*" && want[i] != parts[i] {
				match = false
				break
			}
		}
		if match {
			return rt.h, rt.method != http.MethodGet, parts[2], true
		}
	}
	return nil, false, "", false
}

// pathID is the path segment at i (after apiPrefix): an id.
func pathID(r *http.Request, i int) string {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, apiPrefix), "/")
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

func bad(msg string) (int, any) {
	return http.StatusBadRequest, map[string]any{"code": 400, "message": msg}
}

func notFound(msg string) (int, any) {
	return http.StatusNotFound, map[string]any{"code": 404, "message": msg}
}
