// Package connectors holds what every platform connector shares: the Connector interface the
// sync activities call, the registry that builds one connector per mall, and the HTTP plumbing
// (retrying transport, per-account rate budget, typed HTTP errors).
//
// A connector is thin over its platform's client: it fetches a page, maps platform JSON to
// domain records (statuses through the platform's status map file), and says where the stream
// goes next. It never writes to the database; the sync activity does that.
package connectors
