package intake

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
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
//	  - header: Do you have diabetes?
//	    field: diabetes
//	    values: {"No": none, "Yes, I use insulin": insulin}
//	  - header: Which areas do you want treated?
//	    field: treatment_areas
//	    separator: ", "
//	    values: {"Face": face, "Upper arms": arms}
//	  - field: treatment_areas        # or one column per choice
//	    ticked: any
//	    choices:
//	      - {header: Face, value: face}
//	      - {header: Upper arms, value: arms}
//
// A column's values are read before the mapping's own, so "No" can be
// none for diabetes and no everywhere else. An answer text the mapping
// does not list is read as written, so an answer nobody foresaw is checked
// like any other (and becomes needs_review if it is not a valid answer),
// never dropped.
type Mapping struct {
	Kind string `yaml:"kind"`
	// HeaderRows is how many rows the export's header takes, when more
	// than one: SurveyMonkey's two. Each column is named by its cells in
	// those rows, joined with ": " ("Which areas…: Face"); a first-row
	// cell left empty takes the one to its left, and the rows' words
	// "Response" and "Open-Ended Response" are left out.
	HeaderRows int `yaml:"header_rows"`
	// Ignore lists headers to skip without a warning, such as Timestamp.
	Ignore []string `yaml:"ignore"`
	// Values translates answer texts in every column.
	Values  map[string]string `yaml:"values"`
	Columns []*MapColumn      `yaml:"columns"`

	byHeader map[string]*MapColumn
	ignore   map[string]bool
	groups   map[string]*MapColumn // by the key of their choice columns
}

// MapColumn is one column of the export, or, with Choices, the columns
// that give one list field a choice each.
type MapColumn struct {
	Header string `yaml:"header"`
	Field  string `yaml:"field"`
	// Separator splits a checkbox column's cell into several answers;
	// Google Forms joins them with ", ", Microsoft Forms with ";".
	Separator string `yaml:"separator"`
	// Values translates this column's answer texts, before Mapping.Values.
	Values map[string]string `yaml:"values"`
	// Choices are the columns of a list field given one column per choice
	// (Typeform, a Google Forms grid); the column has no Header then.
	Choices []*MapChoice `yaml:"choices"`
	// Ticked is the answer that ticks a choice's column, or "any" for any
	// answer at all.
	Ticked string `yaml:"ticked"`
	// Unticked are answers that leave a choice unticked ("No"). Any other
	// answer is read as written, and so is flagged as unreadable.
	Unticked []string `yaml:"unticked"`

	values map[string]string // lower-cased texts, with the mapping's own
	joined int               // the most parts an answer in values splits into at Separator; 0 until known
	at     string            // file:line:col of the column, for messages
	group  *MapColumn        // of a choice column: the column with Choices
	choice *MapChoice
}

// MapChoice is one column of a list field given one column per choice.
type MapChoice struct {
	Header string `yaml:"header"`
	Value  string `yaml:"value"`
	// Other marks the column of an "Other (please specify)" answer: its
	// text is one more answer of the list, read as written, so that one
	// no option matches is flagged, never dropped. It has no Value.
	Other bool `yaml:"other"`
	at    string
}

// TickedAny is the Ticked of choice columns ticked by any answer.
const TickedAny = "any"

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
	if m.HeaderRows < 0 || m.HeaderRows > maxHeaderRows {
		return nil, fmt.Errorf("%s: header_rows is %d; expected 1 to %d, the rows the export's header takes", at("$.header_rows"), m.HeaderRows, maxHeaderRows)
	}
	m.byHeader = map[string]*MapColumn{}
	m.ignore = map[string]bool{}
	for _, h := range m.Ignore {
		m.ignore[strings.TrimSpace(h)] = true
	}
	for _, k := range slices.Sorted(maps.Keys(m.Values)) {
		v := m.Values[k]
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%s: the answer %q reads as nothing; expected a value (unsure, if the answer says the patient does not know)", at("$.values"), k)
		}
		if err := agrees(k, v); err != nil {
			return nil, fmt.Errorf("%s: %w", at("$.values"), err)
		}
	}
	fields := map[string]int{}
	header := func(path, h string, c *MapColumn) error {
		if m.byHeader[h] != nil || m.ignore[h] {
			return fmt.Errorf("%s: header %q is mapped twice; expected each header once, under columns: or ignore:", at(path), h)
		}
		m.byHeader[h] = c
		return nil
	}
	for i, c := range m.Columns {
		path := fmt.Sprintf("$.columns[%d]", i)
		c.at = at(path)
		h := strings.TrimSpace(c.Header)
		switch {
		case len(c.Choices) > 0 && h != "":
			return nil, fmt.Errorf("%s: column %q has both a header and choices; expected one header, or choices each with its own", at(path+".header"), h)
		case len(c.Choices) == 0 && h == "":
			return nil, fmt.Errorf("%s: a column without a header; expected the column's header text", at(path))
		case c.Field == "" && h != "":
			return nil, fmt.Errorf("%s: column %q has no field; fill in the field id it holds, or move its header to ignore:", at(path+".field"), h)
		case c.Field == "":
			return nil, fmt.Errorf("%s: choices without a field; fill in the list field they give", at(path))
		case known != nil && !known(c.Field):
			return nil, fmt.Errorf("%s: column %q: the rule set has no field %q", at(path+".field"), cmpOr(h, "with choices"), c.Field)
		}
		if j, dup := fields[c.Field]; dup {
			return nil, fmt.Errorf("%s: field %s is already given by column %q; expected each field once", at(path+".field"), c.Field, cmpOr(m.Columns[j].Header, m.Columns[j].Field+" choices"))
		}
		fields[c.Field] = i
		c.values = map[string]string{}
		for k, v := range m.Values {
			c.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
		for _, k := range slices.Sorted(maps.Keys(c.Values)) {
			v := c.Values[k]
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("%s: the answer %q reads as nothing; expected a value of %s (unsure, if the answer says the patient does not know)", at(path+".values"), k, c.Field)
			}
			if err := agrees(k, v); err != nil {
				return nil, fmt.Errorf("%s: %w", at(path+".values"), err)
			}
			c.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
		if len(c.Choices) == 0 {
			if c.Ticked != "" || len(c.Unticked) > 0 {
				return nil, fmt.Errorf("%s: column %q has ticked: or unticked:, which apply only to choices", at(path), h)
			}
			if err := header(path+".header", h, c); err != nil {
				return nil, err
			}
			continue
		}
		if err := m.choices(c, path, at, header); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// choices reads the choice columns of c, at path.
func (m *Mapping) choices(c *MapColumn, path string, at func(string) string, header func(path, h string, c *MapColumn) error) error {
	switch {
	case c.Separator != "":
		return fmt.Errorf("%s: choices of %s have a separator; expected none, as each column holds one choice", at(path+".separator"), c.Field)
	case strings.TrimSpace(c.Ticked) == "":
		return fmt.Errorf("%s: choices of %s do not say which answer ticks a choice; expected ticked: any (any answer), or the answer, such as ticked: \"Yes\"", at(path), c.Field)
	}
	if m.groups == nil {
		m.groups = map[string]*MapColumn{}
	}
	values := map[string]bool{}
	for j, ch := range c.Choices {
		cp := fmt.Sprintf("%s.choices[%d]", path, j)
		ch.at = at(cp)
		h := strings.TrimSpace(ch.Header)
		v := strings.TrimSpace(ch.Value)
		switch {
		case h == "":
			return fmt.Errorf("%s: a choice without a header; expected the header of its column", at(cp))
		case ch.Other && v != "":
			return fmt.Errorf("%s: choice column %q is other: true and has a value; expected one of them: other: true reads its text as written", at(cp+".value"), h)
		case ch.Other:
			v = "*other " + h // no option is named so
		case v == "":
			return fmt.Errorf("%s: choice column %q has no value; fill in the value of %s it ticks, or drop it from choices: and move its header to ignore:", at(cp+".value"), h, c.Field)
		case values[v]:
			return fmt.Errorf("%s: choice %s of %s is given by two columns; expected each choice once", at(cp+".value"), v, c.Field)
		}
		values[v] = true
		// Each choice column is read as a field of its own, under a key
		// that no field id can be, and gather puts them together.
		col := &MapColumn{Header: h, Field: c.Field + "[" + v + "]", group: c, choice: ch}
		m.groups[col.Field] = c
		if err := header(cp+".header", h, col); err != nil {
			return err
		}
	}
	return nil
}

// Check holds the mapping to the rule set: every value a column's own
// answers are read as must be an answer its field accepts (or unsure),
// and choices must give a list field its options.
func (m *Mapping) Check(rs *rules.RuleSet) error {
	for _, c := range m.Columns {
		q, ok := rs.Question(c.Field)
		if !ok {
			return fmt.Errorf("%s: the rule set has no field %q", c.at, c.Field)
		}
		name := cmpOr(strings.TrimSpace(c.Header), c.Field+" choices")
		if len(c.Choices) > 0 {
			if q.Type != rules.List {
				return fmt.Errorf("%s: choices give %s, which is %s; expected a list field", c.at, c.Field, q.TypeName())
			}
			for _, ch := range c.Choices {
				if !ch.Other && !q.HasOption(strings.TrimSpace(ch.Value)) {
					return fmt.Errorf("%s: choice column %q ticks %q, which is not %s", ch.at, ch.Header, ch.Value, q.Expected())
				}
			}
			continue
		}
		if c.Separator != "" && q.Type != rules.List {
			return fmt.Errorf("%s: column %q has a separator, but %s is %s; expected a separator only for a list field", c.at, name, c.Field, q.TypeName())
		}
		for _, k := range slices.Sorted(maps.Keys(c.Values)) {
			a := screening.ParseAnswer(q, c.Values[k])
			if a.State != screening.Given && a.State != screening.Unsure {
				return fmt.Errorf("%s: column %q reads %q as %q, which is not %s", c.at, name, k, c.Values[k], q.Expected())
			}
		}
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (m *Mapping) column(header string) *MapColumn { return m.byHeader[header] }

func (m *Mapping) ignores(header string) bool { return m.ignore[header] }

// absent returns the headers the mapping reads that header lacks, in the
// mapping's order: an export whose question was reworded, or a column
// removed, would otherwise lose the answers under it without a word.
func (m *Mapping) absent(header []string) []string {
	have := map[string]bool{}
	for _, h := range header {
		have[h] = true
	}
	var out []string
	for _, c := range m.Columns {
		hs := []string{strings.TrimSpace(c.Header)}
		if len(c.Choices) > 0 {
			hs = hs[:0]
			for _, ch := range c.Choices {
				hs = append(hs, strings.TrimSpace(ch.Header))
			}
		}
		for _, h := range hs {
			if !have[h] {
				out = append(out, h)
			}
		}
	}
	return out
}

// translate reads one cell into a raw answer: a list of texts for a
// column with a separator, else one text. A choice column gives its
// choice's value when ticked, nil when unticked.
func (c *MapColumn) translate(cell string) any {
	if c.group != nil {
		value := c.choice.Value
		if c.choice.Other {
			value = "*other " + c.choice.Header
		}
		return c.group.tick(cell, value)
	}
	if c.Separator == "" {
		return c.value(cell)
	}
	if c.joined == 0 {
		// The most parts a listed answer splits into, so that putting
		// parts back together stays linear in the cell.
		c.joined = 1
		for k := range c.values {
			c.joined = max(c.joined, strings.Count(k, c.Separator)+1)
		}
	}
	parts := SplitCell(cell, c.Separator, c.joined, func(text string) bool { _, ok := c.values[key(text)]; return ok })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = c.value(p)
	}
	return out
}

// SplitCell splits a cell at sep, leaving out empty parts. Up to most
// parts that, joined again, make a text whole accepts (an answer that
// holds the separator itself, as "Smaller pores, finer texture" split at
// ", ") are kept together, the longest first. It is how a mapped column
// with a separator reads its cells, so that a drafted mapping lists the
// answers as they will be read.
func SplitCell(cell, sep string, most int, whole func(string) bool) []string {
	parts := strings.Split(cell, sep)
	out := make([]string, 0, len(parts))
	for i := 0; i < len(parts); i++ {
		if strings.TrimSpace(parts[i]) == "" {
			continue
		}
		j := min(len(parts), i+most)
		for ; j > i+1; j-- {
			if whole(strings.Join(parts[i:j], sep)) {
				break
			}
		}
		out = append(out, strings.Join(parts[i:j], sep))
		i = j - 1
	}
	return out
}

// tick reads the cell of choice column value.
func (c *MapColumn) tick(cell, value string) any {
	t := strings.TrimSpace(cell)
	if strings.HasPrefix(value, "*other ") {
		if t == "" {
			return nil
		}
		return c.value(t) // the patient's own words, or a value the mapping gives them
	}
	if strings.EqualFold(c.Ticked, TickedAny) || strings.EqualFold(t, strings.TrimSpace(c.Ticked)) {
		return value
	}
	for _, u := range c.Unticked {
		if strings.EqualFold(t, strings.TrimSpace(u)) {
			return nil
		}
	}
	return cell
}

func (c *MapColumn) value(text string) string {
	if v, ok := c.values[key(text)]; ok {
		return v
	}
	return text
}

func key(text string) string { return strings.ToLower(strings.TrimSpace(text)) }

// gather puts the choice columns of a row into their list field, where the
// first of them was: the ticked choices in column order, an answer that
// ticks nothing as written. A row whose choices are all unticked gives an
// empty list, which is a missing answer.
func (m *Mapping) gather(fields []Field) []Field {
	if len(m.groups) == 0 {
		return fields
	}
	out := fields[:0:0]
	lists := map[*MapColumn]int{} // where each list field is in out
	for _, f := range fields {
		g := m.groups[f.ID]
		if g == nil {
			out = append(out, f)
			continue
		}
		i, ok := lists[g]
		if !ok {
			i = len(out)
			lists[g] = i
			out = append(out, Field{ID: g.Field, Value: []any{}})
		}
		if f.Value != nil {
			out[i].Value = append(out[i].Value.([]any), f.Value)
		}
	}
	return out
}

// Headers returns the headers of the columns that give field, in the
// mapping's order: one, several for choices, none if no column does.
func (m *Mapping) Headers(field string) []string {
	for _, c := range m.Columns {
		if c.Field != field {
			continue
		}
		if len(c.Choices) == 0 {
			return []string{strings.TrimSpace(c.Header)}
		}
		hs := make([]string, len(c.Choices))
		for i, ch := range c.Choices {
			hs[i] = strings.TrimSpace(ch.Header)
		}
		return hs
	}
	return nil
}

// agrees refuses an answer text that is itself a yes, no or not-sure word,
// in any of mesoscreen's languages, mapped to a value that says another:
// "Yes" read as no, or "Not sure" as no, turns a patient's answer into its
// opposite. A number ("1", "2") is left alone: form tools number their
// choices in either order. The words are compared with their accents left
// out (i18n.AnswerWordAnyAccents): "Sì" read as no is refused, though
// "Sì" is no answer word as a patient's answer.
func agrees(text, value string) error {
	if !strings.ContainsFunc(text, unicode.IsLetter) {
		return nil
	}
	said, read := i18n.AnswerWordAnyAccents(text), i18n.AnswerWordAnyAccents(value)
	if said == i18n.Other || read == i18n.Other || said == read {
		return nil
	}
	return fmt.Errorf("the answer %q is read as %q, but %q says %s and %q says %s; expected a value that agrees with the answer", text, value, text, wordName[said], value, wordName[read])
}

var wordName = map[i18n.Word]string{i18n.Yes: "yes", i18n.No: "no", i18n.Unsure: "unsure"}
