// Package config reads the user's config file, mesoscreen/config.yaml in
// their config folder, and chooses the rule set a command runs on.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/goccy/go-yaml"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
)

// File is the config file's settings.
type File struct {
	// Path is the file's path, "" when there is no config folder.
	Path string `yaml:"-"`
	// Rules is the clinic's rule set, relative to the file's folder.
	Rules string `yaml:"rules"`
	// Lang is the language of the texts when neither --lang nor
	// MESOSCREEN_LANG says, before LANG.
	Lang string `yaml:"lang"`
	// Clinic names the clinic on handouts and letters.
	Clinic handout.Clinic `yaml:"clinic"`
	// Keys is the file of the keys the clinic trusts (internal/keys),
	// relative to the file's folder; "" for trusted-keys.yaml in it.
	Keys string `yaml:"keys"`
	// Journal is the clinic's journal of record events, relative to the
	// file's folder; "" for mesoscreen-journal.jsonl beside each record.
	Journal string `yaml:"journal"`
}

// JournalPath is the config file's journal:, made absolute; "" for the
// default, beside each record.
func JournalPath(cfg File) string {
	if cfg.Journal != "" && cfg.Path != "" && !filepath.IsAbs(cfg.Journal) {
		return filepath.Join(filepath.Dir(cfg.Path), cfg.Journal)
	}
	return cfg.Journal
}

// EnvConfigDir names mesoscreen's config folder instead of the one the
// platform gives; EnvKeys names the trusted keys file.
const (
	EnvConfigDir  = "MESOSCREEN_CONFIG_DIR"
	EnvKeys       = "MESOSCREEN_KEYS"
	EnvSigningKey = "MESOSCREEN_SIGNING_KEY"
)

// Dir is mesoscreen's config folder: MESOSCREEN_CONFIG_DIR, else
// mesoscreen in the user's config folder; "" when there is none.
func Dir(getenv func(string) string) string {
	if d := getenv(EnvConfigDir); d != "" {
		return d
	}
	if d := userConfigDir(getenv); d != "" {
		return filepath.Join(d, "mesoscreen")
	}
	return ""
}

// KeysPath is the trusted keys file: MESOSCREEN_KEYS, else the config
// file's keys:, else trusted-keys.yaml in the config folder.
func KeysPath(getenv func(string) string, cfg File) string {
	switch {
	case getenv(EnvKeys) != "":
		return getenv(EnvKeys)
	case cfg.Keys != "" && cfg.Path != "" && !filepath.IsAbs(cfg.Keys):
		return filepath.Join(filepath.Dir(cfg.Path), cfg.Keys)
	case cfg.Keys != "":
		return cfg.Keys
	}
	if d := Dir(getenv); d != "" {
		return filepath.Join(d, "trusted-keys.yaml")
	}
	return ""
}

// Read reads the config file of the environment getenv reads. A missing
// folder, file or key gives an empty setting; a file that cannot be read
// is an error rather than a silent fall back to the defaults: the clinic
// would screen with a protocol it did not choose.
func Read(getenv func(string) string) (File, error) {
	var cfg File
	dir := Dir(getenv)
	if dir == "" {
		return cfg, nil
	}
	cfg.Path = filepath.Join(dir, "config.yaml")
	data, err := os.ReadFile(cfg.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return cfg, nil
	case err != nil:
		return cfg, fmt.Errorf("%s: cannot read the config file: %w", cfg.Path, errors.Unwrap(err))
	}
	// A key the file may not hold is refused rather than ignored: a
	// misspelt "rule:" would otherwise screen with the built-in default,
	// not the clinic's protocol.
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.DisallowUnknownField()); err != nil {
		return cfg, fmt.Errorf("%s: the config file is not valid (expected the keys rules:, lang:, keys:, journal: and clinic: with name: and phone:):\n%w", cfg.Path, err)
	}
	return cfg, nil
}

// The rule set comes from the first of these that names one.
const (
	OriginFlag    = "the --rules flag"
	OriginEnv     = "the MESOSCREEN_RULES environment variable"
	OriginDefault = "the built-in default"
	// EnvRules names a rule-set file for every run in this environment.
	EnvRules = "MESOSCREEN_RULES"
)

// RulesChoice is the rule set a command runs on, and what chose it.
type RulesChoice struct {
	// Path is the rule-set file, or "" for the built-in default.
	Path string
	// Origin says which setting named it, for "rules show" and the
	// announcement on stderr.
	Origin string
}

// ChooseRules picks the rule set in the order flag (--rules),
// MESOSCREEN_RULES, the config file, the built-in default.
func ChooseRules(flag string, getenv func(string) string, cfg File) RulesChoice {
	switch {
	case flag != "":
		return RulesChoice{flag, OriginFlag}
	case getenv(EnvRules) != "":
		return RulesChoice{getenv(EnvRules), OriginEnv}
	case cfg.Rules == "":
		return RulesChoice{Origin: OriginDefault}
	}
	p := cfg.Rules
	if !filepath.IsAbs(p) {
		// A relative path is read from the config file's folder, so the
		// setting means the same file wherever the command is run.
		p = filepath.Join(filepath.Dir(cfg.Path), p)
	}
	return RulesChoice{p, "the config file " + cfg.Path}
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
