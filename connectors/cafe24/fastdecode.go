package cafe24

import (
	"encoding/json"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the fast path of the orders page decoder: a single-pass scanner over the
// page bytes that validates the JSON and decodes only the fields mapping needs. Whatever it
// cannot decide exactly as encoding/json would, it hands back (the whole page to decodeStd, or
// one order to json.Unmarshal), so its results are always those of the standard decoder,
// which fastdecode_test.go checks on simulator pages and thousands of rewritten bodies.

// fastMaxDepth bounds nesting in the fast path; deeper input goes to encoding/json.
const fastMaxDepth = 512

// slabSize is how many items or receivers one allocation holds.
const slabSize = 256

type fastDec struct {
	b []byte
	i int

	// The order being decoded: its strings, unescaped, one after the other (they become one
	// Go string when the order is read), and the spans of its fields.
	arena     []byte
	o         orderSpans
	receivers [][rFields]span
	items     [][iFields]span

	// Backing arrays handed out to the orders, slabSize at a time.
	itemSlab   []itemJSON
	recvSlab   []receiverJSON
	amountSlab []amountsJSON
	buyerSlab  []buyerJSON
}

func (p *ordersPage) decodeFast(b []byte) bool {
	p.Orders = p.Orders[:0]
	d := fastDec{b: b}
	if d.peek() != '{' {
		return false
	}
	d.i++
	c := d.peek()
	if c == '}' {
		d.i++
		return d.atEnd()
	}
	for {
		if c != '"' {
			return false
		}
		ks, ke, kf, ok := d.str()
		if !ok || kf != 0 || d.peek() != ':' {
			return false
		}
		d.i++
		if string(b[ks:ke]) == "orders" {
			switch d.peek() {
			case 'n':
				if !d.lit("null") {
					return false
				}
			case '[':
				if !d.orders(p) {
					return false
				}
			default:
				return false
			}
		} else if !d.skip(0) {
			return false
		}
		var more bool
		if c, more, ok = d.next('}'); !ok || !more {
			return ok && d.atEnd()
		}
	}
}

// atEnd reports whether only whitespace is left. encoding/json's streaming decoder ignores what
// follows the page; the fast path leaves such bodies to it.
func (d *fastDec) atEnd() bool {
	d.peek()
	return d.i == len(d.b)
}

// orders decodes the orders array; d.b[d.i] is '['.
func (d *fastDec) orders(p *ordersPage) bool {
	d.i++
	c := d.peek()
	if c == ']' {
		d.i++
		return true
	}
	if p.Orders == nil {
		p.Orders = make([]orderJSON, 0, 64)
	}
	for {
		start := d.i
		p.Orders = append(p.Orders, orderJSON{})
		o := &p.Orders[len(p.Orders)-1]
		switch c {
		case '{':
			if !d.order(&o.f) {
				// Valid JSON the fast path does not decode, or not valid JSON at all.
				p.slow++
				d.i = start
				if !d.skip(0) {
					return false
				}
				o.f = orderFields{}
				o.err = json.Unmarshal(d.b[start:d.i], &o.f)
			}
		case 'n':
			if !d.lit("null") {
				return false
			}
		default:
			if !d.skip(0) {
				return false
			}
			p.slow++
			o.err = json.Unmarshal(d.b[start:d.i], &o.f)
		}
		o.raw = d.b[start:d.i]
		c = d.peek()
		if c == ',' {
			d.i++
			c = d.peek()
			continue
		}
		if c != ']' {
			return false
		}
		d.i++
		return true
	}
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (d *fastDec) peek() byte {
	for d.i < len(d.b) {
		switch c := d.b[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// lit consumes the literal l (true, false, null) at d.i.
func (d *fastDec) lit(l string) bool {
	if len(d.b)-d.i < len(l) || string(d.b[d.i:d.i+len(l)]) != l {
		return false
	}
	d.i += len(l)
	return true
}

const (
	strEscaped  = 1 << iota // has a backslash escape
	strNonASCII             // has a byte ≥ 0x80
)

// strClass classifies string bytes: 0 plain, 1 quote, 2 backslash, 3 control, 4 non-ASCII.
var strClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 3
	}
	t['"'] = 1
	t['\\'] = 2
	for c := 0x80; c < 0x100; c++ {
		t[c] = 4
	}
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str consumes a string at d.i (which must be '"'), checking its escapes, and returns the
// bounds of its contents and what they hold.
func (d *fastDec) str() (s, e int, flags uint8, ok bool) {
	b := d.b
	j := d.i + 1
	s = j
	for j < len(b) {
		switch strClass[b[j]] {
		case 0:
			j++
		case 1:
			d.i = j + 1
			return s, j, flags, true
		case 2:
			flags |= strEscaped
			if j+1 >= len(b) {
				return 0, 0, 0, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(b) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) || !isHex(b[j+5]) {
					return 0, 0, 0, false
				}
				j += 6
			default:
				return 0, 0, 0, false
			}
		case 3:
			return 0, 0, 0, false
		default:
			flags |= strNonASCII
			j++
		}
	}
	return 0, 0, 0, false
}

// num consumes a number at d.i: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *fastDec) num() bool {
	b, j := d.b, d.i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		for j++; j < len(b) && '0' <= b[j] && b[j] <= '9'; j++ {
		}
	default:
		return false
	}
	if j < len(b) && b[j] == '.' {
		j++
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			return false
		}
		for j++; j < len(b) && '0' <= b[j] && b[j] <= '9'; j++ {
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			return false
		}
		for j++; j < len(b) && '0' <= b[j] && b[j] <= '9'; j++ {
		}
	}
	d.i = j
	return true
}

// skip consumes any value at d.i, checking it is valid JSON.
func (d *fastDec) skip(depth int) bool {
	switch d.peek() {
	case '"':
		_, _, _, ok := d.str()
		return ok
	case '{':
		if depth >= fastMaxDepth {
			return false
		}
		d.i++
		c := d.peek()
		if c == '}' {
			d.i++
			return true
		}
		for {
			if c != '"' {
				return false
			}
			if _, _, _, ok := d.str(); !ok || d.peek() != ':' {
				return false
			}
			d.i++
			if !d.skip(depth + 1) {
				return false
			}
			var more, ok bool
			if c, more, ok = d.next('}'); !ok || !more {
				return ok
			}
		}
	case '[':
		if depth >= fastMaxDepth {
			return false
		}
		d.i++
		if d.peek() == ']' {
			d.i++
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			if _, more, ok := d.next(']'); !ok || !more {
				return ok
			}
		}
	case 't':
		return d.lit("true")
	case 'f':
		return d.lit("false")
	case 'n':
		return d.lit("null")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return d.num()
	}
	return false
}

// valClass is strClass with non-ASCII bytes plain: string values are checked for UTF-8
// separately.
var valClass = func() (t [256]byte) {
	t = strClass
	for c := 0x80; c < 0x100; c++ {
		t[c] = 0
	}
	return t
}()

// keyClass classifies key bytes like strClass, and marks capitals and non-ASCII bytes (5):
// encoding/json matches keys to fields case-insensitively, Unicode folding included, so a key
// with those may name a field although it is not spelled like one.
var keyClass = func() (t [256]byte) {
	t = strClass
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 5
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = 5
	}
	return t
}()

// key consumes `"key":` and returns the key. plain is false when the key has escapes, capitals
// or non-ASCII bytes: the fast path does not decode the objects that hold such keys.
func (d *fastDec) key(c byte) (k []byte, plain, ok bool) {
	if c != '"' {
		return nil, false, false
	}
	b := d.b
	j := d.i + 1
	s := j
	for j < len(b) && keyClass[b[j]] == 0 {
		j++
	}
	if j < len(b) && b[j] == '"' {
		d.i = j + 1
		k, plain = b[s:j], true
	} else {
		if _, _, _, ok := d.str(); !ok {
			return nil, false, false
		}
		k = b[s : d.i-1]
	}
	if d.peek() != ':' {
		return nil, false, false
	}
	d.i++
	return k, plain, true
}

// next consumes what follows a member: ',' (then returns the next byte and more=true) or the
// closing byte (more=false).
func (d *fastDec) next(closing byte) (c byte, more, ok bool) {
	c = d.peek()
	if c == ',' {
		d.i++
		return d.peek(), true, true
	}
	if c == closing {
		d.i++
		return 0, false, true
	}
	return 0, false, false
}

// once records that the field of bit was seen; a repeated key is left to encoding/json.
func once(seen *uint64, bit uint64) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// span is a string decoded into the order's arena: arena[off:end]. The zero span is "".
type span struct{ off, end int32 }

func (sp span) of(s string) string { return s[sp.off:sp.end] }

// string decodes a string field into the arena: a JSON string, or null (which leaves the field
// as it is, as encoding/json does).
func (d *fastDec) string(sp *span) bool {
	switch d.peek() {
	case '"':
		b := d.b
		j := d.i + 1
		s := j
		for j < len(b) && valClass[b[j]] == 0 {
			j++
		}
		off := int32(len(d.arena))
		if j < len(b) && b[j] == '"' { // no escapes
			d.i = j + 1
			v := b[s:j]
			if !ascii(v) && !utf8.Valid(v) {
				return false
			}
			d.arena = append(d.arena, v...)
		} else {
			s, e, flags, ok := d.str()
			if !ok || !d.unescape(b[s:e], flags) {
				return false
			}
		}
		*sp = span{off, int32(len(d.arena))}
		return true
	case 'n':
		return d.lit("null")
	}
	return false
}

func ascii(s []byte) bool {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// number decodes a json.Number field into the arena: a JSON number, or null (which leaves the
// field as it is). encoding/json also takes a string holding a number; the fast path leaves
// that to it.
func (d *fastDec) number(sp *span) bool {
	switch c := d.peek(); {
	case c == 'n':
		return d.lit("null")
	case c == '-' || '0' <= c && c <= '9':
		s := d.i
		if !d.num() {
			return false
		}
		off := int32(len(d.arena))
		d.arena = append(d.arena, d.b[s:d.i]...)
		*sp = span{off, int32(len(d.arena))}
		return true
	}
	return false
}

// unescape appends the decoded JSON string contents s to the arena. It declines (false) invalid
// UTF-8 and lone or broken surrogates, which encoding/json turns into U+FFFD.
func (d *fastDec) unescape(s []byte, flags uint8) bool {
	out := d.arena
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				return false
			}
			out = append(out, s[i:i+n]...)
			i += n
			continue
		}
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		// str has checked the escape.
		switch s[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(s[i+2:])
			i += 6
			switch {
			case r < 0xD800 || r > 0xDFFF:
			case r <= 0xDBFF && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u':
				lo := hex4(s[i+2:])
				if lo < 0xDC00 || lo > 0xDFFF {
					return false
				}
				r = utf16.DecodeRune(r, lo)
				i += 6
			default:
				return false
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // '"', '\\', '/'
			out = append(out, s[i+1])
		}
		i += 2
	}
	d.arena = out
	return true
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// The spans of one order's fields while it is decoded; materialize turns them into
// orderFields once the order is read, with one string for all of them.
const (
	oOrderID = iota
	oOrderPlaceID
	oOrderDate
	oPaymentDate
	oCancelDate
	oPaymentAmount
	oFields
)

const (
	aShippingFee = iota
	aPaymentAmount
	aFields
)

const (
	bName = iota
	bEmail
	bPhone
	bCellphone
	bZipcode
	bAddress1
	bAddress2
	bFields
)

const (
	rName = iota
	rPhone
	rCellphone
	rZipcode
	rAddress1
	rAddress2
	rAddressFull
	rFields
)

const (
	iOrderItemCode = iota
	iProductNo
	iProductCode
	iVariantCode
	iProductName
	iOptionValue
	iProductPrice
	iOptionPrice
	iQuantity
	iPaymentAmount
	iSupplierID
	iSupplierCode
	iSupplierName
	iTrackingNo
	iShippingCompanyCode
	iOrderStatus
	iOrderStatusBeforeCS
	iClaimCode
	iShippingCode
	iShippedDate
	iDeliveredDate
	iPurchaseConfirmationDate
	iCancelRequestDate
	iCancelDate
	iReturnRequestDate
	iReturnCollectedDate
	iRefundDate
	iExchangeRequestDate
	iOriginalItemNo // the numbers, comma-separated
	iFields
)

// The claim lists embedded on an order.
const (
	cCancellation = iota
	cReturn
	cExchange
	cLists
)

// list states of receivers and items: absent or null (nil), or an array.
const (
	listNil = iota
	listArray
)

type orderSpans struct {
	f          [oFields]span
	hasAmounts bool
	amounts    [aFields]span
	hasBuyer   bool
	buyer      [bFields]span
	receivers  int // listNil or listArray; the elements are in fastDec.receivers
	items      int
	// The elements of each claim list, as spans of the page (not of the arena): raw JSON.
	claims [cLists][]span
}

// order decodes an order object at d.i ('{') into f. It returns false, leaving f alone, when
// it does not decode it.
func (d *fastDec) order(f *orderFields) bool {
	d.arena = d.arena[:0]
	d.receivers = d.receivers[:0]
	d.items = d.items[:0]
	d.o = orderSpans{}
	if !d.members(orderMembers, d.o.f[:], &d.o) {
		return false
	}
	d.materialize(f)
	return true
}

// reserve returns slab with room for n more elements: a new backing array (of slabSize, or n
// when larger) once the current one is full. Earlier orders keep pointing into the old one.
func reserve[T any](slab []T, n int) []T {
	if n > cap(slab)-len(slab) {
		return make([]T, 0, max(slabSize, n))
	}
	return slab
}

// materialize sets f from the spans of the order just decoded.
func (d *fastDec) materialize(f *orderFields) {
	s := string(d.arena)
	o := &d.o
	f.OrderID = o.f[oOrderID].of(s)
	f.OrderPlaceID = o.f[oOrderPlaceID].of(s)
	f.OrderDate = o.f[oOrderDate].of(s)
	f.PaymentDate = o.f[oPaymentDate].of(s)
	f.CancelDate = o.f[oCancelDate].of(s)
	f.PaymentAmount = o.f[oPaymentAmount].of(s)
	if o.hasAmounts {
		d.amountSlab = reserve(d.amountSlab, 1)
		d.amountSlab = append(d.amountSlab, amountsJSON{
			ShippingFee:   o.amounts[aShippingFee].of(s),
			PaymentAmount: o.amounts[aPaymentAmount].of(s),
		})
		f.ActualOrderAmount = &d.amountSlab[len(d.amountSlab)-1]
	}
	if o.hasBuyer {
		d.buyerSlab = reserve(d.buyerSlab, 1)
		b := &o.buyer
		d.buyerSlab = append(d.buyerSlab, buyerJSON{
			Name: b[bName].of(s), Email: b[bEmail].of(s), Phone: b[bPhone].of(s),
			Cellphone: b[bCellphone].of(s), Zipcode: b[bZipcode].of(s),
			Address1: b[bAddress1].of(s), Address2: b[bAddress2].of(s),
		})
		f.Buyer = &d.buyerSlab[len(d.buyerSlab)-1]
	}
	if o.receivers == listArray {
		n := len(d.receivers)
		d.recvSlab = reserve(d.recvSlab, n)
		l := len(d.recvSlab)
		for i := range d.receivers {
			r := &d.receivers[i]
			d.recvSlab = append(d.recvSlab, receiverJSON{
				Name: r[rName].of(s), Phone: r[rPhone].of(s), Cellphone: r[rCellphone].of(s),
				Zipcode: r[rZipcode].of(s), Address1: r[rAddress1].of(s), Address2: r[rAddress2].of(s),
				AddressFull: r[rAddressFull].of(s),
			})
		}
		f.Receivers = d.recvSlab[l : l+n : l+n]
	}
	if o.items == listArray {
		n := len(d.items)
		d.itemSlab = reserve(d.itemSlab, n)
		l := len(d.itemSlab)
		for i := range d.items {
			it := &d.items[i]
			d.itemSlab = append(d.itemSlab, itemJSON{
				OrderItemCode:            it[iOrderItemCode].of(s),
				ProductNo:                json.Number(it[iProductNo].of(s)),
				ProductCode:              it[iProductCode].of(s),
				VariantCode:              it[iVariantCode].of(s),
				ProductName:              it[iProductName].of(s),
				OptionValue:              it[iOptionValue].of(s),
				ProductPrice:             it[iProductPrice].of(s),
				OptionPrice:              it[iOptionPrice].of(s),
				Quantity:                 json.Number(it[iQuantity].of(s)),
				PaymentAmount:            it[iPaymentAmount].of(s),
				SupplierID:               it[iSupplierID].of(s),
				SupplierCode:             it[iSupplierCode].of(s),
				SupplierName:             it[iSupplierName].of(s),
				TrackingNo:               it[iTrackingNo].of(s),
				ShippingCompanyCode:      it[iShippingCompanyCode].of(s),
				OrderStatus:              it[iOrderStatus].of(s),
				OrderStatusBeforeCS:      it[iOrderStatusBeforeCS].of(s),
				ClaimCode:                it[iClaimCode].of(s),
				ShippingCode:             it[iShippingCode].of(s),
				ShippedDate:              it[iShippedDate].of(s),
				DeliveredDate:            it[iDeliveredDate].of(s),
				PurchaseConfirmationDate: it[iPurchaseConfirmationDate].of(s),
				CancelRequestDate:        it[iCancelRequestDate].of(s),
				CancelDate:               it[iCancelDate].of(s),
				ReturnRequestDate:        it[iReturnRequestDate].of(s),
				ReturnCollectedDate:      it[iReturnCollectedDate].of(s),
				RefundDate:               it[iRefundDate].of(s),
				ExchangeRequestDate:      it[iExchangeRequestDate].of(s),
				OriginalItemNo:           numbers(it[iOriginalItemNo].of(s)),
			})
		}
		f.Items = d.itemSlab[l : l+n : l+n]
	}
	f.Cancellation = d.raws(o.claims[cCancellation])
	f.Return = d.raws(o.claims[cReturn])
	f.Exchange = d.raws(o.claims[cExchange])
}

// raws returns the page's bytes at spans as a rawList, nil for none.
func (d *fastDec) raws(spans []span) rawList {
	if len(spans) == 0 {
		return nil
	}
	l := make(rawList, len(spans))
	for i, sp := range spans {
		l[i] = json.RawMessage(d.b[sp.off:sp.end:sp.end])
	}
	return l
}

// numbers splits the comma-separated numbers numberList wrote; "" is nil.
func numbers(s string) itemNoList {
	if s == "" {
		return nil
	}
	l := make(itemNoList, 0, 1+strings.Count(s, ","))
	for s != "" {
		n, rest, _ := strings.Cut(s, ",")
		l = append(l, json.Number(n))
		s = rest
	}
	return l
}

// field says where the value of one known member goes, and whether it is a JSON number. A
// member holding an object or a list has a nested decoder instead (the order's parts); at is
// then only its bit among the members seen.
type field struct {
	at      int
	number  bool
	numbers bool // an array of JSON numbers
	nested  func(*fastDec, *orderSpans) bool
}

// fieldSet maps the member names of one kind of object to their fields.
type fieldSet map[string]field

var (
	orderMembers = fieldSet{
		"order_id": {at: oOrderID}, "order_place_id": {at: oOrderPlaceID}, "order_date": {at: oOrderDate},
		"payment_date": {at: oPaymentDate}, "cancel_date": {at: oCancelDate},
		"payment_amount":      {at: oPaymentAmount},
		"actual_order_amount": {at: oFields, nested: (*fastDec).amounts},
		"buyer":               {at: oFields + 1, nested: (*fastDec).buyer},
		"receivers":           {at: oFields + 2, nested: (*fastDec).receiverList},
		"items":               {at: oFields + 3, nested: (*fastDec).itemList},
		// The claims embedded on the order: each element kept raw.
		"cancellation": {at: oFields + 4, nested: func(d *fastDec, o *orderSpans) bool { return d.rawList(&o.claims[cCancellation]) }},
		"return":       {at: oFields + 5, nested: func(d *fastDec, o *orderSpans) bool { return d.rawList(&o.claims[cReturn]) }},
		"exchange":     {at: oFields + 6, nested: func(d *fastDec, o *orderSpans) bool { return d.rawList(&o.claims[cExchange]) }},
	}
	amountMembers = fieldSet{"shipping_fee": {at: aShippingFee}, "payment_amount": {at: aPaymentAmount}}
	buyerMembers  = fieldSet{
		"name": {at: bName}, "email": {at: bEmail}, "phone": {at: bPhone}, "cellphone": {at: bCellphone},
		"buyer_zipcode": {at: bZipcode}, "buyer_address1": {at: bAddress1}, "buyer_address2": {at: bAddress2},
	}
	receiverMembers = fieldSet{
		"name": {at: rName}, "phone": {at: rPhone}, "cellphone": {at: rCellphone}, "zipcode": {at: rZipcode},
		"address1": {at: rAddress1}, "address2": {at: rAddress2}, "address_full": {at: rAddressFull},
	}
	itemMembers = fieldSet{
		"order_item_code": {at: iOrderItemCode}, "product_no": {at: iProductNo, number: true},
		"product_code": {at: iProductCode}, "variant_code": {at: iVariantCode},
		"product_name": {at: iProductName}, "option_value": {at: iOptionValue},
		"product_price": {at: iProductPrice}, "option_price": {at: iOptionPrice},
		"quantity": {at: iQuantity, number: true}, "payment_amount": {at: iPaymentAmount},
		"supplier_id": {at: iSupplierID}, "supplier_code": {at: iSupplierCode},
		"supplier_name": {at: iSupplierName}, "tracking_no": {at: iTrackingNo},
		"shipping_company_code": {at: iShippingCompanyCode}, "order_status": {at: iOrderStatus},
		"order_status_before_cs": {at: iOrderStatusBeforeCS}, "claim_code": {at: iClaimCode},
		"shipped_date": {at: iShippedDate}, "delivered_date": {at: iDeliveredDate},
		"purchaseconfirmation_date": {at: iPurchaseConfirmationDate},
		"cancel_request_date":       {at: iCancelRequestDate}, "cancel_date": {at: iCancelDate},
		"return_request_date": {at: iReturnRequestDate}, "return_collected_date": {at: iReturnCollectedDate},
		"refund_date": {at: iRefundDate}, "exchange_request_date": {at: iExchangeRequestDate},
		"shipping_code":    {at: iShippingCode},
		"original_item_no": {at: iOriginalItemNo, numbers: true},
	}
)

// members decodes an object at d.i, putting the values of the members named in set into dst
// (nested members into o) and skipping the others. A member named twice fails the object
// (encoding/json then decides).
func (d *fastDec) members(set fieldSet, dst []span, o *orderSpans) bool {
	if d.peek() != '{' {
		return false
	}
	d.i++
	var seen uint64
	c := d.peek()
	if c == '}' {
		d.i++
		return true
	}
	for {
		k, plain, ok := d.key(c)
		if !ok || !plain {
			return false
		}
		switch f, known := set[string(k)]; {
		case !known:
			ok = d.skip(1)
		case !once(&seen, 1<<f.at):
			ok = false
		case f.nested != nil:
			ok = f.nested(d, o)
		case f.number:
			ok = d.number(&dst[f.at])
		case f.numbers:
			ok = d.numberList(&dst[f.at])
		default:
			ok = d.string(&dst[f.at])
		}
		if !ok {
			return false
		}
		var more bool
		if c, more, ok = d.next('}'); !ok || !more {
			return ok
		}
	}
}

// openArray consumes null, an empty array, or the '[' of an array with elements: elems is
// true when an element follows, ok false when the value is none of those.
func (d *fastDec) openArray() (elems, ok bool) {
	switch d.peek() {
	case 'n':
		return false, d.lit("null")
	case '[':
	default:
		return false, false
	}
	d.i++
	if d.peek() == ']' {
		d.i++
		return false, true
	}
	return true, true
}

// rawList decodes a rawList: null or an empty array leave it nil; the elements of any other
// array are kept raw, as spans of the page, each without the whitespace around it.
func (d *fastDec) rawList(out *[]span) bool {
	*out = nil
	if elems, ok := d.openArray(); !elems {
		return ok
	}
	for {
		s := d.i
		if !d.skip(1) {
			return false
		}
		*out = append(*out, span{int32(s), int32(d.i)})
		if _, more, ok := d.next(']'); !ok || !more {
			return ok
		}
	}
}

// numberList decodes an itemNoList into the arena as its numbers separated by commas: null or
// an empty array leave it empty. Arrays holding anything but numbers (encoding/json also takes
// null elements and strings holding numbers) are left to encoding/json.
func (d *fastDec) numberList(sp *span) bool {
	if elems, ok := d.openArray(); !elems {
		return ok
	}
	off := int32(len(d.arena))
	for {
		if c := d.peek(); c != '-' && (c < '0' || c > '9') {
			return false
		}
		s := d.i
		if !d.num() {
			return false
		}
		if int32(len(d.arena)) > off {
			d.arena = append(d.arena, ',')
		}
		d.arena = append(d.arena, d.b[s:d.i]...)
		_, more, ok := d.next(']')
		if !ok {
			return false
		}
		if !more {
			*sp = span{off, int32(len(d.arena))}
			return true
		}
	}
}

// amounts decodes actual_order_amount: an object or null.
func (d *fastDec) amounts(o *orderSpans) bool {
	if d.peek() == 'n' {
		o.hasAmounts = false
		return d.lit("null")
	}
	o.hasAmounts = true
	return d.members(amountMembers, o.amounts[:], nil)
}

// buyer decodes buyer: an object or null.
func (d *fastDec) buyer(o *orderSpans) bool {
	if d.peek() == 'n' {
		o.hasBuyer = false
		return d.lit("null")
	}
	o.hasBuyer = true
	return d.members(buyerMembers, o.buyer[:], nil)
}

// list decodes an array of objects at d.i, calling elem for each object or null element
// (encoding/json keeps a zero element for null). It leaves arrays of other values to
// encoding/json.
func (d *fastDec) list(state *int, elem func(null bool) bool) bool {
	switch d.peek() {
	case 'n':
		*state = listNil
		return d.lit("null")
	case '[':
	default:
		return false
	}
	*state = listArray
	d.i++
	if d.peek() == ']' {
		d.i++
		return true
	}
	for {
		switch d.peek() {
		case '{':
			if !elem(false) {
				return false
			}
		case 'n':
			if !d.lit("null") || !elem(true) {
				return false
			}
		default:
			return false
		}
		_, more, ok := d.next(']')
		if !ok || !more {
			return ok
		}
	}
}

func (d *fastDec) receiverList(o *orderSpans) bool {
	return d.list(&o.receivers, func(null bool) bool {
		d.receivers = append(d.receivers, [rFields]span{})
		return null || d.members(receiverMembers, d.receivers[len(d.receivers)-1][:], nil)
	})
}

func (d *fastDec) itemList(o *orderSpans) bool {
	return d.list(&o.items, func(null bool) bool {
		d.items = append(d.items, [iFields]span{})
		return null || d.members(itemMembers, d.items[len(d.items)-1][:], nil)
	})
}
