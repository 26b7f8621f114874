package meds

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: lower case, apostrophes dropped, letters and
// digits apart ("5mg" is 5 and mg), with where it was written.
type token struct {
	s          string
	start, end int // byte offsets in the original text
	seg        int // which item of the list it belongs to
}

// tokenize splits text into words and the words into items. Items are
// separated by commas, semicolons, slashes, new lines, &, +, "and", "plus",
// and full stops that end a sentence (not the one in "St. John's wort").
func tokenize(text string) []token {
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

// osaDistance is the edit distance counting an insertion, a deletion, a
// substitution or a swap of two neighbouring letters as one edit. It stops
// counting at max.
func osaDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= max || -d >= max {
		return max
	}
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, rows[i-2][j-2]+1)
			}
			rows[i][j] = v
		}
	}
	return min(rows[len(ra)][len(rb)], max)
}
