// Package sync holds the MallSync workflow and its activities: one long-running workflow per
// mall (ID sync/<mall>) that runs each stream's SyncStream activity, sleeps the mall's
// interval, answers sync-now, pause and resume signals and a status query, and continues as new
// every so many cycles.
//
// Data does not travel through Temporal: SyncStream fetches a page, maps it and commits it with
// its cursor in one Postgres transaction, heartbeats the cursor and goes on, until the stream is
// caught up or its time slice ends. Workflow inputs, results and queries carry keys, cursors
// and counts only. A crash at any point resumes from the last committed cursor.
package sync
