package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// For matches a language as rules.MatchLang does; what is no language
// mesoscreen speaks, or no tag at all (a POSIX locale, C), is English,
// said by the nil Printer.
func TestFor(t *testing.T) {
	tests := []struct {
		lang, want string
		isNil      bool
	}{
		{"en", "en", false}, {"es", "es", false}, {"fr", "fr", false},
		{"es-MX", "es", false}, {"es-419", "es", false}, {"fr-CA", "fr", false}, {"en-GB", "en", false},
		{"", "en", true}, {"C", "en", true}, {"POSIX", "en", true}, {"es_ES.UTF-8", "en", true},
		{"de", "en", true}, {"pt-BR", "en", true}, {"zz", "en", true},
	}
	for _, tt := range tests {
		p := For(tt.lang)
		assert.Equal(t, tt.want, p.Lang(), "%q", tt.lang)
		assert.Equal(t, tt.isNil, p == nil, "%q gives the nil Printer", tt.lang)
	}
}
