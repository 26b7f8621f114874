package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// clinicRules writes a copy of the default rule set with one line
// replaced, and the default's test cases beside it, and returns its path.
func clinicRules(t *testing.T, old, new string) string {
	t.Helper()
	src := string(rules.DefaultSource())
	require.Equal(t, 1, strings.Count(src, old), "the default rule set has %q once", old)
	dir := t.TempDir()
	path := filepath.Join(dir, "clinic.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(src, old, new, 1)), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clinic_test.yaml"), rules.DefaultTestsSource(), 0o600))
	return path
}

// Follow-up conditions of any form are decided by CEL, in every command
// that reads them: one written with arithmetic, and one that reads the
// medicines recognised in the list.
func TestFollowUpConditionsOfAnyForm(t *testing.T) {
	const allergyWhen = "    when: allergies\n"
	tests := []struct {
		name string
		when string
	}{
		{"arithmetic", "    when: allergies && age + 0 >= 0\n"},
		{"medication classes", "    when: allergies || \"anticoagulant\" in medication_classes\n"},
		{"medicines recognised", "    when: allergies || medications_recognised.exists(m, m.generic == \"apixaban\")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := clinicRules(t, allergyWhen, tt.when)

			r := runMain(t, "", nil, "rules", "lint", file)
			assert.Equal(t, 0, r.code, r.out+r.err)

			r = runMain(t, `{"patient_id":"X-1","allergies":"yes","allergy_details":"rash"}`+"\n", nil, "--rules", file, "check", "-f", "csv", "-")
			assert.Equal(t, 1, r.code, r.err)
			assert.Contains(t, r.out, "X-1,stdin:1,needs_review,")
			assert.Contains(t, r.out, "allergies")
			assert.NotContains(t, r.out, "rule-undecidable")

			r = runMain(t, typedAnswers("allergies", "1"), nil, "--rules", file, "interview", "--accessible")
			assert.Equal(t, 1, r.code, r.err)
			assert.Contains(t, r.err, "What did the patient react to, and how?", "the follow-up is asked")
			assert.Contains(t, r.out, "VERDICT: NEEDS REVIEW")

			r = runMain(t, "", nil, "--rules", file, "rules", "test")
			assert.Equal(t, 0, r.code, r.out+r.err)
			assert.Contains(t, r.out, "passed")
		})
	}
}

// A follow-up that reads the medication list applies when the list names
// what it asks about, even with its trigger answered no: made required
// here, so that its missing answer shows.
func TestFollowUpOnMedicationClasses(t *testing.T) {
	file := clinicRules(t, "    when: allergies\n", "    when: allergies || \"anticoagulant\" in medication_classes\n    required: true\n")
	intake := func(meds string) string {
		return `{"patient_id":"X-2","age":40,"pregnant":"no","breastfeeding":"no","clotting_disorder":"no",` +
			`"blood_clots":"no","stroke":"no","recent_cancer":"no","diabetes":"none","heart_medications":0,` +
			`"blood_thinners":"yes","active_infection":"no","skin_condition":"no","allergies":"no",` +
			`"medications":"` + meds + `","treatment_areas":["face"],"goal":"pores"}` + "\n"
	}
	r := runMain(t, intake("Eliquis 5mg"), nil, "--rules", file, "check", "-f", "csv", "-")
	assert.Equal(t, 1, r.code, r.err)
	assert.Contains(t, r.out, "answer-missing", "the follow-up applies, and was not answered")
	assert.Contains(t, r.out, "The reaction: no answer")

	r = runMain(t, intake("vitamin D"), nil, "--rules", file, "check", "-f", "csv", "-")
	assert.Equal(t, 1, r.code, r.err)
	assert.NotContains(t, r.out, "allergy_details", "no anticoagulant listed: the follow-up does not apply")
}

// A condition that fails at run time for answers that are all given is
// not decided, and a clinician reviews the record.
func TestRuntimeErrorNeedsReview(t *testing.T) {
	file := clinicRules(t, "    condition: age < params.min_age\n", "    condition: 100 / (age - 40) > 200\n")
	intake := `{"patient_id":"X-3","age":40,"pregnant":"no","breastfeeding":"no","clotting_disorder":"no",` +
		`"blood_clots":"no","stroke":"no","recent_cancer":"no","diabetes":"none","heart_medications":0,` +
		`"blood_thinners":"no","active_infection":"no","skin_condition":"no","allergies":"no",` +
		`"treatment_areas":["face"],"goal":"pores"}`
	r := runMain(t, intake+"\n", nil, "--rules", file, "check", "-f", "csv", "-")
	assert.Equal(t, 1, r.code, r.err)
	assert.Contains(t, r.out, "X-3,stdin:1,needs_review,rule-undecidable,needs_review,,rule minor could not be decided (division by zero)")
}

// A hostile or oversized rule set, mapping or lexicon stops the command
// with exit 2 and says what is wrong, before anything is screened.
func TestHostileFilesStopTheCommand(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, []byte("schema: 1\n# "+strings.Repeat("x", 2<<20)+"\n"), 0o600))
	bomb := repoFile("rules", "alias-bomb.yaml")
	mapBomb := repoFile("rules", "alias-bomb.mapping.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"rule set too large", []string{"--rules", big, "check", "-"}, "the rule set is 2.1 MiB; expected at most 1 MiB"},
		{"rule set too large, lint", []string{"rules", "lint", big}, "the rule set is 2.1 MiB; expected at most 1 MiB"},
		{"alias bomb as rule set", []string{"--rules", bomb, "check", "-"}, "the aliases in this file expand to more than 100000 nodes"},
		{"alias bomb as mapping", []string{"check", "--map", mapBomb, "-"}, "the aliases in this file expand to more than 100000 nodes"},
		{"alias bomb as lexicon", []string{"--meds", bomb, "check", "-"}, "the aliases in this file expand to more than 100000 nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(t, `{"patient_id":"X-9","age":40}`+"\n", nil, tt.args...)
			assert.Equal(t, 2, r.code, r.err)
			assert.Contains(t, r.err, tt.want)
			assert.Empty(t, r.out, "nothing is screened")
		})
	}
}
