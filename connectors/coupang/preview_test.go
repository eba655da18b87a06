package coupang

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// The response examples of Coupang's public documentation (testdata/reference, see SOURCE.md)
// preview to the claims and parcels in their .golden files: every record maps.
func TestPreviewDocumentedClaims(t *testing.T) {
	t.Parallel()
	statuses := testConnector(t).statuses
	tests := []struct {
		resource              string
		claims, ships, errors int
	}{
		{"returnRequests", 3, 2, 0},
		{"returnWithdrawRequests", 3, 0, 0},
		{"exchangeRequests", 2, 0, 0},
	}
	for _, tt := range tests {
		body, err := os.ReadFile(filepath.Join("testdata/reference", tt.resource+".json"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := PreviewResponse(tt.resource, body, statuses)
		if err != nil || len(p.Claims) != tt.claims || len(p.Shipments) != tt.ships || len(p.Errors) != tt.errors {
			t.Errorf("%s: %d claims, %d parcels, errors %+v, %v", tt.resource, len(p.Claims), len(p.Shipments), p.Errors, err)
			continue
		}
		got, _ := json.MarshalIndent(p, "", "  ")
		golden := filepath.Join("testdata/reference", tt.resource+".golden")
		if *update {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(want)) != string(got) {
			t.Errorf("%s: preview differs from %s:\n%s", tt.resource, golden, got)
		}
	}
}
