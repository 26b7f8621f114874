// Package render writes screening results for people and programs: text
// and tables for a terminal, CSV, JSON and JSON Lines for other tools, and
// the verdict screen that ends an interview.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Writer writes results as they come, in one output format. Close ends
// the output (a JSON array's closing bracket, a table's last rows).
type Writer interface {
	Write(screening.Result) error
	Close() error
}

// Formats are the output formats of New.
var Formats = []string{"table", "text", "csv", "json", "jsonl"}

// New returns the writer of one output format. details adds the
// instructions to text output; width is the terminal's width for the
// table, 0 when unknown.
func New(format string, w io.Writer, details bool, width int) Writer {
	switch format {
	case "json":
		return &jsonArrayWriter{w: w}
	case "jsonl":
		return &jsonLinesWriter{enc: json.NewEncoder(w)}
	case "csv":
		return newCSVWriter(w)
	case "table":
		return &tableWriter{w: w, width: width}
	}
	return &textWriter{w: w, details: details}
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

// textWriter writes a block per record: the verdict, then each finding.
type textWriter struct {
	w       io.Writer
	details bool
	n       int
}

func (t *textWriter) Write(r screening.Result) error {
	var b strings.Builder
	if t.n > 0 {
		b.WriteString("\n")
	}
	t.n++
	id := r.PatientID
	if id == "" {
		id = "(no patient id)"
	}
	fmt.Fprintf(&b, "%s  %s  %s\n", r.Source, id, VerdictWords(r.Verdict))
	writeFindings(&b, r.Findings)
	if t.details {
		writeMedications(&b, r)
		writeInstructions(&b, r)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textWriter) Close() error { return nil }

// VerdictWords says a verdict in capitals, for a reader who skims.
func VerdictWords(l rules.Level) string {
	switch l {
	case rules.Eligible:
		return "ELIGIBLE"
	case rules.EligibleWithPrecautions:
		return "ELIGIBLE WITH PRECAUTIONS"
	case rules.NeedsReview:
		return "NEEDS REVIEW"
	case rules.Defer:
		return "DEFER"
	case rules.NotEligible:
		return "NOT ELIGIBLE"
	}
	return strings.ToUpper(string(l))
}

func writeFindings(b *strings.Builder, fs []screening.Finding) {
	for _, f := range fs {
		fmt.Fprintf(b, "  %-26s %s", f.Level, f.Message)
		if f.Source != "" {
			fmt.Fprintf(b, " [%s]", f.Source)
		}
		b.WriteString("\n")
	}
}

// writeMedications shows the medication list as the patient wrote it, in
// quotes and with its line breaks escaped, beside what was recognised in
// it.
func writeMedications(b *strings.Builder, r screening.Result) {
	if strings.TrimSpace(r.MedicationsWritten) == "" {
		b.WriteString("  Medications as written: none\n")
		return
	}
	fmt.Fprintf(b, "  Medications as written: %s\n", strconv.Quote(r.MedicationsWritten))
	if len(r.Medications) == 0 {
		b.WriteString("  Recognised: none\n")
		return
	}
	names := make([]string, len(r.Medications))
	for i, m := range r.Medications {
		names[i] = m.Describe()
	}
	fmt.Fprintf(b, "  Recognised: %s\n", strings.Join(names, "; "))
}

func writeInstructions(b *strings.Builder, r screening.Result) {
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(b, "  %s:\n", title)
		for _, it := range items {
			fmt.Fprintf(b, "    - %s\n", it)
		}
	}
	if note := instructionsNote(r); note != "" {
		fmt.Fprintf(b, "  %s\n", note)
	}
	section("Before treatment", r.PreTreatment)
	section("Aftercare", r.Aftercare)
	section("Course of treatment", courseLines(r))
}

// instructionsNote says when the instructions of a result apply: not at
// all, or only once someone has cleared the patient. It is "" when they
// apply as they are.
func instructionsNote(r screening.Result) string {
	switch {
	case len(r.PreTreatment)+len(r.Aftercare)+len(r.Course) == 0:
		return "No instructions: the verdict does not allow treatment."
	case !r.Verdict.AllowsTreatment():
		return "These instructions apply once the patient has been cleared for treatment."
	}
	return ""
}

// courseLines are the steps of the course of treatment, each with its
// sources.
func courseLines(r screening.Result) []string {
	steps := make([]string, len(r.Course))
	for i, s := range r.Course {
		steps[i] = s.Text
		if s.Source != "" {
			steps[i] += " [" + s.Source + "]"
		}
	}
	return steps
}
