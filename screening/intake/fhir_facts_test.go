package intake_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// response is a QuestionnaireResponse of the given members, after
// resourceType, on one line.
func response(members string) string {
	return `{"resourceType": "QuestionnaireResponse", "status": "completed"` + members + `}`
}

// withFHIR is the default rule set with a fhir: key of its own.
func withFHIR(t *testing.T, fhir string) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Parse("r.yaml", append(rules.DefaultSource(), []byte("\nfhir:\n"+fhir)...))
	require.NoError(t, err)
	return rs
}

// A linkId that is no field, in FHIR input, never stops the reading: each
// answer under one is in its record's facts, with the field it nearly
// names if it does, for screening to report on that record alone; every
// record is read. One the rule set declares ignored, or that of a group
// of its own Questionnaire, is listed in Stats.Declared; a near miss that
// --allow-unknown lets through, in Stats.Allowed.
func TestOpenFHIRLinkIDs(t *testing.T) {
	nested := func(id, link, value string) string {
		return response(`, "subject": {"reference": "Patient/` + id + `"}, "item": [{"linkId": "other-form", "item": [{"linkId": "` + link + `", "answer": [{"valueString": "` + value + `"}]}]}]`)
	}
	plain := response(`, "subject": {"reference": "Patient/A"}`)
	ndjson := plain + "\n" + nested("B", "medication", "warfarin") + "\n" + nested("C", "consent", "signed") + "\n" + nested("D", "section-patient", "x") + "\n"
	var entries []string
	for _, l := range strings.Split(strings.TrimSpace(ndjson), "\n") {
		entries = append(entries, `{"resource": `+l+`}`)
	}
	bundle := `{"resourceType": "Bundle", "type": "collection", "entry": [` + "\n" + strings.Join(entries, ",\n") + "\n]}\n"

	near := []screening.UnreadItem{{LinkID: "medication", Value: "warfarin", Like: "medications"}}
	consent := []intake.Field{{ID: "consent", Value: "signed"}}
	medication := []intake.Field{{ID: "medication", Value: "warfarin"}}
	for _, tt := range []struct {
		name, file, in string
		rs             *rules.RuleSet
		allow          bool
		unread         [][]screening.UnreadItem // each record's near misses
		unasked        [][]intake.Field         // each record's other answers no question reads
		declared       []string
		allowed        []string
	}{
		{"NDJSON", "r.ndjson", ndjson, nil, false, [][]screening.UnreadItem{nil, near, nil, nil},
			[][]intake.Field{nil, nil, consent, nil}, []string{"section-patient"}, nil},
		{"a Bundle", "b.json", bundle, nil, false, [][]screening.UnreadItem{nil, near, nil, nil},
			[][]intake.Field{nil, nil, consent, nil}, []string{"section-patient"}, nil},
		{"declared under fhir.ignore", "r.ndjson", ndjson, withFHIR(t, "  ignore: [consent]\n"), false,
			[][]screening.UnreadItem{nil, near, nil, nil}, [][]intake.Field{nil, nil, nil, nil}, []string{"consent", "section-patient"}, nil},
		{"--allow-unknown", "r.ndjson", ndjson, nil, true, [][]screening.UnreadItem{nil, nil, nil, nil},
			[][]intake.Field{nil, medication, consent, nil}, []string{"section-patient"}, []string{"medication"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.rs
			if rs == nil {
				rs = defaultRules(t)
			}
			in, err := intake.Open(tt.file, strings.NewReader(tt.in), intake.Options{RuleSet: rs, AllowUnknown: tt.allow})
			require.NoError(t, err)
			recs := collect(t, in.Records())
			require.Len(t, recs, len(tt.unread))
			for i, rec := range recs {
				require.NoError(t, rec.Err, rec.Source)
				require.NotNil(t, rec.Facts.Response, rec.Source)
				assert.Equal(t, tt.unread[i], rec.Facts.Response.Unread, rec.Source)
				assert.Equal(t, tt.unasked[i], rec.Unasked, rec.Source)
			}
			st := in.Stats()
			assert.Equal(t, tt.declared, st.Declared)
			var allowed []string
			for _, a := range st.Allowed {
				assert.Equal(t, "linkId", a.What)
				allowed = append(allowed, a.Name)
			}
			assert.Equal(t, tt.allowed, allowed)
		})
	}
}

// What a response says of itself beside its answers is in its facts, as
// read: the Questionnaire it answers, its patient_id item, and every
// patient id its subject names. The patient id comes from the patient_id
// item, else the subject (its identifier, a contained Patient's
// identifiers with the MRN first, a Patient/<id> reference), and never
// from the response's own identifier.
func TestFHIRResponseFacts(t *testing.T) {
	contained := `, "contained": [{"resourceType": "Patient", "id": "p1", "identifier": [{"value": "SSN-1"}, ` +
		`{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}, "value": "MRN-7"}]}, ` +
		`{"resourceType": "Practitioner", "id": "p2", "identifier": [{"value": "DR-1"}]}]`
	item := `, "item": [{"linkId": "patient_id", "answer": [{"valueString": "A-1"}]}]`
	tests := []struct {
		name    string
		members string
		want    screening.ResponseFacts
		id      any // the patient_id field; nil for none
	}{
		{"the rule set's Questionnaire, a subject", `, "questionnaire": "urn:mesoscreen:questionnaire:mesotherapy-default|1", "subject": {"reference": "Patient/P-1"}`,
			screening.ResponseFacts{Questionnaire: []any{"urn:mesoscreen:questionnaire:mesotherapy-default|1"}, Subject: []string{"P-1"}}, "P-1"},
		{"no questionnaire; the response's identifier is no patient id", `, "identifier": {"system": "http://loinc.org", "value": "54127-6N"}`,
			screening.ResponseFacts{}, nil},
		{"questionnaire twice", `, "questionnaire": "a:b", "questionnaire": 5`,
			screening.ResponseFacts{Questionnaire: []any{"a:b", json.Number("5")}}, nil},
		{"a contained Patient, its MRN first", contained + `, "subject": {"reference": "#p1"}`,
			screening.ResponseFacts{Subject: []string{"MRN-7", "SSN-1"}}, "MRN-7"},
		{"a contained resource that is no Patient", contained + `, "subject": {"reference": "#p2"}`,
			screening.ResponseFacts{}, nil},
		{"the Reference's identifier before its server id", `, "subject": {"reference": "https://fhir.example/r4/Patient/8f3a/_history/2", "identifier": {"value": "A-1"}}`,
			screening.ResponseFacts{Subject: []string{"A-1", "8f3a"}}, "A-1"},
		{"a Group is no patient", `, "subject": {"reference": "Group/g1"}`,
			screening.ResponseFacts{}, nil},
		{"a subject typed as another resource", `, "subject": {"type": "Device", "identifier": {"value": "D-1"}}`,
			screening.ResponseFacts{}, nil},
		{"the item wins, the subject is kept to compare", item + `, "subject": {"reference": "Patient/B-2"}`,
			screening.ResponseFacts{PatientItem: "A-1", Subject: []string{"B-2"}}, "A-1"},
		{"two subjects naming two patients", `, "subject": {"reference": "Patient/X"}, "subject": {"reference": "Patient/Y"}`,
			screening.ResponseFacts{Subject: []string{"X", "Y"}}, screening.Conflict{"X", "Y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := collect(t, intake.FHIR("r.ndjson", strings.NewReader(response(tt.members)+"\n")))
			require.Len(t, recs, 1)
			require.NoError(t, recs[0].Err)
			tt.want.Status = []any{"completed"}
			assert.Equal(t, &tt.want, recs[0].Facts.Response)
			assert.Equal(t, tt.id, recs[0].FieldMap()["patient_id"])
		})
	}
}

// A coding is read as it is written: system, code and display, for
// screening to judge; a decimal keeps every digit written.
func TestFHIRValues(t *testing.T) {
	tests := []struct {
		name, answer string
		want         any
	}{
		{"a coding", `{"valueCoding": {"system": "http://example.org/clinic-ordinal", "code": "0", "display": "Yes, pregnant"}}`,
			screening.Coding{System: "http://example.org/clinic-ordinal", Code: "0", Display: "Yes, pregnant"}},
		{"a code alone", `{"valueCoding": {"code": "no"}}`, screening.Coding{Code: "no"}},
		{"two displays", `{"valueCoding": {"code": "N", "display": "No", "display": "Yes"}}`,
			screening.Conflict{screening.Coding{Code: "N", Display: "No"}, screening.Coding{Code: "N", Display: "Yes"}}},
		{"a system that is no string", `{"valueCoding": {"code": "N", "system": 4}}`, "(valueCoding holding a number, which FHIR R4 does not allow)"},
		{"no code", `{"valueCoding": {"display": "Yes"}}`, "(a coding without a code)"},
		{"a decimal past float64", `{"valueDecimal": 17.99999999999999999}`, json.Number("17.99999999999999999")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := response(`, "item": [{"linkId": "pregnant", "answer": [` + tt.answer + `]}]`)
			recs := collect(t, intake.FHIR("r.ndjson", strings.NewReader(in+"\n")))
			require.Len(t, recs, 1)
			require.NoError(t, recs[0].Err)
			assert.Equal(t, tt.want, recs[0].FieldMap()["pregnant"])
		})
	}
}
