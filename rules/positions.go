package rules

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
)

// Positions indexes the nodes of a YAML file by path ("$.rules[3].level"),
// so that problems found after decoding are reported where they are
// written, and collects those problems. The rule-set loader, the
// medication lexicon and the rule-test files share it.
type Positions struct {
	File     string
	Problems Problems
	nodes    map[string]yast.Node
	docs     []*yast.DocumentNode
}

// IndexYAMLKind parses data and indexes it. A file that is not valid YAML
// returns its syntax error as Problems, and so does one beyond the limits
// of limits.go, which messages name by the file's kind. The limits are
// checked here, before Decode, because decoding is what expands aliases
// and so what a hostile file makes slow.
func IndexYAMLKind(file string, data []byte, kind FileKind) (*Positions, error) {
	p := &Positions{File: file, nodes: map[string]yast.Node{}}
	if len(data) > MaxFileBytes {
		return p, Problems{tooLarge(file, kind, sizeText(int64(len(data))))}
	}
	tokens := lexer.Tokenize(string(data))
	if pr := checkFlowDepth(file, kind, tokens); pr != nil {
		return p, Problems{*pr}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return p, Problems{p.YAMLProblem(err)}
	}
	if pr := checkAliases(file, kind, f.Docs); pr != nil {
		return p, Problems{*pr}
	}
	for _, doc := range f.Docs {
		yast.Walk(p, doc)
	}
	p.docs = f.Docs
	return p, nil
}

// Decode decodes the indexed file's data into v, refusing keys that v
// has no field for. Every unknown key is a problem at its position, all
// of them at once rather than only the first, so that a file with several
// misspelt keys is fixed in one pass.
func (p *Positions) Decode(data []byte, v any) Problems {
	var err error
	if len(p.docs) > 0 && p.docs[0].Body != nil {
		// The file is parsed already: decode its tree rather than parse
		// the text again, which would double the time a file takes to
		// load.
		err = yaml.NodeToValue(p.docs[0].Body, v, yaml.DisallowUnknownField())
	} else {
		err = yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField())
	}
	if err == nil {
		return nil
	}
	var ps Problems
	for _, doc := range p.docs {
		p.unknownKeys(doc.Body, reflect.TypeOf(v), &ps)
	}
	if len(ps) == 0 {
		return Problems{p.YAMLProblem(err)}
	}
	return ps
}

// unknownKeys adds a problem for each key of n, at any depth, that type t
// has no field for. It follows structs (by their yaml tags), slices and
// maps, and stops at anything else.
func (p *Positions) unknownKeys(n yast.Node, t reflect.Type, ps *Problems) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || t == nil {
		return
	}
	var pairs []*yast.MappingValueNode
	switch n := n.(type) {
	case *yast.MappingNode:
		pairs = n.Values
	case *yast.MappingValueNode:
		pairs = []*yast.MappingValueNode{n}
	case *yast.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, v := range n.Values {
				p.unknownKeys(v, t.Elem(), ps)
			}
		}
		return
	default:
		return
	}
	for _, mv := range pairs {
		switch t.Kind() {
		case reflect.Map:
			p.unknownKeys(mv.Value, t.Elem(), ps)
		case reflect.Struct:
			if mv.Key == nil || mv.Key.GetToken() == nil {
				continue
			}
			key := mv.Key.GetToken().Value
			if key == "<<" {
				continue // a merge key: what it merges in is checked where it is written
			}
			f, ok := yamlField(t, key)
			if !ok {
				*ps = append(*ps, Problem{File: p.File, Pos: tokenPos(mv.Key), Severity: Error, Msg: fmt.Sprintf("unknown field %q", key)})
				continue
			}
			p.unknownKeys(mv.Value, f.Type, ps)
		}
	}
}

// yamlField finds the field of struct t that YAML key name decodes into.
func yamlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = strings.ToLower(f.Name)
		}
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// Visit records a node under its path. Implements yast.Visitor.
func (p *Positions) Visit(n yast.Node) yast.Visitor {
	if n == nil { // an empty document
		return p
	}
	if mv, ok := n.(*yast.MappingValueNode); ok {
		// The value, not the key, is what a problem is usually about. Keys
		// share the value's path and are visited later, so they do not
		// replace it; "path#key" reaches the key itself.
		if mv.Value != nil {
			p.nodes[mv.Value.GetPath()] = mv.Value
			if mv.Key != nil {
				p.nodes[mv.Value.GetPath()+"#key"] = mv.Key
			}
		}
		return p
	}
	if path := n.GetPath(); path != "" {
		if _, seen := p.nodes[path]; !seen {
			p.nodes[path] = n
		}
	}
	return p
}

// node returns the node at path, if there is one.
func (p *Positions) node(path string) (yast.Node, bool) {
	n, ok := p.nodes[path]
	return n, ok
}

// At returns the position of the node at path, falling back to its
// parents. A mapping is placed at its first key. "path#key" gives the
// position of the key of a mapping value.
func (p *Positions) At(path string) Pos {
	if n, ok := p.nodes[path]; ok && strings.HasSuffix(path, "#key") {
		return tokenPos(n)
	}
	path = strings.TrimSuffix(path, "#key")
	for path != "" {
		if n, ok := p.nodes[path]; ok {
			if m, ok := n.(*yast.MappingNode); ok && len(m.Values) > 0 {
				n = m.Values[0].Key
			}
			return tokenPos(n)
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return Pos{}
}

func tokenPos(n yast.Node) Pos {
	if t := n.GetToken(); t != nil {
		return Pos{t.Position.Line, t.Position.Column}
	}
	return Pos{}
}

// YAMLProblem turns an error of the YAML decoder into a problem at the
// position it names.
func (p *Positions) YAMLProblem(err error) Problem {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		t := ye.GetToken()
		return Problem{File: p.File, Pos: Pos{t.Position.Line, t.Position.Column}, Severity: Error, Msg: ye.GetMessage()}
	}
	return Problem{File: p.File, Severity: Error, Msg: err.Error()}
}

// Errorf records an error at the node at path.
func (p *Positions) Errorf(path, format string, args ...any) {
	p.Problems = append(p.Problems, Problem{File: p.File, Pos: p.At(path), Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at the node at path.
func (p *Positions) Warnf(path, format string, args ...any) {
	p.Problems = append(p.Problems, Problem{File: p.File, Pos: p.At(path), Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Sorted returns the problems in file order.
func (p *Positions) Sorted() Problems {
	sort.SliceStable(p.Problems, func(i, j int) bool {
		a, b := p.Problems[i].Pos, p.Problems[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return p.Problems
}

// Errors returns only the problems that are errors.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity != Warning {
			out = append(out, p)
		}
	}
	return out
}
