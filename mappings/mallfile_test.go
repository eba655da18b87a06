package mappings

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mallsync/mallsync"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the current output")

// testNow is the "now" every test parses with: 2026-11-23 10:00 KST.
var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, KST)

// TestParseMallGolden parses each bad mall file in testdata/malls and compares the error
// text with its .golden file. go test -run Golden -update rewrites the goldens.
func TestParseMallGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/malls/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		path = filepath.ToSlash(path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			_, err := LoadMallFile(path, testNow)
			if err == nil {
				t.Fatalf("LoadMallFile(%s) succeeded, want an error", path)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error is %T, want *FileError: %v", err, err)
			}
			if code := mallsync.ErrorCode(err); code != mallsync.EINVALID {
				t.Errorf("ErrorCode = %q, want EINVALID", code)
			}
			if msg := mallsync.ErrorMessage(err); !strings.HasPrefix(err.Error(), msg) {
				t.Errorf("ErrorMessage = %q, want the first line of %q", msg, err.Error())
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

func TestParseMallGood(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want mallsync.Mall
	}{
		{
			file: "testdata/malls/good/minimal-cafe24.yaml",
			want: mallsync.Mall{
				Key:            "minimal-cafe24",
				Name:           "최소 카페24",
				Platform:       mallsync.PlatformCafe24,
				Account:        mallsync.Account{MallID: "minimal", ShopNo: 1},
				CredentialsRef: "minimal-cafe24",
				Sync: mallsync.SyncSettings{
					Interval:      5 * time.Minute,
					BackfillStart: time.Date(2026, 7, 1, 0, 0, 0, 0, KST),
					Lookback:      2 * time.Hour,
				},
				Ownership: mallsync.OwnershipRules{Default: mallsync.OwnDirect},
				Policy:    mallsync.Policy{DefectVerification: mallsync.VerifyByInspection},
			},
		},
		{
			file: "testdata/malls/good/coupang.yaml",
			want: mallsync.Mall{
				Key:            "acme-coupang",
				Name:           "에이크미 쿠팡",
				Platform:       mallsync.PlatformCoupang,
				Account:        mallsync.Account{VendorID: "A00012345", APIBase: "http://127.0.0.1:8082/"},
				CredentialsRef: "acme-coupang",
				Sync: mallsync.SyncSettings{
					Interval:      time.Minute,
					BackfillStart: time.Date(2026, 7, 26, 0, 0, 0, 0, KST), // 120 days before 2026-11-23
					Lookback:      0,
				},
				Ownership: mallsync.OwnershipRules{
					Default: mallsync.OwnConsignment,
					Rules:   []mallsync.OwnershipRule{{ProductCode: "0012", Brand: "에이크미", Ownership: mallsync.OwnDirect}},
				},
				Contacts: []mallsync.Contact{{Role: "sales", Name: "최영업", Phone: "+82 10-9876-5432"}},
				Policy: mallsync.Policy{
					PreshippedReorder:  true,
					DefectVerification: mallsync.VerifyByPhoto,
					Compensation:       mallsync.CompensationPolicy{Kinds: []string{"coupon"}},
				},
			},
		},
		{
			file: "testdata/malls/good/smartstore-anchors.yaml",
			want: mallsync.Mall{
				Key:            "acme-smartstore",
				Name:           "에이크미 스마트스토어",
				Platform:       mallsync.PlatformSmartStore,
				Account:        mallsync.Account{SellerID: "0012345"},
				CredentialsRef: "acme-naver",
				Sync: mallsync.SyncSettings{
					Interval:      5 * time.Minute,
					BackfillStart: time.Date(2026, 7, 1, 0, 30, 0, 0, time.UTC),
					Lookback:      30 * time.Minute,
				},
				Ownership: mallsync.OwnershipRules{
					Default: mallsync.OwnDirect,
					Rules: []mallsync.OwnershipRule{
						{SupplierCode: "0012", Ownership: mallsync.OwnLogistics},
						{SupplierCode: "0012", ProductCode: "0099", Ownership: mallsync.OwnConsignment},
					},
				},
				Contacts: []mallsync.Contact{
					{Role: "md", Name: "김민지", Email: "md@example.com"},
					{Role: "md", Name: "김민지", Email: "md@example.com"},
				},
				Policy: mallsync.Policy{DefectVerification: mallsync.VerifyByInspection},
			},
		},
		{
			file: "malls/demo-cafe24.yaml",
			want: mallsync.Mall{
				Key:            "demo-cafe24",
				Name:           "데모 카페24 쇼핑몰",
				Platform:       mallsync.PlatformCafe24,
				Account:        mallsync.Account{MallID: "demomall", ShopNo: 1},
				CredentialsRef: "demo-cafe24",
				Sync: mallsync.SyncSettings{
					Interval:      5 * time.Minute,
					BackfillStart: time.Date(2026, 10, 24, 0, 0, 0, 0, KST), // 30d
					Lookback:      2 * time.Hour,
				},
				Ownership: mallsync.OwnershipRules{
					Default: mallsync.OwnDirect,
					Rules: []mallsync.OwnershipRule{
						{SupplierCode: "S0000001", Ownership: mallsync.OwnConsignment},
						{SupplierCode: "S0000002", Brand: "데모브랜드", Ownership: mallsync.OwnLogistics},
						{ProductCode: "P000000A", Ownership: mallsync.OwnDirect},
						{TradingType: "C", Ownership: mallsync.OwnConsignment},
					},
				},
				Contacts: []mallsync.Contact{
					{Role: "md", Name: "김민지", Email: "md@example.com", Phone: "02-1234-5678"},
					{Role: "logistics", Name: "박준호", Email: "logistics@example.com", Phone: "010-1234-5678"},
					{Role: "cs", Name: "이서연", Email: "cs@example.com"},
				},
				Policy: mallsync.Policy{
					ReturnWithdrawal:   true,
					PreshippedReorder:  false,
					DefectVerification: mallsync.VerifyByInspection,
					DispatchDelay:      mallsync.DispatchDelayPolicy{NoticeAfter: 72 * time.Hour, Credit: 2000},
					Compensation: mallsync.CompensationPolicy{
						Kinds:                 []string{"refund", "credit", "coupon", "receipt"},
						MonthlyBudgetCount:    30,
						MonthlyBudget:         1000000,
						SupplierBurdenPercent: 50,
					},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			t.Parallel()
			got, err := LoadMallFile(tt.file, testNow)
			if err != nil {
				t.Fatalf("LoadMallFile: %v", err)
			}
			if !got.Sync.BackfillStart.Equal(tt.want.Sync.BackfillStart) {
				t.Errorf("BackfillStart = %v, want %v", got.Sync.BackfillStart, tt.want.Sync.BackfillStart)
			}
			got.Sync.BackfillStart, tt.want.Sync.BackfillStart = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("mall differs\ngot:  %+v\nwant: %+v", got, tt.want)
			}
		})
	}
}

// TestBackfillRelative checks that "<n>d" means the start of the KST day n days before now,
// also when now is late in the UTC day (already the next day in Korea).
func TestBackfillRelative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		now  time.Time
		days string
		want time.Time
	}{
		{time.Date(2026, 11, 23, 10, 0, 0, 0, KST), "0d", time.Date(2026, 11, 23, 0, 0, 0, 0, KST)},
		{time.Date(2026, 11, 23, 10, 0, 0, 0, KST), "1d", time.Date(2026, 11, 22, 0, 0, 0, 0, KST)},
		{time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC), "1d", time.Date(2026, 11, 23, 0, 0, 0, 0, KST)},
		{time.Date(2026, 3, 1, 12, 0, 0, 0, KST), "1d", time.Date(2026, 2, 28, 0, 0, 0, 0, KST)},
		{time.Date(2026, 11, 23, 10, 0, 0, 0, KST), "365d", time.Date(2025, 11, 23, 0, 0, 0, 0, KST)},
	}
	for _, tt := range tests {
		data := []byte(strings.ReplaceAll(minimalMall, "2026-07-01", tt.days))
		m, err := ParseMall("t.yaml", data, tt.now)
		if err != nil {
			t.Fatalf("%s at %v: %v", tt.days, tt.now, err)
		}
		if !m.Sync.BackfillStart.Equal(tt.want) {
			t.Errorf("%s at %v = %v, want %v", tt.days, tt.now, m.Sync.BackfillStart, tt.want)
		}
	}
}

const minimalMall = `version: 1
key: acme
name: 에이크미
platform: cafe24
account:
  mall_id: acme
credentials: acme
sync:
  backfill_start: 2026-07-01
`

// TestShippedMallFiles checks every shipped mall file parses and is named after its key.
func TestShippedMallFiles(t *testing.T) {
	t.Parallel()
	files := Demo()
	if len(files) == 0 {
		t.Fatal("no demo mall files embedded")
	}
	for _, f := range files {
		m, err := ParseMall(f.Path, f.Data, testNow)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(f.Path), ".yaml"); string(m.Key) != want {
			t.Errorf("%s: key %q, want it to match the file name %q", f.Path, m.Key, want)
		}
		if _, err := StatusMap(m.Platform); err != nil {
			t.Errorf("%s: platform %s has no status map: %v", f.Path, m.Platform, err)
		}
	}
	malls, err := DemoMalls(testNow)
	if err != nil || len(malls) != len(files) {
		t.Errorf("DemoMalls = %d malls, %v; want %d", len(malls), err, len(files))
	}
}

func TestLoadMallFileMissing(t *testing.T) {
	t.Parallel()
	_, err := LoadMallFile("testdata/malls/no-such-file.yaml", testNow)
	if code := mallsync.ErrorCode(err); code != mallsync.ENOTFOUND {
		t.Errorf("ErrorCode = %q (%v), want ENOTFOUND", code, err)
	}
}

func TestFileErrorFormat(t *testing.T) {
	t.Parallel()
	e := &FileError{File: "m.yaml", Problems: []Problem{
		{Line: 3, Col: 5, Message: "a"},
		{Line: 4, Message: "b"},
		{Message: "c"},
	}}
	if got, want := e.Error(), "m.yaml:3:5: a\nm.yaml:4: b\nm.yaml: c"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var me *mallsync.Error
	if !errors.As(e, &me) || me.Code != mallsync.EINVALID || me.Message != "m.yaml:3:5: a" {
		t.Errorf("unwrapped = %+v, want EINVALID with the first problem", me)
	}
}

// FuzzParseMall checks ParseMall never panics and fails only with a *FileError.
func FuzzParseMall(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/malls/*.yaml")
	good, _ := filepath.Glob("testdata/malls/good/*.yaml")
	for _, p := range append(append(seeds, good...), "malls/demo-cafe24.yaml") {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a: &a [*a]\nkey: *a\ncontacts: *a"))
	f.Add([]byte("contacts: [&c {role: md, name: x}, *c, *c]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMall("fuzz.yaml", data, testNow)
		if err == nil {
			if m.Key == "" || m.Platform == "" || m.Sync.Interval < MinInterval {
				t.Fatalf("parsed without error but incomplete: %+v", m)
			}
			return
		}
		var fe *FileError
		if !errors.As(err, &fe) || len(fe.Problems) == 0 {
			t.Fatalf("error %T %v, want a *FileError with problems", err, err)
		}
		if mallsync.ErrorCode(err) != mallsync.EINVALID {
			t.Fatalf("ErrorCode = %q", mallsync.ErrorCode(err))
		}
	})
}
