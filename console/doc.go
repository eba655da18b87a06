// Package console is mallsync's HTTP face for people: server-rendered pages and a JSON API
// over the same data, served by `mallsync serve` and `mallsync dev` (New builds the whole of
// it).
//
//   - Agents search every mall's orders in one box (/orders) and open an order (lines,
//     shipments, claims with their return flows and actions, notes, status timeline, raw
//     payload).
//   - Logistics work the task board (/tasks).
//   - Sales watch each mall's sync health and onboard new malls (/malls).
//
// Pages need the mallsync_session cookie that a login at /login sets; every route under /api/
// needs credentials: "Authorization: Bearer <token>" (scripts: an API token from the database,
// or one of MALLSYNC_API_TOKENS) or the session cookie. An Authenticator maps them to a user
// and a role (agent, logistics, sales, admin), and each route checks the role; DBAuth is the one
// over the database. Personal data is masked for roles that do not need it (mask.go). A request
// authenticated by its cookie that changes something must carry the session's CSRF token
// (X-CSRF-Token or a csrf form field). Every action a person takes is a row in the audit log.
// API errors are always {"error":{"code":"...","message":"..."}} with the matching HTTP status;
// the codes come from one table (errors.go). Tokens and passwords are never logged or echoed.
//
// Actions a workflow waits for (completing an inspection, approving or withdrawing a return) go
// through the workflow as Temporal Updates (mallsync.ReturnActions), so the workflow can refuse
// them at once with a reason; the package itself imports no Temporal or SQL.
package console
