// Package returns holds the ReturnFlow workflow and its activities: one workflow per return
// or exchange claim (ID return/<mall>/<claim>) that runs the claim from request to closure.
//
// It reacts to three things. The platform's own changes arrive as claim-event signals,
// delivered from the transactional outbox by the Dispatch activity (SignalWithStart), and a
// repeated event id is ignored. People act through Temporal Updates (complete-task, approve,
// reject, withdraw, reassign) whose validators refuse an action the flow cannot take now, with
// the reason. Timers watch the pickup, inspection and refund SLAs: on expiry the waited-for
// task's priority rises (or an agent follow-up task is opened) and a buyer notification is
// queued, once per SLA.
//
// The path: pickup requested → collected → arrived → an inspection task for logistics (or a
// photo_review task for an agent where the mall's policy says defect_verification: photo) →
// decision → write-back to the platform → ledger movement by ownership (direct: receipt into
// the warehouse or quarantine; logistics: receipt under the partner's ownership; consignment:
// no receipt, a return_to_supplier task) → refund recorded (the platform's completion) →
// closed. A rejected return that reached us, and an exchange's replacement, go out through a
// reshipment task whose result (the new invoice) is written back to the platform. A
// withdrawal (반품 철회) at any stage cancels the open tasks, reverses every movement under the
// claim's key prefix return/<claim>/ and, if the item reached the warehouse, opens exactly one
// reshipment task back to the buyer.
//
// Data stays in Postgres: the workflow's state holds keys, statuses, task ids and movement
// keys. Its history is bounded by the claim itself: a handful of platform events, at most a
// few tasks, one timer per SLA and one activity per step, so it never continues as new.
package returns
