package intake_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// tableColumns are the default rule set's always-asked fields, as a
// canonical CSV's header.
var tableColumns = []string{"patient_id", "age", "treatment_areas", "goal", "pregnant", "breastfeeding", "clotting_disorder", "blood_clots", "stroke",
	"blood_thinners", "recent_cancer", "diabetes", "heart_medications", "active_infection", "skin_condition", "allergies", "medications"}

// tableRow is a healthy adult's cells under tableColumns; pregnant when
// asked.
func tableRow(id string, pregnant bool) []string {
	preg := "no"
	if pregnant {
		preg = "yes"
	}
	return []string{id, "34", "face", "pores", preg, "no", "no", "no", "no", "no", "no", "none", "0", "no", "no", "no", "retinol cream"}
}

// swallowing writes a table whose row of patient "A-1" opens a quote in
// column m and leaves it open: the next swallow rows are read into that
// cell, which the last of them closes right after its own cell m, so
// that the cells still add up. Then a last row, "Z-9", read as usual.
// The swallowed rows are pregnant. It returns the file and the line of
// each swallowed row.
func swallowing(delim, eol string, m, swallow int) (string, []int) {
	d := delim
	var b strings.Builder
	b.WriteString(strings.Join(tableColumns, d) + eol)
	a := tableRow("A-1", false)
	b.WriteString(strings.Join(a[:m], d))
	if m > 0 {
		b.WriteString(d)
	}
	b.WriteString(`"` + strings.Join(a[m:], d) + eol)
	var lines []int
	for k := range swallow {
		row := tableRow(fmt.Sprintf("B-%d", k+2), true)
		lines = append(lines, 3+k)
		if k < swallow-1 {
			b.WriteString(strings.Join(row, d) + eol)
			continue
		}
		b.WriteString(strings.Join(row[:m+1], d) + `"`)
		if m+1 < len(row) {
			b.WriteString(d + strings.Join(row[m+1:], d))
		}
		b.WriteString(eol)
	}
	b.WriteString(strings.Join(tableRow("Z-9", false), d) + eol)
	return b.String(), lines
}

// A quoted cell left open that swallows the rows after it, legally (the
// cells add up), is a fact of its record: the lines it swallowed and the
// patient ids they give. Generated over the delimiters, the line ends,
// every column the quote may open in, and one to three swallowed rows;
// each such record is screened needs_review or worse, and the row after
// is read as usual.
func TestCSVQuoteSwallowsRows(t *testing.T) {
	rs := defaultRules(t)
	n := 0
	for _, delim := range []string{",", ";", "\t"} {
		for _, eol := range []string{"\n", "\r\n"} {
			for m := range tableColumns {
				for swallow := 1; swallow <= 3; swallow++ {
					in, lines := swallowing(delim, eol, m, swallow)
					name := fmt.Sprintf("delim %q, eol %q, column %s, %d rows", delim, eol, tableColumns[m], swallow)
					recs := openRecords(t, rs, in)
					require.Len(t, recs, 2, "%s: the swallowed rows are no records of their own\n%s", name, in)
					rec := recs[0]
					assert.Equal(t, "t.csv:2", rec.Source, name)
					require.NoError(t, rec.Err, name)
					require.NotNil(t, rec.Facts.Table, name)
					require.Len(t, rec.Facts.Table.RunsOn, 1, name)
					ro := rec.Facts.Table.RunsOn[0]
					assert.Equal(t, tableColumns[m], ro.Field, name)
					assert.Equal(t, lines, ro.Lines, name)
					var ids []string
					for k := range swallow {
						ids = append(ids, fmt.Sprintf("B-%d", k+2))
					}
					assert.Equal(t, ids, ro.IDs, name)
					res := screen(rs, rec)
					assert.GreaterOrEqual(t, res.Verdict.Severity(), rules.NeedsReview.Severity(), name)
					assert.Contains(t, ruleIDs(res), screening.RuleRowSwallowed, name)
					assert.Contains(t, findingOf(res, screening.RuleRowSwallowed).Message, `"B-2"`, name)

					assert.Equal(t, fmt.Sprintf("t.csv:%d", 3+swallow), recs[1].Source, name)
					assert.Nil(t, recs[1].Facts.Table, name)
					assert.Equal(t, rules.EligibleWithPrecautions, screen(rs, recs[1]).Verdict, name)
					n++
				}
			}
		}
	}
	t.Logf("%d tables with a quote left open", n)
}

// A cell over several lines that does not hold a row's worth of
// delimiters on any of them is a cell, not a swallowed row: no fact.
func TestCSVMultilineCellIsNoSwallowedRow(t *testing.T) {
	rs := defaultRules(t)
	for _, delim := range []string{",", ";", "\t"} {
		for fewer := 1; fewer <= len(tableColumns)-1; fewer++ {
			cells := strings.Repeat("x"+delim, len(tableColumns)-1-fewer)
			row := tableRow("A-1", false)
			row[16] = `"aspirin` + "\n" + cells + `warfarin"`
			in := strings.Join(tableColumns, delim) + "\n" + strings.Join(row, delim) + "\n"
			recs := openRecords(t, rs, in)
			require.Len(t, recs, 1)
			assert.Nil(t, recs[0].Facts.Table, "%q with %d delimiters on its second line", delim, len(tableColumns)-1-fewer)
		}
	}
}

func openRecords(t *testing.T, rs *rules.RuleSet, in string) []intake.Record {
	t.Helper()
	input, err := intake.Open("t.csv", strings.NewReader(in), intake.Options{RuleSet: rs})
	require.NoError(t, err)
	return collect(t, input.Records())
}

func findingOf(res screening.Result, rule string) screening.Finding {
	for _, f := range res.Findings {
		if f.Rule == rule {
			return f
		}
	}
	return screening.Finding{}
}
