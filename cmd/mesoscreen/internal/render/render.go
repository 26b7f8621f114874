// Package render writes screening results for people and programs: text
// and tables for a terminal, CSV, JSON and JSON Lines for other tools, and
// the verdict screen that ends an interview.
package render

import (
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// Writer writes results as they come, in one output format. Close ends
// the output (a JSON array's closing bracket, a table's last rows).
type Writer interface {
	Write(screening.Result) error
	Close() error
}

// Formats are the output formats of New.
var Formats = []string{"table", "text", "csv", "json", "jsonl"}

// Options shape the human formats (text and table); the others ignore them.
type Options struct {
	// Details adds the instructions and the course of treatment.
	Details bool
	// Width is the terminal's width in columns; 0 when unknown or not a
	// terminal, and text is then not wrapped.
	Width int
	// Color colours the verdicts, for a terminal that wants colour.
	Color bool
	// RuleSet, in the language of the results, names the sources the
	// findings cite; nil says them by their ids.
	RuleSet *rules.RuleSet
}

// New returns the writer of one output format.
func New(format string, w io.Writer, o Options) Writer {
	switch format {
	case "json":
		return &jsonArrayWriter{w: w}
	case "jsonl":
		return &jsonLinesWriter{enc: json.NewEncoder(w)}
	case "csv":
		return newCSVWriter(w)
	case "table":
		return &tableWriter{w: w, o: o}
	}
	return &textWriter{w: w, o: o}
}

// NeedsInstructions reports whether a format shows the instructions, so
// that a screener need not work them out for one that does not.
func NeedsInstructions(format string, o Options) bool {
	switch format {
	case "csv":
		return false
	case "table", "text":
		return o.Details
	}
	return true
}

// jsonLinesWriter writes a JSON object per result, one a line.
type jsonLinesWriter struct{ enc *json.Encoder }

func (j *jsonLinesWriter) Write(r screening.Result) error { return j.enc.Encode(r) }
func (j *jsonLinesWriter) Close() error                   { return nil }

// jsonArrayWriter streams an indented JSON array.
type jsonArrayWriter struct {
	w io.Writer
	n int
}

func (j *jsonArrayWriter) Write(r screening.Result) error {
	b, err := json.MarshalIndent(r, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, b)
	return err
}

func (j *jsonArrayWriter) Close() error {
	if j.n == 0 {
		_, err := io.WriteString(j.w, "[]\n")
		return err
	}
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}

// VerdictWords says a verdict in capitals, for a reader who skims.
func VerdictWords(l rules.Level) string { return verdictWords(nil, l) }

// verdictWords is VerdictWords in the printer's language.
func verdictWords(tr *i18n.Printer, l rules.Level) string {
	switch l {
	case rules.Eligible:
		return tr.T("ELIGIBLE")
	case rules.EligibleWithPrecautions:
		return tr.T("ELIGIBLE WITH PRECAUTIONS")
	case rules.NeedsReview:
		return tr.T("NEEDS REVIEW")
	case rules.Defer:
		return tr.T("DEFER")
	case rules.NotEligible:
		return tr.T("NOT ELIGIBLE")
	}
	return strings.ToUpper(string(l))
}

// printer says the program's words in the language of a result.
func printer(r screening.Result) *i18n.Printer { return i18n.For(r.Lang) }

// verdictColor is the colour of a verdict; the words carry the meaning,
// the colour only helps.
func verdictColor(l rules.Level) color.Color {
	switch l {
	case rules.Eligible:
		return lipgloss.Green
	case rules.EligibleWithPrecautions:
		return lipgloss.Cyan
	case rules.NeedsReview:
		return lipgloss.Yellow
	case rules.Defer:
		return lipgloss.Magenta
	}
	return lipgloss.Red
}

// writeMedications shows the medication list as the patient wrote it, in
// quotes and with its line breaks escaped, beside what was recognised in
// it.
func writeMedications(b *strings.Builder, r screening.Result, width int) {
	tr := printer(r)
	written, recognised := tr.T("Medications as written"), tr.T("Recognised")
	if strings.TrimSpace(r.MedicationsWritten) == "" {
		fmt.Fprintf(b, "  %s: %s\n", written, tr.T("none"))
		return
	}
	fmt.Fprintf(b, "  %s: %s\n", written, hang(Printable(strconv.Quote(r.MedicationsWritten)), 4+len([]rune(written)), 4, width))
	if len(r.Medications) == 0 {
		fmt.Fprintf(b, "  %s: %s\n", recognised, tr.T("none"))
		return
	}
	names := make([]string, len(r.Medications))
	for i, m := range r.Medications {
		names[i] = m.Describe()
	}
	fmt.Fprintf(b, "  %s: %s\n", recognised, hang(Printable(strings.Join(names, "; ")), 4+len([]rune(recognised)), 4, width))
}

// paint styles s with the colour of level l when colour is wanted; the
// levels that stop treatment are bold as well.
func paint(on bool, l rules.Level, s string) string {
	if !on {
		return s
	}
	st := lipgloss.NewStyle().Foreground(verdictColor(l))
	if !l.AllowsTreatment() {
		st = st.Bold(true)
	}
	return st.Render(s)
}

// hang wraps s to width with a hanging indent: the first line follows
// what is already on it (first columns), the others start at indent. A
// width of 0 does not wrap.
func hang(s string, first, indent, width int) string {
	if width <= 0 || width-indent < 20 {
		return s
	}
	lines := strings.Split(ansi.Wordwrap(s, width-max(first, indent), ""), "\n")
	if first < indent && len(lines) > 1 {
		// The first line has more room: wrap again from what is left.
		head := ansi.Wordwrap(s, width-first, "")
		firstLine, _, _ := strings.Cut(head, "\n")
		rest := strings.TrimLeft(strings.TrimPrefix(s, firstLine), " ")
		lines = append([]string{firstLine}, strings.Split(ansi.Wordwrap(rest, width-indent, ""), "\n")...)
	}
	pad := strings.Repeat(" ", indent)
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

// instructionsNote says when the instructions of a result apply: not at
// all, or only once someone has cleared the patient. It is "" when they
// apply as they are.
func instructionsNote(r screening.Result) string {
	tr := printer(r)
	switch {
	case len(r.PreTreatment)+len(r.Aftercare)+len(r.Course) == 0:
		return tr.T("No instructions: the verdict does not allow treatment.")
	case !r.Verdict.AllowsTreatment():
		return tr.T("These instructions apply once the patient has been cleared for treatment.")
	}
	return ""
}

// courseLines are the steps of the course of treatment, each with its
// sources, named as rs names them.
func courseLines(r screening.Result, rs *rules.RuleSet) []string {
	steps := make([]string, len(r.Course))
	for i, s := range r.Course {
		steps[i] = s.Text
		if s.Source != "" {
			steps[i] += " [" + screening.SourceNames(s.Source, rs, r.Lang) + "]"
		}
	}
	return steps
}

// writeInstructions writes the instructions of a result under a record,
// indented by two, wrapped to width.
func writeInstructions(b *strings.Builder, r screening.Result, rs *rules.RuleSet, width int) {
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(b, "  %s:\n", title)
		for _, it := range items {
			fmt.Fprintf(b, "    - %s\n", hang(Printable(it), 6, 6, width))
		}
	}
	if note := instructionsNote(r); note != "" {
		fmt.Fprintf(b, "  %s\n", hang(note, 2, 2, width))
	}
	tr := printer(r)
	section(tr.T("Before treatment"), r.PreTreatment)
	section(tr.T("Aftercare"), r.Aftercare)
	section(tr.T("Course of treatment"), courseLines(r, rs))
}
