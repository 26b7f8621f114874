package main

import (
	"embed"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// The long help of each command is a text file of its own, so that the
// words are read and edited as prose rather than as Go string literals.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText is the long help in help/name.txt. A missing file is a mistake
// in this program: every test of the command tree builds every command.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("mesoscreen: no help text " + name + ": " + err.Error())
	}
	return strings.TrimSuffix(string(b), "\n")
}

// helpWidth is the width help is wrapped to: the terminal's, or 80
// columns when stdout is not a terminal (a pager, a file, a man page).
func helpWidth(s *iostreams.Streams) int {
	if s.OutTTY && s.OutWidth > 0 {
		return max(s.OutWidth, 40)
	}
	return 80
}

// usageFunc is cobra's usage text, with every line wrapped to width:
// flags with their descriptions under them, commands and topics with a
// hanging indent. Cobra's own runs to the longest flag's description, 150
// columns and more.
func usageFunc(width int) func(*cobra.Command) error {
	return func(c *cobra.Command) error {
		w := c.OutOrStderr()
		var b strings.Builder
		b.WriteString("Usage:")
		if c.Runnable() {
			fmt.Fprintf(&b, "\n  %s", c.UseLine())
		}
		if c.HasAvailableSubCommands() {
			fmt.Fprintf(&b, "\n  %s [command]", c.CommandPath())
		}
		if c.HasExample() {
			fmt.Fprintf(&b, "\n\nExamples:\n%s", c.Example)
		}
		list := func(title string, cmds []*cobra.Command, name func(*cobra.Command) string) {
			if len(cmds) == 0 {
				return
			}
			pad := 0
			for _, sub := range cmds {
				pad = max(pad, len(name(sub)))
			}
			fmt.Fprintf(&b, "\n\n%s:", title)
			for _, sub := range cmds {
				fmt.Fprintf(&b, "\n%s", hang(fmt.Sprintf("  %-*s  %s", pad, name(sub), sub.Short), pad+4, width))
			}
		}
		var cmds, topics []*cobra.Command
		for _, sub := range c.Commands() {
			switch {
			case sub.IsAvailableCommand() || sub.Name() == "help":
				cmds = append(cmds, sub)
			case sub.IsAdditionalHelpTopicCommand():
				topics = append(topics, sub)
			}
		}
		if c.HasAvailableSubCommands() {
			list("Available Commands", cmds, (*cobra.Command).Name)
		}
		if c.HasAvailableLocalFlags() {
			fmt.Fprintf(&b, "\n\nFlags:\n%s", strings.TrimRight(c.LocalFlags().FlagUsagesWrapped(width), " \n"))
		}
		if c.HasAvailableInheritedFlags() {
			fmt.Fprintf(&b, "\n\nGlobal Flags:\n%s", strings.TrimRight(c.InheritedFlags().FlagUsagesWrapped(width), " \n"))
		}
		list("Additional help topics", topics, (*cobra.Command).CommandPath)
		if c.HasAvailableSubCommands() {
			fmt.Fprintf(&b, "\n\n%s", hang(fmt.Sprintf("Use \"%s [command] --help\" for more information about a command.", c.CommandPath()), 0, width))
		}
		b.WriteString("\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
}

// hang wraps a line to width at spaces, the lines after the first
// indented by indent columns.
func hang(line string, indent, width int) string {
	var out strings.Builder
	col := 0
	for i, word := range strings.Split(line, " ") {
		switch {
		case i == 0:
		case col+1+len(word) > width && col > indent:
			out.WriteString("\n" + strings.Repeat(" ", indent))
			col = indent
		default:
			out.WriteString(" ")
			col++
		}
		out.WriteString(word)
		col += len(word)
	}
	return out.String()
}

// helpFunc is cobra's help, the long text's lines that run past width
// (cobra's own, for the completion commands) wrapped under their indent.
func helpFunc(width int) func(*cobra.Command, []string) {
	return func(c *cobra.Command, _ []string) {
		text := c.Long
		if text == "" {
			text = c.Short
		}
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimRight(text, " \n"), "\n") {
			if code, ok := strings.CutPrefix(line, "\t"); ok {
				// A command to type: indented as our examples are, and
				// never broken.
				b.WriteString("  " + code + "\n")
				continue
			}
			rest := strings.TrimLeft(line, " ")
			indent := line[:len(line)-len(rest)]
			for _, l := range strings.Split(hang(rest, 0, max(width-len(indent), 20)), "\n") {
				b.WriteString(indent + l + "\n")
			}
		}
		out := c.OutOrStdout()
		if text != "" {
			fmt.Fprintf(out, "%s\n", b.String())
		}
		if c.Runnable() || c.HasSubCommands() {
			fmt.Fprint(out, c.UsageString())
		}
	}
}
