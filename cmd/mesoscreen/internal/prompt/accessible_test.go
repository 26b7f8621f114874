package prompt_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/prompt"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

func TestParseTyped(t *testing.T) {
	rs := defaultRules(t)
	tests := []struct {
		id      string
		line    string
		state   screening.State
		value   any
		problem string // a part of the problem, "" for none
	}{
		{"pregnant", "1", screening.Given, true, ""},
		{"pregnant", "2", screening.Given, false, ""},
		{"pregnant", "3", screening.Unsure, nil, ""},
		{"pregnant", " yes ", screening.Given, true, ""},
		{"pregnant", "Not sure", screening.Unsure, nil, ""},
		{"pregnant", "don't know", screening.Unsure, nil, ""},
		{"pregnant", "", 0, nil, "is not one of the choices"},
		{"pregnant", "0", 0, nil, "is not one of the choices"},
		{"pregnant", "4", 0, nil, "is not one of the choices"},
		{"pregnant", "maybe", 0, nil, "is not one of the choices"},
		{"diabetes", "3", screening.Given, "insulin", ""},
		{"diabetes", "non_insulin", screening.Given, "non_insulin", ""},
		{"diabetes", "", 0, nil, "is not one of the choices"},
		{"age", "34", screening.Given, int64(34), ""},
		{"age", "121", 0, nil, "is not a whole number from 0 to 120"},
		{"age", "-1", 0, nil, "is not a whole number from 0 to 120"},
		{"age", "thirty", 0, nil, "is not a whole number"},
		{"age", "", 0, nil, "an answer is needed"},
		{"age", "not sure", screening.Unsure, nil, ""},
		{"heart_medications", "21", 0, nil, "from 0 to 20"},
		{"treatment_areas", "1, 2", screening.Given, []string{"face", "neck"}, ""},
		{"treatment_areas", "face scalp", screening.Given, []string{"face", "scalp"}, ""},
		{"treatment_areas", "", 0, nil, "choose at least one"},
		{"treatment_areas", "11", 0, nil, "is not one of the choices"},
		{"patient_id", "", screening.Missing, nil, ""},
		{"patient_id", "A-1", screening.Given, "A-1", ""},
		{"medications", "", screening.Missing, nil, ""},
		{"medications", "ibuprofen", screening.Given, "ibuprofen", ""},
	}
	for _, tc := range tests {
		t.Run(tc.id+"="+tc.line, func(t *testing.T) {
			q, ok := rs.Question(tc.id)
			require.True(t, ok)
			a, problem := interview.ParseTypedIn(nil, q, tc.line, interview.ChoicesIn(nil, q))
			if tc.problem != "" {
				assert.Contains(t, problem, tc.problem)
				return
			}
			require.Empty(t, problem)
			assert.Equal(t, tc.state, a.State)
			assert.Equal(t, tc.value, a.Value)
		})
	}
}

func TestAccessibleReasksAndReadsOneLineAtATime(t *testing.T) {
	rs := defaultRules(t)
	q, _ := rs.Question("pregnant")
	age, _ := rs.Question("age")
	var out bytes.Buffer
	// One byte per Read: the prompter must not lose what follows a line.
	in := iotest.OneByteReader(strings.NewReader("maybe\n3\n200\n45\n"))
	p := prompt.NewAccessible(in, &out)
	got, err := p.Ask(context.Background(), interview.Step{
		Section:   rules.Section{Title: "Pregnancy"},
		Questions: []*rules.Question{q, age},
		Current:   make([]screening.Answer, 2),
	})
	require.NoError(t, err)
	assert.Equal(t, screening.Unsure, got[0].State)
	assert.Equal(t, int64(45), got[1].Value)
	assert.Equal(t, 2, strings.Count(out.String(), q.Ask), "asked again after an answer it cannot use")
	assert.Contains(t, out.String(), `"maybe" is not one of the choices`)
	assert.Contains(t, out.String(), `"200" is not a whole number from 0 to 120`)
}

func TestAccessibleEndOfInputIsIncomplete(t *testing.T) {
	rs := defaultRules(t)
	for _, input := range []string{"", "1\n", "\n\n\n"} {
		var out bytes.Buffer
		p := prompt.NewAccessible(strings.NewReader(input), &out)
		err := interview.Walk(context.Background(), screening.NewScreener(rs, screening.Options{}), screening.NewAnswers(rs), p)
		assert.ErrorIs(t, err, interview.ErrIncomplete, "input %q", input)
	}
}

func TestAccessibleCancel(t *testing.T) {
	rs := defaultRules(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A reader that never answers: only the cancelled context ends the wait.
	r, _ := io.Pipe()
	p := prompt.NewAccessible(r, &bytes.Buffer{})
	err := interview.Walk(ctx, screening.NewScreener(rs, screening.Options{}), screening.NewAnswers(rs), p)
	assert.ErrorIs(t, err, interview.ErrCancelled)
}

func TestAccessibleReview(t *testing.T) {
	rs := defaultRules(t)
	items := healthyItems(rs)
	var out bytes.Buffer
	p := prompt.NewAccessible(strings.NewReader("x\n99\n5\n\n"), &out)
	id, err := p.Review(context.Background(), items)
	require.NoError(t, err)
	assert.Equal(t, "pregnant", id)
	assert.Contains(t, out.String(), `"x" is not the number of an answer`)
	assert.Contains(t, out.String(), "5) Is the patient pregnant, or could she be?: No")
	id, err = p.Review(context.Background(), items)
	require.NoError(t, err)
	assert.Equal(t, "", id, "Enter goes on to the verdict")
}
