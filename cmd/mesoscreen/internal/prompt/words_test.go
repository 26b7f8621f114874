package prompt

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// The prompter says its own words from its catalog and mesoscreen's from
// mesoscreen's, in the rule set's language; its yes key is its own too.
func TestOwnWords(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tests := []struct {
		lang, hint, yes, yesKeys, answer string
	}{
		{"en", "Type a number from 1 to 3", "Yes", "y/n/?", "answer"},
		{"es", "Escriba un número del 1 al 3", "Sí", "s/n/?", "responder"},
		{"fr", "Tapez un numéro de 1 à 3", "Oui", "o/n/?", "répondre"},
	}
	for _, tt := range tests {
		tr := say(i18n.For(tt.lang))
		assert.Equal(t, tt.hint, tr.T("Type a number from 1 to %d", 3), tt.lang)
		assert.Equal(t, tt.yes, tr.T("Yes"), "%s: mesoscreen's words through the prompter's printer", tt.lang)
		in, err := rs.In(tt.lang)
		require.NoError(t, err)
		q, ok := in.Question("pregnant")
		require.True(t, ok)
		help := newAnswerField(tr, q, "", "").KeyBinds()[0].Help()
		assert.Equal(t, tt.yesKeys, help.Key, tt.lang)
		assert.Equal(t, tt.answer, help.Desc, tt.lang)
	}
}
