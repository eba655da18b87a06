package mallsync

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in Korean won, as an integer. Platforms send decimal strings
// ("30000.00"); the string is kept in the raw payload, the integer is what we compute with.
type Money int64

// ParseWon parses a platform's decimal amount ("30000.00", "30000", "-500.0") into whole won.
// A fractional part other than zeros is refused: won has no minor unit, so a fraction means the
// field is not what we think it is.
func ParseWon(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && strings.Trim(frac, "0") != "" {
		return 0, Errorf(EINVALID, "amount %q has a fraction of a won", s)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "amount %q is not a number", s)
	}
	return Money(n), nil
}

// String formats m as "30,000원".
func (m Money) String() string {
	n := int64(m)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s원", sign, b.String())
}
