package meds

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// stripMarks decomposes a letter and drops its accents: é is e and ́.
var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)))

// foldSlow is what rules.FoldRune is documented to do: a letter of the
// Latin-1 Supplement to Latin Extended-B loses its accents and the letters
// that are two in one are written out; every letter is lower case.
func foldSlow(r rune) string {
	if r < 0xC0 || r > 0x24F {
		return string(unicode.ToLower(r))
	}
	switch unicode.ToLower(r) {
	case 'ß':
		return "ss"
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	case 'ø':
		return "o"
	case 'đ':
		return "d"
	case 'ł':
		return "l"
	}
	s, _, err := transform.String(stripMarks, string(r))
	if err != nil {
		panic(err)
	}
	return strings.ToLower(s)
}

// elidedSlow are the French words that an apostrophe before a letter ends:
// l'aspirine is l and aspirine, qu'il qu and il.
var elidedSlow = []string{"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu"}

// tokenizeSlow is tokenize as first written, a rune at a time with a
// builder per word: the reference the faster one is checked against.
// It splits text into words and the words into items. Words are folded
// (foldSlow), an apostrophe inside a word is dropped except after a French
// elision, where it ends the word. Items are separated by commas,
// semicolons, slashes, new lines, &, +, "and", "plus", and full stops that
// end a sentence (not the ones in "St. John's wort", "e.g." or "vit. E").
func tokenizeSlow(text string) []token {
	var toks []token
	seg, clause := 0, 0
	var cur strings.Builder
	start, last := -1, 0
	var kind int // 0 none, 1 letters, 2 digits
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := cur.String()
		cur.Reset()
		if w == "and" || w == "plus" {
			seg++
			clause++
		} else {
			toks = append(toks, token{s: w, start: start, end: end, seg: seg, clause: clause})
		}
		start, kind = -1, 0
	}
	breakSeg := func() {
		if len(toks) > 0 && toks[len(toks)-1].seg == seg {
			seg++
			clause++
		}
	}
	breakClause := func() {
		if len(toks) > 0 && toks[len(toks)-1].clause == clause {
			clause++
		}
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			k := 1
			if unicode.IsDigit(r) {
				k = 2
			}
			if start >= 0 && k != kind {
				flush(last)
			}
			if start < 0 {
				start = i
			}
			kind = k
			cur.WriteString(foldSlow(r))
			last = i + n
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			// john's is johns; an apostrophe outside a word is nothing.
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if start >= 0 && slices.Contains(elidedSlow, cur.String()) && unicode.IsLetter(next) {
				flush(last)
			}
		case start >= 0 && kind == 1 && unicode.Is(unicode.Mn, r):
			// A combining accent after a letter: the word goes on, without it.
			last = i + n
		case r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r' || r == '&' || r == '+' || r == '|':
			flush(last)
			breakSeg()
		case strings.ContainsRune(":()[]–—‒―", r):
			flush(last)
			breakClause()
		case r == '-' && (strings.TrimRightFunc(text[:i], unicode.IsSpace) != text[:i] || i == 0 ||
			strings.TrimLeftFunc(text[i+1:], unicode.IsSpace) != text[i+1:] || i+1 == len(text)):
			// A hyphen with a space, or the text's edge, on either side.
			flush(last)
			breakClause()
		case r == '.':
			w := cur.String()
			flush(last)
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if i+n >= len(text) || unicode.IsSpace(next) {
				if w != "st" && w != "e" && w != "g" && w != "vit" {
					breakSeg()
				}
			}
		default:
			flush(last)
		}
		i += n
	}
	flush(last)
	return toks
}

// tokenize agrees with the first, slower way of writing it, token for
// token, on texts of every kind.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Eliquis 5mg bid", "St. John's wort; no aspirin", "warfrin/clopidogrl\nstopped",
		"ω-3 🐟 oil", "a.b.c.", "'''", "and and and", "aspirin-free", "Lipitorx5", "st.", "e.g. fish oil",
		"İbuprofen ΑΣΠΙΡΊΝΗ", "x\xffy", "B12 and vitamin D3 plus", "fish oil. Aspirin.", "e. coli", "Ⅻ½",
		"ę", "Kardégic, lidocaína", "l'aspirine et d’Eliquis", "qu'il", "L'Œuf", "Straße", "vit. E", "ΑΣΠΙΡΊΝΗ ḃ", "Karde\u0301gic", "\u0301x", "5\u0301",
		"Nil: warfarin 5mg", "None - Eliquis", "EMLA -swelling", "lidocaine (hives)", "a – b—c", "-x-", "x -\u00a0y", "[a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		require.Equal(t, tokenizeSlow(text), tokenize(text), "%q", text)
	})
}
