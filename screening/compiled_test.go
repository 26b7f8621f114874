package screening

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

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

// extraConditions go beyond the default rule set, to hold the compiler to
// CEL on every form it compiles, and on some it leaves to CEL.
var extraConditions = []string{
	`age < 18 && pregnant`,
	`pregnant || age >= 65`,
	`!(pregnant && breastfeeding) || stroke`,
	`pregnant == true`,
	`goal != "cellulite" && diabetes in ["non_insulin", "insulin"]`,
	`size(medications) > 10`,
	`size(treatment_areas) == 0 || "face" in treatment_areas`,
	`treatment_areas.size() >= 2`,
	`age > 40 ? heart_medications > 0 : stroke`,
	`-age < -60`,
	`treatment_areas.exists(a, a == "face" && pregnant)`,
	`treatment_areas.all(a, a != "scalp" || breastfeeding)`,
	`treatment_areas.exists_one(a, a == "neck" || stroke)`,
	`size(treatment_areas.filter(a, a != "face")) >= 2`,
	`treatment_areas.filter(a, a != "face").exists(a, a == "neck")`,
	`medication_classes.exists(c, c in ["nsaid", "anticoagulant"]) && !blood_thinners`,
	`"statin" in medication_classes || size(medication_classes) > 2`,
	`medications_recognised.exists(m, m.possibly_stopped && "antiplatelet" in m.classes)`,
	`medications_recognised.all(m, m.how == "exact")`,
	`medications_recognised.exists(m, m.generic == "apixaban" || m.written == "fish oil")`,
	`medications_recognised.exists(m, m.atc.exists(a, a == "B01AF02"))`,
	`size(medications_recognised.filter(m, "heart" in m.classes)) >= params.heart_medications_limit`,
	`medications_recognised.exists(m, m.classes.exists(c, c == "nsaid" && age > 30))`,
	// Left to CEL:
	`goal > "a"`,
	`medication_classes == ["nsaid"]`,
	`medications_recognised.map(m, m.generic).exists(g, g == "aspirin")`,
	`age + 1 > 18`,
}

// conditionsUnderTest loads the default rule set with a rule for each of
// extraConditions, and returns it with every condition it holds.
func conditionsUnderTest(t *testing.T) (*rules.RuleSet, []*rules.Condition) {
	t.Helper()
	var extra strings.Builder
	extra.WriteString("rules:\n")
	for i, c := range extraConditions {
		fmt.Fprintf(&extra, "  - id: extra-%d\n    condition: %s\n    level: needs_review\n    message: extra\n    source: [clinic protocol]\n", i, strconv.Quote(c))
	}
	src := strings.Replace(string(rules.DefaultSource()), "rules:\n", extra.String(), 1)
	rs, err := rules.Parse("extra.yaml", []byte(src))
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
	return rs, slices.DeleteFunc(conds, func(c *rules.Condition) bool { return c == nil })
}

// medicationTexts are lists for the random intakes: none, one class, a
// mix, stopped ones, misspellings.
var medicationTexts = []string{
	"", "none", "fish oil", "Eliquis 5 mg, ibuprofen", "aspirin (stopped last month)",
	"atorvastatin, bisoprolol, ramipril", "insulin glargine", "isotretinoin 20mg",
	"vitamin D, ginkgo, warfarin", "metoprolol", "ibuprofin", "lisinopril and amlodipine, aspirin",
}

func TestCompiledConditionsAgreeWithCEL(t *testing.T) {
	rs, conds := conditionsUnderTest(t)
	s := NewScreener(rs, Options{})
	compiled := 0
	r := rand.New(rand.NewPCG(1, 2))
	medsIdx := rs.Index("medications")
	for _, c := range conds {
		n := compileCondition(rs, c)
		if n == nil {
			continue
		}
		compiled++
		for range 400 {
			a := NewAnswers(rs)
			for i, q := range rs.Questions {
				a.vals[i] = randomAnswer(r, q)
			}
			if r.IntN(3) > 0 {
				a.vals[medsIdx] = Answer{State: Given, Value: medicationTexts[r.IntN(len(medicationTexts))]}
			}
			md := s.medications(a.vals)
			act := a.activation()
			act.derived = md.derived()
			want, err := c.Eval(act)
			got := n(&scope{vals: a.vals, md: md})
			require.Equal(t, err == nil, got != triUndecided, "%s decided, on %v (CEL: %v)", c.Expr, a.vals, err)
			if err == nil {
				require.Equal(t, want, got == triTrue, "%s on %v", c.Expr, a.vals)
			}
		}
	}
	all := len(conds) - 4 // the last four extra conditions are left to CEL
	assert.Equal(t, all, compiled, "conditions compiled")

	for _, e := range extraConditions[len(extraConditions)-4:] {
		i := slices.IndexFunc(conds, func(c *rules.Condition) bool { return c.Expr == e })
		require.GreaterOrEqual(t, i, 0, e)
		assert.Nil(t, compileCondition(rs, conds[i]), "left to CEL: %s", e)
	}
}

// A result reused from intake to intake carries nothing over, and the
// medication cache gives what reading the list afresh gives.
func TestEvaluateIntoReusesNothingStale(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	s := NewScreener(rs, Options{})
	r := rand.New(rand.NewPCG(3, 4))
	medsIdx := rs.Index("medications")
	var reused Result
	for range 2000 {
		a := NewAnswers(rs)
		for i, q := range rs.Questions {
			a.vals[i] = randomAnswer(r, q)
		}
		if r.IntN(2) == 0 {
			a.vals[medsIdx] = Answer{State: Given, Value: medicationTexts[r.IntN(len(medicationTexts))]}
		}
		s.EvaluateInto(a, &reused)
		fresh := NewScreener(rs, Options{}).Evaluate(a) // nothing cached
		require.Equal(t, fresh, reused)
	}
}

func TestMedicationCacheIsBounded(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	s := NewScreener(rs, Options{})
	vals := make([]Answer, len(rs.Questions))
	for i := range maxCachedMeds + 500 {
		vals[s.medsIdx] = Answer{State: Given, Value: fmt.Sprintf("aspirin %d mg", i)}
		m := s.medications(vals)
		require.Len(t, m.list, 1)
	}
	assert.Equal(t, int64(maxCachedMeds), s.cached.Load())
	long := strings.Repeat("fish oil, ", 40)
	vals[s.medsIdx] = Answer{State: Given, Value: long}
	s.medications(vals)
	_, kept := s.medCache.Load(long)
	assert.False(t, kept, "a text longer than %d bytes is not kept", maxCachedLen)
}

// TestMedicationCacheKeepsNoInput screens a medication list that is part
// of a larger buffer, as a CSV cell is part of a block of the file: what
// the cache keeps must not point into that buffer, which would then stay
// in memory as long as the cache.
func TestMedicationCacheKeepsNoInput(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	s := NewScreener(rs, Options{})
	buf := strings.Repeat("x", 1000) + "fish oil; aspirin" + strings.Repeat("y", 1000)
	text := buf[1000 : 1000+len("fish oil; aspirin")]
	vals := make([]Answer, len(rs.Questions))
	vals[s.medsIdx] = Answer{State: Given, Value: text}
	m := s.medications(vals)
	require.Len(t, m.list, 2)
	start := uintptr(unsafe.Pointer(unsafe.StringData(buf)))
	for _, med := range m.list {
		p := uintptr(unsafe.Pointer(unsafe.StringData(med.Written)))
		assert.False(t, p >= start && p < start+uintptr(len(buf)), "%q points into the input", med.Written)
	}
	assert.Same(t, m, s.medications(vals), "the list is kept")
}

// TestMedicationTextsAsExpanded checks the texts a medication list keeps
// for the rule set's {meds} templates, some shared with the empty list's,
// against each template expanded for the list in full.
func TestMedicationTextsAsExpanded(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	s := NewScreener(rs, Options{})
	require.NotEmpty(t, s.templates)
	named := 0
	for _, text := range append(medicationTexts, "vitamin D", "metformin 500 mg, omega-3", "clopidogrel") {
		vals := make([]Answer, len(rs.Questions))
		vals[s.medsIdx] = Answer{State: Given, Value: text}
		m := s.medications(vals)
		require.Len(t, m.texts, len(s.templates))
		for i, tpl := range s.templates {
			assert.Equal(t, m.expand(tpl), m.texts[i], "%q in %q", text, tpl)
			if m.texts[i] != s.noMeds.texts[i] {
				named++
			}
		}
	}
	assert.Greater(t, named, 5, "some lists name medicines in some templates")
}
