package main

import (
	"github.com/spf13/cobra"
)

// The language of what a command shows: --lang, else MESOSCREEN_LANG,
// else LANG, matched to the best of the rule set's languages (es-MX gets
// es). A language the rule set has nothing close to gets its own, with a
// warning. JSON keeps ids and levels in English, with the language in
// "lang".
const envLang = "MESOSCREEN_LANG"

// addLangFlag gives a command --lang, completed with the languages of the
// rule set in use.
func addLangFlag(cmd *cobra.Command, f *Factory, lang *string) {
	cmd.Flags().StringVar(lang, "lang", "", "the `LANGUAGE` of the texts, one of the rule set's (the default's are en, es and fr; es-MX matches es); default $"+envLang+", else the config file's lang:, else the locale")
	completeFlag(cmd, "lang", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		rs, err := f.ruleSet()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return rs.Languages(), cobra.ShellCompDirectiveNoFileComp
	})
}
