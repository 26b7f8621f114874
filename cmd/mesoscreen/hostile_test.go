package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// verdictOf is one result as the hostile corpus asserts it: where, who,
// the verdict, and each finding as rule or rule:field.
type verdictOf struct {
	Source, Patient, Verdict string
	Findings                 []string
}

func results(t *testing.T, out string) []verdictOf {
	t.Helper()
	var got []verdictOf
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var r struct {
			PatientID string `json:"patient_id"`
			Source    string
			Verdict   string
			Findings  []struct{ Rule, Field string }
		}
		require.NoError(t, json.Unmarshal([]byte(l), &r), l)
		v := verdictOf{Source: filepath.Base(r.Source), Patient: r.PatientID, Verdict: r.Verdict, Findings: []string{}}
		for _, f := range r.Findings {
			v.Findings = append(v.Findings, strings.TrimSuffix(f.Rule+":"+f.Field, ":"))
		}
		got = append(got, v)
	}
	return got
}

// Every file of testdata/hostile, each one of the inputs that once lost a
// record or gave a wrong eligible, screened record by record. The other
// answers of each record are those of a healthy adult, so that every
// finding is the one under test.
func TestHostileCorpus(t *testing.T) {
	none := []string{}
	tests := []struct {
		file   string
		args   []string
		code   int
		want   []verdictOf
		stderr []string // parts of stderr
	}{
		{file: "fhir-two-values.ndjson", code: 1, want: []verdictOf{
			{"fhir-two-values.ndjson:1", "F2V-1", "needs_review", []string{"answer-duplicated:pregnant"}},
			{"fhir-two-values.ndjson:2", "F2V-2", "eligible", none},
		}},
		{file: "fhir-duplicate-keys.ndjson", code: 1, want: []verdictOf{
			{"fhir-duplicate-keys.ndjson:1", "FDK-1", "needs_review", []string{"answer-duplicated:pregnant"}}, // valueBoolean twice
			{"fhir-duplicate-keys.ndjson:2", "FDK-2", "needs_review", []string{"answer-duplicated:stroke"}},   // answer twice
			{"fhir-duplicate-keys.ndjson:3", "FDK-3", "needs_review", []string{"answer-duplicated:pregnant"}}, // a coding's code twice
		}},
		{file: "fhir-duplicate-keys-bundle.json", code: 1, want: []verdictOf{
			{"fhir-duplicate-keys-bundle.json:5", "FDB-1", "needs_review", []string{"answer-duplicated:pregnant"}},
			{"fhir-duplicate-keys-bundle.json:165", "", "needs_review", []string{"answer-duplicated:patient_id"}}, // subject twice
		}},
		{file: "json-duplicate-keys.jsonl", code: 1, want: []verdictOf{
			{"json-duplicate-keys.jsonl:1", "JD-1", "needs_review", []string{"answer-duplicated:pregnant"}},
			{"json-duplicate-keys.jsonl:2", "JD-2", "needs_review", []string{"answer-duplicated:medications"}}, // a name twice inside the value
			{"json-duplicate-keys.jsonl:3", "JD-3", "eligible", none},
		}},
		{file: "saved-record-duplicate.json", code: 1, want: []verdictOf{
			{"saved-record-duplicate.json:1", "SR-1", "needs_review", []string{"answer-duplicated:pregnant", "record-altered"}},
		}},
		{file: "fhir-status.ndjson", code: 1, want: []verdictOf{
			{"fhir-status.ndjson:1", "FS-1", "eligible", none},
			{"fhir-status.ndjson:2", "FS-2", "eligible", none},                                          // amended
			{"fhir-status.ndjson:3", "FS-3", "needs_review", []string{"response-not-completed:status"}}, // in-progress
			{"fhir-status.ndjson:4", "FS-4", "needs_review", []string{"response-not-completed:status"}}, // stopped
			{"fhir-status.ndjson:5", "FS-5", "not_eligible", []string{"response-entered-in-error:status"}},
			{"fhir-status.ndjson:6", "FS-6", "needs_review", []string{"response-not-completed:status"}}, // no status
		}},
		{file: "json-case-near-miss.jsonl", code: 2, stderr: []string{`json-case-near-miss.jsonl:1: key "Pregnant" looks like field "pregnant"`}},
		// Let through, "Pregnant": true is still a patient's answer that
		// no question reads: the record needs review.
		{file: "json-case-near-miss.jsonl", args: []string{"--allow-unknown"}, code: 1,
			want:   []verdictOf{{"json-case-near-miss.jsonl:1", "JN-1", "needs_review", []string{"answer-unasked:Pregnant"}}},
			stderr: []string{`warning: let through, as --allow-unknown asks (an answer under it is a finding on its record): key "Pregnant"`}},
		{file: "csv-near-miss.csv", code: 2, stderr: []string{`csv-near-miss.csv:1: column "medication" looks like field "medications"`}},
		{file: "mac-cr.csv", code: 1, want: []verdictOf{
			{"mac-cr.csv:2", "CR-1", "eligible", none},
			{"mac-cr.csv:3", "CR-2", "not_eligible", []string{"pregnant"}},
		}},
		{file: "bad-first-line.jsonl", code: 1, want: []verdictOf{
			{"bad-first-line.jsonl:1", "", "needs_review", []string{"record-unreadable"}},
			{"bad-first-line.jsonl:2", "BF-2", "eligible", none},
			{"bad-first-line.jsonl:3", "BF-3", "not_eligible", []string{"pregnant"}},
		}},
		{file: "deep-first-line.ndjson", code: 1, want: []verdictOf{
			{"deep-first-line.ndjson:1", "", "needs_review", []string{"record-unreadable"}},
			{"deep-first-line.ndjson:2", "DF-2", "eligible", none},
			{"deep-first-line.ndjson:3", "DF-3", "not_eligible", []string{"stroke"}},
		}},
		{file: "excel-unicode-text.txt", code: 1, want: []verdictOf{
			{"excel-unicode-text.txt:2", "U16-1", "eligible_with_precautions", []string{"medications-listed"}},
			{"excel-unicode-text.txt:3", "U16-2", "not_eligible", []string{"pregnant"}},
		}, stderr: []string{"excel-unicode-text.txt was read as UTF-16LE"}},
		{file: "windows-1252.csv", code: 1, want: []verdictOf{
			{"windows-1252.csv:2", "W-1", "needs_review", []string{"answer-unasked:Remarques du médecin", "medications-listed"}},
			{"windows-1252.csv:3", "W-2", "not_eligible", []string{"insulin-diabetes", "answer-unasked:Remarques du médecin", "medications-listed"}},
		}, stderr: []string{"windows-1252.csv was read as Windows-1252"}},
		{file: "windows-1252.csv", args: []string{"--quiet", "--ignore", "Remarques du médecin"}, code: 1, want: []verdictOf{
			{"windows-1252.csv:2", "W-1", "eligible_with_precautions", []string{"medications-listed"}},
			{"windows-1252.csv:3", "W-2", "not_eligible", []string{"insulin-diabetes", "medications-listed"}},
		}, stderr: []string{"windows-1252.csv was read as Windows-1252"}},
		{file: "windows-1252-sep.csv", code: 1, want: []verdictOf{
			{"windows-1252-sep.csv:3", "WS-1", "needs_review", []string{"answer-unasked:Remarques du médecin", "medications-listed"}},
			{"windows-1252-sep.csv:4", "WS-2", "not_eligible", []string{"insulin-diabetes", "answer-unasked:Remarques du médecin", "medications-listed"}},
		}},
		{file: "repeated-column.csv", code: 1, want: []verdictOf{
			{"repeated-column.csv:2", "RC-1", "needs_review", []string{"answer-duplicated:pregnant"}},
			{"repeated-column.csv:3", "RC-2", "not_eligible", []string{"stroke", "answer-duplicated:pregnant"}},
		}},
		{file: "fhir-repeating-group.json", code: 1, want: []verdictOf{
			{"fhir-repeating-group.json:1", "RG-1", "not_eligible", []string{"pregnant", "answer-unasked:product", "answer-unasked:treatment_date"}}, // a treatment log the rule set does not read
		}},
		{file: "fhir-searchset.json", code: 1, want: []verdictOf{
			{"fhir-searchset.json:6", "SS-1", "needs_review", []string{"blood-thinners"}},
		}, stderr: []string{"skipped 2 Bundle entries that are not QuestionnaireResponses: 1 OperationOutcome, 1 Patient"}},
		{file: "fhir-searchset-no-response.json", code: 2, stderr: []string{"no record was screened: ", "holds no QuestionnaireResponse, only 1 OperationOutcome, 1 Patient"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.args, ""), func(t *testing.T) {
			args := append([]string{"check", "-f", "jsonl"}, tt.args...)
			code, out, errOut := run(t, "", append(args, repoFile("hostile", tt.file))...)
			assert.Equal(t, tt.code, code, errOut)
			if tt.code == exitError {
				assert.Empty(t, out, "nothing is screened")
			} else {
				assert.Equal(t, tt.want, results(t, out))
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
			}
		})
	}
}

// Output injection: a patient id that a spreadsheet would run is a text
// cell in CSV output, and control characters in answers show as escapes
// in text output.
func TestHostileOutput(t *testing.T) {
	in := repoFile("hostile", "injection.csv")
	_, out, _ := run(t, "", "check", "-f", "csv", in)
	assert.Contains(t, out, "\n\"'=HYPERLINK(")
	_, out, _ = run(t, "", "check", "-f", "text", in)
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, `goal: "\x1b]0;pwned\a\x1b[2Jrejuvenation" is not one of`)
}
