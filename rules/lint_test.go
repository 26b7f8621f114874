package rules_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// base is the start of every rule set in these tests; questions start on
// line 5.
const base = `schema: 1
name: t
version: "1"
questions:
`

const twoQuestions = `  - id: age
    type: integer
    min: 0
    max: 120
    ask: Age?
  - id: pregnant
    type: yesno
    ask: Pregnant?
`

// Lines 5-12 are twoQuestions; "rules:" is line 13, the first rule line 14.
const rulesHeader = "rules:\n"

func lintText(t *testing.T, src string) (*rules.RuleSet, []string) {
	t.Helper()
	rs, ps := rules.Lint("t.yaml", []byte(src))
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return rs, out
}

func TestLintErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "duplicate question id",
			src: base + twoQuestions + `  - id: age
    type: yesno
    ask: Again?
` + rulesHeader + `  - {id: r, condition: pregnant, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:13:9: duplicate question id "age" (first declared at line 5)`},
		},
		{
			name: "duplicate rule id",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant
    level: eligible_with_precautions
    message: m
    source: [x]
  - id: r
    condition: age < 18
    level: not_eligible
    message: m
    source: [x]
`,
			want: []string{`t.yaml:19:9: duplicate rule id "r" (first declared at line 14)`},
		},
		{
			name: "unknown level",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant
    level: refused
    message: m
    source: [x]
`,
			want: []string{`t.yaml:16:12: rule "r" has unknown level "refused"; expected one of eligible, eligible_with_precautions, needs_review, defer, not_eligible`},
		},
		{
			name: "follow-up of itself",
			src: base + twoQuestions + `  - id: details
    type: text
    when: details != ""
    ask: Details?
` + rulesHeader + `  - {id: r, condition: pregnant, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:15:11: question "details" is a follow-up of itself; its when: must read earlier questions`},
		},
		{
			name: "follow-up of a later question",
			src: base + `  - id: details
    type: text
    when: pregnant
    ask: Details?
` + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant && age < 18, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:7:11: question "details" follows up "pregnant", which is asked later; move it after "pregnant"`},
		},
		{
			name: "duplicate instruction id",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant && age < 18, level: eligible_with_precautions, message: m, source: [x]}
instructions:
  aftercare:
    - {id: water, text: Drink water.}
  course:
    - {id: water, text: Drink more water.}
`,
			want: []string{`t.yaml:19:12: duplicate instruction id "water" (first declared at line 17)`},
		},
		{
			name: "unknown parameter in a text",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant && age < 18
    level: eligible_with_precautions
    message: Under {params.min_agee}
    source: [x]
parameters:
  min_age: {value: 18, description: Youngest age.}
`,
			want: []string{`t.yaml:17:14: text names unknown parameter "min_agee" (did you mean "min_age"?); declare it under parameters:`},
		},
		{
			name: "parameter compared with the wrong type",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant && age < params.min_age
    level: eligible_with_precautions
    message: m
    source: [x]
parameters:
  min_age: {value: "18", description: Youngest age.}
`,
			want: []string{`t.yaml:15:32: cannot compare a number with text using <; yes/no answers are tested as true or false, numbers with numbers, choices with quoted values`},
		},
		{
			name: "unknown parameter in a condition",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant && age < params.min_agee
    level: eligible_with_precautions
    message: m
    source: [x]
parameters:
  min_age: {value: 18, description: Youngest age.}
`,
			want: []string{`t.yaml:15:40: unknown parameter "min_agee" (did you mean "min_age"?); declare it under parameters:`},
		},
		{
			name: "parameter of no known type",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant && age < 18, level: eligible_with_precautions, message: m, source: [x]}
parameters:
  ratio: {value: 1.5, description: A ratio.}
`,
			want: []string{`t.yaml:16:18: parameter "ratio" is 1.5; expected a whole number, true or false, or text`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, got := lintText(t, tt.src)
			assert.Nil(t, rs)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLintWarnings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "clean",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant || age < 18, level: eligible_with_precautions, message: m, source: [x]}
`,
		},
		{
			name: "a rule that holds up treatment reads optional questions",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant || age < 18, level: not_eligible, message: m, source: [x]}
  - {id: s, condition: pregnant, level: needs_review, message: m, source: [x]}
  - {id: t, condition: age < 18, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{
				`t.yaml:14:24: warning: rule "r" (not_eligible) reads question "age", which is not required: when it is not answered the rule cannot fire and nothing says so; add required: true to the question, or read it through unanswered`,
				`t.yaml:14:24: warning: rule "r" (not_eligible) reads question "pregnant", which is not required: when it is not answered the rule cannot fire and nothing says so; add required: true to the question, or read it through unanswered`,
				`t.yaml:15:24: warning: rule "s" (needs_review) reads question "pregnant", which is not required: when it is not answered the rule cannot fire and nothing says so; add required: true to the question, or read it through unanswered`,
			},
		},
		{
			name: "a rule that holds up treatment reads required questions",
			src: base + strings.ReplaceAll(twoQuestions, "    type:", "    required: true\n    type:") + rulesHeader +
				`  - {id: r, condition: pregnant || age < 18, level: not_eligible, message: m, source: [x]}
`,
		},
		{
			name: "a follow-up read by a rule more severe than its parent's",
			src: base + `  - {id: pregnant, type: yesno, required: true, ask: Pregnant?}
  - {id: weeks, type: integer, min: 0, max: 45, when: pregnant, ask: Weeks?}
  - {id: a, type: yesno, required: true, ask: A?}
  - {id: b, type: yesno, required: true, ask: B?}
  - {id: c, type: yesno, required: true, ask: C?}
  - {id: d, type: yesno, required: true, ask: D?}
  - {id: e, type: yesno, required: true, ask: E?}
  - {id: f, type: yesno, required: true, ask: F?}
` + rulesHeader + `  - {id: r, condition: pregnant, level: needs_review, message: m, source: [x]}
  - {id: s, condition: weeks > 12, level: not_eligible, message: m, source: [x]}
  - {id: t, condition: weeks > 20, level: needs_review, message: m, source: [x]}
  - {id: u, condition: a || b || c || d || e || f, level: defer, message: m, source: [x]}
`,
			want: []string{
				`t.yaml:15:24: warning: rule "s" (not_eligible) reads question "weeks", which is not required: when it is not answered the rule cannot fire and nothing says so; add required: true to the question, or read it through unanswered`,
			},
		},
		{
			name: "question no rule reads",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:5:5: warning: question "age" is read by no rule, instruction or follow-up; remove it, or add the rule that needs it`},
		},
		{
			name: "rule without a source",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant || age < 18
    level: eligible_with_precautions
    message: m
`,
			want: []string{`t.yaml:14:5: warning: rule "r" names no source; add source: with the documents it comes from`},
		},
		{
			name: "rule that can never fire",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant && age > 150
    level: eligible_with_precautions
    message: m
    source: [x]
`,
			want: []string{`t.yaml:15:28: warning: rule "r" can never fire: age > 150 is never true, as age is from 0 to 120`},
		},
		{
			name: "comparison written the other way round",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: "-1 >= age", level: eligible_with_precautions, message: m, source: [x]}
  - {id: s, condition: pregnant, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:14:25: warning: rule "r" can never fire: age <= -1 is never true, as age is from 0 to 120`},
		},
		{
			name: "dead branch of an or",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant || age > params.max_age
    level: eligible_with_precautions
    message: m
    source: [x]
parameters:
  max_age: {value: 130, description: Oldest age.}
`,
			want: []string{`t.yaml:15:28: warning: in rule "r", age > params.max_age (130) is never true, as age is from 0 to 120`},
		},
		{
			name: "more list items than options",
			src: base + twoQuestions + `  - id: areas
    type: list
    ask: Areas?
    options: [{value: face}, {value: neck}]
` + rulesHeader + `  - {id: r, condition: pregnant || age < 18 || size(areas) > 2, level: eligible_with_precautions, message: m, source: [x]}
`,
			want: []string{`t.yaml:18:48: warning: in rule "r", size(areas) > 2 is never true, as size(areas) is from 1 to 2`},
		},
		{
			name: "unused parameter and one without description",
			src: base + twoQuestions + rulesHeader + `  - {id: r, condition: pregnant || age < params.min_age, level: eligible_with_precautions, message: m, source: [x]}
parameters:
  min_age: {value: 18}
  spare: {value: 3, description: Not used.}
`,
			want: []string{
				`t.yaml:16:13: warning: parameter "min_age" has no description; say what it sets and in which unit`,
				`t.yaml:17:11: warning: parameter "spare" is used by no condition or text`,
			},
		},
		{
			name: "a parameter's value written out in a message and a condition",
			src: base + twoQuestions + rulesHeader + `  - id: r
    condition: pregnant || age < 18
    level: eligible_with_precautions
    message: Under 18; wait two years, or Eighteen
    source: [x]
  - id: s
    condition: age < params.min_age
    level: eligible_with_precautions
    message: "Under {params.min_age}; 2 visits, not 18.5"
    source: [x]
parameters:
  min_age: {value: 18, description: Youngest age.}
  limit: {value: 2, description: A limit.}
  other_limit: {value: 2, description: Another.}
`,
			want: []string{
				`t.yaml:15:34: warning: rule "r" compares age with 18, the value of parameter min_age; write params.min_age instead, so that the rule follows a change of the parameter`,
				`t.yaml:17:14: warning: rule "r" message says "18", the value of parameter min_age; write {params.min_age} instead, so that the text follows a change of the parameter`,
				`t.yaml:17:14: warning: rule "r" message says "two", the value of parameters limit and other_limit; write {params.limit} or {params.other_limit} instead, so that the text follows a change of the parameter`,
				`t.yaml:22:14: warning: rule "s" message says "2", the value of parameters limit and other_limit; write {params.limit} or {params.other_limit} instead, so that the text follows a change of the parameter`,
				`t.yaml:26:11: warning: parameter "limit" is used by no condition or text`,
				`t.yaml:27:17: warning: parameter "other_limit" is used by no condition or text`,
			},
		},
		{
			name: "the parameter named after the answer compared is the one meant",
			src: base + twoQuestions + `  - id: heart_medications
    type: integer
    min: 0
    max: 20
    ask: Heart medicines?
` + rulesHeader + `  - id: r
    condition: pregnant || heart_medications >= 2
    level: eligible_with_precautions
    message: Two or more heart medicines
    source: [x]
parameters:
  heart_medications_limit: {value: 2, description: Heart medicines that rule treatment out.}
  max_areas: {value: 2, description: Areas per session.}
`,
			want: []string{
				`t.yaml:5:5: warning: question "age" is read by no rule, instruction or follow-up; remove it, or add the rule that needs it`,
				`t.yaml:20:49: warning: rule "r" compares heart_medications with 2, the value of parameter heart_medications_limit; write params.heart_medications_limit instead, so that the rule follows a change of the parameter`,
				`t.yaml:22:14: warning: rule "r" message says "Two", the value of parameter heart_medications_limit; write {params.heart_medications_limit} instead, so that the text follows a change of the parameter`,
				`t.yaml:25:29: warning: parameter "heart_medications_limit" is used by no condition or text`,
				`t.yaml:26:15: warning: parameter "max_areas" is used by no condition or text`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, got := lintText(t, tt.src)
			require.NotNil(t, rs, got)
			assert.Equal(t, tt.want, got)
			// Warnings never stop a rule set from loading.
			_, err := rules.Parse("t.yaml", []byte(tt.src))
			assert.NoError(t, err)
		})
	}
}

func TestLintEmptyFile(t *testing.T) {
	rs, got := lintText(t, "")
	assert.Nil(t, rs)
	assert.Contains(t, got, "t.yaml: schema is 0; this version of mesoscreen reads schema 1")
}

func TestDefaultLintsClean(t *testing.T) {
	rs, got := lintText(t, string(rules.DefaultSource()))
	require.NotNil(t, rs)
	assert.Empty(t, got)
}

// Every rule whose finding a handout shows has the patient's words: lint
// says which is missing its reason, or (for needs_review) its next step.
func TestLintHandoutWordsForEveryRule(t *testing.T) {
	src := string(rules.DefaultSource())
	tests := []struct {
		name, drop, want string
	}{
		{"needs_review without a step", "    meds-isotretinoin: The clinic will check with you when you took your last dose",
			`warning: rule "meds-isotretinoin" (needs_review) has no handout step; add handout: steps: meds-isotretinoin:`},
		{"needs_review without a reason", "    allergy-local-anaesthetic: You have reacted before to a numbing medicine",
			`warning: rule "allergy-local-anaesthetic" (needs_review) has no handout reason; add handout: reasons: allergy-local-anaesthetic:`},
		{"not_eligible without a reason", "    stroke: Mesotherapy is not offered to anyone who has had a stroke",
			`warning: rule "stroke" (not_eligible) has no handout reason; add handout: reasons: stroke:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(src, "\n")
			n := len(lines)
			lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, tt.drop) })
			require.Equal(t, n-1, len(lines), "the line is in the default rule set once")
			_, got := lintText(t, strings.Join(lines, "\n"))
			require.Len(t, got, 1)
			assert.Contains(t, got[0], tt.want)
		})
	}
}
