package intake

import (
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// NearMiss returns the field of the rule set that name, which is no field
// of it, looks like a slip for: the same but for letter case, spaces or
// hyphens, one edit, or a final "s"; or the same once invisible
// characters are taken out and letters of another script that look like
// Latin ones read as those ("рrеgnant" with a Cyrillic р and е,
// "preg\u200bnant" with a zero-width space). It returns "" when there is
// none.
//
// A column or key that nearly names a field is the hazard of a silent
// drop: "Pregnant": true beside "pregnant": false, or a column
// "medication" holding a blood thinner, would be ignored, and the record
// screened without it.
func NearMiss(rs *rules.RuleSet, name string) string {
	field, _ := nearMiss(rs, name)
	return field
}

// nearMiss is NearMiss, with the characters of name that are invisible,
// of another script or compatibility forms, when they are what makes it
// look like the field.
func nearMiss(rs *rules.RuleSet, name string) (field string, odd []rune) {
	if rs.Index(name) >= 0 {
		return "", nil
	}
	skel, odd := skeleton(name)
	if len(odd) > 0 {
		if f := slip(rs, skel); f != "" {
			return f, odd
		}
	}
	return slip(rs, name), nil
}

// slip returns the field name is a slip for, as NearMiss says, by its
// letters alone.
func slip(rs *rules.RuleSet, name string) string {
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
