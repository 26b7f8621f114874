package rules

import (
	"errors"
	"fmt"
	"math"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/interpreter"
)

// MaxEvalCost is the most a condition may cost to evaluate on one record,
// in cel-go's units (about one per answer read, comparison or step of a
// macro such as .all, more for long texts). A condition that passes it is
// stopped, and cannot be decided.
//
// The default rule set's costliest condition, .exists over the medicines
// recognised that reads the classes of each (a blood thinner written as
// stopped), costs 770 on a record with 64 classes and 64 medicines, and the
// highest static estimate of any is 2,056, for the blood thinner named
// looked for among 64 medicines (TestDefaultConditionsCost): the limit is
// 130 times the one and 48 times the other. It also leaves room
// for a clinic's rule over pairs of medicines, the costliest kind a protocol
// needs (an anticoagulant taken with an NSAID: estimated at 98,690 on 64
// medicines, 29,058 measured). A condition that reaches it is stopped
// within about 10 ms (1 to 11 ms measured, loops within loops being the
// slowest per unit), where three nested .all over a list of 200 ran for 3 s.
const MaxEvalCost = 100_000

// The sizes the static cost estimate assumes for what a record holds. The
// rule set cannot know them: the medication lexicon is chosen separately,
// and a text answer is as long as the intake made it. They are generous for
// a real intake, so an estimate above MaxEvalCost is a condition that a
// real, if unusual, record could stop.
const (
	// estTextLen is the length of the longest text answer, in characters.
	estTextLen = 1000
	// estMedicines is how many medicines one medications answer can name,
	// and estClasses how many classes they can have between them (the
	// default lexicon has 20).
	estMedicines = 64
	estClasses   = 64
	// estPerMedicine is how many classes, or ATC codes, one medicine can
	// have.
	estPerMedicine = 8
	// estNameLen is the length of a class id, a generic name or a key.
	estNameLen = 64
)

// sizes gives the cost estimator the sizes of the answers and the derived
// fields. A path is a variable followed by "@items" (an element of a
// list), "@keys", "@values" or a field name.
type sizes struct{ rs *RuleSet }

func (s sizes) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	path := n.Path()
	if len(path) == 0 {
		return nil
	}
	upTo := func(max uint64) *cost.SizeEstimate { return &cost.SizeEstimate{Min: 0, Max: max} }
	switch path[0] {
	case FieldMedicationClasses, FieldAllergyClasses:
		if len(path) == 1 {
			return upTo(estClasses)
		}
		return upTo(estNameLen)
	case FieldUnanswered:
		if len(path) == 1 {
			return upTo(uint64(len(s.rs.Questions)))
		}
		return upTo(estNameLen)
	case FieldMedicationsRecognised:
		switch {
		case len(path) == 1:
			return upTo(estMedicines)
		case len(path) == 2:
			return upTo(6) // written, generic, classes, atc, how, possibly_stopped
		case len(path) == 3 && (path[2] == "classes" || path[2] == "atc"):
			return upTo(estPerMedicine)
		case len(path) == 3 && (path[2] == "generic" || path[2] == "how" || path[2] == "@keys"):
			return upTo(estNameLen)
		case len(path) == 4 && (path[2] == "classes" || path[2] == "atc"):
			return upTo(estNameLen)
		}
		// A field read as dyn, or a path the estimator made up for one:
		// nothing in a record is longer than a text answer.
		return upTo(estTextLen)
	}
	q, ok := s.rs.Question(path[0])
	if !ok {
		return nil
	}
	switch q.Type {
	case List:
		if len(path) == 1 {
			return upTo(uint64(len(q.Options)))
		}
		return upTo(longestOption(q))
	case Choice:
		return upTo(longestOption(q))
	case Text:
		return upTo(estTextLen)
	}
	return nil
}

// EstimateCallCost leaves every function to cel-go's own estimates.
func (sizes) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

func longestOption(q *Question) uint64 {
	n := 0
	for _, o := range q.Options {
		n = max(n, len(o.Value))
	}
	return uint64(n)
}

// maxCost is the checker's estimate of the most a condition can cost.
func (ld *loader) maxCost(checked *cel.Ast) uint64 {
	est, err := ld.env.EstimateCost(checked, sizes{ld.rs})
	if err != nil {
		return math.MaxUint64
	}
	return est.Max
}

// errCost is what Condition.Eval returns when a condition is stopped at
// MaxEvalCost.
func errCost(err error) error {
	var c interpreter.EvalCancelledError
	if errors.As(err, &c) && c.Cause == interpreter.CostLimitExceeded {
		return fmt.Errorf("the condition took more than the allowed evaluation cost (%d) on these answers and was stopped; loops within loops over long lists cost the most", MaxEvalCost)
	}
	return err
}
