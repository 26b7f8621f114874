package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// fhirBase is a rule set with one section, then its rules: line 19 is
// the first line after it.
const fhirBase = `schema: 1
name: t
version: "1"
sections:
  - {id: patient, title: Patient}
questions:
  - id: age
    section: patient
    type: integer
    min: 0
    max: 120
    ask: Age?
  - id: pregnant
    section: patient
    type: yesno
    ask: Pregnant?
rules:
  - {id: r, condition: pregnant || age < 18, level: eligible_with_precautions, message: m, source: [x]}
`

// The fhir: key lists the clinic's Questionnaires, each an absolute
// canonical URL, pinned to a version or not, and the linkIds of theirs to
// set aside, none of them a question. Each mistake is reported where it
// is written.
func TestLintFHIR(t *testing.T) {
	tests := []struct {
		name, fhir string
		want       []string
	}{
		{"clean", "fhir:\n  questionnaires: [https://clinic.example/q, 'urn:uuid:1|2']\n  ignore: [consent]\n", nil},
		{"not absolute", "fhir:\n  questionnaires: [clinic/q]\n",
			[]string{`t.yaml:20:20: questionnaire "clinic/q" is not a canonical URL; expected an absolute one, such as https://clinic.example/fhir/Questionnaire/intake`}},
		{"spaces", "fhir:\n  questionnaires: ['https://clinic.example/my q']\n",
			[]string{`t.yaml:20:20: questionnaire "https://clinic.example/my q" is not a canonical URL; expected one such as https://clinic.example/fhir/Questionnaire/intake, without spaces`}},
		{"a bar without a version", "fhir:\n  questionnaires: ['https://clinic.example/q|']\n",
			[]string{`t.yaml:20:20: questionnaire "https://clinic.example/q|" has a | but no version after it; expected url|version, or the url alone for every version`}},
		{"twice", "fhir:\n  questionnaires: [https://clinic.example/q, https://clinic.example/q]\n",
			[]string{`t.yaml:20:46: questionnaire "https://clinic.example/q" is listed twice`}},
		{"the rule set's own", "fhir:\n  questionnaires: ['urn:mesoscreen:questionnaire:t|1']\n",
			[]string{`t.yaml:20:20: warning: questionnaire "urn:mesoscreen:questionnaire:t|1" is the rule set's own, which is always accepted; remove it`}},
		{"a question ignored", "fhir:\n  ignore: [consent, age]\n",
			[]string{`t.yaml:20:21: linkId "age" is question "age" of the rule set, which screening reads; remove it from fhir.ignore`}},
		{"a linkId ignored twice", "fhir:\n  ignore: [consent, consent, '']\n",
			[]string{`t.yaml:20:21: linkId "consent" is listed twice`, `t.yaml:20:30: an empty linkId; expected the linkId of an item whose answers screening does not need`}},
		{"a key misspelt", "fhir:\n  questionaires: [https://clinic.example/q]\n",
			[]string{`t.yaml:20:3: unknown field "questionaires"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fhirBase + tt.fhir
			_, got := lintText(t, src)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A response answers the rule set's questions when it answers the rule
// set's own Questionnaire, in any version, or one fhir: lists; the groups
// of the rule set's own Questionnaire and the linkIds fhir: lists are set
// aside.
func TestRuleSetFHIR(t *testing.T) {
	rs, err := rules.Parse("t.yaml", []byte(fhirBase+"fhir:\n  questionnaires: [https://clinic.example/q, 'https://clinic.example/p|2']\n  ignore: [consent]\n"))
	require.NoError(t, err)
	assert.Equal(t, "urn:mesoscreen:questionnaire:t", rs.QuestionnaireURL())
	for canonical, want := range map[string]bool{
		"urn:mesoscreen:questionnaire:t":     true,
		"urn:mesoscreen:questionnaire:t|9":   true,
		"urn:mesoscreen:questionnaire:t2":    false,
		"urn:mesoscreen:questionnaire":       false,
		"https://clinic.example/q":           true,
		"https://clinic.example/q|3":         true,
		"https://clinic.example/p|2":         true,
		"https://clinic.example/p":           false,
		"https://clinic.example/p|1":         false,
		"http://clinic.example/q":            false,
		"https://clinic.example/Q":           false,
		"":                                   false,
		"urn:mesoscreen:questionnaire:t|1|2": true, // the part before the first | is the URL
	} {
		assert.Equal(t, want, rs.AnswersQuestionnaire(canonical), canonical)
	}
	for linkID, want := range map[string]bool{
		"consent": true, "section-patient": true, rules.GroupLinkID("patient"): true,
		"section-other": false, "Consent": false, "age": false,
	} {
		assert.Equal(t, want, rs.IgnoresLinkID(linkID), linkID)
	}
	def, err := rules.Default()
	require.NoError(t, err)
	assert.Equal(t, "urn:mesoscreen:questionnaire:mesotherapy-default", def.QuestionnaireURL())
}

// Diff names the Questionnaires and linkIds that fhir: adds and removes.
func TestDiffFHIR(t *testing.T) {
	a, err := rules.Parse("a.yaml", []byte(fhirBase+"fhir:\n  questionnaires: [https://clinic.example/q]\n  ignore: [consent]\n"))
	require.NoError(t, err)
	b, err := rules.Parse("b.yaml", []byte(fhirBase+"fhir:\n  questionnaires: [https://clinic.example/q, 'https://other.example/r|1']\n"))
	require.NoError(t, err)
	assert.Equal(t, []rules.Change{
		{Part: "fhir", Op: rules.Added, Subject: "questionnaires", New: "https://other.example/r|1"},
		{Part: "fhir", Op: rules.Removed, Subject: "ignore", Old: "consent"},
	}, rules.Diff(a, b))
}
