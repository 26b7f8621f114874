package meds

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// tokenizeSlow is tokenize as first written, a rune at a time with a
// builder per word: the reference the faster one is checked against.
// It splits text into words and the words into items. Items are
// separated by commas, semicolons, slashes, new lines, &, +, "and", "plus",
// and full stops that end a sentence (not the one in "St. John's wort").
func tokenizeSlow(text string) []token {
	var toks []token
	seg := 0
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
		} else {
			toks = append(toks, token{s: w, start: start, end: end, seg: seg})
		}
		start, kind = -1, 0
	}
	breakSeg := func() {
		if len(toks) > 0 && toks[len(toks)-1].seg == seg {
			seg++
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
			cur.WriteRune(unicode.ToLower(r))
			last = i + n
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			// john's is johns; an apostrophe outside a word is nothing.
		case r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r' || r == '&' || r == '+' || r == '|':
			flush(last)
			breakSeg()
		case r == '.':
			w := cur.String()
			flush(last)
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if i+n >= len(text) || unicode.IsSpace(next) {
				if w != "st" && w != "e" && w != "g" {
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
		"İbuprofen ΑΣΠΙΡΊΝΗ", "x\xffy", "B12 and vitamin D3 plus", "fish oil. Aspirin.", "e. coli", "Ⅻ½"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		require.Equal(t, tokenizeSlow(text), tokenize(text), "%q", text)
	})
}
