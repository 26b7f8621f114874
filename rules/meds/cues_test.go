package meds

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every language the matcher reads has its cue words in cues.yaml.
func TestCueWordsInEveryLanguage(t *testing.T) {
	byLang, err := parseCues(cuesYAML)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"en", "es", "fr"}, slices.Collect(maps.Keys(byLang)))
	for lang, c := range byLang {
		for kind, words := range map[string][]string{
			"nothing": c.Nothing, "product": c.Product, "nothing_filler": c.NothingFiller,
			"absent_before": c.AbsentBefore, "stopped_before": c.StoppedBefore, "stopped_after": c.StoppedAfter,
			"uncertain_before": c.UncertainBefore, "uncertain_after": c.UncertainAfter, "only_before": c.OnlyBefore,
			"allergy_before": c.AllergyBefore, "allergy_after": c.AllergyAfter, "filler_before": c.FillerBefore,
			"dose": c.Dose, "reaction": c.Reaction, "still": c.Still, "reason": c.Reason,
			"unstopped": c.Unstopped, "no_prescription": c.NoPrescription, "helper": c.Helper,
		} {
			assert.NotEmpty(t, words, "%s: %s", lang, kind)
			for _, w := range words {
				toks := tokenize(w)
				if assert.Len(t, toks, 1, "%s: %s: %q is one word as the tokenizer writes it", lang, kind, w) {
					assert.Equal(t, w, toks[0].s, "%s: %s: %q is written as the tokenizer writes it", lang, kind, w)
				}
			}
		}
	}
}

// The matcher reads the cue words from the data: without a word, a list
// that uses it reads otherwise.
func TestCueWordsAreTheData(t *testing.T) {
	lx, err := Default()
	require.NoError(t, err)
	tests := []struct {
		text, cue string
		kinds     []string
	}{
		{"no warfarin", "no", []string{"absent_before"}},
		{"sin warfarina", "sin", []string{"absent_before"}},
		{"pas de warfarine", "pas", []string{"absent_before"}},
		{"stopped warfarin", "stopped", []string{"stopped_before", "stopped_after"}},
		{"dejé la warfarina", "deje", []string{"stopped_before"}},
		{"j'ai arrêté la warfarine", "arrete", []string{"stopped_before", "stopped_after"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			before := lx.Find(tt.text)
			require.Len(t, before, 1)
			if tt.cue == "no" || tt.cue == "sin" || tt.cue == "pas" {
				assert.False(t, before[0].Taken(), "not taken")
			} else {
				assert.True(t, before[0].Taken(), "a blood thinner said to be stopped stays")
				assert.Equal(t, tt.cue, before[0].PossiblyStopped)
			}

			byLang, err := parseCues(cuesYAML)
			require.NoError(t, err)
			for lang, c := range byLang {
				for _, kind := range tt.kinds {
					l := map[string]*[]string{"absent_before": &c.AbsentBefore, "stopped_before": &c.StoppedBefore, "stopped_after": &c.StoppedAfter}[kind]
					*l = slices.DeleteFunc(*l, func(w string) bool { return w == tt.cue })
				}
				byLang[lang] = c
			}
			without := *lx
			without.idx = buildIndex(&without)
			without.idx.cue = newCueSet(byLang)
			after := without.Find(tt.text)
			require.Len(t, after, 1)
			assert.True(t, after[0].Taken(), "without %q the medicine is taken", tt.cue)
			assert.Empty(t, after[0].PossiblyStopped, "without %q nothing says it was stopped", tt.cue)
		})
	}
}
