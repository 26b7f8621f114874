// Package rules defines the rule-set format (questions, rules with CEL
// conditions, instructions), loads and lints it, and decides a condition
// with Condition.Eval, the one engine: the program cel-go compiled and
// type-checked when the rule set loaded.
package rules

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
)

// SchemaVersion is the rule-set format version this build reads.
const SchemaVersion = 1

// Level is the severity of a finding, and of a screening's verdict.
type Level string

// The verdict levels, from mildest to most severe (SPEC §2).
const (
	Eligible                Level = "eligible"
	EligibleWithPrecautions Level = "eligible_with_precautions"
	NeedsReview             Level = "needs_review"
	Defer                   Level = "defer"
	NotEligible             Level = "not_eligible"
)

// Levels lists every level from mildest to most severe.
var Levels = []Level{Eligible, EligibleWithPrecautions, NeedsReview, Defer, NotEligible}

// Severity orders levels: a higher number is more severe. An unknown level
// ranks as -1.
func (l Level) Severity() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// Valid reports whether l is one of the five level names.
func (l Level) Valid() bool { return l.Severity() >= 0 }

// AllowsTreatment reports whether a verdict at this level lets the clinic
// treat the patient without anyone else clearing them first.
func (l Level) AllowsTreatment() bool { return l == Eligible || l == EligibleWithPrecautions }

// Type is the kind of answer a question takes.
type Type string

// The question types.
const (
	YesNo   Type = "yesno"   // yes, no or unsure
	Integer Type = "integer" // a whole number within min..max
	Choice  Type = "choice"  // one of the options
	List    Type = "list"    // one or more of the options
	Text    Type = "text"    // free text
)

var typeNames = map[Type]string{
	YesNo:   "yes/no",
	Integer: "a whole number",
	Choice:  "one choice",
	List:    "a list of choices",
	Text:    "text",
}

// RuleSet is a loaded and compiled rule set. It is immutable once loaded and
// safe to share between goroutines.
type RuleSet struct {
	Schema int    `yaml:"schema"`
	Name   string `yaml:"name"`
	// Lang is the language of the texts: the rule set's lang: (English
	// when it does not say), or that of a translation (In).
	Lang         string       `yaml:"lang"`
	Version      string       `yaml:"version"`
	Title        string       `yaml:"title"`
	Description  string       `yaml:"description"`
	Sources      []Source     `yaml:"sources"`
	Sections     []Section    `yaml:"sections"`
	Parameters   Params       `yaml:"parameters"`
	Questions    []*Question  `yaml:"questions"`
	Rules        []*Rule      `yaml:"rules"`
	Instructions Instructions `yaml:"instructions"`
	// ClearanceReasons are the reasons a clinician may give for clearing
	// a finding (clearance.go).
	ClearanceReasons []*ClearanceReason `yaml:"clearance_reasons"`
	// Handout holds the fixed words of the patient handout and the
	// prescriber letter (handout.go).
	Handout *Handout `yaml:"handout"`
	// FHIR says which Questionnaires' responses the rule set screens,
	// besides its own, and which of their linkIds it sets aside (fhir.go).
	FHIR FHIR `yaml:"fhir"`

	// File is the name the rule set was loaded from, used in messages.
	File string `yaml:"-"`
	// SHA256 is the hex digest of the rule-set file's bytes.
	SHA256 string `yaml:"-"`

	env     *cel.Env
	byID    map[string]int
	idField int
	tr      *translations
}

// Source is a document a rule or instruction cites.
type Source struct {
	ID string `yaml:"id"`
	// Name is what a finding's "Source:" line calls it, where its id is
	// words of the rule set's language rather than a number ("clinic
	// protocol"): a name can be translated, an id cannot. "" shows the id.
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
}

// Section groups questions: one page of the interview.
type Section struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
}

// Option is one allowed value of a choice or list question.
type Option struct {
	Value string `yaml:"value"`
	Label string `yaml:"label"`
	// MeansNo marks the option that answers "no" to the question (diabetes:
	// "No diabetes"), so that the interview's n key and its "no to the
	// rest of the page" pick it.
	MeansNo bool `yaml:"means_no"`
}

// Question is one field of an intake.
type Question struct {
	ID      string `yaml:"id"`
	Section string `yaml:"section"`
	Type    Type   `yaml:"type"`
	Ask     string `yaml:"ask"`
	// Label is a short name of the question ("Blood clots"), used where
	// the question is named rather than asked: findings, the review.
	ShortName string   `yaml:"label"`
	Help      string   `yaml:"help"`
	Required  bool     `yaml:"required"`
	Min       *int64   `yaml:"min"`
	Max       *int64   `yaml:"max"`
	Options   []Option `yaml:"options"`
	// Role "identifier" marks the field that names the patient. It is
	// required in batch input but may be left empty in an interview.
	Role string `yaml:"role"`
	// When makes the question a follow-up, asked only when the condition
	// holds for the answers so far.
	When string `yaml:"when"`
	// NoneWords are answers to a text question that mean "nothing listed".
	NoneWords []string `yaml:"none_words"`
	// Recheck is "true" for a question asked again in the short re-screen
	// before each session, "only" for one asked only then (recheck.go).
	Recheck string `yaml:"recheck"`
	// Opens makes a yes/no question asked only in a re-screen the
	// catch-all about the time since the last session: answered yes or
	// not sure, the re-screen asks these questions again, with their
	// follow-ups, although it otherwise skips them (recheck.go).
	Opens []string `yaml:"opens"`
	// Unsure says whether "not sure" is an answer to the question. Unset,
	// it is for yes/no and integer questions and not for choices and
	// lists. Where it is not, an unsure answer in a file is not one of the
	// allowed answers; both need review.
	Unsure *bool `yaml:"unsure"`
	// Match lists the words and phrases that, found in a form export's
	// column header, say the column holds this question (see MatchTerm).
	Match []string `yaml:"match"`

	when *Condition
	pos  Pos
	// tr holds the rule set's translations: the labels of the options
	// in every language, the match: terms they add (lang.go).
	tr *translations
}

// Rule turns a condition over the answers into a finding.
type Rule struct {
	ID        string   `yaml:"id"`
	Condition string   `yaml:"condition"`
	Level     Level    `yaml:"level"`
	Message   string   `yaml:"message"`
	Rationale string   `yaml:"rationale"`
	Source    []string `yaml:"source"`
	// Clearable says whether a clinician may clear the rule's finding;
	// unset, only needs_review findings may be (clearance.go).
	Clearable *bool `yaml:"clearable"`

	cond *Condition
	pos  Pos
	// rawMessage is the message as written, before the parameters' values
	// were filled in, for lint.
	rawMessage string
}

// Instructions are the texts given to the patient.
type Instructions struct {
	// ShowFor lists the verdicts with which instructions are given.
	ShowFor      []Level        `yaml:"show_for"`
	PreTreatment []*Instruction `yaml:"pre_treatment"`
	Aftercare    []*Instruction `yaml:"aftercare"`
	Course       []*Instruction `yaml:"course"`
}

// Instruction is one text for the patient, shown when its condition holds
// (always, if it has none).
type Instruction struct {
	ID     string   `yaml:"id"`
	Text   string   `yaml:"text"`
	When   string   `yaml:"when"`
	Source []string `yaml:"source"`

	when *Condition
	pos  Pos
}

// Pos is a position in a rule-set file. Line and Col count from 1.
type Pos struct {
	Line, Col int
}

// Question returns the question with the given id.
func (rs *RuleSet) Question(id string) (*Question, bool) {
	i, ok := rs.byID[id]
	if !ok {
		return nil, false
	}
	return rs.Questions[i], true
}

// Index returns the position of question id in rs.Questions, or -1.
func (rs *RuleSet) Index(id string) int {
	if i, ok := rs.byID[id]; ok {
		return i
	}
	return -1
}

// Identifier returns the question that names the patient, or nil.
func (rs *RuleSet) Identifier() *Question {
	if rs.idField < 0 {
		return nil
	}
	return rs.Questions[rs.idField]
}

// ShowsInstructions reports whether a verdict at level l comes with the
// pre-treatment instructions, aftercare and course of treatment.
func (rs *RuleSet) ShowsInstructions(l Level) bool {
	for _, x := range rs.Instructions.ShowFor {
		if x == l {
			return true
		}
	}
	return false
}

// SourceTitle returns the title of the cited source id, or "" if the rule set
// does not describe it.
func (rs *RuleSet) SourceTitle(id string) string {
	for _, s := range rs.Sources {
		if s.ID == id {
			return s.Title
		}
	}
	return ""
}

// SourceName returns what a finding calls the cited source id: its name
// in the rule set's language, or the id itself when it has none or the
// rule set does not describe it.
func (rs *RuleSet) SourceName(id string) string {
	for _, s := range rs.Sources {
		if s.ID == id && s.Name != "" {
			return s.Name
		}
	}
	return id
}

// Section returns the section with the given id.
func (rs *RuleSet) Section(id string) (Section, bool) {
	for _, s := range rs.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// Cond returns the compiled follow-up condition, or nil if the question is
// always asked.
func (q *Question) Cond() *Condition { return q.when }

// Pos returns where the question is declared.
func (q *Question) Pos() Pos { return q.pos }

// TypeName describes the question's answer type in plain words.
func (q *Question) TypeName() string { return typeNames[q.Type] }

// Name is what the question is called where it is named rather than
// asked: its label, else its ask.
func (q *Question) Name() string {
	if q.ShortName != "" {
		return q.ShortName
	}
	return q.Ask
}

// AllowsUnsure reports whether "not sure" is an answer to the question.
func (q *Question) AllowsUnsure() bool {
	if q.Unsure != nil {
		return *q.Unsure
	}
	return q.Type == YesNo || q.Type == Integer
}

// MeansNo returns the option that answers "no", or "".
func (q *Question) MeansNo() string {
	for _, o := range q.Options {
		if o.MeansNo {
			return o.Value
		}
	}
	return ""
}

// IsIdentifier reports whether the question names the patient.
func (q *Question) IsIdentifier() bool { return q.Role == "identifier" }

// Label returns the label of option value v, or v itself if it has none.
func (q *Question) Label(v string) string {
	for _, o := range q.Options {
		if o.Value == v {
			if o.Label != "" {
				return o.Label
			}
			break
		}
	}
	return v
}

// HasOption reports whether v is one of the question's allowed values.
func (q *Question) HasOption(v string) bool {
	for _, o := range q.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// OptionValues lists the allowed values in declaration order.
func (q *Question) OptionValues() []string {
	vs := make([]string, len(q.Options))
	for i, o := range q.Options {
		vs[i] = o.Value
	}
	return vs
}

// Expected describes the answers the question accepts, for error messages.
func (q *Question) Expected() string {
	switch q.Type {
	case YesNo:
		return "yes, no or unsure"
	case Choice:
		if q.AllowsUnsure() {
			return "one of " + strings.Join(q.OptionValues(), ", ") + " or unsure"
		}
		return "one of " + strings.Join(q.OptionValues(), ", ")
	case Integer:
		return fmt.Sprintf("a whole number from %d to %d", q.MinValue(), q.MaxValue())
	case List:
		return "one or more of " + strings.Join(q.OptionValues(), ", ")
	default:
		return "text"
	}
}

// MinValue and MaxValue give the integer range; an unset bound is open.
func (q *Question) MinValue() int64 {
	if q.Min == nil {
		return -1 << 63
	}
	return *q.Min
}

// MaxValue returns the upper bound of an integer question.
func (q *Question) MaxValue() int64 {
	if q.Max == nil {
		return 1<<63 - 1
	}
	return *q.Max
}

// Cond returns the rule's compiled condition.
func (r *Rule) Cond() *Condition { return r.cond }

// Pos returns where the rule is declared.
func (r *Rule) Pos() Pos { return r.pos }

// SourceText joins the rule's sources for display: "002, 004".
func (r *Rule) SourceText() string { return strings.Join(r.Source, ", ") }

// Cond returns the instruction's compiled condition, or nil if it always
// applies.
func (in *Instruction) Cond() *Condition { return in.when }

// SourceText joins the instruction's sources for display.
func (in *Instruction) SourceText() string { return strings.Join(in.Source, ", ") }
