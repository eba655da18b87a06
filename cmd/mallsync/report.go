package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors/cafe24/cafe24sim"
	"github.com/mallsync/mallsync/postgres"
)

// devReport is dev's summary; its JSON is the last line of `dev --once --json`.
type devReport struct {
	Mall        string `json:"mall"`
	Orders      int    `json:"orders"`
	Lines       int    `json:"lines"`
	TruthOrders int    `json:"truth_orders"`
	TruthLines  int    `json:"truth_lines"`
	// Mismatches counts every line, claim, shipment, refund and stock figure not as the
	// simulator's truth says; the parts follow.
	Mismatches         int            `json:"mismatches"`
	LineMismatches     int            `json:"line_mismatches"`
	Claims             int            `json:"claims"`
	TruthClaims        int            `json:"truth_claims"`
	ClaimMismatches    int            `json:"claim_mismatches"`
	Shipments          int            `json:"shipments"`
	TruthShipments     int            `json:"truth_shipments"`
	ShipmentMismatches int            `json:"shipment_mismatches"`
	Refunds            int            `json:"refunds"`
	TruthRefunds       int            `json:"truth_refunds"`
	RefundMismatches   int            `json:"refund_mismatches"`
	Variants           int            `json:"variants"`
	TruthVariants      int            `json:"truth_variants"`
	StockMismatches    int            `json:"stock_mismatches"`
	ClaimsByStatus     map[string]int `json:"claims_by_status"`
	Missing            int            `json:"missing"`
	Extra              int            `json:"extra"`
	Differing          int            `json:"differing"`
	APICalls           int64          `json:"api_calls"`
	ElapsedS           float64        `json:"elapsed_s"`
	LinesPerS          float64        `json:"lines_per_s"`
	ByStatus           map[string]int `json:"by_status"`
	ByOwnership        map[string]int `json:"by_ownership"`
	Quarantined        int            `json:"quarantined"`
	Events             int            `json:"status_events"`
	Examples           []string       `json:"mismatch_examples,omitempty"`
	// Coupang and SmartStore are the other demo malls' parts; their mismatches count in
	// Mismatches.
	Coupang    *sideReport `json:"coupang,omitempty"`
	SmartStore *sideReport `json:"smartstore,omitempty"`
	// Returns is every demo mall's return flows, tasks and stock by ownership.
	Returns *returnsReport `json:"returns,omitempty"`
}

func buildReport(ctx context.Context, st stores, sim *cafe24sim.Server, mall mallsync.Mall, linesBefore int, elapsed time.Duration) (devReport, error) {
	sum, err := st.sync.Summary(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	facts, err := st.sync.LineFacts(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	truth := sim.Truth()
	cmp := truth.Diff(storedLines(facts))
	claims, err := st.sync.Claims(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	ships, err := st.sync.Shipments(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	refunds, err := st.sync.Refunds(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	figures, err := st.sync.Stock(ctx, mall.Key)
	if err != nil {
		return devReport{}, err
	}
	stock := make([]cafe24sim.StoredStock, len(figures))
	for i, f := range figures {
		stock[i] = cafe24sim.StoredStock{VariantCode: f.VariantCode, Quantity: f.Quantity}
	}
	claimCmp := truth.DiffClaims(cafe24sim.StoredClaimsOf(claims))
	shipCmp := truth.DiffShipments(cafe24sim.StoredShipmentsOf(ships))
	refundCmp := truth.DiffRefunds(refunds)
	stockCmp := truth.DiffStock(stock)
	rep := devReport{
		Mall: string(mall.Key), Orders: sum.Orders, Lines: sum.Lines, TruthOrders: truth.Orders, TruthLines: len(truth.Lines),
		Mismatches: cmp.Mismatches(), Missing: cmp.Missing, Extra: cmp.Extra, Differing: cmp.Differing,
		APICalls: sim.Calls(), ElapsedS: elapsed.Seconds(), ByStatus: map[string]int{}, ByOwnership: map[string]int{},
		Quarantined: sum.Quarantined, Events: sum.Events,
		Examples:       slices.Concat(cmp.Examples, claimCmp.Examples, shipCmp.Examples, refundCmp.Examples, stockCmp.Examples),
		LineMismatches: cmp.Mismatches(), Claims: len(claims), TruthClaims: len(truth.Claims),
		ClaimMismatches: claimCmp.Mismatches(), Shipments: len(ships), TruthShipments: len(truth.Shipments),
		ShipmentMismatches: shipCmp.Mismatches(), ClaimsByStatus: map[string]int{},
		Refunds: len(refunds), TruthRefunds: len(truth.Refunds), RefundMismatches: refundCmp.Mismatches(),
		Variants: len(figures), TruthVariants: len(truth.Stock), StockMismatches: stockCmp.Mismatches(),
	}
	rep.Mismatches += claimCmp.Mismatches() + shipCmp.Mismatches() + refundCmp.Mismatches() + stockCmp.Mismatches()
	for _, c := range claims {
		rep.ClaimsByStatus[string(c.Kind)+" "+string(c.Status)]++
	}
	if s := elapsed.Seconds(); s > 0 {
		rep.LinesPerS = float64(sum.Lines-linesBefore) / s
	}
	for k, v := range sum.ByStatus {
		rep.ByStatus[string(k)] = v
	}
	for k, v := range sum.ByOwnership {
		rep.ByOwnership[string(k)] = v
	}
	return rep, nil
}

func (r devReport) print(w io.Writer, simURL string) {
	fmt.Fprintf(w, "\nmallsync dev: %s (cafe24 simulator at %s)\n", r.Mall, simURL)
	fmt.Fprintf(w, "  orders      %8d   truth %8d\n", r.Orders, r.TruthOrders)
	fmt.Fprintf(w, "  lines       %8d   truth %8d   mismatches %d (missing %d, extra %d, differing %d)\n",
		r.Lines, r.TruthLines, r.LineMismatches, r.Missing, r.Extra, r.Differing)
	fmt.Fprintf(w, "  claims      %8d   truth %8d   mismatches %d\n", r.Claims, r.TruthClaims, r.ClaimMismatches)
	fmt.Fprintf(w, "  shipments   %8d   truth %8d   mismatches %d\n", r.Shipments, r.TruthShipments, r.ShipmentMismatches)
	fmt.Fprintf(w, "  refunds     %8d   truth %8d   mismatches %d\n", r.Refunds, r.TruthRefunds, r.RefundMismatches)
	fmt.Fprintf(w, "  stock       %8d   truth %8d   mismatches %d (variants' stock figures)\n", r.Variants, r.TruthVariants, r.StockMismatches)
	fmt.Fprintf(w, "  by status   %s\n", joinCounts(r.ByStatus, statusOrder()))
	fmt.Fprintf(w, "  claims by   %s\n", joinCounts(r.ClaimsByStatus, nil))
	fmt.Fprintf(w, "  ownership   %s\n", joinCounts(r.ByOwnership, []string{"direct", "consignment", "logistics"}))
	fmt.Fprintf(w, "  api calls %d · elapsed %.1fs · %.0f lines/s · status events %d · quarantined %d\n",
		r.APICalls, r.ElapsedS, r.LinesPerS, r.Events, r.Quarantined)
	for _, e := range r.Examples {
		fmt.Fprintf(w, "  mismatch: %s\n", e)
	}
}

func statusOrder() []string {
	out := make([]string, len(mallsync.LineStatuses))
	for i, s := range mallsync.LineStatuses {
		out[i] = string(s)
	}
	return out
}

func joinCounts(m map[string]int, order []string) string {
	var parts []string
	seen := map[string]bool{}
	for _, k := range order {
		if n, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " · ")
}

// storedLines converts stored lines for a comparison with the simulator's truth.
func storedLines(facts []postgres.LineFact) []cafe24sim.StoredLine {
	out := make([]cafe24sim.StoredLine, len(facts))
	for i, f := range facts {
		out[i] = cafe24sim.StoredLine{ItemCode: f.PlatformLineID, Status: f.PlatformStatus, Quantity: f.Quantity, PaymentAmount: f.PaymentAmount}
	}
	return out
}

// sideReport is the part of dev's summary for a demo mall beside the Cafe24 one (Coupang,
// SmartStore): its records against its simulator's truth.
type sideReport struct {
	Mall               string `json:"mall"`
	Platform           string `json:"platform"`
	Orders             int    `json:"orders"`
	Lines              int    `json:"lines"`
	TruthLines         int    `json:"truth_lines"`
	LineMismatches     int    `json:"line_mismatches"`
	Claims             int    `json:"claims"`
	TruthClaims        int    `json:"truth_claims"`
	ClaimMismatches    int    `json:"claim_mismatches"`
	Shipments          int    `json:"shipments"`
	TruthShipments     int    `json:"truth_shipments"`
	ShipmentMismatches int    `json:"shipment_mismatches"`
	// Mismatches counts the lines, claims and shipments missing, extra, or not as the
	// simulator's truth says.
	Mismatches  int            `json:"mismatches"`
	APICalls    int64          `json:"api_calls"`
	Quarantined int            `json:"quarantined"`
	ByStatus    map[string]int `json:"by_status"`
	Examples    []string       `json:"mismatch_examples,omitempty"`
}

func (r sideReport) print(w io.Writer, url string) {
	fmt.Fprintf(w, "\nmallsync dev: %s (%s simulator at %s)\n", r.Mall, r.Platform, url)
	fmt.Fprintf(w, "  orders      %8d\n", r.Orders)
	fmt.Fprintf(w, "  lines       %8d   truth %8d   mismatches %d\n", r.Lines, r.TruthLines, r.LineMismatches)
	fmt.Fprintf(w, "  claims      %8d   truth %8d   mismatches %d\n", r.Claims, r.TruthClaims, r.ClaimMismatches)
	fmt.Fprintf(w, "  shipments   %8d   truth %8d   mismatches %d\n", r.Shipments, r.TruthShipments, r.ShipmentMismatches)
	fmt.Fprintf(w, "  by status   %s\n", joinCounts(r.ByStatus, statusOrder()))
	fmt.Fprintf(w, "  api calls %d · quarantined %d\n", r.APICalls, r.Quarantined)
	for _, e := range r.Examples {
		fmt.Fprintf(w, "  mismatch: %s\n", e)
	}
}

// printSideBySide prints every demo mall's figures in one table, a column a mall: stored
// against truth, and the mismatches.
func printSideBySide(w io.Writer, main devReport, sides []sideReport) {
	type col struct {
		mall, platform                         string
		orders                                 int
		lines, truthLines, claims, truthClaims int
		ships, truthShips, mismatches          int
		calls                                  int64
	}
	cols := []col{{main.Mall, string(mallsync.PlatformCafe24), main.Orders, main.Lines, main.TruthLines, main.Claims,
		main.TruthClaims, main.Shipments, main.TruthShipments, main.LineMismatches + main.ClaimMismatches + main.ShipmentMismatches, main.APICalls}}
	for _, s := range sides {
		cols = append(cols, col{s.Mall, s.Platform, s.Orders, s.Lines, s.TruthLines, s.Claims, s.TruthClaims, s.Shipments,
			s.TruthShipments, s.Mismatches, s.APICalls})
	}
	row := func(name string, cell func(col) string) {
		fmt.Fprintf(w, "  %-22s", name)
		for _, c := range cols {
			fmt.Fprintf(w, "%20s", cell(c))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nmallsync dev: the demo malls side by side (stored / truth)\n")
	row("mall", func(c col) string { return c.mall })
	row("platform", func(c col) string { return c.platform })
	row("orders", func(c col) string { return fmt.Sprint(c.orders) })
	row("lines", func(c col) string { return fmt.Sprintf("%d / %d", c.lines, c.truthLines) })
	row("claims", func(c col) string { return fmt.Sprintf("%d / %d", c.claims, c.truthClaims) })
	row("shipments", func(c col) string { return fmt.Sprintf("%d / %d", c.ships, c.truthShips) })
	row("mismatches (l+c+s)", func(c col) string { return fmt.Sprint(c.mismatches) })
	row("api calls", func(c col) string { return fmt.Sprint(c.calls) })
}
