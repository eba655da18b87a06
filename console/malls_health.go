package console

import (
	"time"

	"github.com/mallsync/mallsync"
)

// syncState sums up how a stream syncs, for people who do not read cursors.
type syncState string

// The sync states, worst first.
const (
	syncFailing     syncState = "failing"     // the last run failed
	syncBehind      syncState = "behind"      // it caught up once, but too long ago
	syncBackfilling syncState = "backfilling" // runs succeed, still reading history
	syncWaiting     syncState = "waiting"     // no run finished yet
	syncOK          syncState = "ok"
)

// Label is the state as the page shows it.
func (s syncState) Label() string {
	switch s {
	case syncFailing:
		return "오류 Failing"
	case syncBehind:
		return "지연 Behind"
	case syncBackfilling:
		return "과거 주문 읽는 중 Backfilling"
	case syncWaiting:
		return "대기 Waiting"
	}
	return "정상 OK"
}

// minBehind is the least lag that counts as behind, whatever the mall's interval.
const minBehind = 15 * time.Minute

// streamLag is how long ago the stream last caught up with its platform; false when it never has.
func streamLag(s mallsync.StreamHealth, now time.Time) (time.Duration, bool) {
	if s.LastCaughtUpAt == nil {
		return 0, false
	}
	return max(now.Sub(*s.LastCaughtUpAt), 0), true
}

// streamState says how s syncs: failing when its last run failed, behind when it last caught
// up more than three sync intervals (at least minBehind) ago.
func streamState(s mallsync.StreamHealth, interval time.Duration, now time.Time) syncState {
	lag, caughtUp := streamLag(s, now)
	switch {
	case s.LastError != "":
		return syncFailing
	case caughtUp && lag > max(3*interval, minBehind):
		return syncBehind
	case caughtUp:
		return syncOK
	case s.LastSuccessAt != nil:
		return syncBackfilling
	}
	return syncWaiting
}

// mallState is the worst state of m's streams; waiting when it has none.
func mallState(m mallsync.MallHealth, now time.Time) syncState {
	order := []syncState{syncFailing, syncBehind, syncBackfilling, syncWaiting, syncOK}
	worst := len(order) - 1
	if len(m.Streams) == 0 {
		return syncWaiting
	}
	for _, s := range m.Streams {
		st := streamState(s, m.Mall.Sync.Interval, now)
		for i, o := range order {
			if o == st && i < worst {
				worst = i
			}
		}
	}
	return order[worst]
}
