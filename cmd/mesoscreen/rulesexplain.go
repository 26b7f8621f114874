package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
)

func newCmdRulesExplain(f *Factory) *cobra.Command {
	s := f.IO
	var format string
	cmd := &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Print one rule in full: condition, level, message, rationale, sources and the questions it reads",
		Example: `  mesoscreen rules explain minor
  mesoscreen --rules clinic/rules.yaml rules explain blood-thinners --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: ruleIDCompletion(f),
		RunE: func(_ *cobra.Command, args []string) error {
			rs, err := f.ruleSet()
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
			return render.Explain(s.Out, rs, r)
		},
	}
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}
