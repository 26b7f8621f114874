package screening

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// allergyClasses is the value of allergy_classes: the classes of every
// medicine the allergy details name, whatever words stand around it (a
// reaction is what that answer is about), and of those the medications
// answer, or an answer no question reads, names with an allergy or
// reaction word ("Notes: allergic to lidocaine").
func (act *activation) allergyClasses() ref.Val {
	if act.allergies != nil {
		return act.allergies
	}
	md := act.medications()
	act.allergies = md.allergiesVal
	if i := act.s.rs.Index(AllergyDetailsField); i >= 0 && act.s.lx != nil && act.source(i).State == Given {
		text, _ := act.source(i).Value.(string)
		classes := append([]string{}, md.allergies...)
		for _, m := range act.s.lx.Find(text) {
			classes = addClasses(classes, m.Entry.Classes)
		}
		act.allergies = types.NewStringList(types.DefaultTypeAdapter, classes)
	}
	if len(act.unasked) > 0 && act.s.lx != nil {
		classes := []string{}
		if l, ok := act.allergies.Value().([]string); ok {
			classes = append(classes, l...)
		}
		n := len(classes)
		for _, u := range act.unasked {
			for _, m := range act.s.lx.Find(u.text) {
				if m.Allergy {
					classes = addClasses(classes, m.Entry.Classes)
				}
			}
		}
		if len(classes) > n {
			act.allergies = types.NewStringList(types.DefaultTypeAdapter, classes)
		}
	}
	return act.allergies
}

// unansweredIDs is the value of unanswered: the questions, in rule-set
// order, whose answer is not there for the other conditions to read.
func (act *activation) unansweredIDs() ref.Val {
	if act.unansweredVal != nil {
		return act.unansweredVal
	}
	var ids []string
	for i, q := range act.s.rs.Questions {
		if act.vals[i].State != Given {
			ids = append(ids, q.ID)
		}
	}
	act.unansweredVal = noStrings
	if len(ids) > 0 {
		act.unansweredVal = types.NewStringList(types.DefaultTypeAdapter, ids)
	}
	return act.unansweredVal
}

// filler gives the placeholders of rule messages and instruction texts
// (rules/template.go) what they stand for in one screening, in the
// language of rs: the screener's, or the rule set's own when base is set
// (for the message a clearance is compared with, lang.go).
type filler struct {
	act  *activation
	rs   *rules.RuleSet
	tr   *i18n.Printer
	base bool
}

func (f filler) Medicines(classes []string, kind rules.PlaceholderKind) string {
	describe := Medication.Describe
	if f.base {
		describe = func(m Medication) string { return m.in(f.act.s.lx, f.rs.Lang, f.tr).Describe() }
	}
	return f.act.medications().medicines(classes, kind, describe, f.tr.Join)
}

// Answer quotes an answer as it was given: a text in quotes, on one line,
// a choice and the items of a list by their labels, yes, no or unsure, a
// number. An answer that cannot be used is the subject of a fail-safe
// finding of its own, and gives nothing here.
func (f filler) Answer(id string) string {
	i := f.rs.Index(id)
	if i < 0 {
		return ""
	}
	return f.act.vals[i].TextIn(f.tr, f.rs.Questions[i], InSentence)
}
