package interview_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// keeper keeps every previous answer unless changes gives a new one, as a
// clinician does who presses the keep key through a re-screen.
type keeper struct {
	changes  map[string]any
	steps    []interview.Step
	asked    []string
	reviewed [][]interview.Item
}

func (k *keeper) Prefilled(context.Context, []interview.Item) error { return nil }

func (k *keeper) Ask(_ context.Context, step interview.Step) ([]screening.Answer, error) {
	k.steps = append(k.steps, step)
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		k.asked = append(k.asked, q.ID)
		if raw, ok := k.changes[q.ID]; ok {
			out[i] = screening.ParseAnswer(q, raw)
			continue
		}
		out[i] = step.Previous[i]
	}
	return out, nil
}

func (k *keeper) Review(_ context.Context, items []interview.Item) (string, error) {
	k.reviewed = append(k.reviewed, items)
	return "", nil
}

func recheck(t *testing.T, prev map[string]any, changes map[string]any) (*keeper, *screening.Answers, []string) {
	t.Helper()
	rs := defaultRules(t)
	a := screening.Parse(rs, prev)
	k := &keeper{changes: changes}
	changed, err := interview.Recheck(context.Background(), screening.NewScreener(rs, screening.Options{}), a, k)
	require.NoError(t, err)
	return k, a, changed
}

func TestRecheckAsksOnlyTheMarkedQuestions(t *testing.T) {
	k, a, changed := recheck(t, healthy, map[string]any{"session_reaction": "no"})
	assert.Equal(t, []string{"pregnant", "breastfeeding", "blood_thinners", "active_infection", "skin_condition", "allergies", "medications", "session_reaction"}, k.asked)
	for _, s := range k.steps {
		require.Len(t, s.Previous, len(s.Questions), "every step carries the previous answers")
		for i, q := range s.Questions {
			assert.Equal(t, screening.Parse(defaultRules(t), healthy).Get(q.ID), s.Previous[i], q.ID)
		}
	}
	assert.Equal(t, []string{"session_reaction"}, changed, "only the new question got a new answer")
	assert.Equal(t, int64(40), a.Get("age").Value, "answers not asked again are kept")
	assert.Equal(t, rules.Eligible, screening.Evaluate(a, screening.Options{}).Verdict)
	require.Len(t, k.reviewed, 1)
	assert.Len(t, k.reviewed[0], len(k.asked), "the review lists the rechecked answers")
	for _, it := range k.reviewed[0] {
		require.NotNil(t, it.Previous, it.Question.ID)
	}
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
			[]string{"blood_thinner_name"}, nil, rules.NeedsReview, []string{"blood_thinners", "blood_thinner_name", "session_reaction"}},
		{"a kept blood thinner asks which one again",
			with(healthy, "blood_thinners", "yes", "blood_thinner_name", "warfarin", "session_reaction", "no"), nil,
			[]string{"blood_thinner_name"}, nil, rules.NeedsReview, nil},
		{"a blood thinner stopped drops its follow-up",
			with(healthy, "blood_thinners", "yes", "blood_thinner_name", "warfarin", "session_reaction", "no"), map[string]any{"blood_thinners": "no"},
			nil, []string{"blood_thinner_name"}, rules.Eligible, []string{"blood_thinners", "blood_thinner_name"}},
		{"a reaction after the last session asks what happened",
			healthy, map[string]any{"session_reaction": "yes", "session_reaction_details": "lumps for a week"},
			[]string{"session_reaction_details"}, nil, rules.NeedsReview, []string{"session_reaction", "session_reaction_details"}},
		{"pregnant since the last session",
			with(healthy, "session_reaction", "no"), map[string]any{"pregnant": "yes"},
			nil, nil, rules.NotEligible, []string{"pregnant"}},
		{"not sure is never kept as no",
			with(healthy, "session_reaction", "no"), map[string]any{"active_infection": interview.Unsure},
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
