package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandoutGolden writes the patient handout and the prescriber letter
// as HTML from saved records, and compares them with the golden files.
func TestHandoutGolden(t *testing.T) {
	c := newCourse(t)
	cleared := c.path("MS-1001.json")
	require.Equal(t, 1, c.run(0, typedAnswers("patient_id", "MS-1001", "blood_thinners", "1", "blood_thinner_name", "2", "goal", "6"),
		"interview", "--accessible", "--save", cleared, "--clinician", "anna").code)
	r := c.run(1, "", "clear", cleared, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr A. Ruiz")
	require.Equal(t, 0, r.code, r.err)
	pending := c.path("MS-1004.json")
	require.Equal(t, 1, c.run(0, typedAnswers("patient_id", "MS-1004", "blood_thinners", "1", "blood_thinner_name", "1", "medications", "Eliquis 5 mg twice a day"),
		"interview", "--accessible", "--save", pending).code)

	tests := []struct {
		name, record string
		args         []string
	}{
		{"patient", cleared, []string{"--start", "2026-03-10", "--every", "1w"}},
		{"letter", pending, []string{"--for", "prescriber"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := c.path(tc.name + ".html")
			r := c.run(1, "", append([]string{"handout", tc.record, "-o", out, "--at", "2026-03-04"}, tc.args...)...)
			require.Equal(t, 0, r.code, r.err)
			st, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			assertGolden(t, filepath.Join("..", "..", "testdata", "handout", tc.name+".html.golden"), string(c.read(tc.name+".html")))
		})
	}
}

func TestHandoutCommand(t *testing.T) {
	c := newCourse(t)
	rec := c.path("MS-1001.json")
	require.Equal(t, 0, c.run(0, typedAnswers("patient_id", "MS-1001"), "interview", "--accessible", "--save", rec).code)

	pdf := c.path("handout.pdf")
	r := c.run(0, "", "handout", rec, "-o", pdf)
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.err, "wrote the handout for MS-1001 (ELIGIBLE) to "+pdf)
	assert.Equal(t, "%PDF-", string(c.read("handout.pdf")[:5]), "a PDF by default")

	r = c.run(0, "", "handout", rec, "-o", pdf)
	assert.Equal(t, 2, r.code, "an existing file is kept")
	assert.Contains(t, r.err, "the file already exists; use --force to replace it")
	assert.Equal(t, 0, c.run(0, "", "handout", rec, "-o", pdf, "--force").code)

	r = c.run(0, "", "handout", rec, "--for", "prescriber", "-o", c.path("letter.pdf"))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "no finding of this record needs a prescriber's decision")
	_, err := os.Stat(c.path("letter.pdf"))
	assert.ErrorIs(t, err, os.ErrNotExist, "no letter is written")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"handout", rec}, "-o FILE is required"},
		{[]string{"handout", rec, "-o", c.path("x.pdf"), "--start", "2026-03-10"}, "--start and --every go together"},
		{[]string{"handout", rec, "-o", c.path("x.pdf"), "--start", "2026-03-10", "--every", "weekly"}, `--every "weekly": expected days or weeks`},
		{[]string{"handout", rec, "-o", c.path("x.pdf"), "--for", "nurse"}, `--for "nurse" is not one of patient, prescriber`},
		// The first session is not before the handout's date, nor before
		// the screening (day 0, 2026-03-03).
		{[]string{"handout", rec, "-o", c.path("x.pdf"), "--at", "2026-03-05", "--start", "2026-03-04", "--every", "1w"},
			"--start 2026-03-04 is before the handout's date, 2026-03-05: the first session is on that day or later"},
		{[]string{"handout", rec, "-o", c.path("x.pdf"), "--at", "2026-03-01", "--start", "2026-03-02", "--every", "1w"},
			"--start 2026-03-02 is before the patient was screened, on 2026-03-03: the first session is on that day or later"},
	} {
		r := c.run(0, "", tc.args...)
		assert.Equal(t, 2, r.code, tc.args)
		assert.Contains(t, r.err, tc.want)
	}

	// The first session may be on the handout's day, or the screening's.
	r = c.run(0, "", "handout", rec, "-o", c.path("today.html"), "--at", "2026-03-03", "--start", "2026-03-03", "--every", "1w")
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, string(c.read("today.html")), "Tuesday 3 March 2026")
	_, err = os.Stat(c.path("x.pdf"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written for a refused --start")

	// The interview writes it at the end.
	out := c.path("interview.html")
	r = c.run(0, typedAnswers("patient_id", "MS-1005", "active_infection", "1"), "interview", "--accessible", "--handout", out)
	require.Equal(t, 1, r.code, r.err)
	page := string(c.read("interview.html"))
	assert.Contains(t, page, "Your treatment has to wait for now.")
	assert.NotContains(t, page, "After each session", "no aftercare for a deferred patient")
}

// TestHandoutGoldenByFinding writes the patient handout for the findings
// whose words depend on the finding, in each language: a
// reason and a next step that fit the finding, and nothing about a
// session for a patient who will not have one.
func TestHandoutGoldenByFinding(t *testing.T) {
	c := newCourse(t)
	records := []struct {
		name    string
		answers string
		at      string
	}{
		{"pregnancy-unsure", typedAnswers("patient_id", "MS-1101", "pregnant", "3"), "2026-03-04"},
		{"allergy", typedAnswers("patient_id", "MS-1102", "allergies", "1", "allergy_details", "hives after lidocaine cream"), "2026-03-04"},
		{"stale", typedAnswers("patient_id", "MS-1103"), "2026-04-20"},
		{"not-eligible", typedAnswers("patient_id", "MS-1104", "pregnant", "1"), "2026-03-04"},
		{"defer", typedAnswers("patient_id", "MS-1105", "active_infection", "1"), "2026-03-04"},
	}
	for _, rec := range records {
		path := c.path(rec.name + ".json")
		r := c.run(0, rec.answers, "interview", "--accessible", "--save", path)
		require.Contains(t, []int{0, 1}, r.code, r.err)
		for _, lang := range []string{"en", "es", "fr"} {
			t.Run(rec.name+"/"+lang, func(t *testing.T) {
				out := c.path(rec.name + "-" + lang + ".html")
				r := c.run(1, "", "handout", path, "-o", out, "--at", rec.at, "--lang", lang)
				require.Equal(t, 0, r.code, r.err)
				assertGolden(t, filepath.Join("..", "..", "testdata", "handout", rec.name+"."+lang+".html.golden"), string(c.read(rec.name+"-"+lang+".html")))
			})
		}
	}
}
