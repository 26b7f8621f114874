package prompt_test

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/prompt"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

var lastTime = map[string]any{
	"patient_id": "T-1", "age": "40", "treatment_areas": []string{"face"}, "goal": "rejuvenation",
	"pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no",
	"stroke": "no", "blood_thinners": "no", "recent_cancer": "no", "diabetes": "none",
	"heart_medications": "0", "active_infection": "no", "skin_condition": "no", "allergies": "no",
	"medications": "vitamin D",
}

func withLast(kv ...any) map[string]any {
	m := map[string]any{}
	for k, v := range lastTime {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func recheckTUI(t *testing.T, prev map[string]any, keys []tea.Msg) (*screening.Answers, []string, error) {
	t.Helper()
	rs := defaultRules(t)
	d := &keyDriver{keys: keys}
	p := prompt.NewTUI(nil, nil)
	p.Run = d.run
	a := screening.Parse(rs, prev)
	changed, err := interview.Recheck(context.Background(), screening.NewScreener(rs, screening.Options{}), a, p)
	if err == nil {
		assert.Empty(t, d.keys, "every key of the script was used")
	}
	return a, changed, err
}

// TestTUIRecheckKeystrokes counts the keys of a re-screen with nothing
// changed, through the real huh forms: Enter keeps each previous answer,
// and the review is confirmed with Enter. The question about the last
// session has no previous answer at the first re-screen, so it is chosen
// as any other: Down, Down, Enter for No.
func TestTUIRecheckKeystrokes(t *testing.T) {
	tests := []struct {
		name string
		prev map[string]any
		keys []tea.Msg
	}{
		{"first re-screen", lastTime, script(
			enter, enter, // pregnant, breastfeeding: kept
			enter,               // blood thinners: kept
			enter, enter, enter, // infection, skin, allergies: kept
			enter,   // medications: kept
			pick(2), // a reaction after the last session: No
			enter,   // review: all correct
		)},
		{"on a blood thinner, which one is asked too", withLast("blood_thinners", "yes", "blood_thinner_name", "apixaban"), script(
			enter, enter, enter, enter, // pregnancy page, blood thinners and which one
			enter, enter, enter, enter, pick(2), enter,
		)},
		{"a later re-screen keeps the last session's answer too", withLast("session_reaction", "no"), script(
			enter, enter, enter, enter, enter, enter, enter, enter, enter,
		)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.LessOrEqual(t, len(tc.keys), 12, "a re-screen with nothing changed takes at most 12 keys")
			a, changed, err := recheckTUI(t, tc.prev, tc.keys)
			require.NoError(t, err)
			prev := screening.Parse(a.RuleSet(), tc.prev)
			for _, id := range []string{"pregnant", "breastfeeding", "blood_thinners", "blood_thinner_name", "active_infection", "skin_condition", "allergies", "medications"} {
				assert.Equal(t, prev.Get(id).Value, a.Get(id).Value, "%s kept", id)
			}
			assert.Equal(t, false, a.Get("session_reaction").Value)
			if tc.prev["session_reaction"] != nil {
				assert.Empty(t, changed)
			} else {
				assert.Equal(t, []string{"session_reaction"}, changed)
			}
			t.Logf("%d keys", len(tc.keys))
		})
	}
}

// TestTUIRecheckChange: arrows and Enter give a new answer.
func TestTUIRecheckChange(t *testing.T) {
	up := tea.KeyMsg{Type: tea.KeyUp}
	a, changed, err := recheckTUI(t, withLast("session_reaction", "no"), script(
		up, enter, // pregnant: from No up to Yes
		enter, enter, enter, enter, enter, enter, enter, enter,
	))
	require.NoError(t, err)
	assert.Equal(t, []string{"pregnant"}, changed)
	assert.Equal(t, rules.NotEligible, screening.Evaluate(a, screening.Options{}).Verdict)
}
