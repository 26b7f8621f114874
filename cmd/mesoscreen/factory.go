package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
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
// milliseconds, which a short run notices), and a screener over both.
// The command announces the rule set (announce) when it starts screening.
func (f *Factory) screener(lang *langOf, o screening.Options) (*rules.RuleSet, *screening.Screener, error) {
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
	o.Meds = l.lx
	return rs, screening.NewScreener(rs, o), nil
}

// ruleSet loads the rule set the command runs on: --rules, else
// MESOSCREEN_RULES, else the config file, else the embedded default.
func (f *Factory) ruleSet() (*rules.RuleSet, error) {
	f.rsOnce.Do(func() { f.rs, f.rsErr = f.loadRuleSet() })
	return f.rs, f.rsErr
}

func (f *Factory) loadRuleSet() (*rules.RuleSet, error) {
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
		cfg, err := f.config()
		if err != nil {
			return nil, err
		}
		requested, from = cfg.Lang, "the config file "+cfg.From["lang"]
	}
	locale := false
	if requested == "" {
		requested, from = config.LocaleLang(f.getenv)
		locale = true
	}
	if requested == "" {
		return rs, nil
	}
	m := rs.MatchLanguage(requested)
	// A locale the rule set has no texts for is the rule set's own
	// language without a word: the clinic chose neither, and a warning on
	// every command would teach staff to ignore warnings. A language asked
	// for by name gets its note.
	if !m.Exact && !locale {
		fmt.Fprintf(f.IO.Err, "warning: the rule set has no texts in %q (from %s); it has %s, and %s is used\n",
			requested, from, strings.Join(rs.Languages(), ", "), m.Lang)
	}
	out, err := rs.In(m.Lang)
	if err != nil {
		return nil, failf("%w\nRun \"mesoscreen rules lint\" to see every problem, or choose another language with --lang.", err)
	}
	return out, nil
}

// lexicon loads the medication lexicon the command reads medication lists
// with: --meds, or the embedded default.
func (f *Factory) lexicon() (*meds.Lexicon, error) {
	f.lxOnce.Do(func() { f.lx, f.lxErr = f.loadLexicon() })
	return f.lx, f.lxErr
}

func (f *Factory) loadLexicon() (*meds.Lexicon, error) {
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

// chooseRules picks the rule set: see config.ChooseRules. A config file
// that cannot be read is an error.
func (f *Factory) chooseRules() (config.RulesChoice, error) {
	if f.rulesFile != "" || f.getenv(config.EnvRules) != "" {
		return config.ChooseRules(f.rulesFile, f.getenv, config.File{}), nil
	}
	cfg, err := f.config()
	if err != nil {
		return config.RulesChoice{}, err
	}
	return config.ChooseRules("", f.getenv, cfg), nil
}

// announce says once, on stderr, which rule set screens the patients,
// the built-in default included, so that a clinician sees which protocol
// was used, and a clinic whose own was not found sees that it was not.
// Results carry the same name, version and sha256. --quiet silences it.
func (f *Factory) announce(rs *rules.RuleSet) {
	if f.announced || f.quiet {
		return
	}
	f.announced = true
	if rs.File == rules.DefaultFile {
		fmt.Fprintf(f.IO.Err, "using the built-in rule set %s version %s (sha256 %s); --rules FILE, $%s or rules: in the config file choose a clinic's own\n",
			render.Printable(rs.Name), render.Printable(rs.Version), render.ShortSum(rs.SHA256), config.EnvRules)
		return
	}
	origin := f.origin
	if origin == "" {
		origin = config.OriginFlag
	}
	fmt.Fprintf(f.IO.Err, "using rule set %s version %s from %s (sha256 %s), chosen by %s\n",
		render.Printable(rs.Name), render.Printable(rs.Version), render.Printable(rs.File), render.ShortSum(rs.SHA256), render.Printable(origin))
}

// getenv reads the environment the streams supply.
func (f *Factory) getenv(key string) string {
	if f.IO != nil && f.IO.Getenv != nil {
		return f.IO.Getenv(key)
	}
	return os.Getenv(key)
}

// config reads the config file, once.
func (f *Factory) config() (config.File, error) {
	f.cfgOnce.Do(func() {
		f.cfg, f.cfgErr = config.Read(f.getenv)
		if f.cfgErr != nil {
			f.cfgErr = failf("%w", f.cfgErr)
		}
	})
	return f.cfg, f.cfgErr
}

// clinic is the clinic's name and phone from the config file, for
// handouts and letters, and the config file's path.
func (f *Factory) clinic() (handout.Clinic, string, error) {
	cfg, err := f.config()
	return cfg.Clinic, cfg.Path, err
}
