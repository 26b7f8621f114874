package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"golang.org/x/text/language"
)

// Params are the protocol's named values, by name.
type Params map[string]*Parameter

// Parameter is a named value of the protocol, such as a minimum age or a
// waiting period. Conditions read it as params.NAME, and texts as
// {params.NAME}, so that a clinic changes the number in one place without
// touching the rules.
type Parameter struct {
	Value       any      `yaml:"value"`
	Description string   `yaml:"description"`
	Source      []string `yaml:"source"`

	// Name is the parameter's key under parameters:.
	Name string `yaml:"-"`
	typ  Type
	pos  Pos
	used bool // named in a text
}

// Type is the kind of value: integer, yesno or text.
func (p *Parameter) Type() Type { return p.typ }

// Pos returns where the parameter is declared.
func (p *Parameter) Pos() Pos { return p.pos }

// Text is the value as it is written into texts.
func (p *Parameter) Text() string {
	switch v := p.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		return v
	}
	return fmt.Sprint(p.Value)
}

// Param returns the parameter with the given name.
func (rs *RuleSet) Param(name string) (*Parameter, bool) {
	p, ok := rs.Parameters[name]
	return p, ok
}

// ParamNames lists the parameters in the order they are declared.
func (rs *RuleSet) ParamNames() []string {
	names := make([]string, 0, len(rs.Parameters))
	for n := range rs.Parameters {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := rs.Parameters[names[i]].pos, rs.Parameters[names[j]].pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return names[i] < names[j]
	})
	return names
}

// paramPrefix is how conditions name a parameter: params.min_age.
const paramPrefix = "params."

// checkParams validates the parameters and normalises their values to
// int64, bool or string.
func (ld *loader) checkParams() {
	rs := ld.rs
	for name, p := range rs.Parameters {
		path := "$.parameters." + name
		if p == nil {
			p = &Parameter{}
			rs.Parameters[name] = p
		}
		p.Name = name
		p.pos = ld.At(path)
		if !reID.MatchString(name) || reservedIDs[name] {
			ld.Errorf(path, "parameter name %q must be lower case letters, digits and _ (starting with a letter), and not a CEL keyword", name)
		}
		switch v := p.Value.(type) {
		case int:
			p.Value, p.typ = int64(v), Integer
		case int64:
			p.typ = Integer
		case uint64:
			if v > 1<<63-1 {
				ld.Errorf(path+".value", "parameter %q is %d, too large for a whole number", name, v)
				continue
			}
			p.Value, p.typ = int64(v), Integer
		case bool:
			p.typ = YesNo
		case string:
			p.typ = Text
		case nil:
			ld.Errorf(path, "parameter %q has no value; add value: under it", name)
		default:
			ld.Errorf(path+".value", "parameter %q is %v; expected a whole number, true or false, or text", name, p.Value)
		}
		if p.Description == "" {
			ld.Warnf(path, "parameter %q has no description; say what it sets and in which unit", name)
		}
	}
	if q, ok := rs.questionNamed("params"); ok {
		ld.Errorf(fmt.Sprintf("$.questions[%d].id", q), "question id \"params\" is taken by the parameters; choose another id")
	}
}

func (rs *RuleSet) questionNamed(id string) (int, bool) {
	for i, q := range rs.Questions {
		if q.ID == id {
			return i, true
		}
	}
	return 0, false
}

// paramDecls declares every well-formed parameter to CEL as a typed
// constant, so that a condition is checked against its type and the value
// is folded in when the condition is planned.
func (ld *loader) paramDecls() []cel.EnvOption {
	var opts []cel.EnvOption
	for _, name := range ld.rs.ParamNames() {
		p := ld.rs.Parameters[name]
		switch v := p.Value.(type) {
		case int64:
			opts = append(opts, cel.Constant(paramPrefix+name, cel.IntType, types.Int(v)))
		case bool:
			opts = append(opts, cel.Constant(paramPrefix+name, cel.BoolType, types.Bool(v)))
		case string:
			opts = append(opts, cel.Constant(paramPrefix+name, cel.StringType, types.String(v)))
		}
	}
	return opts
}

// reParamRef finds {params.NAME}, and {params.NAME|one:...|other:...},
// which writes the value with the words of its plural form (plural.go).
var reParamRef = regexp.MustCompile(`\{params\.([A-Za-z0-9_]*)(\|[^{}]*)?\}`)

// expandParams writes the parameters' values into the texts that name
// them, as {params.NAME}. The texts are final once loaded: the engine, the
// interview and every report see the same words.
func (ld *loader) expandParams() {
	rs := ld.rs
	// Translations are checked against the texts as written.
	ld.rawKeys, ld.rawTexts = textKeys(rs)
	expand := ld.expandText
	for i, q := range rs.Questions {
		p := fmt.Sprintf("$.questions[%d]", i)
		expand(p+".label", &q.ShortName)
		expand(p+".ask", &q.Ask)
		expand(p+".help", &q.Help)
	}
	for i, r := range rs.Rules {
		p := fmt.Sprintf("$.rules[%d]", i)
		r.rawMessage = r.Message
		expand(p+".message", &r.Message)
		expand(p+".rationale", &r.Rationale)
	}
	for _, l := range ld.instructionLists() {
		for i, x := range l.list {
			expand(fmt.Sprintf("$.instructions.%s[%d].text", l.key, i), &x.Text)
		}
	}
	ld.expandHandout()
}

// expandText writes the parameters' values into one of the rule set's
// texts, at path, and notes each parameter a text names.
func (ld *loader) expandText(path string, s *string) {
	*s = ld.writeParams(path, *s, ld.baseTag, true)
}

// writeParams writes the parameters' values into s, a text in language
// tag: each {params.NAME} as the value, each one with plural forms as the
// form the value takes in that language. used notes the parameters named.
func (ld *loader) writeParams(path, s string, tag language.Tag, used bool) string {
	rs := ld.rs
	return reParamRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := reParamRef.FindStringSubmatch(m)
		name, forms := sub[1], sub[2]
		p, ok := rs.Parameters[name]
		if !ok || p.typ == "" {
			ld.Errorf(path, "text names %s", ld.unknownParam(name))
			return m
		}
		if used {
			p.used = true
		}
		if forms == "" {
			return p.Text()
		}
		out, err := pluralForm(p, forms[1:], tag)
		if err != nil {
			ld.Errorf(path, "%s: %v", m, err)
			return m
		}
		return out
	})
}

type instructionList struct {
	key  string
	list []*Instruction
}

func (ld *loader) instructionLists() []instructionList {
	in := &ld.rs.Instructions
	return []instructionList{{"pre_treatment", in.PreTreatment}, {"aftercare", in.Aftercare}, {"course", in.Course}}
}

// unknownParam describes a params.NAME that is not declared.
func (ld *loader) unknownParam(name string) string {
	s := fmt.Sprintf("unknown parameter %q", name)
	if best := Closest(name, ld.rs.ParamNames()); best != "" {
		s += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return s + "; declare it under parameters:"
}
