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

// checkRecheck checks the recheck: keys: a value the loader knows, and a
// question asked only in a re-screen that no first screening requires.
func (ld *loader) checkRecheck() {
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
