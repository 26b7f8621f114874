package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// savedRecord saves the record of the README's course patient in dir.
func savedRecord(t *testing.T, dir string) string {
	t.Helper()
	rec := filepath.Join(dir, "MS-1001.json")
	r := runMain(t, "\n", nil, "interview", "-q", "--accessible", "--from", repoFile("examples", "course", "MS-1001.json"), "--save", rec)
	require.Equal(t, exitFindings, r.code, r.err)
	return rec
}

// TestOutputToStdout: "-o -" is stdout, as every Unix tool takes it, and
// so is /dev/stdout; neither writes a file of that name.
func TestOutputToStdout(t *testing.T) {
	in, err := filepath.Abs(repoFile("examples", "intakes.jsonl"))
	require.NoError(t, err)
	course, err := filepath.Abs(repoFile("examples", "course", "MS-1001.json"))
	require.NoError(t, err)
	dir := t.TempDir()
	t.Chdir(dir) // where a file named "-" would appear
	want := runMain(t, "", nil, "check", "-q", "-f", "csv", in)
	require.Equal(t, exitFindings, want.code, want.err)
	for _, o := range []string{"-", "/dev/stdout"} {
		r := runMain(t, "", nil, "check", "-q", "-f", "csv", "-o", o, in)
		assert.Equal(t, exitFindings, r.code, r.err)
		assert.Equal(t, want.out, r.out, o)
		assert.NoFileExists(t, filepath.Join(dir, "-"))
	}

	rec := filepath.Join(dir, "MS-1001.json")
	r := runMain(t, "\n", nil, "interview", "-q", "--accessible", "--from", course, "--save", rec)
	require.Equal(t, exitFindings, r.code, r.err)
	for _, tt := range []struct {
		args []string
		head string
	}{
		{[]string{"-o", "-"}, "%PDF-"},
		{[]string{"-o", "/dev/stdout"}, "%PDF-"},
		{[]string{"-o", "-", "--format", "html"}, "<!DOCTYPE html>"},
	} {
		r := runMain(t, "", nil, append([]string{"handout", "-q", rec}, tt.args...)...)
		assert.Equal(t, exitOK, r.code, r.err)
		assert.True(t, strings.HasPrefix(r.out, tt.head), "%v: %.20q", tt.args, r.out)
		assert.NoFileExists(t, filepath.Join(dir, "-"))
	}

	// A PDF is not written to a terminal.
	s, out, errb := iostreams.Test("")
	s.OutTTY = true
	assert.Equal(t, exitError, Main([]string{"handout", rec, "-o", "-"}, s))
	assert.Contains(t, errb.String(), "stdout is a terminal")
	assert.Empty(t, out.String())

	// The interview's stdout carries the verdict.
	r = runMain(t, "\n", nil, "interview", "--accessible", "--from", course, "--handout", "-")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "--handout -: stdout carries the verdict")
}

// TestOutputExtension: an output file's extension that names no format
// is refused rather than written in another format under it, unless
// --format says which; an existing file is replaced only with --force,
// by check as by handout and interview --save.
func TestOutputExtension(t *testing.T) {
	dir := t.TempDir()
	rec := savedRecord(t, dir)
	in := repoFile("examples", "intakes.jsonl")
	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"handout", rec, "-o", filepath.Join(dir, "x.docx")}, exitError, ".docx names no format this command writes; expected .htm, .html or .pdf, or give --format"},
		{[]string{"handout", rec, "-o", filepath.Join(dir, "x.HTML")}, exitOK, ""},
		{[]string{"handout", rec, "-o", filepath.Join(dir, "handout")}, exitOK, ""}, // PDF, as without -o's help
		{[]string{"interview", "--accessible", "--from", repoFile("examples", "course", "MS-1001.json"), "--handout", filepath.Join(dir, "x.doc")}, exitError, ".doc names no format a handout is written in; expected .htm, .html or .pdf\n"},
		{[]string{"check", "-o", filepath.Join(dir, "r.xlsx"), in}, exitError, "--output " + filepath.Join(dir, "r.xlsx") + ": .xlsx names no format this command writes; expected .csv, .json, .jsonl, .ndjson or .txt, or give --format"},
		{[]string{"check", "-o", filepath.Join(dir, "r.xlsx"), "--format", "csv", in}, exitFindings, ""},
		{[]string{"check", "-o", filepath.Join(dir, "r.txt"), in}, exitFindings, ""},
		{[]string{"check", "-o", filepath.Join(dir, "r.txt"), in}, exitError, "r.txt already exists; use --force to replace it"},
		{[]string{"check", "-o", filepath.Join(dir, "r.txt"), "--force", in}, exitFindings, ""},
	} {
		t.Run(strings.Join(tt.args[:3], " "), func(t *testing.T) {
			r := runMain(t, "\n", nil, tt.args...)
			assert.Equal(t, tt.code, r.code, r.err)
			if tt.err != "" {
				assert.Contains(t, r.err, tt.err)
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(dir, "handout"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "%PDF-"))
}

// TestAccessibleStopsProgress: a large input shows a progress bar on a
// terminal's stderr, but not in accessible mode (ACCESSIBLE=1, TERM=dumb),
// where a redrawn line is noise to a screen reader.
func TestAccessibleStopsProgress(t *testing.T) {
	line, _, _ := strings.Cut(mustRead(t, repoFile("examples", "intakes.jsonl")), "\n")
	// Padded lines make a file past progressMin of few records.
	line += strings.Repeat(" ", 16<<10-len(line)) + "\n"
	big := filepath.Join(t.TempDir(), "big.jsonl")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat(line, progressMin/len(line)+1)), 0o600))
	for _, tt := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"TERM": "xterm"}, true},
		{map[string]string{"TERM": "xterm", "ACCESSIBLE": "1"}, false},
		{map[string]string{"TERM": "dumb"}, false},
	} {
		s, _, errb := iostreams.Test("")
		s.ErrTTY = true
		s.Getenv = func(k string) string { return tt.env[k] }
		// One patient many times over: the duplicates are findings.
		require.NotEqual(t, exitError, Main([]string{"check", "-f", "jsonl", big}, s), errb.String())
		assert.Equal(t, tt.want, strings.Contains(errb.String(), "screening "+big), "%v: %q", tt.env, errb.String())
	}
}
