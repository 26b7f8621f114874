package intake

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// A workbook is read as a table: one sheet of it, the first or the one
// named (Options.Sheet), its cells as the text Excel shows, through the
// same rows pipeline as a CSV file (CSV.readHeader, CSV.readRows), so
// that header rows, blank rows and columns no question reads are decided
// in one place. Only the workbook's data is read: no formula is
// calculated (a formula cell gives the value Excel saved with it), and no
// macro of an .xlsm is looked at.

// Magic numbers of the files a spreadsheet writes that are not text.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
)

// IsWorkbook reports whether a file's first bytes are those of an Excel
// workbook, or of a file a spreadsheet wrote that is no text: a ZIP
// archive (an .xlsx, .xlsm, or another archive) or an OLE2 compound file
// (an .xls, or an encrypted .xlsx). Such bytes are never read as text.
func IsWorkbook(head []byte) bool {
	return bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, oleMagic)
}

// maxWorkbook is the largest workbook read, and maxUnzipped the most its
// parts may take once unzipped: an intake workbook is a few hundred
// kilobytes. Every part is held in memory, so that excelize writes no
// temporary file of a patient's answers.
const (
	maxWorkbook = 64 << 20
	maxUnzipped = 1 << 30
)

// SheetError stops the reading of a workbook that cannot be read as one,
// or whose sheet is not there.
type SheetError struct {
	Name string
	Msg  string
}

func (e *SheetError) Error() string { return e.Name + ": " + e.Msg }

// errSaveAs is what a person can do with a workbook mesoscreen cannot read.
const errSaveAs = "save it as .xlsx or CSV UTF-8 (File > Save As) and check that file"

// sheetRows are the rows of one sheet, each as many cells wide as the
// widest, with the row number Excel shows.
type sheetRows struct {
	sheet string
	rows  [][]string
	lines []int
	i     int
}

func (s *sheetRows) next() ([]string, int, error) {
	if s.i >= len(s.rows) {
		return nil, 0, io.EOF
	}
	s.i++
	return s.rows[s.i-1], s.lines[s.i-1], nil
}

// cellLine is the row of the sheet the last row read is on: a cell of a
// sheet is on one row, whatever line breaks it holds.
func (s *sheetRows) cellLine(int) int { return s.lines[max(s.i-1, 0)] }

// readSheet reads the sheet named sheet of the workbook in r ("" for the
// first), every cell as the text Excel shows.
func readSheet(name string, r io.Reader, sheet string) (*sheetRows, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxWorkbook+1))
	if err != nil {
		return nil, err
	}
	switch {
	case len(data) > maxWorkbook:
		return nil, &SheetError{name, fmt.Sprintf("the workbook is larger than %d MiB; expected an intake workbook, or %s", maxWorkbook>>20, errSaveAs)}
	case bytes.HasPrefix(data, oleMagic):
		what := "an Excel 97-2003 workbook (.xls)"
		if bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o")) {
			what = "an encrypted workbook (it has a password)"
		}
		return nil, &SheetError{name, fmt.Sprintf("is %s, which mesoscreen does not read; %s, without a password", what, errSaveAs)}
	case !bytes.Contains(data, []byte("[Content_Types].xml")) || !bytes.Contains(data, []byte("xl/workbook.xml")):
		return nil, &SheetError{name, "is a ZIP archive, not an Excel workbook (it has no xl/workbook.xml); expected an .xlsx workbook, or a table " + errSaveAs[len("save it as "):]}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, &SheetError{name, fmt.Sprintf("cannot be read as an Excel workbook (%v); %s", err, errSaveAs)}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, &SheetError{name, "the workbook has no sheet; expected one sheet of intakes"}
		}
		sheet = sheets[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		q := make([]string, len(sheets))
		for i, s := range sheets {
			q[i] = strconv.Quote(s)
		}
		return nil, &SheetError{name, fmt.Sprintf("has no sheet %q; its sheets are %s; expected --sheet with one of them", sheet, strings.Join(q, ", "))}
	}
	shown, err := f.GetRows(sheet)
	if err != nil {
		return nil, &SheetError{name, fmt.Sprintf("sheet %q cannot be read (%v); %s", sheet, err, errSaveAs)}
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &SheetError{name, fmt.Sprintf("sheet %q cannot be read (%v); %s", sheet, err, errSaveAs)}
	}
	dates := &dateCells{f: f, sheet: sheet, style: map[int]dateKind{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		dates.date1904 = *props.Date1904
	}
	for y, row := range shown {
		for x, cell := range row {
			if y < len(raw) && x < len(raw[y]) && raw[y][x] != cell {
				row[x] = dates.text(x+1, y+1, raw[y][x], cell)
			}
		}
	}
	if err := fillMerged(f, sheet, shown); err != nil {
		return nil, &SheetError{name, fmt.Sprintf("sheet %q cannot be read (%v); %s", sheet, err, errSaveAs)}
	}
	width := 0
	for _, row := range shown {
		width = max(width, len(row))
	}
	s := &sheetRows{sheet: sheet}
	for y, row := range shown {
		s.rows = append(s.rows, append(row, make([]string, width-len(row))...))
		s.lines = append(s.lines, y+1)
	}
	return s, nil
}

// fillMerged gives every cell of a merged range the value of its top-left
// cell, as Excel shows it across the range.
func fillMerged(f *excelize.File, sheet string, rows [][]string) error {
	merged, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return err
	}
	for _, m := range merged {
		x0, y0, err := excelize.CellNameToCoordinates(m.GetStartAxis())
		if err != nil {
			return err
		}
		x1, y1, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err != nil {
			return err
		}
		if y0 > len(rows) || x0 > len(rows[y0-1]) {
			continue // an empty top-left cell: nothing to show across the range
		}
		v := rows[y0-1][x0-1]
		for y := y0; y <= min(y1, len(rows)); y++ {
			for x := x0; x <= x1; x++ {
				for len(rows[y-1]) < x {
					rows[y-1] = append(rows[y-1], "")
				}
				rows[y-1][x-1] = v
			}
		}
	}
	return nil
}

// dateKind is what a number format shows of a number: the number itself,
// or a date, a time, or both.
type dateKind uint8

const (
	notDate dateKind = iota
	dateOnly
	timeOnly
	dateTime
)

// dateCells tells the cells that Excel shows as a date, by their number
// format, and writes those dates in ISO 8601 whatever the format: a
// "03/04/1980" is the 3rd of April in one country and the 4th of March in
// another, and the date a file holds is one day.
type dateCells struct {
	f        *excelize.File
	sheet    string
	date1904 bool
	style    map[int]dateKind
}

// text is the text of the cell at column x, row y: shown as Excel shows
// it, unless it is a date.
func (d *dateCells) text(x, y int, raw, shown string) string {
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return shown
	}
	cell, err := excelize.CoordinatesToCellName(x, y)
	if err != nil {
		return shown
	}
	id, err := d.f.GetCellStyle(d.sheet, cell)
	if err != nil {
		return shown
	}
	kind, ok := d.style[id]
	if !ok {
		kind = notDate
		if st, err := d.f.GetStyle(id); err == nil {
			kind = numFmtKind(st.NumFmt, st.CustomNumFmt)
		}
		d.style[id] = kind
	}
	if kind == notDate {
		return shown
	}
	t, err := excelize.ExcelDateToTime(n, d.date1904)
	if err != nil {
		return shown
	}
	switch kind {
	case dateOnly:
		return t.Format(time.DateOnly)
	case timeOnly:
		return t.Format(time.TimeOnly)
	}
	if t.Second() == 0 {
		return t.Format("2006-01-02T15:04")
	}
	return t.Format("2006-01-02T15:04:05")
}

// numFmtKind tells what a number format shows: Excel's built-in date and
// time formats by number, a custom one by its codes outside quoted text,
// escapes and [colour] brackets ([h] is elapsed time).
func numFmtKind(id int, custom *string) dateKind {
	if custom == nil {
		switch {
		case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
			return dateOnly
		case id >= 18 && id <= 21, id >= 45 && id <= 47, id == 32 || id == 33:
			return timeOnly
		case id == 22:
			return dateTime
		}
		return notDate
	}
	code := strings.ToLower(*custom)
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i] // the format of positive numbers
	}
	var date, clock bool
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			}
		case '\\', '_', '*':
			i++
		case '[':
			if j := strings.IndexByte(code[i:], ']'); j >= 0 {
				if t := code[i+1 : i+j]; t == "h" || t == "hh" || t == "m" || t == "mm" || t == "s" || t == "ss" {
					clock = true
				}
				i += j
			}
		case 'y', 'd':
			date = true
		case 'h', 's':
			clock = true
		case 'm':
			// m is a month, unless it is the minutes after an hour
			// or before seconds; months count as a date either way.
			date = date || !clock
		}
	}
	switch {
	case date && clock:
		return dateTime
	case date:
		return dateOnly
	case clock:
		return timeOnly
	}
	return notDate
}

// maxTitleRows is how many rows that are not blank a sheet may hold above
// its header: a title, a date, a note for the staff.
const maxTitleRows = 20

// sheetHeader finds a sheet's header row: the first that names a field
// (or, read through a mapping, a column it names; read for a draft, the
// first with two different texts in it). The rows above it are skipped:
// blank rows as blank rows, the others as title rows. A sheet with no
// such row in its first rows has its first row that is not blank as its
// header, which then names nothing (NoHeaderError).
func (c *CSV) sheetHeader() ([]string, int, error) {
	s := c.sheet
	var titles, blanks []int
	first := -1
	for s.i < len(s.rows) && len(titles) <= maxTitleRows {
		row, line, _ := s.next()
		if blankRow(row) {
			blanks = append(blanks, line)
			continue
		}
		if first < 0 {
			first = s.i - 1
		}
		if c.namesColumns(row) {
			c.TitleRows, c.BlankRows = titles, blanks
			return row, line, nil
		}
		titles = append(titles, line)
	}
	if first < 0 {
		c.BlankRows = blanks
		return nil, 0, io.EOF
	}
	// No header: the first row that is not blank is taken as one, and
	// told to name nothing.
	s.i = first + 1
	c.BlankRows = slices.DeleteFunc(blanks, func(l int) bool { return l > s.lines[first] })
	return s.rows[first], s.lines[first], nil
}

// namesColumns reports whether a row can be the header: a cell names a
// column of the mapping, or a field; without either, it holds two
// different texts (a title, merged across the row, holds one).
func (c *CSV) namesColumns(row []string) bool {
	texts := map[string]bool{}
	for _, cell := range row {
		h := strings.TrimSpace(cell)
		if h == "" {
			continue
		}
		switch {
		case c.Mapping != nil:
			if c.Mapping.column(h) != nil || c.Mapping.ignores(h) {
				return true
			}
		case c.Keep != nil:
			if c.Keep(h) {
				return true
			}
		default:
			texts[h] = true
		}
	}
	return len(texts) >= 2
}

// WorkbookTable reads the sheet named sheet ("" for the first) of the
// workbook in r as a table, for its Records (which then read no reader)
// and its header, as a CSV file's are read.
func WorkbookTable(name string, r io.Reader, sheet string) (*CSV, error) {
	s, err := readSheet(name, r, sheet)
	if err != nil {
		return nil, err
	}
	return &CSV{Name: name, sheet: s}, nil
}

// Sheet is the name of the workbook sheet the table is read from; "" for
// a CSV file.
func (c *CSV) Sheet() string {
	if c.sheet == nil {
		return ""
	}
	return c.sheet.sheet
}
