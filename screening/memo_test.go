package screening_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// memoRules is the default rule set with conditions of every kind added:
// on follow-ups, on the medicines recognised, with arithmetic that fails
// at run time, on text, and over lists.
func memoRules(t testing.TB) *rules.RuleSet {
	t.Helper()
	extra := `
  - id: x-follow-up
    condition: blood_thinner_name in ["warfarin", "other"] || allergy_details.contains("lidocaine")
    level: needs_review
    message: Follow-up read
    source: [x]
  - id: x-pairs
    condition: >-
      medications_recognised.exists(a, medications_recognised.exists(b,
      a.generic != b.generic && "nsaid" in a.classes && "anticoagulant" in b.classes))
    level: needs_review
    message: "Pairs {meds:nsaid}"
    source: [x]
  - id: x-division
    condition: 100 / (age - 40) > 3 || heart_medications * 2 == 6
    level: defer
    message: Arithmetic
    source: [x]
  - id: x-text
    condition: patient_id.startsWith("P-1") && medications.size() > 10
    level: eligible_with_precautions
    message: Text
    source: [x]
  - id: x-ternary
    condition: 'size(treatment_areas) > 1 ? "face" in treatment_areas : goal == "pores"'
    level: eligible_with_precautions
    message: Lists
    source: [x]
`
	src := strings.Replace(string(rules.DefaultSource()), "\ninstructions:", extra+"\ninstructions:", 1)
	rs, err := rules.Parse("memo.yaml", []byte(src))
	require.NoError(t, err)
	return rs
}

// repeatingIntake draws each answer from a few values, so that intakes repeat
// what conditions read, with answers missing, unsure and out of range
// among them.
func repeatingIntake(r *rand.Rand, rs *rules.RuleSet, n int) map[string]any {
	pick := func(xs ...any) any { return xs[r.IntN(len(xs))] }
	m := map[string]any{"patient_id": fmt.Sprintf("P-%d", n)}
	// A field no question reads, which allergy_classes reads for
	// allergy mentions.
	if r.IntN(3) == 0 {
		m["notes"] = pick("", "allergic to lidocaine", "pregnant", "EMLA rash", "aspirin allergy")
	}
	for _, q := range rs.Questions {
		if q.IsIdentifier() {
			continue
		}
		if r.IntN(12) == 0 {
			continue // missing
		}
		switch q.Type {
		case rules.YesNo:
			m[q.ID] = pick("no", "no", "no", "yes", "not sure", "maybe")
		case rules.Integer:
			m[q.ID] = pick(0, 1, 2, 3, 17, 18, 40, 41, 64, 121, "x")
		case rules.Choice:
			m[q.ID] = pick(q.Options[0].Value, q.Options[r.IntN(len(q.Options))].Value, "unsure", "nope")
		case rules.List:
			var vs []any
			for range r.IntN(4) {
				vs = append(vs, q.Options[r.IntN(len(q.Options))].Value)
			}
			m[q.ID] = vs
		case rules.Text:
			m[q.ID] = pick("", "none", "rash after lidocaine", "warfarin 5mg", "Eliquis, ibuprofen 400",
				"aspirin and fish oil", "atorvastatin, bisoprolol, ramipril", "insulin glargine",
				"isotretinoin (stopped)", "vitamin D")
		}
	}
	return m
}

// An evaluator, which keeps what conditions gave, gives exactly the
// results of evaluating every condition each time, on many random intakes
// that repeat their answers.
func TestEvaluatorAgreesWithEvaluate(t *testing.T) {
	for _, tt := range []struct {
		name string
		rs   func(testing.TB) *rules.RuleSet
	}{
		{"default rule set", defaultRules},
		{"conditions of every kind", memoRules},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.rs(t)
			sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
			ev := sc.NewEvaluator()
			r := rand.New(rand.NewPCG(1, 2))
			n := 20_000
			if testing.Short() {
				n = 2_000
			}
			for i := range n {
				a := screening.Parse(rs, repeatingIntake(r, rs, i))
				want := sc.Evaluate(a)
				got := ev.Evaluate(a)
				require.Equal(t, want, got, "intake %d: %v", i, a.Canonical())
			}
		})
	}
}
