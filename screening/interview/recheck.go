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
// reaction to the last session) and their follow-ups where they apply.
// Every step carries the previous answers (Step.Previous), which the
// prompter offers to keep, then the review lists the rechecked answers.
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
	w := newWalker(sc, a, p, func(q *rules.Question) bool { return scope[q.ID] })
	// A follow-up answered though it did not apply is no answer to keep.
	sc.ClearInapplicable(a)
	w.prev = a.Clone()
	for {
		if err := w.forward(ctx); err != nil {
			return nil, err
		}
		id, err := p.Review(ctx, w.items())
		if err != nil {
			return nil, err
		}
		if id == "" {
			break
		}
		if err := w.change(ctx, id); err != nil {
			return nil, err
		}
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
