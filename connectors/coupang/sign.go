package coupang

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// signedDateLayout is Coupang's signed-date: UTC yyMMdd'T'HHmmss'Z'.
const signedDateLayout = "060102T150405Z"

// Signature is hex(HMAC-SHA256(secretKey, signedDate + method + path + query)), the query
// without its "?" and byte for byte as it is sent.
func Signature(secretKey, signedDate, method, path, rawQuery string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(signedDate + method + path + rawQuery))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign sets req's Authorization header for the moment at: "CEA algorithm=HmacSHA256,
// access-key=…, signed-date=…, signature=…". It signs the path and query exactly as req will
// send them (URL.EscapedPath and URL.RawQuery), so that what the gateway sees is what was
// signed; build the query once, before signing, and do not change it afterwards.
func Sign(req *http.Request, accessKey, secretKey string, at time.Time) {
	date := at.UTC().Format(signedDateLayout)
	sig := Signature(secretKey, date, req.Method, req.URL.EscapedPath(), req.URL.RawQuery)
	req.Header.Set("Authorization", "CEA algorithm=HmacSHA256, access-key="+accessKey+", signed-date="+date+", signature="+sig)
}
