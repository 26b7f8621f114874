package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

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
	dir := opts.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return failf("%s: cannot create the folder: %w", dir, err)
	}
	root := opts.Root
	root.DisableAutoGenTag = true
	// The long help keeps its indented lists: a block of indented lines
	// is written as preformatted text, which roff and Markdown would
	// otherwise refill into one paragraph.
	restore := keepIndented(root)
	defer restore()
	var err error
	if opts.Kind == "man" {
		err = genManTree(root, dir, opts.Streams.Getenv)
	} else {
		err = doc.GenMarkdownTree(root, dir)
	}
	if err != nil {
		return failf("writing the %s pages into %s: %w", opts.Kind, dir, err)
	}
	opts.Streams.Info("wrote the %s pages into %s\n", opts.Kind, dir)
	return nil
}

// genManTree writes a man page for every command, as doc.GenManTree
// does, dated by SOURCE_DATE_EPOCH when it is set (a reproducible
// release), and the root's page with the ENVIRONMENT, FILES and EXIT
// STATUS sections a man page has.
func genManTree(root *cobra.Command, dir string, getenv func(string) string) error {
	date, err := manDate(getenv)
	if err != nil {
		return err
	}
	header := &doc.GenManHeader{Title: "MESOSCREEN", Section: "1", Source: "mesoscreen " + buildinfo.Read().Version, Manual: "mesoscreen manual", Date: &date}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		var b bytes.Buffer
		if err := doc.GenMan(c, header, &b); err != nil {
			return err
		}
		page := b.String()
		if c == root {
			var extra strings.Builder
			for _, sec := range []struct{ title, text string }{
				{"ENVIRONMENT", helpText("environment")},
				{"FILES", helpText("files")},
				{"EXIT STATUS", helpText("exit-codes")},
			} {
				fmt.Fprintf(&extra, ".SH %s\n.nf\n%s\n.fi\n\n", sec.title, roffText(sec.text))
			}
			if i := strings.Index(page, ".SH SEE ALSO"); i >= 0 {
				page = page[:i] + extra.String() + page[i:]
			} else {
				page += extra.String()
			}
		}
		name := filepath.Join(dir, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
		return os.WriteFile(name, []byte(page), 0o644)
	}
	return walk(root)
}

// manDate is the date on the man pages: SOURCE_DATE_EPOCH when set
// (https://reproducible-builds.org/specs/source-date-epoch/), else the
// commit's, else today.
func manDate(getenv func(string) string) (time.Time, error) {
	if v := getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, failf("SOURCE_DATE_EPOCH=%q: expected seconds since 1970-01-01", v)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, buildinfo.Read().Date); err == nil {
		return t.UTC(), nil
	}
	return time.Now().UTC(), nil
}

// roffText is text for a no-fill block of roff: a backslash and a line
// that starts with a dot or an apostrophe would be read as requests.
func roffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// keepIndented fences every run of indented lines in the long help of
// the tree's commands as a Markdown code block, and returns the function
// that puts the texts back.
func keepIndented(root *cobra.Command) func() {
	var undo []func()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		long := c.Long
		c.Long = fenceIndented(long)
		undo = append(undo, func() { c.Long = long })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

func fenceIndented(s string) string {
	var out []string
	in := false
	for _, l := range strings.Split(s, "\n") {
		indented := strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")
		switch {
		case indented && !in:
			out = append(out, "```")
			in = true
		case !indented && in && l != "":
			out = append(out, "```")
			in = false
		}
		out = append(out, l)
	}
	if in {
		out = append(out, "```")
	}
	return strings.Join(out, "\n")
}

func dirCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}
