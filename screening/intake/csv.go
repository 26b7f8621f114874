package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// CSV reads a table of intakes: a header row, then one record per row.
//
// It takes what spreadsheets write: UTF-8 with or without a byte order
// mark, UTF-16 with one (Excel's "Unicode text"), Windows-1252 (see
// Encoding); CRLF, LF or CR line ends, mixed; quoted cells holding
// delimiters or newlines; and ',' ';' or tab as the delimiter, as a first
// line "sep=;" says (Excel), else whichever the header line uses most. An
// empty cell is a missing answer.
//
// A column repeated in the header makes that field unreadable in every
// row (a screening.Conflict of its cells), and the rest of each row is
// read.
type CSV struct {
	// Name labels the sources ("name:line").
	Name string
	// Encoding is the file's text encoding; "" reads it as EncodingAuto
	// does, taking Windows-1252 for bytes that are not UTF-8.
	Encoding Encoding
	// EncodingUsed names the encoding the file was read in, once the
	// records have been read: see TextReader.Used.
	EncodingUsed string
	// Keep tells which column headers are fields. Columns it refuses are
	// listed in Ignored, and their cells are the records' Unasked. Nil
	// keeps every column.
	Keep func(header string) bool
	// Declared tells which columns the clinic declares ignored: their
	// cells are not read at all. A mapping's ignore: declares too.
	Declared func(header string) bool
	// Mapping, when set, reads a form tool's export: it names the field of
	// each column and translates the answers. Keep is not used then.
	Mapping *Mapping
	// RuleSet, when set, is the rule set the table is read for: header
	// rows after the first are told by it (headerrows.go), and a row
	// swallowed by a quoted cell is named by its patient id (runsOn).
	RuleSet *rules.RuleSet
	// HeaderRows and BlankRows are the lines of the rows after the first
	// that were skipped, once read: header rows (a form tool's second and
	// third, a header repeated; told only with a RuleSet) and rows whose
	// every cell is empty or white space (headerrows.go). They are no
	// records.
	HeaderRows []int
	BlankRows  []int
	// Ignored lists the headers of the columns that give no field and
	// are not declared ignored, in file order, once the header row has
	// been read.
	Ignored []string
	// Header is the header row, once read, each cell trimmed.
	Header []string
	// Delimiter is the delimiter found in the header line.
	Delimiter rune
	// HeaderLine is the line (a workbook's row) of the header row, once
	// read; TitleRows are a workbook's rows above it that are not blank
	// (a title, a date), skipped. Blank rows above it are in BlankRows.
	HeaderLine int
	TitleRows  []int

	// Depth is how many rows the header takes: a form tool's rows under
	// its first that name its columns further (SurveyMonkey's second row
	// names each choice of a checkbox question). They are merged into
	// Header (formheader.go). A mapping's header_rows: sets it; 0 is 1.
	Depth int
	// Sniff tells a form tool's header rows without a rule set, for a
	// draft: SurveyMonkey's second row is merged into the header (Depth
	// is then 2), and Qualtrics' rows of wording and of ImportIds are
	// skipped, the wording kept in Wording.
	Sniff bool
	// Wording is the row of question wording under a Qualtrics header,
	// once Sniff has found one: what each column asks, in words.
	Wording []string

	// sheet, when set, is the workbook sheet the table is read from, in
	// place of text (OpenWorkbook).
	sheet *sheetRows
	// held are rows read ahead while the header was read, to be read
	// again as rows.
	held []*rowRead
	// Codes lists the mapped columns whose cells held numbers the
	// mapping does not translate, once read (formheader.go).
	Codes []CodeColumn

	cols []column
	kept int // the columns whose field is not ""
	// headerErr, when set, is what is wrong with the header; every row
	// gets it as its error.
	headerErr error
	// repeated lists, for a field held by more than one column, those
	// columns.
	repeated map[string][]int
	text     *TextReader
}

// column says what to do with one column of the table.
type column struct {
	field string // "" when the column gives no field
	m     *MapColumn
	// unasked is set for a column that gives no field and that nobody
	// declared ignored: its cells go to the records' Unasked.
	unasked string
}

// errRowTooLong is what is wrong with a record longer than maxRow.
var errRowTooLong = fmt.Errorf("the row runs on past %d MiB without ending (is a closing quote missing?); expected rows of at most %d MiB, and reading goes on at the next line", maxRow>>20, maxRow>>20)

// Records reads r. The sequence yields a non-nil error, and stops, only
// when reading the input itself fails; a row that cannot be read is a
// Record with Err set, and reading goes on at the line after its first.
func (c *CSV) Records(r io.Reader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		rows, bad, err := c.readHeader(r)
		if err != nil {
			yield(Record{}, err)
			return
		}
		c.rest(rows, bad)(yield)
	}
}

// rest yields the records after the header: the one that says the header
// cannot be read, or one per row.
func (c *CSV) rest(rows tableRows, bad *Record) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		switch {
		case bad != nil:
			yield(*bad, nil)
		case rows != nil:
			c.readRows(rows, yield)
		}
	}
}

// readHeader reads r through the header row. It returns the reader of the
// rows that follow; nil rows and a nil error for an input with no row at
// all; or, for a header that cannot be read, the record that says so,
// which is then the input's only one.
func (c *CSV) readHeader(r io.Reader) (rows tableRows, bad *Record, err error) {
	var header []string
	var line int
	c.TitleRows, c.BlankRows = nil, nil
	if c.sheet != nil {
		rows = c.sheet
		header, line, err = c.sheetHeader()
	} else {
		text := NewTextReader(r, c.Encoding, true)
		c.text = text
		br := bufio.NewReaderSize(text, 64<<10)
		lines := 0
		if d, ok := sepLine(br); ok {
			c.Delimiter, lines = d, 1
		} else {
			c.Delimiter = sniffDelimiter(br)
		}
		rows = newRowReader(br, c.Delimiter, lines)
		header, line, err = rows.next()
		c.EncodingUsed = text.Used()
	}
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, nil, nil
	case errors.As(err, &pe):
		return nil, &Record{Source: c.where(line),
			Err: fmt.Errorf("the header row cannot be read: %w; expected a row of field ids", plainCSVError(err))}, nil
	case err != nil:
		return nil, nil, err
	}
	c.HeaderLine = line
	c.Header = make([]string, len(header))
	for i, h := range header {
		c.Header[i] = strings.TrimSpace(h)
	}
	c.HeaderRows, c.held, c.Wording = nil, nil, nil
	if c.Mapping != nil && c.Mapping.HeaderRows > 1 {
		c.Depth = c.Mapping.HeaderRows
	}
	if c.Depth > 1 || c.Sniff {
		if err := c.formHeader(rows); err != nil {
			return nil, nil, err
		}
	}
	c.columns(c.Header)
	return rows, nil, nil
}

// tableRows are the rows of a table: a CSV file's (rowReader) or a
// workbook sheet's (sheetRows).
type tableRows interface {
	// next returns the next row and the line it starts on; io.EOF at
	// the end.
	next() ([]string, int, error)
	// cellLine is the line cell i of the row next returned last starts on.
	cellLine(i int) int
}

// where names a row of the table: "file:line", or for a workbook
// "book.xlsx:Sheet1!12", as Excel names the row.
func (c *CSV) where(line int) string {
	if c.sheet != nil {
		return c.Name + ":" + c.sheet.sheet + "!" + strconv.Itoa(line)
	}
	return source(c.Name, line)
}

// encodingUsed is the text encoding the table was read in so far; a
// workbook holds Unicode text.
func (c *CSV) encodingUsed() string {
	if c.text == nil {
		return ""
	}
	return c.text.Used()
}

// readRows yields a record for each row after the header, but for the
// header rows and blank rows, which it skips and counts.
func (c *CSV) readRows(rows tableRows, yield func(Record, error) bool) {
	defer func() { c.EncodingUsed = c.encodingUsed() }()
	h := c.headerTexts()
	// afterHeader is set while the last row that was not blank was a
	// header row: Qualtrics' row of question wording may come next.
	afterHeader := true
	var pending *rowRead // a row read ahead, to be handled next
	for {
		r := pending
		pending = nil
		if r == nil && len(c.held) > 0 {
			r, c.held = c.held[0], c.held[1:]
		}
		if r == nil {
			row, line, err := rows.next()
			r = &rowRead{row: row, line: line, err: err, cellLine: rows.cellLine}
		}
		var pe *csv.ParseError
		var rec Record
		switch {
		case r.err == io.EOF:
			return
		case errors.As(r.err, &pe):
			rec = Record{Source: c.where(r.line), Err: fmt.Errorf("the row cannot be read: %w", plainCSVError(r.err))}
		case r.err != nil:
			yield(Record{}, r.err)
			return
		case blankRow(r.row):
			c.BlankRows = append(c.BlankRows, r.line)
			continue
		default:
			if header, _ := c.headerRow(h, r.row, false); header {
				c.HeaderRows = append(c.HeaderRows, r.line)
				afterHeader = true
				continue
			}
			if afterHeader {
				if wording, _ := c.headerRow(h, r.row, true); wording {
					// Qualtrics' question wording, if a row of its markers
					// comes next: read it, holding this one.
					held := r.hold()
					row, line, err := rows.next()
					next := &rowRead{row: row, line: line, err: err, cellLine: rows.cellLine}
					if _, qualtrics := c.headerRow(h, row, false); err == nil && qualtrics {
						c.HeaderRows = append(c.HeaderRows, held.line, line)
						continue
					}
					r, pending = held, next
				}
			}
			rec = c.record(c.where(r.line), r.row, r.cellLine)
		}
		afterHeader = false
		if !yield(rec, nil) {
			return
		}
	}
}

// declared reports whether the column is declared ignored.
func (c *CSV) declared(h string) bool {
	return c.Mapping != nil && c.Mapping.ignores(h) || c.Declared != nil && c.Declared(h)
}

// rowRead is a row as rowReader.next returns it, and the lines its cells
// start on.
type rowRead struct {
	row      []string
	line     int
	err      error
	cellLine func(int) int
}

// hold copies the row, and the lines of its cells, so that it outlives
// the reading of the next.
func (r *rowRead) hold() *rowRead {
	lines := make([]int, len(r.row))
	for i := range lines {
		lines[i] = r.cellLine(i)
	}
	return &rowRead{row: slices.Clone(r.row), line: r.line, cellLine: func(i int) int { return lines[i] }}
}

// columns reads the header row, whose cells are trimmed.
func (c *CSV) columns(header []string) {
	c.cols = make([]column, len(header))
	c.Ignored = nil
	c.kept = 0
	c.headerErr = nil
	c.repeated = nil
	seen := map[string]int{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			c.headerErr = fmt.Errorf("header cell %d is not valid UTF-8 text, so no cell under it can be read; %s", i+1, EncodingHint(c.encodingUsed()))
			return
		}
		var col column
		if c.Mapping != nil {
			if mc := c.Mapping.column(h); mc != nil {
				col = column{field: mc.Field, m: mc}
			}
		} else if c.Keep == nil || c.Keep(h) {
			col = column{field: h}
		}
		if col.field == "" {
			if !c.declared(h) {
				c.Ignored = append(c.Ignored, h)
				c.cols[i] = column{unasked: h}
			}
			continue
		}
		if j, dup := seen[col.field]; dup {
			if c.repeated == nil {
				c.repeated = map[string][]int{}
			}
			if c.repeated[col.field] == nil {
				c.repeated[col.field] = []int{j}
			}
			c.repeated[col.field] = append(c.repeated[col.field], i)
			col.field = "" // read with the first column of the field
			c.cols[i] = col
			continue
		}
		seen[col.field] = i
		c.cols[i] = col
		c.kept++
	}
}

// record turns one row into a record; cellLine gives the line each cell
// starts on.
func (c *CSV) record(source string, row []string, cellLine func(int) int) Record {
	rec := Record{Source: source}
	if c.headerErr != nil {
		rec.Err = c.headerErr
		return rec
	}
	if len(row) != len(c.cols) {
		rec.Err = fmt.Errorf("found %d cells, expected %d (one per header column)", len(row), len(c.cols))
		return rec
	}
	for i, cell := range row {
		if c.cols[i].field != "" && !utf8.ValidString(cell) {
			rec.Err = fmt.Errorf("the cell for %s is not valid UTF-8 text; %s", c.cols[i].field, EncodingHint(c.encodingUsed()))
			return rec
		}
	}
	rec.Fields = make([]Field, 0, c.kept)
	for i, cell := range row {
		col := c.cols[i]
		if strings.TrimSpace(cell) == "" {
			continue
		}
		if col.unasked != "" {
			rec.Unasked = append(rec.Unasked, Field{ID: col.unasked, Value: cell})
			continue
		}
		if col.field == "" {
			continue
		}
		var v any = cell
		if col.m != nil {
			v = col.m.translate(cell)
			c.noteCode(i, cell)
		}
		rec.Fields = append(rec.Fields, Field{ID: col.field, Value: v})
	}
	for _, field := range slices.Sorted(maps.Keys(c.repeated)) {
		cols := c.repeated[field]
		// Every cell of the field, empty ones too: with two columns for
		// one question, neither can be trusted.
		cells := make(screening.Conflict, len(cols))
		for k, i := range cols {
			cells[k] = row[i]
			if c.cols[i].m != nil {
				cells[k] = c.cols[i].m.translate(row[i])
			}
		}
		rec.Fields = slices.DeleteFunc(rec.Fields, func(f Field) bool { return f.ID == field })
		rec.Fields = append(rec.Fields, Field{ID: field, Value: cells})
	}
	if c.Mapping != nil {
		rec.Fields = c.Mapping.gather(rec.Fields)
	}
	// A workbook's cell is a cell, whatever it holds: no quote of it can
	// be left open.
	if c.sheet == nil {
		if ro := c.runsOn(row, cellLine); len(ro) > 0 {
			rec.Facts.Table = &screening.TableFacts{RunsOn: ro}
		}
	}
	return rec
}

// sepLine reads a first line "sep=X", which Excel writes to say which
// delimiter the file uses, and returns X.
func sepLine(br *bufio.Reader) (rune, bool) {
	head, _ := br.Peek(16)
	line, _, found := bytes.Cut(head, []byte("\n"))
	if !found || len(line) < 5 || !strings.EqualFold(string(line[:4]), "sep=") {
		return 0, false
	}
	d, size := utf8.DecodeRune(line[4:])
	rest := bytes.Trim(line[4+size:], string(d)+" ")
	if len(rest) > 0 || d == '"' || d == utf8.RuneError || d == ' ' {
		return 0, false
	}
	_, _ = br.Discard(len(line) + 1) // the line was peeked: it is there
	return d, true
}

// sniffDelimiter picks ',', ';' or tab, whichever the header line holds
// most often outside quotes; ',' when there is none.
func sniffDelimiter(br *bufio.Reader) rune {
	var line []byte
	for n := 4096; ; n *= 2 {
		b, err := br.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i]
			break
		}
		if err != nil || n >= br.Size() {
			line = b
			break
		}
	}
	counts := map[byte]int{}
	quoted := false
	for _, ch := range line {
		switch ch {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[ch]++
			}
		}
	}
	best := byte(',')
	for _, d := range []byte{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return rune(best)
}

func plainCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return errors.New(`a cell has a " inside it but does not start with one; expected a quoted cell ("...") with "" for each quote inside`)
		case errors.Is(pe.Err, csv.ErrQuote):
			if pe.Line > pe.StartLine {
				return fmt.Errorf(`a quoted cell is not closed properly (the quote runs on to line %d); expected a closing " before the next delimiter`, pe.Line)
			}
			return errors.New(`a quoted cell is not closed properly; expected a closing " before the next delimiter`)
		}
		return pe.Err
	}
	return err
}
