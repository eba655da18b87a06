package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
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
	if _, ok := previewers[mallsync.Platform(*platform)]; !ok {
		return fmt.Errorf("preview: unknown platform %q; %s are known", *platform, knownPreviewPlatforms())
	}
	file := fs.Arg(0)
	body, err := readPreviewFile(file)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	p, err := previewResponse(mallsync.Platform(*platform), *resource, body)
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

// previewer maps saved API responses of one platform with the code its sync runs.
type previewer struct {
	// resources are the responses it reads (it also takes a few aliases, see the connectors).
	resources []string
	preview   func(resource string, body []byte, statuses mallsync.StatusMap) (connectors.Preview, error)
}

// previewers are the platforms a preview knows: the preview command's and the console's.
var previewers = map[mallsync.Platform]previewer{
	mallsync.PlatformCafe24:     {cafe24.PreviewResources, cafe24.PreviewResponse},
	mallsync.PlatformCoupang:    {coupang.PreviewResources, coupang.PreviewResponse},
	mallsync.PlatformSmartStore: {smartstore.PreviewResources, smartstore.PreviewResponse},
}

// knownPreviewPlatforms names the platforms previewers knows, for messages.
func knownPreviewPlatforms() string {
	names := make([]string, 0, len(previewers))
	for p := range previewers {
		names = append(names, string(p))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// previewResponse maps a saved response of platform's resource with the platform's status
// map. An EINVALID error means the platform is unknown or body is not that resource's answer.
func previewResponse(platform mallsync.Platform, resource string, body []byte) (connectors.Preview, error) {
	p, ok := previewers[platform]
	if !ok {
		return connectors.Preview{}, mallsync.Errorf(mallsync.EINVALID, "unknown platform %q; %s are known", platform, knownPreviewPlatforms())
	}
	statuses, err := mappings.StatusMap(platform)
	if err != nil {
		return connectors.Preview{}, err
	}
	return p.preview(resource, body, statuses)
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
