package simclock

import (
	"testing"
	"time"
)

func TestNear(t *testing.T) {
	t.Parallel()
	simulated := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	c := New(simulated)
	wall := time.Now()
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"the simulated now", simulated, true},
		{"4 minutes after the simulated now", simulated.Add(4 * time.Minute), true},
		{"6 minutes before the simulated now", simulated.Add(-6 * time.Minute), false},
		{"the wall clock", wall, true},
		{"4 minutes before the wall clock", wall.Add(-4 * time.Minute), true},
		{"6 minutes after the wall clock", wall.Add(6 * time.Minute), false},
		{"an hour from both", simulated.Add(time.Hour), false},
	} {
		if got := c.Near(tc.at, 5*time.Minute); got != tc.want {
			t.Errorf("%s: Near = %v, want %v", tc.name, got, tc.want)
		}
	}
}
