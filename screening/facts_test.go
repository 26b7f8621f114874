package screening_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// findingOf is a finding as these tests compare it.
type findingOf struct {
	Rule         string
	Level        rules.Level
	Field, Value string
	Message      string
}

// What a FHIR response says of itself is judged against the rule set:
// the Questionnaire it answers (the rule set's own in any version, or one
// it lists), the patient its subject names against its patient_id item,
// and its answers that the rule set does not read.
func TestResponseFactFindings(t *testing.T) {
	own := "urn:mesoscreen:questionnaire:mesotherapy-default"
	rs := defaultRules(t)
	listed, err := rules.Parse("r.yaml", append(rules.DefaultSource(), []byte("\nfhir:\n  questionnaires:\n    - https://clinic.example/q\n    - https://clinic.example/pinned|2\n")...))
	require.NoError(t, err)
	done := []any{"completed"}
	unknownMsg := func(q string) string {
		return `the response answers Questionnaire "` + q + `", which is neither the rule set's (` + own + `) nor one it lists under fhir.questionnaires: its linkIds may mean something else there; a clinician must check it before booking`
	}
	tests := []struct {
		name  string
		rs    *rules.RuleSet
		facts screening.ResponseFacts
		want  []findingOf
	}{
		{"the rule set's own", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}}, nil},
		{"the rule set's own, any version", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own + "|7"}}, nil},
		{"another form", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{"http://example.org/prenatal|3"}},
			[]findingOf{{screening.RuleOtherQuestionnaire, rules.NeedsReview, "questionnaire", "http://example.org/prenatal|3", unknownMsg("http://example.org/prenatal|3")}}},
		{"a name that only starts like the rule set's", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own + "-v2"}},
			[]findingOf{{screening.RuleOtherQuestionnaire, rules.NeedsReview, "questionnaire", own + "-v2", unknownMsg(own + "-v2")}}},
		{"listed, any version", listed, screening.ResponseFacts{Status: done, Questionnaire: []any{"https://clinic.example/q|4"}}, nil},
		{"listed, the version pinned", listed, screening.ResponseFacts{Status: done, Questionnaire: []any{"https://clinic.example/pinned|2"}}, nil},
		{"listed, another version than the one pinned", listed, screening.ResponseFacts{Status: done, Questionnaire: []any{"https://clinic.example/pinned|3"}},
			[]findingOf{{screening.RuleOtherQuestionnaire, rules.NeedsReview, "questionnaire", "https://clinic.example/pinned|3", unknownMsg("https://clinic.example/pinned|3")}}},
		{"listed by another rule set only", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{"https://clinic.example/q"}},
			[]findingOf{{screening.RuleOtherQuestionnaire, rules.NeedsReview, "questionnaire", "https://clinic.example/q", unknownMsg("https://clinic.example/q")}}},
		{"none said", nil, screening.ResponseFacts{Status: done},
			[]findingOf{{screening.RuleNoQuestionnaire, rules.EligibleWithPrecautions, "questionnaire", "",
				"the response does not say which Questionnaire it answers; its linkIds were read as the rule set's fields (" + own + "): check that it is a response to the clinic's form"}}},
		{"said twice", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own, own + "|2"}},
			[]findingOf{{screening.RuleOtherQuestionnaire, rules.NeedsReview, "questionnaire", `"` + own + `", "` + own + `|2"`,
				`the response's questionnaire is given 2 times ("` + own + `", "` + own + `|2"); expected it once; a clinician must check which form it answers before booking`}}},
		{"the item and the subject agree", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}, PatientItem: " a-1 ", Subject: []string{"A-1"}}, nil},
		{"the item is one of the subject's ids", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}, PatientItem: "8f3a", Subject: []string{"MRN-1", "8f3a"}}, nil},
		{"the item and the subject disagree", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}, PatientItem: "A-1", Subject: []string{"B-2", "8f3a"}},
			[]findingOf{{screening.RuleSubjectConflict, rules.NeedsReview, "patient_id", `"A-1", "B-2"`,
				`Patient identifier: the item says "A-1" but the response's subject is "B-2" or "8f3a"; a clinician must find out whose response this is before booking`}}},
		{"an item that is no answer has its own finding", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}, PatientItem: " ", Subject: []string{"B-2"}}, nil},
		{"an answer under a linkId that nearly names a field", nil, screening.ResponseFacts{Status: done, Questionnaire: []any{own}, Unread: []screening.UnreadItem{
			{LinkID: "medication", Value: "warfarin", Like: "medications"},
			{LinkID: "medicatoin", Value: screening.Conflict{screening.Coding{Code: "1", Display: "Good"}, "fine"}, Like: "medications"},
		}}, []findingOf{
			{screening.RuleLinkIDNearMiss, rules.NeedsReview, "medication", "warfarin",
				`linkId "medication" is no field of the rule set but looks like "medications", so its answer ("warfarin") was not read; a clinician must read it before booking, and the form's linkId be corrected`},
			{screening.RuleLinkIDNearMiss, rules.NeedsReview, "medicatoin", `"1 (Good)", "fine"`,
				`linkId "medicatoin" is no field of the rule set but looks like "medications", so its answer ("1 (Good)", "fine") was not read; a clinician must read it before booking, and the form's linkId be corrected`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rs
			if r == nil {
				r = rs
			}
			facts := tt.facts
			got := screening.NewScreener(r, screening.Options{Keys: clinicKeys}).FactFindings(screening.Facts{Response: &facts})
			var out []findingOf
			for _, f := range got {
				assert.Equal(t, "mesoscreen fail-safe", f.Source)
				assert.True(t, rules.ReservedRuleID(f.Rule), f.Rule)
				out = append(out, findingOf{f.Rule, f.Level, f.Field, f.Value, f.Message})
			}
			assert.Equal(t, tt.want, out)
		})
	}
}

// A response's findings are in the result's language.
func TestResponseFactFindingsTranslated(t *testing.T) {
	es, err := defaultRules(t).In("es")
	require.NoError(t, err)
	got := screening.NewScreener(es, screening.Options{Keys: clinicKeys}).FactFindings(screening.Facts{Response: &screening.ResponseFacts{
		Status: []any{"completed"}, PatientItem: "A-1", Subject: []string{"B-2"},
		Unread: []screening.UnreadItem{{LinkID: "medication", Value: "warfarina", Like: "medications"}},
	}})
	require.Len(t, got, 3)
	assert.Equal(t, "la respuesta no indica a qué Questionnaire responde; sus linkId se leyeron como los campos del conjunto de reglas (urn:mesoscreen:questionnaire:mesotherapy-default): comprobar que responde al formulario de la clínica", got[0].Message)
	assert.Contains(t, got[1].Message, `el ítem dice «A-1» pero el sujeto (subject) de la respuesta es «B-2»`)
	assert.Contains(t, got[2].Message, `el linkId «medication» no es un campo del conjunto de reglas pero se parece a «medications», así que su respuesta («warfarina») no se leyó`)
}
