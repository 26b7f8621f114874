package interview_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// fake answers from a table of raw answers and records what it was asked.
type fake struct {
	t       *testing.T
	answers map[string]any // raw answers by question id; absent = "no"-ish default
	reviews []string       // what Review returns, in turn; then ""
	changes map[string]any // answers given when a question is changed

	steps     []interview.Step
	asked     []string
	prefilled []string
	reviewed  [][]interview.Item
	failAt    string // return err when this question is reached
	err       error
}

// healthy is a complete healthy intake.
var healthy = map[string]any{
	"patient_id": "T-1", "age": "40", "treatment_areas": []string{"face"}, "goal": "rejuvenation",
	"pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no",
	"stroke": "no", "blood_thinners": "no", "blood_thinner_name": "warfarin",
	"recent_cancer": "no", "diabetes": "none", "heart_medications": "0",
	"active_infection": "no", "skin_condition": "no", "allergies": "no",
	"allergy_details": "rash after lidocaine", "medications": "",
}

func with(base map[string]any, kv ...any) map[string]any {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func (f *fake) Prefilled(_ context.Context, items []interview.Item) error {
	for _, it := range items {
		f.prefilled = append(f.prefilled, it.Question.ID)
	}
	return nil
}

func (f *fake) Ask(_ context.Context, step interview.Step) ([]screening.Answer, error) {
	f.steps = append(f.steps, step)
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		if q.ID == f.failAt {
			return nil, f.err
		}
		f.asked = append(f.asked, q.ID)
		raw := f.answers[q.ID]
		if step.Change {
			raw = f.changes[q.ID]
		}
		out[i] = screening.ParseAnswer(q, raw)
	}
	return out, nil
}

func (f *fake) Review(_ context.Context, items []interview.Item) (string, error) {
	f.reviewed = append(f.reviewed, items)
	if len(f.reviews) == 0 {
		return "", nil
	}
	id := f.reviews[0]
	f.reviews = f.reviews[1:]
	return id, nil
}

func defaultRules(t *testing.T) *rules.RuleSet {
	rs, err := rules.Default()
	require.NoError(t, err)
	return rs
}

func walk(t *testing.T, f *fake, a *screening.Answers) error {
	f.t = t
	return interview.Walk(context.Background(), screening.NewScreener(a.RuleSet(), screening.Options{}), a, f)
}

func TestPagesFollowSections(t *testing.T) {
	rs := defaultRules(t)
	var got []string
	for _, p := range interview.Pages(rs) {
		got = append(got, p.Section.ID)
	}
	assert.Equal(t, []string{"patient", "pregnancy", "blood", "conditions", "skin", "medications", "since_last"}, got)
}

// TestEveryFollowUp covers every when: condition of the default rule set:
// the follow-up is asked after a yes to its trigger, in a later step of the
// trigger's page, and not at all after a no or a Not sure.
func TestEveryFollowUp(t *testing.T) {
	rs := defaultRules(t)
	var followUps []*rules.Question
	for _, q := range rs.Questions {
		if q.Cond() != nil && !q.RecheckOnly() {
			followUps = append(followUps, q)
		}
	}
	require.ElementsMatch(t, []string{"blood_thinner_name", "allergy_details"}, ids(followUps),
		"the default rule set's follow-ups changed; extend this test")
	for _, q := range followUps {
		require.Len(t, q.Cond().Reads(), 1, q.ID)
		trigger := q.Cond().Reads()[0]
		tq, ok := rs.Question(trigger)
		require.True(t, ok)
		require.Equal(t, rules.YesNo, tq.Type, "trigger of %s", q.ID)
		for _, tc := range []struct {
			answer string
			asked  bool
		}{{"yes", true}, {"no", false}, {interview.Unsure, false}} {
			t.Run(fmt.Sprintf("%s=%s", trigger, tc.answer), func(t *testing.T) {
				f := &fake{answers: with(healthy, trigger, tc.answer)}
				require.NoError(t, walk(t, f, screening.NewAnswers(rs)))
				assert.Equal(t, tc.asked, slices.Contains(f.asked, q.ID))
				if !tc.asked {
					return
				}
				assert.Greater(t, slices.Index(f.asked, q.ID), slices.Index(f.asked, trigger), "follow-up before its trigger")
				var trigStep, fuStep int
				for i, s := range f.steps {
					if slices.Contains(ids(s.Questions), trigger) {
						trigStep = i
					}
					if slices.Contains(ids(s.Questions), q.ID) {
						fuStep = i
						assert.Positive(t, s.Part, "a follow-up comes in a later part of its page")
						assert.Equal(t, tq.Section, s.Section.ID)
					}
				}
				assert.Equal(t, trigStep+1, fuStep, "the follow-up comes right after its trigger's step")
			})
		}
	}
}

func ids(qs []*rules.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestWalkAsksEveryQuestionOnceThenReviews(t *testing.T) {
	rs := defaultRules(t)
	f := &fake{answers: healthy}
	a := screening.NewAnswers(rs)
	require.NoError(t, walk(t, f, a))
	want := []string{}
	for _, q := range rs.Questions {
		if q.Cond() == nil && !q.RecheckOnly() {
			want = append(want, q.ID)
		}
	}
	assert.Equal(t, want, f.asked, "every question but the follow-ups and those about the last session")
	require.Len(t, f.reviewed, 1)
	assert.Len(t, f.reviewed[0], len(want), "the review lists every question that applies")
	assert.Empty(t, f.prefilled)
	assert.Equal(t, rules.Eligible, screening.Evaluate(a, screening.Options{IdentifierOptional: true}).Verdict)
}

func TestReviewChangeClearsAndAsksFollowUps(t *testing.T) {
	rs := defaultRules(t)
	tests := []struct {
		name      string
		trigger   string
		changeTo  string
		wantAsked bool   // the follow-up is asked after the change
		wantValue string // the follow-up's final answer, "" for none
	}{
		{"yes to no clears the follow-up", "yes", "no", false, ""},
		{"no to yes asks the follow-up", "no", "yes", true, "apixaban"},
		{"yes to not sure clears the follow-up", "yes", interview.Unsure, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{
				answers: with(healthy, "blood_thinners", tc.trigger, "blood_thinner_name", "warfarin"),
				reviews: []string{"blood_thinners"},
				changes: map[string]any{"blood_thinners": tc.changeTo},
			}
			a := screening.NewAnswers(rs)
			if tc.wantAsked {
				f.answers["blood_thinner_name"] = "apixaban"
			}
			require.NoError(t, walk(t, f, a))
			require.Len(t, f.reviewed, 2, "back to the review after a change")
			n := 0
			for _, id := range f.asked {
				if id == "blood_thinner_name" {
					n++
				}
			}
			before := 0
			if tc.trigger == "yes" {
				before = 1
			}
			after := 0
			if tc.wantAsked {
				after = 1
			}
			assert.Equal(t, before+after, n, "times blood_thinner_name was asked")
			got := a.Get("blood_thinner_name")
			if tc.wantValue == "" {
				assert.Equal(t, screening.Missing, got.State, "a follow-up that no longer applies is cleared")
				assert.NotContains(t, ids(items(f.reviewed[1])), "blood_thinner_name")
			} else {
				assert.Equal(t, tc.wantValue, got.Value)
				assert.Contains(t, ids(items(f.reviewed[1])), "blood_thinner_name")
			}
		})
	}
}

func items(its []interview.Item) []*rules.Question {
	out := make([]*rules.Question, len(its))
	for i, it := range its {
		out[i] = it.Question
	}
	return out
}

func TestPrefilledAsksOnlyMissingOrUnsure(t *testing.T) {
	rs := defaultRules(t)
	a := screening.Parse(rs, map[string]any{
		"patient_id": "P-9", "age": 51, "pregnant": "no", "breastfeeding": "unsure",
		"clotting_disorder": "maybe", "treatment_areas": []any{"face"}, "goal": "pores",
	})
	f := &fake{answers: healthy}
	require.NoError(t, walk(t, f, a))
	assert.ElementsMatch(t, []string{"patient_id", "age", "pregnant", "breastfeeding", "clotting_disorder", "treatment_areas", "goal"}, f.prefilled)
	assert.NotContains(t, f.asked, "age")
	assert.NotContains(t, f.asked, "pregnant")
	assert.Contains(t, f.asked, "breastfeeding", "an unsure answer is asked again")
	assert.Contains(t, f.asked, "clotting_disorder", "an unreadable answer is asked again")
	assert.Contains(t, f.asked, "stroke", "a missing answer is asked")
	assert.Equal(t, int64(51), a.Get("age").Value)
}

func TestWalkStopsOnPrompterError(t *testing.T) {
	rs := defaultRules(t)
	for _, e := range []error{interview.ErrCancelled, interview.ErrIncomplete} {
		f := &fake{answers: healthy, failAt: "stroke", err: e}
		err := walk(t, f, screening.NewAnswers(rs))
		require.ErrorIs(t, err, e)
		assert.Empty(t, f.reviewed, "no review, hence no verdict, after %v", e)
	}
}

func TestAnswerText(t *testing.T) {
	rs := defaultRules(t)
	q := func(id string) *rules.Question { x, _ := rs.Question(id); return x }
	tests := []struct {
		id   string
		raw  any
		want string
	}{
		{"pregnant", "yes", "Yes"},
		{"pregnant", "no", "No"},
		{"pregnant", "not sure", "Not sure"},
		{"pregnant", nil, "(no answer)"},
		{"goal", "pores", "Smaller pores, finer texture"},
		{"treatment_areas", []any{"face", "neck"}, "Face, Neck"},
		{"age", "130", "130 (outside a whole number from 0 to 120)"},
		{"medications", "none", "(none)"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, interview.AnswerTextIn(nil, q(tc.id), screening.ParseAnswer(q(tc.id), tc.raw)), "%s=%v", tc.id, tc.raw)
	}
}

// backOnce is a prompter that goes back (Shift+Tab) from the first step
// holding question id, once, and then answers a revisit with revisit.
type backOnce struct {
	*fake
	id      string
	revisit map[string]any
	backed  bool
}

func (b *backOnce) Ask(ctx context.Context, step interview.Step) ([]screening.Answer, error) {
	if !b.backed && step.Questions[0].ID == b.id {
		b.backed = true
		b.steps = append(b.steps, step)
		return nil, interview.ErrBack
	}
	if step.Revisit {
		b.answers = with(b.answers, flatten(b.revisit)...)
	}
	return b.fake.Ask(ctx, step)
}

func flatten(m map[string]any) []any {
	var kv []any
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}

// TestBackFromAFollowUp goes back from the blood-thinner follow-up: the
// step that opened it is asked again, as a revisit that starts at the
// trigger, and a changed trigger drops the follow-up.
func TestBackFromAFollowUp(t *testing.T) {
	rs := defaultRules(t)
	b := &backOnce{fake: &fake{answers: with(healthy, "blood_thinners", "yes")}, id: "blood_thinner_name",
		revisit: map[string]any{"blood_thinners": "no"}}
	a := screening.NewAnswers(rs)
	require.NoError(t, interview.Walk(context.Background(), screening.NewScreener(rs, screening.Options{}), a, b))
	var revisit *interview.Step
	for i, s := range b.steps {
		if s.Revisit {
			revisit = &b.steps[i]
			break
		}
	}
	require.NotNil(t, revisit, "the step before was asked again")
	assert.Equal(t, []string{"clotting_disorder", "blood_clots", "stroke", "blood_thinners"}, ids(revisit.Questions))
	assert.Equal(t, "blood_thinners", revisit.Focus, "it starts at the question that opened the follow-up")
	assert.Equal(t, false, a.Get("blood_thinners").Value)
	assert.Equal(t, screening.Missing, a.Get("blood_thinner_name").State, "the follow-up no longer applies")
	assert.NotContains(t, b.asked, "blood_thinner_name")
}

// TestBackOnTheFirstStepAsksItAgain: there is nothing before the first
// page, so going back asks it again.
func TestBackOnTheFirstStepAsksItAgain(t *testing.T) {
	rs := defaultRules(t)
	b := &backOnce{fake: &fake{answers: healthy}, id: "patient_id"}
	a := screening.NewAnswers(rs)
	require.NoError(t, interview.Walk(context.Background(), screening.NewScreener(rs, screening.Options{}), a, b))
	require.GreaterOrEqual(t, len(b.steps), 2)
	assert.Equal(t, ids(b.steps[0].Questions), ids(b.steps[1].Questions))
	assert.False(t, b.steps[1].Revisit)
	assert.Equal(t, rules.Eligible, screening.Evaluate(a, screening.Options{IdentifierOptional: true}).Verdict)
}

// TestChoicesOfferNotSureWhereAllowed: the rule set says which choices
// take not sure; then "not sure" means unsure, as it does in a file.
func TestChoicesOfferNotSureWhereAllowed(t *testing.T) {
	rs := defaultRules(t)
	for id, want := range map[string]bool{"pregnant": true, "diabetes": true, "blood_thinner_name": true, "goal": false} {
		q, ok := rs.Question(id)
		require.True(t, ok)
		cs := interview.ChoicesIn(nil, q)
		last := cs[len(cs)-1]
		assert.Equal(t, want, last.Value == interview.Unsure, id)
		a, problem := interview.ParseTypedIn(nil, q, interview.Unsure, cs)
		if want {
			assert.Empty(t, problem, id)
			assert.Equal(t, screening.Unsure, a.State, id)
			assert.Equal(t, screening.Unsure, screening.ParseAnswer(q, "unsure").State, "a file says the same: %s", id)
		} else {
			assert.NotEmpty(t, problem, id)
			assert.Equal(t, screening.Invalid, screening.ParseAnswer(q, "unsure").State, "a file says the same: %s", id)
		}
	}
}

// A typed answer is read as a choice's label with the label's accents or
// none, in English and in Spanish: "Nó" and "Ño" are not "No".
func TestTypedInAccents(t *testing.T) {
	rs := defaultRules(t)
	for _, lang := range []string{"en", "es"} {
		tr := i18n.For(lang)
		for _, id := range []string{"pregnant", "allergies", "diabetes"} {
			q, ok := rs.Question(id)
			require.True(t, ok)
			cs := interview.ChoicesIn(tr, q)
			for _, c := range cs {
				a, problem := interview.ParseTypedIn(tr, q, c.Label, cs)
				assert.Empty(t, problem, "%s %s: %q", lang, id, c.Label)
				assert.NotEqual(t, screening.Invalid, a.State, "%s %s: %q", lang, id, c.Label)
			}
			for _, typed := range []string{"Nó", "Ño", "ño", "NÓ"} {
				a, problem := interview.ParseTypedIn(tr, q, typed, cs)
				assert.True(t, problem != "" || a.State == screening.Invalid, "%s %s: %q is no answer, got %+v", lang, id, typed, a)
			}
		}
	}
}
