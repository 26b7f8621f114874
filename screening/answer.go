package screening

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// State says what kind of answer a field holds.
type State uint8

// Answer states. Only Given answers reach the rules.
const (
	Missing    State = iota // no answer at all
	Given                   // a valid answer
	Unsure                  // the patient did not know
	Invalid                 // an answer that could not be read
	OutOfRange              // a number outside the question's range
	Duplicated              // given more than once in one record: neither can be trusted
	// Contradictory is an answer that says two things at once: a FHIR
	// coding whose code says no and whose display says yes. Value is the
	// Coding.
	Contradictory
)

// Conflict is the raw answer of a field given more than once in one
// record (a JSON key twice, two value[x] in one FHIR answer, a CSV column
// repeated), with each value as given, in order. ParseAnswer never reads it
// as an answer: it is Duplicated, and so needs review.
type Conflict []any

// Answer is one field's answer.
type Answer struct {
	State State
	// Value is the typed answer when State is Given: bool for yes/no, int64
	// for integers, string for choices and text, []string for lists.
	Value any
	// Given is the answer as written, kept for messages about it.
	Given string
}

// Answered reports whether the answer can be used by the rules.
func (a Answer) Answered() bool { return a.State == Given }

// Text renders the answer in the canonical spelling of SPEC §1.
func (a Answer) Text() string {
	switch a.State {
	case Missing:
		return ""
	case Unsure:
		return "unsure"
	case Given:
		switch v := a.Value.(type) {
		case bool:
			if v {
				return "yes"
			}
			return "no"
		case int64:
			return strconv.FormatInt(v, 10)
		case string:
			return v
		case []string:
			return strings.Join(v, ";")
		}
	}
	return a.Given
}

// canonical is the JSON form of a given answer, or nil for none: the
// typed value, but yes, no and unsure spelt as Text spells them.
func (a Answer) canonical() any {
	switch a.State {
	case Missing:
		return nil
	case Given:
		if _, ok := a.Value.(bool); !ok {
			return a.Value
		}
	}
	return a.Text()
}

// ParseAnswer reads a raw value, as decoded from JSON or read from a CSV
// cell, into an answer to question q. nil, an empty string and an empty
// list are missing answers. Yes, no and not sure may be written in any of
// mesoscreen's languages ("sí", "non", "no sé"; i18n.AnswerWord), and a
// choice as its value or as its label in any of the rule set's
// languages ("Sin diabetes"): a word that is no in one language is never
// read as anything else in another, and "no sé" is unsure, not no.
//
// A Coding is read from its code only in mesoscreen's own answer system,
// HL7's yes/no and data-absent-reason systems, or none (codeText): a code
// of another system is Invalid. One whose display is a yes, no or not
// sure that its code does not say is Contradictory.
func ParseAnswer(q *rules.Question, raw any) Answer {
	if c, ok := raw.(Conflict); ok {
		// Value is how many times it was given.
		return Answer{State: Duplicated, Value: len(c), Given: c.String()}
	}
	if a, ok := parseCoded(q, raw); ok {
		return a
	}
	given, isEmpty := rawText(raw)
	if isEmpty {
		return Answer{State: Missing}
	}
	_, isString := raw.(string)
	var norm string
	var w i18n.Word
	if q.Type != rules.Text { // text is kept as written
		norm = strings.ToLower(strings.TrimSpace(given))
		w = i18n.AnswerWord(given)
		if w == i18n.Unsure {
			if !q.AllowsUnsure() {
				// The interview does not offer it either; still never a
				// harmless answer.
				return Answer{State: Invalid, Given: given}
			}
			return Answer{State: Unsure, Given: given}
		}
	}
	invalid := Answer{State: Invalid, Given: given}
	switch q.Type {
	case rules.YesNo:
		switch v := raw.(type) {
		case bool:
			return Answer{State: Given, Value: v, Given: given}
		case []any:
			return invalid
		}
		switch w {
		case i18n.Yes:
			return Answer{State: Given, Value: true, Given: given}
		case i18n.No:
			return Answer{State: Given, Value: false, Given: given}
		}
		return invalid
	case rules.Integer:
		n, ok := parseInt(raw, norm)
		if !ok {
			return invalid
		}
		if n < q.MinValue() || n > q.MaxValue() {
			return Answer{State: OutOfRange, Value: n, Given: given}
		}
		return Answer{State: Given, Value: n, Given: given}
	case rules.Choice:
		if v, ok := q.OptionValue(given); isString && ok {
			return Answer{State: Given, Value: v, Given: given}
		}
		return invalid
	case rules.List:
		items, ok := listItems(raw)
		if !ok {
			return invalid
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			if strings.TrimSpace(it) == "" {
				continue
			}
			v, ok := q.OptionValue(it)
			if !ok {
				return invalid
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return Answer{State: Missing}
		}
		return Answer{State: Given, Value: out, Given: given}
	default:
		text := strings.TrimSpace(given)
		for _, w := range q.NoneWords {
			if strings.EqualFold(text, w) {
				text = ""
				break
			}
		}
		return Answer{State: Given, Value: text, Given: given}
	}
}

// String lists the values as given, each quoted: "no", "yes".
func (c Conflict) String() string {
	parts := make([]string, len(c))
	for i, v := range c {
		s, _ := rawText(v)
		parts[i] = strconv.Quote(s)
	}
	return strings.Join(parts, ", ")
}

// rawText renders a raw value as the text it was given as.
func rawText(raw any) (string, bool) {
	switch v := raw.(type) {
	case nil:
		return "", true
	case string:
		return v, strings.TrimSpace(v) == ""
	case bool:
		return strconv.FormatBool(v), false
	case json.Number:
		return v.String(), false
	case Coding:
		return v.String(), false
	case Conflict:
		return v.String(), false
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), false
	case int:
		return strconv.Itoa(v), false
	case int64:
		return strconv.FormatInt(v, 10), false
	case []string:
		return strings.Join(v, ";"), len(v) == 0
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			s, _ := rawText(x)
			parts = append(parts, s)
		}
		return strings.Join(parts, ";"), len(v) == 0
	}
	b, _ := json.Marshal(raw)
	return string(b), false
}

func parseInt(raw any, norm string) (int64, bool) {
	switch v := raw.(type) {
	case bool, []any, map[string]any:
		return 0, false
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1e15 {
			return 0, false
		}
		return int64(v), true
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		return decimalInt(string(v))
	}
	n, err := strconv.ParseInt(norm, 10, 64)
	return n, err == nil
}

// decimalInt reads a JSON number written with a fraction or an exponent
// ("40.0", "4e1") as the whole number it is, exactly, from its digits: as
// a float64, 17.9999999999999999 would round to 18 and pass for an adult.
// It refuses a fraction that is not all zeros, and a magnitude past 1e15.
func decimalInt(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e < -1000 || e > 1000 {
			return 0, false
		}
		mant, exp = s[:i], e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	point := len(whole) + exp // digits[:point] is the whole part
	if point < 0 {
		point = 0
	}
	if point < len(digits) {
		if strings.Trim(digits[point:], "0") != "" {
			return 0, false // a fraction
		}
		digits = digits[:point]
	} else {
		digits += strings.Repeat("0", min(point-len(digits), 17))
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 16 {
		return 0, false
	}
	n, err := strconv.ParseInt("0"+digits, 10, 64)
	if err != nil || n > 1e15 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// listItems splits a list answer: a JSON array, or text separated by ; or |.
func listItems(raw any) ([]string, bool) {
	switch v := raw.(type) {
	case []string:
		return v, true
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case string:
		return splitList(v), true
	}
	return nil, false
}

// splitList splits a list written as text: ids separated by ; or |.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' })
}

// Answers holds one intake's answers, indexed like the rule set's questions.
type Answers struct {
	rs   *rules.RuleSet
	vals []Answer
	// Unknown lists the fields of the raw record that the rule set does not
	// ask, sorted. No condition reads them; each that holds an answer is
	// an answer-unasked finding of the screening, as nothing a patient
	// wrote may be set aside in silence.
	Unknown []string
	// unasked holds what each of Unknown was given, in the order given.
	unasked []unaskedAnswer
	// NoIdentifier says that the patient identifier was left out on
	// purpose, as "interview --save --no-patient-id" does: a missing
	// identifier is then no finding, as it is not in an interview.
	NoIdentifier bool
}

// NewAnswers returns an intake with every answer missing.
func NewAnswers(rs *rules.RuleSet) *Answers {
	return &Answers{rs: rs, vals: make([]Answer, len(rs.Questions))}
}

// Parse reads a raw record, such as a decoded JSON object, into answers.
func Parse(rs *rules.RuleSet, fields map[string]any) *Answers {
	a := NewAnswers(rs)
	for k, v := range fields {
		a.SetRaw(k, v)
	}
	return a
}

// SetRaw parses raw as the answer to field id, as Parse does for each
// field of a record. A field the rule set does not ask is added to
// Unknown, and SetRaw returns false.
func (a *Answers) SetRaw(id string, raw any) bool {
	i := a.rs.Index(id)
	if i < 0 {
		if j, found := slices.BinarySearch(a.Unknown, id); !found {
			a.Unknown = slices.Insert(a.Unknown, j, id)
		}
		if text := unaskedText(raw); text != "" {
			a.unasked = append(a.unasked, unaskedAnswer{id, text})
		}
		return false
	}
	a.vals[i] = ParseAnswer(a.rs.Questions[i], raw)
	return true
}

// RuleSet returns the rule set the answers belong to.
func (a *Answers) RuleSet() *rules.RuleSet { return a.rs }

// Get returns the answer to question id; an unknown id is Missing.
func (a *Answers) Get(id string) Answer {
	if i := a.rs.Index(id); i >= 0 {
		return a.vals[i]
	}
	return Answer{}
}

// Set stores the answer to question id.
func (a *Answers) Set(id string, ans Answer) error {
	i := a.rs.Index(id)
	if i < 0 {
		return fmt.Errorf("the rule set has no question %q", id)
	}
	a.vals[i] = ans
	return nil
}

// Clone returns an independent copy.
func (a *Answers) Clone() *Answers {
	return &Answers{rs: a.rs, vals: slices.Clone(a.vals), Unknown: slices.Clone(a.Unknown), unasked: slices.Clone(a.unasked), NoIdentifier: a.NoIdentifier}
}

// Canonical returns the answers given, keyed by field id, in the
// spelling of SPEC §1 ("yes", "no", "unsure", choice ids), so that they
// can be screened again.
func (a *Answers) Canonical() map[string]any {
	m := make(map[string]any, len(a.vals))
	for i, q := range a.rs.Questions {
		if v := a.vals[i].canonical(); v != nil {
			m[q.ID] = v
		}
	}
	return m
}

// MarshalJSON writes the answers as Canonical gives them.
func (a *Answers) MarshalJSON() ([]byte, error) { return json.Marshal(a.Canonical()) }

// unaskedAnswer is what a field the rule set does not ask was given.
type unaskedAnswer struct {
	field, text string
}

// unaskedText is what a raw value says, on one line and whole (the
// allergy mentions are read in all of it; a message cuts it short): ""
// when it says nothing (null, a blank string, an empty list).
func unaskedText(raw any) string {
	t, empty := rawText(raw)
	if empty {
		return ""
	}
	return oneLine(t)
}
