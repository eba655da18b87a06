package connectors

import (
	"io"
	"strconv"
	"strings"
)

func ioNop(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func itoa(n int) string { return strconv.Itoa(n) }
