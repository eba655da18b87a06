package cafe24sim

import (
	"net/http"
	"net/url"
)

// Suppliers: GET /suppliers (limit ≤ 100, offset) and GET /suppliers/{supplier_code}.

var supplierParams = map[string]bool{"shop_no": true, "limit": true, "offset": true}

// appendSupplier appends one supplier as the API returns it.
func appendSupplier(b []byte, sp *supplier) []byte {
	b = append(b, `{"shop_no":1,"supplier_code":"`...)
	b = append(b, sp.id...)
	b = append(b, `","supplier_name":`...)
	b = appendStr(b, sp.name)
	b = append(b, `,"status":"A","trading_type":"`...)
	b = append(b, sp.trading...)
	b = append(b, `","payment_type":"`...)
	b = append(b, sp.payment...)
	b = append(b, `","supplier_transaction_type":"`...)
	b = append(b, sp.txType...)
	return append(b, `"}`...)
}

// listSuppliers serves GET /api/v2/admin/suppliers.
func (s *Server) listSuppliers(b []byte, vals url.Values) (int, []byte) {
	for k, vs := range vals {
		if !supplierParams[k] {
			return http.StatusUnprocessableEntity, appendEnvelope(b, http.StatusUnprocessableEntity, "unknown parameter \""+k+"\"")
		}
		if len(vs) > 1 {
			return http.StatusUnprocessableEntity, appendEnvelope(b, http.StatusUnprocessableEntity, "parameter \""+k+"\" given more than once")
		}
	}
	limit, aerr := parseInt("limit", vals.Get("limit"), defaultLimit, 1, maxProductLimit)
	if aerr == nil {
		var offset int
		if offset, aerr = parseInt("offset", vals.Get("offset"), 0, 0, maxOffset); aerr == nil {
			from := min(offset, len(suppliers))
			to := min(from+limit, len(suppliers))
			b = append(b, `{"suppliers":[`...)
			for i := from; i < to; i++ {
				if i > from {
					b = append(b, ',')
				}
				b = appendSupplier(b, &suppliers[i])
			}
			return http.StatusOK, append(b, "]}"...)
		}
	}
	return aerr.status, appendEnvelope(b, aerr.status, aerr.msg)
}

// getSupplier serves GET /api/v2/admin/suppliers/{supplier_code}.
func (s *Server) getSupplier(b []byte, code string) (int, []byte) {
	for i := range suppliers {
		if suppliers[i].id == code {
			b = append(b, `{"supplier":`...)
			b = appendSupplier(b, &suppliers[i])
			return http.StatusOK, append(b, '}')
		}
	}
	return http.StatusNotFound, appendEnvelope(b, http.StatusNotFound, "No supplier found for supplier_code "+code)
}
