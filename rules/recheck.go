package rules

import "fmt"

// The values of a question's recheck: key.
const (
	recheckYes  = "true"
	recheckNo   = "false"
	recheckOnly = "only"
)

// Rechecked reports whether the question is asked in the short re-screen
// before each session: marked recheck: true or recheck: only, or a
// follow-up of such a question (its trigger can change, and then so can
// it).
func (q *Question) Rechecked() bool { return q.Recheck == recheckYes || q.Recheck == recheckOnly }

// RecheckOnly reports whether the question is asked only in a re-screen,
// such as one about the last session, which a first screening has none
// of.
func (q *Question) RecheckOnly() bool { return q.Recheck == recheckOnly }

// RecheckQuestions lists the questions of a re-screen in rule-set order:
// those marked recheck, and the follow-ups of those.
func (rs *RuleSet) RecheckQuestions() []*Question {
	marked := map[string]bool{}
	var out []*Question
	for _, q := range rs.Questions {
		keep := q.Rechecked()
		if c := q.Cond(); c != nil && !keep {
			for _, id := range c.Reads() {
				keep = keep || marked[id]
			}
		}
		if keep {
			marked[q.ID] = true
			out = append(out, q)
		}
	}
	return out
}

// IsCatchAll reports whether the question is a re-screen's catch-all
// about the time since the last session: answered yes or not sure, it
// opens the questions that it names (opens:).
func (q *Question) IsCatchAll() bool { return len(q.Opens) > 0 }

// Opened lists, in rule-set order, the questions a re-screen asks again
// once the catch-all q is answered yes or not sure: those it names, and
// their follow-ups. It is nil for a question that is no catch-all.
func (rs *RuleSet) Opened(q *Question) []*Question {
	if !q.IsCatchAll() {
		return nil
	}
	named := map[string]bool{}
	for _, id := range q.Opens {
		named[id] = true
	}
	var out []*Question
	for _, o := range rs.Questions {
		keep := named[o.ID]
		if c := o.Cond(); c != nil && !keep {
			for _, id := range c.Reads() {
				keep = keep || named[id]
			}
		}
		if keep {
			named[o.ID] = true
			out = append(out, o)
		}
	}
	return out
}

// checkRecheck checks the recheck: keys: a value the loader knows, and a
// question asked only in a re-screen that no first screening requires;
// and the opens: of a catch-all.
func (ld *loader) checkRecheck() {
	ld.checkOpens()
	for i, q := range ld.rs.Questions {
		p := fmt.Sprintf("$.questions[%d].recheck", i)
		switch q.Recheck {
		case "", recheckYes, recheckNo, recheckOnly:
		default:
			ld.Errorf(p, "question %q has recheck: %s; expected true, false or only", q.ID, q.Recheck)
			continue
		}
		if q.RecheckOnly() && q.Required {
			ld.Errorf(p, "question %q is asked only in a re-screen (recheck: only), so it cannot be required: a first screening never asks it", q.ID)
		}
		if q.RecheckOnly() && q.IsIdentifier() {
			ld.Errorf(p, "the identifier %q is asked in every screening; it cannot be recheck: only", q.ID)
		}
		if c := q.Cond(); c != nil && !q.RecheckOnly() {
			for _, id := range c.Reads() {
				if t, ok := ld.rs.Question(id); ok && t.RecheckOnly() {
					ld.Errorf(p, "question %q follows up %q, which is asked only in a re-screen; mark it recheck: only too", q.ID, id)
				}
			}
		}
	}
}

// checkOpens checks the catch-alls (opens:): each is a yes/no question
// asked only in a re-screen, about the time since the last session, and
// names questions the re-screen would otherwise skip. A question every
// re-screen asks already is refused rather than ignored: the clinic meant
// something by naming it.
func (ld *loader) checkOpens() {
	rs := ld.rs
	asked := map[string]bool{}
	for _, q := range rs.RecheckQuestions() {
		asked[q.ID] = true
	}
	ids := questionIDs(rs)
	for i, q := range rs.Questions {
		if !q.IsCatchAll() {
			continue
		}
		p := fmt.Sprintf("$.questions[%d].opens", i)
		if !q.RecheckOnly() {
			ld.Errorf(p, "question %q opens questions (opens:) when something changed since the last session, so it must be recheck: only; a first screening asks every question anyway", q.ID)
		}
		if q.Type != YesNo {
			ld.Errorf(p, "question %q opens questions on a yes or not sure, so it must be of type yesno, not %s", q.ID, q.TypeName())
		}
		seen := map[string]bool{}
		for j, id := range q.Opens {
			pj := fmt.Sprintf("%s[%d]", p, j)
			o, ok := rs.Question(id)
			switch {
			case !ok:
				ld.Errorf(pj, "question %q opens %q, which the rule set does not ask%s", q.ID, id, didYouMean(id, ids))
			case seen[id]:
				ld.Errorf(pj, "question %q opens %q twice", q.ID, id)
			case o.IsIdentifier():
				ld.Errorf(pj, "question %q opens the identifier %q, which says nothing about a change in health", q.ID, id)
			case asked[id]:
				ld.Errorf(pj, "question %q opens %q, which every re-screen asks already (recheck: true or only, or a follow-up of such a question); leave it out of opens:", q.ID, id)
			}
			seen[id] = true
		}
	}
}
