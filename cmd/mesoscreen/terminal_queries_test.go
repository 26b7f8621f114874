//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// terminalQueries are what a program writes to ask the terminal about
// itself: its background colour, the cursor position, its attributes.
// On a terminal that never answers, a program that waits for the answer
// stalls.
var terminalQueries = []string{"\x1b]11;?", "\x1b]10;?", "\x1b[6n", "\x1b[c", "\x1b[>c", "\x1b[?u", "\x1b[?996n"}

// TestNoTerminalQueries runs commands in a process of their own on a
// pseudo-terminal that never answers. None may ask the terminal anything;
// the machine formats and version write no escape sequence at all.
func TestNoTerminalQueries(t *testing.T) {
	healthy := repoFile("examples", "healthy.json")
	abs, err := filepath.Abs(healthy)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		plain bool // no escape sequence at all
	}{
		{[]string{"check", "--format", "json", abs}, true},
		{[]string{"version"}, true},
		{[]string{"--version"}, true},
		{[]string{"version", "--format", "json"}, true},
		{[]string{"check", abs}, false}, // a table, coloured
		{[]string{"rules", "show"}, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			p := startOnTerminal(t, true, []string{"TERM=xterm-256color"}, tt.args...)
			code := p.wait(t)
			_ = p.term.tty.Close() // the last of the output comes through
			<-p.term.eof
			out := p.term.written()
			assert.Contains(t, []int{exitOK, exitFindings}, code, out)
			assert.NotEmpty(t, out)
			for _, q := range terminalQueries {
				assert.NotContains(t, out, q)
			}
			if tt.plain {
				assert.NotContains(t, out, "\x1b", "no escape sequence in %q", out)
			} else {
				assert.Contains(t, out, "\x1b[", "the capture sees what a terminal is sent")
			}
		})
	}
}
