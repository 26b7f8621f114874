package handout

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// inputIn is input in language lang, for a clinic that gives every way
// to reply: the longest letter header a clinic can have.
func inputIn(t *testing.T, lang string, answers map[string]any) Input {
	t.Helper()
	def, err := rules.Default()
	require.NoError(t, err)
	rs, err := def.In(lang)
	require.NoError(t, err)
	a := screening.Parse(rs, answers)
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	c := clinic
	c.Address, c.Email, c.Fax = "12 rue de la Paix, 75002 Paris", "accueil@clinique-lumiere.example", "+33 1 42 00 00 01"
	return Input{Result: screening.NewScreener(rs, screening.Options{}).Evaluate(a), Answers: a, RuleSet: rs,
		Clinic: c, Date: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), Sessions: Sessions(start, 7*24*time.Hour, 6)}
}

var rePage = regexp.MustCompile(`/Type /Page\b[^s]`)

// pdfPages counts the sheets of a PDF that fpdf wrote.
func pdfPages(pdf []byte) int { return len(rePage.FindAll(pdf, -1)) }

// pdfLines is the text of an uncompressed PDF, a line for each string
// shown: what a reader sees, in the order it is drawn.
func pdfLines(t *testing.T, pdf []byte) string {
	t.Helper()
	var b strings.Builder
	for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`).FindAll(pdf, -1) {
		b.WriteString(pdfText(t, m) + "\n")
	}
	return b.String()
}

func assertGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run the test with -update to write %s", path)
	assert.Equal(t, string(want), got, "%s differs; run with -update and read the diff", path)
}

// TestPDFGolden writes the handouts whose words depend on the finding, and
// the prescriber letter, as PDF in each language, and compares the text
// they show with golden files. Each letter is one sheet: it is faxed or
// posted back, and a second sheet would carry the signature and the
// return address away from the reply.
func TestPDFGolden(t *testing.T) {
	cases := []struct {
		name    string
		answers map[string]any
		letters bool
		stale   bool // the record is older than a screening holds
	}{
		{"pregnancy-unsure", with("pregnant", "unsure"), false, false},
		{"allergy", with("allergies", "yes", "allergy_details", "hives after lidocaine cream"), false, false},
		{"stale", with(), false, true},
		{"not-eligible", with("pregnant", "yes"), false, false},
		{"defer", with("active_infection", "yes"), false, false},
		{"letter", with("blood_thinners", "yes", "blood_thinner_name", "apixaban", "heart_medications", 1,
			"medications", "Eliquis 5 mg twice a day, bisoprolol 2.5 mg every morning, fish oil"), true, false},
	}
	for _, tc := range cases {
		for _, lang := range []string{"en", "es", "fr"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				in := inputIn(t, lang, tc.answers)
				if tc.stale {
					// As "handout" finds a saved record that is too old (the
					// command's own golden files take that path).
					in.Result.Findings = append(in.Result.Findings, screening.Finding{Rule: screening.RuleRescreenDue, Level: rules.NeedsReview,
						Message: "screened 45 days ago, more than the 30 days a screening holds; re-screen before treatment"})
					in.Result.Verdict = rules.NeedsReview
				}
				var pages []Page
				if tc.letters {
					var err error
					pages, err = Letters(in)
					require.NoError(t, err)
					require.Len(t, pages, 2, "a letter for the blood thinner and one for the heart medicine")
				} else {
					p, err := Patient(in)
					require.NoError(t, err)
					pages = []Page{p}
				}
				var pdf bytes.Buffer
				require.NoError(t, writePDF(&pdf, pages, in.Date, false))
				if tc.letters {
					assert.Equal(t, len(pages), pdfPages(pdf.Bytes()), "each letter on one sheet")
					// Printed from the browser too: its print style is the
					// one-sheet one (a print of the HTML, measured by hand
					// in Chromium, is one A4 sheet a letter).
					var h bytes.Buffer
					require.NoError(t, HTML(&h, lang, pages))
					assert.Equal(t, len(pages), strings.Count(h.String(), `<article class="page one-sheet">`))
				}
				assertGolden(t, filepath.Join("..", "..", "..", "..", "testdata", "handout", tc.name+"."+lang+".pdf.golden"), pdfLines(t, pdf.Bytes()))
			})
		}
	}
}

// TestLetterFitsOnePage makes a letter longer, a sentence at a time, and
// counts its sheets: it stays on one until the type would be too small to
// read, and then runs on rather than cut anything.
func TestLetterFitsOnePage(t *testing.T) {
	in := inputIn(t, "fr", with("blood_thinners", "yes", "blood_thinner_name", "apixaban", "medications", "Eliquis 5 mg"))
	pages, err := Letters(in)
	require.NoError(t, err)
	require.Len(t, pages, 1)
	long := pages[0]
	var sheets []int
	for extra := 0; extra <= 40; extra += 10 {
		p := long
		p.Blocks = append([]Block{}, long.Blocks...)
		p.Blocks = append(p.Blocks, Block{Text: []string{strings.Repeat("Une phrase de plus pour allonger la lettre. ", extra)}})
		var pdf bytes.Buffer
		require.NoError(t, writePDF(&pdf, []Page{p}, in.Date, false))
		sheets = append(sheets, pdfPages(pdf.Bytes()))
		if extra > 0 {
			assert.Contains(t, pdfText(t, pdf.Bytes()), "Une phrase de plus pour allonger la lettre.", "nothing is cut")
			assert.Contains(t, pdfText(t, pdf.Bytes()), "Merci de renvoyer cette lettre", "nothing is cut")
		}
	}
	assert.Equal(t, 1, sheets[0], "the letter itself fits")
	assert.Equal(t, 1, sheets[1], "a few lines more fit in smaller type")
	assert.Greater(t, sheets[len(sheets)-1], 1, "a letter too long for the smallest type runs on")
}
