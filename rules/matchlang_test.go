package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/rules"
)

// MatchLang takes tags; a POSIX locale is the command's to read (LANG),
// and here it is no tag, so the default, inexact.
func TestMatchLang(t *testing.T) {
	langs := []string{"en", "es", "fr"}
	tests := []struct {
		req, lang string
		exact     bool
	}{
		{"", "en", true}, {"  ", "en", true}, {"en", "en", true}, {"es", "es", true}, {"fr-CA", "fr", true},
		{"es-MX", "es", true}, {"es_ES", "es", true},
		{"es_ES.UTF-8", "en", false}, {"C", "en", false}, {"POSIX", "en", false}, {"de", "en", false},
	}
	for _, tt := range tests {
		lang, exact := rules.MatchLang(tt.req, langs)
		assert.Equal(t, tt.lang, lang, "%q", tt.req)
		assert.Equal(t, tt.exact, exact, "%q", tt.req)
	}
	lang, exact := rules.MatchLang("fr-BE", []string{"es", "fr"})
	assert.Equal(t, "fr", lang)
	assert.True(t, exact)
}
