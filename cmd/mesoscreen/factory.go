package main

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
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
)

// langOf says which language a command screens in: --lang, else a saved
// record's own (a handout or a re-screen is for the patient), else the
// environment's. A nil *langOf keeps the rule set's own language, as a
// clearance and a record's history are kept in.
type langOf struct {
	Flag   string
	Record string
}

// screener is the start of every command that screens: the rule set in
// its language and the lexicon, loaded side by side (each takes tens of
// milliseconds, which a short run notices); the rule set announced on
// stderr unless quiet; and a screener over both.
func (f *Factory) screener(lang *langOf, o screening.Options, quiet bool) (*rules.RuleSet, *screening.Screener, error) {
	type loaded struct {
		lx  *meds.Lexicon
		err error
	}
	lexicon := make(chan loaded, 1)
	go func() {
		lx, err := f.lexicon()
		lexicon <- loaded{lx, err}
	}()
	rs, err := f.ruleSet()
	l := <-lexicon
	if err != nil {
		return nil, nil, err
	}
	if l.err != nil {
		return nil, nil, l.err
	}
	if lang != nil {
		if rs, err = f.localize(rs, lang.Flag, lang.Record); err != nil {
			return nil, nil, err
		}
	}
	if !quiet {
		f.announce(rs)
	}
	o.Meds = l.lx
	return rs, screening.NewScreener(rs, o), nil
}

// ruleSet loads the rule set the command runs on: --rules, else
// MESOSCREEN_RULES, else the config file, else the embedded default.
func (f *Factory) ruleSet() (*rules.RuleSet, error) {
	choice, err := f.chooseRules()
	if err != nil {
		return nil, err
	}
	f.origin = choice.Origin
	if choice.Path == "" {
		rs, err := rules.Default()
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("the embedded rule set does not load:\n%w", err)}
		}
		return rs, nil
	}
	rs, err := rules.Load(choice.Path)
	if err != nil {
		return nil, &exitErr{code: exitError, err: fmt.Errorf("cannot use rule set %s (from %s):\n%w", choice.Path, choice.Origin, err)}
	}
	return rs, nil
}

// ruleSetIn loads the rule set in use, as ruleSet does, in the language
// flag asks for, or the environment does when flag is empty.
func (f *Factory) ruleSetIn(flag string) (*rules.RuleSet, error) {
	rs, err := f.ruleSet()
	if err != nil {
		return nil, err
	}
	return f.localize(rs, flag, "")
}

// localize returns rs in the language flag asks for; else, for a saved
// record, in the record's own (the language the patient was screened
// in: a handout or a re-screen is for the patient); else in the one the
// environment asks for.
func (f *Factory) localize(rs *rules.RuleSet, flag, record string) (*rules.RuleSet, error) {
	requested, from := flag, "--lang"
	if requested == "" && record != "" {
		requested, from = record, "the record"
	}
	if requested == "" {
		requested, from = f.getenv(envLang), envLang
	}
	if requested == "" {
		requested, from = localeLang(f.getenv("LANG")), "LANG"
	}
	if requested == "" {
		return rs, nil
	}
	m := rs.MatchLanguage(requested)
	if !m.Exact {
		fmt.Fprintf(f.IO.Err, "warning: the rule set has no texts in %q (from %s); it has %s, and %s is used\n",
			requested, from, strings.Join(rs.Languages(), ", "), m.Lang)
	}
	out, err := rs.In(m.Lang)
	if err != nil {
		return nil, failf("%v\nRun \"mesoscreen rules lint\" to see every problem, or choose another language with --lang.", err)
	}
	return out, nil
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

// lexicon loads the medication lexicon the command reads medication lists
// with: --meds, or the embedded default.
func (f *Factory) lexicon() (*meds.Lexicon, error) {
	if f.medsFile == "" {
		lx, err := meds.Default()
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("the embedded medication lexicon does not load:\n%w", err)}
		}
		return lx, nil
	}
	lx, err := meds.Load(f.medsFile)
	if err != nil {
		return nil, &exitErr{code: exitError, err: fmt.Errorf("cannot use medication lexicon %s:\n%w", f.medsFile, err)}
	}
	return lx, nil
}

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
func (f *Factory) chooseRules() (rulesChoice, error) {
	if f.rulesFile != "" {
		return rulesChoice{f.rulesFile, originFlag}, nil
	}
	if p := f.getenv(envRules); p != "" {
		return rulesChoice{p, originEnv}, nil
	}
	cfg, err := f.config()
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
func (f *Factory) announce(rs *rules.RuleSet) {
	if f.announced || rs.File == rules.DefaultFile {
		return
	}
	f.announced = true
	origin := f.origin
	if origin == "" {
		origin = originFlag
	}
	fmt.Fprintf(f.IO.Err, "using rule set %s version %s from %s (sha256 %s), chosen by %s\n",
		render.Printable(rs.Name), render.Printable(rs.Version), render.Printable(rs.File), render.ShortSum(rs.SHA256), render.Printable(origin))
}

// config is the user's config file, mesoscreen/config.yaml in their config
// folder, read once per command.
type config struct {
	// path is the file's path, "" when there is no config folder.
	path string
	// Rules is the clinic's rule set, relative to the file's folder.
	Rules string `yaml:"rules"`
	// Clinic names the clinic on handouts and letters.
	Clinic handout.Clinic `yaml:"clinic"`
}

// getenv reads the environment the streams supply.
func (f *Factory) getenv(key string) string {
	if f.IO != nil && f.IO.Getenv != nil {
		return f.IO.Getenv(key)
	}
	return os.Getenv(key)
}

// config reads the config file, once. A missing file or key gives an
// empty setting; a file that cannot be read is an error rather than a
// silent fall back to the defaults: the clinic would screen with a
// protocol it did not choose.
func (f *Factory) config() (config, error) {
	if f.cfgRead {
		return f.cfg, f.cfgErr
	}
	f.cfgRead = true
	dir := userConfigDir(f.getenv)
	if dir == "" {
		return f.cfg, nil
	}
	f.cfg.path = filepath.Join(dir, "mesoscreen", "config.yaml")
	data, err := os.ReadFile(f.cfg.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f.cfg, nil
	case err != nil:
		f.cfgErr = failf("%s: cannot read the config file: %v", f.cfg.path, errors.Unwrap(err))
	default:
		if err := yaml.Unmarshal(data, &f.cfg); err != nil {
			f.cfgErr = failf("%s: the config file is not valid YAML: %v", f.cfg.path, err)
		}
	}
	return f.cfg, f.cfgErr
}

// clinic is the clinic's name and phone from the config file, for
// handouts and letters, and the config file's path.
func (f *Factory) clinic() (handout.Clinic, string, error) {
	cfg, err := f.config()
	return cfg.Clinic, cfg.path, err
}
