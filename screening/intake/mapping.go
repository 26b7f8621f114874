package intake

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/mesoscreen/mesoscreen/rules"
)

// MappingKind marks a mapping file.
const MappingKind = "mesoscreen.mapping"

// Mapping tells how to read a form tool's export (Google Forms and the
// like): which column holds which field, and which answer texts mean which
// values. It is written in YAML:
//
//	kind: mesoscreen.mapping
//	ignore: [Timestamp]
//	values: {"Yes": "yes", "No": "no", "Not sure": "unsure"}
//	columns:
//	  - header: Are you pregnant, or could you be pregnant?
//	    field: pregnant
//	  - header: Which areas do you want treated?
//	    field: treatment_areas
//	    separator: ", "
//	    values: {"Face": face, "Neck": neck}
//
// An answer text the mapping does not list is read as written, so an
// answer nobody foresaw is checked like any other (and becomes
// needs_review if it is not a valid answer), never dropped.
type Mapping struct {
	Kind string `yaml:"kind"`
	// Ignore lists headers to skip without a warning, such as Timestamp.
	Ignore []string `yaml:"ignore"`
	// Values translates answer texts in every column.
	Values  map[string]string `yaml:"values"`
	Columns []*MapColumn      `yaml:"columns"`

	byHeader map[string]*MapColumn
	ignore   map[string]bool
}

// MapColumn is one column of the export.
type MapColumn struct {
	Header string `yaml:"header"`
	Field  string `yaml:"field"`
	// Separator splits a checkbox column's cell into several answers;
	// Google Forms joins them with ", ".
	Separator string `yaml:"separator"`
	// Values translates this column's answer texts, before Mapping.Values.
	Values map[string]string `yaml:"values"`

	values map[string]string // lower-cased texts, with the mapping's own
}

// LoadMapping reads a mapping file. known tells which field ids the rule
// set asks; a column naming any other field is an error.
func LoadMapping(path string, known func(string) bool) (*Mapping, error) {
	data, err := rules.ReadFile(path, rules.MappingFile)
	if ps, ok := err.(rules.Problems); ok {
		return nil, ps
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read mapping: %w", err)
	}
	return ParseMapping(path, data, known)
}

// ParseMapping reads a mapping from its YAML text; file labels messages.
func ParseMapping(file string, data []byte, known func(string) bool) (*Mapping, error) {
	m := &Mapping{}
	pos, err := rules.IndexYAMLKind(file, data, rules.MappingFile)
	if err != nil {
		return nil, err
	}
	if ps := pos.Decode(data, m); ps != nil {
		return nil, ps
	}
	at := func(path string) string {
		f, err := parser.ParseBytes(data, 0)
		if err == nil {
			if p, err := yaml.PathString(path); err == nil {
				if n, err := p.FilterFile(f); err == nil && n != nil {
					t := n.GetToken()
					return fmt.Sprintf("%s:%d:%d", file, t.Position.Line, t.Position.Column)
				}
			}
		}
		return file
	}
	if m.Kind != MappingKind {
		return nil, fmt.Errorf("%s: kind is %q; expected %q (is this a mapping file?)", at("$.kind"), m.Kind, MappingKind)
	}
	m.byHeader = map[string]*MapColumn{}
	m.ignore = map[string]bool{}
	for _, h := range m.Ignore {
		m.ignore[strings.TrimSpace(h)] = true
	}
	fields := map[string]int{}
	for i, c := range m.Columns {
		path := fmt.Sprintf("$.columns[%d]", i)
		h := strings.TrimSpace(c.Header)
		switch {
		case h == "":
			return nil, fmt.Errorf("%s: a column without a header; expected the column's header text", at(path))
		case c.Field == "":
			return nil, fmt.Errorf("%s: column %q has no field; fill in the field id it holds, or move its header to ignore:", at(path+".field"), h)
		case known != nil && !known(c.Field):
			return nil, fmt.Errorf("%s: column %q: the rule set has no field %q", at(path+".field"), h, c.Field)
		case m.byHeader[h] != nil:
			return nil, fmt.Errorf("%s: header %q is mapped twice; expected each header once", at(path+".header"), h)
		}
		if j, dup := fields[c.Field]; dup {
			return nil, fmt.Errorf("%s: field %s is already given by column %q; expected each field once", at(path+".field"), c.Field, m.Columns[j].Header)
		}
		fields[c.Field] = i
		c.values = map[string]string{}
		for k, v := range m.Values {
			c.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
		for k, v := range c.Values {
			c.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
		m.byHeader[h] = c
	}
	return m, nil
}

func (m *Mapping) column(header string) *MapColumn { return m.byHeader[header] }
func (m *Mapping) ignores(header string) bool      { return m.ignore[header] }

// translate reads one cell into a raw answer: a list of texts for a
// column with a separator, else one text.
func (c *MapColumn) translate(cell string) any {
	if c.Separator == "" {
		return c.value(cell)
	}
	parts := strings.Split(cell, c.Separator)
	out := make([]any, 0, len(parts))
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, c.value(p))
	}
	return out
}

func (c *MapColumn) value(text string) string {
	if v, ok := c.values[strings.ToLower(strings.TrimSpace(text))]; ok {
		return v
	}
	return text
}
