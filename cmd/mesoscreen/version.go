package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

// Set at build time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (the release build does); otherwise they come from
// the module's build information.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo says what this binary is.
type buildInfo struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Date     string `json:"date,omitempty"`
	Go       string `json:"go"`
	RuleSet  struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		SHA256  string `json:"sha256"`
	} `json:"rule_set"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Revision: commit, Date: date, Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Revision == "" {
					b.Revision = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" || b.Version == "(devel)" {
		b.Version = "devel"
	}
	// A release built outside a git checkout gets these for "unknown".
	if b.Revision == "none" {
		b.Revision = ""
	}
	if strings.HasPrefix(b.Date, "0001-01-01") {
		b.Date = ""
	}
	return b
}

// toolVersion is the version written into saved records: the module
// version, and the revision when it is not a release.
func toolVersion() string {
	b := readBuildInfo()
	if b.Version == "devel" && b.Revision != "" {
		return "devel+" + short(b.Revision)
	}
	return b.Version
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// versionText is what --version and "version" print.
func versionText(b buildInfo) string {
	var s strings.Builder
	fmt.Fprintf(&s, "mesoscreen %s\n", b.Version)
	if b.Revision != "" {
		rev := b.Revision
		if b.Modified {
			rev += " (with uncommitted changes)"
		}
		fmt.Fprintf(&s, "revision:  %s\n", rev)
	}
	if b.Date != "" {
		fmt.Fprintf(&s, "built:     %s\n", b.Date)
	}
	fmt.Fprintf(&s, "go:        %s\n", b.Go)
	fmt.Fprintf(&s, "rule set:  %s version %s (built in)\nsha256:    %s\n", b.RuleSet.Name, b.RuleSet.Version, b.RuleSet.SHA256)
	return s.String()
}

func fullBuildInfo() (buildInfo, error) {
	b := readBuildInfo()
	var err error
	b.RuleSet.Name, b.RuleSet.Version, b.RuleSet.SHA256, err = rules.DefaultIdentity()
	if err != nil {
		return b, failf("the embedded rule set cannot be read:\n%v", err)
	}
	return b, nil
}

// NewCmdVersion builds "mesoscreen version".
func NewCmdVersion(f *Factory) *cobra.Command {
	s := f.IO
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of mesoscreen and of its built-in rule set",
		Long:  helpText("version"),
		Example: `  mesoscreen version
  mesoscreen version --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			b, err := fullBuildInfo()
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(s, b)
			}
			fmt.Fprint(s.Out, versionText(b))
			return nil
		},
	}
	addFormatFlag(cmd, &format, "text", "text", "json")
	return cmd
}

// writeJSON writes v indented, one document, to stdout; conditions keep
// their < and > as written.
func writeJSON(s *iostreams.Streams, v any) error {
	enc := json.NewEncoder(s.Out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return failf("writing JSON: %v", err)
	}
	return nil
}
