package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

func newCmdRulesExplain(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Print one rule in full: condition, level, message, rationale, sources and the questions it reads",
		Example: `  mesoscreen rules explain minor
  mesoscreen --rules clinic/rules.yaml rules explain blood-thinners --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: ruleIDCompletion(g),
		RunE: func(_ *cobra.Command, args []string) error {
			rs, err := g.ruleSet()
			if err != nil {
				return err
			}
			r, ok := rs.Rule(args[0])
			if !ok {
				ids := make([]string, len(rs.Rules))
				for i, x := range rs.Rules {
					ids[i] = x.ID
				}
				return failf("rule set %s has no rule %q; its rules are %s", rs.Name, args[0], strings.Join(ids, ", "))
			}
			if format == "json" {
				return writeJSON(s, render.RuleJSON(r))
			}
			return writeExplain(s.Out, rs, r)
		},
	}
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}

func writeExplain(w io.Writer, rs *rules.RuleSet, r *rules.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  [%s]\n", r.ID, r.Level)
	fmt.Fprintf(&b, "rule set:  %s version %s, %s:%d\n", rs.Name, rs.Version, rs.File, r.Pos().Line)
	fmt.Fprintf(&b, "\ncondition: %s\n", r.Condition)
	fmt.Fprintf(&b, "level:     %s\n", r.Level)
	fmt.Fprintf(&b, "message:   %s\n", r.Message)
	if ra := strings.TrimSpace(r.Rationale); ra != "" {
		fmt.Fprintf(&b, "rationale: %s\n", ra)
	}
	b.WriteString("\nsources:\n")
	if len(r.Source) == 0 {
		b.WriteString("  (none given)\n")
	}
	for _, id := range r.Source {
		if t := rs.SourceTitle(id); t != "" {
			fmt.Fprintf(&b, "  %s: %s\n", id, t)
		} else {
			fmt.Fprintf(&b, "  %s\n", id)
		}
	}
	b.WriteString("\nreads:\n")
	for _, id := range r.Cond().Reads() {
		if q, ok := rs.Question(id); ok {
			fmt.Fprintf(&b, "  %s (%s): %s\n", id, q.Expected(), q.Ask)
		} else if d, ok := rules.Derived(id); ok {
			fmt.Fprintf(&b, "  %s (derived): %s\n", id, d.Doc)
		}
	}
	var params []string
	for _, n := range rs.ParamNames() {
		if regexp.MustCompile(`\bparams\.` + n + `\b`).MatchString(r.Condition) {
			params = append(params, n)
		}
	}
	if len(params) > 0 {
		b.WriteString("\nparameters:\n")
		for _, n := range params {
			p, _ := rs.Param(n)
			fmt.Fprintf(&b, "  %s = %s: %s\n", n, p.Text(), strings.TrimSpace(p.Description))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
