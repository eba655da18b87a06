//go:build nodev

package main

import (
	"context"
	"errors"
	"io"
)

// runDev is absent from binaries built with -tags nodev: they do not link the Temporal server,
// which keeps a production worker's memory small. Build without the tag for `mallsync dev`.
func runDev(context.Context, []string, env, io.Writer, io.Writer) error {
	return errors.New("dev: this binary was built with -tags nodev (no in-process Temporal server); build without it")
}
