package screening

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
)

// Finding is one reason for a verdict.
type Finding struct {
	Rule      string      `json:"rule"`
	Level     rules.Level `json:"level"`
	Message   string      `json:"message"`
	Rationale string      `json:"rationale,omitempty"`
	Source    string      `json:"source,omitempty"`
	// Field and Value name the answer a fail-safe finding is about.
	Field string `json:"field,omitempty"`
	Value string `json:"value,omitempty"`
}

// Step is one part of the expected course of treatment.
type Step struct {
	Text   string `json:"text"`
	Source string `json:"source,omitempty"`
}

// RuleSetRef says which rule set produced a result.
type RuleSetRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Result is the screening of one intake (SPEC §5).
type Result struct {
	PatientID    string      `json:"patient_id"`
	Source       string      `json:"source,omitempty"`
	Verdict      rules.Level `json:"verdict"`
	Findings     []Finding   `json:"findings"`
	PreTreatment []string    `json:"pre_treatment"`
	Aftercare    []string    `json:"aftercare"`
	Course       []Step      `json:"course"`
	RuleSet      RuleSetRef  `json:"rule_set"`
	// Medications lists what the medication lexicon recognised in the
	// medications answer (see medications.go).
	Medications []Medication `json:"medications_recognised,omitempty"`
}

// Options change how an intake is screened.
type Options struct {
	// IdentifierOptional lets the patient identifier be empty, as in an
	// interview, where the clinician knows who is being screened.
	IdentifierOptional bool
	// Meds is the medication lexicon the medications answer is read with;
	// nil means the embedded default.
	Meds *meds.Lexicon
	// FindingsOnly leaves out the instructions and the course of
	// treatment, for an output that shows only the verdict and the
	// findings: PreTreatment, Aftercare and Course stay empty.
	FindingsOnly bool
}

// Rule ids of the fail-safe findings, which name a field rather than a rule.
const (
	RuleMissing     = "answer-missing"
	RuleUnsure      = "answer-unsure"
	RuleInvalid     = "answer-invalid"
	RuleOutOfRange  = "answer-out-of-range"
	RuleUnreadable  = "record-unreadable"
	RuleUndecidable = "rule-undecidable"
	failSafeSource  = "mesoscreen fail-safe"
)

// Ref returns the identification of a rule set that results carry.
func Ref(rs *rules.RuleSet) RuleSetRef {
	return RuleSetRef{Name: rs.Name, Version: rs.Version, SHA256: rs.SHA256}
}

// activation exposes the given answers to CEL. An answer that is missing,
// unsure or unreadable is absent, so a condition that needs it cannot be
// decided, rather than being read as no.
type activation struct {
	rs      *rules.RuleSet
	vals    []ref.Val
	derived map[string]ref.Val // the derived fields, see medications.go
}

func (act *activation) ResolveName(name string) (any, bool) {
	i := act.rs.Index(name)
	if i < 0 {
		v, ok := act.derived[name]
		return v, ok
	}
	if act.vals[i] == nil {
		return nil, false
	}
	return act.vals[i], true
}

func (*activation) Parent() interpreter.Activation { return nil }

func (a *Answers) activation() *activation {
	vals := make([]ref.Val, len(a.vals))
	for i, v := range a.vals {
		if v.State != Given {
			continue
		}
		switch x := v.Value.(type) {
		case bool:
			vals[i] = rules.BoolVal(x)
		case int64:
			vals[i] = rules.IntVal(x)
		case string:
			vals[i] = rules.StringVal(x)
		case []string:
			vals[i] = rules.ListVal(x)
		}
	}
	return &activation{rs: a.rs, vals: vals}
}

// Evaluate screens the answers: the fail-safe findings for answers that
// cannot be used, then every rule whose condition holds. The verdict is the
// most severe finding, eligible when there is none.
func Evaluate(a *Answers, opts Options) Result {
	var res Result
	ScreenerFor(a.rs, opts).EvaluateInto(a, &res)
	return res
}

// Screener screens intakes against one rule set, with one medication
// lexicon. Its conditions are compiled once (see compiled.go), and what
// the lexicon finds in a medication list is kept for lists written the
// same way again. It is safe for concurrent use.
type Screener struct {
	rs   *rules.RuleSet
	opts Options
	lx   *meds.Lexicon
	// lxErr is why the default lexicon does not load; medication lists
	// are then left to a clinician.
	lxErr error

	// The compiled conditions, indexed like the questions, rules and
	// instructions; nil where CEL decides.
	when               []boolFn
	rules              []boolFn
	pre, after, course []boolFn
	// The finding of each rule and the step of each course instruction,
	// built once rather than for every record.
	findings []Finding
	steps    []Step
	// The texts with {meds} placeholders, and which one each rule's
	// message and instruction's text is (-1 for none).
	templates                    []string
	placeholders                 [][]rules.Placeholder // of each template
	ruleText, preText, afterText []int

	ref      RuleSetRef
	medsIdx  int      // the medications question, -1 if none
	idIdx    int      // the patient identifier question, -1 if none
	noMeds   *medInfo // for an intake that lists none
	medCache sync.Map // medication text -> *medInfo
	cached   atomic.Int64
}

type screenerKey struct {
	rs    *rules.RuleSet
	lx    *meds.Lexicon
	idOpt bool
	only  bool
}

var screeners sync.Map // screenerKey -> *Screener

// ScreenerFor returns the screener of a rule set and options, made on
// first use and shared after that.
func ScreenerFor(rs *rules.RuleSet, opts Options) *Screener {
	k := screenerKey{rs: rs, lx: opts.Meds, idOpt: opts.IdentifierOptional, only: opts.FindingsOnly}
	if s, ok := screeners.Load(k); ok {
		return s.(*Screener)
	}
	s, _ := screeners.LoadOrStore(k, NewScreener(rs, opts))
	return s.(*Screener)
}

// NewScreener compiles a rule set for screening with the given options.
func NewScreener(rs *rules.RuleSet, opts Options) *Screener {
	s := &Screener{rs: rs, opts: opts, lx: opts.Meds, ref: Ref(rs), medsIdx: rs.Index(MedicationsField), idIdx: -1}
	if id := rs.Identifier(); id != nil {
		s.idIdx = rs.Index(id.ID)
	}
	if s.lx == nil {
		s.lx, s.lxErr = meds.Default()
	}
	add := func(c *rules.Condition) boolFn { return compileCondition(rs, c) }
	tpl := func(text string) int {
		if !strings.Contains(text, "{meds") {
			return -1
		}
		ps, err := rules.Placeholders(text)
		if err != nil {
			ps = nil // as rules.Expand: the loader has refused such a text
		}
		s.templates = append(s.templates, text)
		s.placeholders = append(s.placeholders, ps)
		return len(s.templates) - 1
	}
	for _, q := range rs.Questions {
		s.when = append(s.when, add(q.Cond()))
	}
	for _, r := range rs.Rules {
		s.rules = append(s.rules, add(r.Cond()))
		s.findings = append(s.findings, Finding{
			Rule: r.ID, Level: r.Level, Message: r.Message,
			Rationale: strings.TrimSpace(r.Rationale), Source: r.SourceText(),
		})
		s.ruleText = append(s.ruleText, tpl(r.Message))
	}
	for _, x := range rs.Instructions.PreTreatment {
		s.pre = append(s.pre, add(x.Cond()))
		s.preText = append(s.preText, tpl(x.Text))
	}
	for _, x := range rs.Instructions.Aftercare {
		s.after = append(s.after, add(x.Cond()))
		s.afterText = append(s.afterText, tpl(x.Text))
	}
	for _, x := range rs.Instructions.Course {
		s.course = append(s.course, add(x.Cond()))
		s.steps = append(s.steps, Step{Text: x.Text, Source: x.SourceText()})
	}
	s.noMeds = s.newMedInfo(nil, nil)
	return s
}

// RuleSet returns the rule set the screener screens with.
func (s *Screener) RuleSet() *rules.RuleSet { return s.rs }

// Evaluate screens the answers, which must be for the screener's rule set.
func (s *Screener) Evaluate(a *Answers) Result {
	var res Result
	s.EvaluateInto(a, &res)
	return res
}

// evaluation is the state of one screening.
type evaluation struct {
	s   *Screener
	a   *Answers
	sc  scope
	act *activation
}

// evaluations recycles the state of a screening, which the compiled
// conditions read through a pointer.
var evaluations = sync.Pool{New: func() any { return new(evaluation) }}

// EvaluateInto is Evaluate into res, reusing the slices res holds: a loop
// over many intakes screens without allocating a result each time. What
// res held before is overwritten.
func (s *Screener) EvaluateInto(a *Answers, res *Result) {
	e := evaluations.Get().(*evaluation)
	e.s, e.a, e.sc.vals = s, a, a.vals
	e.evaluate(res)
	*e = evaluation{}
	evaluations.Put(e)
}

func (e *evaluation) evaluate(res *Result) {
	s, rs, a := e.s, e.s.rs, e.a
	// As ClearInapplicable, in the same order, so that a follow-up of a
	// cleared follow-up is cleared too. The caller's answers are copied
	// only if one is cleared.
	copied := false
	for i, q := range rs.Questions {
		if q.Cond() == nil || e.a.vals[i].State == Missing {
			continue
		}
		if ok, _ := e.applies(i); !ok {
			if !copied {
				e.a = &Answers{rs: rs, vals: slices.Clone(a.vals)}
				e.sc.vals = e.a.vals
				copied = true
			}
			e.a.vals[i] = Answer{}
		}
	}
	a = e.a
	if copied {
		e.act = nil // built, if at all, from the answers before clearing
	}
	md := s.medications(a.vals)
	e.sc.md = md

	*res = Result{
		Findings:     append(res.Findings[:0], md.findings...),
		PreTreatment: res.PreTreatment[:0],
		Aftercare:    res.Aftercare[:0],
		Course:       res.Course[:0],
		RuleSet:      s.ref,
		Medications:  md.list,
	}
	if res.Findings == nil {
		res.Findings = make([]Finding, 0, 4)
	}
	if res.PreTreatment == nil {
		res.PreTreatment, res.Aftercare, res.Course = []string{}, []string{}, []Step{}
	}
	if s.idIdx >= 0 {
		if v := a.vals[s.idIdx]; v.State == Given {
			res.PatientID = v.Value.(string)
		}
	}

	for i, q := range rs.Questions {
		if a.vals[i].State == Given && !(q.Type == rules.Text && q.Required) {
			continue // the common case, kept cheap
		}
		if f, ok := failSafe(q, a.vals[i], func() (bool, bool) { return e.applies(i) }, s.opts); ok {
			res.Findings = append(res.Findings, f)
		}
	}
	for i, r := range rs.Rules {
		fired, decided, err := e.cond(s.rules[i], r.Cond())
		if !decided {
			if err == nil || unanswered(r.Cond(), e.activation()) {
				// The answers it needs already have fail-safe findings.
				continue
			}
			res.Findings = append(res.Findings, Finding{
				Rule: RuleUndecidable, Level: rules.NeedsReview, Source: failSafeSource,
				Message: fmt.Sprintf("rule %s could not be decided (%v); review by hand", r.ID, err),
			})
			continue
		}
		if fired {
			f := s.findings[i]
			if t := s.ruleText[i]; t >= 0 {
				f.Message = md.texts[t]
			}
			res.Findings = append(res.Findings, f)
		}
	}
	// Most severe first; rule-set order within a level.
	slices.SortStableFunc(res.Findings, bySeverity)
	res.Verdict = rules.Eligible
	if len(res.Findings) > 0 {
		res.Verdict = res.Findings[0].Level
	}
	if s.opts.FindingsOnly || !rs.ShowsInstructions(res.Verdict) {
		return
	}
	in := rs.Instructions
	for i, x := range in.PreTreatment {
		if e.holds(s.pre[i], x) {
			res.PreTreatment = append(res.PreTreatment, md.text(s.preText[i], x.Text))
		}
	}
	for i, x := range in.Aftercare {
		if e.holds(s.after[i], x) {
			res.Aftercare = append(res.Aftercare, md.text(s.afterText[i], x.Text))
		}
	}
	for i, x := range in.Course {
		if e.holds(s.course[i], x) {
			res.Course = append(res.Course, s.steps[i])
		}
	}
}

func bySeverity(x, y Finding) int { return y.Level.Severity() - x.Level.Severity() }

// cond evaluates a condition, compiled (n) or through CEL; decided is
// false when it cannot be decided, and err then says why if CEL said so.
func (e *evaluation) cond(n boolFn, c *rules.Condition) (ok, decided bool, err error) {
	if n != nil {
		v := n(&e.sc)
		return v == triTrue, v != triUndecided, nil
	}
	ok, err = c.Eval(e.activation())
	return ok, err == nil, err
}

// applies is Answers.Applies for question i.
func (e *evaluation) applies(i int) (applies, decided bool) {
	q := e.s.rs.Questions[i]
	if q.Cond() == nil {
		return true, true
	}
	ok, decided, _ := e.cond(e.s.when[i], q.Cond())
	return ok && decided, decided
}

// activation builds the CEL activation the first time a condition needs
// it, with the derived fields of the medications answer.
func (e *evaluation) activation() *activation {
	if e.act == nil {
		e.act = e.a.activation()
		e.act.derived = e.sc.md.derived()
	}
	return e.act
}

// holds reports whether an instruction applies; one whose condition cannot
// be decided is left out.
func (e *evaluation) holds(n boolFn, x *rules.Instruction) bool {
	if x.Cond() == nil {
		return true
	}
	ok, decided, _ := e.cond(n, x.Cond())
	return decided && ok
}

func unanswered(c *rules.Condition, act *activation) bool {
	for _, id := range c.Reads() {
		if _, ok := act.ResolveName(id); !ok {
			return true
		}
	}
	return false
}

// failSafe returns the needs_review finding for an answer that cannot be
// used, if it is one.
func failSafe(q *rules.Question, v Answer, applies func() (ok, decided bool), opts Options) (Finding, bool) {
	if v.State == Given && !(q.Type == rules.Text && q.Required) ||
		v.State == Missing && !q.Required {
		return Finding{}, false // the common cases, kept cheap
	}
	f := Finding{Level: rules.NeedsReview, Source: failSafeSource, Field: q.ID, Value: v.Given}
	switch v.State {
	case Given:
		if q.Type == rules.Text && q.Required && v.Value == "" {
			if q.IsIdentifier() && opts.IdentifierOptional {
				return f, false
			}
			f.Rule = RuleMissing
			f.Message = fmt.Sprintf("%s: no answer; %s is required", q.ID, q.ID)
			return f, true
		}
		return f, false
	case Missing:
		if q.IsIdentifier() && opts.IdentifierOptional { // an answer not required returned above
			return f, false
		}
		if q.Cond() != nil {
			// A follow-up is required only when it applies.
			if ok, decided := applies(); !ok || !decided {
				return f, false
			}
		}
		f.Rule = RuleMissing
		f.Message = fmt.Sprintf("%s: no answer; ask %q before booking", q.ID, q.Ask)
	case Unsure:
		f.Rule = RuleUnsure
		f.Message = fmt.Sprintf("%s: answered %q; a clinician must find out before booking", q.ID, strings.TrimSpace(v.Given))
	case Invalid:
		f.Rule = RuleInvalid
		f.Message = fmt.Sprintf("%s: %q is not %s", q.ID, v.Given, q.Expected())
	case OutOfRange:
		f.Rule = RuleOutOfRange
		f.Message = fmt.Sprintf("%s: %s is outside %d to %d", q.ID, strings.TrimSpace(v.Given), q.MinValue(), q.MaxValue())
	}
	return f, true
}

// Unreadable is the result for a record that could not be read at all:
// needs_review, naming where it is and what is wrong.
func Unreadable(rs *rules.RuleSet, source string, err error) Result {
	return Result{
		Source:  source,
		Verdict: rules.NeedsReview,
		Findings: []Finding{{
			Rule: RuleUnreadable, Level: rules.NeedsReview, Source: failSafeSource,
			Message: fmt.Sprintf("%s: the record could not be read: %v", source, err),
		}},
		PreTreatment: []string{}, Aftercare: []string{}, Course: []Step{},
		RuleSet: Ref(rs),
	}
}
