//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
)

// TestRecheckKeystrokes drives the real form of a re-screen on a terminal,
// key by key: each question starts on last time's answer and Enter keeps
// it, so a re-screen with nothing changed takes a few keys, counted here.
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
		{"nothing changed", nil, keys(
			keyEnter, keyEnter, // pregnant, breastfeeding: kept
			keyEnter,                     // blood thinners: kept
			keyEnter, keyEnter, keyEnter, // infection, skin, allergies: kept
			keyEnter, // medications: kept
			"n",      // a reaction since the last session: no
			keyEnter, // review: all correct
		), 12, exitOK, "eligible", []string{"session_reaction"}},
		{"on a blood thinner, which one is kept too", []string{"blood_thinners", "1", "blood_thinner_name", "2"}, keys(
			keyEnter, keyEnter, keyEnter, keyEnter, // pregnancy page, blood thinner and which one
			keyEnter, keyEnter, keyEnter, keyEnter, "n", keyEnter,
		), 12, exitFindings, "needs_review", []string{"session_reaction"}},
		{"a new answer", nil, keys(
			"y", keyEnter, // pregnant now; breastfeeding kept
			keyEnter, keyEnter, keyEnter, keyEnter, keyEnter, "n", keyEnter,
		), 40, exitFindings, "not_eligible", []string{"pregnant", "session_reaction"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "MS-2001.json")
			r := runMain(t, typedAnswers(tt.first...), nil, "interview", "--accessible", "--save", path, "--clinician", "T")
			require.Contains(t, []int{exitOK, exitFindings}, r.code, r.err)

			p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--recheck", path, "--clinician", "T")
			n := p.typeKeys(t, tt.keys)
			assert.Equal(t, tt.code, p.wait(t), "terminal:\n%s", p.term.written())
			assert.LessOrEqual(t, n, tt.most)

			data, err := os.ReadFile(path)
			require.NoError(t, err)
			rec, err := screening.ReadSavedRecord(data)
			require.NoError(t, err)
			require.Len(t, rec.Events, 2, "the re-screen is a second event")
			last := rec.Events[len(rec.Events)-1]
			assert.Equal(t, screening.EventRescreened, last.Event)
			assert.Equal(t, tt.verdict, string(last.Result.Verdict))
			assert.ElementsMatch(t, tt.changed, last.Changed)
			assert.NoError(t, rec.Verify(testKeyring(t)), "the chain holds, signed by T")
		})
	}
}
