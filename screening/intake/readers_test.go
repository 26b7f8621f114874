package intake_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// recordOf is what a test compares of one record.
type recordOf struct {
	Source string
	Err    string // a part of the error, "" for none
	Fields map[string]any
}

func collect(t testing.TB, seq func(func(intake.Record, error) bool)) []intake.Record {
	t.Helper()
	var out []intake.Record
	for rec, err := range seq {
		require.NoError(t, err)
		out = append(out, rec)
	}
	return out
}

func defaultRules(t testing.TB) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return rs
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []recordOf
		ignored []string
	}{
		{
			name:    "any column order, extra columns ignored",
			in:      "age,patient_id,Notes,pregnant\n34,A-1,called back,no\n",
			want:    []recordOf{{Source: "f.csv:2", Fields: map[string]any{"age": "34", "patient_id": "A-1", "pregnant": "no"}}},
			ignored: []string{"Notes"},
		},
		{
			name: "BOM, CRLF, semicolons, quoted cells with delimiters and newlines",
			in:   "\ufeffpatient_id;medications;age\r\nA-1;\"aspirin; 100 mg\r\nfish oil\";40\r\nA-2;;41\r\n",
			want: []recordOf{
				{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "medications": "aspirin; 100 mg\nfish oil", "age": "40"}},
				{Source: "f.csv:4", Fields: map[string]any{"patient_id": "A-2", "age": "41"}},
			},
		},
		{
			name: "tab delimiter",
			in:   "patient_id\tage\nA-1\t40\n",
			want: []recordOf{{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "age": "40"}}},
		},
		{
			name: "short and long rows name their line, the rest is read",
			in:   "patient_id,age,pregnant\nA-1,40\nA-2,41,no\nA-3,42,no,extra\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: "found 2 cells, expected 3"},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "age": "41", "pregnant": "no"}},
				{Source: "f.csv:4", Err: "found 4 cells, expected 3"},
			},
		},
		{
			name: "a bare quote spoils only its row",
			in:   "patient_id,age\nA-1,4\"0\nA-2,41\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: `has a " inside it`},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "age": "41"}},
			},
		},
		{
			name: "an unclosed quote does not swallow the rows after it",
			in:   "patient_id,age\nA-1,\"40\nA-2,41\nA-3,42\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: "not closed"},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "age": "41"}},
				{Source: "f.csv:4", Fields: map[string]any{"patient_id": "A-3", "age": "42"}},
			},
		},
		{
			name: "invalid UTF-8",
			in:   "patient_id,medications\nA-1,caf\xe9\nA-2,tea\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: "not valid UTF-8"},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "medications": "tea"}},
			},
		},
		{
			name: "header only",
			in:   "patient_id,age\n",
		},
	}
	rs := defaultRules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &intake.CSV{Name: "f.csv", Keep: func(h string) bool { return rs.Index(h) >= 0 }}
			recs := collect(t, c.Records(strings.NewReader(tt.in)))
			require.Len(t, recs, len(tt.want), "one record per row")
			for i, w := range tt.want {
				assert.Equal(t, w.Source, recs[i].Source)
				if w.Err != "" {
					require.Error(t, recs[i].Err)
					assert.Contains(t, recs[i].Err.Error(), w.Err)
					continue
				}
				require.NoError(t, recs[i].Err)
				assert.Equal(t, w.Fields, recs[i].FieldMap())
			}
			assert.Equal(t, tt.ignored, c.Ignored)
		})
	}
}

// A large file with a broken quote near its start: the rows after it are
// read again from the bytes kept, past the reader's 64 KB buffers.
func TestCSVRecoversInLargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("patient_id,age\nA-0,\"40\n")
	const rows = 20000
	for i := 1; i < rows; i++ {
		b.WriteString("A-")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(",41\n")
	}
	c := &intake.CSV{Name: "big.csv"}
	recs := collect(t, c.Records(strings.NewReader(b.String())))
	require.Len(t, recs, rows)
	assert.Error(t, recs[0].Err)
	for i, r := range recs[1:] {
		require.NoError(t, r.Err, r.Source)
		assert.Equal(t, "41", r.FieldMap()["age"])
		if i == rows-2 {
			assert.Equal(t, "big.csv:20001", r.Source)
		}
	}
}

func TestMapping(t *testing.T) {
	rs := defaultRules(t)
	known := func(id string) bool { return rs.Index(id) >= 0 }
	m, err := intake.LoadMapping("../../testdata/examples/google-forms-mapping.yaml", known)
	require.NoError(t, err)
	f, err := os.Open("../../testdata/examples/google-forms-export.csv")
	require.NoError(t, err)
	defer f.Close()
	c := &intake.CSV{Name: "export.csv", Mapping: m}
	recs := collect(t, c.Records(f))
	require.Len(t, recs, 20)
	assert.Empty(t, c.Ignored, "Timestamp is ignored on purpose, without a warning")
	first := recs[0].FieldMap()
	assert.Equal(t, "export.csv:2", recs[0].Source)
	assert.Equal(t, "MS-000001", first["patient_id"])
	assert.Equal(t, "pores", first["goal"])
	assert.Equal(t, "none", first["diabetes"])
	assert.Equal(t, []any{"arms"}, first["treatment_areas"])
	assert.NotContains(t, first, "breastfeeding", "an empty cell is a missing answer")

	for _, tt := range []struct{ name, yaml, want string }{
		{"not a mapping", "kind: other\n", `m.yaml:1:7: kind is "other"`},
		{"unknown field", "kind: mesoscreen.mapping\ncolumns:\n  - header: Age\n    field: agee\n", `m.yaml:4:12: column "Age": the rule set has no field "agee"`},
		{"TODO left", "kind: mesoscreen.mapping\ncolumns:\n  - header: Age\n    field: \"\"\n", `column "Age" has no field`},
		{"unknown key", "kind: mesoscreen.mapping\ncolums: []\n", `m.yaml:2:1`},
		{"field twice", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, field: age}\n  - {header: B, field: age}\n", `field age is already given by column "A"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intake.ParseMapping("m.yaml", []byte(tt.yaml), known)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestDraftMapping(t *testing.T) {
	rs := defaultRules(t)
	out := string(intake.DraftMapping(rs, []string{"Timestamp", "Are you pregnant?", "Favourite colour", "Your age in years"}))
	assert.Contains(t, out, "ignore:\n  - \"Timestamp\"\n")
	assert.Contains(t, out, "  - header: \"Are you pregnant?\"\n    field: pregnant")
	assert.Contains(t, out, "  - header: \"Favourite colour\"\n    field: \"\"  # TODO: no question matched")
	assert.Contains(t, out, "  - header: \"Your age in years\"\n    field: age")
	// A draft with a TODO left in it is refused, so nothing is guessed.
	_, err := intake.ParseMapping("draft.yaml", []byte(out), func(id string) bool { return rs.Index(id) >= 0 })
	require.Error(t, err)
	assert.Contains(t, err.Error(), `column "Favourite colour" has no field`)
}

func TestFHIR(t *testing.T) {
	qr := func(extra string) string {
		return `{"resourceType":"QuestionnaireResponse"` + extra + `}`
	}
	tests := []struct {
		name string
		in   string
		want []recordOf
	}{
		{
			name: "nested items, answer items, every value kind",
			in: qr(`,"subject":{"reference":"Patient/P-9"},"item":[{"linkId":"g","item":[
				{"linkId":"pregnant","answer":[{"valueBoolean":false}]},
				{"linkId":"age","answer":[{"valueInteger":40}]},
				{"linkId":"heart_medications","answer":[{"valueDecimal":1.0}]},
				{"linkId":"medications","answer":[{"valueString":"none"}]},
				{"linkId":"treatment_areas","answer":[{"valueCoding":{"code":"face"}},{"valueCoding":{"code":"neck"}}]},
				{"linkId":"blood_thinners","answer":[{"valueCoding":{"code":"yes"},"item":[{"linkId":"blood_thinner_name","answer":[{"valueCoding":{"code":"warfarin"}}]}]}]}]}]`),
			want: []recordOf{{Source: "r.json:1", Fields: map[string]any{
				"patient_id": "P-9", "pregnant": false, "age": jsonNumber("40"), "heart_medications": jsonNumber("1.0"),
				"medications": "none", "treatment_areas": []any{"face", "neck"}, "blood_thinners": "yes", "blood_thinner_name": "warfarin",
			}}},
		},
		{
			name: "patient_id item wins over subject, identifier is the last resort",
			in: qr(`,"subject":{"reference":"Patient/P-9"},"item":[{"linkId":"patient_id","answer":[{"valueString":"A-1"}]}]`) +
				"\n\n" + qr(`,"identifier":{"value":"I-7"}`) + "\n",
			want: []recordOf{
				{Source: "r.json:1", Fields: map[string]any{"patient_id": "A-1"}},
				{Source: "r.json:3", Fields: map[string]any{"patient_id": "I-7"}},
			},
		},
		{
			name: "NDJSON with a bad line and a Patient",
			in:   qr(`,"id":"1"`) + "\n{oops\n" + `{"resourceType":"Patient","id":"p1"}` + "\n" + qr(`,"id":"4"`) + "\n",
			want: []recordOf{
				{Source: "r.json:1", Fields: map[string]any{}},
				{Source: "r.json:2", Err: "invalid JSON"},
				{Source: "r.json:3", Err: "found a resource of type Patient (id p1); expected a QuestionnaireResponse"},
				{Source: "r.json:4", Fields: map[string]any{}},
			},
		},
		{
			name: "a Bundle, entries located by line",
			in: "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"searchset\",\n  \"entry\": [\n    {\"resource\": " + qr(`,"identifier":{"value":"B-1"}`) +
				"},\n    {\"resource\": {\"resourceType\": \"Observation\"}}\n  ]\n}\n",
			want: []recordOf{
				{Source: "r.json:5", Fields: map[string]any{"patient_id": "B-1"}},
				{Source: "r.json:6", Err: "Bundle entry 1: found a resource of type Observation; expected a QuestionnaireResponse"},
			},
		},
		{
			name: "invalid UTF-8",
			in:   qr(`,"item":[{"linkId":"medications","answer":[{"valueString":"caf`+"\xe9"+`"}]}]`) + "\n",
			want: []recordOf{{Source: "r.json:1", Err: "not valid UTF-8"}},
		},
		{
			name: "one linkId answered twice",
			in:   qr(`,"item":[{"linkId":"age","answer":[{"valueInteger":4}]},{"linkId":"age","answer":[{"valueInteger":5}]}]`),
			want: []recordOf{{Source: "r.json:1", Err: `linkId "age" is answered twice`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := collect(t, intake.FHIR("r.json", strings.NewReader(tt.in)))
			require.Len(t, recs, len(tt.want))
			for i, w := range tt.want {
				assert.Equal(t, w.Source, recs[i].Source)
				if w.Err != "" {
					require.Error(t, recs[i].Err)
					assert.Contains(t, recs[i].Err.Error(), w.Err)
					continue
				}
				require.NoError(t, recs[i].Err)
				assert.Equal(t, w.Fields, recs[i].FieldMap())
			}
		})
	}
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		name, head string
		want       intake.Format
	}{
		{"a.csv", `{"x":1}`, intake.FormatCSV},
		{"a.txt", "patient_id;age", intake.FormatCSV},
		{"-", "patient_id,age\n", intake.FormatCSV},
		{"a.json", `{"patient_id":"A"}`, intake.FormatJSON},
		{"a.jsonl", "\ufeff[{}]", intake.FormatJSON},
		{"a.json", "{\n  \"resourceType\": \"Bundle\"", intake.FormatFHIR},
		{"a.ndjson", `{"resourceType":"QuestionnaireResponse"}`, intake.FormatFHIR},
		{"a.ndjson", "", intake.FormatFHIR},
	} {
		assert.Equal(t, tt.want, intake.Detect(tt.name, []byte(tt.head)), "%s %q", tt.name, tt.head)
	}
}

// The Questionnaire is derived from the rule set, and a response to it
// reads back into the same answers.
func TestQuestionnaire(t *testing.T) {
	rs := defaultRules(t)
	b, err := intake.Questionnaire(rs)
	require.NoError(t, err)
	s := string(b)
	for _, q := range rs.Questions {
		assert.Contains(t, s, `"linkId": "`+q.ID+`"`)
	}
	assert.Contains(t, s, `"enableWhen": [`)
	assert.Contains(t, s, `"question": "blood_thinners"`)
	assert.Contains(t, s, `"code": "unsure"`)
	assert.True(t, bytes.HasPrefix(b, []byte("{\n  \"resourceType\": \"Questionnaire\"")))
	assert.Equal(t, len(rs.Questions), len(intake.CSVHeader(rs)))
}

// screen screens one record as check does.
func screen(rs *rules.RuleSet, rec intake.Record) screening.Result {
	if rec.Err != nil {
		return screening.Unreadable(rs, rec.Source, rec.Err)
	}
	return screening.Evaluate(rec.Answers(rs), screening.Options{})
}

func jsonNumber(s string) any { return json.Number(s) }
