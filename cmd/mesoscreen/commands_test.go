package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUnknownCommands: a word that names no subcommand or help topic is a
// usage error (exit 2, SPEC §6) that suggests the nearest names and points
// at the help of the command it was given to, never that command's help
// and success, which would let a misspelt command pass a CI gate.
func TestUnknownCommands(t *testing.T) {
	tests := []struct {
		args    []string
		stderr  []string // in this order
		suggest string   // among the suggestions; "" for none
	}{
		{[]string{"chek"}, []string{`mesoscreen: unknown command "chek" for "mesoscreen"`, "Run 'mesoscreen --help' for usage."}, "check"},
		{[]string{"rules", "lnt", "--strict", "clinic/rules.yaml"}, []string{`unknown command "lnt" for "mesoscreen rules"`, "Run 'mesoscreen rules --help' for usage."}, "lint"},
		{[]string{"meds", "lokup", "warfarin"}, []string{`unknown command "lokup" for "mesoscreen meds"`, "Run 'mesoscreen meds --help'"}, "lookup"},
		{[]string{"record", "verfy", "x.json"}, []string{`unknown command "verfy" for "mesoscreen record"`, "Run 'mesoscreen record --help'"}, "verify"},
		{[]string{"docs", "mann", "dir"}, []string{`unknown command "mann" for "mesoscreen docs"`}, "man"},
		{[]string{"completion", "bsh"}, []string{`unknown command "bsh" for "mesoscreen completion"`, "Run 'mesoscreen completion --help'"}, "bash"},
		{[]string{"help", "nonsuch"}, []string{`unknown help topic "nonsuch" for "mesoscreen"`}, ""},
		{[]string{"help", "chek"}, []string{`unknown help topic "chek" for "mesoscreen"`}, "check"},
		{[]string{"help", "rules", "lnt"}, []string{`unknown help topic "lnt" for "mesoscreen rules"`}, "lint"},
		{[]string{"help", "exit-code"}, []string{`unknown help topic "exit-code"`}, "exit-codes"},
		// A command's wrong arguments point at that command's help.
		{[]string{"rules", "explain"}, []string{"mesoscreen rules explain: accepts 1 arg(s), received 0", "Usage: mesoscreen rules explain RULE-ID [flags]", "Run 'mesoscreen rules explain --help' for more."}, ""},
		{[]string{"check", "--jobs", "abc"}, []string{`mesoscreen: --jobs "abc": expected a whole number`, "Run 'mesoscreen check --help' for usage."}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out, "no help on stdout")
			rest := errOut
			for _, want := range tt.stderr {
				i := strings.Index(rest, want)
				if !assert.GreaterOrEqual(t, i, 0, "%q in order in %q", want, errOut) {
					return
				}
				rest = rest[i+len(want):]
			}
			if tt.suggest == "" {
				assert.NotContains(t, errOut, "Did you mean")
			} else {
				assert.Contains(t, errOut, "Did you mean this?\n")
				assert.Contains(t, errOut, "\t"+tt.suggest+"\n")
			}
		})
	}
}

// TestHelpTopics: "help environment" and "help exit-codes" are topics, as
// gh has them, and a group alone prints its help and succeeds.
func TestHelpTopics(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "environment"}, "MESOSCREEN_CONFIG_DIR"},
		{[]string{"help", "exit-codes"}, "130  The clinician cancelled an interview"},
		{[]string{"help", "rules", "lint"}, "mesoscreen rules lint [FILE] [flags]"},
		{[]string{"rules"}, "mesoscreen rules [command]"},
		{[]string{"completion"}, "mesoscreen completion [command]"},
		{[]string{}, "Additional help topics:"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, tt.want)
		})
	}
}
