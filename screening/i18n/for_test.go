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

// N picks the text by the language's plural rule: French says 0 and 1 in
// the singular, English and Spanish 1 only.
func TestN(t *testing.T) {
	const one, other = "screened on %s, %d days ago: re-screen before treatment (a screening holds for %d day)",
		"screened on %s, %d days ago: re-screen before treatment (a screening holds for %d days)"
	var en *Printer
	assert.Equal(t, "screened on 1 May, 3 days ago: re-screen before treatment (a screening holds for 1 day)", en.N(1, one, other, "1 May", 3, 1))
	assert.Equal(t, "screened on 1 May, 3 days ago: re-screen before treatment (a screening holds for 0 days)", en.N(0, one, other, "1 May", 3, 0))
	assert.Contains(t, For("es").N(1, one, other, "1 de mayo", 3, 1), "vale 1 día)")
	assert.Contains(t, For("es").N(2, one, other, "1 de mayo", 3, 2), "vale 2 días)")
	assert.Contains(t, For("fr").N(0, one, other, "1 mai", 3, 0), "vaut 0 jour)")
	assert.Contains(t, For("fr").N(2, one, other, "1 mai", 3, 2), "vaut 2 jours)")
}
