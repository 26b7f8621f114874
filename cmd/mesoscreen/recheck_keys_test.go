//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
)

// firstScreening saves the record of a first screening, answered as
// typedAnswers types them, and returns its path.
func firstScreening(t *testing.T, first ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "MS-2001.json")
	r := runMain(t, typedAnswers(first...), nil, "interview", "--accessible", "--save", path, "--clinician", "T")
	require.Contains(t, []int{exitOK, exitFindings}, r.code, r.err)
	return path
}

// readSaved reads the saved record at path.
func readSaved(t *testing.T, path string) screening.SavedRecord {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	rec, err := screening.ReadSavedRecord(data)
	require.NoError(t, err)
	return rec
}

// TestRecheckKeystrokes drives the real form of a re-screen on a terminal,
// key by key. No question starts with an answer chosen: each shows last
// time's, which k keeps (Ctrl+K where the answer is typed), so a
// re-screen with nothing changed takes a key per question, counted here.
func TestRecheckKeystrokes(t *testing.T) {
	tests := []struct {
		name    string
		first   []string // typed answers of the first screening, as for typedAnswers
		keys    []string
		most    int
		code    int
		verdict string
		changed []string
	}{
		{"nothing changed, each answer kept", nil, keys(
			"k", "k", // pregnant, breastfeeding
			"k",           // blood thinners
			"k", "k", "k", // infection, skin, allergies
			keyCtrlK, // medications: none, as last time
			"n", "n", // no reaction since the last session, no change in health
			keyEnter, // review: all correct
		), 10, exitOK, "eligible", []string{"session_reaction", "health_changed"}},
		{"on a blood thinner, which one is kept too", []string{"blood_thinners", "1", "blood_thinner_name", "2"}, keys(
			"k", "k", "k", "k", // pregnancy page, blood thinner and which one
			"k", "k", "k", keyCtrlK, "n", "n", keyEnter,
		), 11, exitFindings, "needs_review", []string{"session_reaction", "health_changed"}},
		{"on a blood thinner, with N", []string{"blood_thinners", "1", "blood_thinner_name", "2"}, keys(
			"N", "k", "k", "N", keyCtrlK, "N", keyEnter,
		), 7, exitFindings, "needs_review", []string{"session_reaction", "health_changed"}},
		{"N answers no to the rest of each page", nil, keys(
			"N",      // pregnancy and breastfeeding
			"k",      // blood thinners, last time's no
			"N",      // infection, skin and allergies
			keyCtrlK, // medications
			"N",      // the two questions about the time since the last session
			keyEnter,
		), 6, exitOK, "eligible", []string{"session_reaction", "health_changed"}},
		{"a new answer", nil, keys(
			"y", "k", // pregnant now; breastfeeding kept
			"k", "k", "k", "k", keyCtrlK, "n", "n", keyEnter,
		), 10, exitFindings, "not_eligible", []string{"pregnant", "session_reaction", "health_changed"}},
		{"a change in health opens the full questions", nil, keys(
			"k", "k", "k", "k", "k", "k", keyCtrlK,
			"n", "y", // no reaction; something changed
			chars("knee"), keyEnter, // what changed
			"k", "k", "k", // clotting disorder, clots, stroke: as last time
			"k", "k", keyCtrlK, // cancer, diabetes, heart medicines
			keyEnter,
		), 21, exitFindings, "needs_review", []string{"session_reaction", "health_changed", "health_changed_details"}},
		{"a change in health that is a stroke", nil, keys(
			"k", "k", "k", "k", "k", "k", keyCtrlK,
			"n", "?", // not sure whether anything changed
			"k", "k", "y", // a stroke since
			"k", "k", keyCtrlK,
			keyEnter,
		), 16, exitFindings, "not_eligible", []string{"stroke", "session_reaction", "health_changed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := firstScreening(t, tt.first...)
			p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--recheck", path, "--clinician", "T")
			n := p.typeKeys(t, tt.keys)
			assert.Equal(t, tt.code, p.wait(t), "terminal:\n%s", p.term.written())
			assert.LessOrEqual(t, n, tt.most)

			rec := readSaved(t, path)
			require.Len(t, rec.Events, 2, "the re-screen is a second event")
			last := rec.Events[len(rec.Events)-1]
			assert.Equal(t, screening.EventRescreened, last.Event)
			assert.Equal(t, tt.verdict, string(last.Result.Verdict))
			assert.ElementsMatch(t, tt.changed, last.Changed)
			assert.NoError(t, rec.Verify(testKeyring(t)), "the chain holds, signed by T")
		})
	}
}

// TestRecheckEnterAloneNeverAnswers: on a re-screen Enter answers no
// question, though each shows last time's answer; the question about a
// reaction since the last session starts empty and shows no answer of
// the interval before, which the record holds from an earlier re-screen.
func TestRecheckEnterAloneNeverAnswers(t *testing.T) {
	path := firstScreening(t)
	// An earlier re-screen: no reaction then, nothing else changed.
	r := runMain(t, strings.Repeat("k\n", 7)+"2\n2\n\n", nil, "interview", "--accessible", "--recheck", path, "--clinician", "T")
	require.Equal(t, exitOK, r.code, r.err)
	require.Len(t, readSaved(t, path).Events, 2)

	p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--recheck", path, "--clinician", "T")
	screen := p.term.waitScreen(t, "the first question", func(s string) bool { return strings.Contains(s, focusBar) })
	assert.Contains(t, screen, "Last time: No. k keeps it.")
	assert.NotContains(t, screen, "✓", "nothing is chosen")
	assert.Contains(t, screen, "k keep last answer", "the key is in the help")
	p.press(t, keyEnter)
	p.term.waitScreen(t, "that no answer is chosen", func(s string) bool { return strings.Contains(s, "choose an answer") })

	// Kept one by one, up to the medicines, which are typed: Enter alone
	// is no answer there either, not even "none".
	p.typeKeys(t, keys("k", "k", "k", "k", "k", "k"))
	p.term.waitScreen(t, "the medicines", func(s string) bool { return strings.Contains(s, "Which medicines") })
	p.press(t, keyEnter)
	p.term.waitScreen(t, "that the medicines need an answer", func(s string) bool { return strings.Contains(s, "an answer is needed") })
	p.press(t, keyCtrlK)
	screen = p.term.waitScreen(t, "the reaction question", func(s string) bool {
		return strings.Contains(s, "had a reaction") && strings.Contains(s, focusBar)
	})
	assert.NotContains(t, screen, "Last time", "last interval's answers are not this one's")
	assert.NotContains(t, screen, "✓", "the reaction question starts empty")
	p.press(t, keyEnter)
	p.term.waitScreen(t, "that no answer is chosen", func(s string) bool { return strings.Contains(s, "choose an answer") })
	p.press(t, keyCtrlC)
	assert.Equal(t, exitCancelled, p.wait(t))
	assert.Len(t, readSaved(t, path).Events, 2, "nothing added")
}

// TestRecheckAccessibleEmptyLineKeepsNothing: in plain lines, as in the
// form, an empty line is no answer; k keeps last time's.
func TestRecheckAccessibleEmptyLineKeepsNothing(t *testing.T) {
	path := firstScreening(t)
	r := runMain(t, strings.Repeat("\n", 12), nil, "interview", "--accessible", "--recheck", path, "--clinician", "T")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "an answer is needed; type k to keep last time's")
	assert.Contains(t, r.err, "interview incomplete")
	assert.Len(t, readSaved(t, path).Events, 1, "nothing added")

	// k keeps; the reaction and the change in health are asked with no
	// answer of their own to keep, and a change opens the full questions.
	r = runMain(t, strings.Repeat("k\n", 7)+"2\n1\nnew tablets\n"+strings.Repeat("k\n", 6)+"\n", nil, "interview", "--accessible", "--recheck", path, "--clinician", "T")
	require.Equal(t, exitFindings, r.code, r.err)
	assert.Contains(t, r.err, "Asked again: the patient's health may have changed since the last session.")
	assert.Contains(t, r.err, "Has the patient ever had a stroke")
	assert.Contains(t, r.out, "VERDICT: NEEDS REVIEW", "a clinician reads what changed")
	assert.Contains(t, r.out, `Health changed since the last session: "new tablets"`)
}
