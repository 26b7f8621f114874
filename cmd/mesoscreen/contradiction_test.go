package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
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

// interview --from a file whose follow-up contradicts its parent asks the
// parent again, saying why, rather than dropping either answer: here the
// clinician learns of the lidocaine reaction and the result says so.
func TestInterviewFromAsksAContradictionAgain(t *testing.T) {
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(data, &rec))
	rec["allergy_details"] = "anaphylaxis to lidocaine cream"
	path := filepath.Join(t.TempDir(), "from.json")
	b, err := json.Marshal(rec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))

	r := runMain(t, "y\nanaphylaxis to lidocaine\n\n\n", nil, "interview", "--accessible", "--format", "json", "--from", path)
	assert.Equal(t, exitFindings, r.code, r.err)
	assert.Contains(t, r.err, `answered "anaphylaxis to lidocaine cream" although Past allergic reaction (No) says it does not apply`)
	assert.Contains(t, r.err, "Has the patient reacted badly to an injection", "the parent is asked again")
	var res screening.Result
	require.NoError(t, json.Unmarshal([]byte(r.out), &res))
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.Rule)
	}
	assert.Contains(t, ids, "allergy-local-anaesthetic")
}

// The short re-screen of a record whose answers contradict each other is
// refused, and names the full interview that asks the question again.
func TestRecheckRefusesAContradiction(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(data, &fields))
	fields["allergy_details"] = "anaphylaxis to lidocaine cream"
	a := screening.Parse(rs, fields)
	sc := screening.NewScreener(rs, screening.Options{})
	rec, err := screening.NewSavedRecord(a, sc.Evaluate(a), time.Now(), "test", testSigner(t, "Dr Test"))
	require.NoError(t, err)
	b, err := rec.Marshal()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "rec.json")
	require.NoError(t, os.WriteFile(path, b, 0o600))

	r := runMain(t, "", nil, "interview", "--accessible", "--recheck", path)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "although Past allergic reaction (No) says it does not apply")
	assert.Contains(t, r.err, "re-screen the patient in full: mesoscreen interview --from "+path)
}
