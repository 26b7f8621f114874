package screening

import (
	"fmt"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// ClearError says why a finding cannot be cleared.
type ClearError struct{ Msg string }

func (e *ClearError) Error() string { return e.Msg }

func clearErrorf(format string, args ...any) error {
	return &ClearError{Msg: fmt.Sprintf(format, args...)}
}

// CheckClearance finds the finding of res that a clearance of rule with
// reason would clear, and the reason, or says why it cannot be cleared:
// res is the saved record's result (Review); the finding must be a
// rule's, one whose level may be cleared (rules.Rule.CanClear), not
// cleared already, and the reason one the rule set declares for it.
func CheckClearance(rs *rules.RuleSet, res Result, rule, reason string) (Finding, *rules.ClearanceReason, error) {
	var f *Finding
	for i := range res.Findings {
		if res.Findings[i].Rule == rule {
			f = &res.Findings[i]
			break
		}
	}
	if f == nil {
		if len(res.Findings) == 0 {
			return Finding{}, nil, clearErrorf("the record has no finding %q; it has no findings at all", rule)
		}
		var have []string
		for _, x := range res.Findings {
			have = append(have, fmt.Sprintf("%s (%s)", x.Rule, x.Level))
		}
		return Finding{}, nil, clearErrorf("the record has no finding %q%s; its findings are %s", rule, didYouMean(rule, ruleIDsOf(res)), strings.Join(have, ", "))
	}
	r, ok := rs.Rule(rule)
	if !ok || f.Source == failSafeSource {
		return Finding{}, nil, clearErrorf("finding %s is not a rule's but mesoscreen's own, and is not cleared: %s", rule, failSafeFix(rule))
	}
	if ok, why := r.CanClear(); !ok {
		return Finding{}, nil, clearErrorf("finding %s cannot be cleared: %s", rule, why)
	}
	if c := f.Cleared; c != nil {
		return Finding{}, nil, clearErrorf("finding %s is cleared already, by %s on %s (%s)", rule, c.By, dateOf(c.At), c.Reason)
	}
	allowed := rs.ReasonsFor(rule)
	cr, ok := rs.ClearanceReason(reason)
	switch {
	case len(allowed) == 0:
		return Finding{}, nil, clearErrorf("the rule set declares no clearance reason for rule %s; add one under clearance_reasons:", rule)
	case !ok:
		var all []string
		for _, c := range rs.ClearanceReasons {
			all = append(all, c.ID)
		}
		return Finding{}, nil, clearErrorf("%q is not a clearance reason of the rule set%s; the reasons for %s are %s", reason, didYouMean(reason, all), rule, strings.Join(allowed, ", "))
	case !cr.Allows(rule):
		return Finding{}, nil, clearErrorf("reason %s does not clear rule %s; the reasons for %s are %s", reason, rule, rule, strings.Join(allowed, ", "))
	}
	return *f, cr, nil
}

// failSafeFix says what to do instead of clearing a finding of
// mesoscreen's own.
func failSafeFix(rule string) string {
	switch rule {
	case RuleMissing, RuleUnsure, RuleInvalid, RuleOutOfRange:
		return "get the answer from the patient and screen again (mesoscreen interview --recheck, or --from the record)"
	case RuleContradicted, RuleDisplayContradicted:
		return "ask the patient which answer is right and screen again (mesoscreen interview --from the record)"
	case RuleRescreenDue:
		return "re-screen the patient (mesoscreen interview --recheck)"
	case RuleRecordAltered:
		return "the record cannot be trusted; screen the patient anew"
	}
	return "screen the patient again"
}

func ruleIDsOf(res Result) []string {
	ids := make([]string, len(res.Findings))
	for i, f := range res.Findings {
		ids[i] = f.Rule
	}
	return ids
}

func didYouMean(s string, names []string) string {
	if best := rules.Closest(s, names); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}
