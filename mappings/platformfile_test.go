package mappings

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mallsync/mallsync"
)

// cafe24Codes is every item status code (order_status) listed in
// /work/shared/platforms/cafe24.md. The shipped cafe24.yaml must map each of them.
var cafe24Codes = []string{
	// Normal
	"N00", "N02", "N10", "N20", "N21", "N22", "N30", "N40", "N50",
	// Cancel
	"C00", "C10", "C11", "C34", "C35", "C36", "C40", "C41", "C42", "C43", "C47", "C48", "C49",
	// Return
	"R00", "R10", "R11", "R12", "R13", "R20", "R30", "R31", "R34", "R36", "R40", "R41", "R42", "R43",
	// Exchange
	"E00", "E10", "N01", "N03", "E11", "E12", "E13", "E20", "E30", "E31", "E32", "E33", "E34", "E35", "E36", "E40",
}

// cafe24Extra lists codes the shipped file maps beyond cafe24.md (newer Cafe24 docs list them).
var cafe24Extra = []string{"E41", "E50", "E51"}

const prior = mallsync.LineStatus(Prior)

// TestCafe24StatusMap checks the shipped cafe24.yaml maps every code as intended.
func TestCafe24StatusMap(t *testing.T) {
	t.Parallel()
	m, err := StatusMap(mallsync.PlatformCafe24)
	if err != nil {
		t.Fatal(err)
	}
	if m.Platform != mallsync.PlatformCafe24 {
		t.Errorf("Platform = %q", m.Platform)
	}
	want := map[string]struct {
		line   mallsync.LineStatus // prior: keeps the status before the claim
		kind   mallsync.ClaimKind
		status mallsync.ClaimStatus
	}{
		"N00": {line: mallsync.LinePendingPayment},
		"N02": {line: mallsync.LinePendingPayment},
		"N10": {line: mallsync.LinePaid},
		"N20": {line: mallsync.LinePreparing},
		"N21": {line: mallsync.LinePreparing},
		"N22": {line: mallsync.LinePreparing},
		"N30": {line: mallsync.LineShipped},
		"N40": {line: mallsync.LineDelivered},
		"N50": {line: mallsync.LineConfirmed},
		"N01": {line: mallsync.LinePaid},
		"N03": {line: mallsync.LinePendingPayment},

		"C00": {prior, mallsync.ClaimCancel, mallsync.ClaimRequested},
		"C10": {prior, mallsync.ClaimCancel, mallsync.ClaimAccepted},
		"C11": {prior, mallsync.ClaimCancel, mallsync.ClaimRejected},
		"C34": {prior, mallsync.ClaimCancel, mallsync.ClaimApproved},
		"C35": {prior, mallsync.ClaimCancel, mallsync.ClaimApproved},
		"C36": {prior, mallsync.ClaimCancel, mallsync.ClaimOnHold},
		"C40": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C41": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C42": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C43": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C47": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C48": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},
		"C49": {mallsync.LineCanceled, mallsync.ClaimCancel, mallsync.ClaimCompleted},

		"R00": {prior, mallsync.ClaimReturn, mallsync.ClaimRequested},
		"R10": {prior, mallsync.ClaimReturn, mallsync.ClaimAccepted},
		"R11": {prior, mallsync.ClaimReturn, mallsync.ClaimRejected},
		"R12": {prior, mallsync.ClaimReturn, mallsync.ClaimOnHold},
		"R13": {prior, mallsync.ClaimReturn, mallsync.ClaimCollected},
		"R20": {prior, mallsync.ClaimReturn, mallsync.ClaimCollected},
		"R30": {prior, mallsync.ClaimReturn, mallsync.ClaimCollecting},
		"R31": {prior, mallsync.ClaimReturn, mallsync.ClaimCollected},
		"R34": {prior, mallsync.ClaimReturn, mallsync.ClaimApproved},
		"R36": {prior, mallsync.ClaimReturn, mallsync.ClaimOnHold},
		"R40": {mallsync.LineReturned, mallsync.ClaimReturn, mallsync.ClaimCompleted},
		"R41": {mallsync.LineReturned, mallsync.ClaimReturn, mallsync.ClaimCompleted},
		"R42": {mallsync.LineReturned, mallsync.ClaimReturn, mallsync.ClaimCompleted},
		"R43": {mallsync.LineReturned, mallsync.ClaimReturn, mallsync.ClaimCompleted},

		"E00": {prior, mallsync.ClaimExchange, mallsync.ClaimRequested},
		"E10": {prior, mallsync.ClaimExchange, mallsync.ClaimAccepted},
		"E11": {prior, mallsync.ClaimExchange, mallsync.ClaimRejected},
		"E12": {prior, mallsync.ClaimExchange, mallsync.ClaimOnHold},
		"E13": {prior, mallsync.ClaimExchange, mallsync.ClaimCollected},
		"E20": {prior, mallsync.ClaimExchange, mallsync.ClaimAccepted},
		"E30": {prior, mallsync.ClaimExchange, mallsync.ClaimCollecting},
		"E31": {prior, mallsync.ClaimExchange, mallsync.ClaimCollected},
		"E32": {prior, mallsync.ClaimExchange, mallsync.ClaimOnHold},
		"E33": {prior, mallsync.ClaimExchange, mallsync.ClaimApproved},
		"E34": {prior, mallsync.ClaimExchange, mallsync.ClaimApproved},
		"E35": {prior, mallsync.ClaimExchange, mallsync.ClaimApproved},
		"E36": {prior, mallsync.ClaimExchange, mallsync.ClaimOnHold},
		"E40": {mallsync.LineExchanged, mallsync.ClaimExchange, mallsync.ClaimCompleted},
		"E41": {prior, mallsync.ClaimExchange, mallsync.ClaimWithdrawn},
		"E50": {prior, mallsync.ClaimExchange, mallsync.ClaimWithdrawn},
		"E51": {prior, mallsync.ClaimExchange, mallsync.ClaimWithdrawn},
	}
	for _, code := range cafe24Codes {
		if _, ok := m.Lookup(code); !ok {
			t.Errorf("cafe24.yaml does not map %s", code)
		}
		if _, ok := want[code]; !ok {
			t.Errorf("the test table has no intent for %s", code)
		}
	}
	for code := range m.Rules {
		if !slices.Contains(cafe24Codes, code) && !slices.Contains(cafe24Extra, code) {
			t.Errorf("cafe24.yaml maps %s, which is neither in cafe24.md nor in cafe24Extra", code)
		}
	}
	for code, w := range want {
		r, ok := m.Lookup(code)
		if !ok {
			t.Errorf("%s: not mapped", code)
			continue
		}
		if r.Code != code || r.Label == "" {
			t.Errorf("%s: code %q label %q", code, r.Code, r.Label)
		}
		if w.line == prior {
			if !r.KeepsPriorStatus || r.Line != "" {
				t.Errorf("%s: keeps prior %v, line %q; want prior", code, r.KeepsPriorStatus, r.Line)
			}
		} else if r.KeepsPriorStatus || r.Line != w.line {
			t.Errorf("%s: line %q (keeps prior %v), want %q", code, r.Line, r.KeepsPriorStatus, w.line)
		}
		if r.ClaimKind != w.kind || r.ClaimStatus != w.status {
			t.Errorf("%s: claim %q/%q, want %q/%q", code, r.ClaimKind, r.ClaimStatus, w.kind, w.status)
		}
	}

	// Resolving through the domain: a return requested on a delivered line stays delivered.
	line, rule, err := m.LineStatusOf("R00", "N40")
	if err != nil || line != mallsync.LineDelivered || rule.ClaimKind != mallsync.ClaimReturn {
		t.Errorf("LineStatusOf(R00, N40) = %q, %+v, %v", line, rule, err)
	}
}

func TestStatusMapCopiesAndUnknown(t *testing.T) {
	t.Parallel()
	a, err := StatusMap(mallsync.PlatformCafe24)
	if err != nil {
		t.Fatal(err)
	}
	delete(a.Rules, "N10")
	b, _ := StatusMap(mallsync.PlatformCafe24)
	if _, ok := b.Lookup("N10"); !ok {
		t.Error("changing one caller's map changed the cache")
	}
	if _, err := StatusMap("eleventh-street"); mallsync.ErrorCode(err) != mallsync.ENOTFOUND {
		t.Errorf("StatusMap(unknown) error %v, want ENOTFOUND", err)
	}
}

// TestShippedPlatformFiles checks every shipped platform file parses and names its platform.
func TestShippedPlatformFiles(t *testing.T) {
	t.Parallel()
	for _, f := range PlatformFiles() {
		m, err := ParseStatusMap(f.Path, f.Data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(f.Path), ".yaml"); string(m.Platform) != want {
			t.Errorf("%s: platform %q, want %q", f.Path, m.Platform, want)
		}
	}
}

// TestParseStatusMapGolden parses each bad platform file in testdata/platforms and compares
// the error text with its .golden file (-update rewrites them).
func TestParseStatusMapGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/platforms/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		path = filepath.ToSlash(path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			_, err := LoadStatusMapFile(path)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v, want *FileError", err, err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("error text differs from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

// TestParseStatusMapPositions pins the two errors people hit most, with their positions.
func TestParseStatusMapPositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		want       Problem
	}{
		{
			name: "duplicate code",
			data: "version: 1\nplatform: cafe24\nstatuses:\n  N10: { label: a, line: paid }\n  N10: { label: b, line: preparing }\n",
			want: Problem{Line: 5, Col: 3, Message: `duplicate status code "N10" (first at line 4)`},
		},
		{
			name: "unknown line status",
			data: "version: 1\nplatform: cafe24\nstatuses:\n  N10: { label: a, line: payed }\n",
			want: Problem{Line: 4, Col: 26, Message: `statuses.N10.line: expected one of pending_payment, paid, preparing, shipped, delivered, confirmed, canceled, returned, exchanged, prior, got "payed"`},
		},
		{
			name: "claim status without claim",
			data: "version: 1\nplatform: cafe24\nstatuses:\n  C00:\n    label: 취소신청\n    line: prior\n    claim_status: requested\n",
			want: Problem{Line: 7, Col: 19, Message: `statuses.C00.claim_status: needs a claim (cancel, return, exchange) beside it`},
		},
	}
	for _, tt := range tests {
		_, err := ParseStatusMap("p.yaml", []byte(tt.data))
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("%s: error %v, want *FileError", tt.name, err)
		}
		if !slices.Contains(fe.Problems, tt.want) {
			t.Errorf("%s: problems %+v, want one %+v", tt.name, fe.Problems, tt.want)
		}
	}
}

// FuzzParseStatusMap checks ParseStatusMap never panics and fails only with a *FileError.
func FuzzParseStatusMap(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/platforms/*.yaml")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, pf := range PlatformFiles() {
		f.Add(pf.Data)
	}
	f.Add([]byte("version: 1\nplatform: cafe24\nstatuses: &s {N00: *s}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseStatusMap("fuzz.yaml", data)
		if err == nil {
			if m.Platform == "" || len(m.Rules) == 0 {
				t.Fatalf("parsed without error but incomplete: %+v", m)
			}
			for code, r := range m.Rules {
				if r.Code != code || r.KeepsPriorStatus == r.Line.Valid() || (r.ClaimKind == "") != (r.ClaimStatus == "") {
					t.Fatalf("inconsistent rule %+v", r)
				}
			}
			return
		}
		var fe *FileError
		if !errors.As(err, &fe) || len(fe.Problems) == 0 {
			t.Fatalf("error %T %v, want a *FileError with problems", err, err)
		}
	})
}

// TestCoupangStatusMap checks the shipped coupang.yaml maps every order-sheet status of
// /work/shared/platforms/coupang.md to its unified line status.
func TestCoupangStatusMap(t *testing.T) {
	t.Parallel()
	m, err := StatusMap(mallsync.PlatformCoupang)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]mallsync.LineStatus{
		"ACCEPT": mallsync.LinePaid, "INSTRUCT": mallsync.LinePreparing, "DEPARTURE": mallsync.LineShipped,
		"DELIVERING": mallsync.LineShipped, "FINAL_DELIVERY": mallsync.LineDelivered, "NONE_TRACKING": mallsync.LineShipped,
	}
	for code, line := range want {
		if r, ok := m.Lookup(code); !ok || r.Line != line {
			t.Errorf("coupang.yaml maps %s to %+v, want line %s", code, r, line)
		}
	}
	// Claim steps: receipts (cancels and returns, keyed by receiptStatus or mallsync's codes
	// for what Coupang leaves unnamed) and exchanges (exchangeStatus).
	claims := map[string]struct {
		kind   mallsync.ClaimKind
		status mallsync.ClaimStatus
		line   mallsync.LineStatus // "" = the line keeps its prior status
	}{
		"RELEASE_STOP_UNCHECKED":  {mallsync.ClaimCancel, mallsync.ClaimRequested, ""},
		"STOP_SHIPMENT_COMPLETED": {mallsync.ClaimCancel, mallsync.ClaimCompleted, mallsync.LineCanceled},
		"CANCEL_COMPLETED":        {mallsync.ClaimCancel, mallsync.ClaimCompleted, mallsync.LineCanceled},
		"RETURNS_UNCHECKED":       {mallsync.ClaimReturn, mallsync.ClaimAccepted, ""},
		"REQUEST_COUPANG_CHECK":   {mallsync.ClaimReturn, mallsync.ClaimOnHold, ""},
		"RETURNS_COMPLETED":       {mallsync.ClaimReturn, mallsync.ClaimCompleted, mallsync.LineReturned},
		"RETURN_WITHDRAWN":        {mallsync.ClaimReturn, mallsync.ClaimWithdrawn, ""},
		"SUCCESS":                 {mallsync.ClaimExchange, mallsync.ClaimCompleted, ""},
		"CANCEL":                  {mallsync.ClaimExchange, mallsync.ClaimWithdrawn, ""},
	}
	for code, w := range claims {
		r, ok := m.Lookup(code)
		if !ok || r.ClaimKind != w.kind || r.ClaimStatus != w.status || r.Line != w.line || r.KeepsPriorStatus != (w.line == "") {
			t.Errorf("coupang.yaml maps %s to %+v, want %+v", code, r, w)
		}
	}
	for code, r := range m.Rules {
		if _, sheet := want[code]; !sheet && r.ClaimKind == "" {
			t.Errorf("coupang.yaml: %s is neither a sheet status nor a claim step", code)
		}
	}
}
