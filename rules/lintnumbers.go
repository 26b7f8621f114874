package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A number written into a rule, where the rule set has a parameter of
// that value, is the parameter written out by hand: a clinic that changes
// the parameter then gets a rule or a message that no longer agrees with
// it. Lint warns about both.

// numberWords are the numbers a message may spell out.
var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}

var (
	reNumber      = regexp.MustCompile(`\b\d+(?:[.,]\d+)?\b`)
	reNumberWord  = regexp.MustCompile(`(?i)\b(` + strings.Join(numberWords, "|") + `)\b`)
	rePlaceholder = regexp.MustCompile(`\{(?:params\.[A-Za-z0-9_]*(?:\|[^{}]*)?|meds[^}]*|stopped[^}]*|taken[^}]*|answer[^}]*)\}`)
)

// intParamsValued returns the integer parameters whose value is v, in
// declaration order.
func (rs *RuleSet) intParamsValued(v int64) []string {
	var out []string
	for _, name := range rs.ParamNames() {
		if x, ok := rs.Parameters[name].Value.(int64); ok && x == v {
			out = append(out, name)
		}
	}
	return out
}

// related keeps, of the parameters, those whose names share a word with
// one of the ids (heart_medications_limit with heart_medications), or all
// of them when none does: the warning then names the likeliest.
func related(names, ids []string) []string {
	var out []string
	for _, n := range names {
		for _, id := range ids {
			if sharesWord(n, id) {
				out = append(out, n)
				break
			}
		}
	}
	if len(out) == 0 {
		return names
	}
	return out
}

func sharesWord(a, b string) bool {
	for _, w := range strings.Split(a, "_") {
		if len(w) >= 3 && slices.Contains(strings.Split(b, "_"), w) {
			return true
		}
	}
	return false
}

// lintNumbers warns about each number in a text, as written, that is the
// value of an integer parameter. One spelt out ("two or more") counts, as
// one written in digits does; the numbers in placeholders do not. reads
// are the questions the rule reads, to name the parameter meant.
func (ld *loader) lintNumbers(path, what, raw string, reads []string) {
	if raw == "" || len(ld.rs.Parameters) == 0 {
		return
	}
	text := rePlaceholder.ReplaceAllString(raw, " ")
	type number struct {
		written string
		value   int64
	}
	var found []number
	for _, m := range reNumber.FindAllString(text, -1) {
		if v, err := strconv.ParseInt(m, 10, 64); err == nil {
			found = append(found, number{m, v})
		}
	}
	for _, m := range reNumberWord.FindAllString(text, -1) {
		for v, w := range numberWords {
			if strings.EqualFold(m, w) {
				found = append(found, number{m, int64(v)})
			}
		}
	}
	warned := map[int64]bool{}
	for _, n := range found {
		names := related(ld.rs.intParamsValued(n.value), reads)
		if len(names) == 0 || warned[n.value] {
			continue
		}
		warned[n.value] = true
		ld.Warnf(path, "%s says %q, the value of %s; write %s instead, so that the text follows a change of the parameter",
			what, n.written, paramNames(names), alternatives(names, "{params.", "}"))
	}
}

// paramNames says "parameter a" or "parameters a and b".
func paramNames(names []string) string {
	if len(names) == 1 {
		return "parameter " + names[0]
	}
	return "parameters " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// alternatives says "{params.a}" or "{params.a} or {params.b}".
func alternatives(names []string, before, after string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = before + n + after
	}
	return strings.Join(out, " or ")
}

// lintLiteral warns about a comparison of an answer with a number that is
// the value of an integer parameter.
func (ld *loader) lintLiteral(at Pos, what, subj string, k int64) {
	names := related(ld.rs.intParamsValued(k), []string{strings.TrimSuffix(strings.TrimPrefix(subj, "size("), ")")})
	if len(names) == 0 {
		return
	}
	ld.Problems = append(ld.Problems, Problem{File: ld.File, Pos: at, Severity: Warning,
		Msg: fmt.Sprintf("%s compares %s with %d, the value of %s; write %s instead, so that the rule follows a change of the parameter",
			what, subj, k, paramNames(names), alternatives(names, "params.", ""))})
}
