package meds

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mesoscreen/mesoscreen/rules"
)

// token is one word of a text: lower case and without accents (rules.Fold:
// "Kardégic" is kardegic, "lidocaína" lidocaina, and so is an accent written
// as a combining mark after its letter), apostrophes dropped,
// letters and digits apart ("5mg" is 5 and mg), with where it was written.
type token struct {
	s          string
	start, end int // byte offsets in the original text
	seg        int // which item of the list it belongs to
	// clause numbers the parts of the whole text that a colon, a bracket
	// or a dash between spaces sets apart ("Nil: warfarin", "None -
	// Eliquis", "lidocaine (hives)"); a new item is a new clause too. A
	// word that says no governs only names in its own clause.
	clause int
}

// tokenize splits text into words and the words into items. Items are
// separated by commas, semicolons, slashes, new lines, &, +, "and", "plus",
// and full stops that end a sentence (not the ones in "St. John's wort" or "vit. E").
// Within an item, clauses are separated by colons, brackets, en and em
// dashes, and a hyphen with a space on either side (not the one in
// "aspirin-free").
//
// The words are written one after another into one buffer, which becomes
// one string that every token's word is a part of: a list is read with a
// few allocations, not one or two a word.
func tokenize(text string) []token {
	// Room for a word of every 4 bytes, about what lists hold.
	elisions := cues().elisions // l', d', qu'
	toks := make([]token, 0, len(text)/4+1)
	offs := make([]int, 0, cap(toks)) // where each token's word ends in buf
	buf := make([]byte, 0, len(text))
	seg, clause := 0, 0
	word := 0 // where the current word starts in buf
	start, last := -1, 0
	var kind int // 0 none, 1 letters, 2 digits
	flush := func(end int) {
		if start < 0 {
			return
		}
		if w := string(buf[word:]); w == "and" || w == "plus" {
			seg++
			clause++
			buf = buf[:word]
		} else {
			toks = append(toks, token{start: start, end: end, seg: seg, clause: clause})
			offs = append(offs, len(buf))
		}
		word = len(buf)
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
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		var k int // 1 a letter, 2 a digit
		switch {
		case 'a' <= r && r <= 'z':
			k = 1
		case 'A' <= r && r <= 'Z':
			k, r = 1, r+'a'-'A'
		case '0' <= r && r <= '9':
			k = 2
		case r >= utf8.RuneSelf && unicode.IsDigit(r):
			k = 2
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			k = 1
		}
		switch {
		case k != 0:
			if start >= 0 && k != kind {
				flush(last)
			}
			if start < 0 {
				start = i
			}
			kind = k
			if r < utf8.RuneSelf {
				buf = append(buf, byte(r))
			} else {
				buf = append(buf, rules.FoldRune(r)...)
			}
			last = i + n
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			// john's is johns; an apostrophe outside a word is nothing.
			// A French elision is two words: l'aspirine is l and
			// aspirine, d'Eliquis d and eliquis.
			if start >= 0 && elisions[string(buf[word:])] {
				if next, _ := utf8.DecodeRuneInString(text[i+n:]); unicode.IsLetter(next) {
					flush(last)
				}
			}
		case kind == 1 && r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			// An accent written apart from its letter (e then U+0301, as text
			// pasted from some systems has é) stays in the word, and is
			// dropped as the accent of é is: "Karde\u0301gic" is kardegic.
			last = i + n
		case r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r' || r == '&' || r == '+' || r == '|':
			flush(last)
			breakSeg()
		case r == ':' || r == '(' || r == ')' || r == '[' || r == ']' || r == '–' || r == '—' || r == '‒' || r == '―':
			flush(last)
			breakClause()
		case r == '-' && spaceAround(text, i):
			flush(last)
			breakClause()
		case r == '.':
			w := string(buf[word:])
			abbrev := w == "st" || w == "e" || w == "g" || w == "vit"
			flush(last)
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if (i+n >= len(text) || unicode.IsSpace(next)) && !abbrev {
				breakSeg()
			}
		default:
			flush(last)
		}
		i += n
	}
	flush(last)
	if len(toks) == 0 {
		return nil
	}
	words := string(buf)
	from := 0
	for j := range toks {
		toks[j].s = words[from:offs[j]]
		from = offs[j]
	}
	return toks
}

// spaceAround reports whether the byte at i has a space, or the text's
// edge, on either side: "None - Eliquis" and "EMLA -swelling", not
// "aspirin-free".
func spaceAround(text string, i int) bool {
	before, after := i == 0, i+1 >= len(text)
	if !before {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		before = unicode.IsSpace(r)
	}
	if !after {
		r, _ := utf8.DecodeRuneInString(text[i+1:])
		after = unicode.IsSpace(r)
	}
	return before || after
}

// normalizeName gives the form a lexicon name is indexed under: its words,
// separated by single spaces. ok is false when the name would be read as
// more than one item.
func normalizeName(name string) (key string, ok bool) {
	toks := tokenize(name)
	words := make([]string, len(toks))
	for i, t := range toks {
		if t.seg != toks[0].seg {
			return "", false
		}
		words[i] = t.s
	}
	return strings.Join(words, " "), true
}
