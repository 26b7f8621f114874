package rules

import (
	"fmt"
	"maps"
	"slices"
)

// Every text of a rule set that a patient or a clinician reads has a key:
// its path in the rule set by ids rather than positions
// ("questions.age.ask", "rules.minor.message",
// "handout.when_to_call[2]"). A translation file is keyed the same way
// (i18n.go), and eachText is the one list of them: it is what coverage
// counts, what a translation is checked against and what a localized copy
// fills in.

// eachText calls visit with the key of each text of rs and a pointer to
// it, in the order the rule set declares them (map keys sorted). Setting
// *s changes the text; a caller that does so works on a copy (localized).
func eachText(rs *RuleSet, visit func(key string, s *string)) {
	visit("title", &rs.Title)
	visit("description", &rs.Description)
	for i := range rs.Sources {
		visit("sources."+rs.Sources[i].ID, &rs.Sources[i].Title)
	}
	for i := range rs.Sources {
		visit("source_names."+rs.Sources[i].ID, &rs.Sources[i].Name)
	}
	for i := range rs.Sections {
		s := &rs.Sections[i]
		visit("sections."+s.ID+".title", &s.Title)
		visit("sections."+s.ID+".description", &s.Description)
	}
	for _, q := range rs.Questions {
		p := "questions." + q.ID
		visit(p+".label", &q.ShortName)
		visit(p+".ask", &q.Ask)
		visit(p+".help", &q.Help)
		for j := range q.Options {
			visit(p+".options."+q.Options[j].Value, &q.Options[j].Label)
		}
	}
	for _, r := range rs.Rules {
		visit("rules."+r.ID+".message", &r.Message)
		visit("rules."+r.ID+".rationale", &r.Rationale)
	}
	in := &rs.Instructions
	for _, l := range [][]*Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range l {
			visit("instructions."+x.ID, &x.Text)
		}
	}
	for _, c := range rs.ClearanceReasons {
		visit("clearance_reasons."+c.ID, &c.Text)
	}
	if h := rs.Handout; h != nil {
		visit("handout.title", &h.Title)
		visitMap("handout.labels.", h.Labels, visit)
		visitMap("handout.verdicts.", h.Verdicts, visit)
		visitMap("handout.next_steps.", h.NextSteps, visit)
		visitMap("handout.reasons.", h.Reasons, visit)
		visitMap("handout.steps.", h.Steps, visit)
		visitMap("handout.unsure.", h.Unsure, visit)
		visitMap("handout.unsure_steps.", h.UnsureSteps, visit)
		for i, it := range h.WhenToCall {
			visit(fmt.Sprintf("handout.when_to_call[%d]", i), &it.Text)
		}
		if lt := h.Letter; lt != nil {
			visit("handout.letter.title", &lt.Title)
			visit("handout.letter.intro", &lt.Intro)
			visit("handout.letter.closing", &lt.Closing)
			visitMap("handout.letter.labels.", lt.Labels, visit)
			for _, id := range slices.Sorted(maps.Keys(lt.Rules)) {
				r := lt.Rules[id]
				if r == nil {
					continue
				}
				p := "handout.letter.rules." + id
				visit(p+".ask", &r.Ask)
				for i := range r.Replies {
					visit(fmt.Sprintf("%s.replies[%d]", p, i), &r.Replies[i])
				}
			}
		}
	}
}

// visitMap visits the texts of a map, by sorted key.
func visitMap[K ~string](prefix string, m map[K]string, visit func(string, *string)) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		visit(prefix+string(k), &v)
		m[k] = v
	}
}

// textKeys lists the keys of the rule set's texts that are not empty, in
// order, with each text.
func textKeys(rs *RuleSet) ([]string, map[string]string) {
	var keys []string
	texts := map[string]string{}
	eachText(rs, func(key string, s *string) {
		if *s == "" {
			return
		}
		keys = append(keys, key)
		texts[key] = *s
	})
	return keys, texts
}

// localized returns a copy of rs whose texts are those of texts where it
// has one, in language lang. The copy shares what does not change with the
// language: the compiled conditions, the parameters, the indexes.
func localized(rs *RuleSet, lang string, texts map[string]string) *RuleSet {
	c := *rs
	c.Lang = lang
	c.Sources = slices.Clone(rs.Sources)
	c.Sections = slices.Clone(rs.Sections)
	c.Questions = make([]*Question, len(rs.Questions))
	for i, q := range rs.Questions {
		qc := *q
		qc.Options = slices.Clone(q.Options)
		c.Questions[i] = &qc
	}
	c.Rules = make([]*Rule, len(rs.Rules))
	for i, r := range rs.Rules {
		rc := *r
		c.Rules[i] = &rc
	}
	cloneList := func(l []*Instruction) []*Instruction {
		out := make([]*Instruction, len(l))
		for i, x := range l {
			xc := *x
			out[i] = &xc
		}
		return out
	}
	c.Instructions = Instructions{
		ShowFor:      rs.Instructions.ShowFor,
		PreTreatment: cloneList(rs.Instructions.PreTreatment),
		Aftercare:    cloneList(rs.Instructions.Aftercare),
		Course:       cloneList(rs.Instructions.Course),
	}
	c.ClearanceReasons = make([]*ClearanceReason, len(rs.ClearanceReasons))
	for i, r := range rs.ClearanceReasons {
		rc := *r
		c.ClearanceReasons[i] = &rc
	}
	if h := rs.Handout; h != nil {
		hc := *h
		hc.Labels = maps.Clone(h.Labels)
		hc.Verdicts = maps.Clone(h.Verdicts)
		hc.NextSteps = maps.Clone(h.NextSteps)
		hc.Reasons = maps.Clone(h.Reasons)
		hc.Steps = maps.Clone(h.Steps)
		hc.Unsure = maps.Clone(h.Unsure)
		hc.UnsureSteps = maps.Clone(h.UnsureSteps)
		hc.WhenToCall = make([]*HandoutItem, len(h.WhenToCall))
		for i, it := range h.WhenToCall {
			ic := *it
			hc.WhenToCall[i] = &ic
		}
		if lt := h.Letter; lt != nil {
			lc := *lt
			lc.Labels = maps.Clone(lt.Labels)
			lc.Rules = make(map[string]*LetterRule, len(lt.Rules))
			for id, r := range lt.Rules {
				if r == nil {
					lc.Rules[id] = nil
					continue
				}
				rc := *r
				rc.Replies = slices.Clone(r.Replies)
				lc.Rules[id] = &rc
			}
			hc.Letter = &lc
		}
		c.Handout = &hc
	}
	eachText(&c, func(key string, s *string) {
		if t, ok := texts[key]; ok && *s != "" {
			*s = t
		}
	})
	return &c
}
