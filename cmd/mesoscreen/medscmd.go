package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
)

// MedsOptions are the inputs of "mesoscreen meds lookup" and "meds list".
type MedsOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Text    string
	Format  string
	Class   string
}

var medsFormats = []string{"text", "json"}

// NewCmdMeds builds "mesoscreen meds" and its subcommands, whose runF
// (nil here) replaces their run function in tests of flag parsing.
func NewCmdMeds(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "meds",
		Short: "Look up medicines in the medication lexicon",
		Long:  helpText("meds"),
		Example: `  mesoscreen meds lookup "Eliquis 5mg bid, warfrin, no aspirin"
  mesoscreen meds list --class anticoagulant
  mesoscreen meds lint clinic/lexicon.yaml`,
	}
	cmd.AddCommand(NewCmdMedsLookup(f, nil), NewCmdMedsList(f, nil), newCmdMedsLint(f, nil))
	return cmd
}

// NewCmdMedsLookup builds "mesoscreen meds lookup".
func NewCmdMedsLookup(f *Factory, runF func(*MedsOptions) error) *cobra.Command {
	s := f.IO
	opts := &MedsOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "lookup TEXT...",
		Short: "Show what the lexicon recognises in a medication list",
		Long:  helpText("meds-lookup"),
		Example: `  mesoscreen meds lookup "Eliquis 5mg bid, warfrin, no aspirin"
  mesoscreen meds lookup --format json "fish oil and vitamin E"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Text = strings.Join(args, "\n")
			if runF != nil {
				return runF(opts)
			}
			return runMedsLookup(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", medsFormats...)
	return cmd
}

func runMedsLookup(opts *MedsOptions) error {
	lx, err := opts.Factory.lexicon()
	if err != nil {
		return err
	}
	return render.Lookup(opts.Streams.Out, lx, lx.Find(opts.Text), opts.Format == "json")
}

// NewCmdMedsList builds "mesoscreen meds list".
func NewCmdMedsList(f *Factory, runF func(*MedsOptions) error) *cobra.Command {
	s := f.IO
	opts := &MedsOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print the medication lexicon",
		Long:  helpText("meds-list"),
		Example: `  mesoscreen meds list
  mesoscreen meds list --class anticoagulant --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runMedsList(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", medsFormats...)
	cmd.Flags().StringVar(&opts.Class, "class", "", "show only the medicines of class `ID`")
	completeFlag(cmd, "class", classCompletion(f))
	return cmd
}

func runMedsList(opts *MedsOptions) error {
	lx, err := opts.Factory.lexicon()
	if err != nil {
		return err
	}
	classes := lx.Classes
	if opts.Class != "" {
		c, ok := lx.Class(opts.Class)
		if !ok {
			return failf("--class %q is not a class of the lexicon; it has %s", opts.Class, strings.Join(lx.ClassIDs(), ", "))
		}
		classes = []meds.Class{c}
	}
	if opts.Format == "json" {
		out := map[string]any{"name": lx.Name, "version": lx.Version, "sha256": lx.SHA256, "classes": classes}
		var entries []*meds.Entry
		for _, e := range lx.Entries {
			if opts.Class == "" || slices.Contains(e.Classes, opts.Class) {
				entries = append(entries, e)
			}
		}
		out["entries"] = entries
		enc := json.NewEncoder(opts.Streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return render.Lexicon(opts.Streams.Out, lx, classes)
}

// MedsLintOptions are the inputs of "mesoscreen meds lint".
type MedsLintOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	// File is the lexicon to lint: the argument, else --meds; "" for the
	// embedded default.
	File   string
	Format string
}

func newCmdMedsLint(f *Factory, runF func(*MedsLintOptions) error) *cobra.Command {
	s := f.IO
	opts := &MedsLintOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "lint [FILE]",
		Short: "Check a medication lexicon, and the rule set against it",
		Long:  helpText("meds-lint"),
		Example: `  mesoscreen meds lint
  mesoscreen --rules clinic/rules.yaml meds lint -f json clinic/lexicon.yaml`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: yamlCompletion,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.File = f.medsFile
			if len(args) == 1 {
				opts.File = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runMedsLint(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runMedsLint(opts *MedsLintOptions) error {
	s, f, file := opts.Streams, opts.Factory, opts.File
	data, name := meds.DefaultSource(), meds.DefaultFile
	if file != "" {
		var err error
		if data, err = rules.ReadFile(file, rules.LexiconFile); err != nil {
			return readFailed(file, err)
		}
		name = file
	}
	lx, problems := meds.Lint(name, data)
	if opts.Format == "json" {
		return medsLintJSON(s, f, name, lx, problems)
	}
	for _, p := range problems {
		fmt.Fprintln(s.Err, p)
	}
	if lx == nil {
		return &exitErr{code: exitError, err: fmt.Errorf("%s: the lexicon does not load (%d problems)", name, len(problems))}
	}
	rs, err := f.ruleSet()
	if err != nil {
		return err
	}
	for _, w := range meds.CheckRuleSet(rs, lx) {
		fmt.Fprintf(s.Err, "%s: warning: %s\n", rs.File, w)
	}
	fmt.Fprintf(s.Out, "%s: ok: %s version %s, %d classes, %d entries\n", name, lx.Name, lx.Version, len(lx.Classes), len(lx.Entries))
	return nil
}

// medsLintJSON writes a lexicon lint, and the check of the rule set
// against it, as one JSON object.
func medsLintJSON(s *iostreams.Streams, g *Factory, name string, lx *meds.Lexicon, problems rules.Problems) error {
	j := struct {
		render.LintJSON
		RuleSetWarnings []string `json:"rule_set_warnings"`
	}{LintJSON: render.LintJSON{File: name, OK: lx != nil, Problems: render.ProblemsJSON(problems)}, RuleSetWarnings: []string{}}
	if lx != nil {
		j.Name, j.Version = lx.Name, lx.Version
		rs, err := g.ruleSet()
		if err != nil {
			return err
		}
		j.RuleSetWarnings = append(j.RuleSetWarnings, meds.CheckRuleSet(rs, lx)...)
	}
	if err := writeJSON(s, j); err != nil {
		return err
	}
	if !j.OK {
		return &exitErr{code: exitError}
	}
	return nil
}
