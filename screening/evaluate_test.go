package screening_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

func defaultRules(t testing.TB) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return rs
}

// healthy is a complete intake that no rule fires on.
func healthy() map[string]any {
	return map[string]any{
		"patient_id": "P-1", "age": 34, "pregnant": "no", "breastfeeding": "no",
		"clotting_disorder": "no", "blood_clots": "no", "stroke": "no",
		"recent_cancer": "no", "diabetes": "none", "heart_medications": 0,
		"blood_thinners": "no", "active_infection": "no", "skin_condition": "no",
		"allergies": "no", "medications": "", "treatment_areas": []any{"face"},
		"goal": "rejuvenation",
	}
}

func with(changes map[string]any) map[string]any {
	m := healthy()
	maps.Copy(m, changes)
	return m
}

func screen(t testing.TB, fields map[string]any) screening.Result {
	return screening.Evaluate(screening.Parse(defaultRules(t), fields), screening.Options{Keys: clinicKeys})
}

func ruleIDs(r screening.Result) []string {
	ids := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		ids[i] = f.Rule
	}
	return ids
}

// TestSpecRules checks every row of SPEC §3, on both sides of each
// threshold.
func TestSpecRules(t *testing.T) {
	tests := []struct {
		name    string
		change  map[string]any
		verdict rules.Level
		rules   []string
	}{
		{"healthy", nil, rules.Eligible, []string{}},
		{"pregnant", map[string]any{"pregnant": "yes"}, rules.NotEligible, []string{"pregnant"}},
		{"breastfeeding", map[string]any{"breastfeeding": "yes"}, rules.NotEligible, []string{"breastfeeding"}},
		{"clotting disorder", map[string]any{"clotting_disorder": "yes"}, rules.NotEligible, []string{"clotting-disorder"}},
		{"blood clots", map[string]any{"blood_clots": "yes"}, rules.NotEligible, []string{"blood-clots"}},
		{"stroke", map[string]any{"stroke": "yes"}, rules.NotEligible, []string{"stroke"}},
		{"recent cancer", map[string]any{"recent_cancer": "yes"}, rules.NotEligible, []string{"recent-cancer"}},
		{"insulin diabetes", map[string]any{"diabetes": "insulin"}, rules.NotEligible, []string{"insulin-diabetes"}},
		{"diabetes without insulin", map[string]any{"diabetes": "non_insulin"}, rules.Eligible, []string{}},
		{"two heart medications", map[string]any{"heart_medications": 2}, rules.NotEligible, []string{"heart-medications-multiple"}},
		{"twenty heart medications", map[string]any{"heart_medications": 20}, rules.NotEligible, []string{"heart-medications-multiple"}},
		{"one heart medication", map[string]any{"heart_medications": 1}, rules.NeedsReview, []string{"heart-medication-single"}},
		{"age 17", map[string]any{"age": 17}, rules.NotEligible, []string{"minor"}},
		{"age 18", map[string]any{"age": 18}, rules.Eligible, []string{}},
		{"age 0", map[string]any{"age": 0}, rules.NotEligible, []string{"minor"}},
		{"age 120", map[string]any{"age": 120}, rules.Eligible, []string{}},
		{"active infection", map[string]any{"active_infection": "yes"}, rules.Defer, []string{"active-infection"}},
		{"skin condition", map[string]any{"skin_condition": "yes"}, rules.Defer, []string{"skin-condition"}},
		{"blood thinners", map[string]any{"blood_thinners": "yes"}, rules.NeedsReview, []string{"blood-thinners"}},
		{"allergies", map[string]any{"allergies": "yes"}, rules.NeedsReview, []string{"allergies"}},
		{"medications listed", map[string]any{"medications": "vitamin D"}, rules.EligibleWithPrecautions, []string{"medications-listed"}},
		{"medications none", map[string]any{"medications": "None"}, rules.Eligible, []string{}},
		{"medications n/a", map[string]any{"medications": " n/a "}, rules.Eligible, []string{}},
		{"medications nil", map[string]any{"medications": "nil"}, rules.Eligible, []string{}},
		{"medications dash", map[string]any{"medications": "-"}, rules.Eligible, []string{}},
		{"medications missing", map[string]any{"medications": nil}, rules.Eligible, []string{}},
		{"weight loss goal", map[string]any{"goal": "weight_loss"}, rules.EligibleWithPrecautions, []string{"goal-weight-loss"}},
		{"two areas", map[string]any{"treatment_areas": []any{"face", "neck"}}, rules.Eligible, []string{}},
		{"three areas", map[string]any{"treatment_areas": []any{"face", "neck", "arms"}}, rules.EligibleWithPrecautions, []string{"too-many-areas"}},
		{"three areas, one repeated", map[string]any{"treatment_areas": []any{"face", "neck", "FACE"}}, rules.Eligible, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := screen(t, with(tt.change))
			assert.Equal(t, tt.verdict, res.Verdict)
			assert.Equal(t, tt.rules, ruleIDs(res))
		})
	}
}

// TestCombinations: the most severe finding wins, and an answer that
// cannot be used never hides a contraindication given elsewhere.
func TestCombinations(t *testing.T) {
	tests := []struct {
		name    string
		change  map[string]any
		verdict rules.Level
		rules   []string
	}{
		{"not eligible beats defer and review",
			map[string]any{"pregnant": "yes", "active_infection": "yes", "blood_thinners": "yes"},
			rules.NotEligible, []string{"pregnant", "active-infection", "blood-thinners"}},
		{"defer beats review",
			map[string]any{"skin_condition": "yes", "allergies": "yes"},
			rules.Defer, []string{"skin-condition", "allergies"}},
		{"review beats precautions",
			map[string]any{"allergies": "yes", "goal": "weight_loss"},
			rules.NeedsReview, []string{"allergies", "goal-weight-loss"}},
		{"missing age does not hide pregnancy",
			map[string]any{"age": nil, "pregnant": "yes"},
			rules.NotEligible, []string{"pregnant", screening.RuleMissing}},
		{"unsure pregnancy does not hide insulin",
			map[string]any{"pregnant": "not sure", "diabetes": "insulin"},
			rules.NotEligible, []string{"insulin-diabetes", screening.RuleUnsure}},
		{"unreadable age still screens the rest",
			map[string]any{"age": "thirty", "goal": "weight_loss"},
			rules.NeedsReview, []string{screening.RuleInvalid, "goal-weight-loss"}},
		{"everything missing",
			map[string]any{"age": nil, "pregnant": nil, "breastfeeding": nil, "clotting_disorder": nil,
				"blood_clots": nil, "stroke": nil, "recent_cancer": nil, "diabetes": nil,
				"heart_medications": nil, "blood_thinners": nil, "active_infection": nil,
				"skin_condition": nil, "allergies": nil, "treatment_areas": nil, "goal": nil, "patient_id": nil},
			rules.NeedsReview, []string{
				"answer-missing", "answer-missing", "answer-missing", "answer-missing",
				"answer-missing", "answer-missing", "answer-missing", "answer-missing",
				"answer-missing", "answer-missing", "answer-missing", "answer-missing",
				"answer-missing", "answer-missing", "answer-missing", "answer-missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := screen(t, with(tt.change))
			assert.Equal(t, tt.verdict, res.Verdict)
			assert.Equal(t, tt.rules, ruleIDs(res))
		})
	}
}

// TestFailSafeFindings checks that each kind of unusable answer names the
// field and the value given.
func TestFailSafeFindings(t *testing.T) {
	tests := []struct {
		field   string
		value   any
		rule    string
		message string
	}{
		{"pregnant", nil, screening.RuleMissing, `Pregnancy: no answer; ask "Is the patient pregnant, or could she be?" before booking`},
		{"pregnant", "  ", screening.RuleMissing, `Pregnancy: no answer; ask "Is the patient pregnant, or could she be?" before booking`},
		{"pregnant", "maybe", screening.RuleInvalid, `Pregnancy: "maybe" is not yes, no or unsure`},
		{"pregnant", "Don't know", screening.RuleUnsure, `Pregnancy: not sure; a clinician must find out before booking`},
		{"age", 130, screening.RuleOutOfRange, `Age: 130 is outside 0 to 120`},
		{"age", "-1", screening.RuleOutOfRange, `Age: -1 is outside 0 to 120`},
		{"age", "34.5", screening.RuleInvalid, `Age: "34.5" is not a whole number from 0 to 120`},
		{"age", true, screening.RuleInvalid, `Age: "true" is not a whole number from 0 to 120`},
		{"heart_medications", 21, screening.RuleOutOfRange, `Heart medicines: 21 is outside 0 to 20`},
		{"heart_medications", "unknown", screening.RuleUnsure, `Heart medicines: not sure; a clinician must find out before booking`},
		{"diabetes", "type 2", screening.RuleInvalid, `Diabetes: "type 2" is not one of none, non_insulin, insulin or unsure`},
		{"diabetes", "not sure", screening.RuleUnsure, `Diabetes: not sure; a clinician must find out before booking`},
		{"treatment_areas", []any{"face", "elbow"}, screening.RuleInvalid, `Treatment areas: "face;elbow" is not one or more of face, neck, scalp, arms, chest, abdomen, back, buttocks, thighs, legs`},
		{"treatment_areas", []any{}, screening.RuleMissing, `Treatment areas: no answer; ask "Which areas would the patient like treated?" before booking`},
		{"treatment_areas", []any{1}, screening.RuleInvalid, `Treatment areas: "1" is not one or more of face, neck, scalp, arms, chest, abdomen, back, buttocks, thighs, legs`},
		{"goal", "unsure", screening.RuleInvalid, `Main goal: "unsure" is not one of rejuvenation, pores, hair_loss, cellulite, localized_fat, stretch_marks, skin_laxity, weight_loss`},
		{"goal", "detox", screening.RuleInvalid, `Main goal: "detox" is not one of rejuvenation, pores, hair_loss, cellulite, localized_fat, stretch_marks, skin_laxity, weight_loss`},
		{"patient_id", "", screening.RuleMissing, `Patient identifier: no answer; ask "Patient identifier (chart number)" before booking`},
		{"pregnant", screening.Conflict{"no", "yes"}, screening.RuleDuplicated, `Pregnancy: answered twice ("no", "yes"); a clinician must find out which is right before booking`},
		{"pregnant", screening.Conflict{"no", "no"}, screening.RuleDuplicated, `Pregnancy: answered twice ("no", "no"); a clinician must find out which is right before booking`},
		{"pregnant", screening.Conflict{false, "yes", nil}, screening.RuleDuplicated, `Pregnancy: answered 3 times ("false", "yes", ""); a clinician must find out which is right before booking`},
		{"patient_id", screening.Conflict{"A-1", "A-2"}, screening.RuleDuplicated, `Patient identifier: answered twice ("A-1", "A-2"); a clinician must find out which is right before booking`},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+stringOf(tt.value), func(t *testing.T) {
			res := screen(t, with(map[string]any{tt.field: tt.value}))
			require.NotEmpty(t, res.Findings)
			f := res.Findings[0]
			assert.Equal(t, rules.NeedsReview, res.Verdict)
			assert.Equal(t, tt.rule, f.Rule)
			assert.Equal(t, tt.field, f.Field)
			assert.Equal(t, tt.message, f.Message)
		})
	}
}

// A field given twice is unreadable, and the rest of the record is still
// screened: a contraindication elsewhere still decides the verdict.
func TestDuplicatedAnswerKeepsTheRest(t *testing.T) {
	res := screen(t, with(map[string]any{"pregnant": screening.Conflict{"no", "yes"}, "stroke": "yes"}))
	assert.Equal(t, rules.NotEligible, res.Verdict)
	assert.Equal(t, []string{"stroke", screening.RuleDuplicated}, ruleIDs(res))
	assert.Equal(t, "pregnant", res.Findings[1].Field)
	assert.Equal(t, `"no", "yes"`, res.Findings[1].Value)

	res = screen(t, with(map[string]any{"patient_id": screening.Conflict{"A-1", "A-2"}}))
	assert.Empty(t, res.PatientID, "neither identifier is taken")
}

func stringOf(v any) string {
	if v == nil {
		return "nil"
	}
	s, _ := v.(string)
	if s == "" {
		return "value"
	}
	return s
}

// TestSpellings covers every spelling of SPEC §1.
func TestSpellings(t *testing.T) {
	rs := defaultRules(t)
	q := func(id string) *rules.Question {
		x, ok := rs.Question(id)
		require.True(t, ok)
		return x
	}
	tests := []struct {
		field string
		raw   any
		state screening.State
		value any
	}{
		{"pregnant", true, screening.Given, true},
		{"pregnant", false, screening.Given, false},
		{"pregnant", "yes", screening.Given, true},
		{"pregnant", "YES", screening.Given, true},
		{"pregnant", " y ", screening.Given, true},
		{"pregnant", "True", screening.Given, true},
		{"pregnant", "1", screening.Given, true},
		{"pregnant", "no", screening.Given, false},
		{"pregnant", "N", screening.Given, false},
		{"pregnant", "FALSE", screening.Given, false},
		{"pregnant", "0", screening.Given, false},
		{"pregnant", "unsure", screening.Unsure, nil},
		{"pregnant", "Unknown", screening.Unsure, nil},
		{"pregnant", "not sure", screening.Unsure, nil},
		{"pregnant", "don't know", screening.Unsure, nil},
		{"pregnant", "", screening.Missing, nil},
		{"pregnant", nil, screening.Missing, nil},
		{"pregnant", "yess", screening.Invalid, nil},
		{"pregnant", "2", screening.Invalid, nil},
		{"pregnant", []any{"yes"}, screening.Invalid, nil},
		{"age", 34, screening.Given, int64(34)},
		{"age", 34.0, screening.Given, int64(34)},
		{"age", "34", screening.Given, int64(34)},
		{"age", " 34 ", screening.Given, int64(34)},
		{"age", "3 4", screening.Invalid, nil},
		{"age", "0x20", screening.Invalid, nil},
		{"age", 121, screening.OutOfRange, int64(121)},
		// A JSON number is read exactly, from its digits, never
		// rounded through a float64.
		{"age", json.Number("34"), screening.Given, int64(34)},
		{"age", json.Number("34.000"), screening.Given, int64(34)},
		{"age", json.Number("3.4e1"), screening.Given, int64(34)},
		{"age", json.Number("340e-1"), screening.Given, int64(34)},
		{"age", json.Number("-0.0"), screening.Given, int64(0)},
		{"age", json.Number("17.9999999999999999"), screening.Invalid, nil},
		{"age", json.Number("1799999999999999999e-17"), screening.Invalid, nil},
		{"age", json.Number("18.0000000000000001"), screening.Invalid, nil},
		{"age", json.Number("1e400"), screening.Invalid, nil},
		{"age", json.Number("0e400"), screening.Given, int64(0)},
		{"age", json.Number("1e-400"), screening.Invalid, nil},
		{"age", json.Number("1e16"), screening.Invalid, nil},
		{"diabetes", "INSULIN", screening.Given, "insulin"},
		{"diabetes", " non_insulin ", screening.Given, "non_insulin"},
		{"diabetes", "non-insulin", screening.Invalid, nil},
		{"diabetes", true, screening.Invalid, nil},
		{"treatment_areas", []any{"Face", "neck"}, screening.Given, []string{"face", "neck"}},
		{"treatment_areas", "face;neck", screening.Given, []string{"face", "neck"}},
		{"treatment_areas", "face | NECK", screening.Given, []string{"face", "neck"}},
		{"treatment_areas", "face;;", screening.Given, []string{"face"}},
		{"treatment_areas", ";", screening.Missing, nil},
		{"treatment_areas", "face,neck", screening.Invalid, nil},
		{"medications", "Aspirin 75 mg", screening.Given, "Aspirin 75 mg"},
		{"medications", "N/A", screening.Given, ""},
		{"patient_id", 1042, screening.Given, "1042"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"/"+stringOf(tt.raw), func(t *testing.T) {
			a := screening.ParseAnswer(q(tt.field), tt.raw)
			assert.Equal(t, tt.state, a.State)
			if tt.state == screening.Given || tt.state == screening.OutOfRange {
				assert.Equal(t, tt.value, a.Value)
			}
		})
	}
}

func TestFollowUps(t *testing.T) {
	rs := defaultRules(t)
	bt, _ := rs.Question("blood_thinner_name")
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})

	a := screening.Parse(rs, with(map[string]any{"blood_thinners": "no", "blood_thinner_name": "warfarin"}))
	applies, decided := sc.Applies(a, bt)
	assert.True(t, decided)
	assert.False(t, applies)
	assert.Equal(t, []string{"blood_thinner_name"}, sc.ClearInapplicable(a), "a follow-up that no longer applies is cleared")
	assert.Equal(t, screening.Missing, a.Get("blood_thinner_name").State)

	a = screening.Parse(rs, with(map[string]any{"blood_thinners": nil}))
	_, decided = sc.Applies(a, bt)
	assert.False(t, decided, "the trigger is unanswered")

	a = screening.Parse(rs, with(map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban"}))
	applies, _ = sc.Applies(a, bt)
	assert.True(t, applies)
	assert.Empty(t, sc.ClearInapplicable(a))
	res := screening.Evaluate(a, screening.Options{Keys: clinicKeys})
	assert.Equal(t, []string{"blood-thinners"}, ruleIDs(res), "an optional follow-up left blank adds no finding")
	assert.Contains(t, res.Instructions, "blood-thinner-pause")
}

func TestInstructions(t *testing.T) {
	tests := []struct {
		name      string
		change    map[string]any
		pre       int
		aftercare int
		course    []string
		ids       []string // the instructions given beside those every patient gets
	}{
		{"eligible skin goal", nil, 4, 9, []string{"001", "000, 004"}, []string{"numbing-cream", "course-skin"}},
		{"blood thinners add a pre-treatment step", map[string]any{"blood_thinners": "yes"}, 5, 9, []string{"001", "000, 004"},
			[]string{"numbing-cream", "blood-thinner-pause", "course-skin"}},
		{"body goal", map[string]any{"goal": "cellulite"}, 4, 9, []string{"000, 002, 003, 004", "003, 004", "000, 004"},
			[]string{"numbing-cream", "course-body", "course-maintenance"}},
		{"hair goal", map[string]any{"goal": "hair_loss"}, 4, 9, []string{"001", "000, 004"}, []string{"numbing-cream", "course-hair"}},
		{"not eligible gets none", map[string]any{"stroke": "yes"}, 0, 0, nil, nil},
		{"defer gets none", map[string]any{"active_infection": "yes"}, 0, 0, nil, nil},
	}
	always := []string{"meal-no-stimulants", "disclose-medicines", "water-during-course", "no-washing", "no-heat",
		"no-exercise", "water", "sun", "arnica", "expected-effects", "call-clinic", "call-clinic-worse", "course-results"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := screen(t, with(tt.change))
			assert.Len(t, res.PreTreatment, tt.pre)
			assert.Len(t, res.Aftercare, tt.aftercare)
			var sources []string
			for _, s := range res.Course {
				sources = append(sources, s.Source)
			}
			assert.Equal(t, tt.course, sources)
			assert.Len(t, res.Instructions, len(res.PreTreatment)+len(res.Aftercare)+len(res.Course), "an id for every instruction")
			if tt.pre > 0 {
				assert.ElementsMatch(t, append(slices.Clone(always), tt.ids...), res.Instructions)
			}

			// With FindingsOnly: the same verdict and findings, and no
			// instructions.
			only := screening.Evaluate(screening.Parse(defaultRules(t), with(tt.change)), screening.Options{FindingsOnly: true})
			assert.Equal(t, res.Verdict, only.Verdict)
			assert.Equal(t, res.Findings, only.Findings)
			assert.Empty(t, only.PreTreatment)
			assert.Empty(t, only.Aftercare)
			assert.Empty(t, only.Course)
		})
	}
}

func TestResultIdentity(t *testing.T) {
	rs := defaultRules(t)
	res := screen(t, healthy())
	assert.Equal(t, "P-1", res.PatientID)
	assert.Equal(t, screening.RuleSetRef{Name: "mesotherapy-default", Version: "1", SHA256: rs.SHA256}, res.RuleSet)
	assert.Len(t, rs.SHA256, 64)

	// In an interview the clinician knows the patient; no id is needed.
	m := healthy()
	delete(m, "patient_id")
	res = screening.Evaluate(screening.Parse(rs, m), screening.Options{IdentifierOptional: true})
	assert.Equal(t, rules.Eligible, res.Verdict)
	res = screening.Evaluate(screening.Parse(rs, m), screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.NeedsReview, res.Verdict)

	// Nor when the record says it was saved without one on purpose.
	a := screening.Parse(rs, m)
	a.NoIdentifier = true
	res = screening.Evaluate(a, screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.Eligible, res.Verdict)
	assert.Empty(t, res.Findings)
	assert.True(t, a.Clone().NoIdentifier, "a clone keeps it")
}

func TestUnknownFields(t *testing.T) {
	a := screening.Parse(defaultRules(t), with(map[string]any{"zodiac": "leo", "email": "x@example.org"}))
	assert.Equal(t, []string{"email", "zodiac"}, a.Unknown)
}

func TestAnswersJSONRoundTrip(t *testing.T) {
	rs := defaultRules(t)
	in := with(map[string]any{"pregnant": "Not sure", "treatment_areas": "face;neck", "age": "40"})
	a := screening.Parse(rs, in)
	b, err := a.MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"patient_id":"P-1","age":40,"pregnant":"unsure","breastfeeding":"no",
		"clotting_disorder":"no","blood_clots":"no","stroke":"no","recent_cancer":"no",
		"diabetes":"none","heart_medications":0,"blood_thinners":"no","active_infection":"no",
		"skin_condition":"no","allergies":"no","treatment_areas":["face","neck"],
		"goal":"rejuvenation"}`, string(b))
}

func TestEvaluateIsSafeForConcurrentUse(t *testing.T) {
	rs := defaultRules(t)
	cases := []map[string]any{healthy(), with(map[string]any{"pregnant": "yes"}), with(map[string]any{"age": nil})}
	want := make([]screening.Result, len(cases))
	for i, c := range cases {
		want[i] = screening.Evaluate(screening.Parse(rs, c), screening.Options{Keys: clinicKeys})
	}
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			for n := 0; n < 200; n++ {
				i := n % len(cases)
				got := screening.Evaluate(screening.Parse(rs, cases[i]), screening.Options{Keys: clinicKeys})
				if !assert.Equal(t, want[i], got) {
					break
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}

// An instruction whose condition fails at run time for a record is not
// left out in silence: the record needs review, with a finding that names
// the instruction. One whose condition reads an answer that cannot be used
// adds nothing, as that answer has its own finding.
func TestUndecidableInstruction(t *testing.T) {
	extra := `    - id: x-hydration
      when: 100 / (age - 40) > 1
      text: Drink more water.
      source: [x]
`
	src := strings.Replace(string(rules.DefaultSource()), "    - id: water-during-course\n", extra+"    - id: water-during-course\n", 1)
	require.NotEqual(t, string(rules.DefaultSource()), src)
	rs, err := rules.Parse("clinic.yaml", []byte(src))
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	ev := sc.NewEvaluator()
	tests := []struct {
		age        any
		undecided  bool
		verdict    rules.Level
		instructed bool
	}{
		{40, true, rules.NeedsReview, false},
		{41, false, rules.Eligible, true},
		{39, false, rules.Eligible, false},
		{"forty", false, rules.NeedsReview, false}, // answer-invalid, not the instruction
	}
	for _, tt := range tests {
		a := screening.Parse(rs, with(map[string]any{"age": tt.age}))
		for _, res := range []screening.Result{sc.Evaluate(a), ev.Evaluate(a)} {
			assert.Equal(t, tt.verdict, res.Verdict, "age %v", tt.age)
			assert.Equal(t, tt.undecided, slices.Contains(ruleIDs(res), screening.RuleInstructionUndecidable), "age %v: %v", tt.age, res.Findings)
			assert.Equal(t, tt.instructed, slices.Contains(res.Instructions, "x-hydration"), "age %v", tt.age)
			for _, f := range res.Findings {
				if f.Rule == screening.RuleInstructionUndecidable {
					assert.Contains(t, f.Message, "instruction x-hydration could not be decided")
				}
			}
		}
	}
}
