package smartstoresim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MaxRange is the widest lastChangedFrom..lastChangedTo range the changes list accepts.
const MaxRange = 24 * time.Hour

// MaxLimit is the most rows one page of changes holds (limitCount).
const MaxLimit = 300

// changeRow is one row of the changes list: a product order as of its last reported change.
type changeRow struct {
	OrderID                string `json:"orderId"`
	ProductOrderID         string `json:"productOrderId"`
	LastChangedType        string `json:"lastChangedType"`
	LastChangedDate        string `json:"lastChangedDate"`
	PaymentDate            string `json:"paymentDate,omitempty"`
	ProductOrderStatus     string `json:"productOrderStatus"`
	ClaimType              string `json:"claimType,omitempty"`
	ClaimStatus            string `json:"claimStatus,omitempty"`
	ReceiverAddressChanged bool   `json:"receiverAddressChanged"`
}

// parseWireTime reads a time parameter: ISO 8601 with an offset, millis optional.
func parseWireTime(v string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, v)
}

// lastChanged serves GET .../last-changed-statuses: the product orders whose last reported
// change falls in [lastChangedFrom, lastChangedTo] (both inclusive, at most 24 hours; To
// defaults to From + 24h), sorted by (lastChangedDate, productOrderId), limitCount a page
// (at most 300: a larger limitCount gets 300, as Naver documents). When more remain, `more` says where the next page starts: ask again with
// lastChangedFrom=moreFrom&moreSequence=moreSequence (and the same To).
func (s *Server) lastChanged(r *http.Request) (int, any) {
	q := r.URL.Query()
	fromS := q.Get("lastChangedFrom")
	if fromS == "" {
		return badInput("lastChangedFrom", "NotNull", "조회 기준 시작 일시는 필수입니다.")
	}
	from, err := parseWireTime(fromS)
	if err != nil {
		return badInput("lastChangedFrom", "DateTime", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX 형식이어야 합니다.")
	}
	to := from.Add(MaxRange)
	if v := q.Get("lastChangedTo"); v != "" {
		if to, err = parseWireTime(v); err != nil {
			return badInput("lastChangedTo", "DateTime", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX 형식이어야 합니다.")
		}
	}
	if to.Before(from) || to.Sub(from) > MaxRange {
		return badInput("lastChangedTo", "Range", "조회 기간은 최대 24시간입니다.")
	}
	// Naver's documentation: "생략하거나 300을 초과하는 값을 입력하면 최대 300개의 내역을
	// 제공합니다" (left out or over 300, a page holds at most 300).
	limit := MaxLimit
	if v := q.Get("limitCount"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badInput("limitCount", "Range", "limitCount는 1 이상이어야 합니다.")
		}
		limit = min(n, MaxLimit)
	}
	seq := strings.TrimLeft(q.Get("moreSequence"), "0")
	typ := q.Get("lastChangedType")
	rows, next := s.changes(from.UnixMilli(), to.UnixMilli(), typ, seq, limit)
	data := map[string]any{"lastChangeStatuses": rows, "count": len(rows)}
	if next != nil {
		if s.duplicate() && len(rows) > 0 {
			next = &rows[len(rows)-1] // the next page repeats this page's last row
		}
		at, _ := parseWireTime(next.LastChangedDate)
		data["more"] = map[string]string{"moreFrom": wireTime(at.UnixMilli()), "moreSequence": fmt.Sprintf("%020s", next.ProductOrderID)}
	}
	return http.StatusOK, data
}

func (s *Server) duplicate() bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.rng.Float64() < s.faults.RateDuplicate
}

// changes lists up to limit rows in [from, to] (starting at productOrderId seq among the rows
// at from), and the row after them when there is one.
func (s *Server) changes(from, to int64, typ, seq string, limit int) ([]changeRow, *changeRow) {
	now := s.clock.Now().UnixMilli()
	late := s.lateness()
	s.mu.RLock()
	defer s.mu.RUnlock()
	rows := []changeRow{}
	lo := sort.Search(len(s.index), func(i int) bool { return s.index[i].at >= from })
	for i := lo; i < len(s.index) && s.index[i].at <= to; i++ {
		x := s.index[i]
		if x.at == from && seq != "" && strings.TrimLeft(x.po.id, "0") < seq {
			continue
		}
		if _, row := late.current(x.po, now); row != x.ev {
			continue // not (or no longer) the product order's last reported change
		}
		e := &x.po.events[x.ev]
		if typ != "" && e.typ != typ {
			continue
		}
		r := changeRow{OrderID: x.po.order.id, ProductOrderID: x.po.id, LastChangedType: e.typ, LastChangedDate: wireTime(e.at),
			ProductOrderStatus: e.st.Status}
		if x.po.order.paid > 0 && x.po.order.paid <= e.at {
			r.PaymentDate = wireTime(x.po.order.paid)
		}
		if c := e.st.Claim; c != nil {
			r.ClaimType, r.ClaimStatus = c.Type, c.Status
		}
		if len(rows) == limit {
			return rows, &r
		}
		rows = append(rows, r)
	}
	return rows, nil
}
