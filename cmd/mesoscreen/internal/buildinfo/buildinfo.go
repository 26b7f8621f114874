// Package buildinfo says what this binary is: its version, the revision
// it was built from, the Go that built it, and the built-in rule set.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Set at build time with -ldflags "-X $pkg.version=... -X $pkg.commit=...
// -X $pkg.date=...", $pkg being this package's path (the release build
// does); otherwise they come from the module's build information.
var (
	version = ""
	commit  = ""
	date    = ""
)

// Info says what this binary is.
type Info struct {
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

func Read() Info {
	b := Info{Version: version, Revision: commit, Date: date, Go: runtime.Version()}
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
	// A build that knows no version (go run, -buildvcs=false) says so in
	// a word no release uses: saved records carry it as their audit trail.
	if b.Version == "" || b.Version == "(devel)" {
		b.Version = Unknown
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

// Unknown is the version of a build that was given none.
const Unknown = "unknown"

// ToolVersion is the version written into saved records: the module
// version, with the revision when the version alone does not name the
// source ("unknown+0123456789ab"), and "+dirty" for uncommitted changes.
func ToolVersion() string {
	return toolVersion(Read())
}

func toolVersion(b Info) string {
	v := b.Version
	if v == Unknown && b.Revision != "" {
		v += "+" + short(b.Revision)
	}
	if b.Modified && !strings.HasSuffix(v, "+dirty") { // Go's own pseudo-versions say it
		v += "+dirty"
	}
	return v
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// Text is what --version and "version" print.
func Text(b Info) string {
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

func Full() (Info, error) {
	b := Read()
	var err error
	b.RuleSet.Name, b.RuleSet.Version, b.RuleSet.SHA256, err = rules.DefaultIdentity()
	if err != nil {
		return b, fmt.Errorf("the embedded rule set cannot be read:\n%w", err)
	}
	return b, nil
}
