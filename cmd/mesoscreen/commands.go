package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/rules"
)

// A command that only groups others (rules, meds, record, docs,
// completion, the root) takes no words of its own: a word after it names
// a subcommand, and one it does not have is a usage error (exit 2) with
// cobra's suggestions, never its help and exit 0, which would let a
// misspelt "rules lnt --strict" pass a CI gate.

// groupCommands makes every command with subcommands refuse an unknown
// one, and print its help when run alone.
func groupCommands(c *cobra.Command) {
	if c.HasSubCommands() {
		c.Args = subcommandArgs
		// cobra suggests within two edits only once this is set.
		c.SuggestionsMinimumDistance = 2
		if c.RunE == nil && c.Run == nil {
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	for _, sub := range c.Commands() {
		groupCommands(sub)
	}
}

// subcommandArgs refuses any word after a command group: it is not one
// of the group's subcommands, or cobra would have run that one.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return unknownCommand(cmd, "command", args[0])
}

// unknownCommand is the usage error of a word that names no subcommand
// (what is "command") or help topic ("help topic") of cmd, with the
// nearest names cmd has.
func unknownCommand(cmd *cobra.Command, what, name string) error {
	msg := fmt.Sprintf("unknown %s %q for %q", what, name, cmd.CommandPath())
	suggestions := cmd.SuggestionsFor(name)
	// cobra suggests only commands that run; a topic is text alone.
	for _, c := range cmd.Commands() {
		if c.IsAdditionalHelpTopicCommand() && (strings.HasPrefix(c.Name(), name) || rules.EditDistance(name, c.Name(), 3) <= 2) {
			suggestions = append(suggestions, c.Name())
		}
	}
	msg += didYouMean(suggestions)
	if !cmd.HasAvailableSubCommands() {
		msg += fmt.Sprintf("; %q has no subcommands", cmd.CommandPath())
	}
	return &usageErr{cmd: cmd.CommandPath(), err: errors.New(msg)}
}

// didYouMean is cobra's "Did you mean this?" block for suggestions, or
// "" for none.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	return "\n\nDid you mean this?\n\t" + strings.Join(suggestions, "\n\t") + "\n"
}

// newCmdHelp is "mesoscreen help [COMMAND...]" as cobra's, but an unknown
// command or topic is an error (exit 2) with suggestions, not the root's
// help and success.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND | TOPIC]",
		Short: "Help about any command, or a topic (environment, exit-codes)",
		Long: `Help prints the help of any command, or of a topic: "mesoscreen help check",
"mesoscreen help environment", "mesoscreen help exit-codes".`,
		Example: `  mesoscreen help rules lint
  mesoscreen help exit-codes`,
		ValidArgsFunction: func(c *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []string
			for _, sub := range cmd.Commands() {
				if (sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand()) && strings.HasPrefix(sub.Name(), prefix) {
					out = append(out, sub.Name()+"\t"+sub.Short)
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			cmd, rest, err := root.Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 {
				return unknownCommand(cmd, "help topic", rest[0])
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// newHelpTopic is a topic of "mesoscreen help": no command, only text,
// which cobra lists under "Additional help topics".
func newHelpTopic(name, short string) *cobra.Command {
	return &cobra.Command{
		Use:   name,
		Short: short,
		Long:  helpText(name),
	}
}
