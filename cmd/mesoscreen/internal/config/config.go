// Package config reads the config files, mesoscreen/config.yaml in the
// user's config folder over the one in the machine's, and chooses the
// rule set a command runs on.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
)

// File is the settings of the config files in force, merged: the
// machine's (for every user, set by clinic IT), overridden key by key by
// the user's; or the one file in $MESOSCREEN_CONFIG_DIR, which replaces
// both.
type File struct {
	// Path is the file a user edits: the user's config file, or the one
	// in $MESOSCREEN_CONFIG_DIR; "" when there is no config folder.
	Path string `yaml:"-"`
	// Rules is the clinic's rule set, relative to the folder of the file
	// that names it.
	Rules string `yaml:"rules"`
	// Lang is the language of the texts when neither --lang nor
	// MESOSCREEN_LANG says, before the locale.
	Lang string `yaml:"lang"`
	// Clinic names the clinic on handouts and letters.
	Clinic handout.Clinic `yaml:"clinic"`
	// Keys is the file of the keys the clinic trusts (internal/signing),
	// relative to the folder of the file that names it; "" for
	// trusted-keys.yaml in the config folder.
	Keys string `yaml:"keys"`
	// Journal is the clinic's journal of record events, relative to the
	// folder of the file that names it; "" for mesoscreen-journal.jsonl
	// beside each record.
	Journal string `yaml:"journal"`

	// From is the file each key set came from, by key (Keys).
	From map[string]string `yaml:"-"`
	// Files are the config files considered, the one that wins first.
	Files []Layer `yaml:"-"`
}

// Layer is one config file considered.
type Layer struct {
	// Role is what the file is: RoleUser, RoleMachine or RoleDir.
	Role  string `json:"role"`
	Path  string `json:"path"`
	Found bool   `json:"found"`
}

// The roles of config files, as "config list" names the source of a key.
const (
	RoleUser    = "user config"
	RoleMachine = "machine config"
	RoleDir     = "MESOSCREEN_CONFIG_DIR"
	// EnvConfigDir names the one folder whose config.yaml is read,
	// instead of the user's and the machine's; the signing key and the
	// trusted keys are kept there too.
	EnvConfigDir = "MESOSCREEN_CONFIG_DIR"
	// EnvKeys names the trusted keys file, EnvSigningKey the private
	// key's.
	EnvKeys       = "MESOSCREEN_KEYS"
	EnvSigningKey = "MESOSCREEN_SIGNING_KEY"
)

// Dir is mesoscreen's own config folder, where the signing key is kept:
// MESOSCREEN_CONFIG_DIR, else mesoscreen in the user's config folder; ""
// when there is none.
func Dir(getenv func(string) string) string {
	if d := getenv(EnvConfigDir); d != "" {
		return d
	}
	if d := userConfigDir(getenv); d != "" {
		return filepath.Join(d, "mesoscreen")
	}
	return ""
}

// relative makes a path a config file named absolute, from the folder of
// the file that named it.
func relative(cfg File, key, p string) string {
	if p == "" || filepath.IsAbs(p) || cfg.From[key] == "" {
		return p
	}
	return filepath.Join(filepath.Dir(cfg.From[key]), p)
}

// KeysPath is the trusted keys file: MESOSCREEN_KEYS, else keys: in the
// config files, else trusted-keys.yaml in the config folder.
func KeysPath(getenv func(string) string, cfg File) string {
	switch {
	case getenv(EnvKeys) != "":
		return getenv(EnvKeys)
	case cfg.Keys != "":
		return relative(cfg, "keys", cfg.Keys)
	}
	if d := Dir(getenv); d != "" {
		return filepath.Join(d, "trusted-keys.yaml")
	}
	return ""
}

// JournalPath is journal: in the config files, made absolute; "" for the
// default, beside each record.
func JournalPath(cfg File) string { return relative(cfg, "journal", cfg.Journal) }

// Keys are the settings a config file may hold, as "config get" names
// them.
var Keys = []string{"rules", "lang", "clinic.name", "clinic.phone", "clinic.address", "clinic.email", "clinic.fax", "keys", "journal"}

// keys is a config file as written: a nil field is a key not given, so
// that the user's file overrides the machine's only where it says so.
type keys struct {
	Rules  *string `yaml:"rules"`
	Lang   *string `yaml:"lang"`
	Clinic *struct {
		Name    *string `yaml:"name"`
		Phone   *string `yaml:"phone"`
		Address *string `yaml:"address"`
		Email   *string `yaml:"email"`
		Fax     *string `yaml:"fax"`
	} `yaml:"clinic"`
	Keys    *string `yaml:"keys"`
	Journal *string `yaml:"journal"`
}

// Read reads the config files of the environment getenv reads. A missing
// folder, file or key gives an empty setting; a file that cannot be read
// is an error rather than a silent fall back to the defaults: the clinic
// would screen with a protocol it did not choose.
func Read(getenv func(string) string) (File, error) {
	cfg := File{From: map[string]string{}, Files: Files(getenv)}
	for _, l := range cfg.Files {
		if l.Role != RoleMachine {
			cfg.Path = l.Path
		}
	}
	// The least important first, each overridden by the next.
	for i := len(cfg.Files) - 1; i >= 0; i-- {
		l := &cfg.Files[i]
		data, err := os.ReadFile(l.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return cfg, fmt.Errorf("%s: cannot read the %s: %w", l.Path, cfg.kind(l.Path), errors.Unwrap(err))
		}
		l.Found = true
		var k keys
		// A key the file may not hold is refused rather than ignored: a
		// misspelt "rule:" would otherwise screen with the built-in
		// default, not the clinic's protocol.
		if err := yaml.UnmarshalWithOptions(data, &k, yaml.DisallowUnknownField()); err != nil {
			return cfg, invalid(l.Path, err)
		}
		set := func(key string, dst *string, v *string) {
			if v != nil {
				*dst = *v
				cfg.From[key] = l.Path
			}
		}
		set("rules", &cfg.Rules, k.Rules)
		set("lang", &cfg.Lang, k.Lang)
		if k.Clinic != nil {
			set("clinic.name", &cfg.Clinic.Name, k.Clinic.Name)
			set("clinic.phone", &cfg.Clinic.Phone, k.Clinic.Phone)
			set("clinic.address", &cfg.Clinic.Address, k.Clinic.Address)
			set("clinic.email", &cfg.Clinic.Email, k.Clinic.Email)
			set("clinic.fax", &cfg.Clinic.Fax, k.Clinic.Fax)
		}
		set("keys", &cfg.Keys, k.Keys)
		set("journal", &cfg.Journal, k.Journal)
	}
	return cfg, nil
}

// invalid is the error of a config file that does not decode: where, what
// was found, what was expected, and the key meant by a misspelt one.
func invalid(path string, err error) error {
	const expected = "expected the keys rules:, lang:, keys:, journal: and clinic: with name:, phone:, address:, email: and fax:"
	var uf *yaml.UnknownFieldError
	if errors.As(err, &uf) && uf.Token != nil {
		key := uf.Token.Value
		hint := ""
		if best := closest(key, []string{"rules", "lang", "clinic", "name", "phone", "address", "email", "fax", "keys", "journal"}); best != "" {
			hint = fmt.Sprintf(" (did you mean %s:?)", best)
		}
		return fmt.Errorf("%s:%d:%d: unknown key %s:%s; %s\n%w", path, uf.Token.Position.Line, uf.Token.Position.Column, key, hint, expected, err)
	}
	return fmt.Errorf("%s: the config file is not valid (%s):\n%w", path, expected, err)
}

// closest is the candidate within two edits of s, or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// Files are the config files the environment points at, the one that
// wins first: $MESOSCREEN_CONFIG_DIR/config.yaml alone when it is set;
// else the user's, then the machine's.
func Files(getenv func(string) string) []Layer {
	if d := getenv(EnvConfigDir); d != "" {
		return []Layer{{Role: RoleDir, Path: filepath.Join(d, "config.yaml")}}
	}
	var out []Layer
	if d := userConfigDir(getenv); d != "" {
		out = append(out, Layer{Role: RoleUser, Path: filepath.Join(d, "mesoscreen", "config.yaml")})
	}
	if d := machineConfigDir(getenv); d != "" {
		out = append(out, Layer{Role: RoleMachine, Path: filepath.Join(d, "mesoscreen", "config.yaml")})
	}
	return out
}

// machineConfigDir is the folder of the machine-wide config: on Unix the
// first of $XDG_CONFIG_DIRS (default /etc/xdg) that holds
// mesoscreen/config.yaml, else the first of them; on Windows
// %ProgramData%; on macOS /Library/Application Support.
func machineConfigDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("ProgramData")
	case "darwin", "ios":
		return "/Library/Application Support"
	case "plan9":
		return ""
	}
	var dirs []string
	for _, d := range filepath.SplitList(getenv("XDG_CONFIG_DIRS")) {
		// The XDG spec says a relative path is to be ignored.
		if filepath.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		dirs = []string{"/etc/xdg"}
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "mesoscreen", "config.yaml")); err == nil {
			return d
		}
	}
	return dirs[0]
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
	p, from := cfg.Rules, cfg.From["rules"]
	if from == "" {
		from = cfg.Path
	}
	if !filepath.IsAbs(p) {
		// A relative path is read from the folder of the file that names
		// it, so the setting means the same file wherever the command is
		// run.
		p = filepath.Join(filepath.Dir(from), p)
	}
	return RulesChoice{p, "the " + cfg.kind(from) + " " + from}
}

// kind names the config file at path in a message: "config file", or
// "machine config file" for the machine's.
func (cfg File) kind(path string) string {
	for _, l := range cfg.Files {
		if l.Path == path && l.Role == RoleMachine {
			return "machine config file"
		}
	}
	return "config file"
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

// LocaleLang is the language the locale names, and the variable that
// named it: LC_ALL, else LC_MESSAGES, else LANG, as POSIX orders them.
// "" for none, or for the C and POSIX locales, which name no language.
func LocaleLang(getenv func(string) string) (lang, from string) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return localeLang(v), k
		}
	}
	return "", ""
}

// localeLang is the language of a POSIX locale ("es_ES.UTF-8" is es-ES),
// "" for none (C, POSIX) or one that names no language.
func localeLang(locale string) string {
	l, _, _ := strings.Cut(locale, ".")
	l, _, _ = strings.Cut(l, "@")
	if l == "" || l == "C" || l == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(l, "_", "-")
}
