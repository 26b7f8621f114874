package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestParameters(t *testing.T) {
	rs, err := rules.Load(filepath.Join("..", "testdata", "protocol", "small.yaml"))
	require.NoError(t, err)

	p, ok := rs.Param("min_age")
	require.True(t, ok)
	assert.Equal(t, int64(21), p.Value)
	assert.Equal(t, rules.Integer, p.Type())
	assert.Equal(t, []string{"min_age"}, rs.ParamNames())

	r, ok := rs.Rule("young")
	require.True(t, ok)
	assert.Equal(t, "Under 21; the director decides", r.Message, "texts name parameters as {params.NAME}")
	assert.Equal(t, "age < params.min_age", r.Condition, "the condition is kept as written")
	assert.Equal(t, []string{"age"}, r.Cond().Reads(), "a parameter is not an answer")
}

func TestDefaultParameters(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	want := map[string]int64{"min_age": 18, "max_areas_per_session": 2, "heart_medications_limit": 2, "recent_cancer_years": 5, "isotretinoin_wait_months": 6, "pause_supplements_days": 7, "valid_for_days": 30}
	assert.Equal(t, []string{"min_age", "max_areas_per_session", "heart_medications_limit", "recent_cancer_years", "isotretinoin_wait_months", "pause_supplements_days", "valid_for_days"}, rs.ParamNames())
	for name, v := range want {
		p, ok := rs.Param(name)
		require.True(t, ok, name)
		assert.Equal(t, v, p.Value, name)
		assert.NotEmpty(t, p.Description, name)
		assert.NotEmpty(t, p.Source, name)
	}
	q, _ := rs.Question("age")
	assert.Equal(t, "The clinic does not give cosmetic injections to anyone under 18.", q.Help)
}

func TestParameterNames(t *testing.T) {
	src := base + twoQuestions + `  - id: params
    type: yesno
    ask: Clash?
` + rulesHeader + `  - {id: r, condition: pregnant && age < 18, level: defer, message: m, source: [x]}
parameters:
  Bad-Name: {value: 1, description: x}
`
	_, got := lintText(t, src)
	assert.Equal(t, []string{
		`t.yaml:13:9: question id "params" is taken by the parameters; choose another id`,
		`t.yaml:19:14: parameter name "Bad-Name" must be lower case letters, digits and _ (starting with a letter), and not a CEL keyword`,
	}, got)
}
