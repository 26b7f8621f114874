package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
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
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			rs, err := g.ruleSet()
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(s, ruleSetToJSON(rs, g.origin))
			}
			if err := writeRuleSet(s.Out, rs); err != nil {
				return err
			}
			_, err = fmt.Fprintf(s.Out, "\nchosen by %s\n", g.origin)
			return err
		},
	}
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}

func writeRuleSet(w io.Writer, rs *rules.RuleSet) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, version %s\n", rs.Name, rs.Version)
	if rs.Title != "" {
		fmt.Fprintf(&b, "%s\n", rs.Title)
	}
	fmt.Fprintf(&b, "file:   %s\nsha256: %s\n", rs.File, rs.SHA256)
	fmt.Fprintf(&b, "languages: %s\n", strings.Join(rs.Languages(), ", "))

	if names := rs.ParamNames(); len(names) > 0 {
		fmt.Fprintf(&b, "\nPARAMETERS (%d)\n", len(names))
		for _, n := range names {
			p, _ := rs.Param(n)
			fmt.Fprintf(&b, "  %-32s %-4s %s\n", "params."+n, p.Text(), strings.TrimSpace(p.Description))
		}
	}
	fmt.Fprintf(&b, "\nQUESTIONS (%d)\n", len(rs.Questions))
	section := "\x00"
	for _, q := range rs.Questions {
		if q.Section != section {
			section = q.Section
			title := section
			if sec, ok := rs.Section(section); ok {
				title = sec.Title
			}
			if title != "" {
				fmt.Fprintf(&b, "\n  %s\n", title)
			}
		}
		req := "optional"
		if q.Required {
			req = "required"
		}
		fmt.Fprintf(&b, "  %-20s %s, %s\n", q.ID, q.Expected(), req)
		fmt.Fprintf(&b, "  %-20s %s\n", "", q.Ask)
		if q.When != "" {
			fmt.Fprintf(&b, "  %-20s asked when: %s\n", "", q.When)
		}
		if l := recheckNote(q); l != "" {
			fmt.Fprintf(&b, "  %-20s %s\n", "", l)
		}
	}

	fmt.Fprintf(&b, "\nRULES (%d)\n", len(rs.Rules))
	for _, r := range rs.Rules {
		fmt.Fprintf(&b, "\n  %s  [%s]\n", r.ID, r.Level)
		fmt.Fprintf(&b, "    when:    %s\n", r.Condition)
		fmt.Fprintf(&b, "    says:    %s\n", r.Message)
		if src := r.SourceText(); src != "" {
			fmt.Fprintf(&b, "    source:  %s\n", src)
		} else {
			b.WriteString("    source:  (none given)\n")
		}
	}

	writeClearance(&b, rs)

	in := rs.Instructions
	levels := make([]string, len(in.ShowFor))
	for i, l := range in.ShowFor {
		levels[i] = string(l)
	}
	fmt.Fprintf(&b, "\nINSTRUCTIONS (given with %s)\n", strings.Join(levels, ", "))
	for _, part := range []struct {
		title string
		list  []*rules.Instruction
	}{{"Before treatment", in.PreTreatment}, {"Aftercare", in.Aftercare}, {"Course of treatment", in.Course}} {
		fmt.Fprintf(&b, "\n  %s\n", part.title)
		for _, x := range part.list {
			fmt.Fprintf(&b, "  - %s [%s]\n", x.Text, x.SourceText())
			if x.When != "" {
				fmt.Fprintf(&b, "    when: %s\n", x.When)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
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
				j := lintJSON{File: name, OK: loads && (!strict || len(problems) == 0), Problems: problemsJSON(problems)}
				if rs != nil {
					j.Name, j.Version = rs.Name, rs.Version
					j.Translations = translationsJSON(rs)
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
