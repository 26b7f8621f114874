package screening

import (
	"fmt"
	"slices"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
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
	// Cleared is the clearance of a saved record that clears this
	// finding: it then does not count towards the verdict (history.go).
	Cleared *Clearance `json:"cleared,omitempty"`

	// base is the message in the rule set's own language, when Message
	// is in another: a clearance is of the finding, whatever language it
	// was read in (lang.go).
	base string
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
	// Translation is the sha256 of the translation file the texts came
	// from, when they are not in the rule set's own language.
	Translation string `json:"translation_sha256,omitempty"`
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
	// Instructions are the ids of the instructions given, pre-treatment,
	// aftercare and course in that order, for a program that keeps its
	// own texts for them.
	Instructions []string `json:"instruction_ids"`
	// MedicationsWritten is the medications answer as the patient wrote
	// it, and Medications what the medication lexicon recognised in it
	// (see medications.go).
	MedicationsWritten string       `json:"medications_written"`
	Medications        []Medication `json:"medications_recognised,omitempty"`
	// Clearances and Record come with the result of a saved record
	// (history.go): every clearance it holds, and when it was screened.
	Clearances []Clearance   `json:"clearances,omitempty"`
	Record     *RecordStatus `json:"record,omitempty"`
	// Lang is the language of the result's texts (messages, instructions,
	// course); ids and levels are the same in every language.
	Lang string `json:"lang"`
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
	// Keys are the keys the clinic trusts: a saved record is believed only
	// when every event it holds (since its adoption) is signed with one
	// of them. Nil trusts none.
	Keys *Keyring
}

// Rule ids of the fail-safe findings, which name a field rather than a rule.
const (
	RuleMissing     = "answer-missing"
	RuleUnsure      = "answer-unsure"
	RuleInvalid     = "answer-invalid"
	RuleOutOfRange  = "answer-out-of-range"
	RuleDuplicated  = "answer-duplicated"
	RuleUnreadable  = "record-unreadable"
	RuleUndecidable = "rule-undecidable"
	// RuleInstructionUndecidable is an instruction whose when: condition
	// fails for the record's answers: whether it is given cannot be known.
	RuleInstructionUndecidable = "rule-instruction-undecidable"
	RuleDuplicateID            = "duplicate-patient-id"
	// RuleContradicted is a follow-up answered although the answer it
	// follows says it does not apply: the two answers disagree.
	RuleContradicted = "answer-contradicted"
	// RuleUnasked is an answer to a field no question of the rule set
	// asks, which nobody declared ignored: no rule reads it, so a
	// clinician must.
	RuleUnasked = "answer-unasked"
	// RuleDisplayContradicted is a FHIR coding whose display, a yes, no
	// or not sure, says something else than its code.
	RuleDisplayContradicted = "response-display-contradicted"
	failSafeSource          = "mesoscreen fail-safe"
)

// Ref returns the identification of a rule set that results carry.
func Ref(rs *rules.RuleSet) RuleSetRef {
	return RuleSetRef{Name: rs.Name, Version: rs.Version, SHA256: rs.SHA256, Translation: rs.TranslationSHA256()}
}

// Screener screens intakes against one rule set with one medication
// lexicon. Every condition is decided by the rule set's compiled CEL
// programs. It is safe for concurrent use.
type Screener struct {
	rs   *rules.RuleSet
	opts Options
	lx   *meds.Lexicon
	// lxErr is why the default lexicon does not load; medication lists
	// are then left to a clinician.
	lxErr   error
	ref     RuleSetRef
	medsIdx int // the medications question, -1 if none
	idIdx   int // the patient identifier question, -1 if none
	meds    medCache
	// tr says the program's words in the rule set's language; base is
	// the rule set in its own language when rs is a translation (lang.go).
	tr   *i18n.Printer
	base *baseLang
}

// NewScreener prepares a rule set for screening with the given options.
func NewScreener(rs *rules.RuleSet, opts Options) *Screener {
	s := &Screener{rs: rs, opts: opts, lx: opts.Meds, ref: Ref(rs), medsIdx: rs.Index(MedicationsField), idIdx: -1, tr: i18n.For(rs.Lang)}
	s.base = newBaseLang(rs)
	if id := rs.Identifier(); id != nil {
		s.idIdx = rs.Index(id.ID)
	}
	if s.lx == nil {
		s.lx, s.lxErr = meds.Default()
	}
	return s
}

// Evaluate screens the answers with a screener made for them: see
// Screener.Evaluate. A program that screens many intakes makes one
// Screener and keeps it.
func Evaluate(a *Answers, opts Options) Result {
	return NewScreener(a.rs, opts).Evaluate(a)
}

// RuleSet returns the rule set the screener screens with.
func (s *Screener) RuleSet() *rules.RuleSet { return s.rs }

// Evaluate screens the answers, which must be for the screener's rule
// set: first the follow-ups that no longer apply are set aside, then come
// the fail-safe findings for answers that cannot be used, the findings of
// every rule whose condition holds, and the extra findings the caller
// adds (a batch adds DuplicatePatient). The verdict is the most severe
// finding, eligible when there is none, and the instructions are those
// for that verdict. The answers are not changed.
func (s *Screener) Evaluate(a *Answers, extra ...Finding) Result {
	return s.evaluate(a, nil, extra, nil)
}

// evaluate is Evaluate, with the conditions evaluated through e's memo, or
// each time when e is nil, and the history of a saved record applied
// when rc is set.
func (s *Screener) evaluate(a *Answers, e *Evaluator, extra []Finding, rc *recordCheck) Result {
	act := s.activation(a.vals)
	act.e = e
	act.unasked = a.unasked
	// A follow-up answered in a file although its parent answer says it
	// does not apply is set aside for the rules, as the interview does
	// when a parent answer changes, but never in silence: the two
	// answers disagree, and a clinician must find out which is right.
	cleared := s.clearInapplicableAnswers(act)
	contradicted := s.contradictions(act, cleared)
	act.setAside(cleared)
	md := act.medications()

	act.noID = a.NoIdentifier
	res := Result{
		Findings:     slices.Clone(md.findings),
		PreTreatment: []string{},
		Aftercare:    []string{},
		Course:       []Step{},
		Instructions: []string{},
		RuleSet:      s.ref,
		Medications:  md.list,
		Lang:         s.rs.Lang,
	}
	if s.medsIdx >= 0 {
		res.MedicationsWritten = act.vals[s.medsIdx].Given
	}
	// The filler lives in the activation, which is on the heap already:
	// passing it as a Filler costs no allocation of its own.
	act.fill = filler{act, s.rs, s.tr, false}
	fill := &act.fill
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	if s.idIdx >= 0 {
		if v := act.vals[s.idIdx]; v.State == Given {
			res.PatientID = v.Value.(string)
		}
	}
	for i, q := range s.rs.Questions {
		if f, ok := s.failSafe(act, i, q); ok {
			res.Findings = append(res.Findings, f)
		}
	}
	res.Findings = append(res.Findings, contradicted...)
	for _, u := range a.unasked {
		res.Findings = append(res.Findings, Finding{
			Rule: RuleUnasked, Level: rules.NeedsReview, Source: failSafeSource, Field: u.field, Value: cutShort(u.text),
			Message: s.tr.T("%s: answered %q, but no question of the rule set reads it; a clinician must read it before booking, or the clinic declares it ignored", u.field, cutShort(u.text)),
		})
	}
	for i, r := range s.rs.Rules {
		fired, err := act.eval(r.Cond())
		switch {
		case err != nil && !act.unanswered(r.Cond()):
			res.Findings = append(res.Findings, Finding{
				Rule: RuleUndecidable, Level: rules.NeedsReview, Source: failSafeSource,
				Message: s.tr.T("rule %s could not be decided (%v); review by hand", r.ID, err),
			})
		case err == nil && fired:
			res.Findings = append(res.Findings, Finding{
				Rule: r.ID, Level: r.Level, Message: rules.Expand(r.Message, fill),
				Rationale: strings.TrimSpace(r.Rationale), Source: r.SourceText(),
				base: s.base.message(act, i),
			})
		}
		// An error from an answer that cannot be used adds nothing: that
		// answer has its own fail-safe finding already.
	}
	// An instruction left out because its condition fails (a division
	// by zero, a key not in a map) may be the one the patient needed:
	// as with a rule, a clinician decides.
	// Each condition is evaluated once: what it gave chooses the
	// instructions below.
	in := s.rs.Instructions
	lists := [3][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course}
	var given [3][]bool
	for l, list := range lists {
		given[l] = make([]bool, len(list))
		for k, x := range list {
			if x.Cond() == nil {
				given[l][k] = true
				continue
			}
			ok, err := act.eval(x.Cond())
			given[l][k] = err == nil && ok
			if err != nil && !act.unanswered(x.Cond()) {
				res.Findings = append(res.Findings, Finding{
					Rule: RuleInstructionUndecidable, Level: rules.NeedsReview, Source: failSafeSource,
					Message: s.tr.T("instruction %s could not be decided (%v); a clinician must decide whether it applies", x.ID, err),
				})
			}
		}
	}
	res.Findings = append(res.Findings, extra...)
	// Most severe first; rule-set order within a level.
	slices.SortStableFunc(res.Findings, func(x, y Finding) int { return y.Level.Severity() - x.Level.Severity() })
	res.Verdict = rules.Eligible
	if len(res.Findings) > 0 {
		res.Verdict = res.Findings[0].Level
	}
	if rc != nil {
		rc.apply(s, &res)
	}
	if s.opts.FindingsOnly || !s.rs.ShowsInstructions(res.Verdict) {
		return res
	}
	res.Instructions = make([]string, 0, len(in.PreTreatment)+len(in.Aftercare)+len(in.Course))
	for k, x := range in.PreTreatment {
		if given[0][k] {
			res.PreTreatment = append(res.PreTreatment, rules.Expand(x.Text, fill))
			res.Instructions = append(res.Instructions, x.ID)
		}
	}
	for k, x := range in.Aftercare {
		if given[1][k] {
			res.Aftercare = append(res.Aftercare, rules.Expand(x.Text, fill))
			res.Instructions = append(res.Instructions, x.ID)
		}
	}
	for k, x := range in.Course {
		if given[2][k] {
			res.Course = append(res.Course, Step{Text: rules.Expand(x.Text, fill), Source: x.SourceText()})
			res.Instructions = append(res.Instructions, x.ID)
		}
	}
	return res
}

// Applies tells whether question q is asked given the answers so far:
// always for a question without a when: condition. decided is false when
// the condition reads an answer that is not given yet.
func (s *Screener) Applies(a *Answers, q *rules.Question) (applies, decided bool) {
	return s.activation(a.vals).applies(q)
}

// ClearInapplicable drops the answers to follow-ups whose condition no
// longer holds, so that a changed answer leaves no stale follow-up
// behind, and returns the ids it cleared. Evaluate sets the same answers
// aside the same way.
func (s *Screener) ClearInapplicable(a *Answers) []string {
	act := s.activation(a.vals)
	cleared := s.clearInapplicable(act)
	a.vals = act.vals
	return cleared
}

// Contradicted returns the answer-contradicted findings of a's answers:
// the follow-ups answered although the answers they follow say they do
// not apply. a is not changed.
func (s *Screener) Contradicted(a *Answers) []Finding {
	act := s.activation(a.vals)
	return s.contradictions(act, s.clearInapplicableAnswers(act))
}

// clearInapplicable drops, in question order, the answers to follow-ups
// that do not apply: a follow-up of a cleared follow-up is then cleared
// too, because follow-ups read only questions asked before them.
func (s *Screener) clearInapplicable(act *activation) []string {
	var ids []string
	for _, c := range s.clearInapplicableAnswers(act) {
		ids = append(ids, s.rs.Questions[c.i].ID)
	}
	return ids
}

// clearedAnswer is an answer clearInapplicable set aside, as it was.
type clearedAnswer struct {
	i   int
	was Answer
}

func (s *Screener) clearInapplicableAnswers(act *activation) []clearedAnswer {
	var cleared []clearedAnswer
	for i, q := range s.rs.Questions {
		if q.Cond() == nil || act.vals[i].State == Missing {
			continue
		}
		if ok, _ := act.applies(q); !ok {
			cleared = append(cleared, clearedAnswer{i, act.vals[i]})
			act.clear(i)
		}
	}
	return cleared
}

// contradictions are the needs_review findings of follow-ups set aside
// that said something: a free-text follow-up that says nothing ("none",
// "n/a") and a yes/no follow-up answered no agree with a parent that says
// the follow-up does not apply; any other answer does not.
func (s *Screener) contradictions(act *activation, cleared []clearedAnswer) []Finding {
	var out []Finding
	for _, c := range cleared {
		q := s.rs.Questions[c.i]
		switch {
		case c.was.State == Given && q.Type == rules.Text && meds.SaysNothing(c.was.Given):
			continue
		case c.was.State == Given && q.Type == rules.YesNo && c.was.Value == false:
			continue
		}
		var parents []string
		for _, id := range q.Cond().Reads() {
			if j := s.rs.Index(id); j >= 0 && j != c.i {
				p := s.rs.Questions[j]
				parents = append(parents, fmt.Sprintf("%s (%s)", p.Name(), act.vals[j].TextIn(s.tr, p, Alone)))
			}
		}
		out = append(out, Finding{
			Rule: RuleContradicted, Level: rules.NeedsReview, Source: failSafeSource, Field: q.ID, Value: c.was.Given,
			Message: s.tr.T("%s: answered %q although %s says it does not apply; a clinician must find out which is right before booking",
				q.Name(), c.was.Given, strings.Join(parents, ", ")),
		})
	}
	return out
}

// activation gives CEL the answers of one intake. Only a given answer is
// present: one that is missing, unsure or cannot be read is absent, so a
// condition that needs it cannot be decided, rather than being read as no.
// The derived fields (rules.DerivedFields) are always present. Values are
// converted for CEL the first time a condition reads them.
type activation struct {
	s     *Screener
	vals  []Answer  // the answers; copied before one is cleared
	owned bool      // vals is this activation's own copy
	cel   []ref.Val // the CEL value of each given answer, once read
	md    *medInfo  // the medications answer, once read
	e     *Evaluator
	// allergies and unansweredVal are the values of the derived fields of
	// those names, once read.
	allergies, unansweredVal ref.Val
	// aside holds, by question index, the follow-ups set aside because
	// their parent says they do not apply. Conditions do not read them,
	// but the derived fields do: an anaesthetic named in allergy details
	// withholds the numbing cream whatever the parent answer says.
	aside map[int]Answer
	// unasked are the answers no question reads; allergy_classes reads
	// them for allergy mentions.
	unasked []unaskedAnswer
	// noID says the identifier was left out on purpose
	// (Answers.NoIdentifier).
	noID bool
	fill filler
}

// setAside keeps the answers cleared for the derived fields.
func (act *activation) setAside(cleared []clearedAnswer) {
	if len(cleared) == 0 {
		return
	}
	act.aside = make(map[int]Answer, len(cleared))
	for _, c := range cleared {
		act.aside[c.i] = c.was
	}
	act.allergies, act.md = nil, nil
}

// source is answer i as the derived fields read it: as given, even when
// set aside.
func (act *activation) source(i int) Answer {
	if a, ok := act.aside[i]; ok {
		return a
	}
	return act.vals[i]
}

// eval evaluates a condition for these answers, through the evaluator's
// memo if there is one.
func (act *activation) eval(c *rules.Condition) (bool, error) {
	if act.e != nil {
		return act.e.eval(c, act)
	}
	return c.Eval(act)
}

var _ interpreter.Activation = (*activation)(nil)

func (s *Screener) activation(vals []Answer) *activation {
	return &activation{s: s, vals: vals, cel: make([]ref.Val, len(vals))}
}

// ResolveName implements interpreter.Activation.
func (act *activation) ResolveName(name string) (any, bool) {
	i := act.s.rs.Index(name)
	if i < 0 {
		switch name {
		case rules.FieldMedicationClasses:
			return act.medications().classesVal, true
		case rules.FieldMedicationsRecognised:
			return act.medications().recognisedVal, true
		case rules.FieldAllergyClasses:
			return act.allergyClasses(), true
		case rules.FieldUnanswered:
			return act.unansweredIDs(), true
		}
		return nil, false
	}
	if v := act.cel[i]; v != nil {
		return v, true
	}
	a := act.vals[i]
	if a.State != Given {
		return nil, false
	}
	if i == act.s.medsIdx && act.medications().nothing {
		// "no meds" says what "" says.
		act.cel[i] = types.String("")
		return act.cel[i], true
	}
	var v ref.Val
	switch x := a.Value.(type) {
	case bool:
		v = types.Bool(x)
	case int64:
		v = types.Int(x)
	case string:
		v = types.String(x)
	case []string:
		v = types.NewStringList(types.DefaultTypeAdapter, x)
	default:
		return nil, false
	}
	act.cel[i] = v
	return v, true
}

// Parent implements interpreter.Activation.
func (*activation) Parent() interpreter.Activation { return nil }

// clear drops answer i, copying the answers first so that the caller's
// stay as they were.
func (act *activation) clear(i int) {
	if !act.owned {
		act.vals, act.owned = slices.Clone(act.vals), true
	}
	act.vals[i], act.cel[i] = Answer{}, nil
	act.allergies, act.unansweredVal = nil, nil
	if i == act.s.medsIdx {
		act.md = nil
	}
}

// medications reads the medications answer with the lexicon.
func (act *activation) medications() *medInfo {
	if act.md == nil {
		var a Answer
		if act.s.medsIdx >= 0 {
			a = act.source(act.s.medsIdx)
		}
		act.md = act.s.medications(a)
	}
	return act.md
}

// applies tells whether question q applies; see Screener.Applies.
func (act *activation) applies(q *rules.Question) (applies, decided bool) {
	c := q.Cond()
	if c == nil {
		return true, true
	}
	ok, err := act.eval(c)
	if err != nil {
		return false, false
	}
	return ok, true
}

// unanswered reports whether a condition reads an answer that is absent.
func (act *activation) unanswered(c *rules.Condition) bool {
	for _, id := range c.Reads() {
		if _, ok := act.ResolveName(id); !ok {
			return true
		}
	}
	return false
}

// failSafe returns the needs_review finding for answer i if it cannot be
// used (SPEC §2).
func (s *Screener) failSafe(act *activation, i int, q *rules.Question) (Finding, bool) {
	v := act.vals[i]
	f := Finding{Level: rules.NeedsReview, Source: failSafeSource, Field: q.ID, Value: v.Given}
	optionalID := q.IsIdentifier() && (s.opts.IdentifierOptional || act.noID)
	switch v.State {
	case Given:
		if q.Type != rules.Text || !q.Required || v.Value != "" || optionalID {
			return Finding{}, false
		}
		f.Rule = RuleMissing
		f.Message = s.tr.T("%s: no answer; it is required", q.Name())
	case Missing:
		if !q.Required || optionalID {
			return Finding{}, false
		}
		if q.Cond() != nil {
			// A follow-up is required only when it applies.
			if ok, decided := act.applies(q); !ok || !decided {
				return Finding{}, false
			}
		}
		f.Rule = RuleMissing
		f.Message = s.tr.T("%s: no answer; ask %q before booking", q.Name(), q.Ask)
	case Unsure:
		f.Rule = RuleUnsure
		// "not sure" whatever the file's word for it, as the interview
		// says; the word given stays in the finding's value.
		f.Message = s.tr.T("%s: not sure; a clinician must find out before booking", q.Name())
	case Invalid:
		f.Rule = RuleInvalid
		f.Message = s.tr.T("%s: %q is not %s", q.Name(), v.Given, s.tr.Expected(q))
	case OutOfRange:
		f.Rule = RuleOutOfRange
		f.Message = s.tr.T("%s: %s is outside %d to %d", q.Name(), strings.TrimSpace(v.Given), q.MinValue(), q.MaxValue())
	case Duplicated:
		f.Rule = RuleDuplicated
		times := s.tr.T("twice")
		if n, _ := v.Value.(int); n > 2 {
			times = s.tr.T("%d times", n)
		}
		f.Message = s.tr.T("%s: answered %s (%s); a clinician must find out which is right before booking", q.Name(), times, v.Given)
	case Contradictory:
		c, _ := v.Value.(Coding)
		f.Rule = RuleDisplayContradicted
		f.Message = s.tr.T("%s: the answer's code is %q but the text shown for it is %q; a clinician must ask the patient which is right before booking", q.Name(), c.Code, c.Display)
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
			Message: i18n.For(rs.Lang).T("%s: the record could not be read: %v", source, err),
		}},
		PreTreatment: []string{}, Aftercare: []string{}, Course: []Step{}, Instructions: []string{},
		RuleSet: Ref(rs), Lang: rs.Lang,
	}
}

// DuplicatePatient is the finding for a record whose patient identifier
// an earlier record of the same batch had (where says which: "record 3 of
// intakes.csv"): two intakes for one patient cannot both be trusted, and
// one of them may belong to someone else. field is the identifier's field
// id.
func DuplicatePatient(field, id, where string) Finding {
	return Finding{
		Rule: RuleDuplicateID, Level: rules.NeedsReview, Source: failSafeSource,
		Field: field, Value: id,
		Message: fmt.Sprintf("%s %q was already used by %s; check which intake is this patient's", field, id, where),
	}
}
