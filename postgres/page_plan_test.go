package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/postgres"
)

// TestPageProbesStayIndexProbes checks that the line and claim upserts look up what is stored
// with one unique-index probe per incoming record, even when the table's statistics are from
// before a backfill (analyzed empty, thousands of rows since). Flattened into a join, the
// lookup became a scan of all the mall's lines or claims on every page: a backfill that
// slowed down with every page it wrote.
func TestPageProbesStayIndexProbes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	if _, err := b.db.ExecContext(ctx, `ANALYZE order_lines; ANALYZE claims`); err != nil {
		t.Fatal(err)
	}
	for p := range 4 {
		page := mallsync.Page{}
		for i := range 500 {
			id := fmt.Sprintf("20260701-%07d", p*500+i)
			page.Orders = append(page.Orders, order(id, t0, line(mallsync.LinePaid, "N10"), line(mallsync.LinePaid, "N10")))
			page.Claims = append(page.Claims, claim("R"+id, "requested", "R00", t0, id+"-01"))
		}
		apply(t, b, page)
	}
	mallID := mallIDOf(t, b)
	lines, claims, err := postgres.ExplainPageUpserts(ctx, b.db, mallID, 2000)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, table string
		plan        []byte
	}{{"lines", "order_lines", lines}, {"claims", "claims", claims}} {
		old := parsePlan(t, tt.plan).find("CTE old")
		if old == nil {
			t.Fatalf("%s: no CTE old in the plan:\n%s", tt.name, tt.plan)
		}
		probes := 0
		old.walk(func(n *planNode) {
			switch {
			case n.NodeType == "Hash Join" || n.NodeType == "Merge Join":
				t.Errorf("%s: CTE old is a %s, not a probe per incoming row:\n%s", tt.name, n.NodeType, tt.plan)
			case n.Relation == tt.table && n.NodeType != "Index Scan" && n.NodeType != "Index Only Scan":
				t.Errorf("%s: CTE old reads %s with a %s:\n%s", tt.name, tt.table, n.NodeType, tt.plan)
			case n.Relation == tt.table:
				probes++
			}
		})
		if probes != 1 {
			t.Errorf("%s: CTE old has %d index scans of %s, want 1:\n%s", tt.name, probes, tt.table, tt.plan)
		}
	}
}

// TestLineTimelineReadsByIndex checks that an order page's timeline reads the view
// line_status_events through the indexes of both its tables. A WHERE clause in one branch of
// the view keeps PostgreSQL from flattening it; the join then scanned every line of every mall
// for each line of the order (0.6 s an order page over a million lines).
func TestLineTimelineReadsByIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	page := mallsync.Page{}
	for i := range 200 {
		page.Orders = append(page.Orders, order(fmt.Sprintf("20260701-%07d", i), t0, line(mallsync.LinePaid, "N10")))
	}
	apply(t, b, page)
	mallID := mallIDOf(t, b)
	tx, err := b.db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	// With sequential scans off, a scan that remains is one no index could replace.
	if _, err := tx.ExecContext(ctx, `ANALYZE order_lines; ANALYZE line_status_changes; SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	plan, err := postgres.ExplainLineTimeline(ctx, tx, mallID, "20260701-0000007")
	if err != nil {
		t.Fatal(err)
	}
	scans := map[string]int{}
	root := parsePlan(t, plan)
	root.walk(func(n *planNode) {
		switch {
		case n.NodeType == "Seq Scan" || n.NodeType == "Subquery Scan":
			t.Errorf("the timeline has a %s %s:\n%s", n.NodeType, n.Relation, plan)
		case n.Relation != "":
			scans[n.Relation]++
		}
	})
	if scans["order_lines"] != 2 || scans["line_status_changes"] != 1 {
		t.Errorf("the timeline scans %v, want order_lines twice (the order's lines, their first events) and line_status_changes once:\n%s", scans, plan)
	}
}

// mallIDOf is the id of the bundle's mall.
func mallIDOf(t *testing.T, b bundle) int64 {
	t.Helper()
	var id int64
	if err := b.db.Get(&id, `SELECT id FROM malls WHERE key = $1`, string(b.mall)); err != nil {
		t.Fatal(err)
	}
	return id
}

// parsePlan is the root node of one statement's EXPLAIN (FORMAT JSON).
func parsePlan(t *testing.T, plan []byte) *planNode {
	t.Helper()
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal(plan, &plans); err != nil || len(plans) != 1 {
		t.Fatalf("plan does not parse: %v\n%s", err, plan)
	}
	return &plans[0].Plan
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType    string     `json:"Node Type"`
	Relation    string     `json:"Relation Name"`
	SubplanName string     `json:"Subplan Name"`
	Plans       []planNode `json:"Plans"`
}

func (n *planNode) walk(f func(*planNode)) {
	f(n)
	for i := range n.Plans {
		n.Plans[i].walk(f)
	}
}

func (n *planNode) find(subplan string) *planNode {
	var found *planNode
	n.walk(func(m *planNode) {
		if found == nil && m.SubplanName == subplan {
			found = m
		}
	})
	return found
}
