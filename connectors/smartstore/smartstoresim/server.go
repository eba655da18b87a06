package smartstoresim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/mallsync/mallsync/connectors/simclock"
)

// tokenLife is how long an access token lives (expires_in 10800).
const tokenLife = 3 * time.Hour

// Server is the simulator.
type Server struct {
	clientID, clientSecret string
	clock                  *simclock.Clock

	mu      sync.Mutex
	token   string
	expires time.Time
	issued  int
}

// New returns a simulator for one app (clientSecret must be a bcrypt salt string) on clock.
func New(clientID, clientSecret string, clock *simclock.Clock) *Server {
	return &Server{clientID: clientID, clientSecret: clientSecret, clock: clock}
}

// Issued counts the distinct tokens handed out.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// Handler serves the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/oauth2/token", s.tokenEndpoint)
	return mux
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]any{"code": code, "message": msg, "timestamp": time.Now().Format(time.RFC3339), "traceId": "sim"})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, http.StatusBadRequest, "BadRequest", "the body must be a form")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != s.clientID {
		fail(w, http.StatusBadRequest, "BadRequest", "unknown client_id or grant_type")
		return
	}
	ts, err := strconv.ParseInt(r.PostForm.Get("timestamp"), 10, 64)
	now := s.clock.Now()
	if err != nil || time.UnixMilli(ts).Sub(now).Abs() > 5*time.Minute {
		fail(w, http.StatusBadRequest, "BadRequest", "timestamp is not within 5 minutes of the server's clock")
		return
	}
	hash, err := base64.StdEncoding.DecodeString(r.PostForm.Get("client_secret_sign"))
	// The hash must be of client_id_timestamp and carry the app's secret as its salt (the
	// salt's 22nd character holds 2 bits, so bcrypt may write it otherwise: compare 28).
	if err != nil || len(hash) != 60 || len(s.clientSecret) < 29 || string(hash[:28]) != s.clientSecret[:28] ||
		bcrypt.CompareHashAndPassword(hash, []byte(s.clientID+"_"+strconv.FormatInt(ts, 10))) != nil {
		fail(w, http.StatusUnauthorized, "Unauthorized", "client_secret_sign is wrong")
		return
	}
	s.mu.Lock()
	if s.token == "" || s.expires.Sub(now) < 30*time.Minute {
		var b [16]byte
		_, _ = rand.Read(b[:])
		s.token, s.expires = hex.EncodeToString(b[:]), now.Add(tokenLife)
		s.issued++
	}
	tok, left := s.token, s.expires.Sub(now)
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"access_token": tok, "expires_in": int64(left.Seconds()), "token_type": "Bearer"})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
