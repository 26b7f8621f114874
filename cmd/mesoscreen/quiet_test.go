package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --quiet leaves stderr to errors and warnings: what a command did
// ("saved …", "wrote …", "key …") is said only without it, and the
// command does the same either way.
func TestQuietSaysOnlyErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		stdin string
		args  func(n int) []string
		said  string // on stderr without --quiet
	}{
		{"interview --save", typedAnswers("patient_id", "MS-3001"), func(n int) []string {
			return []string{"interview", "--accessible", "--save", filepath.Join(dir, "rec"+string(rune('0'+n))+".json")}
		}, "saved the record to "},
		{"docs man", "", func(n int) []string {
			return []string{"docs", "man", filepath.Join(dir, "man"+string(rune('0'+n)))}
		}, "wrote the man pages into "},
		{"rules init", "", func(n int) []string {
			return []string{"rules", "init", filepath.Join(dir, "rules"+string(rune('0'+n)))}
		}, "next: edit "},
		{"key show", "", func(int) []string { return []string{"key", "show"} }, "key "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loud := runMain(t, tc.stdin, nil, tc.args(0)...)
			require.Contains(t, []int{0, 1}, loud.code, loud.err)
			assert.Contains(t, loud.err, tc.said)

			quiet := runMain(t, tc.stdin, nil, append([]string{"-q"}, tc.args(1)...)...)
			assert.Equal(t, loud.code, quiet.code, quiet.err)
			assert.NotContains(t, quiet.err, tc.said)
			if tc.stdin == "" { // the accessible interview asks on stderr

				assert.Empty(t, quiet.err)
			}
			assert.Equal(t, loud.out != "", quiet.out != "", "the same output on stdout")
		})
	}
}
