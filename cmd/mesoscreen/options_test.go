package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// parsedBy builds a command whose runF keeps the options it is given in
// *got, so that one table can parse the arguments of commands whose
// options are of different types.
func parsedBy[O any](build func(*Factory, func(*O) error) *cobra.Command) func(*Factory, *any) *cobra.Command {
	return func(f *Factory, got *any) *cobra.Command {
		return build(f, func(o *O) error { *got = o; return nil })
	}
}

// Each command parses its arguments and flags into its options, and
// refuses wrong ones before its run function is called.
func TestCommandOptions(t *testing.T) {
	type row struct {
		args     []string // the command's name, then its arguments
		medsFile string   // the global --meds
		// want is the options runF must be given, over the factory and
		// the command that parsed them.
		want func(f *Factory, cmd *cobra.Command) any
		err  string
	}
	tests := []struct {
		parent string // the command's parent, for the name of the test
		build  func(*Factory, *any) *cobra.Command
		rows   []row
	}{
		{parent: "rules", build: parsedBy(newCmdRulesShow), rows: []row{
			{args: []string{"show"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesShowOptions{Streams: f.IO, Factory: f, Format: "text"}
			}},
			{args: []string{"show", "-f", "json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesShowOptions{Streams: f.IO, Factory: f, Format: "json"}
			}},
			{args: []string{"show", "--format", "yaml"}, err: `--format "yaml" is not one of text, json`},
			{args: []string{"show", "rules.yaml"}, err: `unknown command "rules.yaml" for "show"`},
		}},
		{parent: "rules", build: parsedBy(newCmdRulesLint), rows: []row{
			{args: []string{"lint"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesLintOptions{Streams: f.IO, Factory: f, Format: "text"}
			}},
			{args: []string{"lint", "--strict", "-f", "json", "clinic/rules.yaml"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesLintOptions{Streams: f.IO, Factory: f, File: "clinic/rules.yaml", FileGiven: true, Strict: true, Format: "json"}
			}},
			// An empty FILE is the embedded default, not the rule set in use.
			{args: []string{"lint", ""}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesLintOptions{Streams: f.IO, Factory: f, FileGiven: true, Format: "text"}
			}},
			{args: []string{"lint", "a.yaml", "b.yaml"}, err: "accepts at most 1 arg(s), received 2"},
			{args: []string{"lint", "-f", "sarif"}, err: `--format "sarif" is not one of text, json`},
		}},
		{parent: "rules", build: parsedBy(newCmdRulesExplain), rows: []row{
			{args: []string{"explain", "minor"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesExplainOptions{Streams: f.IO, Factory: f, RuleID: "minor", Format: "text"}
			}},
			{args: []string{"explain", "blood-thinners", "--format", "json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RulesExplainOptions{Streams: f.IO, Factory: f, RuleID: "blood-thinners", Format: "json"}
			}},
			{args: []string{"explain"}, err: "accepts 1 arg(s), received 0"},
			{args: []string{"explain", "minor", "-f", "html"}, err: `--format "html" is not one of text, json`},
		}},
		{parent: "meds", build: parsedBy(newCmdMedsLint), rows: []row{
			{args: []string{"lint"}, want: func(f *Factory, _ *cobra.Command) any {
				return &MedsLintOptions{Streams: f.IO, Factory: f, Format: "text"}
			}},
			{args: []string{"lint"}, medsFile: "clinic/lexicon.yaml", want: func(f *Factory, _ *cobra.Command) any {
				return &MedsLintOptions{Streams: f.IO, Factory: f, File: "clinic/lexicon.yaml", Format: "text"}
			}},
			{args: []string{"lint", "-f", "json", "other.yaml"}, medsFile: "clinic/lexicon.yaml", want: func(f *Factory, _ *cobra.Command) any {
				return &MedsLintOptions{Streams: f.IO, Factory: f, File: "other.yaml", Format: "json"}
			}},
			{args: []string{"lint", "a.yaml", "b.yaml"}, err: "accepts at most 1 arg(s), received 2"},
			{args: []string{"lint", "-f", "yaml"}, err: `--format "yaml" is not one of text, json`},
		}},
		{parent: "record", build: parsedBy(newCmdRecordVerify), rows: []row{
			{args: []string{"verify", "MS-1001.json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RecordVerifyOptions{Streams: f.IO, Factory: f, Records: []string{"MS-1001.json"}, Format: "text"}
			}},
			{args: []string{"verify", "a.json", "b.json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RecordVerifyOptions{Streams: f.IO, Factory: f, Records: []string{"a.json", "b.json"}, Format: "text"}
			}},
			{args: []string{"verify"}, err: "requires at least 1 arg(s), only received 0"},
		}},
		{parent: "record", build: parsedBy(newCmdRecordShow), rows: []row{
			{args: []string{"show", "MS-1001.json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RecordShowOptions{Streams: f.IO, Factory: f, Record: "MS-1001.json", Format: "text"}
			}},
			{args: []string{"show", "-f", "json", "--at", "2026-03-04", "MS-1001.json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &RecordShowOptions{Streams: f.IO, Factory: f, Record: "MS-1001.json", Format: "json", At: "2026-03-04"}
			}},
			{args: []string{"show", "--format", "xml", "MS-1001.json"}, err: `--format "xml" is not one of text, json`},
			{args: []string{"show"}, err: "accepts 1 arg(s), received 0"},
		}},
		{parent: "", build: parsedBy(NewCmdVersion), rows: []row{
			{args: []string{"version"}, want: func(f *Factory, _ *cobra.Command) any {
				return &VersionOptions{Streams: f.IO, Format: "text"}
			}},
			{args: []string{"version", "-f", "json"}, want: func(f *Factory, _ *cobra.Command) any {
				return &VersionOptions{Streams: f.IO, Format: "json"}
			}},
			{args: []string{"version", "-f", "yaml"}, err: `--format "yaml" is not one of text, json`},
			{args: []string{"version", "1.0"}, err: `unknown command "1.0" for "version"`},
		}},
		{parent: "docs", build: parsedBy(newCmdDocsMan), rows: []row{
			// Standing alone, the command is the root of its own tree.
			{args: []string{"man", "./man"}, want: func(f *Factory, cmd *cobra.Command) any {
				return &DocsOptions{Streams: f.IO, Kind: "man", Dir: "./man", Root: cmd}
			}},
			{args: []string{"man"}, err: "accepts 1 arg(s), received 0"},
		}},
		{parent: "docs", build: parsedBy(newCmdDocsMarkdown), rows: []row{
			{args: []string{"markdown", "docs/cli"}, want: func(f *Factory, cmd *cobra.Command) any {
				return &DocsOptions{Streams: f.IO, Kind: "markdown", Dir: "docs/cli", Root: cmd}
			}},
			{args: []string{"markdown", "a", "b"}, err: "accepts 1 arg(s), received 2"},
		}},
	}
	for _, tc := range tests {
		for _, tt := range tc.rows {
			t.Run(strings.TrimSpace(tc.parent+" "+strings.Join(tt.args, " ")), func(t *testing.T) {
				s, _, _ := iostreams.Test("")
				f := &Factory{IO: s, medsFile: tt.medsFile}
				var got any
				cmd := tc.build(f, &got)
				cmd.SetArgs(tt.args[1:])
				cmd.SetOut(s.Out)
				cmd.SetErr(s.Err)
				cmd.SilenceErrors, cmd.SilenceUsage = true, true
				cmd.SetFlagErrorFunc(flagError) // as the root sets it for every command
				err := cmd.Execute()
				if tt.err != "" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), tt.err)
					assert.Nil(t, got, "runF is not called")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tt.want(f, cmd), got)
			})
		}
	}
}
