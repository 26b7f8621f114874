package main

import (
	"fmt"
	"os"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// NewCmdDocs builds "mesoscreen docs": the manual pages and Markdown
// reference, made from the command tree itself.
func NewCmdDocs(f *Factory) *cobra.Command {
	s := f.IO
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Write the manual pages or a Markdown reference of every command",
		Long:  helpText("docs"),
		Example: `  mesoscreen docs man ./man
  sudo cp man/*.1 /usr/local/share/man/man1/ && man mesoscreen`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	write := func(kind string, gen func(root *cobra.Command, dir string) error) *cobra.Command {
		return &cobra.Command{
			Use:   kind + " DIR",
			Short: "Write the " + map[string]string{"man": "man pages", "markdown": "Markdown reference"}[kind] + " into DIR",
			Example: map[string]string{
				"man":      "  mesoscreen docs man ./man\n  MANPATH=./man: man mesoscreen-check",
				"markdown": "  mesoscreen docs markdown ./docs/cli",
			}[kind],
			Args:              cobra.ExactArgs(1),
			ValidArgsFunction: dirCompletion,
			RunE: func(cmd *cobra.Command, args []string) error {
				dir := args[0]
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return failf("%s: cannot create the folder: %w", dir, err)
				}
				root := cmd.Root()
				root.DisableAutoGenTag = true
				if err := gen(root, dir); err != nil {
					return failf("writing the %s pages into %s: %w", kind, dir, err)
				}
				fmt.Fprintf(s.Err, "wrote the %s pages into %s\n", kind, dir)
				return nil
			},
		}
	}
	cmd.AddCommand(
		write("man", func(root *cobra.Command, dir string) error {
			return doc.GenManTree(root, &doc.GenManHeader{Title: "MESOSCREEN", Section: "1", Source: "mesoscreen " + buildinfo.Read().Version, Manual: "mesoscreen manual"}, dir)
		}),
		write("markdown", doc.GenMarkdownTree),
	)
	return cmd
}

func dirCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}
