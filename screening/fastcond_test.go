package screening

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// randomAnswer gives a question any kind of answer, valid or not.
func randomAnswer(r *rand.Rand, q *rules.Question) Answer {
	switch r.IntN(6) {
	case 0:
		return Answer{}
	case 1:
		return Answer{State: Unsure, Given: "not sure"}
	case 2:
		return Answer{State: Invalid, Given: "maybe"}
	}
	switch q.Type {
	case rules.YesNo:
		return Answer{State: Given, Value: r.IntN(2) == 0}
	case rules.Integer:
		return Answer{State: Given, Value: q.MinValue() + r.Int64N(min(q.MaxValue()-q.MinValue()+1, 40))}
	case rules.Choice:
		return Answer{State: Given, Value: q.Options[r.IntN(len(q.Options))].Value}
	case rules.List:
		var l []string
		for _, o := range q.Options {
			if r.IntN(4) == 0 {
				l = append(l, o.Value)
			}
		}
		return Answer{State: Given, Value: l}
	}
	return Answer{State: Given, Value: []string{"", "aspirin"}[r.IntN(2)]}
}

func TestFastConditionsAgreeWithCEL(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	var conds []*rules.Condition
	for _, q := range rs.Questions {
		conds = append(conds, q.Cond())
	}
	for _, r := range rs.Rules {
		conds = append(conds, r.Cond())
	}
	in := rs.Instructions
	for _, xs := range [][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range xs {
			conds = append(conds, x.Cond())
		}
	}
	fast := 0
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range conds {
		f := compileFast(rs, c)
		if f == nil {
			continue
		}
		fast++
		for range 300 {
			a := NewAnswers(rs)
			for i, q := range rs.Questions {
				a.vals[i] = randomAnswer(r, q)
			}
			want, err := c.Eval(a.activation())
			got, decided := f.eval(a.vals)
			require.Equal(t, err == nil, decided, "%s decided", c.Expr)
			if decided {
				require.Equal(t, want, got, "%s on %v", c.Expr, a.vals)
			}
		}
	}
	assert.GreaterOrEqual(t, fast, 20, "the default rule set's conditions are simple")

	// Conditions outside the simple forms are left to CEL.
	for _, e := range []string{"age < 18 && pregnant", "size(medications) > 2", "pregnant == true", `goal in ["a", b]`, "unknown_field"} {
		assert.Nil(t, compileFast(rs, &rules.Condition{Expr: e}), e)
	}
}
