package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mallsync/mallsync"
	"github.com/mallsync/mallsync/connectors"
	"github.com/mallsync/mallsync/connectors/cafe24"
	"github.com/mallsync/mallsync/connectors/coupang"
	"github.com/mallsync/mallsync/connectors/smartstore"
	"github.com/mallsync/mallsync/mappings"
)

// maxPreviewFile caps the file preview reads: a saved page of 1,000 orders is a few MB.
const maxPreviewFile = 64 << 20

// runPreview maps a saved API response to unified records and prints them as JSON on stdout;
// each record that does not map is named with its reason on stderr, and the command fails.
func runPreview(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("preview", stderr)
	platform := fs.String("platform", string(mallsync.PlatformCafe24), "platform whose response FILE is: cafe24, coupang or smartstore")
	resource := fs.String("resource", "orders", "what FILE is: for cafe24 "+strings.Join(cafe24.PreviewResources, ", ")+
		"; for coupang "+strings.Join(coupang.PreviewResources, ", ")+" (orders = ordersheets)"+
		"; for smartstore "+strings.Join(smartstore.PreviewResources, ", ")+" (orders = product-orders)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("preview: expected one FILE (a saved API response; - for stdin)")
	}
	previews := map[mallsync.Platform]func(string, []byte, mallsync.StatusMap) (connectors.Preview, error){
		mallsync.PlatformCafe24: cafe24.PreviewResponse, mallsync.PlatformCoupang: coupang.PreviewResponse,
		mallsync.PlatformSmartStore: smartstore.PreviewResponse,
	}
	preview, ok := previews[mallsync.Platform(*platform)]
	if !ok {
		return fmt.Errorf("preview: unknown platform %q; cafe24, coupang and smartstore are known", *platform)
	}
	file := fs.Arg(0)
	body, err := readPreviewFile(file)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	statuses, err := mappings.StatusMap(mallsync.Platform(*platform))
	if err != nil {
		return err
	}
	p, err := preview(*resource, body, statuses)
	if err != nil {
		return fmt.Errorf("%s: %s", file, mallsync.ErrorMessage(err))
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("preview: writing: %w", err)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(stderr, "%s: %s: %s\n", file, e.Record, e.Reason)
	}
	if len(p.Errors) > 0 {
		return fmt.Errorf("%d of %d records in %s do not map", len(p.Errors), p.Records(), file)
	}
	return nil
}

func readPreviewFile(name string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPreviewFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(b) > maxPreviewFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxPreviewFile>>20)
	}
	return b, nil
}
