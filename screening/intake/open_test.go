package intake_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// Open reads every format once, and Stats accounts for what it held: the
// encoding, the delimiter, each column and the field it gave, the columns
// ignored, the near misses let through, the Bundle entries skipped.
func TestOpenStats(t *testing.T) {
	rs := defaultRules(t)
	mapping, err := intake.ParseMapping("map.yaml", []byte(`kind: mesoscreen.mapping
ignore:
  - Timestamp
columns:
  - header: "Chart number"
    field: patient_id
  - header: "How old are you?"
    field: age
`), func(id string) bool { return rs.Index(id) >= 0 })
	require.NoError(t, err)

	for _, tt := range []struct {
		name  string
		file  string
		input string
		opts  intake.Options
		want  intake.Stats
	}{
		{
			name:  "CSV with a column that names no field",
			file:  "a.csv",
			input: "patient_id,age,notes\nA,30,x\nB,40,y\n",
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: ',', Text: true, Records: 2,
				Columns: []intake.Column{{Header: "patient_id", Field: "patient_id"}, {Header: "age", Field: "age"}, {Header: "notes"}},
				Ignored: []string{"notes"}},
		},
		{
			name:  "semicolons, a byte order mark and Windows-1252",
			file:  "b.csv",
			input: "\xef\xbb\xbfpatient_id;age\nA;30\n",
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: ';', BOM: true, Text: true, Records: 1, Encoding: "UTF-8",
				Columns: []intake.Column{{Header: "patient_id", Field: "patient_id"}, {Header: "age", Field: "age"}}},
		},
		{
			name:  "a table in Windows-1252",
			file:  "c.txt",
			input: "patient_id\tmedications\nA\tsp\xe9cial\n",
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: '\t', Text: true, Records: 1, Encoding: "Windows-1252 (the bytes are not UTF-8)",
				Columns: []intake.Column{{Header: "patient_id", Field: "patient_id"}, {Header: "medications", Field: "medications"}}},
		},
		{
			name:  "a mapped export: declared and undeclared columns",
			file:  "export.csv",
			input: "Timestamp,Chart number,How old are you?,Favourite colour\n2026,A,30,blue\n",
			opts:  intake.Options{Mapping: mapping},
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: ',', Text: true, Records: 1,
				Columns: []intake.Column{{Header: "Timestamp", Declared: true}, {Header: "Chart number", Field: "patient_id"}, {Header: "How old are you?", Field: "age"}, {Header: "Favourite colour"}},
				Ignored: []string{"Favourite colour"}},
		},
		{
			name:  "a near miss let through",
			file:  "d.csv",
			input: "patient_id,Pregnant\nA,yes\n",
			opts:  intake.Options{AllowUnknown: true},
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: ',', Text: true, Records: 1,
				Columns: []intake.Column{{Header: "patient_id", Field: "patient_id"}, {Header: "Pregnant"}},
				Ignored: []string{"Pregnant"},
				Allowed: []intake.NearMissError{{Where: "d.csv:1", What: "column", Name: "Pregnant", Field: "pregnant"}}},
		},
		{
			name:  "a header alone",
			file:  "e.csv",
			input: "patient_id,age\n",
			want: intake.Stats{Format: intake.FormatCSV, HeaderLine: 1, Delimiter: ',', Text: true,
				Columns: []intake.Column{{Header: "patient_id", Field: "patient_id"}, {Header: "age", Field: "age"}}},
		},
		{
			name:  "white space only",
			file:  "f.csv",
			input: "\r\n\n",
			want:  intake.Stats{Format: intake.FormatCSV, Delimiter: ',', NoHeader: true},
		},
		{
			name:  "JSON",
			file:  "g.json",
			input: `[{"patient_id": "A"}, {"patient_id": "B"}]`,
			want:  intake.Stats{Format: intake.FormatJSON, Text: true, Records: 2},
		},
		{
			name:  "JSON Lines",
			input: "{\"patient_id\": \"A\"}\n{\"patient_id\": \"B\"}\n{\"patient_id\": \"C\"}\n",
			opts:  intake.Options{Format: intake.FormatJSONL},
			want:  intake.Stats{Format: intake.FormatJSONL, Text: true, Records: 3},
		},
		{
			name: "a FHIR search result with a Patient and an OperationOutcome",
			file: "h.json",
			input: `{"resourceType": "Bundle", "type": "searchset", "entry": [
  {"resource": {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "patient_id", "answer": [{"valueString": "A"}]}]}},
  {"resource": {"resourceType": "Patient"}},
  {"resource": {"resourceType": "OperationOutcome"}}
]}`,
			want: intake.Stats{Format: intake.FormatFHIR, Text: true, Records: 1,
				Skipped: map[string]int{"Patient": 1, "OperationOutcome": 1}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.RuleSet = rs
			in, err := intake.Open(tt.file, strings.NewReader(tt.input), opts)
			require.NoError(t, err)
			n := 0
			for rec, err := range in.Records() {
				require.NoError(t, err)
				assert.NoError(t, rec.Err, rec.Source)
				n++
			}
			assert.Equal(t, tt.want, in.Stats())
			assert.Equal(t, n, in.Stats().Records)
		})
	}
}

// A column that nearly names a field stops Open, before any record is
// read; a key that nearly names one stops Records at the record that holds
// it.
func TestOpenNearMiss(t *testing.T) {
	rs := defaultRules(t)
	for _, tt := range []struct {
		name, file, input string
		open              bool // the error comes from Open
		want              intake.NearMissError
	}{
		{"a column", "a.csv", "patient_id,Pregnant\nA,yes\n", true,
			intake.NearMissError{Where: "a.csv:1", What: "column", Name: "Pregnant", Field: "pregnant"}},
		{"a plural column", "a.csv", "patient_id,medication\nA,aspirin\n", true,
			intake.NearMissError{Where: "a.csv:1", What: "column", Name: "medication", Field: "medications"}},
		{"a key", "b.json", "{\"patient_id\": \"A\"}\n{\"patient_id\": \"B\", \"Pregnant\": true}\n", false,
			intake.NearMissError{Where: "b.json:2", What: "key", Name: "Pregnant", Field: "pregnant"}},
		// A linkId is one record's finding, never a stop: see
		// TestOpenFHIRLinkIDs.
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := intake.Open(tt.file, strings.NewReader(tt.input), intake.Options{RuleSet: rs})
			if !tt.open {
				require.NoError(t, err)
				for _, e := range in.Records() {
					if e != nil {
						err = e
						break
					}
				}
			}
			var nm *intake.NearMissError
			require.ErrorAs(t, err, &nm)
			assert.Equal(t, tt.want, *nm)
		})
	}
}

// A mapped export that lacks a column the mapping reads (a question
// reworded in the form tool, a column deleted) stops Open, naming the
// column and the export's columns the mapping does not read, for every column of the
// example mapping in turn.
func TestOpenAbsentMappedColumn(t *testing.T) {
	rs := defaultRules(t)
	m, err := intake.LoadMapping("../../testdata/examples/google-forms-mapping.yaml", func(id string) bool { return rs.Index(id) >= 0 })
	require.NoError(t, err)
	data, err := os.ReadFile("../../testdata/examples/google-forms-export.csv")
	require.NoError(t, err)
	header, rest, _ := strings.Cut(string(data), "\n")
	n := 0
	for _, c := range m.Columns {
		if c.Header == "" {
			continue
		}
		n++
		t.Run(c.Header, func(t *testing.T) {
			reworded := c.Header + " (reworded)"
			h := strings.Replace(header, c.Header, reworded, 1)
			require.NotEqual(t, header, h)
			_, err := intake.Open("export.csv", strings.NewReader(h+"\n"+rest), intake.Options{RuleSet: rs, Mapping: m})
			var ae *intake.AbsentColumnError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, intake.AbsentColumnError{Where: "export.csv:1", Header: c.Header, Unread: []string{reworded}}, *ae)
		})
	}
	assert.Greater(t, n, 10)
	// The export as it is opens.
	_, err = intake.Open("export.csv", strings.NewReader(string(data)), intake.Options{RuleSet: rs, Mapping: m})
	require.NoError(t, err)
}

// A table whose first row names no field (a file without a header, whose
// first patient would otherwise be read as the header and lost) stops
// Open; a first row that names one field, or nearly names one, does not
// get this error.
func TestOpenTableWithoutHeader(t *testing.T) {
	rs := defaultRules(t)
	for _, tt := range []struct {
		name, input string
		want        error
	}{
		{"patients only", "MS-1,34,no\nMS-2,40,yes\n", &intake.NoHeaderError{Where: "t.csv:1", Cells: 3}},
		{"one patient", "MS-1;34;no;no\n", &intake.NoHeaderError{Where: "t.csv:1", Cells: 4}},
		{"words that name nothing", "Name,Date of birth\nAna,1990-01-01\n", &intake.NoHeaderError{Where: "t.csv:1", Cells: 2}},
		{"one field among others", "notes,age\nx,30\n", nil},
		{"a near miss", "Pregnant,Age\nyes,30\n", &intake.NearMissError{Where: "t.csv:1", What: "column", Name: "Pregnant", Field: "pregnant"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intake.Open("t.csv", strings.NewReader(tt.input), intake.Options{RuleSet: rs})
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, tt.want, err)
		})
	}
}

// A column, key or linkId that names no field is not dropped: each answer
// under it is its record's Unasked, for screening to report, unless the
// clinic declared it ignored (Options.Ignore, a mapping's ignore:). An
// empty one says nothing and is left out.
func TestOpenUnasked(t *testing.T) {
	rs := defaultRules(t)
	mapping, err := intake.ParseMapping("map.yaml", []byte(`kind: mesoscreen.mapping
ignore: [Timestamp]
columns:
  - {header: "Chart number", field: patient_id}
`), func(id string) bool { return rs.Index(id) >= 0 })
	require.NoError(t, err)
	fhir := func(id, note string) string {
		return `{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"patient_id","answer":[{"valueString":"` + id +
			`"}]},{"linkId":"notes","answer":[{"valueString":"` + note + `"}]}]}` + "\n"
	}
	for _, tt := range []struct {
		name, input string
		opts        intake.Options
		want        [][]intake.Field // Unasked of each record
	}{
		{"a.csv", "patient_id,notes,age\nP-1,pregnant,30\nP-2,,31\nP-3, ,32\n", intake.Options{},
			[][]intake.Field{{{ID: "notes", Value: "pregnant"}}, nil, nil}},
		{"a.csv", "patient_id,notes,age\nP-1,pregnant,30\n", intake.Options{Ignore: []string{"notes"}}, [][]intake.Field{nil}},
		{"a.csv", "patient_id;Notes;Remarks\nP-1;x;y\n", intake.Options{Ignore: []string{"Notes"}},
			[][]intake.Field{{{ID: "Remarks", Value: "y"}}}},
		{"a.json", `[{"patient_id":"P-1","notes":"pregnant","age":30},{"patient_id":"P-2"}]`, intake.Options{},
			[][]intake.Field{{{ID: "notes", Value: "pregnant"}}, nil}},
		{"a.jsonl", `{"patient_id":"P-1","notes":"pregnant"}` + "\n", intake.Options{Ignore: []string{"notes"}}, [][]intake.Field{nil}},
		{"a.ndjson", fhir("P-1", "on warfarin"), intake.Options{Format: intake.FormatFHIR},
			[][]intake.Field{{{ID: "notes", Value: "on warfarin"}}}},
		{"export.csv", "Timestamp,Chart number,Anything else?\n2026-12-07,P-1,on warfarin\n", intake.Options{Mapping: mapping},
			[][]intake.Field{{{ID: "Anything else?", Value: "on warfarin"}}}},
	} {
		t.Run(tt.name+" "+tt.input[:10], func(t *testing.T) {
			tt.opts.RuleSet = rs
			in, err := intake.Open(tt.name, strings.NewReader(tt.input), tt.opts)
			require.NoError(t, err)
			var got [][]intake.Field
			for rec, err := range in.Records() {
				require.NoError(t, err)
				require.NoError(t, rec.Err)
				for _, f := range rec.Fields {
					assert.GreaterOrEqual(t, rs.Index(f.ID), 0, "a field the rule set asks: %s", f.ID)
				}
				got = append(got, rec.Unasked)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
