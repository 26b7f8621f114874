package main

import (
	"fmt"
	"os"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// DocsOptions are the inputs of "mesoscreen docs man" and "docs markdown".
type DocsOptions struct {
	Streams *iostreams.Streams
	Kind    string // man or markdown
	Dir     string
	// Root is the command tree the pages are made from.
	Root *cobra.Command
}

// NewCmdDocs builds "mesoscreen docs": the manual pages and Markdown
// reference, made from the command tree itself.
func NewCmdDocs(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Write the manual pages or a Markdown reference of every command",
		Long:  helpText("docs"),
		Example: `  mesoscreen docs man ./man
  sudo cp man/*.1 /usr/local/share/man/man1/ && man mesoscreen`,
	}
	cmd.AddCommand(newCmdDocsMan(f, nil), newCmdDocsMarkdown(f, nil))
	return cmd
}

func newCmdDocsMan(f *Factory, runF func(*DocsOptions) error) *cobra.Command {
	return newCmdDocsWrite(f, "man", runF)
}

func newCmdDocsMarkdown(f *Factory, runF func(*DocsOptions) error) *cobra.Command {
	return newCmdDocsWrite(f, "markdown", runF)
}

// newCmdDocsWrite builds "mesoscreen docs man" or "docs markdown", which
// differ only in what they write.
func newCmdDocsWrite(f *Factory, kind string, runF func(*DocsOptions) error) *cobra.Command {
	opts := &DocsOptions{Streams: f.IO, Kind: kind}
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
			opts.Dir = args[0]
			opts.Root = cmd.Root()
			if runF != nil {
				return runF(opts)
			}
			return runDocs(opts)
		},
	}
}

func runDocs(opts *DocsOptions) error {
	gen := map[string]func(root *cobra.Command, dir string) error{
		"man": func(root *cobra.Command, dir string) error {
			return doc.GenManTree(root, &doc.GenManHeader{Title: "MESOSCREEN", Section: "1", Source: "mesoscreen " + buildinfo.Read().Version, Manual: "mesoscreen manual"}, dir)
		},
		"markdown": doc.GenMarkdownTree,
	}[opts.Kind]
	dir := opts.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return failf("%s: cannot create the folder: %w", dir, err)
	}
	root := opts.Root
	root.DisableAutoGenTag = true
	if err := gen(root, dir); err != nil {
		return failf("writing the %s pages into %s: %w", opts.Kind, dir, err)
	}
	fmt.Fprintf(opts.Streams.Err, "wrote the %s pages into %s\n", opts.Kind, dir)
	return nil
}

func dirCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}
