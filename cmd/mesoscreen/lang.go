package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/rules"
)

// The language of what a command shows: --lang, else MESOSCREEN_LANG,
// else LANG, matched to the best of the rule set's languages (es-MX gets
// es). A language the rule set has nothing close to gets its own, with a
// warning. JSON keeps ids and levels in English, with the language in
// "lang".
const envLang = "MESOSCREEN_LANG"

// addLangFlag gives a command --lang.
func addLangFlag(cmd *cobra.Command, lang *string) {
	cmd.Flags().StringVar(lang, "lang", "", "the `LANGUAGE` of the texts: en, es or fr (es-MX, fr-CA match es, fr); default $"+envLang+", else $LANG")
	completeFlag(cmd, "lang", fixed("en", "es", "fr"))
}

// ruleSetIn loads the rule set in use, as ruleSet does, in the language
// flag asks for, or the environment does when flag is empty.
func (g *globalOptions) ruleSetIn(flag string) (*rules.RuleSet, error) {
	rs, err := g.ruleSet()
	if err != nil {
		return nil, err
	}
	return g.localize(rs, flag, "")
}

// localize returns rs in the language flag asks for; else, for a saved
// record, in the record's own (the language the patient was screened
// in: a handout or a re-screen is for the patient); else in the one the
// environment asks for.
func (g *globalOptions) localize(rs *rules.RuleSet, flag, record string) (*rules.RuleSet, error) {
	requested, from := flag, "--lang"
	getenv := g.streams.Getenv
	if requested == "" && record != "" {
		requested, from = record, "the record"
	}
	if requested == "" {
		requested, from = getenv(envLang), envLang
	}
	if requested == "" {
		requested, from = localeLang(getenv("LANG")), "LANG"
	}
	if requested == "" {
		return rs, nil
	}
	m := rs.MatchLanguage(requested)
	if !m.Exact {
		fmt.Fprintf(g.streams.Err, "warning: the rule set has no texts in %q (from %s); it has %s, and %s is used\n",
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
