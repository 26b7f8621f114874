package intake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/mesoscreen/mesoscreen/rules"
)

// DraftMapping drafts a mapping for an export with the given header row by
// matching each header's words to the rule set's questions (their ask text,
// help and id). A header it cannot match confidently is left with an empty
// field and a TODO comment, for the user to fill in: it never guesses.
func DraftMapping(rs *rules.RuleSet, headers []string) []byte {
	type cand struct {
		col, q int
		score  float64
	}
	var cands []cand
	var ignore []string
	skip := map[int]bool{}
	for i, h := range headers {
		h = strings.TrimSpace(h)
		if isTimestamp(h) {
			ignore = append(ignore, h)
			skip[i] = true
			continue
		}
		hw := words(h)
		for j, q := range rs.Questions {
			s := overlap(hw, questionWords(q))
			if strings.EqualFold(h, q.ID) {
				s = 1
			}
			if s >= 0.5 {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	// Best matches first; each header and each question is used once.
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	match := map[int]int{}
	usedQ := map[int]bool{}
	for _, c := range cands {
		if _, done := match[c.col]; done || usedQ[c.q] {
			continue
		}
		match[c.col] = c.q
		usedQ[c.q] = true
	}

	var b strings.Builder
	b.WriteString("# A mapping from a form export to mesoscreen fields, drafted by\n")
	b.WriteString("# \"mesoscreen template mapping\". Check every column before use: a\n")
	b.WriteString("# column marked TODO matched no question, and must get a field id or go\n")
	b.WriteString("# under ignore:. Answer texts not listed under values are read as written.\n")
	fmt.Fprintf(&b, "kind: %s\n", MappingKind)
	b.WriteString("ignore:")
	if len(ignore) == 0 {
		b.WriteString(" []\n")
	} else {
		b.WriteString("\n")
		for _, h := range ignore {
			fmt.Fprintf(&b, "  - %s\n", strconv.Quote(h))
		}
	}
	b.WriteString("# Answer texts of every column: yes/no questions and \"not sure\".\n")
	b.WriteString("values:\n")
	for _, kv := range [][2]string{{"Yes", "yes"}, {"No", "no"}, {"Not sure", "unsure"}, {"Don't know", "unsure"}} {
		fmt.Fprintf(&b, "  %s: %s\n", strconv.Quote(kv[0]), strconv.Quote(kv[1]))
	}
	b.WriteString("columns:\n")
	var missing []string
	for i, h := range headers {
		if skip[i] {
			continue
		}
		h = strings.TrimSpace(h)
		fmt.Fprintf(&b, "  - header: %s\n", strconv.Quote(h))
		j, ok := match[i]
		if !ok {
			b.WriteString("    field: \"\"  # TODO: no question matched; fill in a field id or move the header to ignore:\n")
			continue
		}
		q := rs.Questions[j]
		fmt.Fprintf(&b, "    field: %s  # matched: %s\n", q.ID, strconv.Quote(q.Ask))
		if q.Type == rules.List {
			b.WriteString("    separator: \", \"  # how the export joins several checked answers\n")
		}
		if len(q.Options) > 0 {
			b.WriteString("    values:\n")
			for _, o := range q.Options {
				if o.Label != "" {
					fmt.Fprintf(&b, "      %s: %s\n", strconv.Quote(o.Label), strconv.Quote(o.Value))
				}
			}
		}
	}
	for j, q := range rs.Questions {
		if !usedQ[j] && q.Required {
			missing = append(missing, q.ID)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "# No column matched these required fields; without them every record\n# needs review: %s\n", strings.Join(missing, ", "))
	}
	return []byte(b.String())
}

func isTimestamp(h string) bool {
	switch strings.ToLower(h) {
	case "timestamp", "zeitstempel", "horodateur", "marca temporal", "submitted at", "submission time":
		return true
	}
	return false
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "or": true, "and": true, "of": true, "in": true, "to": true,
	"do": true, "does": true, "you": true, "your": true, "is": true, "are": true, "has": true,
	"have": true, "had": true, "patient": true, "any": true, "be": true, "could": true, "for": true,
	"it": true, "she": true, "they": true, "ever": true, "what": true, "which": true, "how": true,
	"take": true, "takes": true, "like": true, "would": true, "there": true, "at": true, "now": true,
	"if": true, "yes": true, "no": true, "i": true, "my": true, "we": true, "please": true, "with": true,
}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if stopWords[w] {
			continue
		}
		out[stem(w)] = true
	}
	return out
}

// stem folds simple English endings so that "areas" meets "area".
func stem(w string) string {
	for _, suf := range []string{"ing", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

func questionWords(q *rules.Question) map[string]bool {
	return words(q.Ask + " " + q.Help + " " + strings.ReplaceAll(q.ID, "_", " "))
}

// overlap is the share of the header's words that the question also has,
// with a little weight on how much of the question that covers, to break
// ties in favour of the closer question.
func overlap(h, q map[string]bool) float64 {
	if len(h) == 0 || len(q) == 0 {
		return 0
	}
	n := 0
	for w := range h {
		if q[w] {
			n++
		}
	}
	return float64(n)/float64(len(h)) + 0.1*float64(n)/float64(len(q))
}
