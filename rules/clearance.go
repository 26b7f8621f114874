package rules

import (
	"fmt"
	"slices"
	"strings"
)

// ClearanceReason is a reason a clinician may give for clearing a finding
// (SPEC §7): an id that the saved record keeps, the words that outputs
// show, and the rules whose findings it may clear (any clearable one when
// Rules is empty).
type ClearanceReason struct {
	ID    string   `yaml:"id"`
	Text  string   `yaml:"text"`
	Rules []string `yaml:"rules"`

	pos Pos
}

// Pos returns where the reason is declared.
func (c *ClearanceReason) Pos() Pos { return c.pos }

// Allows reports whether the reason may clear a finding of rule id.
func (c *ClearanceReason) Allows(rule string) bool {
	return len(c.Rules) == 0 || slices.Contains(c.Rules, rule)
}

// ParamValidForDays names the parameter that says for how many days a
// saved screening stays valid.
const ParamValidForDays = "valid_for_days"

// DefaultValidForDays is how many days a screening stays valid when the
// rule set does not say (clinic protocol).
const DefaultValidForDays = 30

// ValidForDays is the number of days a saved screening stays valid: the
// valid_for_days parameter, else DefaultValidForDays.
func (rs *RuleSet) ValidForDays() int {
	if p, ok := rs.Param(ParamValidForDays); ok {
		if v, ok := p.Value.(int64); ok {
			return int(v)
		}
	}
	return DefaultValidForDays
}

// CanClear says whether a finding of this rule may be cleared, and if not,
// why not, in words for the clinician. not_eligible is never cleared; a
// defer is lifted only by a new screening; a precaution does not stop
// treatment, so there is nothing to clear; a needs_review finding may be
// cleared unless the rule says clearable: false.
func (r *Rule) CanClear() (bool, string) {
	switch r.Level {
	case NotEligible:
		return false, fmt.Sprintf("rule %s is not_eligible, which is never cleared: mesotherapy is contraindicated", r.ID)
	case Defer:
		return false, fmt.Sprintf("rule %s is defer, which only a new screening lifts, once the condition has resolved (mesoscreen interview --recheck)", r.ID)
	case EligibleWithPrecautions:
		return false, fmt.Sprintf("rule %s is a precaution (eligible_with_precautions), which does not stop treatment; there is nothing to clear", r.ID)
	}
	if r.Clearable != nil && !*r.Clearable {
		return false, fmt.Sprintf("the rule set does not let a clinician clear rule %s (clearable: false)", r.ID)
	}
	return true, ""
}

// ClearanceReason returns the reason with the given id.
func (rs *RuleSet) ClearanceReason(id string) (*ClearanceReason, bool) {
	for _, c := range rs.ClearanceReasons {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// ReasonsFor lists the ids of the reasons that may clear a finding of
// rule id, in declaration order.
func (rs *RuleSet) ReasonsFor(rule string) []string {
	var ids []string
	for _, c := range rs.ClearanceReasons {
		if c.Allows(rule) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (ld *loader) checkClearance() {
	rs := ld.rs
	for i, r := range rs.Rules {
		if r.Clearable == nil || !*r.Clearable {
			continue
		}
		if ok, why := r.CanClear(); !ok {
			ld.Errorf(fmt.Sprintf("$.rules[%d].clearable", i), "clearable: true cannot apply: %s", why)
		}
	}
	seen := map[string]int{}
	for i, c := range rs.ClearanceReasons {
		p := fmt.Sprintf("$.clearance_reasons[%d]", i)
		c.pos = ld.At(p)
		switch {
		case c.ID == "":
			ld.Errorf(p, "clearance reason %d has no id", i+1)
		case !reRuleID.MatchString(c.ID):
			ld.Errorf(p+".id", "clearance reason id %q must be lower case letters, digits, - and _", c.ID)
		default:
			if line, dup := seen[c.ID]; dup {
				ld.Errorf(p+".id", "duplicate clearance reason %q (first declared at line %d)", c.ID, line)
			}
			seen[c.ID] = c.pos.Line
		}
		if strings.TrimSpace(c.Text) == "" {
			ld.Errorf(p, "clearance reason %q has no text; say in words what was checked", c.ID)
		}
		for j, id := range c.Rules {
			rp := fmt.Sprintf("%s.rules[%d]", p, j)
			r, ok := rs.Rule(id)
			if !ok {
				ld.Errorf(rp, "clearance reason %q names rule %q, which the rule set does not have%s", c.ID, id, didYouMean(id, ruleIDs(rs)))
				continue
			}
			if ok, why := r.CanClear(); !ok {
				ld.Errorf(rp, "clearance reason %q names rule %q, whose findings cannot be cleared: %s", c.ID, id, why)
			}
		}
	}
	if p, ok := rs.Param(ParamValidForDays); ok && p.typ != "" {
		if v, isInt := p.Value.(int64); !isInt || v < 1 {
			ld.Errorf("$.parameters."+ParamValidForDays+".value", "parameter %s is %s; expected a whole number of days, 1 or more", ParamValidForDays, p.Text())
		}
		p.used = true // read by mesoscreen when it checks a saved record
	}
}

func ruleIDs(rs *RuleSet) []string {
	ids := make([]string, len(rs.Rules))
	for i, r := range rs.Rules {
		ids[i] = r.ID
	}
	return ids
}

func questionIDs(rs *RuleSet) []string {
	ids := make([]string, len(rs.Questions))
	for i, q := range rs.Questions {
		ids[i] = q.ID
	}
	return ids
}

// didYouMean is " (did you mean "x"?)" for the closest of names, or "".
func didYouMean(name string, names []string) string {
	if best := Closest(name, names); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}
