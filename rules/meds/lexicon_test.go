package meds_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
)

func TestDefaultLexiconLoadsAndLints(t *testing.T) {
	lx, problems := meds.Lint(meds.DefaultFile, meds.DefaultSource())
	require.NotNil(t, lx, "problems: %v", problems)
	assert.Empty(t, problems, "the embedded lexicon must lint without warnings")
	// Every class the issue asks for is there and has members.
	for _, c := range []string{"anticoagulant", "antiplatelet", "nsaid", "bleeding_supplement", "insulin",
		"antidiabetic", "glp1_agonist", "sglt2_inhibitor", "heart", "beta_blocker", "ace_inhibitor", "arb",
		"calcium_channel_blocker", "cardiac_glycoside", "antiarrhythmic", "nitrate", "statin", "isotretinoin",
		"immunosuppressant", "corticosteroid"} {
		_, ok := lx.Class(c)
		assert.True(t, ok, "class %q", c)
		assert.NotEmpty(t, classesOfEntries(lx, c), "class %q has entries", c)
	}
	// A few ATC codes checked against the WHO index.
	atc := map[string]string{}
	for _, e := range lx.Entries {
		atc[e.Generic] = strings.Join(e.ATC, ",")
	}
	assert.Equal(t, "B01AA03", atc["warfarin"])
	assert.Equal(t, "B01AF02", atc["apixaban"])
	assert.Equal(t, "B01AC04", atc["clopidogrel"])
	assert.Equal(t, "B01AC06,N02BA01", atc["aspirin"])
	assert.Equal(t, "M01AE01", atc["ibuprofen"])
	assert.Equal(t, "A10AE04", atc["insulin glargine"])
	assert.Equal(t, "D10BA01", atc["isotretinoin"])
	assert.Equal(t, "C01AA05", atc["digoxin"])
}

func classesOfEntries(lx *meds.Lexicon, class string) []string {
	var out []string
	for _, e := range lx.Entries {
		for _, c := range e.Classes {
			if c == class {
				out = append(out, e.Generic)
			}
		}
	}
	return out
}

func TestLintReportsProblemsWhereTheyAre(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.yaml")
	require.NoError(t, err)
	lx, problems := meds.Lint("testdata/bad.yaml", data)
	assert.Nil(t, lx)
	want := []string{
		`testdata/bad.yaml:10:9: duplicate class id "anticoagulant" (first declared at line 8)`,
		`testdata/bad.yaml:12:5: warning: class "unused" has no entries; a rule reading it can never fire`,
		`testdata/bad.yaml:14:14: lookalike "warfarin" is a name of "warfarin"; a lookalike must be an ordinary word`,
		`testdata/bad.yaml:21:5: entry "coumadin" has no class; give it classes: with at least one class id`,
		`testdata/bad.yaml:21:14: name "coumadin" of "coumadin" is also a name of "warfarin" (line 17); a name must lead to one entry`,
		`testdata/bad.yaml:23:11: entry "coumadin" has ATC code "B1AA03"; expected a WHO ATC code such as B01AF02 (letter, 2 digits, 2 letters, 2 digits) or one of its groups such as B01A`,
		`testdata/bad.yaml:26:15: entry "apixaban" has class "anticoagulent", which is not declared under classes: (did you mean "anticoagulant"?)`,
		`testdata/bad.yaml:28:23: entry "apixaban" cites source "nowhere", which is not declared under sources:`,
		`testdata/bad.yaml:29:5: warning: entry "fish oil and vitamin e" has no ATC code; add atc:, or a note: saying why it has none`,
		`testdata/bad.yaml:29:14: name "fish oil and vitamin e" of "fish oil and vitamin e" holds a separator (, ; / & + "and" or a new line); a name must be read as one item`,
	}
	got := make([]string, len(problems))
	for i, p := range problems {
		got[i] = p.String()
	}
	assert.Equal(t, want, got)
}

func TestParseRefusesBrokenYAML(t *testing.T) {
	_, err := meds.Parse("x.yaml", []byte("schema: 1\nentries:\n  - generic: [unclosed\n"))
	require.Error(t, err)
	var ps rules.Problems
	require.ErrorAs(t, err, &ps)
	assert.Equal(t, 3, ps[0].Pos.Line, "%v", err)

	_, err = meds.Parse("x.yaml", []byte("schema: 1\nname: x\nversion: \"1\"\nentries:\n  - generic: a\n    colour: red\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.yaml:6:")
}

func TestLoadReportsMissingFile(t *testing.T) {
	_, err := meds.Load("testdata/no-such-file.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-file.yaml")
}
