package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// serveInBackground listens on addr and serves h until stop is called. It returns the
// server's base URL (http://host:port, the port chosen when addr ends in :0).
func serveInBackground(ctx context.Context, addr string, h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	return fmt.Sprintf("http://%s", ln.Addr()), func() { _ = srv.Shutdown(context.WithoutCancel(ctx)) }, nil
}
