package render

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"

	"github.com/mesoscreen/mesoscreen/screening"
)

// CSVHeader is the header row of CSV output. rules, levels and messages
// are lists in the same order (most severe first), fields the fields
// whose answers need review; each list is joined by "|".
var CSVHeader = []string{"patient_id", "source", "verdict", "rules", "levels", "fields", "messages"}

// csvWriter writes one row per result.
type csvWriter struct{ w *csv.Writer }

func newCSVWriter(w io.Writer) *csvWriter {
	c := &csvWriter{w: csv.NewWriter(w)}
	c.w.Write(CSVHeader)
	return c
}

// csvList joins a list for one cell; a "|" inside an item becomes "/",
// so that the cell splits back into the items it was made of.
func csvList(items []string) string {
	for i, it := range items {
		items[i] = strings.ReplaceAll(it, "|", "/")
	}
	return strings.Join(items, "|")
}

func (c *csvWriter) Write(r screening.Result) error {
	n := len(r.Findings)
	ids, levels, msgs := make([]string, n), make([]string, n), make([]string, n)
	var fields []string
	for i, f := range r.Findings {
		ids[i], levels[i], msgs[i] = f.Rule, string(f.Level), f.Message
		if f.Cleared != nil {
			ids[i] += " (cleared)"
			msgs[i] += " (" + ClearedLine(f.Cleared) + ")"
		}
		if f.Field != "" && !slices.Contains(fields, f.Field) {
			fields = append(fields, f.Field)
		}
	}
	c.w.Write([]string{csvCell(r.PatientID), csvCell(r.Source), string(r.Verdict), csvList(ids), csvList(levels), csvList(fields), csvCell(csvList(msgs))})
	// The rows go on to the output as they are written: a run of a
	// million rows is not held in memory.
	return c.w.Error()
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}
