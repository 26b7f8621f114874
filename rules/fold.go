package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Patients and forms write the same word with and without its accents:
// "sí" and "si", "Kardégic" and "Kardegic", "lidocaína" and "lidocaina",
// "no sé" and "no se". Words are compared in a folded form, lower case
// and without accents, so that a missing accent never turns a known word
// into an unknown one.

// folded holds the folded form of the accented Latin letters, from the
// Latin-1 Supplement to Latin Extended-B: the letter without its marks,
// in lower case. Letters that are two letters in one are written out.
var folded = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l"}
	for r := rune(0xC0); r <= 0x24F; r++ {
		if _, ok := m[r]; ok || !unicode.IsLetter(r) {
			continue
		}
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(unicode.ToLower(d))
			}
		}
		if s := b.String(); s != "" && s != string(unicode.ToLower(r)) {
			m[r] = s
		}
	}
	return m
}()

// FoldRune returns the lower-case letters r is folded to: "e" for "É",
// "oe" for "œ", r in lower case for a letter without accents.
func FoldRune(r rune) string {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return string(r)
	}
	if s, ok := folded[r]; ok {
		return s
	}
	return string(unicode.ToLower(r))
}

// Fold returns s as words are compared across languages: lower case,
// without accents, with ’ and ‘ read as ', runs of spaces as one, and no
// space or full stop at either end ("No sé." is "no se").
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '’' || r == '‘' || r == '`':
			r = '\''
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(FoldRune(r))
	}
	return strings.TrimRight(strings.TrimRight(b.String(), ".!"), " ")
}
