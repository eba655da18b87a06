package secret

import (
	"bytes"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	t.Parallel()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseKey(k)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"refresh_token":"r-123"}`)
	sealed, err := b.Seal(plain, "mall-a")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("r-123")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := b.Open(sealed, "mall-a")
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tests := []struct {
		name    string
		sealed  []byte
		context string
	}{
		{"other context", sealed, "mall-b"},
		{"tampered", append(append([]byte{}, sealed[:len(sealed)-1]...), sealed[len(sealed)-1]^1), "mall-a"},
		{"short", sealed[:5], "mall-a"},
	}
	for _, tt := range tests {
		if _, err := b.Open(tt.sealed, tt.context); err == nil {
			t.Errorf("%s: Open succeeded", tt.name)
		}
	}
	other, _ := NewKey()
	okey, _ := ParseKey(other)
	ob, _ := NewBox(okey)
	if _, err := ob.Open(sealed, "mall-a"); err == nil {
		t.Error("Open with another key succeeded")
	}
}

func TestParseKeyRefusesWithoutEcho(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "c2hvcnQ=", "not base64 at all!!", strings.Repeat("A", 100)} {
		_, err := ParseKey(in)
		if err == nil {
			t.Errorf("ParseKey(%q) succeeded", in)
			continue
		}
		if in != "" && strings.Contains(err.Error(), in) {
			t.Errorf("error repeats the key: %v", err)
		}
	}
}
