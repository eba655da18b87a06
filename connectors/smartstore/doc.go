// Package smartstore will read and write Naver SmartStore (Commerce API) malls. Today it holds
// the client-credentials signature the token endpoint asks for (client_secret_sign, a bcrypt
// hash with the client secret as its salt); the connector, its simulator and its streams are
// issue 4's work and not built yet.
package smartstore
