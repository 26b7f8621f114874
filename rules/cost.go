package rules

import (
	"errors"
	"fmt"

	"cel.dev/cel-go/interpreter"
)

// MaxEvalCost is the most a condition may cost to evaluate on one record,
// in cel-go's units (about one per answer read, comparison or step of a
// macro such as .all, more for long texts). A condition that passes it is
// stopped, and cannot be decided.
//
// The default rule set's costliest conditions, .exists over the medication
// classes, cost 324 on a record with 64 classes and 64 medicines: the limit
// is 300 times that. It also leaves room for a clinic's rule over pairs of
// medicines, the costliest kind a protocol needs (an anticoagulant taken
// with an NSAID: 29,058 measured on 64 medicines). A condition that
// reaches it is stopped within about 10 ms (1 to 11 ms measured, loops
// within loops being the slowest per unit), where three nested .all over
// a list of 200 ran for 3 s.
const MaxEvalCost = 100_000

// errCost is what Condition.Eval returns when a condition is stopped at
// MaxEvalCost.
func errCost(err error) error {
	var c interpreter.EvalCancelledError
	if errors.As(err, &c) && c.Cause == interpreter.CostLimitExceeded {
		return fmt.Errorf("the condition took more than the allowed evaluation cost (%d) on these answers and was stopped; loops within loops over long lists cost the most", MaxEvalCost)
	}
	return err
}
