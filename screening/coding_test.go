package screening_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// A coding is read from its code only in mesoscreen's own answer system,
// HL7's yes/no and data-absent-reason systems, or none. A code of any
// other system is no answer ("0" may be a clinic's code for yes), and a
// display that says yes, no or not sure, in any of mesoscreen's
// languages, where the code says something else, makes the answer
// Contradictory.
func TestParseCoding(t *testing.T) {
	rs := defaultRules(t)
	const (
		hl7      = "http://terminology.hl7.org/CodeSystem/v2-0136"
		absent   = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
		ordinal  = "http://example.org/clinic-ordinal"
		answerSy = rules.AnswerSystem
	)
	c := func(system, code, display string) screening.Coding {
		return screening.Coding{System: system, Code: code, Display: display}
	}
	tests := []struct {
		field string
		raw   any
		state screening.State
		value any    // for Given
		given string // for the others
	}{
		{"pregnant", c(answerSy, "yes", "Yes"), screening.Given, true, ""},
		{"pregnant", c("", "no", ""), screening.Given, false, ""},
		{"pregnant", c("", "0", ""), screening.Given, false, ""},
		{"pregnant", c(hl7, "Y", "Yes"), screening.Given, true, ""},
		{"pregnant", c(hl7, "N", ""), screening.Given, false, ""},
		{"pregnant", c("http://hl7.org/fhir/v2/0136", "Y", ""), screening.Given, true, ""},
		{"pregnant", c("http://terminology.hl7.org/CodeSystem/v2-0532", "ASKU", ""), screening.Unsure, nil, "unsure"},
		{"pregnant", c(absent, "asked-unknown", "Don't know"), screening.Unsure, nil, "unsure"},
		{"pregnant", c("http://hl7.org/fhir/data-absent-reason", "asked", ""), screening.Unsure, nil, "unsure"},
		{"pregnant", c(hl7, "yes", ""), screening.Invalid, nil, "yes, system " + hl7},
		{"pregnant", c(absent, "asked-declined", "Asked But Declined"), screening.Invalid, nil, "asked-declined (Asked But Declined), system " + absent},
		{"pregnant", c(ordinal, "0", "Yes, pregnant"), screening.Invalid, nil, "0 (Yes, pregnant), system " + ordinal},
		{"pregnant", c(ordinal, "no", "No"), screening.Invalid, nil, "no (No), system " + ordinal},
		{"pregnant", c("http://hl7.org/fhir/ValueSet/yesnodontknow", "Y", "Yes"), screening.Invalid, nil, "Y (Yes), system http://hl7.org/fhir/ValueSet/yesnodontknow"},
		// The display contradicts the code.
		{"pregnant", c(hl7, "N", "Yes"), screening.Contradictory, nil, `code "N", display "Yes"`},
		{"pregnant", c(answerSy, "no", "Sí"), screening.Contradictory, nil, `code "no", display "Sí"`},
		{"pregnant", c("", "yes", "Je ne sais pas"), screening.Contradictory, nil, `code "yes", display "Je ne sais pas"`},
		{"pregnant", c(answerSy, "unsure", "No"), screening.Contradictory, nil, `code "unsure", display "No"`},
		{"diabetes", c(answerSy, "insulin", "No"), screening.Contradictory, nil, `code "insulin", display "No"`},
		{"treatment_areas", []any{c(answerSy, "face", "Face"), c(answerSy, "neck", "Yes")}, screening.Contradictory, nil, `code "neck", display "Yes"`},
		// The display agrees, or is no answer word.
		{"pregnant", c(answerSy, "no", "Non"), screening.Given, false, ""},
		{"pregnant", c(answerSy, "unsure", "Not sure"), screening.Unsure, nil, "unsure"},
		{"pregnant", c(answerSy, "no", "No, never"), screening.Given, false, ""},
		{"diabetes", c(answerSy, "none", "No"), screening.Given, "none", ""},
		{"diabetes", c(answerSy, "none", "No diabetes"), screening.Given, "none", ""},
		{"treatment_areas", []any{c(answerSy, "face", "Face"), c("", "neck", "")}, screening.Given, []string{"face", "neck"}, ""},
		{"treatment_areas", []any{c(answerSy, "face", ""), c(ordinal, "2", "Neck")}, screening.Invalid, nil, "2 (Neck), system " + ordinal},
		// An answer that is no answer is that, whatever its display.
		{"pregnant", c(answerSy, "maybe", "Yes"), screening.Invalid, nil, "maybe"},
		{"pregnant", screening.Conflict{c(hl7, "N", "No"), c(hl7, "N", "Yes")}, screening.Duplicated, 2, `"N (No), system ` + hl7 + `", "N (Yes), system ` + hl7 + `"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%v", tt.field, tt.raw), func(t *testing.T) {
			q, ok := rs.Question(tt.field)
			require.True(t, ok)
			a := screening.ParseAnswer(q, tt.raw)
			assert.Equal(t, tt.state, a.State)
			switch tt.state {
			case screening.Given:
				assert.Equal(t, tt.value, a.Value)
			case screening.Duplicated:
				assert.Equal(t, tt.value, a.Value)
				assert.Equal(t, tt.given, a.Given)
			default:
				assert.Equal(t, tt.given, a.Given)
			}
		})
	}
}

// A coding whose display contradicts its code is a needs_review finding
// that names both, in the result's language, and the answer is no answer
// to the rules: an allergy answered "no" under the display "Yes" does not
// bring the numbing cream.
func TestContradictedDisplay(t *testing.T) {
	rs := defaultRules(t)
	allergy := screening.Coding{System: rules.AnswerSystem, Code: "no", Display: "Yes"}
	a := screening.Parse(rs, with(map[string]any{"allergies": allergy}))
	res := screening.Evaluate(a, screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.NeedsReview, res.Verdict)
	require.Equal(t, []string{screening.RuleDisplayContradicted}, ruleIDs(res))
	f := res.Findings[0]
	assert.Equal(t, "allergies", f.Field)
	assert.Equal(t, `code "no", display "Yes"`, f.Value)
	assert.Equal(t, `Past allergic reaction: the answer's code is "no" but the text shown for it is "Yes"; a clinician must ask the patient which is right before booking`, f.Message)
	assert.Contains(t, res.Instructions, "numbing-cream-withheld")
	assert.NotContains(t, res.Instructions, "numbing-cream")

	es, err := rs.In("es")
	require.NoError(t, err)
	res = screening.Evaluate(screening.Parse(es, with(map[string]any{"allergies": allergy})), screening.Options{Keys: clinicKeys})
	require.Len(t, res.Findings, 1)
	assert.Contains(t, res.Findings[0].Message, `el código de la respuesta es «no» pero el texto que se muestra para él es «Yes»`)

	// The same coding with a display that agrees is read.
	agrees := screening.Parse(rs, with(map[string]any{"allergies": screening.Coding{System: rules.AnswerSystem, Code: "no", Display: "No"}}))
	res = screening.Evaluate(agrees, screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.Eligible, res.Verdict)
	assert.Contains(t, res.Instructions, "numbing-cream")
}
