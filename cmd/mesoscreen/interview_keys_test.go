//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// savedAnswers reads the answers and verdict of a record written by
// interview --save.
func savedAnswers(t *testing.T, path string) (map[string]any, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var rec struct {
		Answers map[string]any `json:"answers"`
		Result  struct {
			Verdict string `json:"verdict"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(b, &rec), string(b))
	return rec.Answers, rec.Result.Verdict
}

// The patient page of a healthy adult: a 7-character id, a 2-digit age,
// the face, and the first goal.
var patientPage = keys(chars("MS-1007"), keyEnter, chars("34"), keyEnter, "x", keyEnter, "1")

// TestInterviewKeystrokes drives the real form on a terminal, key by key,
// and counts the keys a healthy adult takes, review included.
func TestInterviewKeystrokes(t *testing.T) {
	healthy := map[string]any{
		"patient_id": "MS-1007", "age": 34.0, "treatment_areas": []any{"face"}, "goal": "rejuvenation",
		"pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no",
		"stroke": "no", "blood_thinners": "no", "recent_cancer": "no", "diabetes": "none",
		"heart_medications": 0.0, "active_infection": "no", "skin_condition": "no", "allergies": "no",
	}
	tests := []struct {
		name    string
		keys    []string
		most    int // the keystroke aim
		code    int
		verdict string
		changed map[string]any // answers other than the healthy ones
	}{
		{"N answers no to the rest of each page", keys(patientPage,
			"N",                // pregnancy and breastfeeding
			"N",                // blood
			"N", "0", keyEnter, // cancer and diabetes, then 0 heart medicines
			"N",      // skin, infection and allergies
			keyEnter, // no medications
			keyEnter, // review: all correct
		), 22, exitOK, "eligible", nil},
		{"one key per question", keys(patientPage,
			"n", "n",
			"n", "n", "n", "n",
			"n", "n", "0", keyEnter,
			"n", "n", "n",
			keyEnter, keyEnter,
		), 29, exitOK, "eligible", nil},
		{"arrows and Enter work too", keys(patientPage,
			keyDown, keyDown, keyEnter, // pregnant: down to No
			"n", "n", "n", "n", "n",
			"n", "1", "0", keyEnter, // diabetes is a list: its digit chooses
			"n", "n", "n",
			keyEnter, keyEnter,
		), 31, exitOK, "eligible", nil},
		{"diabetes not sure", keys(patientPage,
			"N", "N",
			"n", "?", "0", keyEnter,
			"N", keyEnter, keyEnter,
		), 40, exitFindings, "needs_review", map[string]any{"diabetes": "unsure"}},
		{"u is not sure too", keys(patientPage,
			"u", "N", "N", "N", "0", keyEnter, "N", keyEnter, keyEnter,
		), 40, exitFindings, "needs_review", map[string]any{"pregnant": "unsure"}},
		{"Esc on a question opened from the review keeps its answer", keys(patientPage,
			"N", "N", "N", "0", keyEnter, "N", keyEnter,
			keyDown, keyDown, keyEnter, // review: change the age
			"9", keyEsc, // typed, then Esc: back to the review, age as it was
			keyEnter,
		), 40, exitOK, "eligible", nil},
		{"Shift+Tab from a follow-up goes back to the question that opened it", keys(patientPage,
			"N",
			"n", "n", "n", "y", // blood thinner: yes, and its follow-up comes
			keyShiftTab, // back to the blood thinner question, answers kept
			"n",         // now no: the follow-up no longer applies
			"N", "0", keyEnter, "N", keyEnter, keyEnter,
		), 40, exitOK, "eligible", nil},
		{"a follow-up", keys(patientPage,
			"N", "n", "n", "n", "y", "2", keyEnter, // apixaban, the second of a long list
			"N", "0", keyEnter, "N", keyEnter, keyEnter,
		), 40, exitFindings, "needs_review", map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			save := filepath.Join(t.TempDir(), "record.json")
			p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--save", save, "--clinician", "T")
			n := p.typeKeys(t, tt.keys)
			assert.Equal(t, tt.code, p.wait(t), "terminal:\n%s", p.term.written())
			assert.LessOrEqual(t, n, tt.most)
			answers, verdict := savedAnswers(t, save)
			assert.Equal(t, tt.verdict, verdict)
			want := map[string]any{}
			for k, v := range healthy {
				want[k] = v
			}
			for k, v := range tt.changed {
				want[k] = v
			}
			assert.Equal(t, want, answers)
			assert.Contains(t, p.out.String(), "VERDICT: ", "the result goes to stdout, the form to the terminal")
		})
	}
}

// TestInterviewEnterAloneNeverAnswers presses Enter on every page: the
// form stays on its question, nothing is saved, and Ctrl-C cancels.
func TestInterviewEnterAloneNeverAnswers(t *testing.T) {
	save := filepath.Join(t.TempDir(), "record.json")
	p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--save", save)
	p.typeKeys(t, keys(chars("MS-1007"), keyEnter, chars("34"), keyEnter, "x", keyEnter, "1", keyEnter))
	p.term.waitScreen(t, "that an answer is missing", func(s string) bool { return strings.Contains(s, "choose an answer") })
	// The page already says so: these change nothing on it.
	p.press(t, keyEnter, keyEnter, keyCtrlC)
	assert.Equal(t, exitCancelled, p.wait(t))
	assert.NoFileExists(t, save)
	assert.Empty(t, p.out.String(), "no verdict")
	assert.Contains(t, p.term.written(), "choose an answer")
}
