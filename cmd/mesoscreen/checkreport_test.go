package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// htmlPage is a parsed report.
type htmlPage struct{ root *html.Node }

func parseReport(t *testing.T, path string) htmlPage {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	root, err := html.Parse(f)
	require.NoError(t, err)
	return htmlPage{root}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// all returns the elements for which match holds, in document order.
func (p htmlPage) all(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range p.root.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

// byAttr maps the value of key to each element that has it.
func (p htmlPage) byAttr(key string) map[string]*html.Node {
	out := map[string]*html.Node{}
	for _, n := range p.all(func(n *html.Node) bool { _, ok := attr(n, key); return ok }) {
		v, _ := attr(n, key)
		out[v] = n
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data + " ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// cell returns the text of the first element under n with class c.
func cell(n *html.Node, c string) string {
	for d := range n.Descendants() {
		if cl, _ := attr(d, "class"); d.Type == html.ElementNode && strings.Contains(" "+cl+" ", " "+c+" ") {
			return text(d)
		}
	}
	return ""
}

func number(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.Fields(s)[0])
	require.NoError(t, err, s)
	return n
}

// tally counts the results as the report must show them.
type tally struct {
	verdicts, rules                        map[string]int
	missing, unsure, unreadable, notUsable map[string]int
	read                                   int
}

func tallyOf(results []screening.Result) tally {
	tl := tally{verdicts: map[string]int{}, rules: map[string]int{}, missing: map[string]int{}, unsure: map[string]int{}, unreadable: map[string]int{}, notUsable: map[string]int{}}
	for _, r := range results {
		tl.verdicts[string(r.Verdict)]++
		read := true
		for _, f := range r.Findings {
			tl.rules[f.Rule]++
			switch f.Rule {
			case "record-unreadable":
				read = false
			case "answer-missing":
				tl.missing[f.Field]++
			case "answer-unsure":
				tl.unsure[f.Field]++
			case "answer-invalid", "answer-out-of-range":
				tl.unreadable[f.Field]++
			}
			if strings.HasPrefix(f.Rule, "answer-") {
				tl.notUsable[f.Field]++
			}
		}
		if read {
			tl.read++
		}
	}
	return tl
}

// The report's numbers are the results' numbers: run check with --report
// and with --format json, and compare, verdict by verdict, rule by rule
// and question by question; each question names its form column.
func TestCheckReport(t *testing.T) {
	dir := t.TempDir()
	// The Microsoft Forms export, with its draft's TODO column filled and
	// its TODO answers left: they show up as unreadable.
	export := repoFile("forms", "microsoft-forms.csv")
	_, draft, _ := run(t, "", "template", "mapping", export)
	mapping := filepath.Join(dir, "mapping.yaml")
	require.NoError(t, os.WriteFile(mapping, []byte(fill(t, draft, []fillIn{{header: "How many medicines do you take for your heart?", field: "heart_medications"}}, nil)), 0o600))
	broken := filepath.Join(dir, "broken.csv")
	b, err := os.ReadFile(export)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(broken, append(b, []byte("15,a,b\r\n")...), 0o600))

	reportPath := filepath.Join(dir, "report.html")
	code, out, errs := run(t, "", "check", "-f", "json", "--map", mapping, "--report", reportPath, export, broken)
	require.Equal(t, 1, code, errs)
	var results []screening.Result
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	require.Len(t, results, 29)
	st, err := os.Stat(reportPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	tl := tallyOf(results)
	require.Positive(t, tl.missing["allergies"], "the fixture skips a question")
	require.Positive(t, tl.unsure["pregnant"])
	require.Positive(t, tl.unreadable["treatment_areas"])
	p := parseReport(t, reportPath)

	ids := p.byAttr("id")
	assert.Equal(t, "29", cell(ids["total"], "count"))
	assert.Equal(t, strconv.Itoa(tl.read), cell(ids["read"], "count"))
	assert.Equal(t, "1", cell(ids["unreadable-records"], "count"))
	assert.Equal(t, "14", cell(ids["duplicates"], "count"), "the second file repeats the first's patients")
	for v, n := range p.byAttr("data-verdict") {
		c, _ := attr(n, "data-count")
		assert.Equal(t, strconv.Itoa(tl.verdicts[v]), c, v)
	}
	rs := p.byAttr("data-rule")
	ruleSet, err := rules.Default()
	require.NoError(t, err)
	require.Len(t, rs, len(ruleSet.Rules), "every rule of the rule set, fired or not")
	for id, n := range rs {
		c, _ := attr(n, "data-count")
		assert.Equal(t, strconv.Itoa(tl.rules[id]), c, id)
	}
	qs := p.byAttr("data-question")
	intakeQuestions := 0
	for _, q := range ruleSet.Questions {
		if q.Recheck != "only" {
			intakeQuestions++
		}
	}
	require.Len(t, qs, intakeQuestions, "every question of an intake form")
	for id, n := range qs {
		assert.Equal(t, tl.missing[id], number(t, cell(n, "missing-count")), "%s missing", id)
		assert.Equal(t, tl.unsure[id], number(t, cell(n, "unsure-count")), "%s unsure", id)
		assert.Equal(t, tl.unreadable[id], number(t, cell(n, "unreadable-count")), "%s unreadable", id)
	}
	assert.Contains(t, text(qs["allergies"]), "Have you ever reacted badly to an injection or a numbing cream?", "the form column")
	assert.Contains(t, text(qs["heart_medications"]), "How many medicines do you take for your heart?")
	assert.Contains(t, text(qs["treatment_areas"]), `a 5-character text that is not a list of its choices ×2`, "what the form gets wrong, without the words")
	assert.Equal(t, "7.1%", cell(qs["allergies"], "percent"), "1 of the 14 records read")
	assert.Contains(t, text(ids["fix-first"]), "goal is not usable in 29% of the records read (0 missing, 0 unsure, 8 unreadable); form column Main reason for treatment")

	files := p.byAttr("data-file")
	require.Len(t, files, 2)
	row := text(files[export])
	assert.Contains(t, row, "UTF-8 with byte order mark")
	assert.Equal(t, "14", cell(files[export], "records"))
	assert.Equal(t, "15", cell(files[broken], "records"))
	assert.Contains(t, text(ids["unreadable"]), broken+":16")

	// One page that needs nothing from the network.
	page, err := os.ReadFile(reportPath)
	require.NoError(t, err)
	assert.Empty(t, p.all(func(n *html.Node) bool {
		return n.Data == "script" || n.Data == "link" || n.Data == "img" || n.Data == "iframe"
	}))
	for _, n := range p.all(func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			assert.NotContains(t, a.Val, "http", "<%s %s>", n.Data, a.Key)
		}
	}
	assert.NotContains(t, string(page), "@import")
	assert.NotContains(t, string(page), "url(")
	// No patient's chart number or medicines are in it.
	assert.NotContains(t, string(page), "MS-1")
	assert.NotContains(t, string(page), "bisoprolol")
}

// Without a mapping, a field's column is its id (a CSV column, a JSON key,
// a FHIR linkId), and each file shows how it was read.
func TestCheckReportFormats(t *testing.T) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "r.html")
	lhc := repoFile("fhir", "lhc-forms", "LF-101.json")
	code, _, errs := run(t, "", "check", "-q", "--report", reportPath, repoFile("forms", "patients.jsonl"), lhc, repoFile("batch", "patients-excel.csv"))
	require.Equal(t, 1, code, errs)
	p := parseReport(t, reportPath)
	files := p.byAttr("data-file")
	require.Len(t, files, 3)
	assert.Contains(t, text(files[repoFile("forms", "patients.jsonl")]), "json UTF-8 none 14")
	assert.Contains(t, text(files[lhc]), "fhir")
	excel := text(files[repoFile("batch", "patients-excel.csv")])
	assert.Contains(t, excel, "csv UTF-8 with byte order mark ; 20")
	assert.Equal(t, "allergies", cell(p.byAttr("data-question")["allergies"], "col"))

	for _, args := range [][]string{
		{"check", "--report", repoFile("forms", "patients.jsonl"), repoFile("forms", "patients.jsonl")},
		{"check", "--report", filepath.Join(dir, "x.html"), "--output", filepath.Join(dir, "x.html"), repoFile("forms", "patients.jsonl")},
	} {
		code, _, errs := run(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errs, "--", args)
	}
}

// --report - writes the report to stdout, as -o - writes the results, and
// only when the results go to a file: two documents on one stream would
// be neither. No file named "-" is left behind.
func TestCheckReportToStdout(t *testing.T) {
	in, err := filepath.Abs(repoFile("examples", "intakes.csv"))
	require.NoError(t, err)
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"-", "/dev/stdout"} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := run(t, "", "check", "-q", "--report", name, in)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			assert.Contains(t, errs, "--report "+name+" writes the report to stdout, where the results go too; give the results a file with -o FILE")

			results := filepath.Join(dir, "results-"+filepath.Base(name)+".json")
			code, out, errs = run(t, "", "check", "-q", "--report", name, "-o", results, in)
			require.Equal(t, 1, code, errs)
			assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"), out[:min(len(out), 80)])
			assert.Contains(t, out, "Intake data quality: 8 records")
			var res []screening.Result
			b, err := os.ReadFile(results)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &res))
			assert.Len(t, res, 8)
		})
	}
	_, err = os.Stat(filepath.Join(dir, "-"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}
