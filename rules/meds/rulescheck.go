package meds

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

var reQuoted = regexp.MustCompile(`"([^"\\]*)"|'([^'\\]*)'`)

// CheckRuleSet looks for class names in a rule set that the lexicon does
// not declare: in {meds:...}, {stopped:...} and {taken:...} placeholders,
// and among the quoted values of conditions that read a derived medication
// field. A rule set can be loaded without a lexicon and a lexicon replaced
// without the rule set, so these are warnings, given where the two meet
// ("meds lint").
func CheckRuleSet(rs *rules.RuleSet, lx *Lexicon) []string {
	var out []string
	known := func(c string) bool { _, ok := lx.Class(c); return ok }
	hint := func(c string) string {
		if best := rules.Closest(c, lx.ClassIDs()); best != "" {
			return fmt.Sprintf(" (did you mean %q?)", best)
		}
		return ""
	}
	pc := rs.PlaceholderClasses()
	ids := make([]string, 0, len(pc))
	for c := range pc {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	for _, c := range ids {
		if !known(c) {
			out = append(out, fmt.Sprintf("%s names class %q in a {meds} placeholder, but the lexicon %s has no such class%s",
				strings.Join(pc[c], ", "), c, lx.Name, hint(c)))
		}
	}
	// A quoted answer value, or a question id (as in "blood_thinners" in
	// unanswered), is not a class.
	options := map[string]bool{}
	for _, q := range rs.Questions {
		options[q.ID] = true
		for _, v := range q.OptionValues() {
			options[v] = true
		}
	}
	for _, r := range rs.Rules {
		if r.Cond() == nil || !slices.ContainsFunc(r.Cond().Reads(), rules.IsDerived) {
			continue
		}
		for _, m := range reQuoted.FindAllStringSubmatch(r.Condition, -1) {
			v := m[1] + m[2]
			if !known(v) && !options[v] {
				out = append(out, fmt.Sprintf("rule %s (line %d) reads %q, which is neither a class of the lexicon %s nor an answer value%s",
					r.ID, r.Pos().Line, v, lx.Name, hint(v)))
			}
		}
	}
	return out
}
