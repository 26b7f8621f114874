package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// What a FHIR response holds beside its answers is never set aside in
// silence, through check as a clinic runs it:
// each record of the corpus gets the verdict and the findings its
// comment says, and every record of a batch is screened.
func TestCheckFHIRNothingSetAside(t *testing.T) {
	none := []string{}
	tests := []struct {
		file string
		args []string
		code int
		want []verdictOf
		// stderr holds parts of stderr.
		stderr []string
	}{
		{file: "fhir-questionnaire.ndjson", code: 1, want: []verdictOf{
			{"fhir-questionnaire.ndjson:1", "FQ-1", "eligible", none},                                                                     // the rule set's own, version 1
			{"fhir-questionnaire.ndjson:2", "FQ-2", "needs_review", []string{"response-questionnaire-unknown:questionnaire"}},             // a prenatal booking form
			{"fhir-questionnaire.ndjson:3", "FQ-3", "eligible_with_precautions", []string{"response-questionnaire-absent:questionnaire"}}, // says none
			{"fhir-questionnaire.ndjson:4", "FQ-4", "needs_review", []string{"response-questionnaire-unknown:questionnaire"}},             // says two
			{"fhir-questionnaire.ndjson:5", "FQ-5", "needs_review", []string{"response-questionnaire-unknown:questionnaire"}},             // the clinic's own, not declared
		}},
		{file: "fhir-codings.ndjson", code: 1, want: []verdictOf{
			{"fhir-codings.ndjson:1", "FC-1", "needs_review", []string{"answer-invalid:pregnant"}},                 // a clinic's code 0, "Yes, pregnant"
			{"fhir-codings.ndjson:2", "FC-2", "needs_review", []string{"response-display-contradicted:pregnant"}},  // N, "Yes"
			{"fhir-codings.ndjson:3", "FC-3", "not_eligible", []string{"pregnant"}},                                // HL7 Y
			{"fhir-codings.ndjson:4", "FC-4", "needs_review", []string{"response-display-contradicted:allergies"}}, // no, "Yes"
			{"fhir-codings.ndjson:5", "FC-5", "needs_review", []string{"answer-unsure:pregnant"}},                  // asked-unknown
			{"fhir-codings.ndjson:6", "FC-6", "eligible", none},                                                    // none, "No"; HL7 N, "No"
		}},
		{file: "fhir-patient-id.ndjson", code: 1, want: []verdictOf{
			{"fhir-patient-id.ndjson:1", "", "needs_review", []string{"answer-missing:patient_id"}}, // the response's identifier, a LOINC code
			{"fhir-patient-id.ndjson:2", "FP-2", "eligible", none},                                  // a contained Patient's MRN
			{"fhir-patient-id.ndjson:3", "FP-3", "needs_review", []string{"response-subject-conflict:patient_id"}},
			{"fhir-patient-id.ndjson:4", "FP-4", "eligible", none}, // the subject's identifier agrees
		}},
		{file: "fhir-near-miss.ndjson", code: 1, want: []verdictOf{
			{"fhir-near-miss.ndjson:1", "FN-1", "eligible", none},
			{"fhir-near-miss.ndjson:2", "FN-2", "needs_review", []string{"response-linkid-near-miss:medication"}},
			{"fhir-near-miss.ndjson:3", "FN-3", "needs_review", []string{"answer-unasked:consent"}},
		}},
		{file: "fhir-near-miss-bundle.json", code: 1, want: []verdictOf{
			{"fhir-near-miss-bundle.json:5", "FB-1", "eligible", none},
			{"fhir-near-miss-bundle.json:164", "FB-2", "needs_review", []string{"response-linkid-near-miss:medication"}},
			{"fhir-near-miss-bundle.json:336", "FB-3", "needs_review", []string{"answer-unasked:consent"}},
		}},
		{file: "fhir-near-miss-bundle.json", args: []string{"--allow-unknown"}, code: 1, want: []verdictOf{
			{"fhir-near-miss-bundle.json:5", "FB-1", "eligible", none},
			// Let through, its answer is still one that no question reads.
			{"fhir-near-miss-bundle.json:164", "FB-2", "needs_review", []string{"answer-unasked:medication"}},
			{"fhir-near-miss-bundle.json:336", "FB-3", "needs_review", []string{"answer-unasked:consent"}},
		}, stderr: []string{`warning: let through, as --allow-unknown asks (an answer under it is a finding on its record): linkId "medication"`}},
		{file: "fhir-decimal-age.ndjson", code: 1, want: []verdictOf{
			{"fhir-decimal-age.ndjson:1", "FD-1", "needs_review", []string{"answer-invalid:age"}}, // 17.99999999999999999 is not 18
			{"fhir-decimal-age.ndjson:2", "FD-2", "eligible", none},                               // 40.0
			{"fhir-decimal-age.ndjson:3", "FD-3", "needs_review", []string{"answer-invalid:age"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.args, ""), func(t *testing.T) {
			args := append([]string{"check", "-f", "jsonl"}, tt.args...)
			code, out, errOut := run(t, "", append(args, repoFile("hostile", tt.file))...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Equal(t, tt.want, results(t, out))
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
			}
		})
	}
}

// The messages of those findings, as a clinician reads them.
func TestCheckFHIRNothingSetAsideText(t *testing.T) {
	var args []string
	for _, f := range []string{"fhir-questionnaire.ndjson", "fhir-codings.ndjson", "fhir-patient-id.ndjson", "fhir-near-miss.ndjson", "fhir-decimal-age.ndjson"} {
		args = append(args, repoFile("hostile", f))
	}
	code, out, errs := run(t, "", append([]string{"check", "-f", "text"}, args...)...)
	assert.Equal(t, exitFindings, code, errs)
	batchGolden(t, "fhir-set-aside-text", out)
}

// A coding whose display says yes to a past reaction, under a code that
// says no, withholds the numbing cream as an unanswered question does.
func TestCheckFHIRContradictedDisplayWithholdsNumbingCream(t *testing.T) {
	code, out, errs := run(t, "", "check", "-f", "jsonl", repoFile("hostile", "fhir-codings.ndjson"))
	require.Equal(t, exitFindings, code, errs)
	seen := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			PatientID    string   `json:"patient_id"`
			Instructions []string `json:"instruction_ids"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &r))
		switch r.PatientID {
		case "FC-4":
			seen++
			assert.NotContains(t, r.Instructions, "numbing-cream")
			assert.Contains(t, r.Instructions, "numbing-cream-withheld")
		case "FC-6":
			seen++
			assert.Contains(t, r.Instructions, "numbing-cream", "a coding whose display agrees is read")
		}
	}
	assert.Equal(t, 2, seen)
}

// The Questionnaires a clinic lists under fhir.questionnaires are
// accepted beside the rule set's own: any version, or the one pinned as
// url|version.
func TestCheckFHIRListedQuestionnaire(t *testing.T) {
	in := repoFile("hostile", "fhir-questionnaire.ndjson")
	for _, tt := range []struct {
		name, listed string
		want         string // FQ-5's verdict (it answers intake|2)
	}{
		{"any version", "https://clinic.example/fhir/Questionnaire/intake", "eligible"},
		{"that version", "https://clinic.example/fhir/Questionnaire/intake|2", "eligible"},
		{"another version", "https://clinic.example/fhir/Questionnaire/intake|1", "needs_review"},
		{"another form", "https://clinic.example/fhir/Questionnaire/consent", "needs_review"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "rules.yaml")
			src := string(rules.DefaultSource()) + "\nfhir:\n  questionnaires:\n    - " + tt.listed + "\n"
			require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
			code, out, errs := run(t, "", "--rules", p, "check", "-f", "jsonl", in)
			require.Equal(t, exitFindings, code, errs)
			got := results(t, out)
			require.Len(t, got, 5)
			i := slices.IndexFunc(got, func(v verdictOf) bool { return v.Patient == "FQ-5" })
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, tt.want, got[i].Verdict)
			assert.Equal(t, "eligible", got[0].Verdict, "the rule set's own is accepted still")
			assert.Equal(t, "needs_review", got[1].Verdict, "a form the rule set does not list is not")
		})
	}
}

// A linkId the rule set declares under fhir.ignore is set aside without a
// finding; the others still have one.
func TestCheckFHIRIgnoredLinkID(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rules.yaml")
	src := string(rules.DefaultSource()) + "\nfhir:\n  ignore: [consent, other-form]\n"
	require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
	code, out, errs := run(t, "", "--rules", p, "check", "-f", "jsonl", repoFile("hostile", "fhir-near-miss.ndjson"))
	require.Equal(t, exitFindings, code, errs)
	assert.Equal(t, []verdictOf{
		{"fhir-near-miss.ndjson:1", "FN-1", "eligible", []string{}},
		{"fhir-near-miss.ndjson:2", "FN-2", "needs_review", []string{"response-linkid-near-miss:medication"}},
		{"fhir-near-miss.ndjson:3", "FN-3", "eligible", []string{}},
	}, results(t, out))
}
