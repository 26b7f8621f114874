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
		assert.True(t, o.Passed(), "%s (%s): expected %s, got %s; fired %v; missing %v; unwanted %v",
			o.Case.Name, o.Case.Where(), o.Case.Verdict, o.Verdict, o.Fired, o.Missing, o.Unwanted)
	}
	for _, id := range rep.Rules {
		assert.Positive(t, rep.Fired[id], "no default test case fires rule %s", id)
	}
	assert.Equal(t, 100.0, rep.Coverage())
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
