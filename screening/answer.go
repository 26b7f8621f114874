// Package screening screens one intake against a rule set: it parses raw
// answers into typed values, turns missing, unsure and unreadable answers
// into needs_review findings, evaluates the rules and picks the
// instructions. It touches no terminal and no file, and everything in it is
// safe to use from many goroutines at once.
package screening

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mesoscreen/mesoscreen/rules"
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
)

// Answer is one field's answer.
type Answer struct {
	State State
	// Value is the typed answer when State is Given: bool for yes/no, int64
	// for integers, string for choices and text, []string for lists.
	Value any
	// Given is the answer as written, kept for messages about it.
	Given string
}

// set writes the answer a field at a time. Assigning a whole Answer
// builds it on the stack first and copies it, and the copy waits for
// the stores just made; at every cell of a large file that counts.
func (a *Answer) set(st State, v any, given string) {
	a.State, a.Value, a.Given = st, v, given
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

// canonical is the JSON form of a given answer, or nil for none.
func (a Answer) canonical() any {
	switch a.State {
	case Given:
		if v, ok := a.Value.(bool); ok {
			if v {
				return "yes"
			}
			return "no"
		}
		return a.Value
	case Unsure:
		return "unsure"
	case Invalid, OutOfRange:
		return a.Given
	}
	return nil
}

var unsureWords = map[string]bool{
	"unsure": true, "unknown": true, "not sure": true, "don't know": true,
	"dont know": true, "don’t know": true, "do not know": true,
}

var yesWords = map[string]bool{"yes": true, "y": true, "true": true, "1": true}
var noWords = map[string]bool{"no": true, "n": true, "false": true, "0": true}

// isYes, isNo and isUnsure read the word lists above; a switch is much
// faster than a map for the common answers, and a file has millions.
func isYes(s string) bool {
	switch s {
	case "yes", "no":
		return s == "yes"
	}
	return yesWords[s]
}

func isNo(s string) bool {
	switch s {
	case "no", "yes":
		return s == "no"
	}
	return noWords[s]
}

func isUnsure(s string) bool {
	switch s {
	case "yes", "no", "none", "0", "1":
		return false
	}
	return unsureWords[s]
}

// ParseAnswer reads a raw value, as decoded from JSON or read from a CSV
// cell, into an answer to question q. nil, an empty string and an empty
// list are missing answers.
func ParseAnswer(q *rules.Question, raw any) Answer {
	if s, ok := raw.(string); ok {
		return parseAnswer(q, nil, s, true)
	}
	given, isEmpty := rawText(raw)
	if isEmpty {
		return Answer{State: Missing}
	}
	return parseAnswer(q, raw, given, false)
}

// parseAnswer reads a text answer (isString, raw nil) or another raw value
// (given is its text). A CSV reader's cells take the first way, which does
// not box each cell in an interface.
func parseAnswer(q *rules.Question, raw any, given string, isString bool) Answer {
	var a Answer
	parseAnswerBoxed(&a, q, raw, given, isString, nil)
	return a
}

// parseAnswerBoxed is parseAnswer into dst, with the boxed option values
// of q if the caller has them (see boxedOption). It writes the answer in
// place, a field at a time (see Answer.set).
func parseAnswerBoxed(dst *Answer, q *rules.Question, raw any, given string, isString bool, boxed []any) {
	if isString {
		// The spellings files hold most, in the form they hold them.
		switch q.Type {
		case rules.YesNo:
			switch given {
			case "no":
				dst.set(Given, false, given)
				return
			case "yes":
				dst.set(Given, true, given)
				return
			}
		case rules.Integer:
			if n, ok := smallInt(given); ok && n >= q.MinValue() && n <= q.MaxValue() {
				dst.set(Given, n, given)
				return
			}
		}
	}
	if isString && strings.TrimSpace(given) == "" {
		dst.set(Missing, nil, "")
		return
	}
	var norm string
	if q.Type != rules.Text { // text is kept as written
		norm = lowerTrim(given)
		if isUnsure(norm) {
			dst.set(Unsure, nil, given)
			return
		}
	}
	switch q.Type {
	case rules.YesNo:
		switch v := raw.(type) {
		case bool:
			dst.set(Given, v, given)
			return
		case []any:
			dst.set(Invalid, nil, given)
			return
		}
		switch {
		case isYes(norm):
			dst.set(Given, true, given)
			return
		case isNo(norm):
			dst.set(Given, false, given)
			return
		}
		dst.set(Invalid, nil, given)
		return
	case rules.Integer:
		n, ok := parseInt(raw, norm)
		if !ok {
			dst.set(Invalid, nil, given)
			return
		}
		if n < q.MinValue() || n > q.MaxValue() {
			dst.set(OutOfRange, n, given)
			return
		}
		dst.set(Given, n, given)
		return
	case rules.Choice:
		if !isString {
			dst.set(Invalid, nil, given)
			return
		}
		for i, o := range q.Options {
			if o.Value == norm {
				if boxed == nil {
					boxed = boxedOptions(q)
				}
				dst.set(Given, boxed[i], given)
				return
			}
		}
		dst.set(Invalid, nil, given)
		return
	case rules.List:
		items, ok := listItems(raw)
		if isString {
			items, ok = splitList(given), true
		}
		if !ok {
			dst.set(Invalid, nil, given)
			return
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			v := lowerTrim(it)
			if v == "" {
				continue
			}
			if !q.HasOption(v) {
				dst.set(Invalid, nil, given)
				return
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			dst.set(Missing, nil, "")
			return
		}
		dst.set(Given, out, given)
		return
	default:
		text := strings.TrimSpace(given)
		for _, w := range q.NoneWords {
			if strings.EqualFold(text, w) {
				text = ""
				break
			}
		}
		dst.set(Given, text, given)
		return
	}
}

// boxedOptions holds each choice question's option values as interface
// values, made once, so that an answer does not box its value again.
var boxed sync.Map // *rules.Question -> []any

func boxedOptions(q *rules.Question) []any {
	if b, ok := boxed.Load(q); ok {
		return b.([]any)
	}
	b := make([]any, len(q.Options))
	for j, o := range q.Options {
		b[j] = o.Value
	}
	boxed.Store(q, b)
	return b
}

// smallInt reads 1 to 3 ASCII digits, the whole of most numbers in an
// intake; anything else goes the long way.
func smallInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// lowerTrim is strings.ToLower(strings.TrimSpace(s)), without a copy
// when s is already trimmed and lower case, as most answers in files are.
func lowerTrim(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 || (i == 0 || i == len(s)-1) && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
			return strings.ToLower(strings.TrimSpace(s))
		}
	}
	return s
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
		f, err := v.Float64()
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return 0, false
		}
		return int64(f), true
	}
	n, err := strconv.ParseInt(norm, 10, 64)
	return n, err == nil
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
	// ask, sorted. They are ignored.
	Unknown []string
	// lists keeps, for Columns.ParseInto, the answers to list questions
	// by cell text: files repeat the same few combinations, and parsing
	// one costs three allocations. Bounded by maxCachedLists. Each
	// goroutine parses into answers of its own, so this needs no lock.
	lists map[listKey]Answer
}

// NewAnswers returns an intake with every answer missing.
func NewAnswers(rs *rules.RuleSet) *Answers {
	return &Answers{rs: rs, vals: make([]Answer, len(rs.Questions))}
}

// Parse reads a raw record, such as a decoded JSON object, into answers.
func Parse(rs *rules.RuleSet, fields map[string]any) *Answers {
	a := NewAnswers(rs)
	for k, v := range fields {
		i := rs.Index(k)
		if i < 0 {
			a.Unknown = append(a.Unknown, k)
			continue
		}
		a.vals[i] = ParseAnswer(rs.Questions[i], v)
	}
	sort.Strings(a.Unknown)
	return a
}

// ParseCells reads a row of text cells, such as a CSV row: cells[i] is the
// answer to field ids[i]. An id of "" marks a cell to skip, and an empty
// cell is a missing answer. It is Parse without the map; for many rows
// with the same columns, NewColumns saves looking the ids up each time.
func ParseCells(rs *rules.RuleSet, ids, cells []string) *Answers {
	return NewColumns(rs, ids).Parse(cells)
}

// Columns are the fields of a table's columns, looked up once for many
// rows.
type Columns struct {
	rs      *rules.RuleSet
	idx     []int // question index of each column, -1 to skip
	unknown []string
	boxed   [][]any // by question: boxedOptions of a choice
}

type listKey struct {
	q    int
	cell string
}

const maxCachedLists = 1024

// NewColumns looks up the fields ids of a table's columns; "" marks a
// column to skip.
func NewColumns(rs *rules.RuleSet, ids []string) *Columns {
	c := &Columns{rs: rs, idx: make([]int, len(ids)), boxed: make([][]any, len(rs.Questions))}
	for j, q := range rs.Questions {
		if q.Type == rules.Choice {
			c.boxed[j] = boxedOptions(q)
		}
	}
	for i, id := range ids {
		c.idx[i] = -1
		if id == "" {
			continue
		}
		if j := rs.Index(id); j >= 0 {
			c.idx[i] = j
		} else {
			c.unknown = append(c.unknown, id)
		}
	}
	sort.Strings(c.unknown)
	return c
}

// RuleSet returns the rule set the columns were looked up in.
func (c *Columns) RuleSet() *rules.RuleSet { return c.rs }

// Parse reads one row; cells[i] is the answer in column i.
func (c *Columns) Parse(cells []string) *Answers {
	return c.ParseInto(NewAnswers(c.rs), cells)
}

// ParseInto is Parse into answers a (from NewAnswers for the same rule
// set), which it clears first and returns. A loop over millions of rows
// reuses one Answers this way; Evaluate keeps nothing of it. The list
// values of answers from the same cell text are shared: do not change
// them.
func (c *Columns) ParseInto(a *Answers, cells []string) *Answers {
	clear(a.vals)
	a.Unknown = c.unknown
	for i, j := range c.idx {
		if j < 0 || i >= len(cells) || cells[i] == "" {
			continue
		}
		q := c.rs.Questions[j]
		if q.Type != rules.List {
			parseAnswerBoxed(&a.vals[j], q, nil, cells[i], true, c.boxed[j])
			continue
		}
		k := listKey{j, cells[i]}
		if v, ok := a.lists[k]; ok {
			a.vals[j].set(v.State, v.Value, v.Given)
			continue
		}
		parseAnswerBoxed(&a.vals[j], q, nil, cells[i], true, nil)
		if len(k.cell) <= 256 && len(a.lists) < maxCachedLists {
			if a.lists == nil {
				a.lists = make(map[listKey]Answer)
			}
			k.cell = strings.Clone(k.cell)
			a.lists[k] = Answer{State: a.vals[j].State, Value: a.vals[j].Value, Given: k.cell}
		}
	}
	return a
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
	c := &Answers{rs: a.rs, vals: append([]Answer(nil), a.vals...), Unknown: append([]string(nil), a.Unknown...)}
	return c
}

// Applies tells whether question q is asked given the answers so far: always
// for a question without a when: condition. decided is false when the
// condition reads an answer that is not given yet.
func (a *Answers) Applies(q *rules.Question) (applies, decided bool) {
	c := q.Cond()
	if c == nil {
		return true, true
	}
	ok, err := c.Eval(a.activation())
	if err != nil {
		return false, false
	}
	return ok, true
}

// ClearInapplicable drops answers to follow-ups whose condition no longer
// holds, so that a changed answer does not leave a stale follow-up behind.
// It returns the ids it cleared.
func (a *Answers) ClearInapplicable() []string {
	var cleared []string
	for i, q := range a.rs.Questions {
		if q.Cond() == nil || a.vals[i].State == Missing {
			continue
		}
		if ok, _ := a.Applies(q); !ok {
			a.vals[i] = Answer{}
			cleared = append(cleared, q.ID)
		}
	}
	return cleared
}

// MarshalJSON writes the answers given, keyed by field id, in the spelling
// of SPEC §1, so that a saved record can be screened again.
func (a *Answers) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(a.vals))
	for i, q := range a.rs.Questions {
		if v := a.vals[i].canonical(); v != nil {
			m[q.ID] = v
		}
	}
	return json.Marshal(m)
}
