package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flag given a value it does not take stops the command as it is parsed,
// with exit code 2, the flag, the value and what was expected, and a
// pointer at the command's help; the same words complete the flag.
func TestEnumFlags(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		want  string
		words string // what completion offers, one per line
	}{
		{[]string{"check", "--format", "xml"}, `--format "xml" is not one of table, text, csv, json, jsonl`, "table\ntext\ncsv\njson\njsonl"},
		{[]string{"check", "--input", "xml"}, `--input "xml" is not one of csv, json, jsonl, fhir`, "csv\njson\njsonl\nfhir"},
		{[]string{"check", "--encoding", "ebcdic"}, `--encoding "ebcdic" is not one of utf-8, utf-16, windows-1252, latin-1, auto`, "utf-8\nutf-16\nwindows-1252\nlatin-1\nauto"},
		{[]string{"handout", "--for", "nurse"}, `--for "nurse" is not one of patient, prescriber`, "patient\nprescriber"},
		{[]string{"handout", "--format", "docx"}, `--format "docx" is not one of pdf, html`, "pdf\nhtml"},
		{[]string{"rules", "show", "--format", "yaml"}, `--format "yaml" is not one of text, json`, "text\njson"},
		{[]string{"version", "--format", "yaml"}, `--format "yaml" is not one of text, json`, "text\njson"},
		{[]string{"meds", "list", "--format", "yaml"}, `--format "yaml" is not one of text, json`, "text\njson"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmdPath := "mesoscreen " + strings.Join(tt.args[:len(tt.args)-2], " ")
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			assert.Equal(t, "mesoscreen: "+tt.want+"\nRun '"+cmdPath+" --help' for usage.\n", errOut)

			complete := append([]string{"__complete"}, tt.args[:len(tt.args)-1]...)
			_, out, _ = run(t, "", append(complete, "")...)
			assert.Equal(t, tt.words+"\n:4\n", strings.SplitAfter(out, "\n:4\n")[0], "completion of %s", tt.args[len(tt.args)-2])
		})
	}
}

// A number flag given a word says what it expected, not how it parsed it.
func TestNumberFlag(t *testing.T) {
	code, _, errOut := run(t, "", "check", "--jobs", "abc")
	assert.Equal(t, exitError, code)
	assert.Equal(t, "mesoscreen: --jobs \"abc\": expected a whole number\nRun 'mesoscreen check --help' for usage.\n", errOut)
}
