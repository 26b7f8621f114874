package main

import (
	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// RulesDiffOptions are the inputs of "mesoscreen rules diff".
type RulesDiffOptions struct {
	Streams *iostreams.Streams
	// Old is "" for the built-in default.
	Old, New string
	Format   string
}

func newCmdRulesDiff(f *Factory, runF func(*RulesDiffOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesDiffOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "diff [OLD] NEW",
		Short: "Show what one rule set changes from another",
		Long:  helpText("rules-diff"),
		Example: `  mesoscreen rules diff clinic/rules.yaml
  mesoscreen rules diff protocols/v3.yaml protocols/v4.yaml
  mesoscreen rules diff --format json clinic/rules.yaml`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: yamlCompletion,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.Old, opts.New = args[0], args[1]
			} else {
				opts.New = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return runRulesDiff(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runRulesDiff(opts *RulesDiffOptions) error {
	load := func(path string) (*rules.RuleSet, error) {
		if path == "" {
			rs, err := rules.Default()
			if err != nil {
				return nil, failf("the embedded rule set does not load:\n%w", err)
			}
			return rs, nil
		}
		rs, err := rules.Load(path)
		if err != nil {
			return nil, failf("cannot use rule set %s:\n%w", path, err)
		}
		return rs, nil
	}
	a, err := load(opts.Old)
	if err != nil {
		return err
	}
	b, err := load(opts.New)
	if err != nil {
		return err
	}
	changes := rules.Diff(a, b)
	if opts.Format == "json" {
		if err := writeJSON(opts.Streams, render.DiffJSON(a, b, changes)); err != nil {
			return err
		}
	} else if err := render.Diff(opts.Streams.Out, a, b, changes); err != nil {
		return failf("writing the diff: %w", err)
	}
	if len(changes) > 0 {
		return &exitErr{code: exitFindings}
	}
	return nil
}
