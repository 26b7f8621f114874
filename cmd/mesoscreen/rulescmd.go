package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// NewCmdRules builds "mesoscreen rules" and its subcommands.
func NewCmdRules(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Show and check rule sets",
		Long: `Show the rule set in use, check a clinic's own for errors, run its tests,
compare it with the default, and explain one rule in full.`,
		Example: `  mesoscreen rules show
  mesoscreen rules lint --strict clinic/rules.yaml
  mesoscreen rules explain minor`,
	}
	cmd.AddCommand(newCmdRulesShow(s, g), newCmdRulesLint(s, g))
	cmd.AddCommand(newCmdRulesTest(s, g, nil), newCmdRulesInit(s, nil), newCmdRulesDiff(s, g, nil), newCmdRulesExplain(s, g))
	return cmd
}

func newCmdRulesShow(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the questions, rules and instructions of the rule set in use",
		Long: `Print the rule set in use (--rules, MESOSCREEN_RULES, the config file, else
the built-in default) and what chose it: its parameters, its questions with
the answers each accepts, its rules and its instructions.`,
		Example: `  mesoscreen rules show
  mesoscreen --rules clinic/rules.yaml rules show --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			rs, err := g.ruleSet()
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(s, render.RuleSetJSON(rs, g.origin))
			}
			if err := render.RuleSet(s.Out, rs); err != nil {
				return err
			}
			_, err = fmt.Fprintf(s.Out, "\nchosen by %s\n", render.Printable(g.origin))
			return err
		},
	}
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}

func newCmdRulesLint(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	var strict bool
	var format string
	cmd := &cobra.Command{
		Use:   "lint [FILE]",
		Short: "Check a rule set and report every problem with its position",
		Long: `Load a rule set, compile and type-check its conditions, and report every
problem as file:line:col. With no FILE, the rule set in use is checked:
--rules, MESOSCREEN_RULES, the config file, else the built-in default.

Errors stop a rule set from loading: duplicate ids, a follow-up that reads
itself or a later question, an unknown level, a condition that does not
compile. Warnings point at what is likely a mistake: a question no rule or
instruction reads, a parameter nobody uses, a rule without a source, a
comparison no allowed answer can make true (age > 150 when age runs to 120).

The translation files beside the rule set (i18n/es.yaml, i18n/fr.yaml) are
checked too, and each one's coverage is printed ("es: 96%, 3 texts
missing"). A text left untranslated is a warning; a translation whose
placeholders ({meds:...}, {answer:...}, {params....}) differ from the
original's is an error, which keeps that language from being used; a key
that names no id of the rule set is a warning.

The exit code is 0 when the rule set and its translations load and 2 when
one does not, or, with --strict, when there is any warning: a translation
below 100% fails. With --format json the problems go to stdout as one JSON
object, and the exit code is the same.`,
		Example: `  mesoscreen rules lint
  mesoscreen rules lint --strict clinic/rules.yaml
  mesoscreen rules lint --format json clinic/rules.yaml`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: yamlCompletion,
		RunE: func(_ *cobra.Command, args []string) error {
			var file string
			if len(args) == 1 {
				file = args[0]
			} else {
				choice, err := g.chooseRules()
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
			if format == "json" {
				j := render.LintJSON{File: name, OK: loads && !(strict && len(problems) > 0), Problems: render.ProblemsJSON(problems)}
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
			fmt.Fprintf(s.Out, "%s: ok: %s version %s, %d questions, %d rules, %d instructions\n",
				name, rs.Name, rs.Version, len(rs.Questions), len(rs.Rules),
				len(rs.Instructions.PreTreatment)+len(rs.Instructions.Aftercare)+len(rs.Instructions.Course))
			for _, t := range rs.Translations() {
				state := "ok"
				if n := len(t.Problems.Errors()); n > 0 {
					state = fmt.Sprintf("does not load (%s above), so %s is not used", countOf(n, "error", "errors"), t.Lang)
				}
				fmt.Fprintf(s.Out, "%s: %s: %s\n", t.File, state, t.CoverageText())
			}
			if errs := problems.Errors(); len(errs) > 0 {
				return &exitErr{code: exitError, err: fmt.Errorf("%s: a translation does not load (%s)", name, countOf(len(errs), "error", "errors"))}
			}
			if strict && len(problems) > 0 {
				noun := "warnings"
				if len(problems) == 1 {
					noun = "warning"
				}
				return &exitErr{code: exitError, err: fmt.Errorf("%s: %d %s, and --strict makes warnings fail", name, len(problems), noun)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "fail (exit 2) on warnings too")
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}

// countOf says a count with its noun: "1 error", "2 errors".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
