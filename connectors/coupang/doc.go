// Package coupang will read and write Coupang WING malls. Today it holds the request signing
// every call needs (HMAC-SHA256, the "CEA" Authorization header); the connector, its
// simulator and its streams are issue 4's work and not built yet.
package coupang
