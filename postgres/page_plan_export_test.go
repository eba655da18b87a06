package postgres

import (
	"context"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ExplainPageUpserts returns the JSON plans (EXPLAIN, not run) of the page's line and claim
// upserts for n incoming records of the mall, for the plan tests.
func ExplainPageUpserts(ctx context.Context, db *sqlx.DB, mallID int64, n int) (lines, claims []byte, err error) {
	ids, nums := make([]string, n), make([]int64, n)
	for i := range ids {
		ids[i], nums[i] = "X"+strconv.Itoa(i), 1
	}
	text, ints := textArray(ids), pq.Array(nums)
	args := []any{mallID}
	for i := 2; i <= 26; i++ {
		if i >= 13 && i <= 15 {
			args = append(args, ints)
		} else {
			args = append(args, text)
		}
	}
	if err := db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+upsertLinesSQL, args...).Scan(&lines); err != nil {
		return nil, nil, err
	}
	if err := db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+upsertClaimsSQL, args[:14]...).Scan(&claims); err != nil {
		return nil, nil, err
	}
	return lines, claims, nil
}

// ExplainLineTimeline returns the JSON plan (EXPLAIN, not run) of an order page's line
// timeline, for the plan tests.
func ExplainLineTimeline(ctx context.Context, q sqlx.QueryerContext, mallID int64, orderID string) ([]byte, error) {
	var plan []byte
	err := q.QueryRowxContext(ctx, `EXPLAIN (FORMAT JSON) `+lineTimelineSQL, mallID, orderID).Scan(&plan)
	return plan, err
}
