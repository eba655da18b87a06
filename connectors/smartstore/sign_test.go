package smartstore

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// The example of Naver's Commerce API documentation.
func TestClientSecretSignKnownVector(t *testing.T) {
	t.Parallel()
	got, err := ClientSecretSign("aaaabbbbcccc", "$2a$10$abcdefghijklmnopqrstuv", 1643961623299)
	if err != nil {
		t.Fatal(err)
	}
	const want = "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy"
	if got != want {
		t.Fatalf("client_secret_sign = %s, want %s", got, want)
	}
}

// The hash is bcrypt: golang.org/x/crypto/bcrypt accepts it for the same password.
func TestBcryptWithSaltIsBcrypt(t *testing.T) {
	t.Parallel()
	for _, salt := range []string{"$2a$04$abcdefghijklmnopqrstuu", "$2b$05$ABCDEFGHIJKLMNOPQRSTUV", "$2a$04$..............................."[:29]} {
		h, err := bcryptWithSalt([]byte("client_1700000000000"), salt)
		if err != nil {
			t.Fatalf("%s: %v", salt, err)
		}
		if err := bcrypt.CompareHashAndPassword(h, []byte("client_1700000000000")); err != nil {
			t.Errorf("%s: x/crypto/bcrypt refuses %s: %v", salt, h, err)
		}
		if !strings.HasPrefix(string(h), salt[:7]) || len(h) != 60 {
			t.Errorf("%s: hash %s", salt, h)
		}
	}
}

func TestClientSecretSignRefusesWhatIsNotASalt(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{"", "secret", "$2a$10$short", "$3a$10$abcdefghijklmnopqrstuv", "$2a$99$abcdefghijklmnopqrstuv", "$2a$10$abcdefghijklmnopqrst!v"} {
		if _, err := ClientSecretSign("id", secret, 1); err == nil {
			t.Errorf("%q accepted as a bcrypt salt", secret)
		}
	}
}
