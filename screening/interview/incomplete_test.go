package interview_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// ended is a prompter whose input ends at the first question.
type ended struct{}

func (ended) Prefilled(context.Context, []interview.Item) error { return nil }
func (ended) Ask(context.Context, interview.Step) ([]screening.Answer, error) {
	return nil, interview.ErrIncomplete
}
func (ended) Review(context.Context, []interview.Item) (string, error) { return "", nil }

// An interview asked in Spanish or French that the input ends early says
// so in its own language, in the first screening and in the re-screen,
// and is still ErrIncomplete to the command that runs it.
func TestIncompleteInTheInterviewsLanguage(t *testing.T) {
	want := map[string]string{
		"en": "interview incomplete: the input ended before every question was answered; nothing saved",
		"es": "entrevista incompleta: la entrada terminó antes de que se respondieran todas las preguntas; no se ha guardado nada",
		"fr": "entretien incomplet\u00a0: la saisie s'est arrêtée avant que toutes les questions aient reçu une réponse\u00a0; rien n'a été enregistré",
	}
	for lang, msg := range want {
		t.Run(lang, func(t *testing.T) {
			rs, err := defaultRules(t).In(lang)
			require.NoError(t, err)
			sc := screening.NewScreener(rs, screening.Options{})
			err = interview.Walk(context.Background(), sc, screening.NewAnswers(rs), ended{})
			require.ErrorIs(t, err, interview.ErrIncomplete)
			assert.Equal(t, msg, err.Error())

			_, err = interview.Recheck(context.Background(), sc, screening.Parse(rs, healthy), ended{})
			require.ErrorIs(t, err, interview.ErrIncomplete)
			assert.Equal(t, msg, err.Error(), "the re-screen")
		})
	}
	// Any other error is left as it is.
	f := &fake{answers: healthy, failAt: "stroke", err: interview.ErrCancelled}
	err := walk(t, f, screening.NewAnswers(defaultRules(t)))
	assert.Same(t, interview.ErrCancelled, err)
}
