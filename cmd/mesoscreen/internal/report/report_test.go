package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/report"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

var update = flag.Bool("update", false, "rewrite the golden file")

func result(verdict rules.Level, findings ...screening.Finding) screening.Result {
	return screening.Result{Verdict: verdict, Findings: findings, Source: "x.csv:2"}
}

// The page as rendered, for review: testdata/report/page.html.golden
// (go test -update rewrites it).
func TestPageGolden(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	r := report.New(rs, func(field string) []string {
		if field == "allergies" {
			return []string{"Any reaction to an injection or numbing cream?"}
		}
		return []string{field}
	})
	r.When = time.Date(2026, 11, 24, 17, 30, 0, 0, time.UTC)
	r.Add(result(rules.Eligible))
	r.Add(result(rules.NeedsReview,
		screening.Finding{Rule: screening.RuleMissing, Field: "allergies", Level: rules.NeedsReview},
		screening.Finding{Rule: screening.RuleInvalid, Field: "goal", Value: "Fat reduction", Level: rules.NeedsReview},
		screening.Finding{Rule: screening.RuleInvalid, Field: "medications", Value: "a free text never shown", Level: rules.NeedsReview}))
	r.Add(result(rules.NotEligible, screening.Finding{Rule: "pregnant", Level: rules.NotEligible},
		screening.Finding{Rule: screening.RuleUnsure, Field: "allergies", Value: "not sure", Level: rules.NeedsReview}))
	r.Add(screening.Unreadable(rs, "x.csv:5", assert.AnError))
	r.AddFile(report.File{Name: "x.csv", Format: "csv", Encoding: "UTF-8", Delimiter: ",", Records: 4, Ignored: []string{"Favourite colour"}, HeaderRows: 2, BlankRows: 1})
	var b bytes.Buffer
	require.NoError(t, r.Write(&b))
	got := b.String()
	assert.Contains(t, got, "<q>a 13-character text that is not one of its choices</q> ×1")
	assert.NotContains(t, got, "Fat reduction", "an unreadable answer is said by its length and kind")
	assert.NotContains(t, got, "a free text never shown", "a text answer is never shown")
	assert.Contains(t, got, "<b>allergies</b> is not usable in <b>67%</b> of the records read")

	// The rule set's digest changes with every edit of it, which is no
	// change of the page.
	got = strings.ReplaceAll(got, rs.SHA256, "RULE-SET-SHA256")
	path := filepath.Join("..", "..", "..", "..", "testdata", "report", "page.html.golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing; run go test -update")
	assert.Equal(t, string(want), got)
}
