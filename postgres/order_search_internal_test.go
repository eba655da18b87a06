package postgres

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mallsync/mallsync"
)

func TestClassifySearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want searchTerms
		code string
	}{
		{text: "", code: mallsync.EINVALID},
		{text: "   ", code: mallsync.EINVALID},
		{text: "김", code: mallsync.EINVALID},
		{text: " 7 ", code: mallsync.EINVALID},
		{text: "1234", want: searchTerms{Exact: []string{"1234"}, PhoneLast4: "1234"}},
		{text: " 010-1234-5678 ", want: searchTerms{Exact: []string{"010-1234-5678", "01012345678"}, Phone: "01012345678"}},
		{text: "010 1234 5678", want: searchTerms{Exact: []string{"010 1234 5678", "01012345678"}, Phone: "01012345678"}},
		{text: "02-123-4567", want: searchTerms{Exact: []string{"02-123-4567", "021234567"}, Phone: "021234567"}},
		{text: "0212345", want: searchTerms{Exact: []string{"0212345"}}},
		{text: "3000012345", want: searchTerms{Exact: []string{"3000012345"}}},
		{text: "20261101-0000012", want: searchTerms{Exact: []string{"20261101-0000012", "202611010000012"}}},
		{text: "6123-4567-8901", want: searchTerms{Exact: []string{"6123-4567-8901", "612345678901"}}},
		{text: "R20260702-0000001", want: searchTerms{Exact: []string{"R20260702-0000001", "R202607020000001"}}},
		{text: "CP0001234567", want: searchTerms{Exact: []string{"CP0001234567"}}},
		{text: "김철수", want: searchTerms{Exact: []string{"김철수"}, Name: "김철수", Product: "김철수"}},
		{text: " 울 니트 ", want: searchTerms{Exact: []string{"울 니트"}, Name: "울 니트", Product: "울 니트"}},
		{text: "니트 2종", want: searchTerms{Exact: []string{"니트 2종"}, Name: "니트 2종", Product: "니트 2종"}},
		{text: "%%", want: searchTerms{Exact: []string{"%%"}, Name: "%%", Product: "%%"}},
		{text: "--", want: searchTerms{Exact: []string{"--"}, Name: "--", Product: "--"}},
	}
	for _, tt := range tests {
		got, err := classifySearch(tt.text)
		if tt.code != "" {
			if mallsync.ErrorCode(err) != tt.code {
				t.Errorf("classifySearch(%q) error = %v, want %s", tt.text, err, tt.code)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("classifySearch(%q) = %+v, %v; want %+v", tt.text, got, err, tt.want)
		}
	}
}

func TestLikeEscaper(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`50%`: `50\%`, `a_b`: `a\_b`, `c:\x`: `c:\\x`, `니트`: `니트`} {
		if got := likeEscaper.Replace(in); got != want {
			t.Errorf("escape %q = %q, want %q", in, got, want)
		}
	}
}

// A two-character product search reads only the newest lines (no trigram index can find two
// characters); three characters and more use the trigram index over every line.
func TestShortProductSearchesAreBounded(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text    string
		bounded bool
	}{{"니트", true}, {"스웨터", false}, {"ab", true}, {"abc", false}} {
		terms, err := classifySearch(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		q, args := searchSQL(terms, 0, 50)
		bounded := strings.Contains(q, "max(id)")
		if bounded != tt.bounded {
			t.Errorf("%q: bounded = %v, want %v:\n%s", tt.text, bounded, tt.bounded, q)
		}
		if lowered := strings.Contains(q, "lower("); bounded && lowered != (tt.text == "ab") {
			t.Errorf("%q: lower() used = %v: only text with case needs it", tt.text, lowered)
		}
		if bounded && !slices.Contains(args, any(shortProductWindow)) {
			t.Errorf("%q: the window is not a bound parameter: %v", tt.text, args)
		}
	}
}
