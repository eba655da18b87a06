package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lib/pq"

	"github.com/mallsync/mallsync/postgres"
	"github.com/mallsync/mallsync/postgres/pgtest"
)

// TestTextArrayRoundTrip sends each case to PostgreSQL and reads it back.
func TestTextArrayRoundTrip(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	for _, c := range postgres.TextArrayCases {
		var back pq.StringArray
		if err := db.QueryRowContext(context.Background(), `SELECT $1::text[]`, postgres.TextArray(c)).Scan(&back); err != nil {
			t.Fatalf("%q: %v", c, err)
		}
		if len(c) == 0 && len(back) == 0 {
			continue
		}
		if !reflect.DeepEqual([]string(back), c) {
			t.Errorf("round trip of %q gave %q", c, back)
		}
	}
}
