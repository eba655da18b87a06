package postgres_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// BenchmarkOrderSearch1M seeds 1,000,000 order lines and measures the console's search per kind
// of text, and order detail reads, as p50 and p95 latency. Run it with
//
//	go test -run '^$' -bench BenchmarkOrderSearch1M -benchtime 1x -timeout 30m ./postgres/
func BenchmarkOrderSearch1M(b *testing.B) {
	ctx := context.Background()
	db := pgtest.DB(b)
	malls := postgres.NewMallStore(db)
	for _, m := range []mallsync.Mall{
		{Key: "cafe24-a", Name: "카페24 A", Platform: mallsync.PlatformCafe24},
		{Key: "smartstore-b", Name: "스마트스토어 B", Platform: mallsync.PlatformSmartStore},
		{Key: "coupang-c", Name: "쿠팡 C", Platform: mallsync.PlatformCoupang},
	} {
		if err := malls.PutMall(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	// ~500,000 orders of 2 lines each over three malls, with Korean names, 010 phones, product
	// names, tracking numbers, shipments and status events, written straight with INSERT ...
	// SELECT over generate_series (through ApplyPage it would take an hour). Names and numbers
	// are pseudo-random but fixed, so runs compare.
	start := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`SET maintenance_work_mem = '256MB'`,
		`SET work_mem = '64MB'`,
		`SET synchronous_commit = off`,
		// order g: mall g % 3; Cafe24 numbers its orders by day, the others with numeric ids
		`INSERT INTO orders (mall_id, platform_order_id, ordered_at, paid_at, buyer_name, buyer_phone, buyer_email,
			receiver_name, receiver_phone, receiver_zipcode, receiver_address, payment_amount, shipping_fee, changed_at, raw, raw_hash)
		SELECT m.id,
			CASE m.platform WHEN 'cafe24' THEN to_char(at, 'YYYYMMDD') || '-' || lpad(g::text, 7, '0')
				WHEN 'smartstore' THEN (2025000000000000 + g)::text ELSE (3000000000 + g)::text END,
			at, at, bn, bp, 'b' || g || '@example.com',
			CASE WHEN g % 10 < 7 THEN bn ELSE rn END, CASE WHEN g % 10 < 7 THEN bp ELSE rp END,
			'06236', '서울특별시 강남구 테헤란로 ' || (g % 500) || '길', 19000 + (g % 50) * 1000, 3000, at,
			'{"order_id":"' || g || '"}', md5(g::text)
		FROM generate_series(1::bigint, 500000) g
		CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00+09' + g * interval '1 minute' AS at,
			(ARRAY['김','이','박','최','정','강','조','윤','장','임','한','오','서','신','권','황','안','송','류','홍'])[1 + (g * 7) % 20]
			|| (ARRAY['민준','서연','도윤','지우','하준','서윤','시우','하은','지호','민서','준서','지민','예준','수아','건우','채원',
				'현우','지유','우진','소율','선우','다은','연우','예은','유준','수빈','정우','지아','승우','서아'])[1 + ((g / 20) * 13) % 30] AS bn,
			(ARRAY['김','이','박','최','정'])[1 + (g * 3) % 5] || (ARRAY['하늘','보람','나래','새롬','가람','다솜','한결','슬기'])[1 + (g * 11) % 8] AS rn,
			'010-' || lpad(((g * 7919) % 10000)::text, 4, '0') || '-' || lpad(((g * 104729 + 17) % 10000)::text, 4, '0') AS bp,
			'010-' || lpad(((g * 31) % 10000)::text, 4, '0') || '-' || lpad(((g * 65537 + 3) % 10000)::text, 4, '0') AS rp) v
		JOIN malls m ON m.key = (ARRAY['cafe24-a','smartstore-b','coupang-c'])[1 + g % 3]`,
		`INSERT INTO order_lines (mall_id, platform_order_id, platform_line_id, product_no, sku, product_name, option_value,
			quantity, unit_price, payment_amount, status, platform_status, ownership, carrier_code, tracking_no, shipped_at, changed_at,
			first_status, first_platform_code, first_changed_at, first_seen_at)
		SELECT o.mall_id, o.platform_order_id, o.platform_order_id || '-0' || k, (o.id * 2 + k) % 600 + 1, 'SKU' || ((o.id * 2 + k) % 600),
			(ARRAY['울','면','린넨','캐시미어','오버핏','슬림핏','기모','데님','경량','니트'])[1 + (o.id * 7 + k * 3) % 10] || ' ' ||
			(ARRAY['스웨터','가디건','셔츠','티셔츠','양말 3종','운동화','슬랙스','원피스','패딩 점퍼','후드티','청바지','머플러'])[1 + (o.id * 5 + k * 7) % 12] || ' ' ||
			(ARRAY['블랙','화이트','네이비','베이지','그레이'])[1 + ((o.id * 2 + k) * 3) % 5],
			(ARRAY['S','M','L','XL'])[1 + (o.id + k) % 4], 1, 15000, 15000,
			st.status, st.code, 'direct',
			CASE WHEN st.shipped THEN '0004' ELSE '' END,
			CASE WHEN st.shipped THEN (600000000000 + o.id)::text ELSE '' END,
			CASE WHEN st.shipped THEN o.ordered_at + interval '1 day' END, o.ordered_at + interval '1 day',
			'paid', 'N10', o.ordered_at, now()
		FROM orders o CROSS JOIN generate_series(1, 2) k
		CROSS JOIN LATERAL (SELECT (ARRAY['paid','preparing','shipped','delivered','confirmed','canceled'])[1 + o.id % 6] AS status,
			(ARRAY['N10','N20','N30','N40','N40','C40'])[1 + o.id % 6] AS code, o.id % 6 IN (2, 3, 4) AS shipped) st
		ORDER BY o.id, k`,
		`INSERT INTO line_status_changes (line_id, changed_at, platform_code, from_status, to_status, applied)
		SELECT l.id, l.changed_at, l.platform_status, 'paid', l.status, true FROM order_lines l WHERE l.status <> 'paid'`,
		`INSERT INTO shipments (mall_id, platform_shipment_id, platform_order_id, kind, carrier_code, tracking_no, platform_status, shipped_at, changed_at, line_ids)
		SELECT l.mall_id, 'D-' || l.platform_order_id, l.platform_order_id, 'forward', l.carrier_code, l.tracking_no, 'M', l.shipped_at, l.changed_at,
			ARRAY(SELECT s.platform_line_id FROM order_lines s WHERE s.mall_id = l.mall_id AND s.platform_order_id = l.platform_order_id
				AND s.tracking_no <> '' ORDER BY s.platform_line_id COLLATE "C")
		FROM order_lines l WHERE l.tracking_no <> '' AND l.platform_line_id LIKE '%-01'`,
		`VACUUM ANALYZE orders`, `VACUUM ANALYZE order_lines`, `ANALYZE line_status_changes`, `ANALYZE shipments`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatalf("seeding: %v\n%s", err, q)
		}
	}
	conn.Close()
	seeding := time.Since(start)
	b.Logf("seeded 500,000 orders, 1,000,000 lines in %v", seeding.Round(time.Second))

	// The queries: fixed samples of each kind (seeded), drawn from what was written.
	rng := rand.New(rand.NewPCG(1, 2))
	var samples []struct {
		Mall     string `db:"key"`
		Order    string `db:"platform_order_id"`
		Phone    string `db:"buyer_phone"`
		Name     string `db:"buyer_name"`
		Receiver string `db:"receiver_name"`
		Tracking string `db:"tracking_no"`
	}
	ids := make([]int64, 60)
	for i := range ids {
		ids[i] = 1 + rng.Int64N(500000)
	}
	if err := db.SelectContext(ctx, &samples, `
		SELECT m.key, o.platform_order_id, o.buyer_phone, o.buyer_name, o.receiver_name,
			coalesce((SELECT max(l.tracking_no) FROM order_lines l WHERE l.mall_id = o.mall_id AND l.platform_order_id = o.platform_order_id), '') AS tracking_no
		FROM orders o JOIN malls m ON m.id = o.mall_id WHERE o.id = ANY($1) ORDER BY o.id`, pq.Array(ids)); err != nil {
		b.Fatal(err)
	}
	queries := map[string][]string{}
	for _, s := range samples {
		queries["order"] = append(queries["order"], s.Order)
		queries["phone4"] = append(queries["phone4"], s.Phone[len(s.Phone)-4:])
		queries["phone"] = append(queries["phone"], s.Phone)
		queries["name"] = append(queries["name"], s.Name)
		queries["name_prefix"] = append(queries["name_prefix"], string([]rune(s.Receiver)[:2]))
		if s.Tracking != "" {
			queries["tracking"] = append(queries["tracking"], s.Tracking)
		}
	}
	queries["product"] = []string{"니트", "가디건", "울 스웨터", "캐시미어", "패딩 점퍼", "운동화 블랙", "양말", "후드티 그레이",
		"린넨 셔츠", "청바지", "머플러 네이비", "데님", "없는상품", "기모 슬랙스"}
	if file := os.Getenv("MALLSYNC_EXPLAIN"); file != "" { // the plans of one query of each kind into file, to tune the indexes
		var out strings.Builder
		for _, kind := range slices.Sorted(maps.Keys(queries)) {
			texts := queries[kind]
			q, args, err := postgres.SearchSQL(texts[0], mallsync.DefaultOrderHits)
			if err != nil {
				b.Fatal(err)
			}
			var plan []string
			if err := db.SelectContext(ctx, &plan, "EXPLAIN (ANALYZE, BUFFERS) "+q, args...); err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(&out, "%s %q:\n%s\n%s\n\n", kind, texts[0], q, strings.Join(plan, "\n"))
		}
		if err := os.WriteFile(file, []byte(out.String()), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	reader := postgres.NewOrderReader(db)
	kinds := []string{"order", "phone4", "phone", "name", "name_prefix", "tracking", "product", "detail"}
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, kind := range kinds {
			if kind == "detail" {
				for _, s := range samples {
					t := time.Now()
					if _, err := reader.OrderDetail(ctx, mallsync.MallKey(s.Mall), s.Order); err != nil {
						b.Fatal(err)
					}
					lat[kind] = append(lat[kind], time.Since(t))
				}
				continue
			}
			for _, text := range queries[kind] {
				t := time.Now()
				hits, err := reader.SearchOrders(ctx, mallsync.OrderQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				if len(hits) == 0 && text != "없는상품" {
					var lines, maxID int64
					_ = db.GetContext(ctx, &maxID, `SELECT coalesce(max(id), 0) FROM order_lines`)
					_ = db.GetContext(ctx, &lines, `SELECT count(*) FROM order_lines WHERE product_name ILIKE '%' || $1 || '%'`, text)
					b.Fatalf("%s %q: no hit (%d lines hold it; the newest line id is %d)", kind, text, lines, maxID)
				}
				lat[kind] = append(lat[kind], time.Since(t))
			}
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	var all []time.Duration
	for _, kind := range kinds {
		d := slices.Clone(lat[kind])
		slices.Sort(d)
		all = append(all, d...)
		p50, p95 := d[len(d)/2], d[len(d)*95/100]
		b.ReportMetric(ms(p50), kind+"_p50_ms")
		b.ReportMetric(ms(p95), kind+"_p95_ms")
		b.Logf("%-12s n=%4d  p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms", kind, len(d), ms(p50), ms(p95), ms(d[len(d)-1]))
	}
	slices.Sort(all)
	b.ReportMetric(ms(all[len(all)/2]), "p50_ms")
	b.ReportMetric(ms(all[len(all)*95/100]), "p95_ms")
	b.ReportMetric(seeding.Seconds(), "seed_s")
}
