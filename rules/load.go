package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
	"golang.org/x/text/language"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultFile is the name the embedded rule set goes by in messages.
const DefaultFile = "default.yaml (embedded)"

var loadDefault = sync.OnceValues(func() (*RuleSet, error) {
	return Parse(DefaultFile, defaultYAML, DefaultTranslations()...)
})

// Default returns the embedded default rule set. It is loaded once.
func Default() (*RuleSet, error) { return loadDefault() }

// DefaultIdentity returns the embedded default rule set's name, version
// and sha256 without compiling it: what "mesoscreen --version" prints.
func DefaultIdentity() (name, version, sum string, err error) {
	var head struct {
		Name    string `yaml:"name"`
		Version string `yaml:"version"`
	}
	if err := yaml.Unmarshal(defaultYAML, &head); err != nil {
		return "", "", "", fmt.Errorf("%s: %w", DefaultFile, err)
	}
	h := sha256.Sum256(defaultYAML)
	return head.Name, head.Version, hex.EncodeToString(h[:]), nil
}

// DefaultSource returns the embedded default rule set as YAML, for clinics
// that start their own protocol from it.
func DefaultSource() []byte { return bytes.Clone(defaultYAML) }

// Load reads and compiles the rule set in the file at path, with the
// translation files beside it (ReadTranslations).
func Load(path string) (*RuleSet, error) {
	data, err := ReadFile(path, RuleSetFile)
	if ps, ok := err.(Problems); ok {
		return nil, ps
	}
	if err != nil {
		return nil, fmt.Errorf("rule set: %w", err)
	}
	return Parse(path, data, ReadTranslations(path)...)
}

// Parse decodes, checks and compiles a rule set, with its translation
// files. file names it in messages. A rule set with errors returns them
// all as Problems. The problems of a translation file are the
// translation's own (RuleSet.Translation): the rule set loads without
// it, and asking for its language is an error (RuleSet.In).
func Parse(file string, data []byte, translations ...TranslationFile) (*RuleSet, error) {
	rs, ps := parse(file, data, translations)
	if errs := ps.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return rs, nil
}

// Lint checks a rule set and its translation files and returns every
// problem, warnings included, the translations' after the rule set's. The
// rule set is nil if any problem of the rule set itself is an error; it
// is there when only a translation has errors.
func Lint(file string, data []byte, translations ...TranslationFile) (*RuleSet, Problems) {
	rs, ps := parse(file, data, translations)
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	ps = lint(rs, data, ps)
	for _, t := range rs.Translations() {
		ps = append(ps, t.Problems...)
	}
	return rs, append(ps, lintLabels(rs)...)
}

type loader struct {
	*Positions
	rs  *RuleSet
	env *cel.Env
	// baseTag is the language the rule set is written in; rawKeys and
	// rawTexts its texts before the parameters' values are filled in,
	// which translations are checked against (i18n.go).
	baseTag  language.Tag
	rawKeys  []string
	rawTexts map[string]string
}

func parse(file string, data []byte, translations []TranslationFile) (*RuleSet, Problems) {
	pos, err := IndexYAMLKind(file, data, RuleSetFile)
	if err != nil {
		return nil, err.(Problems)
	}
	ld := &loader{Positions: pos}
	rs := &RuleSet{File: file, idField: -1}
	ld.rs = rs
	if ps := ld.Decode(data, rs); ps != nil {
		return nil, ps
	}
	sum := sha256.Sum256(data)
	rs.SHA256 = hex.EncodeToString(sum[:])
	ld.check()
	ps := ld.Sorted()
	if len(ps.Errors()) == 0 {
		ld.loadTranslations(translations)
	}
	return rs, ps
}

// exprPos maps positions inside a CEL expression to the YAML file.
type exprPos struct {
	line, col int  // where the expression text starts
	block     bool // a literal or folded block: each CEL line is a file line
}

func (ld *loader) exprAt(path string) exprPos {
	n, ok := ld.node(path)
	if !ok {
		p := ld.At(path)
		return exprPos{line: p.Line, col: p.Col}
	}
	t := n.GetToken()
	switch t.Type {
	case token.DoubleQuoteType, token.SingleQuoteType:
		return exprPos{line: t.Position.Line, col: t.Position.Column + 1}
	case token.LiteralType, token.FoldedType:
		// The text starts on the next line, at its indentation.
		indent := 0
		if lit, ok := n.(*yast.LiteralNode); ok && lit.Value != nil {
			vt := lit.Value.GetToken()
			orig := strings.TrimLeft(vt.Origin, "\n")
			indent = len(orig) - len(strings.TrimLeft(orig, " "))
		}
		return exprPos{line: t.Position.Line + 1, col: indent + 1, block: true}
	}
	return exprPos{line: t.Position.Line, col: t.Position.Column}
}

// offset turns a CEL location (line from 1, column from 0) into a file
// position.
func (e exprPos) offset(line, col int) Pos {
	if line <= 1 {
		return Pos{e.line, e.col + col}
	}
	if e.block {
		return Pos{e.line + line - 1, e.col + col}
	}
	return Pos{e.line, e.col + col}
}

var reID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
var reRuleID = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// reservedRulePrefixes begin the ids of mesoscreen's own findings (the
// fail-safe: answer-missing, record-altered, rescreen-due, ...). A rule of
// a clinic's rule set with such an id could be taken for one of them, and
// "clear --finding" would then lift a fail-safe finding.
var reservedRulePrefixes = []string{"answer-", "record-", "response-", "rule-", "rescreen-", "duplicate-patient-", "medications-unread"}

// ReservedRuleID reports whether id is kept for mesoscreen's own findings.
func ReservedRuleID(id string) bool {
	for _, p := range reservedRulePrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

var reservedIDs = map[string]bool{
	"true": true, "false": true, "null": true, "in": true, "as": true, "break": true,
	"const": true, "continue": true, "else": true, "for": true, "function": true,
	"if": true, "import": true, "let": true, "loop": true, "package": true,
	"namespace": true, "return": true, "var": true, "void": true, "while": true,
}

func (ld *loader) check() {
	rs := ld.rs
	if rs.Schema != SchemaVersion {
		ld.Errorf("$.schema", "schema is %d; this version of mesoscreen reads schema %d", rs.Schema, SchemaVersion)
	}
	if rs.Name == "" {
		ld.Errorf("$.name", "the rule set has no name; add name: to the top of the file")
	}
	if rs.Version == "" {
		ld.Errorf("$.version", "the rule set has no version; add version: to the top of the file")
	}
	ld.checkLang()
	ld.checkParams()
	ld.checkSections()
	ld.checkQuestions()
	ld.checkRules()
	ld.checkInstructions()
	ld.checkRecheck()
	ld.checkClearance()
	ld.checkHandout()
	ld.checkFHIR()
	ld.expandParams()
}

func (ld *loader) checkSections() {
	seen := map[string]bool{}
	for i, s := range ld.rs.Sections {
		p := fmt.Sprintf("$.sections[%d]", i)
		switch {
		case s.ID == "":
			ld.Errorf(p, "section %d has no id", i+1)
		case seen[s.ID]:
			ld.Errorf(p+".id", "duplicate section id %q", s.ID)
		}
		seen[s.ID] = true
		if s.Title == "" {
			ld.Errorf(p, "section %q has no title", s.ID)
		}
	}
}

func (ld *loader) checkQuestions() {
	rs := ld.rs
	rs.byID = map[string]int{}
	if len(rs.Questions) == 0 {
		ld.Errorf("$.questions", "the rule set declares no questions")
	}
	for i, q := range rs.Questions {
		p := fmt.Sprintf("$.questions[%d]", i)
		q.pos = ld.At(p)
		switch {
		case q.ID == "":
			ld.Errorf(p, "question %d has no id", i+1)
			continue
		case !reID.MatchString(q.ID) || reservedIDs[q.ID]:
			ld.Errorf(p+".id", "question id %q must be lower case letters, digits and _ (starting with a letter), and not a CEL keyword", q.ID)
		}
		if _, dup := rs.byID[q.ID]; dup {
			ld.Errorf(p+".id", "duplicate question id %q (first declared at line %d)", q.ID, rs.Questions[rs.byID[q.ID]].pos.Line)
			continue
		}
		rs.byID[q.ID] = i
		if q.Ask == "" {
			ld.Errorf(p, "question %q has no ask: text", q.ID)
		}
		if len(rs.Sections) > 0 {
			if _, ok := rs.Section(q.Section); !ok {
				ld.Errorf(p+".section", "question %q is in section %q, which is not declared under sections", q.ID, q.Section)
			}
		}
		switch q.Role {
		case "":
		case "identifier":
			if rs.idField >= 0 {
				ld.Errorf(p+".role", "question %q is a second identifier; only one question may have role: identifier", q.ID)
			}
			rs.idField = i
			if q.Type != Text {
				ld.Errorf(p+".role", "the identifier %q must be of type text", q.ID)
			}
		default:
			ld.Errorf(p+".role", "unknown role %q; the only role is identifier", q.Role)
		}
		switch q.Type {
		case YesNo, Text:
			if len(q.Options) > 0 {
				ld.Errorf(p+".options", "question %q is %s and takes no options", q.ID, q.TypeName())
			}
		case Integer:
			if q.Min == nil || q.Max == nil {
				ld.Errorf(p, "integer question %q needs min: and max:", q.ID)
			} else if *q.Min > *q.Max {
				ld.Errorf(p+".min", "question %q has min %d above max %d", q.ID, *q.Min, *q.Max)
			}
		case Choice, List:
			if len(q.Options) == 0 {
				ld.Errorf(p, "question %q is %s and needs options:", q.ID, q.TypeName())
			}
			vals := map[string]bool{}
			for j, o := range q.Options {
				op := fmt.Sprintf("%s.options[%d]", p, j)
				if o.Value == "" || strings.ToLower(o.Value) != o.Value || strings.ContainsAny(o.Value, ";|,") {
					ld.Errorf(op, "option %q of %q must be a non-empty lower-case value without ; | or ,", o.Value, q.ID)
				}
				if vals[o.Value] {
					ld.Errorf(op, "duplicate option %q in question %q", o.Value, q.ID)
				}
				vals[o.Value] = true
			}
		default:
			ld.Errorf(p+".type", "question %q has unknown type %q; expected yesno, integer, choice, list or text", q.ID, q.Type)
		}
		if q.Type != Integer && (q.Min != nil || q.Max != nil) {
			ld.Errorf(p, "question %q is %s; min and max apply only to integer questions", q.ID, q.TypeName())
		}
		if len(q.NoneWords) > 0 && q.Type != Text {
			ld.Errorf(p+".none_words", "none_words apply only to text questions")
		}
		switch {
		case q.Unsure != nil && q.Type == Text:
			ld.Errorf(p+".unsure", "question %q is text; unsure applies to yes/no, integer, choice and list questions", q.ID)
		case q.Unsure != nil && !*q.Unsure && q.Type == YesNo:
			ld.Errorf(p+".unsure", "question %q is yes/no, which always allows unsure (a patient may not know); remove unsure: false", q.ID)
		}
		nos := 0
		for j, o := range q.Options {
			if o.MeansNo {
				nos++
				if q.Type != Choice || nos > 1 {
					ld.Errorf(fmt.Sprintf("%s.options[%d].means_no", p, j), "means_no marks the one option of a choice question that answers no; %q has it on %s", q.ID, o.Value)
				}
			}
		}
		ld.checkMatch(p, q)
	}
	ld.checkDerived()
	// A duplicate question was reported above; declaring it twice to CEL
	// would only repeat that.
	uniq := make([]*Question, 0, len(rs.Questions))
	for i, q := range rs.Questions {
		if j, ok := rs.byID[q.ID]; ok && j == i {
			uniq = append(uniq, q)
		}
	}
	env, err := newEnv(uniq, derivedDecls()...)
	if err == nil {
		env, err = env.Extend(ld.paramDecls()...)
	}
	if err != nil {
		ld.Errorf("$.questions", "cannot declare the questions to CEL: %v", err)
		return
	}
	rs.env = env
	ld.env = env
	for i, q := range rs.Questions {
		if q.When == "" {
			continue
		}
		p := fmt.Sprintf("$.questions[%d].when", i)
		c, ps := ld.compile(q.When, ld.exprAt(p))
		ld.Problems = append(ld.Problems, ps...)
		if c == nil {
			continue
		}
		q.when = c
		for _, r := range c.Reads() {
			j := rs.Index(r)
			if j == i {
				ld.Errorf(p, "question %q is a follow-up of itself; its when: must read earlier questions", q.ID)
			} else if j > i {
				ld.Errorf(p, "question %q follows up %q, which is asked later; move it after %q", q.ID, r, r)
			}
		}
	}
}

func (ld *loader) checkRules() {
	seen := map[string]int{}
	for i, r := range ld.rs.Rules {
		p := fmt.Sprintf("$.rules[%d]", i)
		r.pos = ld.At(p)
		if r.ID == "" {
			ld.Errorf(p, "rule %d has no id", i+1)
		} else if !reRuleID.MatchString(r.ID) {
			ld.Errorf(p+".id", "rule id %q must be lower case letters, digits, - and _", r.ID)
		} else if ReservedRuleID(r.ID) {
			ld.Errorf(p+".id", "rule id %q is reserved for mesoscreen's own findings (ids that start with %s); choose another", r.ID, strings.Join(reservedRulePrefixes, ", "))
		} else if line, dup := seen[r.ID]; dup {
			ld.Errorf(p+".id", "duplicate rule id %q (first declared at line %d)", r.ID, line)
		} else {
			seen[r.ID] = r.pos.Line
		}
		if !r.Level.Valid() {
			ld.Errorf(p+".level", "rule %q has unknown level %q; expected one of %s", r.ID, r.Level, levelList())
		} else if r.Level == Eligible {
			ld.Errorf(p+".level", "rule %q has level eligible, which can never change a verdict; use eligible_with_precautions", r.ID)
		}
		if r.Message == "" {
			ld.Errorf(p, "rule %q has no message", r.ID)
		}
		ld.checkTemplate(p+".message", fmt.Sprintf("rule %q message", r.ID), r.Message)
		if len(r.Source) == 0 {
			ld.Warnf(p, "rule %q names no source; add source: with the documents it comes from", r.ID)
		}
		if r.Condition == "" {
			ld.Errorf(p, "rule %q has no condition", r.ID)
			continue
		}
		if ld.env == nil {
			continue
		}
		c, ps := ld.compile(r.Condition, ld.exprAt(p+".condition"))
		ld.Problems = append(ld.Problems, ps...)
		r.cond = c
	}
}

func (ld *loader) checkInstructions() {
	in := &ld.rs.Instructions
	for i, l := range in.ShowFor {
		if !l.Valid() {
			ld.Errorf(fmt.Sprintf("$.instructions.show_for[%d]", i), "unknown level %q; expected one of %s", l, levelList())
		}
	}
	seen := map[string]int{}
	lists := []struct {
		key  string
		list []*Instruction
	}{{"pre_treatment", in.PreTreatment}, {"aftercare", in.Aftercare}, {"course", in.Course}}
	for _, l := range lists {
		for i, x := range l.list {
			p := fmt.Sprintf("$.instructions.%s[%d]", l.key, i)
			x.pos = ld.At(p)
			if x.ID == "" {
				ld.Errorf(p, "%s instruction %d has no id", l.key, i+1)
			} else if line, dup := seen[x.ID]; dup {
				ld.Errorf(p+".id", "duplicate instruction id %q (first declared at line %d)", x.ID, line)
			} else {
				seen[x.ID] = x.pos.Line
			}
			if x.Text == "" {
				ld.Errorf(p, "instruction %q has no text", x.ID)
			}
			ld.checkTemplate(p+".text", fmt.Sprintf("instruction %q text", x.ID), x.Text)
			if x.When == "" || ld.env == nil {
				continue
			}
			c, ps := ld.compile(x.When, ld.exprAt(p+".when"))
			ld.Problems = append(ld.Problems, ps...)
			x.when = c
		}
	}
}

func levelList() string {
	s := make([]string, len(Levels))
	for i, l := range Levels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}
