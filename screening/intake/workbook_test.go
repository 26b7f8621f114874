package intake_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// clinicSheet is a clinic's own intake sheet: a title merged across the
// row, a row for the date, the header, patients with numbers, dates and
// TRUE/FALSE cells, and a blank row between them.
func clinicSheet() intakegen.Sheet {
	header := []any{"patient_id", "age", "Visit", "pregnant", "breastfeeding", "treatment_areas", "goal"}
	return intakegen.Sheet{
		Name: "Intakes",
		Rows: [][]any{
			{"Riverside Aesthetics: intakes, March"},
			{"Printed", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
			header,
			{"MS-1", 34, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), false, false, "face", "rejuvenation"},
			{},
			{"MS-2", 41.5, time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC), true, "N", "neck;face", "pores"},
			{"MS-3", 29, nil, "?", false, "scalp", "hair_loss"},
		},
		Merged:  []string{"A1:G1"},
		Formats: map[string]string{"B7": "0.0"},
	}
}

func TestWorkbook(t *testing.T) {
	rs := defaultRules(t)
	book, err := intakegen.Workbook(clinicSheet(), intakegen.Sheet{Name: "Notes", Rows: [][]any{{"patient_id", "age"}, {"N-1", 50}}})
	require.NoError(t, err)

	tests := []struct {
		name    string
		sheet   string
		want    []recordOf
		unasked map[string][]intake.Field
		titles  []int
		blanks  []int
		header  int
	}{
		{
			name: "first sheet, title rows and a blank row skipped",
			want: []recordOf{
				{Source: "book.xlsx:Intakes!4", Fields: map[string]any{"patient_id": "MS-1", "age": "34", "pregnant": "FALSE", "breastfeeding": "FALSE", "treatment_areas": "face", "goal": "rejuvenation"}},
				{Source: "book.xlsx:Intakes!6", Fields: map[string]any{"patient_id": "MS-2", "age": "41.5", "pregnant": "TRUE", "breastfeeding": "N", "treatment_areas": "neck;face", "goal": "pores"}},
				{Source: "book.xlsx:Intakes!7", Fields: map[string]any{"patient_id": "MS-3", "age": "29.0", "pregnant": "?", "breastfeeding": "FALSE", "treatment_areas": "scalp", "goal": "hair_loss"}},
			},
			unasked: map[string][]intake.Field{
				"book.xlsx:Intakes!4": {{ID: "Visit", Value: "2026-03-04"}},
				"book.xlsx:Intakes!6": {{ID: "Visit", Value: "2026-03-05T09:30"}},
			},
			titles: []int{1, 2}, blanks: []int{5}, header: 3,
		},
		{
			name:   "the sheet named",
			sheet:  "Notes",
			want:   []recordOf{{Source: "book.xlsx:Notes!2", Fields: map[string]any{"patient_id": "N-1", "age": "50"}}},
			header: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := intake.Open("book.xlsx", bytes.NewReader(book), intake.Options{RuleSet: rs, Sheet: tt.sheet, Format: intake.FormatCSV})
			require.NoError(t, err)
			var got []recordOf
			unasked := map[string][]intake.Field{}
			for _, rec := range collect(t, in.Records()) {
				require.NoError(t, rec.Err)
				got = append(got, recordOf{Source: rec.Source, Fields: rec.FieldMap()})
				if len(rec.Unasked) > 0 {
					unasked[rec.Source] = rec.Unasked
				}
			}
			assert.Equal(t, tt.want, got)
			if tt.unasked == nil {
				tt.unasked = map[string][]intake.Field{}
			}
			assert.Equal(t, tt.unasked, unasked)
			st := in.Stats()
			assert.Equal(t, intake.FormatXLSX, st.Format, "told by content, whatever --input says")
			assert.Equal(t, tt.titles, st.TitleRows)
			assert.Equal(t, tt.blanks, st.BlankRows)
			assert.Equal(t, tt.header, st.HeaderLine)
			assert.Equal(t, len(tt.want), st.Records)
		})
	}
}

// A file that is no workbook's text but is not a workbook mesoscreen
// reads is refused with what to do, and never read as text.
func TestWorkbookRefused(t *testing.T) {
	rs := defaultRules(t)
	book, err := intakegen.Workbook(clinicSheet())
	require.NoError(t, err)
	ole := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...)
	encrypted := append(bytes.Clone(ole), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")...)
	tests := []struct {
		name  string
		data  []byte
		sheet string
		want  string
	}{
		{"an .xls", ole, "", "is an Excel 97-2003 workbook (.xls), which mesoscreen does not read; save it as .xlsx or CSV UTF-8"},
		{"an encrypted workbook", encrypted, "", "is an encrypted workbook (it has a password), which mesoscreen does not read; save it as .xlsx or CSV UTF-8"},
		{"a ZIP archive", []byte("PK\x03\x04 not a workbook"), "", "is a ZIP archive, not an Excel workbook"},
		{"a sheet it lacks", book, "March", `has no sheet "March"; its sheets are "Intakes"; expected --sheet with one of them`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []intake.Format{"", intake.FormatCSV, intake.FormatJSON} {
				_, err := intake.Open("book.xlsx", bytes.NewReader(tt.data), intake.Options{RuleSet: rs, Sheet: tt.sheet, Format: f})
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				assert.True(t, strings.HasPrefix(err.Error(), "book.xlsx: "), err.Error())
			}
		})
	}
}
