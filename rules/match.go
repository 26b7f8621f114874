package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchTerm is one entry of a question's match: list, as words. A header
// holds the term when it has these words one after the other, ignoring
// case, punctuation and the articles a, an and the; a word ending in *
// stands for any word it begins ("pregnan*" for pregnant and pregnancy),
// and any other word also for itself with a plural s ("clot" for clots).
type MatchTerm []string

// MatchWords splits a text into the lower-case words that match terms
// are compared with: runs of letters and digits, without the articles.
// In a term, a * stays at the end of its word.
func MatchWords(s string) []string {
	var out []string
	// Accents are folded: "coagulación" and "coagulacion" are one word.
	for _, w := range strings.FieldsFunc(strings.Map(foldLetter, s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*'
	}) {
		for _, part := range splitStars(w) {
			if part != "a" && part != "an" && part != "the" {
				out = append(out, part)
			}
		}
	}
	return out
}

// foldLetter is FoldRune for a letter that folds to one letter, and
// unicode.ToLower for any other rune.
func foldLetter(r rune) rune {
	if f := FoldRune(r); utf8.RuneCountInString(f) == 1 {
		r, _ = utf8.DecodeRuneInString(f)
		return r
	}
	return unicode.ToLower(r)
}

// splitStars cuts "a*b" after each *, so that a * can only end a word.
func splitStars(w string) []string {
	var out []string
	for {
		i := strings.IndexByte(w, '*')
		if i < 0 || i == len(w)-1 {
			if w != "" {
				out = append(out, w)
			}
			return out
		}
		out = append(out, w[:i+1])
		w = w[i+1:]
	}
}

// MatchTerms returns the question's match: terms, as words: its own, then
// those its translations add.
func (q *Question) MatchTerms() []MatchTerm {
	local := q.matchLocal()
	out := make([]MatchTerm, 0, len(q.Match)+len(local))
	for _, m := range append(slices.Clip(q.Match), local...) {
		if ws := MatchWords(m); len(ws) > 0 {
			out = append(out, ws)
		}
	}
	return out
}

// matchesWord reports whether header word w is term word tw.
func (t MatchTerm) matchesWord(tw, w string) bool {
	if stem, ok := strings.CutSuffix(tw, "*"); ok {
		return strings.HasPrefix(w, stem)
	}
	return w == tw || w == tw+"s" || w == tw+"es"
}

// Find returns where the term first occurs in words, as the index of its
// first word, or -1.
func (t MatchTerm) Find(words []string) int {
	for i := 0; i+len(t) <= len(words); i++ {
		ok := true
		for j, tw := range t {
			if !t.matchesWord(tw, words[i+j]) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// String writes the term as it is declared, in its words.
func (t MatchTerm) String() string { return strings.Join(t, " ") }

// checkMatch refuses match: terms that cannot be found in a header.
func (ld *loader) checkMatch(p string, q *Question) {
	seen := map[string]bool{}
	for j, m := range q.Match {
		mp := fmt.Sprintf("%s.match[%d]", p, j)
		ws := MatchWords(m)
		switch {
		case len(ws) == 0:
			ld.Errorf(mp, "match term %q of %q has no words; expected words a header holds, such as \"blood clot\" or \"pregnan*\"", m, q.ID)
			continue
		case badStar(m):
			ld.Errorf(mp, "match term %q of %q has a * that ends no word; expected * only at the end of a word, as in \"allerg*\"", m, q.ID)
			continue
		}
		key := MatchTerm(ws).String()
		if seen[key] {
			ld.Errorf(mp, "match term %q is declared twice for %q", m, q.ID)
		}
		seen[key] = true
	}
}

// badStar reports a * that does not end a word: one alone, or with a
// letter after it.
func badStar(m string) bool {
	r := []rune(m)
	for i, c := range r {
		if c != '*' {
			continue
		}
		wordBefore := i > 0 && (unicode.IsLetter(r[i-1]) || unicode.IsDigit(r[i-1]))
		wordAfter := i+1 < len(r) && (unicode.IsLetter(r[i+1]) || unicode.IsDigit(r[i+1]) || r[i+1] == '*')
		if !wordBefore || wordAfter {
			return true
		}
	}
	return false
}

// lintMatch warns about a term two questions share: a header holding it
// is evidence for neither.
func (ld *loader) lintMatch() {
	first := map[string]string{}
	for i, q := range ld.rs.Questions {
		for j, t := range q.MatchTerms() {
			key := t.String()
			if other, ok := first[key]; ok && other != q.ID {
				ld.Warnf(fmt.Sprintf("$.questions[%d].match[%d]", i, j), "match term %q is declared for both %q and %q; a header with it is evidence for neither", key, other, q.ID)
				continue
			}
			first[key] = q.ID
		}
	}
}
