package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

// exportShape is one export as a form tool or a clinic writes it, and
// what a clinic fills into the draft's TODOs.
type exportShape struct {
	name    string
	file    string                                        // under testdata/forms; "" when book writes it
	book    func(t *testing.T) (name string, data []byte) // a workbook, made here
	args    []string                                      // given to template mapping and check (--sheet)
	fills   []fillIn
	choices map[string]string
	// codes are the form's codes a clinic fills in, by column header:
	// those the draft lists as TODO (a column holds only the codes its
	// patients gave).
	codes map[string]map[string]string
	extra map[string]string // patients only this export has, and their verdicts
	// fired are rules that must fire on a patient, by number.
	fired map[string]string
	// draft holds lines the draft must have, and notDraft lines it must not.
	draft, notDraft []string
}

// toVerdicts goes from an export to verdicts as a clinic does: draft the
// mapping, fill in its TODOs, check the export with it. It returns the
// draft, the verdict and rules of each patient by number, and stderr.
func toVerdicts(t *testing.T, tt exportShape) (draft string, got map[string]string, errs string) {
	t.Helper()
	dir := t.TempDir()
	export := repoFile("forms", tt.file)
	if tt.book != nil {
		name, data := tt.book(t)
		export = filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(export, data, 0o600))
	}
	code, draft, errs := run(t, "", append([]string{"template", "mapping", export}, tt.args...)...)
	require.Equal(t, 0, code, errs)
	mapping := filepath.Join(dir, "mapping.yaml")
	filled := fillCodes(t, fill(t, draft, tt.fills, tt.choices), tt.codes)
	require.NoError(t, os.WriteFile(mapping, []byte(filled), 0o600))
	_, out, errs := run(t, "", append([]string{"check", "-f", "csv", "--map", mapping, export}, tt.args...)...)
	rows := csvRows(t, out)
	require.NotEmpty(t, rows, errs)
	got = map[string]string{}
	for _, r := range rows[1:] {
		id := r[0]
		got[id[max(0, len(id)-3):]] = r[2] + " " + r[3]
	}
	return draft, got, errs
}

// fillCodes fills in the form's codes a draft left TODO under each
// column, as the clinic reads them off its form.
func fillCodes(t *testing.T, draft string, codes map[string]map[string]string) string {
	t.Helper()
	lines := strings.Split(draft, "\n")
	for header, values := range codes {
		in, filled := false, 0
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "  - "):
				in = l == "  - header: "+strconv.Quote(header) || strings.HasPrefix(l, "  - header: "+strconv.Quote(header)+"  #")
			case in:
				for code, v := range values {
					if strings.HasPrefix(l, "      # "+strconv.Quote(code)+`: ""`) {
						lines[i] = "      " + strconv.Quote(code) + ": " + strconv.Quote(v)
						filled++
					}
				}
			}
		}
		require.Positive(t, filled, "no code of %q is a TODO of the draft", header)
	}
	return strings.Join(lines, "\n")
}

// Every export shape a clinic has goes from export to the verdict each
// patient's own answers get, with only the draft's TODOs filled: no
// phantom row, no lost row.
func TestExportShapesToVerdicts(t *testing.T) {
	tests := []exportShape{
		{
			name: "Microsoft Forms, Open in Excel",
			book: msFormsBook,
			fills: []fillIn{
				{header: "Areas to treat", values: map[string]string{"Tummy": "abdomen"}},
				{header: "Main reason for treatment", values: map[string]string{"Fat reduction": "localized_fat", "Sagging skin": "skin_laxity"}},
				{header: "Diabetes", values: map[string]string{"Yes – tablets or diet": "non_insulin"}},
				{header: "How many medicines do you take for your heart?", field: "heart_medications"},
			},
			draft: []string{`# first 14 rows of sheet "Form1". Check every column before use. A column marked TODO`},
		},
		{
			name: "a clinic's own workbook, second sheet",
			book: clinicBook,
			args: []string{"--sheet", "Intakes"},
			fills: []fillIn{
				{header: "Diabetes", values: map[string]string{"tablets": "non_insulin"}},
			},
			draft: []string{`  - "Date"  # the date of the entry`},
		},
		{
			name: "SurveyMonkey, two header rows, one column per area and Other",
			file: "surveymonkey.csv",
			// "Hands", typed under Other, is no area: it is flagged.
			extra: map[string]string{"115": "needs_review"},
			// Abdomen, Thighs and Buttocks are three areas, not the first.
			fired: map[string]string{"115": "answer-invalid", "104": "too-many-areas"},
			draft: []string{
				"header_rows: 2  #",
				`      - {header: "Which areas would you like treated?: Scalp", value: "scalp"}`,
				`      - {header: "Which areas would you like treated?: Other (please specify)", other: true}`,
			},
		},
		{
			name: "Qualtrics, numeric values, No listed first",
			file: "qualtrics-numeric.csv",
			codes: map[string]map[string]string{
				"Q3": {"1": "face", "2": "neck", "3": "scalp", "4": "arms", "5": "chest", "6": "abdomen", "7": "back", "8": "buttocks", "9": "thighs", "10": "legs"},
				"Q4": {"1": "rejuvenation", "2": "pores", "3": "hair_loss", "4": "cellulite", "5": "localized_fat", "6": "stretch_marks", "7": "skin_laxity", "8": "weight_loss"},
				"Q5": qualtricsYesNo, "Q6": qualtricsYesNo, "Q7": qualtricsYesNo, "Q8": qualtricsYesNo, "Q9": qualtricsYesNo, "Q10": qualtricsYesNo,
				"Q11": {"2": "apixaban"},
				"Q12": qualtricsYesNo, "Q13": {"1": "none", "2": "non_insulin", "3": "insulin"},
				"Q15": qualtricsYesNo, "Q16": qualtricsYesNo, "Q17": qualtricsYesNo,
			},
			draft:    []string{`  - header: "Q5"  # asks "Are you pregnant, or could you be pregnant?"`, `      # "1": ""  (13 rows)`},
			notDraft: []string{`"1": "yes"`, `"1": "no"`, "header_rows"},
		},
		{
			name:  "Qualtrics, choice text",
			file:  "qualtrics-text.csv",
			draft: []string{`  - header: "Q13"  # asks "Do you have diabetes, and do you use insulin?"`, `    separator: "," `},
		},
		{
			name:  "Jotform, checkbox answers on lines of one cell",
			file:  "jotform.csv",
			draft: []string{`    separator: "\n"  # found in the answers: "\n" in 2 answers`},
		},
		{
			name: "REDCap raw data",
			file: "redcap-raw.csv",
			fills: []fillIn{
				{header: "preg", field: "pregnant", values: map[string]string{"2": "unsure"}},
				{header: "bf", field: "breastfeeding"},
				{header: "bleed_dis", field: "clotting_disorder"},
				{header: "anticoag", field: "blood_thinners"},
				{header: "anticoag_name", field: "blood_thinner_name", values: map[string]string{"2": "apixaban"}},
				{header: "ca_5y", field: "recent_cancer"},
				{header: "skin_cond", field: "skin_condition"},
			},
			choices: map[string]string{"areas___1": "face", "areas___2": "neck", "areas___3": "scalp", "areas___4": "arms", "areas___5": "chest",
				"areas___6": "abdomen", "areas___7": "back", "areas___8": "buttocks", "areas___9": "thighs", "areas___10": "legs"},
			codes: map[string]map[string]string{
				"goal":     {"1": "rejuvenation", "2": "pores", "3": "hair_loss", "4": "cellulite", "5": "localized_fat", "6": "stretch_marks", "7": "skin_laxity", "8": "weight_loss"},
				"diabetes": {"0": "none", "1": "non_insulin", "2": "insulin"},
			},
			draft: []string{`      - {header: "areas___1", value: ""}  # TODO: a code of the form`, "    ticked: \"1\"\n    unticked: [\"0\"]"},
		},
		{
			name:  "REDCap labels",
			file:  "redcap-labels.csv",
			draft: []string{"    ticked: \"Checked\"\n    unticked: [\"Unchecked\"]", `      - {header: "Which areas would you like treated? (choice=Abdomen)", value: "abdomen"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			draft, got, errs := toVerdicts(t, tt)
			for _, l := range tt.draft {
				assert.Contains(t, draft, l)
			}
			for _, l := range tt.notDraft {
				assert.NotContains(t, draft, l)
			}
			assert.NotContains(t, errs, "warning", "every column is mapped or ignored")
			want := map[string]string{}
			for k, v := range formVerdicts {
				want[k] = v
			}
			for k, v := range tt.extra {
				want[k] = v
			}
			require.Len(t, got, len(want), "one result per patient: %v\n%s", got, errs)
			for id, v := range want {
				assert.True(t, strings.HasPrefix(got[id], v+" "), "patient %s: got %q, want %s\n%s", id, got[id], v, draft)
			}
			for id, rule := range tt.fired {
				assert.Contains(t, got[id], rule, "patient %s", id)
			}
		})
	}
}

// qualtricsYesNo are the codes of a Qualtrics yes/no question that lists
// No first.
var qualtricsYesNo = map[string]string{"1": "no", "2": "yes", "3": "unsure"}

// msFormsBook is microsoft-forms.csv as Microsoft Forms' "Open in Excel"
// writes it: sheet Form1, numbers as numbers, times as dates.
func msFormsBook(t *testing.T) (string, []byte) {
	t.Helper()
	f, err := os.Open(repoFile("forms", "microsoft-forms.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	sheet := intakegen.Sheet{Name: "Form1"}
	for y, row := range rows {
		cells := make([]any, len(row))
		for x, v := range row {
			cells[x] = v
			if y == 0 {
				cells[x] = strings.TrimPrefix(v, "\ufeff")
				continue
			}
			if n, err := strconv.Atoi(v); err == nil {
				cells[x] = n
			} else if d, err := time.Parse("1/2/06 15:04:05", v); err == nil {
				cells[x] = d
			} else if v == "" {
				cells[x] = nil
			}
		}
		sheet.Rows = append(sheet.Rows, cells)
	}
	book, err := intakegen.Workbook(sheet)
	require.NoError(t, err)
	return "Form1.xlsx", book
}

// clinicBook is a clinic's own workbook of the patients of
// testdata/forms: a sheet of notes first, then the intakes under a title
// merged across the row and a blank row, answers as Y, N and ?, a few
// questions as TRUE/FALSE cells, the date of the visit, and a blank row
// among the patients.
func clinicBook(t *testing.T) (string, []byte) {
	t.Helper()
	f, err := os.Open(repoFile("forms", "patients.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	header := []any{"Chart number", "Age", "Date", "Areas", "Goal", "Pregnant", "Breastfeeding", "Clotting disorder",
		"Blood clots", "Stroke", "Blood thinners", "Blood thinner name", "Recent cancer", "Diabetes", "Heart medications",
		"Active infection", "Skin condition", "Allergies", "Allergy details", "Medications"}
	yn := map[string]any{"yes": "Y", "no": "N", "unsure": "?"}
	tf := map[string]any{"yes": true, "no": false}
	diabetes := map[string]any{"none": "none", "non_insulin": "tablets", "insulin": "insulin"}
	sheet := intakegen.Sheet{Name: "Intakes", Merged: []string{"A1:T1"},
		Rows: [][]any{{"Riverside Aesthetics: intakes, November"}, header}}
	dec := json.NewDecoder(f)
	for day := 1; dec.More(); day++ {
		var p map[string]any
		require.NoError(t, dec.Decode(&p))
		areas := []string{}
		for _, a := range p["treatment_areas"].([]any) {
			areas = append(areas, a.(string))
		}
		s := func(k string) any {
			if v, ok := p[k]; ok {
				return v
			}
			return nil
		}
		row := []any{s("patient_id"), int(p["age"].(float64)), time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC), strings.Join(areas, ", "), s("goal"),
			yn[p["pregnant"].(string)], yn[p["breastfeeding"].(string)], tf[p["clotting_disorder"].(string)],
			tf[p["blood_clots"].(string)], tf[p["stroke"].(string)], yn[p["blood_thinners"].(string)], s("blood_thinner_name"),
			yn[p["recent_cancer"].(string)], diabetes[p["diabetes"].(string)], int(p["heart_medications"].(float64)),
			yn[p["active_infection"].(string)], yn[p["skin_condition"].(string)], yn[strOr(p["allergies"], "unsure")], s("allergy_details"), s("medications")}
		sheet.Rows = append(sheet.Rows, row)
		if day == 7 {
			sheet.Rows = append(sheet.Rows, []any{})
		}
	}
	notes := intakegen.Sheet{Name: "Notes", Rows: [][]any{{"Rooms", "Staff"}, {"1", "Anna"}}}
	book, err := intakegen.Workbook(notes, sheet)
	require.NoError(t, err)
	return "intakes.xlsx", book
}

func strOr(v any, def string) string {
	if s, ok := v.(string); ok {
		return s
	}
	return def
}

// A workbook mesoscreen cannot read is refused, by check and by template
// mapping alike, with what to do; its bytes are never read as text.
func TestWorkbookRefusedByCommands(t *testing.T) {
	dir := t.TempDir()
	ole := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...)
	_, book := clinicBook(t)
	files := map[string][]byte{"old.xls": ole, "renamed.csv": ole, "archive.zip": []byte("PK\x03\x04\x14\x00 no workbook in here"), "intakes.xlsx": book,
		"notes.csv": []byte("patient_id,age\nP-1,40\n")}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", "old.xls"}, "old.xls: is an Excel 97-2003 workbook (.xls), which mesoscreen does not read; save it as .xlsx or CSV UTF-8"},
		{[]string{"check", "--input", "csv", "renamed.csv"}, "renamed.csv: is an Excel 97-2003 workbook (.xls)"},
		{[]string{"template", "mapping", "old.xls"}, "old.xls: is an Excel 97-2003 workbook (.xls), which mesoscreen does not read; save it as .xlsx or CSV UTF-8"},
		{[]string{"check", "archive.zip"}, "archive.zip: is a ZIP archive, not an Excel workbook"},
		{[]string{"template", "mapping", "archive.zip"}, "archive.zip: is a ZIP archive, not an Excel workbook"},
		{[]string{"check", "--sheet", "March", "intakes.xlsx"}, `intakes.xlsx: has no sheet "March"; its sheets are "Notes", "Intakes"; expected --sheet with one of them`},
		{[]string{"template", "mapping", "intakes.xlsx", "--sheet", "March"}, `has no sheet "March"`},
		{[]string{"check", "--sheet", "Intakes", "notes.csv"}, `notes.csv: a sheet "Intakes" was asked for, but the file is csv, not an Excel workbook`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{}, tt.args...)
			for i, a := range args {
				if _, ok := files[a]; ok {
					args[i] = filepath.Join(dir, a)
				}
			}
			code, out, errs := run(t, "", args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.want)
			assert.NotContains(t, errs, "PK", "no byte of the file is shown as text")
		})
	}
}

// The report says at its top what was set aside as the files were read:
// rows skipped, columns never read and why, and code columns the mapping
// leaves as they are.
func TestReportSaysHowExportsWereRead(t *testing.T) {
	dir := t.TempDir()
	export := repoFile("forms", "qualtrics-numeric.csv")
	// The draft as it comes: its codes are left TODO, so read as written.
	_, draft, errs := run(t, "", "template", "mapping", export)
	require.NotEmpty(t, draft, errs)
	mapping := filepath.Join(dir, "mapping.yaml")
	require.NoError(t, os.WriteFile(mapping, []byte(draft), 0o600))
	reportPath := filepath.Join(dir, "report.html")
	_, _, errs = run(t, "", "check", "-q", "--map", mapping, "--report", reportPath, export)
	p := parseReport(t, reportPath)
	reading := p.byAttr("id")["reading"]
	require.NotNil(t, reading, errs)
	assert.Contains(t, cell(reading, "rows-skipped"), "skipped 2 header rows after the first (lines 2 and 3)")
	assert.Contains(t, cell(reading, "columns-declared"), "StartDate")
	assert.Contains(t, cell(reading, "codes-unmapped"), "column Q4 (goal) holds numbers the mapping does not translate (1 · 5 · 2")
	assert.Contains(t, text(reading), "column Q5 (pregnant) holds numbers the mapping does not translate (1 · 3)")
	assert.NotContains(t, text(reading), "column Q2 ", "a number question's numbers are numbers")

	// Filled in, no code is left as written.
	filled := fillCodes(t, draft, map[string]map[string]string{"Q5": qualtricsYesNo})
	require.NoError(t, os.WriteFile(mapping, []byte(filled), 0o600))
	second := filepath.Join(dir, "second.html")
	_, _, errs = run(t, "", "check", "-q", "--map", mapping, "--report", second, export)
	reading = parseReport(t, second).byAttr("id")["reading"]
	require.NotNil(t, reading, errs)
	assert.Contains(t, text(reading), "column Q6 (breastfeeding)")
	assert.NotContains(t, text(reading), "column Q5 ")
}
