// Package interview walks a clinician through a rule set's questions page
// by page, follow-ups only when they apply, then a review of every answer.
// It asks through a Prompter, so the walk is the same in every interface.
package interview

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// ErrCancelled means the clinician cancelled the interview (Ctrl-C, Esc).
var ErrCancelled = errors.New("screening cancelled, nothing saved")

// ErrIncomplete means the input ended before the interview was done. A
// partial form never yields a verdict.
var ErrIncomplete = errors.New("interview incomplete: the input ended before every question was answered; nothing saved")

// ErrBack is what a prompter returns to go back to the step before
// (Shift+Tab on the first question of a page): from a follow-up, the
// question that opened it.
var ErrBack = errors.New("back to the step before")

// ErrReview is what a prompter returns to go back to the review from a
// step asked after it (Esc on a follow-up of a changed answer): the
// change is undone if nothing was answered after it (see walker.run).
var ErrReview = errors.New("back to the review")

// Step is what the prompter asks at once: the questions of one page that do
// not depend on each other. A follow-up whose condition reads an answer of
// the same page comes in a later step of that page.
type Step struct {
	Section rules.Section
	// Part counts the steps of a page from 0; a later part holds follow-ups.
	Part int
	// Page and Pages number the page, from 1, for "page 2 of 6".
	Page, Pages int
	// Change is set when the clinician chose, at the review, to change
	// this answer.
	Change bool
	// Revisit is set when the clinician went back to this step: its
	// answers are shown as given.
	Revisit bool
	// AfterReview is set on the steps asked once the review was shown:
	// the follow-ups of an answer changed there. Going back to the review
	// from one (ErrReview) undoes that change, unless something was
	// answered since.
	AfterReview bool
	// Opened is set, in a re-screen, on the questions asked again because
	// the catch-all (rules.Question.Opens) said something changed.
	Opened bool
	// Focus is the question to start at on a revisit: the one that opened
	// the follow-up the clinician came back from. "" starts at the first.
	Focus     string
	Questions []*rules.Question
	// Current holds the answers so far, one per question.
	Current []screening.Answer
	// Previous holds, in a re-screen (Recheck), the answers of the last
	// screening, one per question; the prompter shows each and lets one
	// key keep it, but chooses none: Enter alone answers nothing. A
	// question about the time since the last session (recheck: only) has
	// none: last time's answer was about another interval. It is nil in a
	// first screening.
	Previous []screening.Answer
	// Tr says the interview's words in the rule set's language.
	Tr *i18n.Printer
}

// Item is one answer as listed at the review.
type Item struct {
	Question *rules.Question
	Section  rules.Section
	Answer   screening.Answer
	// Previous is, in a re-screen, the answer of the last screening; nil
	// in a first screening and for a question about the time since the
	// last session.
	Previous *screening.Answer
	// Tr says the interview's words in the rule set's language.
	Tr *i18n.Printer
}

// Text is the answer in words.
func (it Item) Text() string { return AnswerTextIn(it.Tr, it.Question, it.Answer) }

// Prompter asks the questions. Implementations return ErrCancelled or
// ErrIncomplete when the clinician cancels or the input ends; from Ask,
// ErrBack to go back a step, and, on a step asked after the review
// (Step.AfterReview), ErrReview to go back to the review.
type Prompter interface {
	// Prefilled shows the answers that came with the intake.
	Prefilled(ctx context.Context, items []Item) error
	// Ask asks the questions of one step and returns one answer per
	// question, in order.
	Ask(ctx context.Context, step Step) ([]screening.Answer, error)
	// Review lists every answer and returns the id of the question to
	// change, or "" to go on to the verdict.
	Review(ctx context.Context, items []Item) (string, error)
}

// Page is one section of the rule set and its questions, in order.
type Page struct {
	Section   rules.Section
	Questions []*rules.Question
}

// Pages groups the questions of rs by section, in the order the rule set
// declares its sections; questions of an undeclared section follow, in the
// order they first appear.
func Pages(rs *rules.RuleSet) []Page {
	var pages []Page
	index := map[string]int{}
	for _, s := range rs.Sections {
		index[s.ID] = len(pages)
		pages = append(pages, Page{Section: s})
	}
	for _, q := range rs.Questions {
		i, ok := index[q.Section]
		if !ok {
			title := q.Section
			if title == "" {
				title = i18n.For(rs.Lang).T("Other questions")
			}
			i = len(pages)
			index[q.Section] = i
			pages = append(pages, Page{Section: rules.Section{ID: q.Section, Title: title}})
		}
		pages[i].Questions = append(pages[i].Questions, q)
	}
	return slices.DeleteFunc(pages, func(p Page) bool { return len(p.Questions) == 0 })
}

// Walk runs the interview over a, which may hold pre-filled answers, with
// the screener's follow-up conditions: it asks
// every question that applies and has no valid answer yet, page by page,
// then reviews until the clinician confirms. a holds the final answers.
func Walk(ctx context.Context, sc *screening.Screener, a *screening.Answers, p Prompter) (err error) {
	defer func() { err = inLanguage(err, sc.Printer()) }()
	// A question about the last session has no answer in a first
	// screening. Answers that start with one (an intake or a record from
	// an earlier session) are shown and screened as any other, so the
	// walk asks and reviews every question about the last session then.
	since := false
	for _, q := range a.RuleSet().Questions {
		if q.RecheckOnly() && a.Get(q.ID).State != screening.Missing {
			since = true
		}
	}
	w := newWalker(sc, a, p, func(q *rules.Question) bool { return since || !q.RecheckOnly() })
	w.add(Pages(a.RuleSet()), false, w.scope)
	var pre []Item
	for _, it := range w.items() {
		if it.Answer.State != screening.Missing {
			pre = append(pre, it)
		}
	}
	if len(pre) > 0 {
		if err := p.Prefilled(ctx, pre); err != nil {
			return err
		}
	}
	return w.run(ctx)
}

// run asks every question in scope, then reviews until the clinician
// confirms. A change at the review asks the follow-ups it opens; Esc on
// one of those (ErrReview) goes back to the review rather than
// cancelling the screening. Back at the review, the change is undone
// only when nothing has been answered since it: an answer the patient
// gave on a page it opened (a stroke, said after "my health changed") is
// never taken back by leaving a later page, and what is still unasked
// shows there as unanswered.
func (w *walker) run(ctx context.Context) error {
	if err := w.forward(ctx); err != nil {
		return err
	}
	w.reviewed = true
	for {
		id, err := w.p.Review(ctx, w.items())
		if err != nil {
			return err
		}
		if id == "" {
			return nil
		}
		before, asked := w.a.Clone(), maps.Clone(w.asked)
		err = w.change(ctx, id)
		if err == nil {
			err = w.forward(ctx)
		}
		switch {
		case errors.Is(err, ErrReview):
			if w.answeredSince(before, id) {
				continue
			}
			for _, q := range w.a.RuleSet().Questions {
				if err := w.a.Set(q.ID, before.Get(q.ID)); err != nil {
					return err
				}
			}
			w.asked = asked
		case err != nil:
			return err
		}
	}
}

// answeredSince reports whether any answer but changed's differs from
// before: something was said after the change at the review.
func (w *walker) answeredSince(before *screening.Answers, changed string) bool {
	for _, q := range w.a.RuleSet().Questions {
		now, then := w.a.Get(q.ID), before.Get(q.ID)
		if q.ID != changed && (now.State != then.State || now.Text() != then.Text()) {
			return true
		}
	}
	return false
}

type walker struct {
	sc    *screening.Screener
	a     *screening.Answers
	p     Prompter
	asked map[string]bool
	pages []walkPage
	// scope says which questions the walk asks and reviews; in a
	// re-screen it grows once the catch-all opens the full questions.
	scope func(*rules.Question) bool
	// prev is set in a re-screen: the answers of the last screening,
	// each asked again even though it has an answer.
	prev *screening.Answers
	// reviewed is set once the review has been shown.
	reviewed bool
	tr       *i18n.Printer
}

// walkPage is a page as the walk asks it: opened is set on the pages of
// questions a re-screen asks only once the catch-all opens them.
type walkPage struct {
	Page
	opened bool
}

// newWalker asks the questions in scope, on the pages add gives it.
func newWalker(sc *screening.Screener, a *screening.Answers, p Prompter, scope func(*rules.Question) bool) *walker {
	return &walker{sc: sc, a: a, p: p, asked: map[string]bool{}, scope: scope, tr: sc.Printer()}
}

// add appends the pages, with the questions keep holds: those that may
// ever be in scope. Whether one is asked is decided when it is reached.
func (w *walker) add(pages []Page, opened bool, keep func(*rules.Question) bool) {
	for _, pg := range pages {
		pg.Questions = slices.DeleteFunc(slices.Clone(pg.Questions), func(q *rules.Question) bool { return !keep(q) })
		if len(pg.Questions) > 0 {
			w.pages = append(w.pages, walkPage{pg, opened})
		}
	}
}

// inScope reports whether the page has a question the walk asks now.
func (w *walker) inScope(pg walkPage) bool {
	return slices.ContainsFunc(pg.Questions, w.scope)
}

// forward asks, page by page, every question that applies, has no valid
// answer and has not been asked. A prompter's ErrBack asks the step
// before again, with its answers as given.
func (w *walker) forward(ctx context.Context) error {
	var history []Step
	var again *Step
	for {
		var step Step
		if again != nil {
			step, again = *again, nil
		} else {
			var ok bool
			if step, ok = w.next(); !ok {
				return nil
			}
		}
		err := w.ask(ctx, step)
		switch {
		case errors.Is(err, ErrBack):
			if len(history) == 0 {
				again = &step // nothing before: the same step again
				continue
			}
			prev := history[len(history)-1]
			history = history[:len(history)-1]
			prev.Revisit, prev.Focus = true, trigger(prev, step)
			again = &prev
		case err != nil:
			return err
		default:
			history = append(history, step)
		}
	}
}

// trigger is the question of prev that a follow-up of step reads, or the
// last question of prev.
func trigger(prev, step Step) string {
	for _, q := range step.Questions {
		if c := q.Cond(); c != nil {
			for _, p := range prev.Questions {
				if slices.Contains(c.Reads(), p.ID) {
					return p.ID
				}
			}
		}
	}
	return prev.Questions[len(prev.Questions)-1].ID
}

// next is the first step with a question to ask, in page order. A page
// is split into parts: a question that follows up one of a part is in a
// later part, so that a follow-up is asked once its trigger is answered.
func (w *walker) next() (Step, bool) {
	// Pages count only those asked now: a re-screen has more once the
	// catch-all opens the full questions.
	shown, total := 0, 0
	for _, page := range w.pages {
		if w.inScope(page) {
			total++
		}
	}
	for _, page := range w.pages {
		if !w.inScope(page) {
			continue
		}
		shown++
		pending := page.Questions
		for part := 0; len(pending) > 0; part++ {
			var batch, later []*rules.Question
			inPart, deferred := map[string]bool{}, map[string]bool{}
			for _, q := range pending {
				// A question that depends on an answer of this part, or on
				// one put off to the next, is in the next; the questions
				// after it that do not are still in this one.
				if c := q.Cond(); c != nil && slices.ContainsFunc(c.Reads(), func(id string) bool { return inPart[id] || deferred[id] }) {
					deferred[q.ID] = true
					later = append(later, q)
					continue
				}
				inPart[q.ID] = true
				if !w.scope(q) || w.asked[q.ID] || (w.prev == nil && w.a.Get(q.ID).State == screening.Given) {
					continue
				}
				// A follow-up whose trigger is unsure or unanswered is not
				// asked: the trigger already has its needs_review finding.
				if ok, decided := w.sc.Applies(w.a, q); !ok || !decided {
					continue
				}
				batch = append(batch, q)
			}
			pending = later
			if len(batch) > 0 {
				return Step{Section: page.Section, Part: part, Page: shown, Pages: total, Questions: batch, Opened: page.opened}, true
			}
		}
	}
	return Step{}, false
}

func (w *walker) ask(ctx context.Context, step Step) error {
	step.Tr = w.tr
	step.AfterReview = w.reviewed
	step.Current = make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		step.Current[i] = w.a.Get(q.ID)
	}
	if w.prev != nil {
		step.Previous = make([]screening.Answer, len(step.Questions))
		for i, q := range step.Questions {
			if !q.RecheckOnly() {
				step.Previous[i] = w.prev.Get(q.ID)
			}
		}
	}
	got, err := w.p.Ask(ctx, step)
	if err != nil {
		return err
	}
	if len(got) != len(step.Questions) {
		return errors.New("the prompter returned " + strconv.Itoa(len(got)) + " answers for " + strconv.Itoa(len(step.Questions)) + " questions")
	}
	for i, q := range step.Questions {
		if err := w.a.Set(q.ID, got[i]); err != nil {
			return err
		}
		w.asked[q.ID] = true
	}
	// A changed trigger drops the follow-ups that no longer apply; they are
	// asked again if they come to apply once more.
	for _, id := range w.sc.ClearInapplicable(w.a) {
		delete(w.asked, id)
	}
	return nil
}

func (w *walker) change(ctx context.Context, id string) error {
	rs := w.a.RuleSet()
	q, ok := rs.Question(id)
	if !ok {
		return errors.New("no question " + strconv.Quote(id) + " to change")
	}
	sec, _ := rs.Section(q.Section)
	if sec.ID == "" {
		sec = rules.Section{ID: q.Section, Title: q.Section}
	}
	return w.ask(ctx, Step{Section: sec, Change: true, Questions: []*rules.Question{q}})
}

// items lists every question that applies, with its answer, for the review.
func (w *walker) items() []Item {
	var out []Item
	for _, page := range w.pages {
		for _, q := range page.Questions {
			if !w.scope(q) {
				continue
			}
			if ok, decided := w.sc.Applies(w.a, q); !ok || !decided {
				continue
			}
			it := Item{Question: q, Section: page.Section, Answer: w.a.Get(q.ID), Tr: w.tr}
			if w.prev != nil && !q.RecheckOnly() {
				p := w.prev.Get(q.ID)
				it.Previous = &p
			}
			out = append(out, it)
		}
	}
	return out
}

// AnswerTextIn says an answer in words, with option labels, in the
// printer's language; q is the question in that language.
func AnswerTextIn(tr *i18n.Printer, q *rules.Question, a screening.Answer) string {
	return a.TextIn(tr, q, screening.Alone)
}

// Unsure is the raw answer the prompters give for "Not sure".
const Unsure = "not sure"

// Choice is one option a select question offers.
type Choice struct {
	Label string
	Value string // the raw answer, as screening.ParseAnswer reads it
}

// ChoicesIn lists the options of a yes/no, choice or list question, in
// the printer's language; yes/no always offers Not sure, a choice where
// the rule set allows it. The values stay the canonical ones: only the
// labels change.
func ChoicesIn(tr *i18n.Printer, q *rules.Question) []Choice {
	switch q.Type {
	case rules.YesNo:
		return []Choice{{tr.T("Yes"), "yes"}, {tr.T("No"), "no"}, {tr.T("Not sure"), Unsure}}
	case rules.Choice, rules.List:
		cs := make([]Choice, len(q.Options))
		for i, o := range q.Options {
			cs[i] = Choice{Label: q.Label(o.Value), Value: o.Value}
		}
		if q.Type == rules.Choice && q.AllowsUnsure() {
			cs = append(cs, Choice{tr.T("Not sure"), Unsure})
		}
		return cs
	}
	return nil
}

// TextRequired reports whether a text question must not be left empty in
// an interview; the patient identifier may be.
func TextRequired(q *rules.Question) bool { return q.Required && !q.IsIdentifier() }

// ParseTypedIn reads a typed answer: option numbers or values for
// choices, a number for integers, text otherwise. problem is "" when the
// answer can be used, else it says what was expected, in the printer's
// language. A choice may be typed as its label in that language, with
// the label's accents or none (rules.WrittenAs: "Nó" is not "No"), and a
// yes/no question answered in words of any of
// mesoscreen's languages ("sí", "no sé", "oui"), which
// screening.ParseAnswer reads. "?" is the prompts' key for not sure.
func ParseTypedIn(tr *i18n.Printer, q *rules.Question, line string, choices []Choice) (a screening.Answer, problem string) {
	s := strings.TrimSpace(line)
	if s == "?" && q.AllowsUnsure() {
		s = Unsure
	}
	pick := func(tok string) (string, bool) {
		if n, err := strconv.Atoi(tok); err == nil {
			if n >= 1 && n <= len(choices) {
				return choices[n-1].Value, true
			}
			return "", false
		}
		for _, c := range choices {
			if strings.EqualFold(tok, c.Value) || rules.WrittenAs(tok, c.Label) {
				return c.Value, true
			}
		}
		return "", false
	}
	switch q.Type {
	case rules.YesNo, rules.Choice:
		v, ok := pick(s)
		if !ok {
			if _, numeric := strconv.Atoi(s); q.Type == rules.YesNo && numeric != nil {
				if a := screening.ParseAnswer(q, s); a.State == screening.Given || a.State == screening.Unsure {
					return a, ""
				}
			}
			return a, tr.T("%q is not one of the choices; type a number from 1 to %d", s, len(choices))
		}
		return screening.ParseAnswer(q, v), ""
	case rules.List:
		var vals []string
		for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			v, ok := pick(tok)
			if !ok {
				return a, tr.T("%q is not one of the choices; type numbers from 1 to %d", tok, len(choices))
			}
			vals = append(vals, v)
		}
		if len(vals) == 0 && q.Required {
			return a, tr.T("choose at least one")
		}
		return screening.ParseAnswer(q, vals), ""
	case rules.Integer:
		if s == "" {
			return a, tr.T("an answer is needed: %s, or \"not sure\"", tr.Expected(q))
		}
		a = screening.ParseAnswer(q, s)
		if a.State != screening.Given && a.State != screening.Unsure {
			return screening.Answer{}, tr.T("%q is not %s", s, tr.Expected(q))
		}
		return a, ""
	}
	if s == "" && TextRequired(q) {
		return a, tr.T("an answer is needed")
	}
	return screening.ParseAnswer(q, s), ""
}
