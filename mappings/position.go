package mappings

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mallsync/mallsync"
	"go.yaml.in/yaml/v3"
)

// FileError lists every problem found in one mall or platform file. Its Error method prints
// one line per problem, "file:line:col: message", sorted by position. Problems without a
// column (YAML syntax errors report only a line) print as "file:line: message".
//
// A *FileError unwraps to a *mallsync.Error with code EINVALID whose message is the first
// problem, so mallsync.ErrorCode and mallsync.ErrorMessage work on it.
type FileError struct {
	File     string
	Problems []Problem
}

// Problem is one thing wrong in a file, at a 1-based line and column (0 when unknown).
type Problem struct {
	Line, Col int
	Message   string
}

// Error implements error.
func (e *FileError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.format(p))
	}
	return b.String()
}

// Unwrap returns an EINVALID *mallsync.Error carrying the first problem, with its position.
func (e *FileError) Unwrap() error {
	msg := e.File + ": invalid file"
	if len(e.Problems) > 0 {
		msg = e.format(e.Problems[0])
	}
	return &mallsync.Error{Code: mallsync.EINVALID, Message: msg}
}

func (e *FileError) format(p Problem) string {
	switch {
	case p.Line <= 0:
		return fmt.Sprintf("%s: %s", e.File, p.Message)
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d: %s", e.File, p.Line, p.Message)
	default:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, p.Line, p.Col, p.Message)
	}
}

// maxProblems bounds the problems kept for one file: past it, more lines help nobody.
const maxProblems = 100

// checker collects the problems of one file while its YAML tree is walked.
type checker struct {
	file  string
	probs []Problem
}

// at records a problem at n's position (the top of the file when n is nil).
func (c *checker) at(n *yaml.Node, format string, args ...any) {
	p := Problem{Line: 1, Col: 1, Message: fmt.Sprintf(format, args...)}
	if n != nil && n.Line > 0 {
		p.Line, p.Col = n.Line, n.Column
	}
	c.probs = append(c.probs, p)
}

// err returns the collected problems as a *FileError sorted by position, or nil.
func (c *checker) err() error {
	if len(c.probs) == 0 {
		return nil
	}
	probs := slices.Clone(c.probs)
	slices.SortStableFunc(probs, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	if len(probs) > maxProblems {
		rest := len(probs) - maxProblems
		probs = append(probs[:maxProblems], Problem{Message: fmt.Sprintf("%d more problems not shown", rest)})
	}
	return &FileError{File: c.file, Problems: probs}
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

var yamlLineErr = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserProblems are the YAML parser's (not scanner's) problems. For them the library reports
// a 0-based line, the line where the enclosing collection starts; scanner problems come with
// a 1-based line.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// readerProblems are the YAML reader's problems, which come without a position.
var readerProblems = []string{
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
	"control characters are not allowed",
	"invalid BOM",
	"input error",
}

// syntaxProblem turns an error from the YAML parser into a Problem with its 1-based line.
// The library leaves the line out when it is the first one.
func syntaxProblem(err error, data []byte) Problem {
	m := yamlLineErr.FindStringSubmatch(err.Error())
	if m == nil {
		return Problem{Message: "invalid YAML: " + err.Error()}
	}
	msg := m[2]
	if a := unknownAnchor.FindStringSubmatch(msg); a != nil {
		// The library does not say where; the first use of the alias is a good guess.
		p := Problem{Message: "invalid YAML: " + msg}
		if i := bytes.Index(data, []byte("*"+a[1])); i >= 0 {
			p.Line = bytes.Count(data[:i], []byte("\n")) + 1
			p.Col = utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i]) + 1
		}
		return p
	}
	if slices.Contains(readerProblems, msg) {
		return Problem{Message: "invalid YAML: " + msg}
	}
	line := 1
	if m[1] != "" {
		line, _ = strconv.Atoi(m[1])
		if slices.Contains(parserProblems, msg) {
			line++
		}
	}
	return Problem{Line: line, Message: "invalid YAML: " + msg}
}

// decodeDocument parses data as exactly one YAML document and returns its root node, or nil
// after recording why there is none (syntax error, empty file, several documents).
func (c *checker) decodeDocument(data []byte, what string) (root *yaml.Node) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			c.at(nil, "file is empty; expected %s", what)
		} else {
			c.probs = append(c.probs, syntaxProblem(err, data))
		}
		return nil
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		c.probs = append(c.probs, syntaxProblem(err, data))
		return nil
	default:
		c.at(&extra, "expected one YAML document, found a second one (remove the ---)")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		c.at(nil, "file is empty; expected %s", what)
		return nil
	}
	root = deref(doc.Content[0])
	if isNull(root) {
		c.at(root, "file is empty; expected %s", what)
		return nil
	}
	return root
}

// safeDecode decodes the next document, turning a panic inside the YAML library into an
// error: a file must never bring the process down.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(n)
}

// deref follows an alias to the node it names, keeping the alias's position so problems point
// to where the value is used.
func deref(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.AliasNode || n.Alias == nil {
		return n
	}
	v := *n.Alias
	v.Line, v.Column = n.Line, n.Column
	return &v
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe says what a node is, for "got ..." in messages.
func describe(n *yaml.Node) string {
	n = deref(n)
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	v := n.Value
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "..."
	}
	if n.ShortTag() == "!!str" {
		return strconv.Quote(v)
	}
	return v
}

// object is one YAML mapping being read field by field.
type object struct {
	c    *checker
	path string                // "sync", "contacts[0]"; "" at the top
	node *yaml.Node            // the mapping, for positions of missing fields
	vals map[string]*yaml.Node // field values, aliases followed
	keys map[string]*yaml.Node // field names, for positions
}

// object checks that n is a mapping whose keys are all in allowed, each once, and returns it
// for reading. A null n (an empty section) is an empty object; ok is false when n is
// something else than a mapping, after recording that.
func (c *checker) object(n *yaml.Node, path, expect string, allowed ...string) (o object, ok bool) {
	o = object{c: c, path: path, node: n, vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	n = deref(n)
	if isNull(n) {
		return o, true
	}
	if n.Kind != yaml.MappingNode {
		c.at(n, "%s: expected %s, got %s", label(path), expect, describe(n))
		return o, false
	}
	o.node = n
	firsts := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			c.at(k, "%s: expected a field name, got %s", label(path), describe(k))
			continue
		}
		if first, dup := firsts[k.Value]; dup {
			c.at(k, "duplicate field %q%s (first at line %d)", k.Value, in(path), first.Line)
			continue
		}
		firsts[k.Value] = k
		if !slices.Contains(allowed, k.Value) {
			c.at(k, "unknown field %q%s; expected one of %s", k.Value, in(path), strings.Join(allowed, ", "))
			continue
		}
		o.vals[k.Value], o.keys[k.Value] = deref(v), k
	}
	return o, true
}

func label(path string) string {
	if path == "" {
		return "file"
	}
	return path
}

func in(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

// field returns the path of field name inside o.
func (o object) field(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

// get returns the value of name, nil when absent or null.
func (o object) get(name string) *yaml.Node {
	v := o.vals[name]
	if isNull(v) {
		return nil
	}
	return v
}

// raw returns the value of name even when it is null, nil when absent.
func (o object) raw(name string) *yaml.Node { return o.vals[name] }

// missing records that the required field name is absent.
// It points at the field's name when the field is there but empty.
func (o object) missing(name, expect string) {
	at := o.node
	if k := o.keys[name]; k != nil {
		at = k
	}
	o.c.at(at, "missing field %q%s; expected %s", name, in(o.path), expect)
}

// bad records that the value of name is not what was expected.
func (o object) bad(name string, n *yaml.Node, expect string) {
	o.c.at(n, "%s: expected %s, got %s", o.field(name), expect, describe(n))
}

// text reads a scalar as the text written in the file. Numbers and dates are kept as written
// (a supplier code 0012 stays "0012"). ok is false when the field is absent or wrong.
func (o object) text(name, expect string) (s string, n *yaml.Node, ok bool) {
	n = o.get(name)
	if n == nil {
		return "", nil, false
	}
	if n.Kind != yaml.ScalarNode {
		o.bad(name, n, expect)
		return "", n, false
	}
	return n.Value, n, true
}

// whole reads an integer. ok is false when the field is absent or wrong.
func (o object) whole(name, expect string) (v int64, n *yaml.Node, ok bool) {
	n = o.get(name)
	if n == nil {
		return 0, nil, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil {
		o.bad(name, n, expect)
		return 0, n, false
	}
	return v, n, true
}

// boolean reads true or false. ok is false when the field is absent or wrong.
func (o object) boolean(name string) (v bool, ok bool) {
	n := o.get(name)
	if n == nil {
		return false, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&v) != nil {
		o.bad(name, n, "true or false")
		return false, false
	}
	return v, true
}

// list returns the items of a sequence field; nil when absent or wrong.
func (o object) list(name, expect string) []*yaml.Node {
	n := o.get(name)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.bad(name, n, expect)
		return nil
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, it := range n.Content {
		items[i] = deref(it)
	}
	return items
}

// oneOf checks that s is one of choices, recording a problem at n if not.
func (o object) oneOf(name string, n *yaml.Node, s string, choices []string) bool {
	if slices.Contains(choices, s) {
		return true
	}
	o.bad(name, n, "one of "+strings.Join(choices, ", "))
	return false
}
