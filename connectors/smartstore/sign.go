package smartstore

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"golang.org/x/crypto/blowfish"
)

// bcryptAlphabet is bcrypt's own base64 alphabet.
const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

var bcryptB64 = base64.NewEncoding(bcryptAlphabet).WithPadding(base64.NoPadding)

// magic is the text bcrypt encrypts 64 times with the expensive key schedule.
var magic = []byte("OrpheanBeholderScryDoubt")

// ClientSecretSign is the client_secret_sign of a token request: base64 of the bcrypt hash
// of clientID + "_" + timestamp (epoch milliseconds), salted with the client secret, which is
// itself a bcrypt salt string ($2a$NN$ and 22 characters). Naver gives the client secret this
// shape so that the secret never travels: only a hash of it does.
func ClientSecretSign(clientID, clientSecret string, timestampMillis int64) (string, error) {
	h, err := bcryptWithSalt([]byte(clientID+"_"+strconv.FormatInt(timestampMillis, 10)), clientSecret)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(h), nil
}

// bcryptWithSalt is bcrypt (OpenBSD, versions 2a/2b/2y) of password with the given salt
// string. golang.org/x/crypto/bcrypt draws its own salt, so the hash is computed here on its
// blowfish package: the expensive key schedule, then "OrpheanBeholderScryDoubt" encrypted 64
// times.
func bcryptWithSalt(password []byte, salt string) ([]byte, error) {
	if len(salt) != 29 || salt[0] != '$' || salt[1] != '2' || salt[3] != '$' || salt[6] != '$' ||
		(salt[2] != 'a' && salt[2] != 'b' && salt[2] != 'y') {
		return nil, fmt.Errorf("the client secret is not a bcrypt salt ($2a$NN$ and 22 characters)")
	}
	cost, err := strconv.Atoi(salt[4:6])
	if err != nil || cost < 4 || cost > 31 {
		return nil, fmt.Errorf("the client secret's bcrypt cost %q is not 04 to 31", salt[4:6])
	}
	rawSalt, err := bcryptB64.DecodeString(salt[7:29])
	if err != nil || len(rawSalt) != 16 {
		// The 22nd character carries 2 bits only; decode it with its 4 spare bits cleared.
		rawSalt, err = decodeSalt(salt[7:29])
		if err != nil {
			return nil, err
		}
	}
	key := append(append([]byte{}, password...), 0) // NUL-terminated, at most 72 bytes
	if len(key) > 72 {
		key = key[:72]
	}
	c, err := blowfish.NewSaltedCipher(key, rawSalt)
	if err != nil {
		return nil, fmt.Errorf("bcrypt key schedule: %w", err)
	}
	for i := 0; i < 1<<cost; i++ {
		blowfish.ExpandKey(key, c)
		blowfish.ExpandKey(rawSalt, c)
	}
	text := append([]byte{}, magic...)
	for i := 0; i < 64; i++ {
		for j := 0; j < len(text); j += 8 {
			c.Encrypt(text[j:j+8], text[j:j+8])
		}
	}
	out := []byte(salt[:7])
	out = append(out, bcryptB64.EncodeToString(rawSalt)...)
	out = append(out, bcryptB64.EncodeToString(text[:23])...)
	return out, nil
}

// decodeSalt decodes 22 bcrypt-base64 characters into 16 bytes, ignoring the bits of the last
// character that do not fit (the way OpenBSD's bcrypt reads them).
func decodeSalt(s string) ([]byte, error) {
	var bits uint32
	var n int
	out := make([]byte, 0, 16)
	for i := 0; i < len(s); i++ {
		v := -1
		for j := 0; j < len(bcryptAlphabet); j++ {
			if bcryptAlphabet[j] == s[i] {
				v = j
				break
			}
		}
		if v < 0 {
			return nil, fmt.Errorf("the client secret's salt has a character %q outside bcrypt's alphabet", s[i])
		}
		bits, n = bits<<6|uint32(v), n+6
		if n >= 8 {
			n -= 8
			out = append(out, byte(bits>>n))
			bits &= 1<<n - 1
		}
	}
	if len(out) < 16 {
		return nil, fmt.Errorf("the client secret's salt is short")
	}
	return out[:16], nil
}
