package cafe24sim

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// This file writes Cafe24's JSON by hand: no reflection, one growing buffer per response.

const hexDigits = "0123456789abcdef"

// appendStr appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendPad appends n in decimal, left-padded with zeros to width.
func appendPad(b []byte, n int64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n >= 10 || width > 1 {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	tmp[i] = byte('0' + n)
	return append(b, tmp[i:]...)
}

func append2(b []byte, n int64) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

func append4(b []byte, n int64) []byte {
	return append(b, byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

// appendTrusted appends s quoted, without escaping: for the package's own word lists and
// catalog, which TestWordListsNeedNoEscaping checks.
func appendTrusted(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date (Hinnant's algorithm).
func civil(days int64) (y int64, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// appendYMD appends the KST date of unix as YYYYMMDD (sep 0) or YYYY-MM-DD.
func appendYMD(b []byte, unix int64, sep byte) []byte {
	y, m, d := civil(kstDay(unix))
	if y < 0 || y > 9999 {
		y = 0
	}
	b = append4(b, y)
	if sep != 0 {
		b = append(b, sep)
	}
	b = append2(b, m)
	if sep != 0 {
		b = append(b, sep)
	}
	return append2(b, d)
}

func appendHMS(b []byte, unix int64) []byte {
	s := unix + kstOffset - kstDay(unix)*day
	b = append2(b, s/hour)
	b = append(b, ':')
	b = append2(b, s%hour/minute)
	b = append(b, ':')
	return append2(b, s%minute)
}

// appendKST appends unix as a quoted ISO 8601 KST time: "2024-03-01T14:00:00+09:00".
func appendKST(b []byte, unix int64) []byte { return appendKSTWith(b, unix, "+09:00") }

// appendTokenTime appends unix as the token endpoint writes times: KST without an offset,
// with milliseconds: "2024-03-01T14:00:00.000".
func appendTokenTime(b []byte, unix int64) []byte { return appendKSTWith(b, unix, ".000") }

// appendKSTWith appends unix as a quoted KST date and time followed by suffix.
func appendKSTWith(b []byte, unix int64, suffix string) []byte {
	b = append(b, '"')
	b = appendYMD(b, unix, '-')
	b = append(b, 'T')
	b = appendHMS(b, unix)
	b = append(b, suffix...)
	return append(b, '"')
}

// appendMoney appends won as Cafe24 does: a decimal string, "30000.00".
func appendMoney(b []byte, won int64) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, won, 10)
	return append(b, ".00\""...)
}

func appendFlag(b []byte, v bool) []byte {
	if v {
		return append(b, `"T"`...)
	}
	return append(b, `"F"`...)
}

// appendOrderID appends the order_id without quotes: YYYYMMDD-NNNNNNN.
// The last id written is cached: an order's id is written once per item and shipment.
func (v *view) appendOrderID(b []byte, oi uint32) []byte {
	if v.oidOK && v.oidFor == oi {
		return append(b, v.oid[:]...)
	}
	o := &v.d.orders[oi]
	n := len(b)
	b = appendYMD(b, v.d.base+int64(o.at), 0)
	b = append(b, '-')
	b = appendPad(b, int64(o.seq), 7)
	if len(b)-n == len(v.oid) {
		copy(v.oid[:], b[n:])
		v.oidFor, v.oidOK = oi, true
	}
	return b
}

// orderPerson derives the buyer and receiver of order oi from a hash: nothing is stored.
type person struct {
	surname, given uint8
	cell           [2]uint16 // 010-AAAA-BBBB
}

func (v *view) orderHash(oi uint32, salt uint64) uint64 {
	return mix(v.d.seed*0x2545f4914f6cdd1d ^ uint64(oi)<<8 ^ salt)
}

func (v *view) person(oi uint32, salt uint64) person {
	h := v.orderHash(oi, salt)
	return person{
		surname: uint8(h % uint64(len(surnames))),
		given:   uint8(h >> 8 % uint64(len(givenNames))),
		cell:    [2]uint16{uint16(h >> 16 % 9000), uint16(h >> 32 % 10000)},
	}
}

func appendName(b []byte, p person) []byte {
	b = append(b, '"')
	b = append(b, surnames[p.surname]...)
	b = append(b, givenNames[p.given]...)
	return append(b, '"')
}

func appendCell(b []byte, p person) []byte {
	b = append(b, `"010-`...)
	b = appendPad(b, int64(p.cell[0])+1000, 4)
	b = append(b, '-')
	b = appendPad(b, int64(p.cell[1]), 4)
	return append(b, '"')
}

// embeds say which optional parts of an order a list call asked for.
type embeds uint8

const (
	embedItems embeds = 1 << iota
	embedReceivers
	embedBuyer
	embedReturn
	embedCancellation
	embedExchange
)

// maxStack is how many item states appendOrder keeps on the stack before allocating.
const maxStack = 16

// appendOrder appends order oi as Cafe24 JSON, as of the view. The order must be shown.
func (v *view) appendOrder(b []byte, oi uint32, e embeds) []byte {
	d := v.d
	o := &d.orders[oi]
	var stack [maxStack]itemState
	states := stack[:0]
	if int(o.n) > maxStack {
		states = make([]itemState, 0, o.n)
	}
	paid := v.paidShown(oi)
	var price, coupon, canceledAt int64
	allCanceled := true
	for k := uint32(0); k < uint32(o.n); k++ {
		ii := o.first + k
		it := &d.items[ii]
		s := v.state(ii, paid)
		states = append(states, s)
		if s.absent {
			continue
		}
		if it.origin == 0 { // a replacement is free of charge
			p := &d.catalog[it.product]
			price += (p.price + p.variants[it.variant].price) * int64(it.qty)
			coupon += int64(it.discount) * 100
		}
		if s.status == stC40 {
			canceledAt = max(canceledAt, int64(it.ev[evCanceled-evPlaced]))
		} else {
			allCanceled = false
		}
	}
	fee := int64(o.fee) * 100
	total := price - coupon + fee
	ph := v.orderHash(oi, 1)
	member := ph%100 >= 15 // 15% guest orders
	buyer := v.person(oi, 2)

	b = append(b, `{"shop_no":1,"currency":"KRW","order_id":"`...)
	b = v.appendOrderID(b, oi)
	b = append(b, `","market_id":"cafe24","market_order_no":null,"member_id":`...)
	b = v.appendMemberID(b, buyer, ph, member)
	b = append(b, `,"member_email":`...)
	b = v.appendEmail(b, buyer, ph)
	b = append(b, `,"billing_name":`...)
	b = appendName(b, buyer)
	b = append(b, `,"order_place_id":`...)
	b = appendTrusted(b, orderPlaces[o.place].id)
	b = append(b, `,"order_place_name":`...)
	b = appendTrusted(b, orderPlaces[o.place].name)
	b = append(b, `,"order_from_mobile":`...)
	b = appendFlag(b, o.place == 1)
	b = append(b, `,"order_date":`...)
	b = appendKST(b, d.base+int64(o.at))
	b = append(b, `,"payment_date":`...)
	if paid {
		b = appendKST(b, d.base+int64(o.pay))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"paid":`...)
	b = appendFlag(b, paid)
	b = append(b, `,"canceled":`...)
	b = appendFlag(b, allCanceled)
	b = append(b, `,"cancel_date":`...)
	if allCanceled {
		b = appendKST(b, d.base+canceledAt)
	} else {
		b = append(b, "null"...)
	}
	pm := paymentMethods[o.method]
	b = append(b, `,"payment_method":[`...)
	b = appendTrusted(b, pm.code)
	b = append(b, `],"payment_method_name":[`...)
	b = appendTrusted(b, pm.name)
	b = append(b, `],"payment_amount":`...)
	b = appendMoney(b, total)
	b = append(b, `,"actual_order_amount":{"order_price_amount":`...)
	b = appendMoney(b, price)
	b = append(b, `,"shipping_fee":`...)
	b = appendMoney(b, fee)
	b = append(b, `,"coupon_discount_price":`...)
	b = appendMoney(b, coupon)
	b = append(b, `,"payment_amount":`...)
	b = appendMoney(b, total)
	b = append(b, `},"shipping_fee":`...)
	b = appendMoney(b, fee)
	b = append(b, `,"shipping_type":"A","shipping_type_text":"국내배송","shipping_status":"`...)
	b = append(b, shippingStatus(states), '"')

	if e&embedBuyer != 0 {
		b = append(b, `,"buyer":{"shop_no":1,"member_id":`...)
		b = v.appendMemberID(b, buyer, ph, member)
		b = append(b, `,"name":`...)
		b = appendName(b, buyer)
		b = append(b, `,"email":`...)
		b = v.appendEmail(b, buyer, ph)
		b = append(b, `,"phone":`...)
		if ph>>8%5 == 0 {
			b = append(b, `"02-`...)
			b = appendPad(b, int64(ph>>16%9000)+1000, 4)
			b = append(b, '-')
			b = appendPad(b, int64(ph>>32%10000), 4)
			b = append(b, '"')
		} else {
			b = append(b, `""`...)
		}
		b = append(b, `,"cellphone":`...)
		b = appendCell(b, buyer)
		b = append(b, '}')
	}
	if e&embedReceivers != 0 {
		b = v.appendReceiver(b, oi, buyer, states)
	}
	if e&embedItems != 0 {
		b = append(b, `,"items":[`...)
		first := true
		for k := range states {
			if states[k].absent {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = v.appendItem(b, oi, o.first+uint32(k), states[k])
		}
		b = append(b, ']')
	}
	if e&embedCancellation != 0 {
		b = v.appendCancellations(b, oi, states)
	}
	if e&embedReturn != 0 {
		b = v.appendClaims(b, oi, states, claimReturn)
	}
	if e&embedExchange != 0 {
		b = v.appendClaims(b, oi, states, claimExchange)
	}
	return append(b, '}')
}

func (v *view) appendMemberID(b []byte, p person, ph uint64, member bool) []byte {
	if !member {
		return append(b, `""`...)
	}
	b = append(b, '"')
	b = append(b, surnameRoman[p.surname]...)
	b = appendPad(b, int64(ph>>40%10000), 4)
	return append(b, '"')
}

func (v *view) appendEmail(b []byte, p person, ph uint64) []byte {
	b = append(b, '"')
	b = append(b, surnameRoman[p.surname]...)
	b = appendPad(b, int64(ph>>40%10000), 4)
	b = append(b, '@')
	b = append(b, emailDomains[ph>>20%uint64(len(emailDomains))]...)
	return append(b, '"')
}

func (v *view) appendShippingCode(b []byte, oi uint32, ship uint8) []byte {
	b = append(b, `"D-`...)
	b = v.appendOrderID(b, oi)
	b = append(b, '-')
	b = appendPad(b, int64(ship), 2)
	return append(b, '"')
}

func (v *view) appendReceiver(b []byte, oi uint32, buyer person, states []itemState) []byte {
	rh := v.orderHash(oi, 3)
	rcv := buyer
	if rh%100 < 30 { // a gift: someone else receives it
		rcv = v.person(oi, 4)
	}
	st := streets[rh>>8%uint64(len(streets))]
	b = append(b, `,"receivers":[{"shop_no":1,"name":`...)
	b = appendName(b, rcv)
	b = append(b, `,"phone":"","cellphone":`...)
	b = appendCell(b, rcv)
	b = append(b, `,"zipcode":"`...)
	b = append(b, st.zip...)
	b = appendPad(b, int64(rh>>16%1000), 3)
	b = append(b, `","address1":"`...)
	a1 := len(b)
	b = append(b, st.name...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(rh>>24%600)+1, 10)
	a1end := len(b)
	b = append(b, `","address2":"`...)
	addr2 := len(b)
	if rh>>34%10 < 7 {
		b = strconv.AppendInt(b, int64(rh>>38%20)+101, 10)
		b = append(b, "동 "...)
		b = strconv.AppendInt(b, int64(rh>>44%25)+1, 10)
		b = appendPad(b, int64(rh>>50%4)+1, 2)
		b = append(b, "호"...)
	} else {
		f := int64(rh>>38%9) + 1
		b = strconv.AppendInt(b, f, 10)
		b = append(b, "층 "...)
		b = strconv.AppendInt(b, f*100+int64(rh>>44%5)+1, 10)
		b = append(b, "호"...)
	}
	a2end := len(b)
	b = append(b, `","address_full":"`...)
	b = append(b, b[a1:a1end]...) // appending from b to itself copies before any growth
	b = append(b, ' ')
	b = append(b, b[addr2:a2end]...)
	b = append(b, `","shipping_message":`...)
	b = appendTrusted(b, shippingMessages[rh>>56%uint64(len(shippingMessages))])
	b = append(b, `,"shipping_code":`...)
	code := false
	for k, s := range states {
		if s.has(evShipped) {
			b = v.appendShippingCode(b, oi, v.d.items[v.d.orders[oi].first+uint32(k)].ship)
			code = true
			break
		}
	}
	if !code {
		b = append(b, "null"...)
	}
	return append(b, "}]"...)
}

// appendTime appends the time of item event k if it is visible, else null.
func (v *view) appendTime(b []byte, it *item, s itemState, k evKind) []byte {
	if !s.has(k) {
		return append(b, "null"...)
	}
	return appendKST(b, v.d.base+int64(it.ev[k-evPlaced]))
}

// appendTrackingNo appends the tracking number of the item's forward parcel.
func (v *view) appendTrackingNo(b []byte, oi uint32, it *item) []byte {
	if inv, ok := v.d.invoices[invoiceKey(oi, it.ship)]; ok {
		return appendTrusted(b, inv.trackingNo)
	}
	th := mix(v.d.seed ^ uint64(oi)<<8 ^ uint64(it.ship) ^ 0x7ac4)
	b = append(b, `"6`...)
	b = appendPad(b, int64(th%100_000_000_000), 11)
	return append(b, '"')
}

// claimRequest is the event that opens an item's claim (its request), and the claim code's prefix.
func claimRequest(it *item) (evKind, byte) {
	switch it.claim {
	case claimReturn:
		return evReturnReq, 'R'
	case claimExchange:
		return evExchangeReq, 'B'
	}
	return evCancelReq, 'C'
}

// hasClaim reports whether the item's claim is visible (its request is).
func hasClaim(it *item, s itemState) bool {
	if it.claim == claimNone {
		return false
	}
	k, _ := claimRequest(it)
	return s.has(k)
}

func (v *view) appendClaimCode(b []byte, it *item) []byte {
	k, prefix := claimRequest(it)
	b = append(b, '"', prefix)
	b = appendYMD(b, v.d.base+int64(it.ev[k-evPlaced]), 0)
	b = append(b, '-')
	b = appendPad(b, int64(it.claimSeq), 7)
	return append(b, '"')
}

// appendReturnInvoice appends the pickup invoice of a return or exchange once it is
// accepted, else null.
func (v *view) appendReturnInvoice(b []byte, ii uint32, it *item, s itemState) []byte {
	acc := evReturnAcc
	if it.claim == claimExchange {
		acc = evExchangeAcc
	}
	if !s.has(acc) {
		return append(b, "null"...)
	}
	b = append(b, `"7`...)
	b = appendPad(b, int64(mix(v.d.seed^uint64(ii)<<8^0x9c0)%100_000_000_000), 11)
	return append(b, '"')
}

func (v *view) appendItem(b []byte, oi, ii uint32, s itemState) []byte {
	d := v.d
	it := &d.items[ii]
	p := &d.catalog[it.product]
	vr := &p.variants[it.variant]
	sup := &suppliers[p.supplier]
	disc := int64(it.discount) * 100
	k := ii - d.orders[oi].first
	pay := d.linePayment(ii)

	b = append(b, `{"shop_no":1,"item_no":`...)
	b = strconv.AppendInt(b, int64(k)+1, 10)
	b = append(b, `,"order_item_code":"`...)
	b = v.appendOrderID(b, oi)
	b = append(b, '-')
	b = appendPad(b, int64(k)+1, 2)
	b = append(b, `","variant_code":"`...)
	b = append(b, vr.code...)
	b = append(b, `","product_no":`...)
	b = strconv.AppendInt(b, int64(p.no), 10)
	b = append(b, `,"product_code":"`...)
	b = append(b, p.code...)
	b = append(b, `","custom_product_code":"","custom_variant_code":"","product_name":`...)
	b = appendTrusted(b, p.name)
	b = append(b, `,"option_id":"`...)
	b = append(b, vr.code[8:]...)
	b = append(b, `","option_value":`...)
	b = appendTrusted(b, vr.option)
	b = append(b, `,"product_price":`...)
	b = appendMoney(b, p.price)
	b = append(b, `,"option_price":`...)
	b = appendMoney(b, vr.price)
	b = append(b, `,"additional_discount_price":"0.00","coupon_discount_price":`...)
	b = appendMoney(b, disc)
	b = append(b, `,"quantity":`...)
	b = strconv.AppendInt(b, int64(it.qty), 10)
	b = append(b, `,"payment_amount":`...)
	b = appendMoney(b, pay)
	if it.origin != 0 {
		b = append(b, `,"original_item_no":[`...)
		b = strconv.AppendInt(b, int64(it.origin), 10)
		b = append(b, ']')
	}
	b = append(b, `,"supplier_id":"`...)
	b = append(b, sup.id...)
	b = append(b, `","supplier_name":`...)
	b = appendTrusted(b, sup.name)
	b = append(b, `,"supplier_transaction_type":"`...)
	b = append(b, sup.txType...)
	b = append(b, '"')
	if s.has(evShipped) {
		b = append(b, `,"tracking_no":`...)
		b = v.appendTrackingNo(b, oi, it)
		b = append(b, `,"shipping_code":`...)
		b = v.appendShippingCode(b, oi, it.ship)
		b = append(b, `,"shipping_company_code":"`...)
		b = append(b, v.carrierCode(oi, it)...)
		b = append(b, '"')
	} else {
		b = append(b, `,"tracking_no":null,"shipping_code":null,"shipping_company_code":null`...)
	}
	b = append(b, `,"order_status":"`...)
	b = append(b, statusCodes[s.status]...)
	b = append(b, '"')
	if hasClaim(it, s) {
		r := cancelReasons[it.reason]
		b = append(b, `,"order_status_before_cs":"`...)
		b = append(b, statusCodes[it.before]...)
		b = append(b, `","claim_code":`...)
		b = v.appendClaimCode(b, it)
		b = append(b, `,"claim_type":"`...)
		b = append(b, "?CRE"[it.claim], '"')
		b = append(b, `,"claim_status":`...)
		switch {
		case s.has(evUndone):
			b = append(b, `"undone"`...)
		case s.status == stC40 || s.status == stR40 || s.status == stE40:
			b = append(b, `"completed"`...)
		case s.status == stR11 || s.status == stE11 || it.claim == claimCancel && s.has(evRejected):
			b = append(b, `"rejected"`...)
		default:
			b = append(b, `"requested"`...)
		}
		b = append(b, `,"claim_quantity":`...)
		b = strconv.AppendInt(b, int64(it.qty), 10)
		b = append(b, `,"claim_reason_type":"`...)
		b = append(b, r.typ...)
		b = append(b, `","claim_reason":`...)
		b = appendTrusted(b, r.text)
		b = append(b, `,"request_undone":`...)
		b = appendFlag(b, s.has(evUndone))
	} else {
		b = append(b, `,"order_status_before_cs":null,"claim_code":null,"claim_type":null,"claim_status":null,"claim_quantity":0,"claim_reason_type":null,"claim_reason":null,"request_undone":null`...)
	}
	b = append(b, `,"shipped_date":`...)
	b = v.appendTime(b, it, s, evShipped)
	b = append(b, `,"delivered_date":`...)
	b = v.appendTime(b, it, s, evDelivered)
	b = append(b, `,"cancel_date":`...)
	b = v.appendTime(b, it, s, evCanceled)
	b = append(b, `,"return_request_date":`...)
	b = v.appendTime(b, it, s, evReturnReq)
	b = append(b, `,"return_collected_date":`...)
	if it.claim == claimReturn {
		b = v.appendTime(b, it, s, evPickedUp)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"refund_date":`...)
	b = v.appendTime(b, it, s, evReturned)
	b = append(b, `,"exchange_request_date":`...)
	b = v.appendTime(b, it, s, evExchangeReq)
	b = append(b, `,"purchaseconfirmation_date":`...)
	b = v.appendTime(b, it, s, evConfirmed)
	return append(b, '}')
}

// appendCancellations appends the embed=cancellation array: one claim per item whose
// cancellation was requested, withdrawn ones included (undone "T").
func (v *view) appendCancellations(b []byte, oi uint32, states []itemState) []byte {
	b = append(b, `,"cancellation":[`...)
	first := true
	for k, s := range states {
		if it := &v.d.items[v.d.orders[oi].first+uint32(k)]; it.claim != claimCancel || !hasClaim(it, s) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = v.appendCancellation(b, oi, k, s)
	}
	return append(b, ']')
}

// appendCancellation appends the cancellation of the order's k-th item.
func (v *view) appendCancellation(b []byte, oi uint32, k int, s itemState) []byte {
	it := &v.d.items[v.d.orders[oi].first+uint32(k)]
	b = append(b, `{"shop_no":1,"order_id":"`...)
	b = v.appendOrderID(b, oi)
	b = append(b, `","claim_code":`...)
	b = v.appendClaimCode(b, it)
	b = append(b, `,"status":`...)
	if s.status == stC40 {
		b = append(b, `"canceled"`...)
	} else {
		b = append(b, `"canceling"`...)
	}
	if s.has(evUndone) {
		b = append(b, `,"undone":"T","undone_reason_type":"A","undone_reason":"구매자 철회"`...)
	} else {
		b = append(b, `,"undone":"F","undone_reason_type":null,"undone_reason":null`...)
	}
	b = append(b, `,"claim_reason_type":"`...)
	b = append(b, cancelReasons[it.reason].typ...)
	b = append(b, `","claim_reason":`...)
	b = appendTrusted(b, cancelReasons[it.reason].text)
	b = append(b, `,"items":[{`...)
	b = v.appendClaimItem(b, oi, k, s)
	return append(b, "}]}"...)
}

// appendClaimItem appends the fields of the order's k-th item in its claim's items.
func (v *view) appendClaimItem(b []byte, oi uint32, k int, s itemState) []byte {
	it := &v.d.items[v.d.orders[oi].first+uint32(k)]
	b = append(b, `"order_item_code":"`...)
	b = v.appendOrderID(b, oi)
	b = append(b, '-')
	b = appendPad(b, int64(k)+1, 2)
	b = append(b, `","quantity":`...)
	b = strconv.AppendInt(b, int64(it.qty), 10)
	b = append(b, `,"claim_code":`...)
	b = v.appendClaimCode(b, it)
	b = append(b, `,"order_status":"`...)
	b = append(b, statusCodes[s.status]...)
	return append(b, '"')
}

// appendClaims appends the embed=return or embed=exchange array: one claim per item whose
// return or exchange was requested, withdrawn ones included (undone "T").
func (v *view) appendClaims(b []byte, oi uint32, states []itemState, kind uint8) []byte {
	if kind == claimReturn {
		b = append(b, `,"return":[`...)
	} else {
		b = append(b, `,"exchange":[`...)
	}
	first := true
	for k, s := range states {
		it := &v.d.items[v.d.orders[oi].first+uint32(k)]
		if it.claim != kind || !hasClaim(it, s) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = v.appendClaim(b, oi, k, s)
	}
	return append(b, ']')
}

// appendClaim appends the return or exchange of the order's k-th item.
func (v *view) appendClaim(b []byte, oi uint32, k int, s itemState) []byte {
	ii := v.d.orders[oi].first + uint32(k)
	it := &v.d.items[ii]
	kind := it.claim
	r := cancelReasons[it.reason]
	b = append(b, `{"shop_no":1,"order_id":"`...)
	b = v.appendOrderID(b, oi)
	b = append(b, `","claim_code":`...)
	b = v.appendClaimCode(b, it)
	b = append(b, `,"claim_reason_type":"`...)
	b = append(b, r.typ...)
	b = append(b, `","claim_reason":`...)
	b = appendTrusted(b, r.text)
	b = append(b, `,"status":`...)
	switch {
	case kind == claimReturn && s.has(evReturned):
		b = append(b, `"returned"`...)
	case kind == claimExchange && s.has(evExchanged):
		b = append(b, `"exchanged"`...)
	case s.has(evPickedUp) && kind == claimReturn:
		b = append(b, `"processing"`...)
	case s.has(evPickedUp):
		b = append(b, `"collected"`...)
	default:
		b = append(b, `"accepted"`...)
	}
	b = append(b, `,"pickup_completed":`...)
	b = appendFlag(b, s.has(evPickedUp))
	if s.has(evUndone) {
		b = append(b, `,"undone":"T","undone_reason_type":"A","undone_reason":"구매자 철회"`...)
	} else {
		b = append(b, `,"undone":"F","undone_reason_type":null,"undone_reason":null`...)
	}
	b = append(b, `,"return_invoice_no":`...)
	b = v.appendReturnInvoice(b, ii, it, s)
	b = append(b, `,"return_shipping_company_name":`...)
	if bytes.HasPrefix(b[len(b)-4:], []byte("null")) {
		b = append(b, "null"...)
	} else {
		b = appendTrusted(b, carriers[it.carrier].name)
	}
	b = append(b, `,"refund_amounts":[],"items":[{"item_no":`...)
	b = strconv.AppendInt(b, int64(k)+1, 10)
	b = append(b, ',')
	b = v.appendClaimItem(b, oi, k, s)
	b = append(b, "}]"...)
	if kind == claimExchange {
		b = append(b, `,"exchanged_items":[`...)
		o := &v.d.orders[oi]
		for j := o.first; j < o.first+uint32(o.n); j++ {
			if v.d.items[j].origin == uint8(k)+1 && v.exists(j) {
				b = append(b, `{"order_item_code":"`...)
				b = v.appendOrderID(b, oi)
				b = append(b, '-')
				b = appendPad(b, int64(j-o.first)+1, 2)
				b = append(b, `","origin_order_item_code":"`...)
				b = v.appendOrderID(b, oi)
				b = append(b, '-')
				b = appendPad(b, int64(k)+1, 2)
				b = append(b, `"}`...)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
