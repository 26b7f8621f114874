//go:build unix

package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastLine is the last line of a screen with anything on it.
func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	return lines[len(lines)-1]
}

// times is key pressed n times.
func times(n int, key string) []string { return slices.Repeat([]string{key}, n) }

// TestInterviewEndsOnTheVerdictOnScreen: the result of an interview with
// instructions runs to some 50 lines, past any terminal. Whatever was
// said before it (the record saved, the handout written), the last line
// on the screen is the verdict, at 80 by 24 and at 100 by 30, after a
// first screening and after a re-screen.
func TestInterviewEndsOnTheVerdictOnScreen(t *testing.T) {
	onApixaban := keys(patientPage,
		"N", "n", "n", "n", "y", "2", keyEnter, // a blood thinner: apixaban, the second of a long list
		"N", "0", keyEnter, "N", keyEnter, keyEnter,
	)
	verdict := "VERDICT: NEEDS REVIEW (needs_review)  Patient: MS-1007"
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			dir := t.TempDir()
			save, handout := filepath.Join(dir, "MS-1007.json"), filepath.Join(dir, "handout.html")
			p := startOnTerminalSized(t, size[0], size[1], true, []string{"TERM=xterm-256color"},
				"interview", "--save", save, "--handout", handout, "--clinician", "T")
			p.typeKeys(t, onApixaban)
			assert.Equal(t, exitFindings, p.wait(t), "terminal:\n%s", p.term.written())
			screen := p.term.final(t)
			written := p.term.written()
			require.Contains(t, written, "saved the record to")
			require.Contains(t, written, "wrote the handout")
			// The rule set is named with the result, not above the form.
			assert.Greater(t, strings.Index(written, "using the built-in rule set"), strings.LastIndex(written, "All correct: show the verdict"))
			assert.Equal(t, verdict, lastLine(screen), "the last line on screen:\n%s", screen)
			assert.NotContains(t, screen, "NEEDS REVIEW  ", "the banner at the top has scrolled off: only the last line says the verdict")

			// The re-screen, with its handout.
			p = startOnTerminalSized(t, size[0], size[1], true, []string{"TERM=xterm-256color"},
				"interview", "--recheck", save, "--handout", handout, "--force", "--clinician", "T")
			p.typeKeys(t, keys("N", "k", "k", "N", keyCtrlK, "N", keyEnter))
			assert.Equal(t, exitFindings, p.wait(t), "terminal:\n%s", p.term.written())
			screen = p.term.final(t)
			require.Contains(t, p.term.written(), "added the re-screen to")
			require.Contains(t, p.term.written(), "wrote the handout")
			assert.Equal(t, verdict, lastLine(screen), "the last line on screen:\n%s", screen)
		})
	}
}

// reviewOf is the keys of a healthy adult's interview, up to the review.
var reviewOf = keys(patientPage, "N", "N", "N", "0", keyEnter, "N", keyEnter)

// TestEscOnAFollowUpGoesBackToTheReview: a blood thinner said at the
// review opens its follow-up; Esc there goes back to the review, with the
// answer as it was, rather than ending the screening.
func TestEscOnAFollowUpGoesBackToTheReview(t *testing.T) {
	save := filepath.Join(t.TempDir(), "record.json")
	p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--save", save, "--clinician", "T")
	p.typeKeys(t, keys(reviewOf,
		times(10, keyDown), keyEnter, // the blood thinner
		"y", // yes: which one?
	))
	screen := p.term.waitScreen(t, "the follow-up", func(s string) bool {
		return strings.Contains(s, "Which blood thinner?") && strings.Contains(s, focusBar)
	})
	assert.Contains(t, screen, "Esc goes back to the review")
	assert.Contains(t, screen, "esc back to the review")
	p.typeKeys(t, keys(keyEsc))
	screen = p.term.waitScreen(t, "the review", func(s string) bool {
		return strings.Contains(s, "Review the answers") && strings.Contains(s, focusBar)
	})
	assert.Regexp(t, `Blood thinner +No`, screen, "the change is undone")
	p.typeKeys(t, keys(keyEnter))
	assert.Equal(t, exitOK, p.wait(t), "terminal:\n%s", p.term.written())
	answers, verdict := savedAnswers(t, save)
	assert.Equal(t, "eligible", verdict)
	assert.Equal(t, "no", answers["blood_thinners"])
	assert.NotContains(t, answers, "blood_thinner_name")
}

// TestEscOnTheReviewAsks: Esc on the review asks before it discards the
// screening; Enter or n goes back to the review, y discards.
func TestEscOnTheReviewAsks(t *testing.T) {
	save := filepath.Join(t.TempDir(), "record.json")
	p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--save", save, "--clinician", "T")
	p.typeKeys(t, keys(reviewOf, keyEsc))
	ask := func(s string) bool { return strings.Contains(s, "Discard this screening?") }
	review := func(s string) bool { return strings.Contains(s, "Review the answers") && !ask(s) }
	p.term.waitScreen(t, "the question", ask)
	p.press(t, keyEnter)
	p.term.waitScreen(t, "the review again", review)
	p.typeKeys(t, keys(keyEsc))
	p.term.waitScreen(t, "the question", ask)
	p.press(t, "n")
	p.term.waitScreen(t, "the review again", review)
	p.typeKeys(t, keys(keyEsc))
	p.term.waitScreen(t, "the question", ask)
	p.press(t, "y")
	assert.Equal(t, exitCancelled, p.wait(t))
	assert.NoFileExists(t, save)
	assert.Empty(t, p.out.String(), "no verdict")
}

// TestReviewSaysWhatIsBelow: at 80 by 24 a review with a follow-up or two
// does not fit; the rows out of sight are counted, below and then above.
func TestReviewSaysWhatIsBelow(t *testing.T) {
	save := filepath.Join(t.TempDir(), "record.json")
	p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--save", save, "--clinician", "T")
	p.typeKeys(t, keys(patientPage,
		"N", "n", "n", "n", "y", "2", keyEnter, // apixaban, the second of a long list
		"N", "0", keyEnter,
		"n", "n", "y", chars("hives"), keyEnter, // a reaction
		chars("Eliquis"), keyEnter,
	))
	screen := p.term.waitScreen(t, "the review", func(s string) bool { return strings.Contains(s, "Review the answers") })
	assert.Regexp(t, `↓ \d+ more below`, screen)
	assert.NotContains(t, screen, "Medicines and supplements")
	p.typeKeys(t, keys(times(20, keyDown)))
	screen = p.term.waitScreen(t, "the last row", func(s string) bool { return strings.Contains(s, "Medicines and supplements") })
	assert.Regexp(t, `↑ \d+ more above`, screen)
	assert.NotContains(t, screen, "more below")
	p.press(t, keyCtrlC)
	assert.Equal(t, exitCancelled, p.wait(t))
}

var reSGR = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// coloured reports whether the bytes hold an SGR sequence that sets a
// colour: 30-38 and 90-97 for the text, 40-48 and 100-107 for the
// background.
func coloured(b string) bool {
	for _, m := range reSGR.FindAllStringSubmatch(b, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err == nil && (30 <= n && n <= 38 || 40 <= n && n <= 48 || 90 <= n && n <= 97 || 100 <= n && n <= 107) {
				return true
			}
		}
	}
	return false
}

// TestFormWithoutColour: the form keeps to a "no colour" the person has
// said (--color never, NO_COLOR, CLICOLOR=0), as the output does, and
// draws in colour otherwise.
func TestFormWithoutColour(t *testing.T) {
	assert.True(t, coloured("\x1b[38;5;241mx"), "the check can fail")
	assert.True(t, coloured("\x1b[1;90mx"), "the check can fail")
	assert.False(t, coloured("\x1b[1mx\x1b[7my\x1b[0m"), "bold and reverse are no colour")
	tests := []struct {
		name   string
		env    []string
		args   []string
		colour bool
	}{
		{"by default", nil, nil, true},
		{"--color never", nil, []string{"--color", "never"}, false},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, false},
		{"CLICOLOR=0", []string{"CLICOLOR=0"}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			save := filepath.Join(t.TempDir(), "record.json")
			env := append([]string{"TERM=xterm-256color", "COLORTERM=truecolor"}, tc.env...)
			p := startOnTerminal(t, false, env, append([]string{"interview", "--save", save, "--clinician", "T"}, tc.args...)...)
			p.typeKeys(t, keys(reviewOf, keyEnter))
			assert.Equal(t, exitOK, p.wait(t), "terminal:\n%s", p.term.written())
			assert.Equal(t, tc.colour, coloured(p.term.written()), "colour drawn on the terminal")
		})
	}
}
