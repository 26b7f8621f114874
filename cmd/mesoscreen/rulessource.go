package main

import (
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// The rule set comes from the first of these that names one.
const (
	originFlag    = "the --rules flag"
	originEnv     = "the MESOSCREEN_RULES environment variable"
	originDefault = "the built-in default"
	// envRules names a rule-set file for every run in this environment.
	envRules = "MESOSCREEN_RULES"
)

// rulesChoice is the rule set a command runs on, and what chose it.
type rulesChoice struct {
	// Path is the rule-set file, or "" for the built-in default.
	Path string
	// Origin says which setting named it, for "rules show" and announce.
	Origin string
}

// chooseRules picks the rule set in the order --rules, MESOSCREEN_RULES,
// the config file, the built-in default. A config file that cannot be read
// is an error rather than a silent fall back to the default: the clinic
// would screen with a protocol it did not choose.
func (g *globalOptions) chooseRules() (rulesChoice, error) {
	if g.rulesFile != "" {
		return rulesChoice{g.rulesFile, originFlag}, nil
	}
	if p := g.getenv(envRules); p != "" {
		return rulesChoice{p, originEnv}, nil
	}
	cfg, err := g.config()
	if err != nil {
		return rulesChoice{}, err
	}
	if cfg.Rules == "" {
		return rulesChoice{Origin: originDefault}, nil
	}
	p := cfg.Rules
	if !filepath.IsAbs(p) {
		// A relative path is read from the config file's folder, so the
		// setting means the same file wherever the command is run.
		p = filepath.Join(filepath.Dir(cfg.path), p)
	}
	return rulesChoice{p, "the config file " + cfg.path}, nil
}

// userConfigDir is os.UserConfigDir over the given environment, so that
// tests can point it elsewhere. It returns "" when there is none.
func userConfigDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
		return ""
	case "plan9":
		if h := getenv("home"); h != "" {
			return filepath.Join(h, "lib")
		}
		return ""
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// announce says once, on stderr, which rule set screens the patients when
// it is not the built-in default, so that a clinician sees which protocol
// was used. Results carry the same name, version and sha256.
func (g *globalOptions) announce(s *iostreams.Streams, rs *rules.RuleSet) {
	if g.announced || rs.File == rules.DefaultFile {
		return
	}
	g.announced = true
	origin := g.origin
	if origin == "" {
		origin = originFlag
	}
	fmt.Fprintf(s.Err, "using rule set %s version %s from %s (sha256 %s), chosen by %s\n",
		rs.Name, rs.Version, rs.File, render.ShortSum(rs.SHA256), origin)
}
