package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nbsp is the no-break space French texts put before : ; ? ! and inside
// « ». U+00A0 rather than the narrow U+202F: the Go fonts the PDF handout
// embeds have no glyph for U+202F, and the terminal's word wrap
// (charmbracelet/x/ansi) breaks a line at U+202F but never at U+00A0.
const nbsp = '\u00a0'

// frenchSpacing lists what is wrong with the spacing of a French text:
// each : ; ? ! or » not preceded by a no-break space, each « not followed
// by one, and each of those marks with an ordinary space beside it, which
// lets a line start with ";" or end with "«". The syntax of placeholders
// ({meds:...}) is not text; the words around them are.
func frenchSpacing(s string) []string {
	if ps, err := Placeholders(s); err == nil {
		var b strings.Builder
		last := 0
		for _, p := range ps {
			b.WriteString(s[last:p.Start])
			b.WriteString(strings.Replace(p.Frame, "%s", "X", 1))
			last = p.End
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	var out []string
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case strings.ContainsRune(":;?!»", r) && (i == 0 || runes[i-1] != nbsp):
			out = append(out, quoteAround(runes, i)+": no no-break space before "+string(r))
		case r == '«' && (i == len(runes)-1 || runes[i+1] != nbsp):
			out = append(out, quoteAround(runes, i)+": no no-break space after «")
		}
	}
	return out
}

// quoteAround quotes the few characters around runes[i], for a message.
func quoteAround(runes []rune, i int) string {
	return "\"" + string(runes[max(0, i-12):min(len(runes), i+8)]) + "\""
}

// Every French text of the default rule set follows French typography:
// a no-break space, never an ordinary one, before : ; ? ! and inside « »,
// so that no line of a handout or a screen starts with ";" or "?".
func TestFrenchTextsKeepTheirSpaces(t *testing.T) {
	rs, err := Default()
	require.NoError(t, err)
	fr, err := rs.In("fr")
	require.NoError(t, err)
	n := 0
	eachText(fr, func(key string, s *string) {
		if *s == "" {
			return
		}
		n++
		t.Run(key, func(t *testing.T) {
			assert.Empty(t, frenchSpacing(*s), "%q", *s)
		})
	})
	assert.Greater(t, n, 250, "every French text is checked")
}

// The check catches each way a French text can lose its spaces, and
// passes a text that keeps them.
func TestFrenchSpacingCheck(t *testing.T) {
	nb := string(nbsp)
	tests := []struct {
		text string
		bad  int
	}{
		{"Allaitez-vous" + nb + "?", 0},
		{"A réagi" + nb + "; un professionnel" + nb + ": oui" + nb + "!", 0},
		{"choisissez «" + nb + "Je ne sais pas" + nb + "»", 0},
		{"A réagi{answer:allergy_details|" + nb + ": %s}" + nb + "; voir", 0},
		{"{meds:nsaid,bleeding_supplement}", 0},
		{"Allaitez-vous ?", 1},
		{"Allaitez-vous?", 1},
		{"A réagi ; voir", 1},
		{"Note : voir", 1},
		{"Stop !", 1},
		{"« Je ne sais pas »", 2},
		{"A réagi{answer:allergy_details| : %s}", 1},
		{"? en tête", 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Len(t, frenchSpacing(tt.text), tt.bad, "%v", frenchSpacing(tt.text))
		})
	}
}
