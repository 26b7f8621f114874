package interview_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// keeper keeps every previous answer unless changes gives a new one, as a
// clinician does who presses the keep key through a re-screen. A
// question with no previous answer to keep takes its answer from changes,
// else from since, else none at all.
type keeper struct {
	t        *testing.T
	changes  map[string]any
	steps    []interview.Step
	asked    []string
	reviewed [][]interview.Item
	// reviews is what Review returns, in turn; then "". review, if set,
	// is what is answered to a question changed there.
	reviews []string
	review  map[string]any
	// escAt returns ErrReview at this question the first time it is
	// asked after the review, as Esc does there.
	escAt string
}

// since are the answers about the time since the last session in a
// re-screen where nothing happened.
var since = map[string]any{"session_reaction": "no", "health_changed": "no"}

func (k *keeper) Prefilled(context.Context, []interview.Item) error { return nil }

func (k *keeper) Ask(_ context.Context, step interview.Step) ([]screening.Answer, error) {
	k.steps = append(k.steps, step)
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		if step.AfterReview && q.ID == k.escAt {
			k.escAt = "" // once
			return nil, interview.ErrReview
		}
		k.asked = append(k.asked, q.ID)
		if step.Change {
			out[i] = screening.ParseAnswer(q, k.review[q.ID])
			continue
		}
		if raw, ok := k.changes[q.ID]; ok {
			out[i] = screening.ParseAnswer(q, raw)
			continue
		}
		if st := step.Previous[i].State; st == screening.Given || st == screening.Unsure {
			out[i] = step.Previous[i]
			continue
		}
		if raw, ok := since[q.ID]; ok {
			out[i] = screening.ParseAnswer(q, raw)
		}
	}
	return out, nil
}

func (k *keeper) Review(_ context.Context, items []interview.Item) (string, error) {
	k.reviewed = append(k.reviewed, items)
	if len(k.reviews) == 0 {
		return "", nil
	}
	id := k.reviews[0]
	k.reviews = k.reviews[1:]
	return id, nil
}

func recheck(t *testing.T, prev map[string]any, changes map[string]any) (*keeper, *screening.Answers, []string) {
	t.Helper()
	return recheckWith(t, prev, &keeper{changes: changes})
}

func recheckWith(t *testing.T, prev map[string]any, k *keeper) (*keeper, *screening.Answers, []string) {
	t.Helper()
	rs := defaultRules(t)
	a := screening.Parse(rs, prev)
	k.t = t
	changed, err := interview.Recheck(context.Background(), screening.NewScreener(rs, screening.Options{}), a, k)
	require.NoError(t, err)
	return k, a, changed
}

// stepOf is the step that asked question id, the last one if several did.
func stepOf(t *testing.T, k *keeper, id string) (interview.Step, int) {
	t.Helper()
	for j := len(k.steps) - 1; j >= 0; j-- {
		for i, q := range k.steps[j].Questions {
			if q.ID == id {
				return k.steps[j], i
			}
		}
	}
	t.Fatalf("%s was never asked; asked: %v", id, k.asked)
	return interview.Step{}, 0
}

func TestRecheckAsksOnlyTheMarkedQuestions(t *testing.T) {
	k, a, changed := recheck(t, healthy, nil)
	assert.Equal(t, []string{"pregnant", "breastfeeding", "blood_thinners", "active_infection", "skin_condition", "allergies", "medications", "session_reaction", "health_changed"}, k.asked)
	parsed := screening.Parse(defaultRules(t), healthy)
	for _, s := range k.steps {
		require.Len(t, s.Previous, len(s.Questions), "every step carries the previous answers")
		assert.False(t, s.Opened, "nothing changed: no question is opened")
		for i, q := range s.Questions {
			assert.Equal(t, parsed.Get(q.ID), s.Previous[i], q.ID)
		}
	}
	assert.Equal(t, []string{"session_reaction", "health_changed"}, changed, "only the questions about the last session got an answer")
	assert.Equal(t, int64(40), a.Get("age").Value, "answers not asked again are kept")
	assert.Equal(t, rules.Eligible, screening.Evaluate(a, screening.Options{}).Verdict)
	require.Len(t, k.reviewed, 1)
	assert.Len(t, k.reviewed[0], len(k.asked), "the review lists the rechecked answers")
	for _, it := range k.reviewed[0] {
		if it.Question.RecheckOnly() {
			assert.Nil(t, it.Previous, "%s is about this interval: nothing to compare", it.Question.ID)
			continue
		}
		require.NotNil(t, it.Previous, it.Question.ID)
	}
	last := k.steps[len(k.steps)-1]
	assert.Equal(t, "since_last", last.Section.ID)
	assert.Equal(t, [2]int{5, 5}, [2]int{last.Page, last.Pages}, "the pages the catch-all may open are not counted")
}

// TestRecheckStartsTheLastIntervalEmpty: the answers about the time since
// the last session are about that time only. A record re-screened before
// holds last interval's; the next re-screen neither keeps nor shows them.
func TestRecheckStartsTheLastIntervalEmpty(t *testing.T) {
	prev := with(healthy, "session_reaction", "no", "health_changed", "no")
	k, _, changed := recheck(t, prev, nil)
	for _, id := range []string{"session_reaction", "health_changed"} {
		s, i := stepOf(t, k, id)
		assert.Equal(t, screening.Missing, s.Previous[i].State, "%s shows no previous answer", id)
		assert.Equal(t, screening.Missing, s.Current[i].State, "%s starts empty", id)
	}
	assert.Empty(t, changed, "the same answers again are no change")
}

// TestRecheckCatchAllOpensTheFullQuestions: a change in health since the
// last session, or not knowing, asks the questions the re-screen skips,
// after the catch-all, each with last time's answer to show and none
// chosen.
func TestRecheckCatchAllOpensTheFullQuestions(t *testing.T) {
	full := []string{"clotting_disorder", "blood_clots", "stroke", "recent_cancer", "diabetes", "heart_medications"}
	tests := []struct {
		name    string
		changes map[string]any
		opened  bool
		verdict rules.Level
	}{
		{"no change asks none of them", map[string]any{"health_changed": "no"}, false, rules.Eligible},
		{"a change asks them all; all kept as no, the change waits for a clinician", map[string]any{"health_changed": "yes", "health_changed_details": "knee operation"}, true, rules.NeedsReview},
		{"not sure asks them all", map[string]any{"health_changed": interview.Unsure}, true, rules.NeedsReview},
		{"a change that is a stroke", map[string]any{"health_changed": "yes", "stroke": "yes"}, true, rules.NotEligible},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, a, _ := recheck(t, healthy, tc.changes)
			i := slices.Index(k.asked, "health_changed")
			require.GreaterOrEqual(t, i, 0)
			for _, id := range full {
				if !tc.opened {
					assert.NotContains(t, k.asked, id)
					continue
				}
				j := slices.Index(k.asked, id)
				assert.Greater(t, j, i, "%s is asked after the catch-all", id)
				s, n := stepOf(t, k, id)
				assert.True(t, s.Opened, id)
				assert.Equal(t, screening.Parse(defaultRules(t), healthy).Get(id), s.Previous[n], "%s shows last time's answer", id)
				assert.Equal(t, 7, s.Pages, "two more pages once opened")
			}
			assert.Equal(t, tc.verdict, screening.Evaluate(a, screening.Options{}).Verdict)
			var reviewed []string
			for _, it := range k.reviewed[len(k.reviewed)-1] {
				reviewed = append(reviewed, it.Question.ID)
			}
			for _, id := range full {
				assert.Equal(t, tc.opened, slices.Contains(reviewed, id), "%s at the review", id)
			}
		})
	}
}

// TestRecheckCatchAllChangedAtTheReview: a change said only at the review
// asks the full questions too; Esc on one of them goes back to the
// review, with the catch-all as it was.
func TestRecheckCatchAllChangedAtTheReview(t *testing.T) {
	k, a, _ := recheckWith(t, healthy, &keeper{
		reviews: []string{"health_changed", "health_changed"},
		review:  map[string]any{"health_changed": "yes"},
		escAt:   "blood_clots",
	})
	require.Len(t, k.reviewed, 3)
	s, _ := stepOf(t, k, "clotting_disorder")
	assert.True(t, s.AfterReview && s.Opened, "opened after the review")
	assert.Equal(t, true, a.Get("health_changed").Value, "the second change went through")
	for _, it := range k.reviewed[1] {
		if it.Question.ID == "health_changed" {
			assert.Equal(t, false, it.Answer.Value, "Esc undid the first change")
		}
		assert.NotEqual(t, "clotting_disorder", it.Question.ID, "the question answered before Esc is not kept either")
	}
}

// TestRecheckEscKeepsWhatWasSaid: a change said at the review opens the
// full questions; the patient says she had a stroke on the first page
// they open, and Esc on the next goes back to the review. The stroke is
// not taken back with the change: it stays, the change that opened it
// stays, and what was not asked yet shows unanswered.
func TestRecheckEscKeepsWhatWasSaid(t *testing.T) {
	k, a, _ := recheckWith(t, healthy, &keeper{
		reviews: []string{"health_changed"},
		review:  map[string]any{"health_changed": "yes"},
		changes: map[string]any{"stroke": "yes"},
		escAt:   "recent_cancer",
	})
	require.Len(t, k.reviewed, 2)
	after := map[string]screening.Answer{}
	for _, it := range k.reviewed[1] {
		after[it.Question.ID] = it.Answer
	}
	assert.Equal(t, true, after["health_changed"].Value, "the change stays")
	assert.Equal(t, true, after["stroke"].Value, "the stroke is at the review")
	assert.Equal(t, true, a.Get("stroke").Value)
	assert.Equal(t, rules.NotEligible, screening.Evaluate(a, screening.Options{}).Verdict)
}

func TestRecheckFollowUps(t *testing.T) {
	tests := []struct {
		name    string
		prev    map[string]any
		changes map[string]any
		asked   []string // follow-ups that must be asked
		absent  []string // answers that must be gone
		verdict rules.Level
		changed []string
	}{
		{"a new blood thinner brings its follow-up",
			healthy, map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban", "session_reaction": "no"},
			[]string{"blood_thinner_name"}, nil, rules.NeedsReview, []string{"blood_thinners", "blood_thinner_name", "session_reaction", "health_changed"}},
		{"a kept blood thinner asks which one again",
			with(healthy, "blood_thinners", "yes", "blood_thinner_name", "warfarin", "session_reaction", "no", "health_changed", "no"), nil,
			[]string{"blood_thinner_name"}, nil, rules.NeedsReview, nil},
		{"a blood thinner stopped drops its follow-up",
			with(healthy, "blood_thinners", "yes", "blood_thinner_name", "warfarin", "session_reaction", "no", "health_changed", "no"), map[string]any{"blood_thinners": "no"},
			nil, []string{"blood_thinner_name"}, rules.Eligible, []string{"blood_thinners", "blood_thinner_name"}},
		{"a reaction after the last session asks what happened",
			healthy, map[string]any{"session_reaction": "yes", "session_reaction_details": "lumps for a week"},
			[]string{"session_reaction_details"}, nil, rules.NeedsReview, []string{"session_reaction", "session_reaction_details", "health_changed"}},
		{"last interval's reaction is not this one's",
			with(healthy, "session_reaction", "yes", "session_reaction_details", "lumps", "health_changed", "no"), nil,
			nil, []string{"session_reaction_details"}, rules.Eligible, []string{"session_reaction", "session_reaction_details"}},
		{"pregnant since the last session",
			with(healthy, "session_reaction", "no", "health_changed", "no"), map[string]any{"pregnant": "yes"},
			nil, nil, rules.NotEligible, []string{"pregnant"}},
		{"not sure is never kept as no",
			with(healthy, "session_reaction", "no", "health_changed", "no"), map[string]any{"active_infection": interview.Unsure},
			nil, nil, rules.NeedsReview, []string{"active_infection"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, a, changed := recheck(t, tc.prev, tc.changes)
			for _, id := range tc.asked {
				assert.Contains(t, k.asked, id)
			}
			for _, id := range tc.absent {
				assert.Equal(t, screening.Missing, a.Get(id).State, id)
			}
			assert.Equal(t, tc.changed, changed)
			assert.Equal(t, tc.verdict, screening.Evaluate(a, screening.Options{}).Verdict)
		})
	}
}

// TestWalkSkipsTheLastSession: a first screening never asks about a last
// session.
func TestWalkSkipsTheLastSession(t *testing.T) {
	f := &fake{answers: healthy}
	require.NoError(t, walk(t, f, screening.NewAnswers(defaultRules(t))))
	assert.NotContains(t, f.asked, "session_reaction")
	for _, s := range f.steps {
		assert.NotEqual(t, "since_last", s.Section.ID)
		assert.Nil(t, s.Previous)
		assert.Equal(t, 6, s.Pages, "the page about the last session is not counted")
	}
}

// TestWalkShowsWhatWasSaidAboutTheLastSession: a full screening that
// starts from answers about a last session (a record re-screened before)
// shows them at the review and asks the rest of that page, the catch-all
// included, rather than screening answers it never shows.
func TestWalkShowsWhatWasSaidAboutTheLastSession(t *testing.T) {
	rs := defaultRules(t)
	a := screening.Parse(rs, with(healthy, "session_reaction", "no", "health_changed", "yes", "health_changed_details", "started chemotherapy"))
	require.NoError(t, a.Set("health_changed", screening.Answer{}))
	f := &fake{answers: with(healthy, "health_changed", "no")}
	require.NoError(t, walk(t, f, a))
	assert.Contains(t, f.asked, "health_changed", "the catch-all is asked")
	var reviewed []string
	for _, it := range f.reviewed[len(f.reviewed)-1] {
		reviewed = append(reviewed, it.Question.ID)
	}
	assert.Contains(t, reviewed, "session_reaction")
	assert.Contains(t, reviewed, "health_changed")

	// A first screening has none of them.
	f = &fake{answers: healthy}
	require.NoError(t, walk(t, f, screening.NewAnswers(rs)))
	assert.NotContains(t, f.asked, "health_changed")
}
