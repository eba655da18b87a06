package mallsync

import (
	"context"
	"time"
)

// OAuthState is an authorization in flight: the state `mall connect` put in the authorize
// URL, for which mall and with which redirect URI. The callback takes it back once.
type OAuthState struct {
	State       string
	Mall        MallKey
	RedirectURI string
	ExpiresAt   time.Time
}

// OAuthStateStore keeps authorizations in flight.
type OAuthStateStore interface {
	// PutOAuthState stores a new state.
	PutOAuthState(ctx context.Context, s OAuthState) error
	// TakeOAuthState returns the state and deletes it, so it is used once. An unknown,
	// used or expired (at now) state is ENOTFOUND.
	TakeOAuthState(ctx context.Context, state string, now time.Time) (OAuthState, error)
}
