// Package smartstore will read and write Naver SmartStore (Commerce API) malls. Today it holds
// the client-credentials signature the token endpoint asks for (client_secret_sign, a bcrypt
// hash with the client secret as its salt) and the token source built on it, which keeps a
// token until 30 minutes before it expires. The connector's streams and write-backs, and the
// simulator beyond its token endpoint, are issue 4's work and not built yet.
package smartstore
