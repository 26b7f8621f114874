package forms

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// proposeValue says what an answer text of the export is read as for q,
// if the draft can tell; it never guesses: a text it cannot tell is left
// to the clinic.
func proposeValue(q *rules.Question, text string) (string, bool) {
	norm := strings.ToLower(strings.TrimSpace(text))
	if saysUnsure(text) {
		// Where the question takes no "not sure" (a goal, the areas), the
		// answer is left to the clinic: it is flagged as it is.
		return "unsure", q.Type != rules.Text && q.AllowsUnsure()
	}
	switch q.Type {
	case rules.YesNo:
		return yesNoFor(text)
	case rules.Integer:
		// Only a number: "No" to "Are you under 18?" is no age.
		if a := screening.ParseAnswer(q, text); a.State == screening.Given {
			return norm, true
		}
	case rules.Choice, rules.List:
		// The option the rule set marks as the no ("No diabetes").
		if v, _ := yesNoFor(text); v == "no" && q.MeansNo() != "" {
			return q.MeansNo(), true
		}
		return optionFor(q, text)
	}
	return "", false
}

// saysUnsure reports whether an answer says "I don't know" in any of
// mesoscreen's languages, or hedges ("maybe"). Reading a hedge as unsure
// is always safe: an unsure answer is never harmless.
func saysUnsure(text string) bool {
	return i18n.AnswerWord(text) == i18n.Unsure || i18n.Hedge(text)
}

// yesNoFor reads the plain yes/no words only, the ones screening reads
// in each of mesoscreen's languages: "No, but I might be" is not a no.
func yesNoFor(text string) (string, bool) {
	switch i18n.AnswerWord(text) {
	case i18n.Yes:
		return "yes", true
	case i18n.No:
		return "no", true
	}
	return "", false
}

// optionFor finds the one option an answer names: its value or label, or
// an answer whose words all are in the label's, or hold all of them
// ("Upper arms" for Arms, "Smaller pores" for "Smaller pores, finer
// texture"), when it names a word that not every option has. A negation
// ("no", "without") must be on both sides, and then the answer holds no
// word the label does not.
// An answer that fits two options names neither.
func optionFor(q *rules.Question, text string) (string, bool) {
	norm := strings.ToLower(strings.TrimSpace(text))
	for _, o := range q.Options {
		if norm == o.Value || strings.EqualFold(norm, strings.TrimSpace(o.Label)) {
			return o.Value, true
		}
	}
	// An option's label in another of the rule set's languages.
	if v, ok := q.OptionValue(text); ok {
		return v, true
	}
	aw, aneg := answerWords(text)
	if len(aw) == 0 && aneg == 0 {
		return "", false
	}
	labels := make([]map[string]bool, len(q.Options))
	negs := make([]negation, len(q.Options))
	common := map[string]int{}
	for i, o := range q.Options {
		name := o.Label
		if name == "" {
			name = strings.ReplaceAll(o.Value, "_", " ")
		}
		labels[i], negs[i] = answerWords(name)
		for w := range labels[i] {
			common[w]++
		}
	}
	// An answer must name something that tells the options apart:
	// "Diabetes" is in every label of the diabetes question.
	if len(aw) > 0 && !slices.ContainsFunc(slices.Collect(maps.Keys(aw)), func(w string) bool { return common[w] < len(q.Options) }) {
		return "", false
	}
	found := ""
	for i, o := range q.Options {
		lw, lneg := labels[i], negs[i]
		// With a negation, the answer may add no word to the label's:
		// in "Diabetes, no insulin" the no is not the one of "No
		// diabetes".
		sameWords := subset(aw, lw) || aneg == 0 && subset(lw, aw)
		if lneg != aneg || !sameWords {
			continue
		}
		if found != "" {
			return "", false
		}
		found = o.Value
	}
	return found, found != ""
}

// negation is what turns an answer round: a no ("No", "don't", split
// into "don" and "t") or a without ("without insulin", "non-insulin").
// Two texts name the same option only with the same of them: "No" is
// "No diabetes", not "Diabetes without insulin".
type negation uint8

const (
	negNo negation = 1 << iota
	negWithout
)

var negations = map[string]negation{
	"no": negNo, "not": negNo, "none": negNo, "never": negNo, "nope": negNo,
	"don": negNo, "dont": negNo, "doesn": negNo, "isn": negNo, "aren": negNo, "haven": negNo, "hasn": negNo,
	"without": negWithout, "non": negWithout,
}

// answerFiller are words an answer carries that say nothing of which
// option it is.
var answerFiller = map[string]bool{
	"yes": true, "i": true, "im": true, "a": true, "an": true, "the": true, "and": true, "or": true,
	"of": true, "to": true, "in": true, "on": true, "for": true, "with": true, "my": true, "me": true,
	"am": true, "use": true, "take": true, "have": true, "do": true, "e": true, "g": true, "eg": true,
	"but": true, "t": true, "s": true,
}

// answerWords splits an answer into its words, cut to six letters after a
// plural s so that "diabetic" meets "diabetes", and tells which
// negations it holds.
func answerWords(s string) (map[string]bool, negation) {
	out := map[string]bool{}
	var neg negation
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		switch {
		case negations[w] != 0:
			neg |= negations[w]
		case answerFiller[w]:
		default:
			w = strings.TrimSuffix(w, "s")
			if r := []rune(w); len(r) > 6 {
				w = string(r[:6])
			}
			out[w] = true
		}
	}
	return out, neg
}

func subset(a, b map[string]bool) bool {
	if len(a) == 0 {
		return true
	}
	for w := range a {
		if !b[w] {
			return false
		}
	}
	return true
}

// separatorsIn lists the separators a list column's answers hold, each
// with how many answers hold it, the most held first: a line break
// (Jotform), ";" (Microsoft Forms), ", " (Google Forms), "|" or ",";
// for as many answers, the first of these.
func separatorsIn(answers []ExportAnswer) []ExportAnswer {
	var out []ExportAnswer
	for _, sep := range []string{"\n", ";", ", ", "|", ","} {
		n := 0
		for _, a := range answers {
			if strings.Contains(a.Text, sep) {
				n++
			}
		}
		if n > 0 {
			out = append(out, ExportAnswer{Text: sep, Count: n})
		}
	}
	slices.SortStableFunc(out, func(a, b ExportAnswer) int { return b.Count - a.Count })
	return out
}

// separatorsText says which separators were found, and in how many
// answers: "\"\\n\" in 5 answers, \", \" in 1".
func separatorsText(found []ExportAnswer) string {
	parts := make([]string, len(found))
	for i, f := range found {
		n := fmt.Sprintf("%d", f.Count)
		if i == 0 {
			n += " answers"
			if f.Count == 1 {
				n = "1 answer"
			}
		}
		parts[i] = strconv.Quote(f.Text) + " in " + n
	}
	return strings.Join(parts, ", ")
}
