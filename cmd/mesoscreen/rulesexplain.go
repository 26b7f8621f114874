package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// RulesExplainOptions are the inputs of "mesoscreen rules explain".
type RulesExplainOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	RuleID  string
	Format  string
}

func newCmdRulesExplain(f *Factory, runF func(*RulesExplainOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesExplainOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Print one rule in full: condition, level, message, why, sources, questions read",
		Example: `  mesoscreen rules explain minor
  mesoscreen --rules clinic/rules.yaml rules explain blood-thinners -f json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: ruleIDCompletion(f),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.RuleID = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRulesExplain(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runRulesExplain(opts *RulesExplainOptions) error {
	s := opts.Streams
	rs, err := opts.Factory.ruleSet()
	if err != nil {
		return err
	}
	r, ok := rs.Rule(opts.RuleID)
	if !ok {
		return failf("rule set %s has no rule %q%s", rs.Name, opts.RuleID, ruleHint(rs, opts.RuleID))
	}
	if opts.Format == "json" {
		return writeJSON(s, render.RuleJSON(r))
	}
	return render.Explain(s.Out, rs, r)
}

// ruleHint says which rule id was meant by a misspelt one, or where the
// rule set's ids are listed: " (did you mean "blood-thinners"?)".
func ruleHint(rs *rules.RuleSet, id string) string {
	ids := make([]string, len(rs.Rules))
	for i, r := range rs.Rules {
		ids[i] = r.ID
	}
	if best := rules.Closest(id, ids); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Sprintf("; \"mesoscreen rules show\" lists its %d rules", len(ids))
}
