package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHedge(t *testing.T) {
	for _, s := range []string{"maybe", "Maybe.", "no idea", "?", "I don’t know", "I'm not sure", "can't say"} {
		assert.True(t, Hedge(s), "%q hedges", s)
		assert.Equal(t, Other, AnswerWord(s), "%q is no answer word", s)
	}
	for _, s := range []string{"no", "yes", "not sure", "no sé", "nein", "ja", ""} {
		assert.False(t, Hedge(s), "%q does not hedge", s)
	}
}

// A hedge answers nothing: it is never an answer word of any language.
func TestHedgesAreNoAnswerWords(t *testing.T) {
	for _, l := range Langs() {
		for _, s := range answers()[l].Hedges {
			assert.Equal(t, Other, AnswerWord(s), "%s: %q", l, s)
		}
	}
}
