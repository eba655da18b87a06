package cafe24

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/mallsync/mallsync"
)

// maxWebhookBody caps a webhook's body; Cafe24's envelopes are a few hundred bytes, bulk
// events a few kilobytes.
const maxWebhookBody = 64 << 10

// Webhook is one Cafe24 webhook envelope: {"event_no":90023,"resource":{"mall_id":..,
// "event_shop_no":"1","order_id":"20260701-0000013,20260701-0000014"}}.
type Webhook struct {
	EventNo  int `json:"event_no"`
	Resource struct {
		MallID      string          `json:"mall_id"`
		EventShopNo json.RawMessage `json:"event_shop_no"`
		OrderID     string          `json:"order_id"`
	} `json:"resource"`
}

// OrderIDs lists the order ids the webhook names (bulk events join them with commas).
func (w Webhook) OrderIDs() []string {
	var out []string
	for _, id := range strings.Split(w.Resource.OrderID, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// MallFinder finds the stored malls of a platform account.
type MallFinder interface {
	Malls(ctx context.Context) ([]mallsync.Mall, error)
}

// Signaler asks a mall's sync to run a pass now. eventID names the cause, so a repeated
// webhook is ignored by the workflow.
type Signaler interface {
	SyncNow(ctx context.Context, mall mallsync.MallKey, eventID string) error
}

// WebhookHandler receives Cafe24 webhooks (POST, JSON envelope, X-API-Key). It finds the
// malls whose mall_id the webhook names, checks X-API-Key against each one's webhook key (in
// its sealed credential) in constant time, and signals their syncs: a webhook is a hint to
// poll sooner, nothing in its body is stored. Answers: 200 once signalled (also when the
// sync is not running: the next pass reads the change anyway), 403 on a missing or wrong key
// or an unknown mall, 400 on a body that is not an envelope, 405 on another method.
type WebhookHandler struct {
	Malls       MallFinder
	Credentials mallsync.CredentialStore
	Signal      Signaler
	Logger      *slog.Logger
}

func (h *WebhookHandler) logger() *slog.Logger {
	if h.Logger == nil {
		return slog.Default()
	}
	return h.Logger
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		webhookError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		webhookError(w, http.StatusBadRequest, "the body could not be read or is larger than 64 KiB")
		return
	}
	var hook Webhook
	if err := json.Unmarshal(body, &hook); err != nil || hook.EventNo == 0 || hook.Resource.MallID == "" {
		webhookError(w, http.StatusBadRequest, "the body is not a Cafe24 webhook envelope (event_no, resource.mall_id)")
		return
	}
	key := r.Header.Get("X-API-Key")
	malls, err := h.mallsFor(r.Context(), hook.Resource.MallID, key)
	if err != nil {
		h.logger().Error("cafe24 webhook: finding the mall", "mall_id", hook.Resource.MallID, "error", err)
		webhookError(w, http.StatusServiceUnavailable, "try again later")
		return
	}
	if len(malls) == 0 {
		h.logger().Warn("cafe24 webhook refused: no mall with that mall_id and key", "mall_id", hook.Resource.MallID,
			"event_no", hook.EventNo, "key_given", key != "")
		webhookError(w, http.StatusForbidden, "X-API-Key does not match")
		return
	}
	id := eventID(body)
	for _, m := range malls {
		if err := h.Signal.SyncNow(r.Context(), m.Key, id); err != nil {
			// The sync may be stopped or paused; its next pass still reads the change.
			h.logger().Warn("cafe24 webhook: signalling the sync", "mall", m.Key, "event_no", hook.EventNo, "error", err)
			continue
		}
		h.logger().Debug("cafe24 webhook: sync signalled", "mall", m.Key, "event_no", hook.EventNo, "orders", len(hook.OrderIDs()))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, `{"result":"ok"}`)
}

// mallsFor returns the Cafe24 malls on mallID whose webhook key equals key.
func (h *WebhookHandler) mallsFor(ctx context.Context, mallID, key string) ([]mallsync.Mall, error) {
	all, err := h.Malls.Malls(ctx)
	if err != nil {
		return nil, err
	}
	var out []mallsync.Mall
	for _, m := range all {
		if m.Platform != mallsync.PlatformCafe24 || m.Account.MallID != mallID {
			continue
		}
		c, err := h.Credentials.Credential(ctx, m.CredentialsRef)
		if mallsync.ErrorCode(err) == mallsync.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		want := c.Client.WebhookKey
		if want != "" && subtle.ConstantTimeCompare([]byte(key), []byte(want)) == 1 {
			out = append(out, m)
		}
	}
	return out, nil
}

// eventID names a webhook by its body: Cafe24 sends no delivery id, and a resend carries the
// same body.
func eventID(body []byte) string {
	sum := sha256.Sum256(body)
	return "cafe24-webhook:" + hex.EncodeToString(sum[:12])
}

func webhookError(w http.ResponseWriter, status int, msg string) {
	b, err := json.Marshal(map[string]map[string]any{"error": {"code": status, "message": msg}})
	if err != nil {
		b = []byte(`{"error":{"code":` + strconv.Itoa(status) + `}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
