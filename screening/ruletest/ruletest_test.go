package ruletest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/ruletest"
)

var protocolDir = filepath.Join("..", "..", "testdata", "protocol")

// TestDefaultRuleSet runs the default rule set's own test cases, so that
// "go test" fails when a change to default.yaml breaks one of them or
// leaves a rule without a case.
func TestDefaultRuleSet(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	suite, err := ruletest.Parse(rules.DefaultTestsFile, rules.DefaultTestsSource(), rs)
	require.NoError(t, err)
	rep := ruletest.Run(rs, []*ruletest.Suite{suite}, nil)
	require.NotEmpty(t, rep.Outcomes)
	for _, o := range rep.Outcomes {
		assert.True(t, o.Passed(), "%s (%s): expected %s, got %s; fired %v; missing %v; unwanted %v; instructions missing %v, unwanted %v",
			o.Case.Name, o.Case.Where(), o.Case.Verdict, o.Verdict, o.Fired, o.Missing, o.Unwanted,
			o.MissingInstructions, o.UnwantedInstructions)
	}
	for _, id := range rep.Rules {
		assert.Positive(t, rep.Fired[id], "no default test case fires rule %s", id)
	}
	assert.Equal(t, 100.0, rep.Coverage())
	// And a case on each side of every instruction's condition.
	for _, id := range rep.Conditional {
		assert.Positive(t, rep.Given[id], "no default test case gives instruction %s", id)
		assert.Positive(t, rep.Withheld[id], "every default test case that shows instructions gives %s", id)
	}
	assert.Equal(t, 100.0, rep.InstructionCoverage())
}

func TestInstructionExpectations(t *testing.T) {
	src := `schema: 1
name: clinic-instructions
version: "1"
questions:
  - {id: patient_id, type: text, role: identifier, required: true, ask: Patient identifier}
  - {id: smoker, type: yesno, required: true, ask: Smoker?}
  - {id: stroke, type: yesno, required: true, ask: Stroke?}
rules:
  - {id: stroke, condition: stroke, level: not_eligible, message: Past stroke, source: [x]}
instructions:
  show_for: [eligible]
  pre_treatment:
    - {id: no-smoking, when: smoker, text: Do not smoke that day.}
    - {id: water, text: Drink water.}
`
	rs, err := rules.Parse("i.yaml", []byte(src))
	require.NoError(t, err)
	cases := `defaults: {patient_id: T-1, smoker: no, stroke: no}
cases:
  - name: a smoker is told
    answers: {smoker: yes}
    verdict: eligible
    instructions: [no-smoking, water]
  - name: a non-smoker is not
    verdict: eligible
    not_instructions: [no-smoking]
  - name: told what is not given
    verdict: eligible
    instructions: [no-smoking]
  - name: not told what is given
    answers: {smoker: yes}
    verdict: eligible
    not_instructions: [no-smoking]
  - name: no instructions when not eligible
    answers: {smoker: yes, stroke: yes}
    verdict: not_eligible
    not_instructions: [no-smoking, water]
`
	suite, err := ruletest.Parse("i_test.yaml", []byte(cases), rs)
	require.NoError(t, err)
	rep := ruletest.Run(rs, []*ruletest.Suite{suite}, nil)
	require.Len(t, rep.Outcomes, 5)
	assert.True(t, rep.Outcomes[0].Passed())
	assert.Equal(t, []string{"no-smoking", "water"}, rep.Outcomes[0].Given)
	assert.True(t, rep.Outcomes[1].Passed())
	assert.Equal(t, []string{"no-smoking"}, rep.Outcomes[2].MissingInstructions)
	assert.Equal(t, []string{"no-smoking"}, rep.Outcomes[3].UnwantedInstructions)
	assert.True(t, rep.Outcomes[4].Passed())
	assert.Equal(t, 2, rep.Failed())

	// Coverage counts a side of the condition only where the verdict
	// shows instructions: the not_eligible case withholds nothing.
	assert.Equal(t, []string{"no-smoking"}, rep.Conditional)
	assert.Equal(t, map[string]int{"no-smoking": 2}, rep.Given)
	assert.Equal(t, map[string]int{"no-smoking": 2}, rep.Withheld)
	assert.Equal(t, 100.0, rep.InstructionCoverage())
	rep = ruletest.Run(rs, []*ruletest.Suite{suite}, regexp.MustCompile("^a smoker"))
	assert.Equal(t, 0.0, rep.InstructionCoverage())

	_, err = ruletest.Parse("bad.yaml", []byte(`cases:
  - name: a
    verdict: eligible
    instructions: [no-smokin]
    not_instructions: [water, water]
  - name: b
    verdict: eligible
    instructions: [water]
    not_instructions: [water]
`), rs)
	require.Error(t, err)
	assert.Equal(t, `bad.yaml:4:20: case "a" names instruction "no-smokin", which rule set clinic-instructions does not have`+"\n"+
		`bad.yaml:9:24: case "b" lists instruction "water" under both instructions and not_instructions`, err.Error())
}

func load(t *testing.T, ruleSet, tests string) (*rules.RuleSet, *ruletest.Suite) {
	t.Helper()
	rs, err := rules.Load(filepath.Join(protocolDir, ruleSet))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(protocolDir, tests))
	require.NoError(t, err)
	suite, err := ruletest.Parse(tests, data, rs)
	require.NoError(t, err)
	return rs, suite
}

func TestCoverageIsExact(t *testing.T) {
	rs, suite := load(t, "small.yaml", "small_test.yaml")
	rep := ruletest.Run(rs, []*ruletest.Suite{suite}, nil)
	assert.Equal(t, 0, rep.Failed())
	assert.Equal(t, []string{"pregnant", "stroke", "young"}, rep.Rules)
	assert.Equal(t, map[string]int{"pregnant": 1, "young": 1}, rep.Fired)
	assert.InDelta(t, 200.0/3, rep.Coverage(), 1e-9)

	rep = ruletest.Run(rs, []*ruletest.Suite{suite}, regexp.MustCompile("^young"))
	require.Len(t, rep.Outcomes, 1)
	assert.Equal(t, map[string]int{"young": 1}, rep.Fired)
	assert.InDelta(t, 100.0/3, rep.Coverage(), 1e-9)
}

func TestWeakenedLevelFails(t *testing.T) {
	rs, suite := load(t, "small-weakened.yaml", "small_test.yaml")
	rep := ruletest.Run(rs, []*ruletest.Suite{suite}, nil)
	require.Len(t, rep.Outcomes, 3)
	assert.Equal(t, 1, rep.Failed())
	o := rep.Outcomes[1]
	assert.Equal(t, "pregnant", o.Case.Name)
	assert.False(t, o.Passed())
	assert.Equal(t, rules.NotEligible, o.Case.Verdict)
	assert.Equal(t, rules.NeedsReview, o.Verdict)
	assert.Equal(t, []string{"pregnant"}, o.Fired)
	assert.Equal(t, "small_test.yaml:10", o.Case.Where())
}

func TestCaseAnswers(t *testing.T) {
	rs, err := rules.Load(filepath.Join(protocolDir, "small.yaml"))
	require.NoError(t, err)
	src := `defaults: {patient_id: T-1, age: 40, pregnant: no, stroke: no}
cases:
  - name: null removes a default answer
    answers: {age: null}
    verdict: needs_review
    fires: [answer-missing]
    not_fires: [young]
  - name: a must-fire rule that does not fire
    verdict: eligible
    fires: [stroke]
  - name: a must-not-fire rule that fires
    answers: {stroke: yes}
    verdict: not_eligible
    not_fires: [stroke]
`
	suite, err := ruletest.Parse("cases.yaml", []byte(src), rs)
	require.NoError(t, err)
	rep := ruletest.Run(rs, []*ruletest.Suite{suite}, nil)
	require.Len(t, rep.Outcomes, 3)
	assert.True(t, rep.Outcomes[0].Passed())
	assert.Equal(t, []string{"stroke"}, rep.Outcomes[1].Missing)
	assert.Equal(t, []string{"stroke"}, rep.Outcomes[2].Unwanted)
	assert.Equal(t, 2, rep.Failed())
}

func TestParseErrors(t *testing.T) {
	rs, err := rules.Load(filepath.Join(protocolDir, "small.yaml"))
	require.NoError(t, err)
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "t.yaml: no test cases; a test file lists them under cases:"},
		{"unknown key", "cases:\n  - name: a\n    verdict: eligible\n    expect: x\n", `t.yaml:4:5: unknown field "expect"`},
		{"every unknown key", "cases:\n  - name: a\n    verdit: eligible\n    expect: x\n", `t.yaml:3:5: unknown field "verdit"` + "\n" + `t.yaml:4:5: unknown field "expect"`},
		{"no verdict", "cases:\n  - name: a\n", `t.yaml:2:5: case "a" has no verdict; expected one of eligible, eligible_with_precautions, needs_review, defer, not_eligible`},
		{"duplicate name", "cases:\n  - {name: a, verdict: eligible}\n  - {name: a, verdict: eligible}\n", `t.yaml:3:12: duplicate case name "a" (first at line 2)`},
		{"unknown answer", "cases:\n  - name: a\n    verdict: eligible\n    answers:\n      pregnnt: yes\n", `t.yaml:5:7: answer to "pregnnt", which rule set clinic-small does not ask`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ruletest.Parse("t.yaml", []byte(tt.src), rs)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}
