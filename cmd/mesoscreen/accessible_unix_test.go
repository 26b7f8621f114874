//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccessibleVerdictOnATerminal: with ACCESSIBLE=1 on a colour
// terminal, the verdict is the plain "VERDICT:" line, with no box drawn
// round it and no colour.
func TestAccessibleVerdictOnATerminal(t *testing.T) {
	course, err := filepath.Abs(repoFile("examples", "course", "MS-1001.json"))
	require.NoError(t, err)
	p := startOnTerminal(t, true, []string{"ACCESSIBLE=1", "TERM=xterm-256color", "COLORTERM=truecolor"}, "interview", "--from", course)
	p.term.waitScreen(t, "the review", func(s string) bool { return strings.Contains(s, "Press Enter to screen") })
	p.press(t, keyEnter)
	assert.Equal(t, exitFindings, p.wait(t))
	assert.Contains(t, p.term.written(), "VERDICT: NEEDS REVIEW (needs_review)")
	assert.NotContains(t, p.term.written(), "┏", "no box")
	assert.NotContains(t, p.term.written(), "\x1b[", "no colour, nor anything else drawn")
}

// TestCheckSaysItReadsTheTerminal: check with no file on a terminal says
// that it reads what is typed, rather than wait in silence.
func TestCheckSaysItReadsTheTerminal(t *testing.T) {
	p := startOnTerminal(t, false, nil, "check")
	p.term.waitScreen(t, "the note", func(s string) bool {
		return strings.Contains(s, "reading intake records from the terminal until Ctrl-D")
	})
	p.press(t, "\x04") // Ctrl-D, once: no records
	assert.Equal(t, exitOK, p.wait(t))
}
