package screening_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// An answer said on its own (the review) and in a sentence (a rule's
// message), in English and Spanish.
func TestAnswerTextIn(t *testing.T) {
	tests := []struct {
		lang, id      string
		raw           any
		alone, inText string
	}{
		{"en", "pregnant", "yes", "Yes", "yes"},
		{"en", "pregnant", "no", "No", "no"},
		{"en", "pregnant", "not sure", "Not sure", "unsure"},
		{"en", "pregnant", nil, "(no answer)", ""},
		{"en", "pregnant", "maybe", `"maybe" (not yes, no or unsure)`, ""},
		{"en", "age", "130", "130 (outside a whole number from 0 to 120)", ""},
		{"en", "age", "42", "42", "42"},
		{"en", "treatment_areas", []any{"face", "neck", "arms"}, "Face, Neck, Arms", "Face, Neck and Arms"},
		{"en", "medications", "warfarin\n5 mg", "warfarin\n5 mg", `"warfarin 5 mg"`},
		// A text is quoted as it was written, none-word or not.
		{"en", "medications", "none", "(none)", `"none"`},
		{"es", "pregnant", "sí", "Sí", "sí"},
		{"es", "pregnant", "no sé", "No lo sé", "no lo sabe"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			rs := ruleSetIn(t, tt.lang)
			q, ok := rs.Question(tt.id)
			require.True(t, ok)
			a := screening.ParseAnswer(q, tt.raw)
			tr := i18n.For(tt.lang)
			assert.Equal(t, tt.alone, a.TextIn(tr, q, screening.Alone))
			assert.Equal(t, tt.inText, a.TextIn(tr, q, screening.InSentence))
		})
	}
}
