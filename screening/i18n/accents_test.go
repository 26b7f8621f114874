package i18n

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"

	"github.com/mesoscreen/mesoscreen/rules"
)

// marks are the accents a keyboard puts on Latin letters, as combining
// marks: acute, grave, circumflex, tilde, diaeresis, cedilla.
var marks = []rune{'\u0301', '\u0300', '\u0302', '\u0303', '\u0308', '\u0327'}

// withAccent is word with mark on its i-th rune, composed where Unicode
// has the letter; ok is false where the rune is no letter, or already
// carries an accent.
func withAccent(word string, i int, mark rune) (string, bool) {
	rs := []rune(word)
	if !unicode.IsLetter(rs[i]) || rules.FoldRune(rs[i]) != string(unicode.ToLower(rs[i])) {
		return "", false
	}
	out := string(rs[:i]) + string(rs[i]) + string(mark) + string(rs[i+1:])
	return norm.NFC.String(out), true
}

// withoutAccents is word with the accents of the runes picked by mask
// taken off.
func withoutAccents(word string, mask int) string {
	var b strings.Builder
	k := 0
	for _, r := range word {
		if rules.FoldRune(r) != string(unicode.ToLower(r)) && unicode.IsLetter(r) {
			if mask&(1<<k) != 0 {
				b.WriteString(rules.FoldRune(r))
				k++
				continue
			}
			k++
		}
		b.WriteRune(r)
	}
	return b.String()
}

// No accent changes what an answer word says. For every answer word of
// every language: the word with any of its own accents left out, in any
// letter case, says what the word says ("si", "SI" and "Sí" are "sí");
// the word with an accent it does not have, on any of its letters, says
// nothing ("nó", "ño", "nön", "oúi" are Other, and need review), unless
// that spelling is itself a listed word that says the same.
func TestAnswerWordAccentsNeverChangeMeaning(t *testing.T) {
	listed := map[string]Word{} // every word as spelt, lower case
	for _, l := range Langs() {
		for _, w := range []Word{Yes, No, Unsure} {
			for _, s := range AnswerWords(l, w) {
				listed[rules.Spelling(s)] = w
			}
		}
	}
	kept, added := 0, 0
	for _, l := range Langs() {
		for _, says := range []Word{Yes, No, Unsure} {
			for _, word := range AnswerWords(l, says) {
				accents := 0
				for _, r := range word {
					if unicode.IsLetter(r) && rules.FoldRune(r) != string(unicode.ToLower(r)) {
						accents++
					}
				}
				for mask := range 1 << accents {
					v := withoutAccents(word, mask)
					for _, c := range []string{v, strings.ToUpper(v), strings.ToUpper(v[:1]) + v[1:], " " + v + ". "} {
						assert.Equal(t, says, AnswerWord(c), "%q is %q without some of its accents", c, word)
						kept++
					}
				}
				for i := range []rune(word) {
					for _, m := range marks {
						v, ok := withAccent(word, i, m)
						if !ok {
							continue
						}
						want := Other
						if w, ok := listed[rules.Spelling(v)]; ok {
							want = w
						}
						for _, c := range []string{v, strings.ToUpper(v), norm.NFD.String(v)} {
							got := AnswerWord(c)
							assert.Equal(t, want, got, "%q is %q with an accent it does not have", c, word)
							assert.True(t, got == Other || got == says, "%q must never say another answer than %q", c, word)
							added++
						}
					}
				}
			}
		}
	}
	t.Logf("%d spellings with the word's own accents or fewer, %d with an accent the word does not have", kept, added)
}

func TestAnswerWordAccents(t *testing.T) {
	tests := []struct {
		in   string
		want Word
	}{
		{"no", No}, {"No", No}, {"NO", No},
		{"Ño", Other}, {"ño", Other}, {"Nó", Other}, {"nó", Other}, {"NÓ", Other}, {"no\u0301", Other}, {"n\u0303o", Other},
		{"ñ", Other}, {"Ñ", Other}, {"nön", Other}, {"nón", Other}, {"óui", Other}, {"sì", Other}, {"sï", Other},
		{"sí", Yes}, {"si", Yes}, {"SI", Yes}, {"SÍ", Yes}, {"si\u0301", Yes},
		{"no sé", Unsure}, {"no se", Unsure}, {"nó sé", Other}, {"ño se", Other},
		{"pas sûr", Unsure}, {"pas sur", Unsure}, {"pás sûr", Other},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, AnswerWord(tt.in), "%q", tt.in)
	}
}
