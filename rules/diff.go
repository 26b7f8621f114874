package rules

import (
	"fmt"
	"slices"
	"strings"
)

// ChangeOp says whether something was added, removed or changed.
type ChangeOp string

// The kinds of change.
const (
	Added   ChangeOp = "+"
	Removed ChangeOp = "-"
	Changed ChangeOp = "~"
)

// Change is one difference between two rule sets.
type Change struct {
	// Part is the part of the rule set: "rule set", "parameters",
	// "questions", "rules", "instructions" or "fhir".
	Part string
	Op   ChangeOp
	// Subject is the id of what changed; Field, for a change, the field.
	Subject, Field string
	// Old and New are the values before and after: empty for an addition's
	// Old and a removal's New.
	Old, New string
	// Note qualifies a change, such as "less severe" for a level.
	Note string
}

// Diff lists what changed from rule set a to rule set b: the name and
// version, parameters, questions, rules and instructions, matched by id,
// and the Questionnaires and linkIds of fhir:, which change what FHIR
// responses are screened without review. Texts are compared as loaded,
// with parameters filled in.
func Diff(a, b *RuleSet) []Change {
	var out []Change
	add := func(c Change) { out = append(out, c) }
	field := func(part, subject, name, old, new string) {
		if old != new {
			add(Change{Part: part, Op: Changed, Subject: subject, Field: name, Old: old, New: new})
		}
	}
	field("rule set", "name", "", a.Name, b.Name)
	field("rule set", "version", "", a.Version, b.Version)

	for _, n := range a.ParamNames() {
		if _, ok := b.Parameters[n]; !ok {
			add(Change{Part: "parameters", Op: Removed, Subject: n, Old: a.Parameters[n].Text()})
		}
	}
	for _, n := range b.ParamNames() {
		pb := b.Parameters[n]
		pa, ok := a.Parameters[n]
		if !ok {
			add(Change{Part: "parameters", Op: Added, Subject: n, New: pb.Text()})
			continue
		}
		field("parameters", n, "value", pa.Text(), pb.Text())
	}

	for _, q := range a.Questions {
		if _, ok := b.Question(q.ID); !ok {
			add(Change{Part: "questions", Op: Removed, Subject: q.ID, Old: q.Expected()})
		}
	}
	for _, qb := range b.Questions {
		qa, ok := a.Question(qb.ID)
		if !ok {
			add(Change{Part: "questions", Op: Added, Subject: qb.ID, New: qb.Expected()})
			continue
		}
		field("questions", qb.ID, "type", string(qa.Type), string(qb.Type))
		if qa.Type == qb.Type {
			field("questions", qb.ID, "accepts", qa.Expected(), qb.Expected())
		}
		field("questions", qb.ID, "required", yesNo(qa.Required), yesNo(qb.Required))
		field("questions", qb.ID, "when", qa.When, qb.When)
		field("questions", qb.ID, "ask", qa.Ask, qb.Ask)
	}

	for _, r := range a.Rules {
		if b.rule(r.ID) == nil {
			add(Change{Part: "rules", Op: Removed, Subject: r.ID, Old: fmt.Sprintf("%s when %s", r.Level, r.Condition)})
		}
	}
	for _, rb := range b.Rules {
		ra := a.rule(rb.ID)
		if ra == nil {
			add(Change{Part: "rules", Op: Added, Subject: rb.ID, New: fmt.Sprintf("%s when %s", rb.Level, rb.Condition)})
			continue
		}
		if ra.Level != rb.Level {
			c := Change{Part: "rules", Op: Changed, Subject: rb.ID, Field: "level", Old: string(ra.Level), New: string(rb.Level)}
			switch {
			case rb.Level.Severity() < ra.Level.Severity():
				c.Note = "less severe"
			case rb.Level.Severity() > ra.Level.Severity():
				c.Note = "more severe"
			}
			add(c)
		}
		field("rules", rb.ID, "condition", ra.Condition, rb.Condition)
		field("rules", rb.ID, "message", ra.Message, rb.Message)
		field("rules", rb.ID, "source", ra.SourceText(), rb.SourceText())
	}

	for _, part := range []struct {
		key    string
		aa, bb []*Instruction
	}{
		{"pre_treatment", a.Instructions.PreTreatment, b.Instructions.PreTreatment},
		{"aftercare", a.Instructions.Aftercare, b.Instructions.Aftercare},
		{"course", a.Instructions.Course, b.Instructions.Course},
	} {
		for _, x := range part.aa {
			if findInstruction(part.bb, x.ID) == nil {
				add(Change{Part: "instructions", Op: Removed, Subject: part.key + "/" + x.ID, Old: x.Text})
			}
		}
		for _, y := range part.bb {
			x := findInstruction(part.aa, y.ID)
			if x == nil {
				add(Change{Part: "instructions", Op: Added, Subject: part.key + "/" + y.ID, New: y.Text})
				continue
			}
			field("instructions", part.key+"/"+y.ID, "text", x.Text, y.Text)
			field("instructions", part.key+"/"+y.ID, "when", x.When, y.When)
		}
	}
	field("instructions", "show_for", "levels", levelsText(a.Instructions.ShowFor), levelsText(b.Instructions.ShowFor))

	for _, part := range []struct {
		key    string
		aa, bb []string
	}{
		{"questionnaires", a.FHIR.Questionnaires, b.FHIR.Questionnaires},
		{"ignore", a.FHIR.Ignore, b.FHIR.Ignore},
	} {
		for _, x := range part.aa {
			if !slices.Contains(part.bb, x) {
				add(Change{Part: "fhir", Op: Removed, Subject: part.key, Old: x})
			}
		}
		for _, y := range part.bb {
			if !slices.Contains(part.aa, y) {
				add(Change{Part: "fhir", Op: Added, Subject: part.key, New: y})
			}
		}
	}
	return out
}

func (rs *RuleSet) rule(id string) *Rule {
	for _, r := range rs.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Rule returns the rule with the given id.
func (rs *RuleSet) Rule(id string) (*Rule, bool) {
	r := rs.rule(id)
	return r, r != nil
}

func findInstruction(list []*Instruction, id string) *Instruction {
	i := slices.IndexFunc(list, func(x *Instruction) bool { return x.ID == id })
	if i < 0 {
		return nil
	}
	return list[i]
}

func levelsText(ls []Level) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
