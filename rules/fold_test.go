package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/rules"
)

// An answer is the same words however its accents were written: composed
// (é), as a letter and a combining mark (e and ́), or left out.
func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"No sé.", "no se"},
		{"No se\u0301.", "no se"},
		{"  Kardégic  75 ", "kardegic 75"},
		{"Straße", "strasse"},
		{"l’Œuf", "l'oeuf"},
		{"already folded", "already folded"},
	} {
		assert.Equal(t, tt.want, rules.Fold(tt.in), "%q", tt.in)
	}
}

// A word is written as itself with its own accents, or with some or all
// of them left out, in any letter case; never with an accent it does not
// have.
func TestWrittenAs(t *testing.T) {
	for _, tt := range []struct {
		given, word string
		want        bool
	}{
		{"no", "no", true}, {"NO", "no", true}, {" No. ", "no", true},
		{"Ño", "no", false}, {"Nó", "no", false}, {"no\u0301", "no", false}, {"n\u0303o", "no", false},
		{"sí", "sí", true}, {"si", "sí", true}, {"SÍ", "sí", true}, {"si\u0301", "sí", true}, {"sì", "sí", false},
		{"No se.", "no sé", true}, {"no  sé", "no sé", true}, {"nó se", "no sé", false},
		{"strasse", "straße", true}, {"soeur", "sœur", true}, {"sœur", "soeur", false},
		{"don’t know", "don't know", true},
		{"año", "ano", false}, {"ano", "año", true},
		{"non", "no", false}, {"n", "no", false}, {"", "no", false},
	} {
		assert.Equal(t, tt.want, rules.WrittenAs(tt.given, tt.word), "%q as %q", tt.given, tt.word)
	}
}
