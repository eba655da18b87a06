package mappings

import (
	"embed"
	"io/fs"
	"maps"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/mallsync/mallsync"
)

// shipped holds the files shipped with mallsync: platform files and the demo mall files.
//
//go:embed platforms/*.yaml malls/*.yaml
var shipped embed.FS

// EmbeddedFile is a file shipped inside the binary.
type EmbeddedFile struct {
	// Path is the file's path in the repository, e.g. "mappings/malls/demo-cafe24.yaml".
	// Errors about the file name it.
	Path string
	Data []byte
}

// Demo returns the demo mall files (mappings/malls/*.yaml), sorted by path. `mallsync dev`
// applies them; `mallsync mall init` can start from one.
func Demo() []EmbeddedFile { return embedded("malls") }

// DemoMalls parses every demo mall file. now resolves relative backfill starts.
func DemoMalls(now time.Time) ([]mallsync.Mall, error) {
	var out []mallsync.Mall
	for _, f := range Demo() {
		m, err := ParseMall(f.Path, f.Data, now)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// PlatformFiles returns the shipped platform files (mappings/platforms/*.yaml), sorted by path.
func PlatformFiles() []EmbeddedFile { return embedded("platforms") }

func embedded(dir string) []EmbeddedFile {
	entries, err := fs.ReadDir(shipped, dir)
	if err != nil {
		panic(err) // the directory is embedded: it exists
	}
	var out []EmbeddedFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		data, err := shipped.ReadFile(dir + "/" + e.Name())
		if err != nil {
			panic(err)
		}
		out = append(out, EmbeddedFile{Path: "mappings/" + dir + "/" + e.Name(), Data: data})
	}
	return out
}

type parsedStatusMap struct {
	m   mallsync.StatusMap
	err error
}

// statusMaps parses every shipped platform file once, keyed by the file's base name.
var statusMaps = sync.OnceValue(func() map[mallsync.Platform]parsedStatusMap {
	out := map[mallsync.Platform]parsedStatusMap{}
	for _, f := range PlatformFiles() {
		p := mallsync.Platform(strings.TrimSuffix(path.Base(f.Path), ".yaml"))
		m, err := ParseStatusMap(f.Path, f.Data)
		if err == nil && m.Platform != p {
			err = mallsync.Errorf(mallsync.EINTERNAL, "%s: says platform %q, expected %q from its name", f.Path, m.Platform, p)
		}
		out[p] = parsedStatusMap{m: m, err: err}
	}
	return out
})

// StatusMap returns the status map of platform p from the shipped platform file
// mappings/platforms/<p>.yaml, parsed once per process. The returned map is the caller's own
// copy. It returns ENOTFOUND when no file is shipped for p, and the file's *FileError when
// the shipped file is broken (a build that should not have passed its tests).
func StatusMap(p mallsync.Platform) (mallsync.StatusMap, error) {
	r, ok := statusMaps()[p]
	if !ok {
		return mallsync.StatusMap{}, mallsync.Errorf(mallsync.ENOTFOUND, "no platform file for platform %q", p)
	}
	if r.err != nil {
		return mallsync.StatusMap{}, r.err
	}
	return mallsync.StatusMap{Platform: r.m.Platform, Rules: maps.Clone(r.m.Rules)}, nil
}
