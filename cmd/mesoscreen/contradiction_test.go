package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
)

// Through check, a follow-up that contradicts its parent needs review in
// JSON, with a finding naming the follow-up; the finding is mesoscreen's
// own, so no clearance lifts it: the patient is asked and screened again.
func TestCheckFollowUpContradiction(t *testing.T) {
	healthy := `"patient_id": "C-1", "age": 34, "pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no", "diabetes": "none", "heart_medications": 0, "active_infection": "no", "skin_condition": "no", "medications": "", "treatment_areas": ["face"], "goal": "rejuvenation"`
	for _, tt := range []struct{ name, input, field string }{
		{"an allergy's details", `{` + healthy + `, "blood_thinners": "no", "allergies": "no", "allergy_details": "Anaphylaxis to lidocaine cream"}`, "allergy_details"},
		{"a blood thinner's name", `{` + healthy + `, "allergies": "no", "blood_thinners": "no", "blood_thinner_name": "warfarin"}`, "blood_thinner_name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := run(t, tt.input, "check", "--format", "json", "--input", "json", "-")
			assert.Equal(t, exitFindings, code)
			var res []screening.Result
			require.NoError(t, json.Unmarshal([]byte(out), &res))
			require.Len(t, res, 1)
			assert.Equal(t, "needs_review", string(res[0].Verdict))
			var rules []string
			for _, f := range res[0].Findings {
				rules = append(rules, f.Rule+":"+f.Field)
			}
			assert.Contains(t, rules, screening.RuleContradicted+":"+tt.field)
			assert.False(t, res[0].Verdict.AllowsTreatment())
		})
	}
}
