// Package smartstoresim is a Naver SmartStore (Commerce API) simulator. Built so far: the
// token endpoint, which checks client_secret_sign with golang.org/x/crypto/bcrypt (independently
// of the connector's signer) and a timestamp within five minutes of its clock, and hands back
// the same token while it has 30 minutes or more left, as Naver does. Orders, changes, claims
// and writes are issue 4's work and not built yet.
package smartstoresim
