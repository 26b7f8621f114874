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

// foldedRunes holds the folded form of the accented Latin letters, from the
// Latin-1 Supplement to Latin Extended-B: the letter without its marks,
// in lower case. Letters that are two letters in one are written out.
var foldedRunes = func() map[rune]string {
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

// asciiStrings holds each ASCII character as a string, so that folding
// one allocates nothing.
var asciiStrings = func() (t [utf8.RuneSelf]string) {
	for i := range t {
		t[i] = string(rune(i))
	}
	return t
}()

// FoldRune returns the lower-case letters r is folded to: "e" for "É",
// "oe" for "œ", r in lower case for a letter without accents.
func FoldRune(r rune) string {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return asciiStrings[r]
	}
	if s, ok := foldedRunes[r]; ok {
		return s
	}
	return string(unicode.ToLower(r))
}

// Fold returns s as words are compared across languages: lower case,
// without accents (nor accents written as combining marks), with ’ and ‘
// read as ', runs of spaces as one, and no space or full stop at either
// end ("No sé." is "no se").
func Fold(s string) string {
	if folded(s) {
		return s // most answers are written so: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '’' || r == '‘' || r == '`':
			r = '\''
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		switch {
		case 'A' <= r && r <= 'Z':
			b.WriteByte(byte(r + 'a' - 'A'))
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		default:
			b.WriteString(FoldRune(r))
		}
	}
	return strings.TrimRight(strings.TrimRight(b.String(), ".!"), " ")
}

// folded reports whether Fold would give s back as it is: ASCII without
// capitals, backquotes, runs of spaces or spaces, full stops and
// exclamation marks at the ends.
func folded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == '.' || s[len(s)-1] == '!' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z', c == '`', c < ' ':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// SameWords reports whether a and b are the same words as Fold compares
// them, without folding when it need not.
func SameWords(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	return Fold(a) == Fold(b)
}

// Spelling returns s as Fold does, but with its accents: lower case, in
// composed form (an accent typed as a combining mark joins its letter),
// with ’ and ‘ read as ', runs of spaces as one, and no space or full
// stop at either end ("No sé." is "no sé").
func Spelling(s string) string {
	if folded(s) {
		return s
	}
	s = norm.NFC.String(strings.ToLower(s))
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
		b.WriteRune(r)
	}
	return strings.TrimRight(strings.TrimRight(b.String(), ".!"), " ")
}

// WrittenAs reports whether given is word written with the word's own
// accents, or without them: "SÍ", "sí" and "si" are "sí", and "no se" is
// "no sé"; but "nó" and "ño" are not "no". Leaving an accent out is how a
// keyboard writes a word; an accent the word does not have makes another
// word ("ño", "año" and "ano" are three), so a letter is read only as
// itself or as itself without its accents (FoldRune). Letter case, spaces
// at the ends, runs of spaces and a final full stop are ignored, as Fold
// ignores them.
//
// Answer words are matched so (AnswerWord in screening/i18n, option
// labels): Fold alone would read "Ño" as "no".
func WrittenAs(given, word string) bool {
	g, w := Spelling(given), Spelling(word)
	if g == w {
		return true
	}
	for _, r := range w {
		own := string(r)
		switch {
		case strings.HasPrefix(g, own):
			g = g[len(own):]
		case strings.HasPrefix(g, FoldRune(r)) && FoldRune(r) != own:
			g = g[len(FoldRune(r)):]
		default:
			return false
		}
	}
	return g == ""
}
