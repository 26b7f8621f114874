package intake

import (
	"strings"

	"github.com/mesoscreen/mesoscreen/screening"
)

// runsOn finds the cells of row that run on into what looks like another
// row: a quoted cell that holds a line break followed by at least one
// fewer delimiters than the table has columns, on one line. Such a line
// is a row of its own, most likely, read into the cell because a closing
// quote was left out before it; RFC 4180 reads it so, without an error,
// when the cells still add up. cellLine gives the line each cell starts
// on.
//
// The line of a cell's last line break runs on, in the file, into the
// row's cells after it: they are counted with it, as the row it looks
// like. The swallowed row's patient id is its cell under the
// identifier's column, where one parses.
func (c *CSV) runsOn(row []string, cellLine func(int) int) []screening.RunOn {
	var out []screening.RunOn
	want := len(row) - 1
	if want < 1 {
		return nil // one column: every line is a row's worth
	}
	delim := string(c.Delimiter)
	for i, cell := range row {
		if !strings.Contains(cell, "\n") {
			continue
		}
		lines := strings.Split(cell, "\n")
		var ro *screening.RunOn
		for k := 1; k < len(lines); k++ {
			text := lines[k]
			if k == len(lines)-1 && i < len(row)-1 {
				text += delim + strings.Join(row[i+1:], delim)
			}
			if strings.Count(text, delim) < want {
				continue
			}
			if ro == nil {
				ro = &screening.RunOn{Field: c.cols[i].field, Column: c.Header[i], Text: text}
			}
			ro.Lines = append(ro.Lines, cellLine(i)+k)
			if id, ok := c.idIn(strings.Split(text, delim)); ok {
				ro.IDs = append(ro.IDs, id)
			}
		}
		if ro != nil {
			out = append(out, *ro)
		}
	}
	return out
}

// idIn returns the patient id of a line split at the delimiter as a row
// would be: its cell under the identifier's column, when the table has
// one and the cell is an identifier as screening reads it.
func (c *CSV) idIn(cells []string) (string, bool) {
	if c.RuleSet == nil {
		return "", false
	}
	q := c.RuleSet.Identifier()
	if q == nil {
		return "", false
	}
	for i, col := range c.cols {
		if col.field != q.ID || i >= len(cells) {
			continue
		}
		a := screening.ParseAnswer(q, cells[i])
		id, _ := a.Value.(string)
		if a.State != screening.Given || id == "" || strings.Contains(id, `"`) {
			return "", false
		}
		return id, true
	}
	return "", false
}
