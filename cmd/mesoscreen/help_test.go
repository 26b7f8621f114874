package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// allCommands lists every command of the tree, the root first.
func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		if sub.Name() == "help" || sub.Hidden || sub.IsAdditionalHelpTopicCommand() {
			continue
		}
		out = append(out, allCommands(sub)...)
	}
	return out
}

// TestHelpGolden keeps the --help of every command in a golden file, and
// holds every command to having an example.
func TestHelpGolden(t *testing.T) {
	s, _, _ := iostreams.Test("")
	root := NewRootCmd(s)
	cmds := allCommands(root)
	require.Greater(t, len(cmds), 20)
	for _, c := range cmds {
		path := strings.Fields(c.CommandPath())[1:]
		name := strings.Join(append([]string{"mesoscreen"}, path...), "-")
		t.Run(name, func(t *testing.T) {
			assert.NotEmpty(t, c.Example, "%s has no example", c.CommandPath())
			code, out, errOut := run(t, "", append(path, "--help")...)
			assert.Equal(t, exitOK, code)
			assert.Empty(t, errOut)
			assert.Contains(t, out, "Examples:")
			golden(t, out, "help", name+".golden")
		})
	}
}

// TestCompletion asks cobra's __complete for flag values and arguments,
// as a shell does: words where words are meant, never file names there.
func TestCompletion(t *testing.T) {
	tests := []struct {
		args      []string
		want      []string // among the completions
		directive string
	}{
		{[]string{"check", "--format", ""}, []string{"table", "text", "csv", "json", "jsonl"}, ":4"},
		{[]string{"check", "--input", ""}, []string{"csv", "json", "jsonl", "fhir"}, ":4"},
		{[]string{"check", "-o", "x", "--format", "c"}, []string{"csv"}, ":4"},
		{[]string{"interview", "--format", ""}, []string{"text", "json"}, ":4"},
		{[]string{"interview", "--from", ""}, []string{"json"}, ":8"}, // files ending .json
		{[]string{"interview", "--lang", ""}, []string{"en", "es", "fr"}, ":4"},
		{[]string{"meds", "list", "--class", "anti"}, []string{"anticoagulant\tanticoagulant", "antiplatelet\tantiplatelet"}, ":4"},
		{[]string{"rules", "explain", "mi"}, []string{"minor\tnot_eligible"}, ":4"},
		{[]string{"rules", "show", "--format", ""}, []string{"text", "json"}, ":4"},
		{[]string{"version", "--format", ""}, []string{"text", "json"}, ":4"},
		{[]string{"rules", "lint", ""}, []string{"yaml", "yml"}, ":8"},  // files ending .yaml or .yml
		{[]string{"check", "--map", ""}, []string{"yaml", "yml"}, ":8"}, // the same
		{[]string{"docs", "man", ""}, nil, ":16"},                       // folders only
		{[]string{"template", ""}, []string{"csv", "fhir", "mapping"}, ":4"},
		// Every closed set, rule ids and reasons from the rule set.
		{[]string{"clear", "r.json", "--finding", "blood"}, []string{"blood-thinners\tneeds_review"}, ":4"},
		{[]string{"clear", "r.json", "--reason", "pre"}, []string{"prescriber-approved-pause\tThe prescriber approved pausing the blood thinner for treatment, and said for how long."}, ":4"},
		{[]string{"clear", "r.json", "--finding", "allergies", "--reason", ""}, []string{"allergy-assessed\tA clinician reviewed the reaction and the planned ingredients and judged treatment safe."}, ":4"},
		{[]string{"handout", "--for", ""}, []string{"patient", "prescriber"}, ":4"},
		{[]string{"handout", "--format", ""}, []string{"pdf", "html"}, ":4"},
		{[]string{"check", "--encoding", ""}, []string{"utf-8", "latin-1", "auto"}, ":4"},
		{[]string{"record", "show", "--format", ""}, []string{"text", "json"}, ":4"},
		{[]string{"record", "verify", "--format", ""}, []string{"text", "json"}, ":4"},
		{[]string{"--color", ""}, []string{"auto", "always", "never"}, ":4"},
		{[]string{"config", "get", ""}, []string{"rules", "lang", "clinic.name", "clinic.phone"}, ":4"},
		{[]string{"help", "exit"}, []string{"exit-codes\tWhat each exit code of mesoscreen means"}, ":4"},
		// Files of the kind the flag or argument takes.
		{[]string{"record", "show", ""}, []string{"json"}, ":8"},
		{[]string{"record", "verify", ""}, []string{"json"}, ":8"},
		{[]string{"clear", ""}, []string{"json"}, ":8"},
		{[]string{"handout", ""}, []string{"json"}, ":8"},
		{[]string{"interview", "--save", ""}, []string{"json"}, ":8"},
		{[]string{"interview", "--recheck", ""}, []string{"json"}, ":8"},
		{[]string{"interview", "--handout", ""}, []string{"pdf", "html"}, ":8"},
		{[]string{"handout", "r.json", "-o", ""}, []string{"pdf", "html"}, ":8"},
		{[]string{"check", "--report", ""}, []string{"html"}, ":8"},
		{[]string{"--rules", ""}, []string{"yaml", "yml"}, ":8"},
		{[]string{"check", "--meds", ""}, []string{"yaml", "yml"}, ":8"},
		{[]string{"key", "trust", ""}, []string{"pub", "pem"}, ":8"},
		{[]string{"record", "adopt", ""}, []string{"json"}, ":8"},
		{[]string{"rules", "test", ""}, []string{"yaml", "yml"}, ":8"},
		// A command that takes no argument offers none.
		{[]string{"version", ""}, nil, ":4"},
		{[]string{"interview", ""}, nil, ":4"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, _ := run(t, "", append([]string{"__complete"}, tt.args...)...)
			require.Equal(t, exitOK, code)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			require.NotEmpty(t, lines)
			assert.Equal(t, tt.directive, lines[len(lines)-1], out)
			for _, w := range tt.want {
				assert.Contains(t, lines[:len(lines)-1], w)
			}
		})
	}
}

// TestCompletionFreeText: a flag that takes a name, a date, a number or
// any text offers nothing, never file names, and every flag that takes a
// value has a completion of its own.
func TestCompletionFreeText(t *testing.T) {
	for _, args := range [][]string{
		{"clear", "r.json", "--by", ""},
		{"clear", "r.json", "--note", ""},
		{"interview", "--clinician", ""},
		{"interview", "--patient-id", ""},
		{"handout", "r.json", "--at", ""},
		{"handout", "r.json", "--start", ""},
		{"handout", "r.json", "--every", ""},
		{"handout", "r.json", "--sessions", ""},
		{"check", "--at", ""},
		{"check", "--jobs", ""},
		{"check", "--ignore", ""},
		{"record", "show", "r.json", "--at", ""},
		{"rules", "test", "--run", ""},
		{"rules", "test", "--fail-under", ""},
		{"meds", "lookup", ""},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, _ := run(t, "", append([]string{"__complete"}, args...)...)
			require.Equal(t, exitOK, code)
			assert.Equal(t, ":4\n", out, "nothing, and no files")
		})
	}

	s, _, _ := iostreams.Test("")
	for _, c := range allCommands(NewRootCmd(s)) {
		for _, fs := range []*pflag.FlagSet{c.LocalFlags(), c.InheritedFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				if f.Value.Type() == "bool" {
					return
				}
				_, ok := c.GetFlagCompletionFunc(f.Name)
				assert.True(t, ok, "%s --%s has no completion: the shell would offer file names", c.CommandPath(), f.Name)
			})
		}
	}
}

// TestDocs writes the man pages and the Markdown reference: one page per
// command.
func TestDocs(t *testing.T) {
	for _, kind := range []string{"man", "markdown"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			code, _, errOut := run(t, "", "docs", kind, dir)
			require.Equal(t, exitOK, code, errOut)
			ext := map[string]string{"man": "1", "markdown": "md"}[kind]
			files, err := filepath.Glob(filepath.Join(dir, "*."+ext))
			require.NoError(t, err)
			s, _, _ := iostreams.Test("")
			assert.Len(t, files, len(allCommands(NewRootCmd(s))))
			page := map[string]string{"man": "mesoscreen-check.1", "markdown": "mesoscreen_check.md"}[kind]
			assert.FileExists(t, filepath.Join(dir, page))
		})
	}
}

// TestJSONFormats: every command that prints data prints one JSON
// document with --format json, with the key other programs read.
func TestJSONFormats(t *testing.T) {
	weakened := filepath.Join("..", "..", "testdata", "protocol", "small-weakened.yaml")
	small := filepath.Join("..", "..", "testdata", "protocol", "small.yaml")
	tests := []struct {
		args []string
		code int
		key  string
	}{
		{[]string{"version", "-f", "json"}, exitOK, "rule_set"},
		{[]string{"rules", "show", "-f", "json"}, exitOK, "questions"},
		{[]string{"rules", "lint", "-f", "json"}, exitOK, "problems"},
		{[]string{"rules", "test", "-f", "json"}, exitOK, "cases"},
		{[]string{"rules", "diff", "-f", "json", small, weakened}, exitFindings, "changes"},
		{[]string{"rules", "explain", "-f", "json", "minor"}, exitOK, "condition"},
		{[]string{"meds", "lint", "-f", "json"}, exitOK, "rule_set_warnings"},
		{[]string{"meds", "list", "-f", "json"}, exitOK, "classes"},
		{[]string{"meds", "lookup", "-f", "json", "warfarin"}, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			var v any
			require.NoError(t, json.Unmarshal([]byte(out), &v), out)
			if tt.key != "" {
				m, ok := v.(map[string]any)
				require.True(t, ok, out)
				assert.Contains(t, m, tt.key)
			}
			assert.NotContains(t, out, `\u003c`, "conditions keep < as written")
		})
	}
}
