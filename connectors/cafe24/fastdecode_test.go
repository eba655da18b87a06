package cafe24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

// refDecode is the reference: encoding/json's streaming decoder into the typed structs
// (decodeStd, which DecodeBody also falls back to).
func refDecode(body []byte) (ordersPage, error) {
	var p ordersPage
	err := p.decodeStd(body)
	return p, err
}

// compareDecoders decodes body with both decoders and reports any difference in the decoded
// orders or in the mapped page. It returns whether the fast path decoded body by itself.
func compareDecoders(t testing.TB, body []byte) (fast bool) {
	t.Helper()
	want, werr := refDecode(body)
	var got ordersPage
	fast = got.decodeFast(body)
	if !fast {
		gerr := got.DecodeBody(body)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("error %v, want %v", gerr, werr)
		}
	} else if werr != nil {
		t.Fatalf("fast path decoded a body encoding/json rejects (%v): %q", werr, body)
	}
	if werr != nil {
		return fast
	}
	if len(got.Orders) != len(want.Orders) {
		t.Fatalf("%d orders, want %d", len(got.Orders), len(want.Orders))
	}
	for i := range want.Orders {
		g, w := &got.Orders[i], &want.Orders[i]
		if !sameSlice(g.raw, w.raw) {
			t.Fatalf("order %d: raw %q, want %q", i, g.raw, w.raw)
		}
		if fmt.Sprint(g.err) != fmt.Sprint(w.err) {
			t.Fatalf("order %d: err %v, want %v", i, g.err, w.err)
		}
		if !reflect.DeepEqual(normFields(g.f), normFields(w.f)) {
			t.Fatalf("order %d: fields\n%+v\nwant\n%+v", i, g.f, w.f)
		}
	}
	m := testMapper()
	gp, wp := m.mapOrders(got.Orders), m.mapOrders(want.Orders)
	comparePages(t, gp, wp)
	return fast
}

// normFields makes empty slices nil: encoding/json gives []T{} for [] and nil for null, and so
// does the fast path, but reflect.DeepEqual would not tell a difference that matters here from
// one that does not. Lengths are compared all the same.
func normFields(f orderFields) orderFields {
	if len(f.Items) == 0 {
		f.Items = nil
	}
	if len(f.Receivers) == 0 {
		f.Receivers = nil
	}
	return f
}

// sameSlice reports whether a and b are the same bytes of the same array.
func sameSlice(a, b []byte) bool {
	if len(a) != len(b) || cap(a) != cap(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

func comparePages(t testing.TB, got, want mallsync.Page) {
	t.Helper()
	if len(got.Orders) != len(want.Orders) || len(got.Rejects) != len(want.Rejects) {
		t.Fatalf("%d orders %d rejects, want %d and %d", len(got.Orders), len(got.Rejects), len(want.Orders), len(want.Rejects))
	}
	for i := range want.Orders {
		g, w := got.Orders[i], want.Orders[i]
		if !sameSlice(g.Raw, w.Raw) {
			t.Fatalf("order %s: Raw differs", w.PlatformOrderID)
		}
		if len(g.Lines) != len(w.Lines) {
			t.Fatalf("order %s: %d lines, want %d", w.PlatformOrderID, len(g.Lines), len(w.Lines))
		}
		for j := range w.Lines {
			if !reflect.DeepEqual(g.Lines[j], w.Lines[j]) {
				t.Fatalf("order %s line %d:\n%+v\nwant\n%+v", w.PlatformOrderID, j, g.Lines[j], w.Lines[j])
			}
		}
		g.Lines, w.Lines = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("order %d:\n%+v\nwant\n%+v", i, g, w)
		}
	}
	for i := range want.Rejects {
		g, w := got.Rejects[i], want.Rejects[i]
		// An order's raw is cut from the page by both decoders (the same bytes of the same
		// array); a claim's is a copy in encoding/json's and a cut in the fast path's (the same
		// bytes).
		sameRaw := sameSlice(g.Raw, w.Raw)
		if w.Resource == "claim" {
			sameRaw = bytes.Equal(g.Raw, w.Raw)
		}
		if g.Resource != w.Resource || g.PlatformID != w.PlatformID || g.Reason != w.Reason || !sameRaw {
			t.Fatalf("reject %d: %s %s %q, want %s %s %q", i, g.Resource, g.PlatformID, g.Reason, w.Resource, w.PlatformID, w.Reason)
		}
	}
}

// TestFastDecodeSimulatorPages compares the fast decoder with encoding/json on simulator pages.
func TestFastDecodeSimulatorPages(t *testing.T) {
	t.Parallel()
	pages := simPages(t)
	orders := 0
	for i, body := range pages {
		if !compareDecoders(t, body) {
			t.Errorf("page %d: the fast path gave up on a simulator page", i)
		}
		p, _ := decodePage(body)
		orders += len(p.Orders)
		if p.slow != 0 {
			t.Errorf("page %d: the fast path handed %d of %d orders to encoding/json", i, p.slow, len(p.Orders))
		}
		if page := testMapper().mapOrders(p.Orders); len(page.Rejects) != 0 {
			t.Errorf("page %d: %d rejects, first %s", i, len(page.Rejects), page.Rejects[0].Reason)
		}
	}
	if orders < 1000 {
		t.Errorf("only %d orders in the simulator pages", orders)
	}
}

// TestFastDecodeVariants rewrites simulator and test orders in ways valid JSON allows (escapes,
// whitespace, nulls, odd keys and types) and compares the decoders on each.
func TestFastDecodeVariants(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile("testdata/orders_page.json")
	if err != nil {
		t.Fatal(err)
	}
	sim := simPages(t)[0]
	p, _ := refDecode(sim)
	var orders []string
	for _, o := range p.Orders[:20] {
		orders = append(orders, string(o.raw))
	}
	one := string(testOrderJSON("20250701-0000001", kstTime(2025, 7, 1, 10, 0, 0), map[string]time.Time{"pay_date": kstTime(2025, 7, 1, 10, 0, 0)}, "N10", "N40"))
	orders = append(orders, one)
	page := func(os ...string) []byte { return []byte(`{"orders":[` + strings.Join(os, ",") + `],"links":[]}`) }

	// escapeAll writes every character of every string in s as \uXXXX (surrogate pairs above
	// the BMP), the way a strict ASCII encoder would.
	escapeAll := func(s string) string {
		var v any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				b.WriteByte('{')
				first := true
				for k, e := range v {
					if !first {
						b.WriteByte(',')
					}
					first = false
					fmt.Fprintf(&b, "%q:", k)
					walk(e)
				}
				b.WriteByte('}')
			case []any:
				b.WriteByte('[')
				for i, e := range v {
					if i > 0 {
						b.WriteByte(',')
					}
					walk(e)
				}
				b.WriteByte(']')
			case string:
				b.WriteByte('"')
				for _, r := range v {
					if r > 0xFFFF {
						r -= 0x10000
						fmt.Fprintf(&b, `\u%04x\u%04X`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
					} else {
						fmt.Fprintf(&b, `\u%04x`, r)
					}
				}
				b.WriteByte('"')
			case json.Number:
				b.WriteString(string(v))
			case nil:
				b.WriteString("null")
			default:
				fmt.Fprint(&b, v)
			}
		}
		walk(v)
		return b.String()
	}

	bodies := [][]byte{
		golden, sim, page(orders...),
		[]byte(`{}`), []byte(` { } `), []byte(`{"orders":null}`), []byte(`{"orders":[]}`),
		[]byte(`{"links":[],"orders":[` + one + `],"orders":[` + one + `]}`),
		[]byte(`{"orders":[` + one + `]} trailing`),
		[]byte(`{"orders":[` + one + `]`),
		[]byte(`{"orders":[` + one + `],}`),
		[]byte(`{"orders":[` + one + `,]}`),
		[]byte(`{"orders":[null,1,"x",[],{},true,{"order_id":null}]}`),
		[]byte(`{"orders":{}}`), []byte(`[]`), []byte(``), []byte(`{"orders":[{"items":[null,{"quantity":-0.5e+3}]}]}`),
		[]byte(`{"ord\u0065rs":[` + one + `]}`),
		[]byte("{\"orders\":[\"a\u0001\"]}"),
	}
	for _, o := range orders {
		variants := []string{
			escapeAll(o),
			strings.ReplaceAll(o, `,"`, " ,\n\t\"\r"),
			strings.ReplaceAll(o, `":`, `" : `),
			strings.Replace(o, `"order_id"`, `"ORDER_ID"`, 1),
			strings.Replace(o, `"order_id"`, `"order_\u0069d"`, 1),
			strings.Replace(o, `"items"`, `"Items"`, 1),
			strings.Replace(o, `"items"`, `"ıtems"`, 1),
			strings.Replace(o, `"quantity"`, `"quantıty"`, 1),
			strings.Replace(o, `"product_name"`, `"product_name":17,"product_name"`, 1),
			strings.Replace(o, `"product_name"`, `"product_name":null,"product_name"`, 1),
			strings.Replace(o, `"order_id"`, `"order_id":"x","order_id"`, 1),
			strings.Replace(o, `"buyer":`, `"buyer":{"name":"a","email":"b"},"buyer":`, 1),
			strings.Replace(o, `"items":[`, `"items":[{"product_no":5},`, 1),
			strings.Replace(o, `"items":[`, `"items":[null,`, 1),
			strings.Replace(o, `"items":[`, `"items":[1,`, 1),
			strings.Replace(o, `"receivers":[`, `"receivers":[null,`, 1),
			strings.Replace(o, `"receivers":[`, `"receivers":null,"x":[`, 1),
			strings.Replace(o, `"buyer":`, `"buyer":null,"x":`, 1),
			strings.Replace(o, `"actual_order_amount":`, `"actual_order_amount":null,"x":`, 1),
			strings.Replace(o, `"actual_order_amount":`, `"actual_order_amount":[],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"quantity":"3","x":`, 1),
			strings.Replace(o, `"quantity":`, `"quantity":"three","x":`, 1),
			strings.Replace(o, `"quantity":`, `"quantity":true,"x":`, 1),
			strings.Replace(o, `"quantity":`, `"quantity":1.5e2,"x":`, 1),
			strings.Replace(o, `"product_no":`, `"product_no":null,"x":`, 1),
			strings.Replace(o, `"order_status":"`, `"order_status":"\"`, 1),
			strings.Replace(o, `"product_name":"`, `"product_name":"\ud83d\ude00 \u00ea\/\\\b\f\n\r\t`, 1),
			strings.Replace(o, `"product_name":"`, `"product_name":"\ud83d`, 1),
			strings.Replace(o, `"product_name":"`, `"product_name":"\ude00\ud83d\u0041`, 1),
			strings.Replace(o, `"product_name":"`, "\"product_name\":\"\xff\xfe", 1),
			strings.Replace(o, `"product_name":"`, "\"product_name\":\"\xed\xa0\x80", 1),
			strings.Replace(o, `"product_name":"`, "\"product_name\":\"\\u0000", 1),
			strings.Replace(o, `"shop_no":`, `"shop_no":{"a":[1,2,{"b":null}],"c":-0.0e-0},"x":`, 1),
			strings.Replace(o, `"payment_amount":"`, `"payment_amount":"1`, 1),
			strings.Replace(o, `"order_date":"`, `"order_date":"x`, 1),
			strings.Replace(o, `"order_date":`, `"order_date":5,"x":`, 1),
			strings.Replace(o, `"items":`, `"items":{},"x":`, 1),
			strings.Replace(o, `"buyer":`, `"buyer":"b","x":`, 1),
			strings.Replace(o, `"order_id":`, `"order_id":01,"x":`, 1),
			strings.Replace(o, `"order_id":`, `"order_id":-,"x":`, 1),
			strings.Replace(o, `"order_id":`, `"order_id":tru,"x":`, 1),
			strings.Replace(o, `"order_id":"`, `"order_id":"\x`, 1),
			strings.Replace(o, `"order_id":"`, `"order_id":"\u12`, 1),
			// Claim lists and an exchange's original item numbers, in the shapes JSON allows.
			strings.Replace(o, `"buyer":`, `"cancellation":[ {"claim_code":"C1", "items":[1]} ,null, "x",[1, 2] , -0.5 ],"x":`, 1),
			strings.Replace(o, `"buyer":`, `"return":null,"exchange":[],"cancellation":[{}],"x":`, 1),
			strings.Replace(o, `"buyer":`, `"return":[{"a":1}],"return":[],"x":`, 1),
			strings.Replace(o, `"buyer":`, `"exchange":{},"x":`, 1),
			strings.Replace(o, `"buyer":`, `"exchange":5,"x":`, 1),
			strings.Replace(o, `"buyer":`, `"exchange":[{"a":tru}],"x":`, 1),
			strings.Replace(o, `"buyer":`, `"exchange":[1,],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[3, 14 ,-1, 2.5e1],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":null,"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[null],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":["3"],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[3,"x"],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[1],"original_item_no":[2],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":[01],"x":`, 1),
			strings.Replace(o, `"quantity":`, `"original_item_no":3,"x":`, 1),
			o[:len(o)/2],
		}
		for _, v := range variants {
			bodies = append(bodies, page(v, o), []byte(`{"orders":[`+v+`]}`))
		}
	}
	fast := 0
	for i, body := range bodies {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if compareDecoders(t, body) {
				fast++
			}
		})
	}
	t.Logf("%d of %d bodies decoded by the fast path alone", fast, len(bodies))
}

// TestFastDecodeStrings compares string decoding with encoding/json's.
func TestFastDecodeStrings(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		``, `abc`, `린넨 셔츠`, `\u00ea`, `\u00EA\u00e9`, `\"quoted\"`, `a\\b\/c`, `\b\f\n\r\t`,
		`\ud83d\ude00`, `\uD83D\uDE00x`, `\ud83d`, `\ude00`, `\ud83d\u0041`, `\ud83dx`, `\u0000`,
		`\u2028\u2029`, "\xff", "a\xc3", `\u d`, `\`, "\x01", `\ud83d\ud83d\ude00`,
	} {
		checkString(t, []byte(`"`+s+`"`))
	}
}

func checkString(t *testing.T, lit []byte) {
	t.Helper()
	var want string
	werr := json.Unmarshal(lit, &want)
	d := fastDec{b: lit}
	if _, _, _, ok := d.str(); !ok || d.i != len(lit) {
		if werr == nil && ok {
			t.Errorf("%q: fast path stops at %d, encoding/json reads it all", lit, d.i)
		}
		if werr == nil && !ok {
			t.Errorf("%q: fast path rejects a string encoding/json reads", lit)
		}
		return
	}
	if werr != nil {
		t.Errorf("%q: fast path reads a string encoding/json rejects: %v", lit, werr)
		return
	}
	d = fastDec{b: lit, arena: []byte("prefix")}
	var sp span
	if !d.string(&sp) {
		return // left to encoding/json
	}
	if d.i != len(lit) {
		t.Fatalf("%q: string stops at %d", lit, d.i)
	}
	if got := sp.of(string(d.arena)); got != want {
		t.Errorf("%q: %q, want %q", lit, got, want)
	}
}

func FuzzFastDecodeString(f *testing.F) {
	for _, s := range []string{`"\ud83d\ude00"`, `"\u00ea"`, `"린넨"`, `"a\"b"`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, lit []byte) {
		if len(lit) == 0 || lit[0] != '"' {
			return
		}
		checkString(t, lit)
	})
}

// FuzzFastDecode checks that the fast decoder agrees with encoding/json on any body.
func FuzzFastDecode(f *testing.F) {
	body, _ := os.ReadFile("testdata/orders_page.json")
	f.Add(body)
	one := testOrderJSON("20250701-0000001", kstTime(2025, 7, 1, 10, 0, 0), nil, "R00", "N10")
	f.Add([]byte(`{"orders":[` + string(one) + `]}`))
	f.Add([]byte(`{"orders":[` + strings.Replace(string(one), `"product_name":"`, `"product_name":"\ud83d\ude00\u00ea\"`, 1) + `]}`))
	f.Add([]byte(`{"orders":[null,{},{"order_id":1},{"items":[{}]},{"buyer":null,"receivers":[null]}]}`))
	f.Add([]byte(`{"orders":{}}`))
	f.Add([]byte(`{"orders":[{"items":[{"quantity":"2","Product_No":3}]}]} `))
	f.Add([]byte(`{"orders":[{"cancellation":[{"claim_code":"C1"}, null],"return":[],"items":[{"original_item_no":[3, 4]}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		compareDecoders(t, body)
	})
}
