package meds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules/meds"
)

func TestSaysNothing(t *testing.T) {
	nothing := []string{
		"none", "None.", "NONE", "none!", "no", "No.", "nope", "Nope", "nah", "nil", "NIL", "nothing",
		"Nothing.", "n/a", "N/A", "NA", "n.a.", "-", "–", "—", "--", "...", "0", "zero", "nada",
		"no meds", "No medications", "no medication", "No medicines", "no drugs", "none currently",
		"None at the moment", "nothing at present", "None known", "no regular medication",
		"Nothing regular", "not on any medication", "not taking anything", "I don't take any",
		"I do not take any medicines", "no, none", "Nope, nothing", "none, thank you", "None thanks",
		"No medications or supplements", "no meds and no supplements", "no prescription medicines",
		"No OTC meds", "nothing else", "no current medications", "Denies", "none reported",
		"-- none --", "no pills", "not applicable", "Nothing at all",
	}
	require.GreaterOrEqual(t, len(nothing), 30)
	for _, text := range nothing {
		assert.True(t, meds.SaysNothing(text), "%q says nothing", text)
	}
	listed := []string{
		"", "   ", "?", "not sure", "unsure", "don't know", "unknown", "can't remember",
		"none except aspirin", "no meds but fish oil", "none, aspirin", "nothing other than warfarin",
		"no aspirin", "vitamins", "supplements", "no meds and vitamins", "nothing prescribed, vitamins",
		"none - vitamin D only", "the pill", "Eliquis", "n/a aspirin", "no meds (just vitamin D)",
	}
	for _, text := range listed {
		assert.False(t, meds.SaysNothing(text), "%q is a list", text)
	}
}

// A text that says nothing names no medicine, and one that names a
// medicine never says nothing.
func FuzzSaysNothing(f *testing.F) {
	for _, s := range []string{"none", "no meds", "none except aspirin", "–", "n/a", "no, Eliquis"} {
		f.Add(s)
	}
	lx, err := meds.Default()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, text string) {
		if meds.SaysNothing(text) {
			require.Empty(t, lx.Recognised(text), "%q says nothing but names a medicine", text)
		}
	})
}
