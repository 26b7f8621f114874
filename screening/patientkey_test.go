package screening_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/screening"
)

func TestPatientKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"DUP-1", "dup-1", true},
		{"DUP-1", "\uFEFFDUP-1", true},
		{"DUP-1", "DUP\u20111", true}, // non-breaking hyphen
		{"DUP-1", "DUP\u20131", true}, // en dash
		{"DUP-1", "DUP\u22121", true}, // minus sign
		{"DUP-1", "DUP\uFF0D1", true}, // full-width hyphen-minus
		{"DUP-1", "ＤＵＰ－１", true},      // full width
		{"DUP-1", "D\u200bUP-1\u200d", true},
		{"DUP-1", "DUP-\u00ad1", true}, // soft hyphen
		{"DUP-1", " DUP-1\u00a0", true},
		{"STRASSE-1", "straße-1", true},
		{"A 1", "A\u00a0 1", true},
		{"DUP-1", "DUP-2", false},
		{"DUP-1", "DUP1", false},
		{"DUP-1", "DUP 1", false},
		{"DUP-1", "DUP_1", false},
		{"A-1", "А-1", false}, // Cyrillic А: another letter, another id
	}
	for _, tt := range tests {
		assert.Equal(t, tt.same, screening.PatientKey(tt.a) == screening.PatientKey(tt.b), "%q and %q", tt.a, tt.b)
	}
}

// Generated spellings of one identifier are one key, and two identifiers
// that differ in a letter or a digit never are.
func TestPatientKeyGenerated(t *testing.T) {
	rnd := rand.New(rand.NewPCG(26, 3))
	invisible := []rune{'\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060', '\u00AD', '\u200E', '\u200F'}
	dashes := []rune{'-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE63', '\uFF0D'}
	spell := func(id string) string {
		var b strings.Builder
		if rnd.IntN(3) == 0 {
			b.WriteRune(invisible[rnd.IntN(len(invisible))])
		}
		for _, r := range id {
			switch {
			case r == '-':
				r = dashes[rnd.IntN(len(dashes))]
			case rnd.IntN(2) == 0 && unicode.IsLower(r):
				r = unicode.ToUpper(r)
			case rnd.IntN(4) == 0 && r < 0x7f && r > ' ':
				r += 0xFF01 - '!' // its full-width form
			}
			b.WriteRune(r)
			if rnd.IntN(4) == 0 {
				b.WriteRune(invisible[rnd.IntN(len(invisible))])
			}
		}
		return b.String()
	}
	const alphabet = "abcdefghkmnpqrstuvwxyz0123456789"
	n := 0
	for range 500 {
		var id strings.Builder
		for k := range 2 + rnd.IntN(8) {
			if k > 0 && rnd.IntN(4) == 0 {
				id.WriteByte('-')
			}
			id.WriteByte(alphabet[rnd.IntN(len(alphabet))])
		}
		base := id.String()
		key := screening.PatientKey(base)
		for range 10 {
			s := spell(base)
			assert.Equal(t, key, screening.PatientKey(s), "%q is %q", s, base)
			n++
		}
		// Another character in one place is another patient.
		rs := []rune(base)
		i := rnd.IntN(len(rs))
		if rs[i] != '-' {
			other := rs[i]
			for other == rs[i] {
				other = rune(alphabet[rnd.IntN(len(alphabet))])
			}
			rs[i] = other
			assert.NotEqual(t, key, screening.PatientKey(spell(string(rs))), "%q and %q", base, string(rs))
		}
	}
	t.Logf("%d spellings", n)
}
