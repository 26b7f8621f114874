package intake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
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
		enc     intake.Encoding
		used    string // the encoding said to be used, when not ""
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
			name: "not UTF-8: read as Windows-1252",
			in:   "patient_id,medications\nA-1,caf\xe9 \x96 th\xe9\nA-2,tea\n",
			want: []recordOf{
				{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "medications": "café – thé"}},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "medications": "tea"}},
			},
			used: "Windows-1252 (the bytes are not UTF-8)",
		},
		{
			name: "not UTF-8, read as UTF-8 when told",
			enc:  intake.UTF8,
			in:   "patient_id,medications\nA-1,caf\xe9\nA-2,tea\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: "the cell for medications is not valid UTF-8 text; the file was read as UTF-8; if it was saved in another encoding (Excel on Windows saves Windows-1252), run again with --encoding windows-1252, latin-1 or utf-16"},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "medications": "tea"}},
			},
			used: "UTF-8",
		},
		{
			name: "a header not UTF-8, read as UTF-8 when told: every row says so",
			enc:  intake.UTF8,
			in:   "patient_id,m\xe9dications\nA-1,x\nA-2,y\n",
			want: []recordOf{
				{Source: "f.csv:2", Err: "header cell 2 is not valid UTF-8 text, so no cell under it can be read; the file was read as UTF-8"},
				{Source: "f.csv:3", Err: "header cell 2 is not valid UTF-8 text"},
			},
			used: "UTF-8",
		},
		{
			name: "UTF-16LE with a byte order mark, tab-separated (Excel's Unicode text)",
			in:   utf16LE("\ufeffpatient_id\tmedications\r\nA-1\tcafé\r\n"),
			want: []recordOf{{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "medications": "café"}}},
			used: "UTF-16LE",
		},
		{
			name: "CR line ends (Excel's CSV (Macintosh)), and mixed",
			in:   "patient_id,age\rA-1,40\rA-2,41\r\nA-3,42\nA-4,\"4\r3\"\r",
			want: []recordOf{
				{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "age": "40"}},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "age": "41"}},
				{Source: "f.csv:4", Fields: map[string]any{"patient_id": "A-3", "age": "42"}},
				{Source: "f.csv:5", Fields: map[string]any{"patient_id": "A-4", "age": "4\n3"}},
			},
		},
		{
			name: "a sep= line sets the delimiter and is no record",
			in:   "sep=;\r\npatient_id;age\r\nA-1;40\r\n",
			want: []recordOf{{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-1", "age": "40"}}},
		},
		{
			name: "Windows-1252 after a sep= line",
			in:   "sep=;\npatient_id;medications\nA-1;Lévothyrox\n",
			want: []recordOf{{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-1", "medications": "Lévothyrox"}}},
		},
		{
			name: "a column given twice: the field is unreadable in every row, the rest is read",
			in:   "patient_id,pregnant,age,pregnant\nA-1,no,40,yes\nA-2,,41,\n",
			want: []recordOf{
				{Source: "f.csv:2", Fields: map[string]any{"patient_id": "A-1", "age": "40", "pregnant": screening.Conflict{"no", "yes"}}},
				{Source: "f.csv:3", Fields: map[string]any{"patient_id": "A-2", "age": "41", "pregnant": screening.Conflict{"", ""}}},
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
			c := &intake.CSV{Name: "f.csv", Keep: func(h string) bool { return rs.Index(h) >= 0 }, Encoding: tt.enc}
			recs := collect(t, c.Records(strings.NewReader(tt.in)))
			if tt.used != "" {
				assert.Equal(t, tt.used, c.EncodingUsed)
			}
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

// A row that never ends, from a quote that never closes or a file without
// line ends, is reported once it passes 1 MiB, and reading goes on at the
// next line. The reader holds little more than the limit: it does not read
// on to find where a quote closes, and it skips a long line as it reads.
func TestCSVRowTooLong(t *testing.T) {
	const rows = 300_000 // 3.4 MB of rows after the long one
	var after strings.Builder
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&after, "A-%d,41\n", i)
	}
	const long = 64 << 20
	tests := []struct {
		name  string
		line2 io.Reader
		rows  bool // rows follow line 2
		// quote is true when the long row is reported before the rows
		// after it are read; else the reader skips the rest of line 2,
		// and allocates far less than it takes.
		quote bool
	}{
		{"a quote that never closes", strings.NewReader("A-0,\"40\n"), true, true},
		{"a line that never ends, then rows", io.MultiReader(&repeatReader{'x', long}, strings.NewReader("\n")), true, false},
		{"a line that runs to the end of the file", &repeatReader{'x', long}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := io.MultiReader(strings.NewReader("patient_id,age\n"), tt.line2)
			if tt.rows {
				in = io.MultiReader(in, strings.NewReader(after.String()))
			}
			r := &countingReader{r: in}
			var before, at runtime.MemStats
			runtime.ReadMemStats(&before)
			c := &intake.CSV{Name: "long.csv"}
			var recs []intake.Record
			for rec, err := range c.Records(r) {
				require.NoError(t, err)
				if len(recs) == 0 {
					if tt.quote {
						assert.Less(t, r.n, 3<<19, "bytes read when the long row is reported")
					} else {
						runtime.ReadMemStats(&at)
						assert.Less(t, at.TotalAlloc-before.TotalAlloc, uint64(long/4), "bytes allocated to skip a line of %d", long)
					}
				}
				recs = append(recs, rec)
			}
			want := 1
			if tt.rows {
				want += rows
			}
			require.Len(t, recs, want)
			assert.Equal(t, "long.csv:2", recs[0].Source)
			require.Error(t, recs[0].Err)
			assert.Contains(t, recs[0].Err.Error(), "runs on past 1 MiB without ending")
			for i, rec := range recs[1:] {
				require.NoError(t, rec.Err, rec.Source)
				require.Equal(t, fmt.Sprintf("A-%d", i+1), rec.FieldMap()["patient_id"], rec.Source)
				require.Equal(t, fmt.Sprintf("long.csv:%d", i+3), rec.Source)
			}
		})
	}
}

// With a small limit, the places a row can run on past it: after blank
// lines, which encoding/csv skips and which are no row of their own; in a
// quoted cell over many short lines; in the header.
func TestCSVRowTooLongPlaces(t *testing.T) {
	defer intake.SetMaxRow(64)()
	long := strings.Repeat("x", 100)
	tests := []struct {
		name string
		in   string
		want []recordOf
	}{
		{
			name: "after blank lines, a line that does not end within the limit",
			in:   "a,b\n\n\r\n\n1,\"" + long + "\n3,4\n",
			want: []recordOf{{Source: "f.csv:5", Err: "runs on past"}, {Source: "f.csv:6", Fields: map[string]any{"a": "3", "b": "4"}}},
		},
		{
			name: "more blank lines than the limit",
			in:   "a,b\n" + strings.Repeat("\n", 200) + strings.Repeat("\r\n", 100) + "1,2\n",
			want: []recordOf{{Source: "f.csv:302", Fields: map[string]any{"a": "1", "b": "2"}}},
		},
		{
			name: "more blank lines than the limit, which falls inside a CRLF",
			in:   "a,b\n\n" + strings.Repeat("\r\n", 100) + "1,2\n",
			want: []recordOf{{Source: "f.csv:103", Fields: map[string]any{"a": "1", "b": "2"}}},
		},
		{
			name: "a quoted cell over many short lines",
			in:   "a,b\n1,\"x\n" + strings.Repeat("y\n", 40) + "z\"\n5,6\n",
			want: append(append([]recordOf{{Source: "f.csv:2", Err: "runs on past"}},
				repeatRecords(3, 40, recordOf{Err: "found 1 cells, expected 2"})...),
				recordOf{Source: "f.csv:43", Err: `has a " inside it`},
				recordOf{Source: "f.csv:44", Fields: map[string]any{"a": "5", "b": "6"}}),
		},
		{
			name: "the header",
			in:   long + "\n1\n",
			want: []recordOf{{Source: "f.csv:1", Err: "the header row cannot be read: the row runs on past"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &intake.CSV{Name: "f.csv"}
			recs := collect(t, c.Records(strings.NewReader(tt.in)))
			require.Len(t, recs, len(tt.want), "one record per row")
			for i, w := range tt.want {
				assert.Equal(t, w.Source, recs[i].Source)
				if w.Err != "" {
					require.Error(t, recs[i].Err, recs[i].Source)
					assert.Contains(t, recs[i].Err.Error(), w.Err)
					continue
				}
				require.NoError(t, recs[i].Err)
				assert.Equal(t, w.Fields, recs[i].FieldMap())
			}
		})
	}
}

// repeatRecords is n records like rec, on the lines from line on.
func repeatRecords(line, n int, rec recordOf) []recordOf {
	out := make([]recordOf, n)
	for i := range out {
		out[i] = rec
		out[i].Source = fmt.Sprintf("f.csv:%d", line+i)
	}
	return out
}

// In JSON Lines and FHIR NDJSON, a line past 1 MiB is reported and
// skipped as it is read, and the lines after it are read as usual.
func TestLineTooLong(t *testing.T) {
	const long = 64 << 20
	for _, tt := range []struct {
		name string
		read func(string, io.Reader) iter.Seq2[intake.Record, error]
		line string
	}{
		{"JSON Lines", intake.JSON, `{"patient_id":"A"}`},
		{"FHIR NDJSON", intake.FHIR, `{"resourceType":"QuestionnaireResponse","subject":{"reference":"Patient/A"}}`},
	} {
		for _, end := range []string{"\n", ""} {
			t.Run(fmt.Sprintf("%s, line end %q", tt.name, end), func(t *testing.T) {
				in := io.MultiReader(strings.NewReader(tt.line+"\n"+`{"x":"`), &repeatReader{'x', long}, strings.NewReader(end+tt.line+"\n"))
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				recs := collect(t, tt.read("l.json", in))
				runtime.ReadMemStats(&after)
				assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(long/4), "bytes allocated to skip a line of %d", long)
				want := []string{"l.json:1", "l.json:2", "l.json:3"}
				if end == "" { // the rest of the file is the long line
					want = want[:2]
				}
				require.Len(t, recs, len(want))
				for i, rec := range recs {
					assert.Equal(t, want[i], rec.Source)
					if i == 1 {
						require.Error(t, rec.Err)
						assert.Contains(t, rec.Err.Error(), "runs on past 1 MiB without ending")
						continue
					}
					require.NoError(t, rec.Err)
					assert.Equal(t, "A", rec.FieldMap()["patient_id"])
				}
			})
		}
	}
}

// The first line is capped too: a first line of JSON Lines, or a "{"
// that never ends, is one record at line 1, read in little memory, and
// the lines after it are read.
func TestFirstLineTooLong(t *testing.T) {
	const long = 64 << 20
	for _, tt := range []struct {
		name string
		read func(string, io.Reader) iter.Seq2[intake.Record, error]
		line string
	}{
		{"JSON Lines", intake.JSON, `{"patient_id":"A"}`},
		{"FHIR NDJSON", intake.FHIR, `{"resourceType":"QuestionnaireResponse","status":"completed","subject":{"reference":"Patient/A"}}`},
	} {
		for _, rest := range []string{"\n" + tt.line + "\n", ""} {
			t.Run(fmt.Sprintf("%s, then %q", tt.name, rest), func(t *testing.T) {
				in := io.MultiReader(strings.NewReader(`{"patient_id":"`), &repeatReader{'x', long}, strings.NewReader(rest))
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				recs := collect(t, tt.read("l.json", in))
				runtime.ReadMemStats(&after)
				assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(long/4), "bytes allocated to skip a first line of %d", long)
				require.NotEmpty(t, recs)
				assert.Equal(t, "l.json:1", recs[0].Source)
				require.Error(t, recs[0].Err)
				assert.Contains(t, recs[0].Err.Error(), "runs on past 1 MiB")
				if rest != "" {
					require.Len(t, recs, 2)
					assert.Equal(t, "l.json:2", recs[1].Source)
					require.NoError(t, recs[1].Err)
					assert.Equal(t, "A", recs[1].FieldMap()["patient_id"])
				} else {
					require.Len(t, recs, 1)
				}
			})
		}
	}
}

// repeatReader reads n copies of b.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	p = p[:min(len(p), r.n)]
	for i := range p {
		p[i] = r.b
	}
	r.n -= len(p)
	return len(p), nil
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
		{"unknown key", "kind: mesoscreen.mapping\ncolums: []\n", `m.yaml:2:1: unknown field "colums"`},
		{"every unknown key", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, feild: age}\n  - {header: B, field: age, valeus: {yes: true}}\n",
			`m.yaml:3:17: unknown field "feild"` + "\n" + `m.yaml:4:29: unknown field "valeus"`},
		{"field twice", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, field: age}\n  - {header: B, field: age}\n", `field age is already given by column "A"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intake.ParseMapping("m.yaml", []byte(tt.yaml), known)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
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
				"medications": "none", "treatment_areas": []any{screening.Coding{Code: "face"}, screening.Coding{Code: "neck"}},
				"blood_thinners": screening.Coding{Code: "yes"}, "blood_thinner_name": screening.Coding{Code: "warfarin"},
			}}},
		},
		{
			// The response's own identifier is a submission number, or
			// the form's code: never the patient's.
			name: "patient_id item wins over subject, the response's identifier is no patient id",
			in: qr(`,"subject":{"reference":"Patient/P-9"},"item":[{"linkId":"patient_id","answer":[{"valueString":"A-1"}]}]`) +
				"\n\n" + qr(`,"identifier":{"value":"I-7"}`) + "\n",
			want: []recordOf{
				{Source: "r.json:1", Fields: map[string]any{"patient_id": "A-1"}},
				{Source: "r.json:3", Fields: map[string]any{}},
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
			in: "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"searchset\",\n  \"entry\": [\n    {\"resource\": " + qr(`,"subject":{"reference":"Patient/B-1"}`) +
				"},\n    {\"resource\": {\"resourceType\": \"Observation\"}}\n  ]\n}\n",
			// A search result's other resources are skipped.
			want: []recordOf{{Source: "r.json:5", Fields: map[string]any{"patient_id": "B-1"}}},
		},
		{
			name: "a Bundle whose entries come before its resourceType, as sorted keys put them",
			in: "{\n  \"entry\": [\n    {\"fullUrl\": \"urn:uuid:1\",\n     \"resource\": " + qr(`,"id":"a"`) + "},\n\n    {\"resource\": null},\n" +
				"    {\"resource\": " + qr(`,"item":[{"linkId":"medications","answer":[{"valueString":"caf`+"\xe9"+`"}]}]`) + "},\n" +
				"    {\"resource\": " + qr(`,"subject":{"identifier":{"value":"B-4"}}`) + "}\n  ],\n  \"resourceType\": \"Bundle\"\n}\n",
			want: []recordOf{
				{Source: "r.json:3", Fields: map[string]any{}},
				{Source: "r.json:6", Err: "Bundle entry 1 has no resource"},
				{Source: "r.json:7", Err: "Bundle entry 2: the text is not valid UTF-8"},
				{Source: "r.json:8", Fields: map[string]any{"patient_id": "B-4"}},
			},
		},
		{
			name: "entries in a resource that is not a Bundle",
			in:   "{\"entry\": [{\"resource\": " + qr(``) + "}],\n \"resourceType\": \"List\"}",
			want: []recordOf{
				{Source: "r.json#0", Fields: map[string]any{}},
				{Source: "r.json:1", Err: "the resource with the 1 entries above has resourceType List; expected a Bundle"},
			},
		},
		{
			name: "a Bundle broken halfway: the entries before the break, then where it is",
			in:   "{\"resourceType\": \"Bundle\", \"entry\": [\n{\"resource\": " + qr(``) + "},\n{\"resource\": {oops}},\n{\"resource\": " + qr(``) + "}]}\n",
			want: []recordOf{
				{Source: "r.json:2", Fields: map[string]any{}},
				{Source: "r.json:3", Err: "invalid JSON"},
			},
		},
		{
			name: "resources spread over lines, one after another",
			in:   "{\"resourceType\":\n\"QuestionnaireResponse\", \"id\": \"a\"}\n\n " + qr(`,"subject":{"reference":"Patient/B"}`) + " 7",
			want: []recordOf{
				{Source: "r.json:1", Fields: map[string]any{}},
				{Source: "r.json:4", Fields: map[string]any{"patient_id": "B"}},
				{Source: "r.json:4", Err: "found a number, expected a FHIR QuestionnaireResponse or Bundle"},
			},
		},
		{
			name: "a resource spread over lines, with a member of the wrong type",
			in:   "{\n \"resourceType\": \"QuestionnaireResponse\",\n \"item\": {\"linkId\": \"age\"}\n}",
			want: []recordOf{{Source: "r.json:1", Err: "item is an object; expected an array, as FHIR R4 has it"}},
		},
		{
			name: "a Bundle entry that is not an object, and an answer that is not a list",
			in: "{\"resourceType\": \"Bundle\", \"entry\": [5,\n" +
				`{"resource": {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "age", "answer": {"valueInteger": 4}}]}}]}`,
			want: []recordOf{
				{Source: "r.json#0", Err: "Bundle entry 0: the value is a number; expected an object"},
				{Source: "r.json:2", Err: "Bundle entry 1: resource.item.answer is an object; expected an array"},
			},
		},
		{
			name: "not an object",
			in:   "\n[" + qr(``) + "]",
			want: []recordOf{{Source: "r.json:2", Err: "found an array, expected a FHIR QuestionnaireResponse or Bundle"}},
		},
		{
			name: "invalid UTF-8",
			in:   qr(`,"item":[{"linkId":"medications","answer":[{"valueString":"caf`+"\xe9"+`"}]}]`) + "\n",
			want: []recordOf{{Source: "r.json:1", Err: "not valid UTF-8"}},
		},
		{
			name: "one linkId answered twice, differently and the same",
			in: qr(`,"item":[{"linkId":"age","answer":[{"valueInteger":4}]},{"linkId":"stroke","answer":[{"valueBoolean":false}]},` +
				`{"linkId":"age","answer":[{"valueInteger":5}]},{"linkId":"stroke","answer":[{"valueBoolean":false}]}]`),
			want: []recordOf{{Source: "r.json:1", Fields: map[string]any{"age": screening.Conflict{jsonNumber("4"), jsonNumber("5")}, "stroke": false}}},
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

// screen screens one record as check does.
func screen(rs *rules.RuleSet, rec intake.Record) screening.Result {
	if rec.Err != nil {
		return screening.Unreadable(rs, rec.Source, rec.Err)
	}
	sc := screening.NewScreener(rs, screening.Options{})
	return sc.Evaluate(rec.Answers(rs), sc.FactFindings(rec.Facts)...)
}

func jsonNumber(s string) any { return json.Number(s) }

// utf16LE is s in UTF-16LE, as Excel writes "Unicode text".
func utf16LE(s string) string {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A Bundle is read an entry at a time: its first record comes long before
// the end of the file, and every entry is located on the line it starts.
func TestFHIRBundleStreams(t *testing.T) {
	var data bytes.Buffer
	ps := intakegen.New(3).Patients(2000)
	require.NoError(t, intakegen.WriteBundle(&data, ps))
	lines := strings.Split(data.String(), "\n")
	require.Greater(t, data.Len(), 4<<20)

	r := &countingReader{r: bytes.NewReader(data.Bytes())}
	var recs []intake.Record
	for rec, err := range intake.FHIR("b.json", r) {
		require.NoError(t, err)
		if len(recs) == 0 {
			assert.Less(t, r.n, 256<<10, "bytes read before the first record")
		}
		recs = append(recs, rec)
	}
	require.Len(t, recs, len(ps))
	for i, rec := range recs {
		require.NoError(t, rec.Err, rec.Source)
		assert.Equal(t, ps[i].ID, rec.FieldMap()["patient_id"], rec.Source)
		line, err := strconv.Atoi(strings.TrimPrefix(rec.Source, "b.json:"))
		require.NoError(t, err, rec.Source)
		assert.Equal(t, "{", strings.TrimSpace(lines[line-1]), "%s is where an entry starts", rec.Source)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
