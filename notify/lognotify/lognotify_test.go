package lognotify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/notify/lognotify"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"반품 회수가 지연되고 있습니다.", "반품 회수가 지연되고 있습니다."},
		{"문의: 010-1234-5678", "문의: [redacted]"},
		{"연락처01012345678로", "연락처[redacted]로"},
		{"서울 02-123-4567 또는 +82 10-9876-5432", "서울 [redacted] 또는 [redacted]"},
		{"메일 buyer.kim@example.co.kr 로 안내", "메일 [redacted] 로 안내"},
		{"주문 20260701-0000001 재배송 CJ 123456789012", "주문 20260701-0000001 재배송 CJ 123456789012"},
	}
	for _, tt := range tests {
		if got := lognotify.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSenderLogsOneLineWithoutPersonalData(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := &lognotify.Sender{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	n := mallsync.Notification{Key: "return/shop-a/C-1/sla/pickup", Mall: "shop-a", PlatformOrderID: "O-1",
		ClaimID: "C-1", Kind: "sla_pickup", Body: "회수 지연 안내 (문의 010-1234-5678)"}
	if err := s.SendNotification(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("one JSON line expected: %q: %v", buf.String(), err)
	}
	want := map[string]string{"msg": "buyer notification", "key": n.Key, "mall": "shop-a", "order": "O-1",
		"claim": "C-1", "kind": "sla_pickup", "body": "회수 지연 안내 (문의 [redacted])"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %q", k, line[k], v)
		}
	}
	if bytes.Contains(buf.Bytes(), []byte("5678")) {
		t.Fatalf("the phone number reached the log: %s", buf.String())
	}
}
