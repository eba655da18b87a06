package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/mallsync/mallsync"
)

// OrderReader implements mallsync.OrderReader: the agents' search box over every mall's orders
// and the order page. Every arm of a search is an index probe (migrations/00010_order_search.sql).
type OrderReader struct {
	db *sqlx.DB
}

// NewOrderReader returns an OrderReader over db.
func NewOrderReader(db *sqlx.DB) *OrderReader {
	return &OrderReader{db: db}
}

// searchTerms is what a search text is looked up as; an empty field is not looked up.
type searchTerms struct {
	// Exact are the texts matched exactly as an order or tracking number: the text as typed and
	// without its spaces and dashes.
	Exact []string
	// PhoneLast4 is four digits matched as the end of a phone; Phone all of a phone's digits.
	PhoneLast4 string
	Phone      string
	// Name is matched as a buyer's or receiver's name or its prefix; Product as a part of a
	// product name.
	Name    string
	Product string
}

// classifySearch says what an agent's search text is looked up as. Digits alone (spaces and
// dashes ignored) are an order or tracking number, and a phone's last four (4 digits) or all
// its digits (9 to 11 starting with 0). A single word with digits ("20261101-0000012",
// "R20260702-0000001") is an order or tracking number. Anything else is a name and a product.
func classifySearch(text string) (searchTerms, error) {
	t := strings.TrimSpace(text)
	if utf8.RuneCountInString(t) < 2 {
		return searchTerms{}, mallsync.Errorf(mallsync.EINVALID,
			"search for at least two characters: an order, tracking or phone number, a name or a product")
	}
	compact := strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, t)
	exact := []string{t}
	if compact != t && compact != "" {
		exact = append(exact, compact)
	}
	var s searchTerms
	switch {
	case compact != "" && allDigits(compact):
		s.Exact = exact
		switch n := len(compact); {
		case n == 4:
			s.PhoneLast4 = compact
		case n >= 9 && n <= 11 && compact[0] == '0':
			s.Phone = compact
		}
	case !strings.ContainsFunc(t, unicode.IsSpace) && strings.ContainsFunc(t, unicode.IsDigit):
		s.Exact = exact
	default:
		// An order number of a platform that uses letters only is still found.
		s.Exact, s.Name, s.Product = []string{t}, t, t
	}
	return s, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// shortProductWindow is how many of the newest lines a two-character product search reads.
const shortProductWindow = 200_000

// likeEscaper makes user text literal in a LIKE pattern (backslash is LIKE's default escape).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// searchArgs numbers a query's bound parameters.
type searchArgs []any

func (a *searchArgs) bind(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// searchSQL builds the search: one arm per way the terms can match, each an index probe cut
// to the limit newest first, UNION ALL; each order keeps its first arm's matched_by, then
// the newest orders are read with their lines' summary. Only fragments written here go into
// the text; every value is bound.
func searchSQL(s searchTerms, mallID int64, limit int) (string, []any) {
	var args searchArgs
	lim := args.bind(limit)
	mall := ""
	if mallID != 0 {
		mall = " AND o.mall_id = " + args.bind(mallID)
	}
	var arms []string
	arm := func(matchedBy, from, where string) {
		arms = append(arms, fmt.Sprintf(`(SELECT o.id, %d AS arm, '%s' AS matched_by, o.ordered_at FROM %s
		WHERE %s%s ORDER BY o.ordered_at DESC LIMIT %s)`, len(arms), matchedBy, from, where, mall, lim))
	}
	const (
		orders     = `orders o`
		lineOrders = `order_lines l JOIN orders o ON o.mall_id = l.mall_id AND o.platform_order_id = l.platform_order_id`
		shipOrders = `shipments s JOIN orders o ON o.mall_id = s.mall_id AND o.platform_order_id = s.platform_order_id`
	)
	if len(s.Exact) > 0 {
		exact := args.bind(pq.Array(s.Exact))
		arm("order", orders, `o.platform_order_id = ANY(`+exact+`)`)
		arm("tracking", lineOrders, `l.tracking_no = ANY(`+exact+`) AND l.tracking_no <> ''`)
		arm("tracking", shipOrders, `s.tracking_no = ANY(`+exact+`) AND s.tracking_no <> ''`)
	}
	if s.Phone != "" {
		// through the last-four index, then the whole number
		p, last4 := args.bind(s.Phone), args.bind(s.Phone[len(s.Phone)-4:])
		arm("phone", orders, `right(phone_digits(o.buyer_phone), 4) = `+last4+` AND phone_digits(o.buyer_phone) = `+p+` AND o.buyer_phone <> ''`)
		arm("phone", orders, `right(phone_digits(o.receiver_phone), 4) = `+last4+` AND phone_digits(o.receiver_phone) = `+p+` AND o.receiver_phone <> ''`)
	}
	if s.PhoneLast4 != "" {
		p := args.bind(s.PhoneLast4)
		arm("phone", orders, `right(phone_digits(o.buyer_phone), 4) = `+p+` AND o.buyer_phone <> ''`)
		arm("phone", orders, `right(phone_digits(o.receiver_phone), 4) = `+p+` AND o.receiver_phone <> ''`)
	}
	if s.Name != "" {
		p := args.bind(likeEscaper.Replace(s.Name) + "%")
		arm("name", orders, `o.buyer_name LIKE `+p+` AND o.buyer_name <> ''`)
		arm("name", orders, `o.receiver_name LIKE `+p+` AND o.receiver_name <> ''`)
	}
	if s.Product != "" {
		// The newest matching lines first (a line's id is the order it was first stored in),
		// cut to the limit before the join: a common word ("니트") stops after a few hundred
		// lines instead of joining and sorting every one of its hundred thousand; a rare one
		// comes from the trigram index. Two characters make no trigram, so no index can find
		// them: they read the newest shortProductWindow lines at most.
		var where string
		if utf8.RuneCountInString(s.Product) >= 3 {
			where = `l.product_name ILIKE ` + args.bind("%"+likeEscaper.Replace(s.Product)+"%")
		} else {
			// strpos, not ILIKE: the planner would otherwise read the whole trigram index,
			// which answers every row for a pattern with no trigram. Text without case (Hangul,
			// digits) skips lower(), the dearest part of reading a line here.
			match := `strpos(l.product_name, ` + args.bind(s.Product) + `) > 0`
			if strings.ToLower(s.Product) != strings.ToUpper(s.Product) {
				match = `strpos(lower(l.product_name), lower(` + args.bind(s.Product) + `)) > 0`
			}
			where = match + ` AND l.id > (SELECT coalesce(max(id), 0) FROM order_lines) - ` + args.bind(shortProductWindow)
		}
		if mallID != 0 {
			where += ` AND l.mall_id = ` + args.bind(mallID)
		}
		arms = append(arms, fmt.Sprintf(`(SELECT o.id, %d AS arm, 'product' AS matched_by, o.ordered_at FROM (
			SELECT l.mall_id, l.platform_order_id FROM order_lines l WHERE %s ORDER BY l.id DESC LIMIT %s) pl
		JOIN orders o ON o.mall_id = pl.mall_id AND o.platform_order_id = pl.platform_order_id)`, len(arms), where, lim))
	}
	q := `
	WITH hits AS (
		` + strings.Join(arms, "\n\t\tUNION ALL\n\t\t") + `
	), firsts AS (
		SELECT DISTINCT ON (id) id, matched_by, ordered_at FROM hits ORDER BY id, arm
	), top AS (
		SELECT id, matched_by FROM firsts ORDER BY ordered_at DESC, id DESC LIMIT ` + lim + `
	)
	SELECT m.key AS mall, m.name AS mall_name, m.platform, o.platform_order_id, o.ordered_at,
		o.buyer_name, o.buyer_phone, o.receiver_name, o.receiver_phone, o.payment_amount,
		top.matched_by, ls.lines, ls.product, ls.statuses, ls.platform_statuses
	FROM top
	JOIN orders o ON o.id = top.id
	JOIN malls m ON m.id = o.mall_id
	CROSS JOIN LATERAL (
		SELECT count(*) AS lines, coalesce((array_agg(l.product_name ORDER BY l.id))[1], '') AS product,
			coalesce(array_agg(l.status ORDER BY l.id), '{}') AS statuses,
			coalesce(array_agg(l.platform_status ORDER BY l.id), '{}') AS platform_statuses
		FROM order_lines l WHERE l.mall_id = o.mall_id AND l.platform_order_id = o.platform_order_id
	) ls
	ORDER BY o.ordered_at DESC, o.id DESC`
	return q, args
}

type orderHitRow struct {
	Mall             string         `db:"mall"`
	MallName         string         `db:"mall_name"`
	Platform         string         `db:"platform"`
	OrderID          string         `db:"platform_order_id"`
	OrderedAt        time.Time      `db:"ordered_at"`
	BuyerName        string         `db:"buyer_name"`
	BuyerPhone       string         `db:"buyer_phone"`
	ReceiverName     string         `db:"receiver_name"`
	ReceiverPhone    string         `db:"receiver_phone"`
	Payment          int64          `db:"payment_amount"`
	MatchedBy        string         `db:"matched_by"`
	Lines            int            `db:"lines"`
	Product          string         `db:"product"`
	Statuses         pq.StringArray `db:"statuses"`
	PlatformStatuses pq.StringArray `db:"platform_statuses"`
}

func (r orderHitRow) toDomain() mallsync.OrderHit {
	h := mallsync.OrderHit{Mall: mallsync.MallKey(r.Mall), MallName: r.MallName, Platform: mallsync.Platform(r.Platform),
		PlatformOrderID: r.OrderID, OrderedAt: r.OrderedAt.UTC(), BuyerName: r.BuyerName, BuyerPhone: r.BuyerPhone,
		ReceiverName: r.ReceiverName, ReceiverPhone: r.ReceiverPhone, PaymentAmount: mallsync.Money(r.Payment),
		Lines: r.Lines, Product: r.Product, PlatformStatuses: distinct(r.PlatformStatuses), MatchedBy: r.MatchedBy}
	for _, s := range distinct(r.Statuses) {
		h.Statuses = append(h.Statuses, mallsync.LineStatus(s))
	}
	return h
}

// distinct returns ss without repeats, in their first order.
func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// SearchOrders implements mallsync.OrderReader. It returns EINVALID for a text of fewer than
// two characters and ENOTFOUND for an unknown q.Mall; no hit is an empty list.
func (r *OrderReader) SearchOrders(ctx context.Context, q mallsync.OrderQuery) ([]mallsync.OrderHit, error) {
	terms, err := classifySearch(q.Text)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = mallsync.DefaultOrderHits
	case limit > mallsync.MaxOrderHits:
		limit = mallsync.MaxOrderHits
	}
	var mallID int64
	if q.Mall != "" {
		if mallID, err = r.mallID(ctx, q.Mall); err != nil {
			return nil, err
		}
	}
	query, args := searchSQL(terms, mallID, limit)
	var rows []orderHitRow
	if err := r.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("searching orders: %w", interpret(err))
	}
	hits := make([]mallsync.OrderHit, len(rows))
	for i, row := range rows {
		hits[i] = row.toDomain()
	}
	return hits, nil
}

// mallID returns the row id of the mall with key, or ENOTFOUND.
func (r *OrderReader) mallID(ctx context.Context, key mallsync.MallKey) (int64, error) {
	var id int64
	if err := r.db.GetContext(ctx, &id, `SELECT id FROM malls WHERE key = $1`, string(key)); err != nil {
		if mallsync.ErrorCode(interpret(err)) == mallsync.ENOTFOUND {
			return 0, mallsync.Errorf(mallsync.ENOTFOUND, "no mall %q", key)
		}
		return 0, fmt.Errorf("looking up mall %s: %w", key, interpret(err))
	}
	return id, nil
}

var _ mallsync.OrderReader = (*OrderReader)(nil)
