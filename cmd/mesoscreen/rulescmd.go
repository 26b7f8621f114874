package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// NewCmdRules builds "mesoscreen rules" and its subcommands.
func NewCmdRules(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Show and check rule sets",
		Long:  helpText("rules"),
		Example: `  mesoscreen rules show
  mesoscreen rules lint --strict clinic/rules.yaml
  mesoscreen rules explain minor`,
	}
	cmd.AddCommand(newCmdRulesShow(f, nil), newCmdRulesLint(f, nil))
	cmd.AddCommand(newCmdRulesTest(f, nil), newCmdRulesInit(f, nil), newCmdRulesDiff(f, nil), newCmdRulesExplain(f, nil))
	return cmd
}

// RulesShowOptions are the inputs of "mesoscreen rules show".
type RulesShowOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Format  string
}

func newCmdRulesShow(f *Factory, runF func(*RulesShowOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesShowOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the questions, rules and instructions of the rule set in use",
		Long:  helpText("rules-show"),
		Example: `  mesoscreen rules show
  mesoscreen --rules clinic/rules.yaml rules show --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRulesShow(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runRulesShow(opts *RulesShowOptions) error {
	s, f := opts.Streams, opts.Factory
	rs, err := f.ruleSet()
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		return writeJSON(s, render.RuleSetJSON(rs, f.origin))
	}
	if err := render.RuleSet(s.Out, rs); err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.Out, "\nchosen by %s\n", render.Printable(f.origin))
	return err
}

// RulesLintOptions are the inputs of "mesoscreen rules lint".
type RulesLintOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	// File is the rule set to lint when FileGiven; without it, the one in
	// use (--rules, MESOSCREEN_RULES, the config file or the default). An
	// empty File given is the embedded default.
	File      string
	FileGiven bool
	Strict    bool
	Format    string
}

func newCmdRulesLint(f *Factory, runF func(*RulesLintOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesLintOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "lint [FILE]",
		Short: "Check a rule set and report every problem with its position",
		Long:  helpText("rules-lint"),
		Example: `  mesoscreen rules lint
  mesoscreen rules lint --strict clinic/rules.yaml
  mesoscreen rules lint --format json clinic/rules.yaml`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: yamlCompletion,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File, opts.FileGiven = args[0], true
			}
			if runF != nil {
				return runF(opts)
			}
			return runRulesLint(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail (exit 2) on warnings too")
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runRulesLint(opts *RulesLintOptions) error {
	s, f := opts.Streams, opts.Factory
	file := opts.File
	if !opts.FileGiven {
		choice, err := f.chooseRules()
		if err != nil {
			return err
		}
		file = choice.Path
	}
	var data []byte
	var translations []rules.TranslationFile
	name := rules.DefaultFile
	if file == "" {
		data, translations = rules.DefaultSource(), rules.DefaultTranslations()
	} else {
		var err error
		if data, err = rules.ReadFile(file, rules.RuleSetFile); err != nil {
			return readFailed(file, err)
		}
		name, translations = file, rules.ReadTranslations(file)
	}
	rs, problems := rules.Lint(name, data, translations...)
	loads := rs != nil && len(problems.Errors()) == 0
	if opts.Format == "json" {
		j := render.LintJSON{File: name, OK: loads && (!opts.Strict || len(problems) == 0), Problems: render.ProblemsJSON(problems)}
		if rs != nil {
			j.Name, j.Version = rs.Name, rs.Version
			j.Translations = render.TranslationsJSON(rs)
		}
		if err := writeJSON(s, j); err != nil {
			return err
		}
		if !j.OK {
			return &exitErr{code: exitError}
		}
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(s.Err, p)
	}
	if rs == nil {
		noun := "problems"
		if len(problems) == 1 {
			noun = "problem"
		}
		return &exitErr{code: exitError, err: fmt.Errorf("%s: the rule set does not load (%d %s)", name, len(problems), noun)}
	}
	// "ok" is a file with nothing to say about it: one with warnings
	// loads, and --strict is about to fail it.
	state := "ok"
	if len(problems) > 0 {
		state = "loads, with warnings"
	}
	fmt.Fprintf(s.Out, "%s: %s: %s version %s, %d questions, %d rules, %d instructions\n",
		name, state, rs.Name, rs.Version, len(rs.Questions), len(rs.Rules),
		len(rs.Instructions.PreTreatment)+len(rs.Instructions.Aftercare)+len(rs.Instructions.Course))
	for _, t := range rs.Translations() {
		state := "ok"
		if n := len(t.Problems.Errors()); n > 0 {
			state = fmt.Sprintf("does not load (%s above), so %s is not used", plural(n, "error", "errors"), t.Lang)
		} else if len(t.Problems) > 0 {
			state = "loads, with warnings"
		}
		fmt.Fprintf(s.Out, "%s: %s: %s\n", t.File, state, t.CoverageText())
	}
	if errs := problems.Errors(); len(errs) > 0 {
		return &exitErr{code: exitError, err: fmt.Errorf("%s: a translation does not load (%s)", name, plural(len(errs), "error", "errors"))}
	}
	if opts.Strict && len(problems) > 0 {
		noun := "warnings"
		if len(problems) == 1 {
			noun = "warning"
		}
		return &exitErr{code: exitError, err: fmt.Errorf("%s: %d %s, and --strict makes warnings fail", name, len(problems), noun)}
	}
	return nil
}
