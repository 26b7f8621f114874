package interview

import (
	"context"
	"reflect"
	"slices"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Recheck is the short re-screen before a session of a course, after the
// abbreviated questionnaires for repeat blood donors: it asks again only
// the questions the rule set marks recheck (what can change between
// sessions: pregnancy, an infection, the skin at the site, medicines, a
// reaction to the last session, and whether anything else changed in the
// patient's health) and their follow-ups where they apply. The catch-all
// (rules.Question.Opens) answered yes or not sure asks, after it, the
// questions it names, which the re-screen otherwise skips.
//
// Every step carries the previous answers (Step.Previous), which the
// prompter shows and offers to keep with one key, choosing none: a
// re-screen is never a row of Enters. The answers about the time since
// the last session start empty and have no previous answer. The review
// then lists the rechecked answers.
//
// a starts as the answers of the last screening and ends with the new
// ones; Recheck returns the ids of the answers that changed, in question
// order.
func Recheck(ctx context.Context, sc *screening.Screener, a *screening.Answers, p Prompter) (changed []string, err error) {
	defer func() { err = inLanguage(err, sc.Printer()) }()
	rs := a.RuleSet()
	scope := map[string]bool{}
	for _, q := range rs.RecheckQuestions() {
		scope[q.ID] = true
	}
	var catchAlls []*rules.Question
	opened := map[string]bool{}
	for _, q := range rs.RecheckQuestions() {
		for _, o := range rs.Opened(q) {
			opened[o.ID] = true
		}
		if q.IsCatchAll() {
			catchAlls = append(catchAlls, q)
		}
	}
	// A follow-up answered though it did not apply is no answer to keep.
	sc.ClearInapplicable(a)
	prev := a.Clone()
	// What was said about the last interval says nothing of this one.
	for _, q := range rs.Questions {
		if q.RecheckOnly() {
			if err := a.Set(q.ID, screening.Answer{}); err != nil {
				return nil, err
			}
		}
	}
	sc.ClearInapplicable(a)
	var w *walker
	// Opened once, a question stays asked and reviewed even if the
	// catch-all is changed back to no: what the patient said to it is
	// screened, so it is shown.
	open := func() bool {
		return slices.ContainsFunc(catchAlls, func(q *rules.Question) bool {
			v := a.Get(q.ID)
			return v.State == screening.Unsure || v.State == screening.Given && v.Value == true
		})
	}
	w = newWalker(sc, a, p, func(q *rules.Question) bool {
		return scope[q.ID] || opened[q.ID] && (w.asked[q.ID] || open())
	})
	w.add(Pages(rs), false, func(q *rules.Question) bool { return scope[q.ID] })
	// The opened questions come after the catch-all that opens them, on
	// pages of their own, rather than on the pages before it.
	w.add(Pages(rs), true, func(q *rules.Question) bool { return opened[q.ID] })
	w.prev = prev
	if err := w.run(ctx); err != nil {
		return nil, err
	}
	return Changed(w.prev, a), nil
}

// Changed lists the ids of the questions whose answer differs between two
// sets of answers for one rule set, in question order.
func Changed(before, after *screening.Answers) []string {
	b, a := before.Canonical(), after.Canonical()
	var ids []string
	for _, q := range after.RuleSet().Questions {
		if !reflect.DeepEqual(b[q.ID], a[q.ID]) {
			ids = append(ids, q.ID)
		}
	}
	return slices.Clip(ids)
}
