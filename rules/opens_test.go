package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// catchAll is a question about the time since the last session, added to
// the base fixture with the keys given.
func catchAll(t *testing.T, keys string) string {
	t.Helper()
	src := fixture(t, "base.yaml")
	q := "  - id: changed\n    section: main\n    ask: Anything changed?\n" + keys
	return strings.Replace(src, "rules:\n", q+"rules:\n", 1)
}

func TestOpensKey(t *testing.T) {
	tests := []struct {
		name, keys, want string
	}{
		{"a question of every screening", "    type: yesno\n    opens: [age]\n", "so it must be recheck: only"},
		{"not a yes or no", "    type: text\n    recheck: only\n    opens: [age]\n", "must be of type yesno, not text"},
		{"a question the rule set does not ask", "    type: yesno\n    recheck: only\n    opens: [ag]\n", `opens "ag", which the rule set does not ask (did you mean "age"?)`},
		{"named twice", "    type: yesno\n    recheck: only\n    opens: [age, age]\n", `opens "age" twice`},
		{"asked in every re-screen already", "    type: yesno\n    recheck: only\n    opens: [pregnant]\n", `opens "pregnant", which every re-screen asks already`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := catchAll(t, tc.keys)
			if tc.name == "asked in every re-screen already" {
				src = strings.Replace(src, "    required: true\n    ask: Pregnant?\n", "    required: true\n    recheck: true\n    ask: Pregnant?\n", 1)
			}
			_, err := rules.Parse("f.yaml", []byte(src))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	rs, err := rules.Parse("f.yaml", []byte(catchAll(t, "    type: yesno\n    recheck: only\n    opens: [diabetes, age]\n")))
	require.NoError(t, err)
	q, _ := rs.Question("changed")
	assert.True(t, q.IsCatchAll())
	assert.Equal(t, []string{"age", "diabetes"}, ids(rs.Opened(q)), "in rule-set order")
	p, _ := rs.Question("pregnant")
	assert.False(t, p.IsCatchAll())
	assert.Nil(t, rs.Opened(p))
}

// TestDefaultCatchAll: the default rule set's catch-all opens the
// questions about health that the short re-screen skips, and nothing it
// asks already.
func TestDefaultCatchAll(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	var all []*rules.Question
	for _, q := range rs.Questions {
		if q.IsCatchAll() {
			all = append(all, q)
		}
	}
	require.Len(t, all, 1)
	assert.Equal(t, "health_changed", all[0].ID)
	assert.Equal(t, []string{"clotting_disorder", "blood_clots", "stroke", "recent_cancer", "diabetes", "heart_medications"}, ids(rs.Opened(all[0])))
	// Every required question about health is either asked in each
	// re-screen or opened by the catch-all: the patient page (id, age,
	// areas, goal) is all that is left.
	rechecked := map[string]bool{}
	for _, q := range append(rs.RecheckQuestions(), rs.Opened(all[0])...) {
		rechecked[q.ID] = true
	}
	var skipped []string
	for _, q := range rs.Questions {
		if q.Required && !rechecked[q.ID] {
			skipped = append(skipped, q.ID)
		}
	}
	assert.Equal(t, []string{"patient_id", "age", "treatment_areas", "goal"}, skipped)
}

func ids(qs []*rules.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}
