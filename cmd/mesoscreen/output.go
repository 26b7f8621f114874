package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// resultWriter writes results as they come, in one output format.
type resultWriter interface {
	write(screening.Result) error
	close() error
}

// newResultWriter returns the writer of one output format. width is the
// terminal's width for the table, 0 when unknown.
func newResultWriter(format string, w io.Writer, rs *rules.RuleSet, details bool, width int) resultWriter {
	switch format {
	case "json":
		return &jsonArrayWriter{w: w}
	case "jsonl":
		j := &jsonLinesWriter{w: w}
		j.render = j.newRenderer()
		return j
	case "csv":
		return newCSVResultWriter(w)
	case "table":
		return &tableWriter{w: w, width: width}
	}
	return &textWriter{w: w, rs: rs, details: details}
}

// jsonLinesWriter writes a JSON object per result, one a line.
type jsonLinesWriter struct {
	w      io.Writer
	render func([]byte, *screening.Result) ([]byte, error)
	row    []byte
}

func (j *jsonLinesWriter) write(r screening.Result) error {
	var err error
	if j.row, err = j.render(j.row[:0], &r); err != nil {
		return err
	}
	return j.writeRow(j.row)
}

func (j *jsonLinesWriter) writeRow(row []byte) error {
	_, err := j.w.Write(row)
	return err
}

func (j *jsonLinesWriter) close() error { return nil }

func (j *jsonLinesWriter) newRenderer() func([]byte, *screening.Result) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	return func(dst []byte, r *screening.Result) ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(r); err != nil {
			return dst, err
		}
		return append(dst, buf.Bytes()...), nil
	}
}

// jsonArrayWriter streams an indented JSON array.
type jsonArrayWriter struct {
	w io.Writer
	n int
}

func (j *jsonArrayWriter) write(r screening.Result) error {
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

func (j *jsonArrayWriter) close() error {
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
	rs      *rules.RuleSet
	details bool
	n       int
}

func (t *textWriter) write(r screening.Result) error {
	var b strings.Builder
	if t.n > 0 {
		b.WriteString("\n")
	}
	t.n++
	id := r.PatientID
	if id == "" {
		id = "(no patient id)"
	}
	fmt.Fprintf(&b, "%s  %s  %s\n", r.Source, id, verdictWords(r.Verdict))
	writeFindings(&b, r.Findings)
	if t.details {
		writeInstructions(&b, r)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textWriter) close() error { return nil }

// verdictWords says a verdict in capitals, for a reader who skims.
func verdictWords(l rules.Level) string {
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
