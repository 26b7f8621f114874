package render

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"

	"github.com/mesoscreen/mesoscreen/screening"
)

// csvWriter writes one row per result: patient_id, source, verdict, the
// rule ids and the messages of the findings, each list joined by "; " in
// order of severity.
type csvWriter struct{ w *csv.Writer }

func newCSVWriter(w io.Writer) *csvWriter {
	c := &csvWriter{w: csv.NewWriter(w)}
	c.w.Write([]string{"patient_id", "source", "verdict", "rules", "messages"})
	return c
}

func (c *csvWriter) Write(r screening.Result) error {
	ids := make([]string, len(r.Findings))
	msgs := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		ids[i], msgs[i] = f.Rule, f.Message
		if f.Cleared != nil {
			ids[i] += " (cleared)"
			msgs[i] += " (" + ClearedLine(f.Cleared) + ")"
		}
	}
	c.w.Write([]string{csvCell(r.PatientID), csvCell(r.Source), string(r.Verdict), strings.Join(ids, "; "), csvCell(strings.Join(msgs, "; "))})
	// The rows go on to the output as they are written: a run of a
	// million rows is not held in memory.
	return c.w.Error()
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// tableRows is how many results one table holds; a longer run prints
// several tables, so that the output streams.
const tableRows = 200

// tableWriter draws results as a table for a person at a terminal:
// patient, verdict and the main reasons.
type tableWriter struct {
	w     io.Writer
	width int // of the terminal; 0 when unknown
	rows  [][]string
	n     int
}

// Widths of the table: the reasons column takes what the terminal leaves,
// within these bounds, and the source column goes when the reasons would
// be narrower than reasonsMin.
const (
	defaultTableWidth = 120
	reasonsMin        = 36
	reasonsMax        = 60
)

var verdictStyles = map[string]lipgloss.Style{
	"ELIGIBLE":                  lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
	"ELIGIBLE WITH PRECAUTIONS": lipgloss.NewStyle().Foreground(lipgloss.Color("6")),
	"NEEDS REVIEW":              lipgloss.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
	"DEFER":                     lipgloss.NewStyle().Foreground(lipgloss.Color("5")).Bold(true),
	"NOT ELIGIBLE":              lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
}

func (t *tableWriter) Write(r screening.Result) error {
	id := r.PatientID
	if id == "" {
		id = "(none)"
	}
	var reasons []string
	shown := 0
	for i, f := range r.Findings {
		if f.Cleared != nil {
			// Cleared findings come last; each says who cleared it.
			reasons = append(reasons, "✓ "+printable(f.Message)+" ("+printable(ClearedLine(f.Cleared))+")")
			continue
		}
		if shown == 2 {
			rest := 0
			for _, g := range r.Findings[i:] {
				if g.Cleared == nil {
					rest++
				}
			}
			reasons = append(reasons, "and "+plural(rest, "more finding", "more findings"))
			shown++
			continue
		}
		if shown < 2 {
			reasons = append(reasons, printable(f.Message))
			shown++
		}
	}
	for _, c := range notApplied(r) {
		reasons = append(reasons, NotAppliedLine(c))
	}
	t.rows = append(t.rows, []string{printable(id), VerdictWords(r.Verdict), strings.Join(reasons, "\n"), printable(r.Source)})
	if len(t.rows) >= tableRows {
		return t.flush()
	}
	return nil
}

func (t *tableWriter) flush() error {
	if len(t.rows) == 0 {
		return nil
	}
	rows := t.rows
	headers := []string{"PATIENT", "VERDICT", "MAIN REASONS", "SOURCE"}
	reasons := t.reasonsWidth(rows, true)
	if reasons < reasonsMin {
		// No room for the source: the patient id still says who it is.
		headers = headers[:3]
		for i := range rows {
			rows[i] = rows[i][:3]
		}
		reasons = max(t.reasonsWidth(rows, false), reasonsMin)
	}
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			st := lipgloss.NewStyle().Padding(0, 1)
			if row == table.HeaderRow {
				return st.Bold(true)
			}
			if col == 1 && row >= 0 && row < len(rows) {
				if vs, ok := verdictStyles[rows[row][1]]; ok {
					return vs.Padding(0, 1)
				}
			}
			if col == 2 {
				return st.Width(reasons)
			}
			return st
		})
	t.rows = t.rows[:0]
	t.n++
	_, err := io.WriteString(t.w, tb.Render()+"\n")
	return err
}

func (t *tableWriter) Close() error { return t.flush() }

// reasonsWidth is the room left for the reasons column, padding included,
// once the other columns and the borders have theirs.
func (t *tableWriter) reasonsWidth(rows [][]string, withSource bool) int {
	total := t.width
	if total <= 0 {
		total = defaultTableWidth
	}
	widest := func(col int, header string) int {
		w := lipgloss.Width(header)
		for _, r := range rows {
			w = max(w, lipgloss.Width(r[col]))
		}
		return w + 2 // padding
	}
	used := widest(0, "PATIENT") + widest(1, "VERDICT")
	borders := 4 // │ a │ b │ c │
	if withSource {
		used += widest(3, "SOURCE")
		borders = 5
	}
	return min(total-used-borders, reasonsMax)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
