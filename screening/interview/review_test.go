package interview_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// TestEscOnAFollowUpOfAChangeGoesBackToTheReview: a change made at the
// review opens a follow-up; leaving that follow-up (ErrReview, Esc in the
// form) goes back to the review, not out of the screening, and the change
// is undone, so no answer is left without its follow-up.
func TestEscOnAFollowUpOfAChangeGoesBackToTheReview(t *testing.T) {
	f := &fake{
		answers: healthy,
		reviews: []string{"blood_thinners"},
		changes: map[string]any{"blood_thinners": "yes"},
		failAt:  "blood_thinner_name",
		err:     interview.ErrReview,
	}
	a := screening.NewAnswers(defaultRules(t))
	require.NoError(t, walk(t, f, a))
	require.Len(t, f.reviewed, 2, "back at the review, then confirmed")
	for _, it := range f.reviewed[1] {
		if it.Question.ID == "blood_thinners" {
			assert.Equal(t, false, it.Answer.Value, "the change is undone")
		}
		assert.NotEqual(t, "blood_thinner_name", it.Question.ID)
	}
	assert.Equal(t, false, a.Get("blood_thinners").Value)
	assert.Equal(t, screening.Missing, a.Get("blood_thinner_name").State)
	var after []bool
	for _, s := range f.steps {
		after = append(after, s.AfterReview)
	}
	assert.False(t, after[0], "the walk's own pages are not after the review")
	assert.True(t, after[len(after)-1], "the change is")
}

// TestErrReviewBeforeTheReviewCancels: before any review there is none
// to go back to; a prompter's ErrReview ends the walk as an error.
func TestErrReviewBeforeTheReviewCancels(t *testing.T) {
	f := &fake{answers: healthy, failAt: "pregnant", err: interview.ErrReview}
	err := walk(t, f, screening.NewAnswers(defaultRules(t)))
	assert.ErrorIs(t, err, interview.ErrReview)
}
