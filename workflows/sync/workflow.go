package sync

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/mallsync/mallsync"
)

// Signal, query and workflow names, as clients and the console use them.
const (
	WorkflowName   = "MallSync"
	SignalSyncNow  = "sync-now"
	SignalPause    = "pause"
	SignalResume   = "resume"
	QueryStatus    = "status"
	defaultCycles  = 50
	defaultSlice   = 2 * time.Minute
	minIdleBetween = time.Second
)

// WorkflowID is the deterministic ID of a mall's sync workflow.
func WorkflowID(mall mallsync.MallKey) string { return "sync/" + string(mall) }

// Input starts (or continues) a MallSync workflow.
type Input struct {
	Mall mallsync.MallKey
	// StopWhenCaughtUp ends the workflow after the first cycle in which every stream caught up.
	StopWhenCaughtUp bool
	// CyclesPerRun is how many cycles run before continuing as new (default 50).
	CyclesPerRun int
	// Slice bounds one SyncStream activity; a stream not caught up by then goes on in the next
	// activity without waiting for the interval (default 2m).
	Slice time.Duration
	// Carried over continue-as-new.
	Paused      bool
	TotalCycles int
	Streams     []StreamStatus
}

// SyncNow asks for a cycle now. StopWhenCaughtUp makes the workflow end once it caught up.
type SyncNow struct {
	EventID          string
	StopWhenCaughtUp bool
}

// StreamStatus is what the status query says about one stream.
type StreamStatus struct {
	Stream         mallsync.Stream
	Seq            int64
	CaughtUp       bool
	LastRunAt      time.Time
	LastCaughtUpAt time.Time
	LastError      string
	Lines          int64
	Pages          int64
	APICalls       int64
}

// Status is the answer to the status query.
type Status struct {
	Mall        mallsync.MallKey
	Paused      bool
	Cycle       int
	TotalCycles int
	// Running is true while a cycle runs, false while the workflow waits for the next one.
	Running   bool
	NextRunAt time.Time
	Streams   []StreamStatus
}

// Result is what a MallSync run returns when it stops (StopWhenCaughtUp).
type Result struct {
	Cycles  int
	Streams []StreamStatus
}

// MallSync syncs one mall until told to stop. See the package doc.
func MallSync(ctx workflow.Context, in Input) (Result, error) {
	if in.CyclesPerRun <= 0 {
		in.CyclesPerRun = defaultCycles
	}
	if in.Slice <= 0 {
		in.Slice = defaultSlice
	}
	var a *Activities
	st := &Status{Mall: in.Mall, Paused: in.Paused, TotalCycles: in.TotalCycles, Streams: in.Streams}
	stopWhenCaughtUp := in.StopWhenCaughtUp
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (Status, error) { return *st, nil }); err != nil {
		return Result{}, fmt.Errorf("registering status query: %w", err)
	}
	syncNow := workflow.GetSignalChannel(ctx, SignalSyncNow)
	pause := workflow.GetSignalChannel(ctx, SignalPause)
	resume := workflow.GetSignalChannel(ctx, SignalResume)
	seen := map[string]bool{}
	// woke says whether the wait between cycles is over; a repeated sync-now (the same
	// webhook delivered twice) does not end it.
	var woke bool
	take := func(s SyncNow) {
		if s.EventID != "" {
			if seen[s.EventID] {
				return
			}
			seen[s.EventID] = true
		}
		if s.StopWhenCaughtUp {
			stopWhenCaughtUp = true
		}
		woke = true
	}
	onSyncNow := func(c workflow.ReceiveChannel, more bool) {
		var s SyncNow
		c.Receive(ctx, &s)
		take(s)
	}
	// takePending takes every sync-now already waiting, so a burst of webhooks wakes one
	// cycle, not one cycle each.
	takePending := func() {
		var s SyncNow
		for syncNow.ReceiveAsync(&s) {
			take(s)
			s = SyncNow{}
		}
	}

	planCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 30 * time.Second,
			MaximumAttempts: 5, NonRetryableErrorTypes: nonRetryable},
	})
	streamCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.Slice + 5*time.Minute,
		HeartbeatTimeout:    20 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, MaximumAttempts: 6, NonRetryableErrorTypes: nonRetryable},
	})

	for st.Cycle = 0; st.Cycle < in.CyclesPerRun; st.Cycle++ {
		interval := time.Minute
		if !st.Paused {
			st.Running = true
			var plan Plan
			err := workflow.ExecuteActivity(planCtx, a.PlanMall, in.Mall).Get(ctx, &plan)
			if err != nil {
				workflow.GetLogger(ctx).Error("planning sync", "mall", in.Mall, "error", err)
			} else {
				interval = plan.Interval
				allCaughtUp := true
				for _, stream := range plan.Streams {
					ss := streamStatus(st, stream)
					var res StreamResult
					err := workflow.ExecuteActivity(streamCtx, a.SyncStream, StreamInput{Mall: in.Mall, Stream: stream, Slice: in.Slice}).Get(ctx, &res)
					now := workflow.Now(ctx)
					ss.LastRunAt = now
					ss.Lines += int64(res.Lines)
					ss.Pages += int64(res.Pages)
					ss.APICalls += int64(res.APICalls)
					if err != nil {
						ss.LastError = err.Error()
						ss.CaughtUp = false
						allCaughtUp = false
						if stopWhenCaughtUp && permanent(err) {
							// Waiting to catch up would wait for a person (a re-authorization, a
							// scope): end with the error instead.
							return Result{Cycles: st.TotalCycles, Streams: st.Streams}, temporal.NewNonRetryableApplicationError(
								fmt.Sprintf("stream %s of mall %s cannot catch up: %v", stream, in.Mall, err), "STREAM_FAILED", err)
						}
						continue
					}
					ss.LastError, ss.Seq, ss.CaughtUp = "", res.Seq, res.CaughtUp
					if res.CaughtUp {
						ss.LastCaughtUpAt = now
					} else {
						allCaughtUp = false
					}
				}
				st.TotalCycles++
				st.Running = false
				if allCaughtUp && stopWhenCaughtUp {
					// Requests that arrived during this cycle were served by it.
					for syncNow.ReceiveAsync(nil) {
					}
					return Result{Cycles: st.TotalCycles, Streams: st.Streams}, nil
				}
				if !allCaughtUp && !anyFailed(st) {
					// A time slice ended before the stream caught up: go on at once.
					interval = minIdleBetween
				}
			}
		}
		st.Running = false
		st.NextRunAt = workflow.Now(ctx).Add(interval)
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimer(timerCtx, interval)
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) { woke = true })
		sel.AddReceive(syncNow, onSyncNow)
		sel.AddReceive(pause, func(c workflow.ReceiveChannel, more bool) { c.Receive(ctx, nil); st.Paused = true; woke = true })
		sel.AddReceive(resume, func(c workflow.ReceiveChannel, more bool) { c.Receive(ctx, nil); st.Paused = false; woke = true })
		for woke = false; !woke; {
			sel.Select(ctx)
		}
		takePending()
		cancelTimer()
	}
	// Take the signals that arrived meanwhile into the next run's state.
	takePending()
	for pause.ReceiveAsync(nil) {
		st.Paused = true
	}
	for resume.ReceiveAsync(nil) {
		st.Paused = false
	}
	return Result{}, workflow.NewContinueAsNewError(ctx, MallSync, Input{
		Mall: in.Mall, StopWhenCaughtUp: stopWhenCaughtUp, CyclesPerRun: in.CyclesPerRun, Slice: in.Slice,
		Paused: st.Paused, TotalCycles: st.TotalCycles, Streams: st.Streams,
	})
}

func streamStatus(st *Status, stream mallsync.Stream) *StreamStatus {
	for i := range st.Streams {
		if st.Streams[i].Stream == stream {
			return &st.Streams[i]
		}
	}
	st.Streams = append(st.Streams, StreamStatus{Stream: stream})
	return &st.Streams[len(st.Streams)-1]
}

// permanent reports whether an activity failed for a reason retrying cannot fix.
func permanent(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && slices.Contains(nonRetryable, appErr.Type())
}

func anyFailed(st *Status) bool {
	for _, s := range st.Streams {
		if s.LastError != "" {
			return true
		}
	}
	return false
}
