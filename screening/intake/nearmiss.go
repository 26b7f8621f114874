package intake

import (
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// NearMiss returns the field of the rule set that name, which is no field
// of it, looks like a slip for: the same but for letter case, spaces or
// hyphens, one edit, or a final "s". It returns "" when there is none.
//
// A column or key that nearly names a field is the hazard of a silent
// drop: "Pregnant": true beside "pregnant": false, or a column
// "medication" holding a blood thinner, would be ignored, and the record
// screened without it.
func NearMiss(rs *rules.RuleSet, name string) string {
	if rs.Index(name) >= 0 {
		return ""
	}
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(n)
	if n == "" {
		return ""
	}
	for _, q := range rs.Questions {
		f := q.ID
		switch {
		case n == f, n+"s" == f, f+"s" == n, n+"es" == f, f+"es" == n:
			return f
		case len(f) > 3 && rules.EditDistance(n, f, 2) <= 1:
			return f
		}
	}
	return ""
}
