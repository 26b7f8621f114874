package main

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"

	"github.com/mesoscreen/mesoscreen/screening"
)

// csvResultWriter writes one row per result: patient_id, source, verdict,
// the rule ids and the messages of the findings, each list joined by "; "
// in order of severity. Rows are quoted as encoding/csv quotes them.
type csvResultWriter struct {
	w      io.Writer
	render func([]byte, *screening.Result) ([]byte, error)
	row    []byte
}

func newCSVResultWriter(w io.Writer) *csvResultWriter {
	c := &csvResultWriter{w: w}
	c.render = c.newRenderer()
	io.WriteString(w, "patient_id,source,verdict,rules,messages\n")
	return c
}

func (c *csvResultWriter) write(r screening.Result) error {
	var err error
	if c.row, err = c.render(c.row[:0], &r); err != nil {
		return err
	}
	return c.writeRow(c.row)
}

func (c *csvResultWriter) writeRow(row []byte) error {
	_, err := c.w.Write(row)
	return err
}

func (c *csvResultWriter) close() error { return nil }

func (c *csvResultWriter) newRenderer() func([]byte, *screening.Result) ([]byte, error) {
	var scratch []byte
	// joined appends the findings' rule ids or messages, joined by "; ",
	// as one cell. They are written straight into dst, and quoted after
	// if they need it, which saves copying them twice.
	joined := func(dst []byte, fs []screening.Finding, message bool) []byte {
		start := len(dst)
		for i := range fs {
			if i > 0 {
				dst = append(dst, "; "...)
			}
			if message {
				dst = append(dst, fs[i].Message...)
			} else {
				dst = append(dst, fs[i].Rule...)
			}
		}
		if !csvNeedsQuotes(view(dst[start:])) {
			return dst
		}
		scratch = append(scratch[:0], dst[start:]...)
		return appendCSVField(dst[:start], view(scratch))
	}
	return func(dst []byte, r *screening.Result) ([]byte, error) {
		dst = appendCSVField(dst, r.PatientID)
		dst = append(dst, ',')
		dst = appendCSVField(dst, r.Source)
		dst = append(dst, ',')
		dst = appendCSVField(dst, string(r.Verdict))
		dst = append(dst, ',')
		dst = joined(dst, r.Findings, false)
		dst = append(dst, ',')
		dst = joined(dst, r.Findings, true)
		return append(dst, '\n'), nil
	}
}

// view reads b as a string without a copy, for a cell that is only read
// while b stays as it is.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// appendCSVField appends a cell as encoding/csv's Writer writes it with
// ',' and LF line ends: quoted when it holds a comma, a quote, a line end
// or is \. or starts with a space, with each quote doubled.
func appendCSVField(dst []byte, field string) []byte {
	if !csvNeedsQuotes(field) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(field, '"')
		if i < 0 {
			break
		}
		dst = append(dst, field[:i+1]...)
		dst = append(dst, '"')
		field = field[i+1:]
	}
	dst = append(dst, field...)
	return append(dst, '"')
}

// csvSpecial marks the bytes that make a cell need quotes.
var csvSpecial = [256]bool{',': true, '"': true, '\r': true, '\n': true}

func csvNeedsQuotes(field string) bool {
	if len(field) == 0 {
		return false
	}
	if field == `\.` {
		return true
	}
	if len(field) < 32 {
		for i := 0; i < len(field); i++ {
			if csvSpecial[field[i]] {
				return true
			}
		}
	} else {
		// A long cell, such as the joined messages, is searched for each
		// byte in turn, with the vector instructions IndexByte uses.
		if strings.IndexByte(field, ',') >= 0 || strings.IndexByte(field, '"') >= 0 ||
			strings.IndexByte(field, '\n') >= 0 || strings.IndexByte(field, '\r') >= 0 {
			return true
		}
	}
	if field[0] < utf8.RuneSelf {
		return unicode.IsSpace(rune(field[0]))
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
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

func (t *tableWriter) write(r screening.Result) error {
	id := r.PatientID
	if id == "" {
		id = "(none)"
	}
	var reasons []string
	for i, f := range r.Findings {
		if i == 2 {
			reasons = append(reasons, "and "+plural(len(r.Findings)-2, "more finding", "more findings"))
			break
		}
		reasons = append(reasons, f.Message)
	}
	t.rows = append(t.rows, []string{id, verdictWords(r.Verdict), strings.Join(reasons, "\n"), r.Source})
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

func (t *tableWriter) close() error { return t.flush() }

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
