package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// fillIn is what a clinic writes into a draft's TODOs for one column.
type fillIn struct {
	header string            // the column's header
	field  string            // the field of a TODO column, or ""
	values map[string]string // answers left TODO, and their values
}

// fill makes the edits a clinic makes to a draft: a TODO column gets its
// field, a TODO answer (a comment) its value, a TODO choice its value.
func fill(t *testing.T, draft string, fills []fillIn, choices map[string]string) string {
	t.Helper()
	lines := strings.Split(draft, "\n")
	for _, f := range fills {
		start := -1
		for i, l := range lines {
			if l == "  - header: "+strconv.Quote(f.header) {
				start = i
			}
		}
		require.GreaterOrEqual(t, start, 0, "no column %q in the draft", f.header)
		end := start + 1
		for end < len(lines) && strings.HasPrefix(lines[end], "    ") {
			end++
		}
		block := slices.Clone(lines[start:end])
		fieldAt := -1
		for i, l := range block {
			if strings.HasPrefix(l, "    field: ") {
				fieldAt = i
			}
		}
		require.GreaterOrEqual(t, fieldAt, 0)
		if f.field != "" {
			require.Equal(t, `    field: ""`, block[fieldAt], "%q is not a TODO column", f.header)
			block[fieldAt] = "    field: " + f.field
		}
		var add []string
		for answer, v := range f.values {
			todo := "      # " + strconv.Quote(answer) + `: ""`
			done := false
			for i, l := range block {
				if strings.HasPrefix(l, todo) {
					block[i] = "      " + strconv.Quote(answer) + ": " + strconv.Quote(v)
					done = true
				}
			}
			if !done {
				require.NotEmpty(t, f.field, "%q: answer %q is not a TODO of the draft", f.header, answer)
				add = append(add, "      "+strconv.Quote(answer)+": "+strconv.Quote(v))
			}
		}
		if len(add) > 0 {
			add = append([]string{"    values:"}, add...)
			block = append(block[:fieldAt+1], append(add, block[fieldAt+1:]...)...)
		}
		lines = slices.Concat(lines[:start], block, lines[end:])
	}
	out := strings.Join(lines, "\n")
	for header, v := range choices {
		todo := "{header: " + strconv.Quote(header) + `, value: ""}`
		require.Contains(t, out, todo)
		out = strings.Replace(out, todo, "{header: "+strconv.Quote(header)+", value: "+strconv.Quote(v)+"}", 1)
	}
	return out
}

// The verdicts of the patients of testdata/forms, as their canonical
// answers in patients.jsonl get them, by patient number.
var formVerdicts = map[string]string{
	"101": "eligible", "102": "needs_review", "103": "needs_review", "104": "not_eligible",
	"105": "not_eligible", "106": "needs_review", "107": "eligible", "108": "defer",
	"109": "needs_review", "110": "not_eligible", "111": "not_eligible", "112": "eligible_with_precautions",
	"113": "needs_review", "114": "defer",
}

// From an export to verdicts, as a clinic goes: draft the mapping, fill
// in its TODOs, check the export with it. Every patient gets the verdict
// its canonical answers get.
func TestFormExportsToVerdicts(t *testing.T) {
	canonical := map[string]string{}
	for _, v := range verdicts(t, repoFile("forms", "patients.jsonl")) {
		canonical[strings.TrimPrefix(v.ID, "P-")] = v.Verdict
	}
	require.Equal(t, formVerdicts, canonical, "the patients' own verdicts")

	tests := []struct {
		file    string
		fills   []fillIn
		choices map[string]string
		extra   map[string]string // patients only this export has
	}{
		{
			file: "google-forms.csv",
			fills: []fillIn{
				{header: "If yes, which one?", field: "blood_thinner_name", values: map[string]string{"Apixaban (Eliquis)": "apixaban"}},
				{header: "How many heart medications do you take?", values: map[string]string{"3 or more": "3"}},
			},
			// "Knees", typed under Other:, is no area: it stays flagged.
			extra: map[string]string{"115": "needs_review"},
		},
		{
			file: "microsoft-forms.csv",
			fills: []fillIn{
				{header: "Areas to treat", values: map[string]string{"Tummy": "abdomen"}},
				{header: "Main reason for treatment", values: map[string]string{"Fat reduction": "localized_fat", "Sagging skin": "skin_laxity"}},
				{header: "Diabetes", values: map[string]string{"Yes – tablets or diet": "non_insulin"}},
				{header: "How many medicines do you take for your heart?", field: "heart_medications"},
			},
		},
		{
			file: "typeform.csv",
			fills: []fillIn{
				{header: "Which one?", field: "blood_thinner_name", values: map[string]string{"Eliquis": "apixaban"}},
				{header: "What happened?", field: "allergy_details"},
				{header: "What would you like to improve?", values: map[string]string{
					"Fine lines and skin quality": "rejuvenation", "Stubborn fat": "localized_fat", "Open pores": "pores",
					"Thinning hair": "hair_loss", "Sagging skin": "skin_laxity"}},
				{header: "Do you have diabetes?", values: map[string]string{"Yes, but I don't use insulin": "non_insulin"}},
			},
			choices: map[string]string{"Décolleté": "chest", "Tummy": "abdomen", "Bottom": "buttocks"},
		},
		{
			file: "excel-semicolon.csv",
			fills: []fillIn{
				{header: "Goal", values: map[string]string{"laxity": "skin_laxity"}},
				{header: "Diabetes", values: map[string]string{"type 2": "non_insulin"}},
			},
		},
		{file: "google-forms-grid.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			export := repoFile("forms", tt.file)
			code, draft, errs := run(t, "", "template", "mapping", export)
			require.Equal(t, 0, code, errs)
			dir := t.TempDir()
			mapping := filepath.Join(dir, "mapping.yaml")
			require.NoError(t, os.WriteFile(mapping, []byte(draft), 0o600))
			code, out, errs := run(t, "", "check", "-f", "csv", "--map", mapping, export)
			if strings.Contains(draft, `field: ""`) || strings.Contains(draft, `value: ""}`) {
				// A column or choice left TODO: the draft cannot be used
				// until a person says what it holds.
				assert.Equal(t, 2, code)
				assert.Contains(t, errs, "fill in")
			} else {
				// Only answers left TODO: they are flagged, never read as
				// harmless: a row gets its own verdict, or one more severe
				// for the answer it flags.
				assert.Equal(t, 1, code, errs)
				flagged := 0
				for _, r := range csvRows(t, out)[1:] {
					if want := formVerdicts[r[0][len(r[0])-3:]]; r[2] != want {
						assert.Contains(t, r[3], "answer-invalid", r)
						assert.Greater(t, rules.Level(r[2]).Severity(), rules.Level(want).Severity(), r)
						flagged++
					}
				}
				if strings.Contains(draft, `: ""  (`) {
					assert.Positive(t, flagged, "the answers left TODO are flagged")
				}
			}
			filled := fill(t, draft, tt.fills, tt.choices)
			require.NoError(t, os.WriteFile(mapping, []byte(filled), 0o600))
			_, out, errs = run(t, "", "check", "-f", "csv", "--map", mapping, export)
			assert.NotContains(t, errs, "warning", "every column is mapped or ignored")
			rows := csvRows(t, out)
			require.NotEmpty(t, rows, errs)
			want := map[string]string{}
			for k, v := range formVerdicts {
				want[k] = v
			}
			for k, v := range tt.extra {
				want[k] = v
			}
			got := map[string]string{}
			for _, r := range rows[1:] {
				id := r[0]
				got[id[strings.LastIndexByte(id, '-')+1:]] = r[2] + " " + r[3]
			}
			require.Len(t, got, len(want), out)
			for id, v := range want {
				assert.True(t, strings.HasPrefix(got[id], v+" "), "patient %s: got %q, want %s\n%s", id, got[id], v, filled)
			}
		})
	}
}

func csvRows(t *testing.T, out string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	return rows
}
