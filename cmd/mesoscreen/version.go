package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

// version is set at build time with -ldflags "-X main.version=...";
// otherwise it comes from the module's build information.
var version = ""

// toolVersion returns the version of this build.
func toolVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}

// NewCmdVersion builds "mesoscreen version".
func NewCmdVersion(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of mesoscreen and of its built-in rule set",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			rs, err := rules.Default()
			if err != nil {
				return failf("the embedded rule set does not load:\n%v", err)
			}
			fmt.Fprintf(s.Out, "mesoscreen %s\nrule set: %s version %s\nsha256:   %s\n", toolVersion(), rs.Name, rs.Version, rs.SHA256)
			return nil
		},
	}
}
