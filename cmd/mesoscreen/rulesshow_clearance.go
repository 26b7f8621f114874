package main

import (
	"fmt"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// recheckNote says when a question is asked again, for "rules show".
func recheckNote(q *rules.Question) string {
	switch {
	case q.RecheckOnly():
		return "asked only in the re-screen before a later session"
	case q.Rechecked():
		return "asked again in the re-screen before each session"
	}
	return ""
}

// writeClearance lists, for "rules show", which findings may be cleared,
// with which reasons, and how long a screening holds.
func writeClearance(b *strings.Builder, rs *rules.RuleSet) {
	fmt.Fprintf(b, "\nCLEARANCE (a screening holds %d days)\n", rs.ValidForDays())
	var clearable []string
	for _, r := range rs.Rules {
		if ok, _ := r.CanClear(); ok {
			clearable = append(clearable, r.ID)
		}
	}
	fmt.Fprintf(b, "  may be cleared:  %s\n", orNone(clearable))
	for _, c := range rs.ClearanceReasons {
		which := "any of them"
		if len(c.Rules) > 0 {
			which = strings.Join(c.Rules, ", ")
		}
		fmt.Fprintf(b, "\n  %s\n    %s\n    clears: %s\n", c.ID, c.Text, which)
	}
}
