package meds

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/goccy/go-yaml"
)

// The cue words are data, in cues.yaml beside the lexicon, one list of
// each kind per language. A clinic's own lexicon names medicines; the
// words around them are the program's, so they are not in the lexicon.
//
//go:embed cues.yaml
var cuesYAML []byte

// cueLang is one language's cue words, as cues.yaml holds them; the keys
// are explained at the top of that file.
type cueLang struct {
	Nothing         []string `yaml:"nothing"`
	Product         []string `yaml:"product"`
	NothingFiller   []string `yaml:"nothing_filler"`
	AbsentBefore    []string `yaml:"absent_before"`
	AbsentAfter     []string `yaml:"absent_after"`
	StoppedBefore   []string `yaml:"stopped_before"`
	StoppedAfter    []string `yaml:"stopped_after"`
	UncertainBefore []string `yaml:"uncertain_before"`
	UncertainAfter  []string `yaml:"uncertain_after"`
	OnlyBefore      []string `yaml:"only_before"`
	Unstopped       []string `yaml:"unstopped"`
	NoPrescription  []string `yaml:"no_prescription"`
	Helper          []string `yaml:"helper"`
	AllergyBefore   []string `yaml:"allergy_before"`
	AllergyAfter    []string `yaml:"allergy_after"`
	Reaction        []string `yaml:"reaction"`
	Still           []string `yaml:"still"`
	Reason          []string `yaml:"reason"`
	FillerBefore    []string `yaml:"filler_before"`
	Dose            []string `yaml:"dose"`
	AsNeeded        []string `yaml:"as_needed"`
	Elisions        []string `yaml:"elisions"`
}

// cueSet is the cue words of every language, each kind one set: a list
// may mix languages ("Sintrom stopped"), so every word is read in all.
type cueSet struct {
	nothing, product, nothingFiller map[string]bool
	absentBefore, absentAfter       map[string]bool
	stoppedBefore, stoppedAfter     map[string]bool
	uncertainBefore, uncertainAfter map[string]bool
	onlyBefore                      map[string]bool
	unstopped, noPrescription       map[string]bool
	helper                          map[string]bool
	allergyBefore, allergyAfter     map[string]bool
	reaction, still, reason         map[string]bool
	fillerBefore, dose, asNeeded    map[string]bool
	elisions                        map[string]bool
}

// parseCues reads cue words as cues.yaml writes them, by language.
func parseCues(data []byte) (map[string]cueLang, error) {
	var out map[string]cueLang
	if err := yaml.UnmarshalWithOptions(data, &out, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("medication cue words: %w", err)
	}
	return out, nil
}

// newCueSet merges the languages' cue words into one set of each kind.
func newCueSet(byLang map[string]cueLang) *cueSet {
	c := &cueSet{}
	for _, l := range byLang {
		for _, kind := range []struct {
			set   *map[string]bool
			words []string
		}{
			{&c.nothing, l.Nothing}, {&c.product, l.Product}, {&c.nothingFiller, l.NothingFiller},
			{&c.absentBefore, l.AbsentBefore}, {&c.absentAfter, l.AbsentAfter},
			{&c.stoppedBefore, l.StoppedBefore}, {&c.stoppedAfter, l.StoppedAfter},
			{&c.uncertainBefore, l.UncertainBefore}, {&c.uncertainAfter, l.UncertainAfter},
			{&c.onlyBefore, l.OnlyBefore},
			{&c.unstopped, l.Unstopped}, {&c.noPrescription, l.NoPrescription}, {&c.helper, l.Helper},
			{&c.allergyBefore, l.AllergyBefore}, {&c.allergyAfter, l.AllergyAfter},
			{&c.reaction, l.Reaction}, {&c.still, l.Still}, {&c.reason, l.Reason},
			{&c.fillerBefore, l.FillerBefore}, {&c.dose, l.Dose}, {&c.asNeeded, l.AsNeeded},
			{&c.elisions, l.Elisions},
		} {
			if *kind.set == nil {
				*kind.set = map[string]bool{}
			}
			for _, w := range kind.words {
				(*kind.set)[w] = true
			}
		}
	}
	return c
}

// cues are the embedded cue words, read once.
var cues = sync.OnceValue(func() *cueSet {
	byLang, err := parseCues(cuesYAML)
	if err != nil {
		// The file is embedded and tested: a build that cannot read it
		// cannot read a medication list at all.
		panic(err)
	}
	return newCueSet(byLang)
})
