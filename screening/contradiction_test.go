package screening_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// A follow-up answered in a file although the answer it follows says it
// does not apply ("allergies": "no" beside the details of an anaphylaxis)
// is never set aside in silence: the record needs review, with a finding
// that names both answers. Every follow-up of the default rule set, with
// every kind of answer that says something, is tried on a healthy intake.
// An answer that agrees with the parent (a free text that says nothing, a
// yes/no follow-up answered no) is no contradiction.
func TestFollowUpContradictingItsParent(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	n := 0
	for _, q := range rs.Questions {
		if q.Cond() == nil {
			continue
		}
		require.False(t, applies(sc, rs, healthy(), q), "%s applies to a healthy intake", q.ID)
		for _, tt := range saying(q) {
			t.Run(fmt.Sprintf("%s=%v", q.ID, tt.value), func(t *testing.T) {
				n++
				res := sc.Evaluate(screening.Parse(rs, with(map[string]any{q.ID: tt.value})))
				var found *screening.Finding
				for i, f := range res.Findings {
					if f.Rule == screening.RuleContradicted && f.Field == q.ID {
						found = &res.Findings[i]
					}
				}
				if !tt.contradicts {
					assert.Nil(t, found, "no contradiction: %v", res.Findings)
					return
				}
				require.NotNil(t, found, "%v", res.Findings)
				assert.False(t, res.Verdict.AllowsTreatment(), "verdict %s", res.Verdict)
				assert.Equal(t, rules.NeedsReview, found.Level)
				assert.Contains(t, found.Message, q.Name())
				for _, id := range q.Cond().Reads() {
					if p, ok := rs.Question(id); ok {
						assert.Contains(t, found.Message, p.Name(), "names the parent")
					}
				}
			})
		}
	}
	assert.Greater(t, n, 10)
}

type followUpAnswer struct {
	value       any
	contradicts bool
}

// saying lists answers to q: each that says something, and those that
// agree with a parent that says q does not apply.
func saying(q *rules.Question) []followUpAnswer {
	switch q.Type {
	case rules.YesNo:
		return []followUpAnswer{{"yes", true}, {"unsure", true}, {"no", false}}
	case rules.Text:
		return []followUpAnswer{{"lumps and pus at two sites", true}, {"Anaphylaxis to lidocaine cream", true}, {"none", false}, {"n/a", false}}
	case rules.Integer:
		return []followUpAnswer{{q.MinValue() + 1, true}}
	case rules.Choice, rules.List:
		var out []followUpAnswer
		for _, o := range q.Options {
			v := any(o.Value)
			if q.Type == rules.List {
				v = []any{o.Value}
			}
			out = append(out, followUpAnswer{v, true})
		}
		return append(out, followUpAnswer{"something else", true})
	}
	return nil
}

func applies(sc *screening.Screener, rs *rules.RuleSet, m map[string]any, q *rules.Question) bool {
	ok, _ := sc.Applies(screening.Parse(rs, m), q)
	return ok
}

// A follow-up set aside is still read by the derived fields: an
// anaesthetic named in the allergy details withholds the numbing cream
// whatever the parent answer says, in every way the details name one.
func TestContradictedDetailsStillWithholdTheNumbingCream(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	ev := sc.NewEvaluator()
	for _, details := range []string{"Anaphylaxis to lidocaine cream", "EMLA", "hives after the numbing cream",
		"lidocaína: urticaria", "réaction à la lidocaïne", "benzocaine at the dentist"} {
		for _, parent := range []any{"no", false, "No"} {
			a := screening.Parse(rs, with(map[string]any{"allergies": parent, "allergy_details": details}))
			for _, res := range []screening.Result{sc.Evaluate(a), ev.Evaluate(a)} {
				assert.False(t, res.Verdict.AllowsTreatment(), "%q: verdict %s", details, res.Verdict)
				ids := ruleIDs(res)
				assert.Contains(t, ids, screening.RuleContradicted, "%q", details)
				assert.Contains(t, ids, "allergy-local-anaesthetic", "%q", details)
				assert.Contains(t, res.Instructions, "numbing-cream-withheld", "%q", details)
				assert.NotContains(t, res.Instructions, "numbing-cream", "%q", details)
			}
		}
	}
}
