package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/mesoscreen/mesoscreen/screening"
)

// textWriter writes a block per record: the verdict, then each finding
// with its level and sources, wrapped to the terminal.
type textWriter struct {
	w io.Writer
	o Options
	n int
}

// levelColumn is how wide the level names are laid out.
const levelColumn = len("eligible_with_precautions") + 1

func (t *textWriter) Write(r screening.Result) error {
	var b strings.Builder
	if t.n > 0 {
		b.WriteString("\n")
	}
	t.n++
	tr := printer(r)
	id := r.PatientID
	if id == "" {
		id = tr.T("(no patient id)")
	}
	fmt.Fprintf(&b, "%s  %s  %s\n", Printable(r.Source), Printable(id), paint(t.o.Color, r.Verdict, verdictWords(tr, r.Verdict)))
	if l := recordLine(r); l != "" {
		fmt.Fprintf(&b, "  (%s)\n", hang(Printable(l), 3, 3, t.o.Width))
	}
	for _, f := range r.Findings {
		msg := Printable(f.Message)
		if f.Source != "" {
			msg += " [" + Printable(screening.SourceNames(f.Source, t.o.RuleSet, r.Lang)) + "]"
		}
		level := fmt.Sprintf("%-*s", levelColumn, f.Level)
		fmt.Fprintf(&b, "  %s %s\n", paint(t.o.Color, f.Level, level), hang(msg, 3+levelColumn, 3+levelColumn, t.o.Width))
		if f.Cleared != nil {
			fmt.Fprintf(&b, "  %-*s %s\n", levelColumn, "", hang(Printable(clearedLine(tr, f.Cleared)), 3+levelColumn, 3+levelColumn, t.o.Width))
		}
	}
	for _, c := range notApplied(r) {
		fmt.Fprintf(&b, "  %s\n", hang(Printable(notAppliedLine(tr, c)), 2, 2, t.o.Width))
	}
	if t.o.Details {
		writeMedications(&b, r, t.o.Width)
		writeInstructions(&b, r, t.o.RuleSet, t.o.Width)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textWriter) Close() error { return nil }
