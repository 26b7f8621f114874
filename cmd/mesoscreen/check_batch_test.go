package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening"
)

const batchData = "../../testdata/batch/"

// batchGolden compares got with testdata/batch/golden/<name>.golden.
func batchGolden(t *testing.T, name, got string) {
	t.Helper()
	assertGolden(t, filepath.Join(batchData, "golden", name+".golden"), got)
}

func TestCheckFormatsGolden(t *testing.T) {
	mapping := "../../testdata/examples/google-forms-mapping.yaml"
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"jsonl-csv", []string{"check", "-f", "csv", batchData + "patients.jsonl"}, 1},
		{"excel-csv-jsonl", []string{"check", "-f", "jsonl", batchData + "patients-excel.csv"}, 1},
		{"forms-text", []string{"check", "--map", mapping, "../../testdata/examples/google-forms-export.csv"}, 1},
		{"ndjson-json", []string{"check", "-f", "json", batchData + "patients.ndjson"}, 1},
		{"bundle-csv", []string{"check", "-f", "csv", batchData + "patients-bundle.json"}, 1},
		{"malformed-csv", []string{"check", "-f", "csv", batchData + "malformed/broken.csv", batchData + "malformed/bad-line.jsonl", batchData + "malformed/mixed.ndjson"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			assert.Equal(t, tt.code, code, errs)
			batchGolden(t, tt.name, out)
		})
	}
}

type verdictRow struct{ ID, Verdict, Rules string }

func verdicts(t *testing.T, args ...string) []verdictRow {
	t.Helper()
	_, out, errs := run(t, "", append([]string{"check", "-f", "csv"}, args...)...)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, errs)
	var vs []verdictRow
	for _, r := range rows[1:] {
		vs = append(vs, verdictRow{r[0], r[2], r[3]})
	}
	return vs
}

// The same twenty patients, written in every format, get the same
// verdicts for the same reasons.
func TestCheckFormatsAgree(t *testing.T) {
	want := verdicts(t, batchData+"patients.jsonl")
	require.Len(t, want, 20)
	levels := map[string]bool{}
	for _, v := range want {
		levels[v.Verdict] = true
	}
	require.GreaterOrEqual(t, len(levels), 4, "the set covers most verdicts")
	for name, args := range map[string][]string{
		"canonical CSV (BOM, CRLF, ;)": {batchData + "patients-excel.csv"},
		"Google Forms export":          {"--map", "../../testdata/examples/google-forms-mapping.yaml", "../../testdata/examples/google-forms-export.csv"},
		"FHIR NDJSON":                  {batchData + "patients.ndjson"},
		"FHIR Bundle":                  {batchData + "patients-bundle.json"},
		"FHIR Bundle, --input":         {"--input", "fhir", batchData + "patients-bundle.json"},
	} {
		assert.Equal(t, want, verdicts(t, args...), name)
	}
}

func TestCheckMalformedOnePerRecord(t *testing.T) {
	tests := []struct {
		file    string
		sources []string
	}{
		{"broken.csv", []string{":2", ":3", ":4", ":5", ":6"}},
		{"bad-line.jsonl", []string{":1", ":2", ":3"}},
		{"mixed.ndjson", []string{":1", ":2", ":3"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, _ := run(t, "", "check", "-f", "jsonl", batchData+"malformed/"+tt.file)
			assert.Equal(t, 1, code)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, len(tt.sources))
			for i, l := range lines {
				var res struct{ Source, Verdict string }
				require.NoError(t, json.Unmarshal([]byte(l), &res))
				assert.Equal(t, batchData+"malformed/"+tt.file+tt.sources[i], res.Source)
				assert.Equal(t, "needs_review", res.Verdict)
			}
		})
	}
}

func TestCheckOutputFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(in, []byte("patient_id,age\nA-1,40\n"), 0o644))
	out := filepath.Join(dir, "results.csv")

	code, stdout, _ := run(t, "", "check", "-f", "csv", "-o", out, in)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	st, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "patient_id,source,verdict,rules,levels,fields,messages\nA-1,"+in+":2,needs_review,"), string(b))

	// The input is never the output, by any name.
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.Symlink(in, link))
	code, _, errs := run(t, "", "check", "-o", link, in)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "is the input file")
	b, err = os.ReadFile(in)
	require.NoError(t, err)
	assert.Equal(t, "patient_id,age\nA-1,40\n", string(b))

	// A run that fails leaves the old output and no temporary file.
	code, _, errs = run(t, "", "check", "-o", out, in, filepath.Join(dir, "missing.csv"))
	assert.Equal(t, 2, code, errs)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"in.csv", "link.csv", "results.csv"}, names)
}

func TestCheckStreamsAndWarnings(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	row := "age,pregnant,breastfeeding,clotting_disorder,blood_clots,stroke,blood_thinners,recent_cancer,diabetes,heart_medications,active_infection,skin_condition,allergies,treatment_areas,goal,medications"
	vals := "40,no,no,no,no,no,no,no,none,0,no,no,no,face,pores,"
	require.NoError(t, os.WriteFile(a, []byte("patient_id,Notes,"+row+"\nA-1,x,"+vals+"\nA-2,y,"+vals+"\n"), 0o644))
	require.NoError(t, os.WriteFile(b, []byte("Notes,patient_id,"+row+"\nz,A-1,"+vals+"\n"), 0o644))

	// A column no question reads holds answers a clinician must read,
	// unless the clinic declares it ignored.
	code, out, errs := run(t, "", "check", "-f", "csv", a, b)
	assert.Equal(t, 1, code)
	assert.Equal(t, 3, strings.Count(out, "needs_review,answer-unasked"), out)
	assert.Contains(t, out, `Notes: answered ""x"", but no question of the rule set reads it`)
	assert.Equal(t, 1, strings.Count(errs, `note: no question reads "Notes"; a record with an answer there has a finding for it (--ignore NAME declares one ignored)`), errs)

	code, out, errs = run(t, "", "check", "-f", "csv", "--ignore", "Notes", a, b)
	assert.Equal(t, 1, code, "the repeated patient id needs review")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"A-1", a + ":2", "eligible"}, rows[1][:3])
	assert.Equal(t, []string{"A-2", a + ":3", "eligible"}, rows[2][:3])
	assert.Equal(t, []string{"A-1", b + ":2", "needs_review", "duplicate-patient-id"}, rows[3][:4])
	assert.Contains(t, rows[3][6], `patient_id "A-1" was already used by record 1 of `+a)
	assert.NotContains(t, errs, "Notes", "a column declared ignored is not spoken of")
	assert.Contains(t, errs, "screened 3 records: 2 eligible, 1 needs_review")

	code, out, errs = run(t, "", "check", "--quiet", "--ignore", "Notes", "-f", "jsonl", a)
	assert.Equal(t, 0, code)
	assert.Empty(t, errs)
	assert.Equal(t, 2, strings.Count(out, "\n"))

	// A terminal gets a table by default; a pipe gets text.
	s, tout, _ := iostreams.Test("")
	s.OutTTY = true
	assert.Equal(t, 0, Main([]string{"check", "--ignore", "Notes", a}, s))
	assert.Contains(t, tout.String(), "PATIENT")
	assert.Contains(t, tout.String(), "ELIGIBLE")
	_, out, _ = run(t, "", "check", "--ignore", "Notes", a)
	assert.NotContains(t, out, "PATIENT")
	assert.Contains(t, out, a+":2  A-1  ELIGIBLE")

	// stdin, detected as CSV from its content.
	code, out, _ = run(t, "patient_id,"+row+"\nS-1,"+vals+"\n", "check", "-f", "csv", "-")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "S-1,stdin:2,eligible")
}

func TestCheckFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
		opts func(*testing.T, *CheckOptions)
	}{
		{args: []string{"check", "--format", "xml"}, want: `--format "xml" is not one of`},
		{args: []string{"check", "--input", "xml"}, want: `--input "xml" is not one of`},
		{args: []string{"check", "--map", "m.yaml", "--input", "fhir"}, want: "--map reads a CSV export"},
		{args: []string{"check", "-j", "-1"}, want: "--jobs -1"},
		{args: []string{"check", "--input", "fhir", "-q", "-o", "r.json", "-f", "json", "a", "b"}, opts: func(t *testing.T, o *CheckOptions) {
			assert.Equal(t, []string{"a", "b"}, o.Files)
			assert.Equal(t, "fhir", o.Input)
			assert.Equal(t, "r.json", o.Output)
			assert.True(t, o.Quiet)
			assert.Equal(t, "json", o.Format)
		}},
		{args: []string{"check"}, opts: func(t *testing.T, o *CheckOptions) {
			assert.Equal(t, []string{"-"}, o.Files)
			assert.Equal(t, "text", o.Format, "not a terminal")
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s, _, _ := iostreams.Test("")
			var got *CheckOptions
			cmd := NewCmdCheck(&Factory{IO: s}, func(o *CheckOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args[1:])
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			cmd.SetFlagErrorFunc(flagError) // as the root sets it for every command
			err := cmd.Execute()
			if tt.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				return
			}
			require.NoError(t, err)
			tt.opts(t, got)
		})
	}
}

// A QuestionnaireResponse filled in for "template fhir"'s Questionnaire,
// by reading the Questionnaire alone, is screened by check.
func TestTemplateFHIRRoundTrip(t *testing.T) {
	code, out, errs := run(t, "", "template", "fhir")
	require.Equal(t, 0, code, errs)
	type item struct {
		LinkID       string `json:"linkId"`
		Type         string `json:"type"`
		Required     bool   `json:"required"`
		Repeats      bool   `json:"repeats"`
		EnableWhen   []any  `json:"enableWhen"`
		AnswerOption []struct {
			ValueCoding struct{ System, Code string } `json:"valueCoding"`
		} `json:"answerOption"`
		Extension []struct {
			URL          string `json:"url"`
			ValueInteger int    `json:"valueInteger"`
		} `json:"extension"`
		Item []item `json:"item"`
	}
	var q struct {
		ResourceType string `json:"resourceType"`
		URL          string `json:"url"`
		Version      string `json:"version"`
		Item         []item `json:"item"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &q))
	require.Equal(t, "Questionnaire", q.ResourceType)
	require.NotEmpty(t, q.URL)

	// Answer every required item: "no" where there is a no, else the
	// first option; the minimum of a number, plus 30 for an age.
	var answer func(items []item) []map[string]any
	answer = func(items []item) []map[string]any {
		var out []map[string]any
		for _, it := range items {
			r := map[string]any{"linkId": it.LinkID}
			switch {
			case it.Type == "group":
				r["item"] = answer(it.Item)
			case !it.Required:
				if it.LinkID == "blood_thinner_name" || it.LinkID == "allergy_details" {
					assert.NotEmpty(t, it.EnableWhen, "%s: a follow-up is enabled by its question", it.LinkID)
				}
				continue
			case it.Type == "choice":
				c := it.AnswerOption[0].ValueCoding
				for _, o := range it.AnswerOption {
					if o.ValueCoding.Code == "no" {
						c = o.ValueCoding
					}
				}
				r["answer"] = []any{map[string]any{"valueCoding": map[string]string{"system": c.System, "code": c.Code}}}
			case it.Type == "integer":
				n := it.Extension[0].ValueInteger
				if it.LinkID == "age" {
					n += 30
				}
				r["answer"] = []any{map[string]any{"valueInteger": n}}
			case it.Type == "string":
				r["answer"] = []any{map[string]any{"valueString": "RT-1"}}
			default:
				t.Fatalf("%s: unexpected required item type %s", it.LinkID, it.Type)
			}
			out = append(out, r)
		}
		return out
	}
	// The response names the Questionnaire it answers, as a form
	// renderer writes it: its canonical URL and version.
	qr := map[string]any{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": q.URL + "|" + q.Version, "item": answer(q.Item)}
	b, err := json.Marshal(qr)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "response.json")
	require.NoError(t, os.WriteFile(path, b, 0o600))

	code, out, errs = run(t, "", "check", "-f", "csv", path)
	assert.Equal(t, 0, code, out+errs)
	assert.Contains(t, out, "RT-1,"+path+":1,eligible,")
}

func TestTemplateCSVAndMapping(t *testing.T) {
	code, header, _ := run(t, "", "template", "csv")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(header, "patient_id,age,"))
	assert.Equal(t, 1, strings.Count(header, "\n"))

	// The draft of the example export maps every column as the example
	// mapping, checked by hand, does; the allergies column too.
	code, out, errs := run(t, "", "template", "mapping", "../../testdata/examples/google-forms-export.csv")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "kind: mesoscreen.mapping")
	assert.NotContains(t, out, "# TODO")
	type column struct{ Header, Field string }
	var draft, shipped struct{ Columns []column }
	require.NoError(t, yaml.Unmarshal([]byte(out), &draft))
	b, err := os.ReadFile("../../testdata/examples/google-forms-mapping.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(b, &shipped))
	assert.Equal(t, shipped.Columns, draft.Columns)

	code, _, errs = run(t, "", "template", "mapping", "../../testdata/examples/intakes.jsonl")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "holds JSON, not a table")

	for _, args := range [][]string{{"template"}, {"template", "xml"}, {"template", "mapping"}, {"template", "csv", "x"}} {
		code, _, errs := run(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errs, "expected", args)
	}
}

// The csv and json outputs agree, record by record, on a file of many
// chunks screened on several workers, with duplicate patient ids flagged
// on the later records only.
func TestCheckOutputsAgree(t *testing.T) {
	ps := intakegen.New(7).Patients(3000)
	ps[2500].ID = ps[10].ID
	for _, i := range []int{700, 1500, 2999} {
		ps[i].ID = ps[20].ID
	}
	ps[1500].Medications = "aspirin, \"fish oil\"\nmetformin" // quoted, over two lines
	dups := []int{700, 1500, 2500, 2999}
	path := filepath.Join(t.TempDir(), "intakes.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, intakegen.WriteCSV(f, ps, intakegen.CSVStyle{}))
	require.NoError(t, f.Close())

	_, out, errs := run(t, "", "check", "-f", "csv", "-j", "3", path)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, errs)
	require.Len(t, rows, 1+len(ps))
	_, out, errs = run(t, "", "check", "-f", "json", "-j", "2", path)
	var results []screening.Result
	require.NoError(t, json.Unmarshal([]byte(out), &results), errs)
	require.Len(t, results, len(ps))
	for i, r := range results {
		var ids, levels, fields, msgs []string
		for _, f := range r.Findings {
			ids = append(ids, f.Rule)
			levels = append(levels, string(f.Level))
			if f.Field != "" && !slices.Contains(fields, f.Field) {
				fields = append(fields, f.Field)
			}
			msgs = append(msgs, f.Message)
		}
		want := []string{r.PatientID, r.Source, string(r.Verdict), strings.Join(ids, "|"), strings.Join(levels, "|"), strings.Join(fields, "|"), strings.Join(msgs, "|")}
		require.Equal(t, want, rows[1+i], "record %d", i)
	}
	for _, i := range dups {
		assert.Contains(t, rows[1+i][3], "duplicate-patient-id", "record %d", i)
	}
	assert.Contains(t, rows[1+1500][6], "aspirin", "a quoted row over two lines")
	assert.NotContains(t, rows[1+10][3], "duplicate-patient-id")
	assert.NotContains(t, rows[1+20][3], "duplicate-patient-id")
}
