package forms

import (
	"fmt"
	"io"
	"strings"

	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// DraftRows is how many rows of an export a draft mapping reads the
// answers of.
const DraftRows = 10000

// maxDistinct is how many different answers an Export keeps per column,
// and maxAnswer the longest it keeps: a free-text column has more and
// longer ones, and needs no list of them. So a draft holds little of a
// file however large its cells.
const (
	maxDistinct = 200
	maxAnswer   = 200
)

// Export is what a draft mapping is made from: a form tool's export, its
// header row and the answers found under each column.
type Export struct {
	Name string
	// Sheet is the workbook sheet the export was read from; "" for CSV.
	Sheet string
	// HeaderRows is how many rows the header took, when more than one
	// (SurveyMonkey's two, merged into Header as "Question: Choice").
	HeaderRows int
	// Wording is what each column asks, in words, when the export says
	// it in a row of its own (Qualtrics); nil otherwise. Such an export
	// answers in the form's own codes ("1", "2") unless told otherwise.
	Wording   []string
	Header    []string
	Delimiter rune
	// Rows counts the rows read, at most DraftRows; Unreadable those of
	// them that could not be read.
	Rows, Unreadable int
	// Answers lists, per column, the different answers in its cells, in
	// the order first seen; an empty cell is none.
	Answers [][]ExportAnswer
	// More counts, per column, the answers not kept: past maxDistinct, or
	// longer than maxAnswer.
	More []int
}

// ExportAnswer is one answer text of a column and how many rows give it.
type ExportAnswer struct {
	Text  string
	Count int
}

// ReadExport reads the header and up to DraftRows rows of a CSV export.
// A header that two columns share is an error: a mapping names columns
// by their header, so neither could be mapped.
func ReadExport(name string, r io.Reader) (*Export, error) {
	return readExport(&intake.CSV{Name: name}, r)
}

// ReadWorkbookExport reads a workbook's export as ReadExport reads a CSV
// one: the sheet named sheet, or the first for "". Title rows above the
// header are skipped.
func ReadWorkbookExport(name string, r io.Reader, sheet string) (*Export, error) {
	c, err := intake.WorkbookTable(name, r, sheet)
	if err != nil {
		return nil, err
	}
	return readExport(c, nil)
}

func readExport(c *intake.CSV, r io.Reader) (*Export, error) {
	c.Sniff = true
	name := c.Name
	exp := &Export{Name: name, Sheet: c.Sheet()}
	var index map[string]int
	for rec, err := range c.Records(r) {
		if err != nil {
			return nil, fmt.Errorf("%s: cannot read: %w", name, err)
		}
		// A header row the reader cannot read is its first record: there
		// is nothing to draft from.
		if rec.Err != nil && c.Header == nil {
			return nil, fmt.Errorf("%s: %w", rec.Source, rec.Err)
		}
		if index == nil {
			if err := exp.header(c); err != nil {
				return nil, err
			}
			index = map[string]int{}
			for i, h := range exp.Header {
				index[h] = i
			}
		}
		if exp.Rows == DraftRows {
			break
		}
		exp.Rows++
		if rec.Err != nil {
			exp.Unreadable++
			continue
		}
		for _, f := range rec.Fields {
			if s, ok := f.Value.(string); ok {
				exp.add(index[f.ID], s)
			}
		}
	}
	if exp.Header == nil {
		if err := exp.header(c); err != nil {
			return nil, err
		}
	}
	return exp, nil
}

func (exp *Export) header(c *intake.CSV) error {
	if len(c.Header) == 0 {
		return fmt.Errorf("%s: no header row; expected the export's column headers", exp.Name)
	}
	seen := map[string]int{}
	for i, h := range c.Header {
		if j, dup := seen[h]; dup {
			return fmt.Errorf("%s:%d: columns %d and %d are both headed %q; a mapping names a column by its header, so rename one in the form or the file", exp.Name, c.HeaderLine, j+1, i+1, h)
		}
		seen[h] = i
	}
	exp.Header = c.Header
	exp.Delimiter = c.Delimiter
	exp.Wording = c.Wording
	if c.Depth > 1 {
		exp.HeaderRows = c.Depth
	}
	exp.Answers = make([][]ExportAnswer, len(c.Header))
	exp.More = make([]int, len(c.Header))
	return nil
}

func (exp *Export) add(col int, cell string) {
	cell = strings.TrimSpace(cell)
	for i := range exp.Answers[col] {
		if exp.Answers[col][i].Text == cell {
			exp.Answers[col][i].Count++
			return
		}
	}
	if len(exp.Answers[col]) == maxDistinct || len(cell) > maxAnswer {
		exp.More[col]++
		return
	}
	exp.Answers[col] = append(exp.Answers[col], ExportAnswer{Text: cell, Count: 1})
}
