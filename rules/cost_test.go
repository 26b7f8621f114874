package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"cel.dev/cel-go/interpreter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// costQuestions are the questions of the rule sets below: a list of ten
// options and a text. Lines 5-13; "rules:" is line 14, the first rule 15.
const costQuestions = `  - id: areas
    type: list
    ask: Areas?
    options: [{value: a}, {value: b}, {value: c}, {value: d}, {value: e},
              {value: f}, {value: g}, {value: h}, {value: i}, {value: j}]
  - id: medications
    type: text
    ask: Medications?
  - {id: pregnant, type: yesno, ask: Pregnant?}
`

// longList is a list literal of 200 numbers.
var longList = "[" + strings.Repeat("1, ", 199) + "1]"

// nested writes l.all(a, l.all(b, l.all(c, body))).
func nested(l, body string) string {
	return fmt.Sprintf("%s.all(a, %s.all(b, %s.all(c, %s)))", l, l, l, body)
}

// costRecord has every area, a long medications text and 64 medicines.
func costRecord(t *testing.T) interpreter.Activation {
	t.Helper()
	meds := make([]map[string]any, 64)
	for i := range meds {
		meds[i] = map[string]any{
			"written": fmt.Sprintf("medicine %d", i), "generic": fmt.Sprintf("generic %d", i),
			"classes": []string{"nsaid"}, "atc": []string{"M01AE01"}, "how": "exact", "possibly_stopped": false,
		}
	}
	act, err := interpreter.NewActivation(map[string]any{
		"areas":                          []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
		"medications":                    strings.Repeat("ibuprofen 400 mg, ", 50),
		"pregnant":                       false,
		rules.FieldMedicationClasses:     []string{"nsaid"},
		rules.FieldMedicationsRecognised: meds,
	})
	require.NoError(t, err)
	return act
}

func costRuleSet(t *testing.T, condition string) *rules.RuleSet {
	t.Helper()
	src := base + costQuestions + rulesHeader + fmt.Sprintf("  - {id: r, condition: '%s', level: defer, message: m, source: [x]}\n", condition)
	rs, err := rules.Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	return rs
}

// TestConditionCostLimit evaluates conditions that would run for seconds
// on a record: each is stopped, with an error that says why, and the
// caller makes the record needs_review. Loops as deep over short lists
// are left alone.
func TestConditionCostLimit(t *testing.T) {
	const stopped = "the condition took more than the allowed evaluation cost (100000) on these answers and was stopped; loops within loops over long lists cost the most"
	tests := []struct {
		name      string
		condition string
		want      bool
		err       string
	}{
		{"three .all over a list of 200",
			nested(longList, "a == b || b != c"), false, stopped},
		{"three .all over the 64 medicines recognised",
			nested("medications_recognised", `a.generic + b.generic + c.generic != ""`), false, stopped},
		{"text built in two .all over the medicines",
			`medications_recognised.all(a, medications_recognised.all(b, !(a.written + b.written + medications).contains("warfarin")))`, false, stopped},
		{"three .all over a list question of ten options",
			nested("areas", "a != b || b != c || a == c"), true, ""},
		{"pairs of medicines",
			`medications_recognised.exists(a, medications_recognised.exists(b, "anticoagulant" in a.classes && "nsaid" in b.classes))`, false, ""},
	}
	act := costRecord(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := costRuleSet(t, tt.condition)
			got, err := rs.Rules[0].Cond().Eval(act)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// Only a condition that loops over a list can take long, and only those
// are evaluated with the cost tracked (which doubles the time of an
// evaluation); the rest finish in time linear in the answers, even on a
// long text.
func TestConditionLimited(t *testing.T) {
	tests := []struct {
		condition string
		limited   bool
	}{
		{"pregnant", false},
		{`medications != "" && size(areas) > 2`, false},
		{`medications.contains("warfarin") || medications.matches("war+farin")`, false},
		{`"a" in areas || areas == ["b"]`, false},
		{`areas.exists(x, x == "a")`, true},
		{`size(medications_recognised.filter(m, "heart" in m.classes)) >= 2`, true},
		{`pregnant ? areas.all(x, x != "j") : true`, true},
	}
	for _, tt := range tests {
		rs := costRuleSet(t, tt.condition)
		assert.Equal(t, tt.limited, rs.Rules[0].Cond().Limited(), tt.condition)
	}
	long := costRuleSet(t, `medications.contains("warfarin") || medications.matches("war+farin")`)
	got, err := long.Rules[0].Cond().Eval(costRecord(t))
	require.NoError(t, err, "a condition without a loop finishes on a long text")
	assert.False(t, got)
}

// TestLintCost checks the warning for a condition whose estimated cost is
// above the limit, at the condition, whatever holds it.
func TestLintCost(t *testing.T) {
	const tail = " to evaluate (on 64 medicines and texts of 1000 characters); expected at most 100000, above which a condition is stopped and the record goes to needs_review"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"rule over a long list",
			rulesHeader + "  - id: r\n    condition: '" + nested(longList, "a == b || b != c") + "'\n    level: defer\n    message: m\n    source: [x]\n",
			[]string{`t.yaml:16:17: warning: rule "r" may cost up to 72562811` + tail}},
		{"rule over the medicines, in a block",
			rulesHeader + "  - id: r\n    level: defer\n    message: m\n    source: [x]\n    condition: >-\n      pregnant ||\n      " +
				nested("medications_recognised", `a.generic != b.generic || b.generic != c.generic`) + "\n",
			[]string{`t.yaml:20:7: warning: rule "r" may cost up to 6574403` + tail}},
		{"instruction",
			rulesHeader + "  - {id: r, condition: pregnant, level: defer, message: m, source: [x]}\ninstructions:\n  aftercare:\n    - id: x\n      text: t\n      when: " +
				nested("medication_classes", "a != b") + "\n",
			[]string{`t.yaml:20:13: warning: the when: of instruction "x" may cost up to 3166530` + tail}},
		{"pairs of medicines stay within it",
			rulesHeader + "  - {id: r, condition: 'medications_recognised.exists(a, medications_recognised.exists(b, \"anticoagulant\" in a.classes && \"nsaid\" in b.classes))', level: defer, message: m, source: [x]}\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := base + costQuestions + tt.src
			rs, problems := rules.Lint("t.yaml", []byte(src))
			require.NotNil(t, rs, "%v", problems)
			var got []string
			for _, p := range problems {
				// The questions no rule reads have their own warnings.
				if strings.Contains(p.Msg, " to evaluate ") {
					got = append(got, p.String())
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
