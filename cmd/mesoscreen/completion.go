package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Completions of flag values and arguments: words the command accepts,
// taken from the rule set and lexicon in use where they come from there,
// so that a shell never offers file names where a file makes no sense.

// completeFlag registers the completion of a flag the command already has.
// cobra refuses a flag it does not know yet, and a refusal is a mistake in
// this program, not in its input: it panics as the command tree is built,
// which every test of the command does.
func completeFlag(cmd *cobra.Command, name string, f cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(name, f); err != nil {
		panic(fmt.Sprintf("mesoscreen %s: completing --%s: %v", cmd.Name(), name, err))
	}
}

func yamlCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

func jsonCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"json"}, cobra.ShellCompDirectiveFilterFileExt
}

// ruleIDCompletion offers the rule ids of the rule set in use, each with
// its level, as "rules explain" takes one.
func ruleIDCompletion(g *Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		rs, err := g.ruleSet()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []string
		for _, r := range rs.Rules {
			if strings.HasPrefix(r.ID, prefix) {
				out = append(out, r.ID+"\t"+string(r.Level))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// classCompletion offers the classes of the lexicon in use.
func classCompletion(g *Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		lx, err := g.lexicon()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []string
		for _, c := range lx.Classes {
			if strings.HasPrefix(c.ID, prefix) {
				out = append(out, c.ID+"\t"+c.Label)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// noCompletion offers nothing: the flag takes a name or text the shell
// cannot know, and file names would be wrong.
func noCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// extCompletion offers the files whose names end in one of exts (no dot),
// and folders.
func extCompletion(exts ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

// clearableCompletion offers the ids of the rules whose findings a
// clinician may clear (needs_review, not clearable: false), each with its
// message, as "clear --finding" takes one.
func clearableCompletion(g *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		rs, err := g.ruleSet()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []string
		for _, r := range rs.Rules {
			if ok, _ := r.CanClear(); ok && strings.HasPrefix(r.ID, prefix) {
				out = append(out, r.ID+"\t"+string(r.Level))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// reasonCompletion offers the rule set's clearance reasons; those that may
// clear the finding --finding names, when it names one.
func reasonCompletion(g *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		rs, err := g.ruleSet()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		finding, _ := cmd.Flags().GetString("finding")
		var out []string
		for _, c := range rs.ClearanceReasons {
			if (finding == "" || c.Allows(finding)) && strings.HasPrefix(c.ID, prefix) {
				out = append(out, c.ID+"\t"+c.Text)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeArgsNowhere makes every command that says nothing of how its
// arguments complete offer nothing: cobra's default is file names, wrong
// for "version" or "interview", which take none.
func completeArgsNowhere(c *cobra.Command) {
	if c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 {
		c.ValidArgsFunction = noCompletion
	}
	for _, sub := range c.Commands() {
		completeArgsNowhere(sub)
	}
}

// completeFlags registers the completion of each named flag of cmd.
func completeFlags(cmd *cobra.Command, f cobra.CompletionFunc, names ...string) {
	for _, n := range names {
		completeFlag(cmd, n, f)
	}
}
