package rules_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// base is the lint fixture with a needs_review and a defer rule added:
// its rules end at line 41.
func clearanceBase(t *testing.T) string {
	return fixture(t, "base.yaml") +
		"  - id: review\n    condition: age > 60\n    level: needs_review\n    message: m\n    source: [a]\n" +
		"  - id: wait\n    condition: diabetes == \"insulin\"\n    level: defer\n    message: m\n    source: [a]\n"
}

func TestClearanceFormat(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		want  string // an error, at its position; "" for none
	}{
		{"reasons for any finding, or for some",
			"clearance_reasons:\n  - id: ok\n    text: Checked.\n  - id: some\n    text: Checked too.\n    rules: [review]\n", ""},
		{"a reason without words",
			"clearance_reasons:\n  - id: ok\n", "f.yaml:43:5: clearance reason \"ok\" has no text"},
		{"a reason for a rule that does not exist",
			"clearance_reasons:\n  - id: ok\n    text: t\n    rules: [reviw]\n", `f.yaml:45:13: clearance reason "ok" names rule "reviw", which the rule set does not have (did you mean "review"?)`},
		{"a reason for a defer",
			"clearance_reasons:\n  - id: ok\n    text: t\n    rules: [wait]\n", "rule wait is defer, which only a new screening lifts"},
		{"a reason for not_eligible",
			"clearance_reasons:\n  - id: ok\n    text: t\n    rules: [pregnant]\n", "rule pregnant is not_eligible, which is never cleared"},
		{"a duplicate reason",
			"clearance_reasons:\n  - id: ok\n    text: t\n  - id: ok\n    text: u\n", `f.yaml:45:9: duplicate clearance reason "ok" (first declared at line 43)`},
		{"valid_for_days must be a number of days",
			"parameters:\n  valid_for_days:\n    value: 0\n    description: d\n", "f.yaml:44:12: parameter valid_for_days is 0; expected a whole number of days, 1 or more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Parse("f.yaml", []byte(clearanceBase(t)+tc.extra))
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestClearableKey(t *testing.T) {
	src := strings.Replace(fixture(t, "base.yaml"), "    level: not_eligible\n", "    level: not_eligible\n    clearable: true\n", 1)
	_, err := rules.Parse("f.yaml", []byte(src))
	assert.ErrorContains(t, err, "clearable: true cannot apply: rule pregnant is not_eligible, which is never cleared")

	src = clearanceBase(t) + "  - id: closed\n    condition: age > 80\n    level: needs_review\n    message: m\n    source: [a]\n    clearable: false\n"
	rs, err := rules.Parse("f.yaml", []byte(src))
	require.NoError(t, err)
	r, _ := rs.Rule("closed")
	ok, why := r.CanClear()
	assert.False(t, ok)
	assert.Contains(t, why, "clearable: false")
	r, _ = rs.Rule("review")
	ok, _ = r.CanClear()
	assert.True(t, ok, "a needs_review finding may be cleared by default")
	assert.Equal(t, rules.DefaultValidForDays, rs.ValidForDays())
}

func TestRecheckKey(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"a value it does not know", "    required: true\n", "    required: true\n    recheck: often\n", "has recheck: often; expected true, false or only"},
		{"asked only later, yet required", "    required: true\n", "    required: true\n    recheck: only\n", "cannot be required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Parse("f.yaml", []byte(strings.Replace(fixture(t, "base.yaml"), tc.from, tc.to, 1)))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	rs, err := rules.Default()
	require.NoError(t, err)
	var ids []string
	for _, q := range rs.RecheckQuestions() {
		ids = append(ids, q.ID)
	}
	assert.Equal(t, []string{"pregnant", "breastfeeding", "blood_thinners", "blood_thinner_name", "active_infection", "skin_condition", "allergies", "allergy_details", "medications", "session_reaction", "session_reaction_details", "health_changed", "health_changed_details"}, ids,
		"the marked questions and their follow-ups")
}

func TestHandoutFormat(t *testing.T) {
	def := string(rules.DefaultSource())
	tests := []struct {
		name, from, to, want string
	}{
		{"a label missing", "    when_to_call: When to call the clinic\n", "", "the handout labels lack when_to_call"},
		{"a label misspelt", "    when_to_call: When to call the clinic\n", "    when_to_cal: When to call the clinic\n", `unknown handout label "when_to_cal" (did you mean "when_to_call"?)`},
		{"words for a rule that does not exist", "    breastfeeding: Mesotherapy is not given while", "    breastfeding: Mesotherapy is not given while", `handout reason for rule "breastfeding", which the rule set does not have (did you mean "breastfeeding"?)`},
		{"a placeholder it cannot fill", "Our patient, chart number {patient_id}", "Our patient, {patient_name}", "names {patient_name}"},
		{"a letter for a finding no one clears", "      heart-medication-single:\n", "      pregnant:\n", `letter for rule "pregnant", whose finding a prescriber cannot clear`},
		{"a verdict without words", "    defer: Your treatment has to wait for now.", "    deferred: Your treatment has to wait for now.", "verdicts: defer (the verdict in the patient's words)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(def, tc.from), tc.from)
			_, err := rules.Parse("clinic.yaml", []byte(strings.Replace(def, tc.from, tc.to, 1)))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	rs, err := rules.Default()
	require.NoError(t, err)
	assert.Contains(t, rs.Handout.Reasons["minor"], "under 18", "parameters are written into the handout's words")
}
