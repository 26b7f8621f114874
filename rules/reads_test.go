package rules_test

import (
	"slices"
	"testing"

	"cel.dev/cel-go/interpreter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// recorder notes every name a condition asks its activation for.
type recorder struct {
	interpreter.Activation
	asked map[string]bool
}

func (r *recorder) ResolveName(name string) (any, bool) {
	r.asked[name] = true
	return r.Activation.ResolveName(name)
}

// A condition asks for no answer but those Reads lists: screening keys
// what a condition gave by the values Reads names, so a name missing from
// it would let two different intakes share a result.
func TestReadsNamesEveryAnswerAsked(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	var conds []*rules.Condition
	for _, q := range rs.Questions {
		if q.Cond() != nil {
			conds = append(conds, q.Cond())
		}
	}
	for _, r := range rs.Rules {
		conds = append(conds, r.Cond())
	}
	for _, l := range [][]*rules.Instruction{rs.Instructions.PreTreatment, rs.Instructions.Aftercare, rs.Instructions.Course} {
		for _, x := range l {
			if x.Cond() != nil {
				conds = append(conds, x.Cond())
			}
		}
	}
	// Every answer given and true-ish, then every one false-ish, so that
	// both sides of each && and || are reached in one or the other.
	for _, high := range []bool{true, false} {
		vals := map[string]any{}
		for _, q := range rs.Questions {
			switch q.Type {
			case rules.YesNo:
				vals[q.ID] = high
			case rules.Integer:
				vals[q.ID] = map[bool]int64{true: q.MaxValue(), false: q.MinValue()}[high]
			case rules.Choice:
				vals[q.ID] = map[bool]string{true: q.Options[len(q.Options)-1].Value, false: q.Options[0].Value}[high]
			case rules.List:
				vals[q.ID] = q.OptionValues()
			default:
				vals[q.ID] = map[bool]string{true: "warfarin", false: ""}[high]
			}
		}
		vals[rules.FieldMedicationClasses] = []string{"anticoagulant", "heart", "nsaid"}
		vals[rules.FieldAllergyClasses] = []string{"local_anaesthetic"}
		vals[rules.FieldUnanswered] = []string{}
		vals[rules.FieldMedicationsRecognised] = []map[string]any{{"written": "w", "generic": "g", "classes": []string{"heart"}, "atc": []string{}, "how": "exact", "possibly_stopped": false}}
		act, err := interpreter.NewActivation(vals)
		require.NoError(t, err)
		for _, c := range conds {
			rec := &recorder{Activation: act, asked: map[string]bool{}}
			_, err := c.Eval(rec)
			require.NoError(t, err, c.Expr)
			for name := range rec.asked {
				assert.True(t, slices.Contains(c.Reads(), name), "%s asks for %q, which Reads %v leaves out", c.Expr, name, c.Reads())
			}
		}
	}
}
