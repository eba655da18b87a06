package postgres

import (
	"testing"

	"github.com/lib/pq"
)

// TextArrayCases are the arrays the text array tests send.
var TextArrayCases = [][]string{
	{},
	{""},
	{"a", "b"},
	{`say "hi"`, `back\slash`, `\"`, `"`, `\`},
	{"NULL", "null", " padded ", "a,b", "{x}", "(1,2)", "'quote'"},
	{"서울특별시 강남구 테헤란로 1", "김민준", "색상=화이트"},
	{"tab\there", "line\nbreak", "\u00a0nbsp"},
}

// TestTextArrayMatchesPQ checks the literal is the one pq.StringArray writes.
func TestTextArrayMatchesPQ(t *testing.T) {
	t.Parallel()
	for _, c := range TextArrayCases {
		got, err := textArray(c).Value()
		if err != nil {
			t.Fatal(err)
		}
		want, _ := pq.StringArray(c).Value()
		if got != want {
			t.Errorf("textArray(%q) = %q, pq writes %q", c, got, want)
		}
	}
	if v, _ := textArray(nil).Value(); v != nil {
		t.Errorf("textArray(nil) = %q, want NULL", v)
	}
}

func BenchmarkTextArray(b *testing.B) {
	a := make([]string, 2000)
	for i := range a {
		a[i] = "20260701-0000001-01 서울특별시 강남구"
	}
	b.Run("textArray", func(b *testing.B) {
		for range b.N {
			_, _ = textArray(a).Value()
		}
	})
	b.Run("pq.StringArray", func(b *testing.B) {
		for range b.N {
			_, _ = pq.StringArray(a).Value()
		}
	})
}

// TextArray is textArray, for the round trip test.
func TextArray(a []string) textArray { return textArray(a) }
