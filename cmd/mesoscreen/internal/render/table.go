package render

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// tableRows is how many results one table holds; a longer run prints
// several tables, so that the output streams.
const tableRows = 200

// tableFindings is how many findings a row lists before it counts the
// rest; findings come most severe first, so the most severe is always
// shown.
const tableFindings = 4

// Widths: the table is as wide as the terminal (defaultTableWidth when
// unknown); the source column is there when the terminal is at least
// sourceMinWidth wide, whatever the rows hold, so that it does not come
// and go between runs.
const (
	defaultTableWidth = 120
	sourceMinWidth    = 100
)

// tableWriter draws results as a table for a person at a terminal:
// patient, verdict and the findings.
type tableWriter struct {
	w       io.Writer
	o       Options
	rows    [][]string
	levels  []rules.Level
	details []screening.Result
	tr      *i18n.Printer // the language of the results
}

func (t *tableWriter) width() int {
	if t.o.Width > 0 {
		return t.o.Width
	}
	return defaultTableWidth
}

// moreFindings counts the findings a row leaves out, in the plural
// form the language uses for n.
func moreFindings(tr *i18n.Printer, n int) string {
	return tr.N(n, "%d more finding", "%d more findings", n)
}

func (t *tableWriter) Write(r screening.Result) error {
	tr := printer(r)
	t.tr = tr
	id := r.PatientID
	if id == "" {
		id = tr.T("(none)")
	}
	var lines []string
	for i, f := range r.Findings {
		if i == tableFindings-1 && len(r.Findings) > tableFindings {
			lines = append(lines, tr.T("and %s (--format text lists them all)", moreFindings(tr, len(r.Findings)-i)))
			break
		}
		if f.Cleared != nil {
			// Cleared findings come last; each says who cleared it.
			lines = append(lines, "✓ "+Printable(f.Message)+" ("+Printable(clearedLine(tr, f.Cleared))+")")
			continue
		}
		lines = append(lines, "• "+Printable(f.Message))
	}
	for _, c := range notApplied(r) {
		lines = append(lines, Printable(notAppliedLine(tr, c)))
	}
	if len(lines) == 0 {
		lines = []string{tr.T("none")}
	}
	row := []string{Printable(id), verdictWords(tr, r.Verdict), strings.Join(lines, "\n")}
	if t.width() >= sourceMinWidth {
		row = append(row, Printable(r.Source))
	}
	t.rows = append(t.rows, row)
	t.levels = append(t.levels, r.Verdict)
	if t.o.Details {
		t.details = append(t.details, r)
	}
	if len(t.rows) >= tableRows {
		return t.flush()
	}
	return nil
}

func (t *tableWriter) flush() error {
	if len(t.rows) == 0 {
		return nil
	}
	tr := t.tr
	headers := []string{tr.T("PATIENT"), tr.T("VERDICT"), tr.T("FINDINGS")}
	if t.width() >= sourceMinWidth {
		headers = append(headers, tr.T("SOURCE"))
	}
	rows, levels := t.rows, t.levels
	// The patient and the verdict never wrap: when the table must shrink
	// to the terminal, the findings and the source do.
	fixed := [2]int{}
	for c := range fixed {
		fixed[c] = lipgloss.Width(headers[c])
		for _, r := range rows {
			fixed[c] = max(fixed[c], lipgloss.Width(r[c]))
		}
		fixed[c] += 2 // padding
	}
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		Wrap(true).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			st := lipgloss.NewStyle().Padding(0, 1)
			if col < len(fixed) {
				st = st.Width(fixed[col])
			}
			switch {
			case row == table.HeaderRow:
				return st.Bold(t.o.Color)
			case col == 1 && t.o.Color && row >= 0 && row < len(levels):
				st = st.Foreground(verdictColor(levels[row]))
				if !levels[row].AllowsTreatment() {
					st = st.Bold(true)
				}
			}
			return st
		})
	out := tb.Render()
	if lipgloss.Width(out) > t.width() {
		// As wide as the terminal, and no wider: the findings wrap.
		out = tb.Width(t.width()).Render()
	}
	var b strings.Builder
	b.WriteString(out + "\n")
	for _, r := range t.details {
		fmt.Fprintf(&b, "\n%s  %s  %s\n", Printable(r.PatientID), Printable(r.Source), paint(t.o.Color, r.Verdict, verdictWords(printer(r), r.Verdict)))
		writeMedications(&b, r, t.o.Width)
		writeInstructions(&b, r, t.o.RuleSet, t.o.Width)
	}
	t.rows, t.levels, t.details = t.rows[:0], t.levels[:0], t.details[:0]
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *tableWriter) Close() error { return t.flush() }
