package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// VersionOptions are the inputs of "mesoscreen version".
type VersionOptions struct {
	Streams *iostreams.Streams
	Format  string
}

// NewCmdVersion builds "mesoscreen version".
func NewCmdVersion(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	s := f.IO
	opts := &VersionOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of mesoscreen and of its built-in rule set",
		Long:  helpText("version"),
		Example: `  mesoscreen version
  mesoscreen version --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func runVersion(opts *VersionOptions) error {
	s := opts.Streams
	b, err := buildinfo.Full()
	if err != nil {
		return failf("%w", err)
	}
	if opts.Format == "json" {
		return writeJSON(s, b)
	}
	fmt.Fprint(s.Out, buildinfo.Text(b))
	return nil
}

// writeJSON writes v indented, one document, to stdout; conditions keep
// their < and > as written.
func writeJSON(s *iostreams.Streams, v any) error {
	enc := json.NewEncoder(s.Out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return failf("writing JSON: %w", err)
	}
	return nil
}
