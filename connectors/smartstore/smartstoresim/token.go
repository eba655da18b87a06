package smartstoresim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// tokenEndpoint serves POST /v1/oauth2/token: the client-credentials grant, signed with
// client_secret_sign (checked with x/crypto/bcrypt, independently of the connector's signer)
// and a timestamp within five minutes of the clock. While the current token has 30 minutes or
// more left the same token comes back, as Naver does.
func (s *Server) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	s.tokens.Add(1)
	if err := r.ParseForm(); err != nil {
		fail(w, http.StatusBadRequest, "BadRequest", "the body must be a form", nil)
		return
	}
	id, secret := s.App()
	if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != id {
		fail(w, http.StatusBadRequest, "BadRequest", "unknown client_id or grant_type", nil)
		return
	}
	ts, err := strconv.ParseInt(r.PostForm.Get("timestamp"), 10, 64)
	now := s.clock.Now()
	if err != nil || !s.clock.Near(time.UnixMilli(ts), 5*time.Minute) {
		fail(w, http.StatusBadRequest, "BadRequest", "timestamp is not within 5 minutes of the server's clock", nil)
		return
	}
	hash, err := base64.StdEncoding.DecodeString(r.PostForm.Get("client_secret_sign"))
	// The hash must be of client_id_timestamp and carry the app's secret as its salt (the
	// salt's 22nd character holds 2 bits, so bcrypt may write it otherwise: compare 28).
	if err != nil || len(hash) != 60 || len(secret) < 29 || string(hash[:28]) != secret[:28] ||
		bcrypt.CompareHashAndPassword(hash, []byte(id+"_"+strconv.FormatInt(ts, 10))) != nil {
		fail(w, http.StatusUnauthorized, "Unauthorized", "client_secret_sign is wrong", nil)
		return
	}
	s.tmu.Lock()
	if s.token == "" || s.expires.Sub(now) < 30*time.Minute {
		var b [16]byte
		_, _ = rand.Read(b[:])
		s.token, s.expires = hex.EncodeToString(b[:]), now.Add(tokenLife)
		s.issued++
	}
	tok, left := s.token, s.expires.Sub(now)
	s.tmu.Unlock()
	b, _ := json.Marshal(map[string]any{"access_token": tok, "expires_in": int64(left.Seconds()), "token_type": "Bearer"})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
