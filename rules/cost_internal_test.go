package rules

import (
	"fmt"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/interpreter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// worstRecords are answers at the ends of what each question allows, with
// the longest texts and the most medicines the cost estimate assumes. The
// medicines' classes match no class a rule looks for, so that every
// .exists and filter reads them all.
func worstRecords(rs *RuleSet) []map[string]any {
	classes := make([]string, estClasses)
	for i := range classes {
		classes[i] = fmt.Sprintf("class_%02d", i)
	}
	medicines := make([]map[string]any, estMedicines)
	for i := range medicines {
		medicines[i] = map[string]any{
			"written": strings.Repeat("w", 40), "generic": fmt.Sprintf("generic %d", i),
			"classes": classes[:estPerMedicine], "atc": []string{"B01AC06", "N02BA01"},
			"how": "misspelling", "possibly_stopped": true,
		}
	}
	var out []map[string]any
	for _, high := range []bool{true, false} {
		ids := make([]string, len(rs.Questions))
		for i, q := range rs.Questions {
			ids[i] = q.ID + "_unread" // no question id, so that every in reads it all
		}
		m := map[string]any{FieldMedicationClasses: classes, FieldMedicationsRecognised: medicines,
			FieldAllergyClasses: classes, FieldUnanswered: ids}
		for _, q := range rs.Questions {
			switch q.Type {
			case YesNo:
				m[q.ID] = high
			case Integer:
				m[q.ID] = map[bool]int64{true: q.MaxValue(), false: q.MinValue()}[high]
			case Choice:
				m[q.ID] = map[bool]string{true: q.Options[len(q.Options)-1].Value, false: q.Options[0].Value}[high]
			case List:
				m[q.ID] = q.OptionValues()
			default:
				m[q.ID] = strings.Repeat("ibuprofen 400 mg, ", estTextLen/18)
			}
		}
		out = append(out, m)
	}
	return out
}

// TestDefaultConditionsCost evaluates every condition of the default rule
// set on the costliest records and checks that each stays far below
// MaxEvalCost, and within its own static estimate, which lint relies on.
func TestDefaultConditionsCost(t *testing.T) {
	rs, err := Default()
	require.NoError(t, err)
	type named struct {
		name string
		c    *Condition
	}
	var conds []named
	for _, q := range rs.Questions {
		conds = append(conds, named{"question " + q.ID, q.when})
	}
	for _, r := range rs.Rules {
		conds = append(conds, named{"rule " + r.ID, r.cond})
	}
	for _, l := range [][]*Instruction{rs.Instructions.PreTreatment, rs.Instructions.Aftercare, rs.Instructions.Course} {
		for _, x := range l {
			conds = append(conds, named{"instruction " + x.ID, x.when})
		}
	}
	var highest, highestEst uint64
	for _, rec := range worstRecords(rs) {
		act, err := interpreter.NewActivation(rec)
		require.NoError(t, err)
		for _, n := range conds {
			if n.c == nil {
				continue
			}
			// The programs that cannot loop do not track their cost (see
			// loops): the measure is taken on a program that does.
			checked, iss := rs.env.Compile(n.c.Expr)
			require.NoError(t, iss.Err(), n.name)
			prg, err := rs.env.Program(checked, cel.EvalOptions(cel.OptOptimize, cel.OptTrackCost))
			require.NoError(t, err, n.name)
			_, det, err := prg.Eval(act)
			require.NoError(t, err, n.name)
			cost := *det.ActualCost()
			assert.LessOrEqual(t, cost, n.c.MaxCost(), "%s costs more than its estimate", n.name)
			highest = max(highest, cost)
			highestEst = max(highestEst, n.c.MaxCost())
		}
	}
	t.Logf("highest cost %d, highest estimate %d, limit %d", highest, highestEst, MaxEvalCost)
	// The margin MaxEvalCost's comment gives.
	assert.Less(t, highest*100, uint64(MaxEvalCost), "the default rule set needs 1%% of the limit at most")
	assert.Less(t, highestEst*40, uint64(MaxEvalCost), "and its estimates 2.5%%")
}
