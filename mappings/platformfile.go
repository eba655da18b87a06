package mappings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode"

	"github.com/mallsync/mallsync"
	"go.yaml.in/yaml/v3"
)

// PlatformFileVersion is the platform file format version this package reads.
const PlatformFileVersion = 1

// Prior is the line status a platform file writes for a claim step that leaves the line as it
// was before the claim (StatusRule.KeepsPriorStatus).
const Prior = "prior"

// LoadStatusMapFile reads and parses the platform file at path. See ParseStatusMap.
func LoadStatusMapFile(path string) (mallsync.StatusMap, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return mallsync.StatusMap{}, mallsync.Errorf(mallsync.ENOTFOUND, "platform file %s does not exist", path)
	}
	if err != nil {
		return mallsync.StatusMap{}, fmt.Errorf("reading platform file: %w", err)
	}
	return ParseStatusMap(path, data)
}

// ParseStatusMap parses and validates a platform file's status map (format version 1, see the
// package doc). file names the file in error messages. On any problem it returns a *FileError
// listing every problem with its position: unknown fields, duplicate codes, unknown line
// statuses, claim kinds or claim statuses, a claim_status without a claim.
func ParseStatusMap(file string, data []byte) (mallsync.StatusMap, error) {
	c := &checker{file: file}
	root := c.decodeDocument(data, "a platform file starting with version: 1")
	if root == nil {
		return mallsync.StatusMap{}, c.err()
	}
	m := c.statusMap(root)
	if err := c.err(); err != nil {
		return mallsync.StatusMap{}, err
	}
	return m, nil
}

func lineChoices() []string {
	out := make([]string, 0, len(mallsync.LineStatuses)+1)
	for _, s := range mallsync.LineStatuses {
		out = append(out, string(s))
	}
	return append(out, Prior)
}

func claimStatusChoices() []string {
	out := make([]string, 0, len(mallsync.ClaimStatuses))
	for _, s := range mallsync.ClaimStatuses {
		out = append(out, string(s))
	}
	return out
}

var claimKinds = []string{string(mallsync.ClaimCancel), string(mallsync.ClaimReturn), string(mallsync.ClaimExchange)}

func (c *checker) statusMap(root *yaml.Node) mallsync.StatusMap {
	m := mallsync.StatusMap{Rules: map[string]mallsync.StatusRule{}}
	top, ok := c.object(root, "", "a platform file (a mapping starting with version: 1)", "version", "platform", "statuses")
	if !ok {
		return m
	}
	if v, n, ok := top.whole("version", "1"); ok && v != PlatformFileVersion {
		top.bad("version", n, "1")
	} else if n == nil {
		top.missing("version", "version: 1")
	}
	expectPlatform := "one of " + strings.Join(platforms, ", ")
	if s, n, ok := top.text("platform", expectPlatform); ok {
		if top.oneOf("platform", n, s, platforms) {
			m.Platform = mallsync.Platform(s)
		}
	} else if n == nil {
		top.missing("platform", expectPlatform)
	}

	n := top.get("statuses")
	if n == nil {
		top.missing("statuses", "a mapping from status code to { label, line, claim, claim_status }")
		return m
	}
	if n.Kind != yaml.MappingNode {
		top.bad("statuses", n, "a mapping from status code to { label, line, claim, claim_status }")
		return m
	}
	if len(n.Content) == 0 {
		c.at(n, "statuses: expected at least one status code")
	}
	firsts := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) || k.Value == "" || strings.IndexFunc(k.Value, unicode.IsSpace) >= 0 {
			c.at(k, "statuses: expected a status code like N10, got %s", describe(k))
			continue
		}
		code := k.Value
		if first, dup := firsts[code]; dup {
			c.at(k, "duplicate status code %q (first at line %d)", code, first.Line)
			continue
		}
		firsts[code] = k
		if r, ok := c.statusRule(code, v); ok {
			m.Rules[code] = r
		}
	}
	return m
}

func (c *checker) statusRule(code string, n *yaml.Node) (mallsync.StatusRule, bool) {
	r := mallsync.StatusRule{Code: code}
	path := "statuses." + code
	const expectRule = "a mapping like { label: 배송중, line: shipped }"
	if isNull(deref(n)) {
		c.at(deref(n), "%s: expected %s, got nothing", path, expectRule)
		return r, false
	}
	o, ok := c.object(n, path, expectRule, "label", "line", "claim", "claim_status")
	if !ok {
		return r, false
	}
	before := len(c.probs)

	const expectLabel = "the platform's name for the code, like 배송중"
	if s, n, ok := o.text("label", expectLabel); ok && strings.TrimSpace(s) != "" {
		r.Label = strings.TrimSpace(s)
	} else if ok {
		o.bad("label", n, expectLabel)
	} else if n == nil {
		o.missing("label", expectLabel)
	}

	lines := lineChoices()
	expectLine := "one of " + strings.Join(lines, ", ")
	lineN := o.get("line")
	if s, n, ok := o.text("line", expectLine); ok {
		if o.oneOf("line", n, s, lines) {
			if s == Prior {
				r.KeepsPriorStatus = true
			} else {
				r.Line = mallsync.LineStatus(s)
			}
		}
	} else if n == nil {
		o.missing("line", expectLine)
	}

	claimN := o.get("claim")
	expectKind := "one of " + strings.Join(claimKinds, ", ")
	if s, n, ok := o.text("claim", expectKind); ok && o.oneOf("claim", n, s, claimKinds) {
		r.ClaimKind = mallsync.ClaimKind(s)
	}
	statuses := claimStatusChoices()
	statusN := o.get("claim_status")
	if s, n, ok := o.text("claim_status", "one of "+strings.Join(statuses, ", ")); ok && o.oneOf("claim_status", n, s, statuses) {
		r.ClaimStatus = mallsync.ClaimStatus(s)
	}

	switch {
	case statusN != nil && claimN == nil:
		c.at(statusN, "%s.claim_status: needs a claim (%s) beside it", path, strings.Join(claimKinds, ", "))
	case claimN != nil && statusN == nil:
		o.missing("claim_status", "the unified claim status of this step, one of "+strings.Join(statuses, ", "))
	}
	if r.KeepsPriorStatus && claimN == nil && lineN != nil {
		c.at(lineN, "%s.line: prior keeps the status before a claim, so it needs a claim (%s)", path, strings.Join(claimKinds, ", "))
	}
	return r, len(c.probs) == before
}
