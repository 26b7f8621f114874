package prompt

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"
	"github.com/goccy/go-yaml"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// The prompter says its own words from its catalog and mesoscreen's from
// mesoscreen's, in the rule set's language; its yes key is its own too.
func TestOwnWords(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tests := []struct {
		lang, hint, yes, yesKeys, answer string
	}{
		{"en", "Type a number from 1 to 3", "Yes", "y/n/?", "answer"},
		{"es", "Escriba un número del 1 al 3", "Sí", "s/n/?", "responder"},
		{"fr", "Tapez un numéro de 1 à 3", "Oui", "o/n/?", "répondre"},
	}
	for _, tt := range tests {
		tr := say(i18n.For(tt.lang))
		assert.Equal(t, tt.hint, tr.T("Type a number from 1 to %d", 3), tt.lang)
		assert.Equal(t, tt.yes, tr.T("Yes"), "%s: mesoscreen's words through the prompter's printer", tt.lang)
		in, err := rs.In(tt.lang)
		require.NoError(t, err)
		q, ok := in.Question("pregnant")
		require.True(t, ok)
		help := newAnswerField(tr, q, "", "").KeyBinds()[0].Help()
		assert.Equal(t, tt.yesKeys, help.Key, tt.lang)
		assert.Equal(t, tt.answer, help.Desc, tt.lang)
	}
}

// French puts a no-break space before : ; ? ! and » and after «, so that
// a line never starts with the mark; the prompter's French words keep it,
// as mesoscreen's do (screening/i18n).
func TestFrenchWordsKeepTheirSpaces(t *testing.T) {
	const nbsp = '\u00a0'
	bad := func(s string) []string {
		var out []string
		runes := []rune(s)
		for i, r := range runes {
			switch {
			case strings.ContainsRune(":;?!»", r) && (i == 0 || runes[i-1] != nbsp):
				out = append(out, fmt.Sprintf("no no-break space before %c at %d", r, i))
			case r == '«' && (i == len(runes)-1 || runes[i+1] != nbsp):
				out = append(out, fmt.Sprintf("no no-break space after « at %d", i))
			}
		}
		return out
	}
	assert.Len(t, bad("Abandonner ? « oui »"), 3, "the check can fail")
	b, err := wordFiles.ReadFile("i18n/fr.yaml")
	require.NoError(t, err)
	var file struct {
		Messages map[string]string `yaml:"messages"`
	}
	require.NoError(t, yaml.Unmarshal(b, &file))
	require.NotEmpty(t, file.Messages)
	for k, v := range file.Messages {
		assert.Empty(t, bad(v), "%q translated as %q", k, v)
	}
}

// TestHuhKeysSayTheirHelpInTheLanguage: the help bar under a form names
// huh's own keys in the interview's language, every one of them.
func TestHuhKeysSayTheirHelpInTheLanguage(t *testing.T) {
	// descs lists the help of every binding of a key map, in field order.
	var descs func(v reflect.Value) []string
	descs = func(v reflect.Value) []string {
		var out []string
		for i := range v.NumField() {
			f := v.Field(i)
			if b, ok := f.Addr().Interface().(*key.Binding); ok {
				out = append(out, b.Help().Desc)
			} else if f.Kind() == reflect.Struct {
				out = append(out, descs(f)...)
			}
		}
		return out
	}
	english := descs(reflect.ValueOf(huh.NewDefaultKeyMap()).Elem())
	require.Contains(t, english, "next")
	for _, lang := range []string{"es", "fr"} {
		km := huh.NewDefaultKeyMap()
		sayHelp(reflect.ValueOf(km).Elem(), say(i18n.For(lang)))
		assert.Equal(t, map[string]string{"es": "siguiente", "fr": "suivant"}[lang], km.Input.Next.Help().Desc)
		said := descs(reflect.ValueOf(km).Elem())
		require.Len(t, said, len(english))
		for i, d := range english {
			// "No" is Spanish too.
			if d != "" && (lang != "es" || d != "No") {
				assert.NotEqual(t, d, said[i], "%s: %q left in English", lang, d)
			}
		}
	}
}
