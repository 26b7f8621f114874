package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// The findings of a FHIR response's status are the screening's, in the
// result's language: checked in Spanish or French, a response in
// progress, stopped, entered in error, without a status or with two
// says so in that language, as text and as JSON, with the rule ids, levels
// and values as in English.
func TestCheckFHIRStatusInEachLanguage(t *testing.T) {
	// The hostile corpus's responses (completed, amended, in-progress,
	// stopped, entered-in-error, no status) and one with its status
	// given twice.
	corpus := mustRead(t, repoFile("hostile", "fhir-status.ndjson"))
	lines := strings.Split(strings.TrimSpace(corpus), "\n")
	require.Len(t, lines, 6)
	twice := strings.Replace(strings.ReplaceAll(lines[0], "FS-1", "FS-7"), `"status": "completed"`, `"status": "completed", "status": "in-progress"`, 1)
	require.NotEqual(t, lines[0], twice)
	in := filepath.Join(t.TempDir(), "status.ndjson")
	require.NoError(t, os.WriteFile(in, []byte(corpus+twice+"\n"), 0o600))

	type want struct {
		rule, level, value string
		msg                string // the English text, a format
		args               []any
	}
	notCompleted := "the response's status is %q, not completed: answers may be missing or still change; a clinician must check it before booking"
	wants := map[string]want{
		"FS-3": {screening.RuleNotCompleted, "needs_review", "in-progress", notCompleted, []any{"in-progress"}},
		"FS-4": {screening.RuleNotCompleted, "needs_review", "stopped", notCompleted, []any{"stopped"}},
		"FS-5": {screening.RuleEnteredInError, "not_eligible", "entered-in-error", `the response's status is "entered-in-error": it was entered in error and is not this patient's intake; do not treat on it, screen a new one`, nil},
		"FS-6": {screening.RuleNotCompleted, "needs_review", "", "the response has no status; expected completed or amended, a finished response", nil},
		"FS-7": {screening.RuleNotCompleted, "needs_review", `"completed", "in-progress"`, "the response's status is given %d times (%s); expected it once", []any{2, `"completed", "in-progress"`}},
	}
	english := func(w want) string { return i18n.For("en").T(w.msg, w.args...) }

	for _, lang := range []string{"en", "es", "fr"} {
		t.Run(lang, func(t *testing.T) {
			tr := i18n.For(lang)
			require.Equal(t, lang, tr.Lang())
			r := runMain(t, "", nil, "check", "--lang", lang, "-f", "json", in)
			require.Equal(t, exitFindings, r.code, r.err)
			var results []screening.Result
			require.NoError(t, json.Unmarshal([]byte(r.out), &results), r.out)
			require.Len(t, results, 7)
			seen := 0
			for _, res := range results {
				assert.Equal(t, lang, res.Lang)
				w, ok := wants[res.PatientID]
				if !ok {
					assert.Empty(t, res.Findings, "%s: completed or amended", res.PatientID)
					continue
				}
				seen++
				require.Len(t, res.Findings, 1, res.PatientID)
				f := res.Findings[0]
				assert.Equal(t, w.rule, f.Rule, res.PatientID)
				assert.Equal(t, w.level, string(f.Level), res.PatientID)
				assert.Equal(t, string(res.Verdict), string(f.Level), res.PatientID)
				assert.Equal(t, "status", f.Field, res.PatientID)
				assert.Equal(t, w.value, f.Value, res.PatientID)
				assert.Equal(t, tr.T(w.msg, w.args...), f.Message, res.PatientID)
				if lang != "en" {
					assert.NotEqual(t, english(w), f.Message, "%s: the message is in %s", res.PatientID, lang)
				}
			}
			assert.Equal(t, len(wants), seen)

			r = runMain(t, "", nil, "check", "--lang", lang, "-f", "text", in)
			require.Equal(t, exitFindings, r.code, r.err)
			for id, w := range wants {
				assert.Contains(t, r.out, tr.T(w.msg, w.args...), id)
				if lang != "en" {
					assert.NotContains(t, r.out, english(w), id)
				}
			}
		})
	}
}
