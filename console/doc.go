// Package console is mallsync's HTTP face for people: for now a small JSON API over tasks
// (the logistics task board and agents' photo reviews); the console issue grows it into pages
// for agents, logistics and sales over the same handlers.
//
// Every route under /api/ needs credentials: "Authorization: Bearer <token>" (scripts: an API
// token from the database, or one of MALLSYNC_API_TOKENS) or the mallsync_session cookie that
// POST /login sets (people). An Authenticator maps them to a user and a role (agent, logistics,
// sales, admin), and each route checks the role; DBAuth is the one over the database. A request
// authenticated by its cookie that changes something must carry the session's CSRF token
// (X-CSRF-Token or a csrf form field). Every action a person takes is a row in the audit log.
// Errors are always {"error":{"code":"...","message":"..."}} with the matching HTTP status;
// the codes come from one table (errors.go). Tokens are never logged or echoed.
//
// Completing a task that a workflow waits for (a ReturnFlow's inspection) goes through the
// workflow as a Temporal Update (mallsync.ReturnActions), so the workflow can refuse it at once
// with a reason; the workflow then closes the task. Other tasks are completed in the store.
package console
