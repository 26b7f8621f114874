package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/signing"
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
	if o.Keys, err = f.keyring(); err != nil {
		return nil, nil, err
	}
	return rs, screening.NewScreener(rs, o), nil
}

// keyStore is where the clinician's signing key and the clinic's trusted
// keys are.
func (f *Factory) keyStore() (signing.Store, error) {
	cfg, err := f.config()
	if err != nil {
		return signing.Store{}, err
	}
	st := signing.Store{Key: f.getenv(config.EnvSigningKey), TrustedPath: config.KeysPath(f.getenv, cfg)}
	if dir := config.Dir(f.getenv); st.Key == "" && dir != "" {
		st.Key = filepath.Join(dir, signing.KeyFile)
	}
	if st.Key == "" || st.TrustedPath == "" {
		return st, failf("there is no config folder to keep the signing key and the trusted keys in (set HOME, or %s)", config.EnvConfigDir)
	}
	return st, nil
}

// keyring is the keys the clinic trusts, read once.
func (f *Factory) keyring() (*screening.Keyring, error) {
	f.krOnce.Do(func() {
		st, err := f.keyStore()
		if err != nil {
			// Without a config folder no key is trusted: every saved
			// record then needs review, which is the safe reading.
			f.kr = &screening.Keyring{}
			return
		}
		if f.kr, err = st.Keyring(); err != nil {
			f.krErr = failf("%w", err)
		}
	})
	return f.kr, f.krErr
}

// signer is the clinician's signing key and the name the clinic trusts it
// under. The first time, the key pair is made in the clinician's config
// folder, and trusted under name (the --by or --clinician given, else the
// login name): both are said on stderr. A name given that is not the one
// the key is trusted as is refused: an event's "by" is the key's.
func (f *Factory) signer(name string) (screening.Signer, error) {
	if name != "" {
		if err := screening.CheckSignerName(name); err != nil {
			return screening.Signer{}, failf("%w", err)
		}
	}
	st, err := f.keyStore()
	if err != nil {
		return screening.Signer{}, err
	}
	priv, err := st.Own()
	if errors.Is(err, signing.ErrNoKey) {
		if priv, err = st.Create(); err == nil {
			fmt.Fprint(f.IO.Err, render.PrintableLines(fmt.Sprintf("made your signing key %s, which signs your records:\n%s\n",
				screening.KeyIDOf(priv.Public().(ed25519.PublicKey)), st.KeyPath())))
		}
	}
	if err != nil {
		return screening.Signer{}, failf("%w", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	id := screening.KeyIDOf(pub)
	trusted, err := st.Trusted()
	if err != nil {
		return screening.Signer{}, failf("%w", err)
	}
	for _, k := range trusted {
		if screening.KeyIDOf(k.Public) != id {
			continue
		}
		if name != "" && name != k.Name {
			return screening.Signer{}, failf("your signing key (%s) is trusted as %q, not %q: an event is signed by whoever holds the key; leave the name out, or ask the clinic lead to trust the key under your name", id, k.Name, name)
		}
		return screening.Signer{Name: k.Name, Key: priv}, nil
	}
	// Only a list of one's own is written on first use: a clinic's shared
	// list is the clinic lead's to add to ("key trust"), or anyone could
	// trust themselves into it.
	if own := filepath.Join(config.Dir(f.getenv), "trusted-keys.yaml"); st.TrustedPath != own {
		return screening.Signer{}, failf("your signing key (%s) is not among the keys the clinic trusts (%s): give the clinic lead the output of \"mesoscreen key show\" to add with \"mesoscreen key trust\"", id, st.TrustedPath)
	}
	if name == "" {
		name = loginName(f.getenv)
	}
	if name == "" {
		return screening.Signer{}, failf("your signing key (%s) is not trusted yet, and no name was given to trust it under: give your name with --by or --clinician", id)
	}
	if _, err := st.Trust(screening.TrustedKey{Name: name, Public: pub}); err != nil {
		return screening.Signer{}, failf("%w", err)
	}
	fmt.Fprint(f.IO.Err, render.PrintableLines(fmt.Sprintf("trusted your key as %q in %s\n(colleagues add it with \"mesoscreen key show\" and \"mesoscreen key trust\")\n", name, st.TrustedPath)))
	// The keyring holds the new key from now on, read or not yet.
	kr, err := st.Keyring()
	if err != nil {
		return screening.Signer{}, failf("%w", err)
	}
	f.krOnce.Do(func() {})
	f.kr, f.krErr = kr, nil
	return screening.Signer{Name: name, Key: priv}, nil
}

// loginName is the user's login name, for a clinician who gives none.
func loginName(getenv func(string) string) string {
	for _, k := range []string{"LOGNAME", "USER"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
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
	if f.announced || f.IO.Quiet {
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
