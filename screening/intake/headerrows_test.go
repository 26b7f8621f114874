package intake_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// csvText writes rows with encoding/csv, with delimiter d.
func csvText(t *testing.T, d rune, rows ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = d
	require.NoError(t, w.WriteAll(rows))
	return b.String()
}

// qualtricsRows are a Qualtrics export's three header rows, with its
// questions renamed to the field ids, and n patients under them.
func qualtricsRows(n int) (header, wording, importIDs []string, patients [][]string) {
	meta := []string{"StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId"}
	metaWording := []string{"Start Date", "End Date", "Response Type", "Progress", "Duration (in seconds)", "Finished", "Recorded Date", "Response ID"}
	header = append(meta, intakegen.Fields...)
	wording = append(metaWording, "What is your chart number?", "How old are you?", "Which areas would you like treated? - Selected Choice",
		"What is your main goal?", "Are you pregnant, or could you be?", "Are you breastfeeding?", "Do you have a bleeding disorder?",
		"Have you had a blood clot?", "Have you had a stroke?", "Do you take a blood thinner?", "Which one?", "Cancer in the last 5 years?",
		"Diabetes?", "How many heart medicines?", "An infection now?", "A skin condition?", "Allergic reactions?", "Which reaction?",
		"List your medicines")
	for _, f := range header {
		importIDs = append(importIDs, fmt.Sprintf(`{"ImportId":"%s","timeZone":"Europe/Madrid"}`, f))
	}
	for i, p := range intakegen.New(5).Patients(n) {
		patients = append(patients, append([]string{"2026-03-01 10:00:00", "2026-03-01 10:06:00", "IP Address", "100", "360", "True", "2026-03-01 10:06:01", fmt.Sprintf("R_%d", i)}, p.Values()...))
	}
	return header, wording, importIDs, patients
}

// Header rows after the first and blank rows are skipped and counted,
// and every other row is a record, in order, on its own line.
func TestCSVHeaderAndBlankRows(t *testing.T) {
	rs := defaultRules(t)
	qh, qw, qi, qp := qualtricsRows(3)
	canonical := intakegen.Fields
	ps := intakegen.New(9).Patients(4)
	blank := make([]string, len(canonical))
	spaces := make([]string, len(canonical))
	for i := range spaces {
		spaces[i] = " "
	}
	smMapping := `kind: mesoscreen.mapping
ignore: [Respondent ID, Collector ID, Start Date, End Date, IP Address]
values: {"Yes": "yes", "No": "no"}
columns:
  - {header: What is your chart number?, field: patient_id}
  - {header: How old are you?, field: age}
  - {header: Are you pregnant?, field: pregnant}
  - {header: List your medicines, field: medications}
`
	sm := [][]string{
		{"Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "What is your chart number?", "How old are you?", "Are you pregnant?", "Which areas would you like treated?", "", "", "List your medicines"},
		{"", "", "", "", "", "Open-Ended Response", "Open-Ended Response", "Response", "Face", "Neck", "Other (please specify)", "Open-Ended Response"},
		{"1142", "55", "03/01/2026", "03/01/2026", "1.2.3.4", "A-1", "34", "No", "Face", "", "", "retinol"},
		{"1143", "55", "03/01/2026", "03/01/2026", "1.2.3.5", "A-2", "29", "Yes", "", "Neck", "", ""},
		// A respondent who answered nothing: a record, that needs review.
		{"1144", "55", "03/01/2026", "03/01/2026", "1.2.3.6", "", "", "", "", "", "", ""},
	}
	for _, tt := range []struct {
		name    string
		in      string
		mapping string
		header  []int // lines of the header rows skipped
		blank   []int
		records []string // the records' sources, in order
	}{
		{"Qualtrics: wording and ImportId rows", csvText(t, ',', append([][]string{qh, qw, qi}, qp...)...), "",
			[]int{2, 3}, nil, []string{"t.csv:4", "t.csv:5", "t.csv:6"}},
		{"Qualtrics without its wording row", csvText(t, ',', append([][]string{qh, qi}, qp...)...), "",
			[]int{2}, nil, []string{"t.csv:3", "t.csv:4", "t.csv:5"}},
		{"Qualtrics without its ImportId row: the wording row is a record (needs review), not dropped", csvText(t, ',', append([][]string{qh, qw}, qp...)...), "",
			nil, nil, []string{"t.csv:2", "t.csv:3", "t.csv:4", "t.csv:5"}},
		{"SurveyMonkey's second row, through a mapping", csvText(t, ',', sm...), smMapping,
			[]int{2}, nil, []string{"t.csv:3", "t.csv:4", "t.csv:5"}},
		{"a header repeated: files joined", csvText(t, ';', canonical, ps[0].Values(), ps[1].Values(), canonical, ps[2].Values()), "",
			[]int{4}, nil, []string{"t.csv:2", "t.csv:3", "t.csv:5"}},
		{"Qualtrics joined to Qualtrics", csvText(t, '\t', append(append([][]string{qh, qw, qi}, qp...), append([][]string{qh, qw, qi}, qp[:1]...)...)...), "",
			[]int{2, 3, 7, 8, 9}, nil, []string{"t.csv:4", "t.csv:5", "t.csv:6", "t.csv:10"}},
		{"blank rows", csvText(t, ',', canonical, blank, ps[0].Values(), spaces, blank, ps[1].Values(), blank), "",
			nil, []int{2, 4, 5, 7}, []string{"t.csv:3", "t.csv:6"}},
		{"blank rows of fewer cells", "patient_id,age\n,\n \nA-1,30\n\t\n", "",
			nil, []int{2, 3, 5}, []string{"t.csv:4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := intake.Options{RuleSet: rs}
			if tt.mapping != "" {
				m, err := intake.ParseMapping("m.yaml", []byte(tt.mapping), func(id string) bool { return rs.Index(id) >= 0 })
				require.NoError(t, err)
				opts.Mapping = m
			}
			in, err := intake.Open("t.csv", strings.NewReader(tt.in), opts)
			require.NoError(t, err)
			var sources []string
			for _, rec := range collect(t, in.Records()) {
				sources = append(sources, rec.Source)
			}
			assert.Equal(t, tt.records, sources)
			st := in.Stats()
			assert.Equal(t, tt.header, st.HeaderRows, "header rows")
			assert.Equal(t, tt.blank, st.BlankRows, "blank rows")
			assert.Equal(t, len(tt.records), st.Records)
		})
	}
}

// headerish are the texts a header row holds under column field: markers,
// the column's own header in other letter case and spacing, the field's
// label and question in the rule set's languages.
func headerish(t *testing.T, rs *rules.RuleSet, field string) []string {
	out := []string{"Response", "Open-Ended Response", "RESPONSE", "Other (please specify)", `{"ImportId":"QID7"}`,
		field, strings.ToUpper(field), strings.ReplaceAll(field, "_", " ") + "?"}
	for _, l := range rs.Languages() {
		tr, err := rs.In(l)
		require.NoError(t, err)
		q, ok := tr.Question(field)
		require.True(t, ok, field)
		out = append(out, q.Name(), q.Ask)
	}
	return out
}

// A patient's row is never skipped: generated rows that keep one answer
// a field reads (a patient id, a valid answer), or one answer a field
// cannot read ("maybe"), and have every other cell replaced by header
// text, markers or nothing, are each a record, on their own line.
// And rows of header text, markers and nothing alone are each skipped.
func TestCSVPatientRowIsNeverSkipped(t *testing.T) {
	rs := defaultRules(t)
	rnd := rand.New(rand.NewPCG(26, 13))
	cols := intakegen.Fields
	texts := make([][]string, len(cols))
	for i, f := range cols {
		texts[i] = headerish(t, rs, f)
	}
	junk := func(i int) string {
		switch rnd.IntN(4) {
		case 0:
			return ""
		case 1:
			return " "
		}
		return texts[i][rnd.IntN(len(texts[i]))]
	}
	invalid := []string{"maybe", "n/a", "?", "-1", "121", "x", "yes please", "Ño", "unknown answer"}
	kept, skipped := 0, 0
	for round := range 60 {
		rows := [][]string{cols}
		var patients, headers []int // lines
		for i, p := range intakegen.New(uint64(round)).Patients(20) {
			cells := p.Values()
			row := make([]string, len(cells))
			switch i % 3 {
			case 0, 1: // one answer kept, valid or not
				var keep int
				for {
					keep = rnd.IntN(len(cells))
					q, _ := rs.Question(cols[keep])
					if strings.TrimSpace(cells[keep]) == "" {
						continue
					}
					if i%3 == 1 && q.Type != rules.Text {
						cells[keep] = invalid[rnd.IntN(len(invalid))]
					}
					if a := screening.ParseAnswer(q, cells[keep]); q.Type == rules.Text || i%3 == 1 || a.State == screening.Given || a.State == screening.Unsure {
						break
					}
				}
				for j := range row {
					row[j] = junk(j)
				}
				row[keep] = cells[keep]
				patients = append(patients, len(rows)+1)
				kept++
			default: // header text alone
				for j := range row {
					row[j] = junk(j)
				}
				row[rnd.IntN(len(row))] = texts[0][rnd.IntN(5)] // a marker: never blank
				headers = append(headers, len(rows)+1)
				skipped++
			}
			rows = append(rows, row)
		}
		// The rows come in threes (a valid answer kept, an invalid one
		// kept, header text alone), so that no patient's row is between a
		// header row and a row of Qualtrics markers: the one place a row
		// is read as Qualtrics' question wording
		// (TestCSVQualtricsWordingRow).
		in := csvText(t, []rune{',', ';', '\t'}[round%3], rows...)
		input, err := intake.Open("t.csv", strings.NewReader(in), intake.Options{RuleSet: rs})
		require.NoError(t, err)
		var got []string
		for _, rec := range collect(t, input.Records()) {
			got = append(got, rec.Source)
		}
		var want []string
		for _, l := range patients {
			want = append(want, fmt.Sprintf("t.csv:%d", l))
		}
		require.Equal(t, want, got, "every patient's row is a record:\n%s", in)
		assert.Equal(t, headers, input.Stats().HeaderRows)
	}
	t.Logf("%d patients' rows kept, %d header rows skipped", kept, skipped)
}

// Qualtrics' row of question wording is skipped only between a header row
// and a row of its markers, and only when it gives no valid answer to a
// field that is not text; its cell under the patient id may hold any
// text, the wording of that question.
func TestCSVQualtricsWordingRow(t *testing.T) {
	rs := defaultRules(t)
	qh, qw, qi, qp := qualtricsRows(2)
	withAnswer := append([]string(nil), qw...)
	withAnswer[8+4] = "yes" // pregnant
	for _, tt := range []struct {
		name    string
		rows    [][]string
		header  []int
		records []string
	}{
		{"under the header, over the markers", [][]string{qh, qw, qi, qp[0]}, []int{2, 3}, []string{"t.csv:4"}},
		{"with a blank row between", [][]string{qh, make([]string, len(qh)), qw, qi, qp[0]}, []int{3, 4}, []string{"t.csv:5"}},
		{"no markers after it", [][]string{qh, qw, qp[0], qi, qp[1]}, []int{4}, []string{"t.csv:2", "t.csv:3", "t.csv:5"}},
		{"after a patient", [][]string{qh, qp[0], qw, qi, qp[1]}, []int{4}, []string{"t.csv:2", "t.csv:3", "t.csv:5"}},
		{"a valid answer in it", [][]string{qh, withAnswer, qi, qp[0]}, []int{3}, []string{"t.csv:2", "t.csv:4"}},
		{"at the end", [][]string{qh, qp[0], qh, qw}, []int{3}, []string{"t.csv:2", "t.csv:4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := intake.Open("t.csv", strings.NewReader(csvText(t, ',', tt.rows...)), intake.Options{RuleSet: rs})
			require.NoError(t, err)
			var got []string
			for _, rec := range collect(t, in.Records()) {
				got = append(got, rec.Source)
			}
			assert.Equal(t, tt.records, got)
			assert.Equal(t, tt.header, in.Stats().HeaderRows)
		})
	}
}
