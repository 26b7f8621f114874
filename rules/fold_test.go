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
