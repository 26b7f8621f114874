package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// CSV reads a table of intakes: a header row, then one record per row.
//
// It takes what spreadsheets write: a UTF-8 byte order mark, CRLF line
// ends, quoted cells holding commas or newlines, and ',' ';' or tab as the
// delimiter, whichever the header line uses most. An empty cell is a
// missing answer.
type CSV struct {
	// Name labels the sources ("name:line").
	Name string
	// Keep tells which column headers are fields. Columns it refuses are
	// ignored and listed in Ignored. Nil keeps every column.
	Keep func(header string) bool
	// Rules, when set, is the rule set the records will be screened with:
	// the columns are looked up in it once, not for every row.
	Rules *rules.RuleSet
	// Mapping, when set, reads a form tool's export: it names the field of
	// each column and translates the answers. Keep is not used then.
	Mapping *Mapping
	// Ignored lists the headers of ignored columns, in file order, once the
	// header row has been read.
	Ignored []string
	// Header is the header row, once read, each cell trimmed.
	Header []string
	// Delimiter is the delimiter found in the header line.
	Delimiter rune
	// Consumed is how many bytes of the input the rows read so far took,
	// header included; a caller can tell from it how large a file's rows
	// are.
	Consumed int64

	fieldIDs []string // the field of each column, "" for an ignored one
	spec     []column
	cols     *screening.Columns
}

// column says what to do with one column of the table.
type column struct {
	field string // "" when the column is ignored
	m     *MapColumn
}

// Records reads r. The sequence yields a non-nil error, and stops, only
// when reading the input itself fails; a row that cannot be read is a
// Record with Err set, and reading goes on after it where it can.
func (c *CSV) Records(r io.Reader) iter.Seq2[Record, error] {
	return Records(c.Blocks(r))
}

// blockSize is about how many bytes of rows a Block holds: enough to make
// handing it to another goroutine cheap, little enough for memory. Tests
// make it small, to cut blocks everywhere.
var blockSize = 16 << 10

// maxRow is the most bytes one record may take: a row of a CSV file, a
// line of JSON Lines. A longer one is reported, not read, so that a quote
// that never closes, or a file with no line ends, cannot make the reader
// hold the rest of the file. An intake row takes a few hundred bytes.
var maxRow = 1 << 20

// errRowTooLong is what is wrong with a record longer than maxRow.
var errRowTooLong = fmt.Errorf("the row runs on past %d MiB without ending (is a closing quote missing?); expected rows of at most %d MiB, and reading goes on at the next line", maxRow>>20, maxRow>>20)

// Blocks reads r as Records does, cutting it into blocks of rows.
//
// Cutting a CSV file at a row's end needs to know whether a newline is
// inside a quoted cell. Blocks checks every quote as it goes: a quote
// must open a cell, and its closing quote must be followed by a
// delimiter, a line end or a second quote. A row whose quotes are not
// sound this way, and a last row with no line end, is read on its own by
// encoding/csv, which says what is wrong with it; a row it cannot read
// takes up its first line, and reading goes on at the line after.
func (c *CSV) Blocks(r io.Reader) iter.Seq2[Block, error] {
	return func(yield func(Block, error) bool) {
		br := bufio.NewReaderSize(r, 64*1024)
		cut := cutter{c: c, src: br, line: 1}
		if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
			cut.off = 3
		}
		c.Delimiter = sniffDelimiter(br)
		cut.delim = byte(c.Delimiter)
		header, line, err := cut.one()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				yield(Block{}, err)
				return
			}
			yield(Block{rec: Record{Source: c.Name + ":" + strconv.Itoa(line),
				Err: fmt.Errorf("the header row cannot be read: %w; expected a row of field ids", plainCSVError(err))}}, nil)
			return
		}
		c.Header = make([]string, len(header))
		for i, h := range header {
			c.Header[i] = strings.TrimSpace(h)
		}
		cols, err := c.columns(header)
		if err != nil {
			yield(Block{rec: Record{Source: c.Name + ":" + strconv.Itoa(line), Err: err}}, nil)
			return
		}
		c.cols = nil
		if c.Rules != nil && c.Mapping == nil {
			c.cols = screening.NewColumns(c.Rules, c.fieldIDs)
		}
		c.spec = cols
		c.Consumed = cut.off
		for {
			rows, trouble, err := cut.next()
			if err != nil {
				yield(Block{}, err)
				return
			}
			if len(rows) > 0 {
				b := Block{c: c, data: rows, line: cut.line, n: bytes.Count(rows, []byte{'\n'})}
				cut.line += b.n
				cut.off += int64(len(rows))
				c.Consumed = cut.off
				if !yield(b, nil) {
					return
				}
			}
			if !trouble {
				continue
			}
			// The next row is read on its own.
			row, line, err := cut.one()
			var pe *csv.ParseError
			var rec Record
			switch {
			case errors.Is(err, io.EOF):
				return
			case errors.As(err, &pe):
				rec = Record{Source: c.Name + ":" + strconv.Itoa(line),
					Err: fmt.Errorf("the row cannot be read: %w", plainCSVError(err))}
			case err != nil:
				yield(Block{}, err)
				return
			default:
				rec = c.record(c.Name+":"+strconv.Itoa(line), row, false)
			}
			c.Consumed = cut.off
			if !yield(Block{rec: rec}, nil) {
				return
			}
		}
	}
}

// cutter cuts a CSV file into blocks of whole rows. pending holds the
// bytes read but not yet handed out; they begin at a row's start, at byte
// off of the file, on line number line.
type cutter struct {
	c       *CSV
	src     io.Reader
	delim   byte
	pending []byte
	eof     bool
	off     int64
	line    int
}

// next returns the next whole rows whose quotes are sound, and whether
// the row after them must be read on its own (trouble). At the end of
// the input it returns no rows and trouble, so that one() reports the end
// or reads a last row that has no line end.
func (t *cutter) next() (rows []byte, trouble bool, err error) {
	for {
		end, bad := t.scan()
		if bad || (t.eof && end < len(t.pending)) || (t.eof && len(t.pending) == 0) {
			rows = t.pending[:end:end]
			t.pending = t.pending[end:]
			return rows, true, nil
		}
		if end >= blockSize || (end > 0 && t.eof) {
			rows = t.pending[:end:end]
			// The rest goes to a buffer of its own: the rows handed out
			// are the caller's now.
			rest := make([]byte, len(t.pending)-end, len(t.pending)-end+2*blockSize)
			copy(rest, t.pending[end:])
			t.pending = rest
			return rows, false, nil
		}
		if err := t.fill(); err != nil {
			return nil, false, err
		}
	}
}

// fill reads more of the input into pending: at least one byte, or up
// to the end of the input.
func (t *cutter) fill() error {
	if cap(t.pending)-len(t.pending) < blockSize/2+512 {
		grown := make([]byte, len(t.pending), 2*len(t.pending)+2*blockSize+1024)
		copy(grown, t.pending)
		t.pending = grown
	}
	for {
		n, err := t.src.Read(t.pending[len(t.pending):cap(t.pending)])
		t.pending = t.pending[:len(t.pending)+n]
		if errors.Is(err, io.EOF) {
			t.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 && len(t.pending) >= blockSize || len(t.pending) == cap(t.pending) {
			return nil
		}
	}
}

// scan finds where the whole rows at the start of pending end, up to the
// first row whose quotes it cannot vouch for, or that runs on past maxRow
// (bad).
func (t *cutter) scan() (end int, bad bool) {
	end, bad = t.scanQuotes()
	return end, bad || len(t.pending)-end > maxRow
}

func (t *cutter) scanQuotes() (end int, bad bool) {
	b := t.pending
	pos := 0 // outside quotes
	for {
		q := bytes.IndexByte(b[pos:], '"')
		if q < 0 {
			if j := bytes.LastIndexByte(b[pos:], '\n'); j >= 0 {
				end = pos + j + 1
			}
			return end, false
		}
		q += pos
		if j := bytes.LastIndexByte(b[pos:q], '\n'); j >= 0 {
			end = pos + j + 1
		}
		if q > end && b[q-1] != t.delim {
			return end, true // a quote inside a cell
		}
		// Find the closing quote.
		i := q + 1
		for {
			j := bytes.IndexByte(b[i:], '"')
			if j < 0 || i+j+2 >= len(b) {
				// Not closed yet, or too near the end to tell how.
				return end, t.eof
			}
			j += i
			switch next := b[j+1]; {
			case next == '"':
				i = j + 2
				continue
			case next == t.delim || next == '\n' || next == '\r' && b[j+2] == '\n':
				pos = j + 1
			default:
				return end, true
			}
			break
		}
	}
}

// one reads the next row on its own, with encoding/csv, and returns it
// with its line number. A row it cannot read, or that runs on past
// maxRow, takes up its first line only.
func (t *cutter) one() (row []string, line int, err error) {
	src := io.MultiReader(bytes.NewReader(t.pending), t.src)
	rw := &rewinder{r: src, limit: maxRow}
	cr := csv.NewReader(rw)
	cr.Comma = rune(t.delim)
	cr.FieldsPerRecord = -1 // counted in record, to name the row
	row, err = cr.Read()
	if rw.err != nil && !errors.Is(rw.err, io.EOF) {
		return nil, 0, rw.err
	}
	var used int
	var pe *csv.ParseError
	switch {
	case rw.capped:
		row, line, err = nil, t.line, &csv.ParseError{StartLine: t.line, Line: t.line, Err: errRowTooLong}
		used = afterLines(rw.buf, 1)
		if bytes.IndexByte(rw.buf, '\n') < 0 {
			// Not even the first line has ended: skip the rest of it.
			skipped, rest, serr := skipLine(src)
			if serr != nil && !errors.Is(serr, io.EOF) {
				return nil, 0, serr
			}
			t.line++
			t.off += int64(used) + skipped
			t.pending = append(make([]byte, 0, len(rest)+2*blockSize), rest...)
			t.src, t.eof = src, serr != nil
			return row, line, err
		}
	case errors.Is(err, io.EOF):
		return nil, 0, err
	case errors.As(err, &pe):
		used = afterLines(rw.buf, pe.StartLine)
		// Lines are counted from the start of the file.
		pe.StartLine += t.line - 1
		pe.Line += t.line - 1
		line = pe.StartLine
	case err != nil:
		return nil, 0, err
	default:
		line, _ = cr.FieldPos(0)
		line += t.line - 1
		used = int(cr.InputOffset())
	}
	consumed := rw.buf[:used]
	t.line += bytes.Count(consumed, []byte{'\n'})
	t.off += int64(used)
	// What encoding/csv read beyond the row is read again.
	t.pending = append(make([]byte, 0, len(rw.buf)-used+2*blockSize), rw.buf[used:]...)
	t.src, t.eof = src, errors.Is(rw.err, io.EOF)
	return row, line, err
}

// afterLines returns the length of the first n lines of b.
func afterLines(b []byte, n int) int {
	used := 0
	for ; n > 0; n-- {
		j := bytes.IndexByte(b[used:], '\n')
		if j < 0 {
			return len(b)
		}
		used += j + 1
	}
	return used
}

// parseRow parses the row at the start of data, a block's whole rows, and
// returns its cells (nil for an empty line, which encoding/csv skips),
// the data after it and the number of lines it took. valid is true when
// the row is known to be valid UTF-8 text as a whole, and so every cell.
func parseRow(cells []string, data []byte, delim byte) (_ []string, next []byte, lines int, valid bool) {
	// One pass over the row finds its cells, its end and whether it has a
	// quote or a byte outside ASCII: rows are short and their cells a few
	// bytes each, too short for a search per cell to pay. A block's data
	// ends with a line end (the cutter adds one to a last line without).
	start, bits := 0, byte(0)
	i := 0
	for ; data[i] != '\n'; i++ {
		switch c := data[i]; {
		case c == delim:
			cells = append(cells, inPlace(data[start:i]))
			start = i + 1
		case c == '"':
			cells, next, lines = parseQuotedRow(cells[:0], data, delim)
			return cells, next, lines, false
		default:
			bits |= c
		}
	}
	end := i
	if end > start && data[end-1] == '\r' {
		end--
	}
	if end == 0 {
		return nil, data[i+1:], 1, false
	}
	cells = append(cells, inPlace(data[start:end]))
	valid = bits < utf8.RuneSelf || utf8.Valid(data[:end])
	return cells, data[i+1:], 1, valid
}

// parseQuotedRow parses the row at the start of data, which has quoted
// cells whose quotes are sound, and returns its cells, the data after it
// and the number of lines it took. Like parseRow, it reads the cells in
// place where it can: only a cell with a doubled quote or a line end
// inside is copied.
func parseQuotedRow(cells []string, data []byte, delim byte) ([]string, []byte, int) {
	lines := 1
	pos := 0
	for {
		if data[pos] == '"' {
			i := pos + 1
			j := i + bytes.IndexByte(data[i:], '"')
			if data[j+1] != '"' && bytes.IndexByte(data[i:j], '\n') < 0 {
				cells = append(cells, inPlace(data[i:j]))
				pos = j + 1
			} else {
				var cell []byte
				for {
					cell = append(cell, data[i:j]...)
					if data[j+1] == '"' {
						cell = append(cell, '"')
						i = j + 2
						j = i + bytes.IndexByte(data[i:], '"')
						continue
					}
					pos = j + 1
					break
				}
				if n := bytes.Count(cell, []byte{'\n'}); n > 0 {
					lines += n
					// encoding/csv ends every line with "\n".
					cell = bytes.ReplaceAll(cell, []byte("\r\n"), []byte{'\n'})
				}
				cells = append(cells, string(cell))
			}
			switch data[pos] {
			case delim:
				pos++
				continue
			case '\r':
				pos++
			}
			return cells, data[pos+1:], lines
		}
		k := bytes.IndexByte(data[pos:], delim)
		nl := bytes.IndexByte(data[pos:], '\n')
		if k >= 0 && k < nl {
			cells = append(cells, inPlace(data[pos:pos+k]))
			pos += k + 1
			continue
		}
		cells = append(cells, inPlace(bytes.TrimSuffix(data[pos:pos+nl], []byte{'\r'})))
		return cells, data[pos+nl+1:], lines
	}
}

// inPlace is a cell read in place: a string that shares the bytes of a
// block, which nothing changes once the block is cut (Block.data).
func inPlace(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (c *CSV) columns(header []string) ([]column, error) {
	cols := make([]column, len(header))
	seen := map[string]int{}
	c.Ignored = nil
	c.fieldIDs = make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !utf8.ValidString(h) {
			return nil, fmt.Errorf("header cell %d is not valid UTF-8 text", i+1)
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
			if c.Mapping == nil || !c.Mapping.ignores(h) {
				c.Ignored = append(c.Ignored, h)
			}
			cols[i] = col
			continue
		}
		if j, dup := seen[col.field]; dup {
			return nil, fmt.Errorf("columns %d and %d both hold %s; expected each field once", j+1, i+1, col.field)
		}
		seen[col.field] = i
		cols[i] = col
		c.fieldIDs[i] = col.field
	}
	return cols, nil
}

// record turns one row into a record, which keeps row as its cells.
// valid says the cells are known to be valid UTF-8 text.
func (c *CSV) record(source string, row []string, valid bool) Record {
	cols := c.spec
	rec := Record{Source: source}
	if len(row) != len(cols) {
		rec.Err = fmt.Errorf("found %d cells, expected %d (one per header column)", len(row), len(cols))
		return rec
	}
	if !valid {
		for i, cell := range row {
			if cols[i].field != "" && !utf8.ValidString(cell) {
				rec.Err = fmt.Errorf("the cell for %s is not valid UTF-8 text", cols[i].field)
				return rec
			}
		}
	}
	if c.Mapping == nil {
		rec.Columns, rec.Cells, rec.cols = c.fieldIDs, row, c.cols
		return rec
	}
	fields := make(map[string]any, len(cols))
	for i, cell := range row {
		col := cols[i]
		if col.field == "" || strings.TrimSpace(cell) == "" {
			continue
		}
		fields[col.field] = col.m.translate(cell)
	}
	rec.Fields = fields
	return rec
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

// skipLine reads r through the next newline, and returns how many bytes
// that took and what it read after them. At the end of r it returns the
// bytes read and io.EOF.
func skipLine(r io.Reader) (n int64, rest []byte, err error) {
	buf := make([]byte, 32<<10)
	for {
		k, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:k], '\n'); i >= 0 {
			return n + int64(i+1), buf[i+1 : k], nil
		}
		n += int64(k)
		if err != nil {
			return n, nil, err
		}
	}
}

// rewinder keeps the bytes read from r, so that reading can start again
// after a row that swallowed lines. Past limit bytes it reports the end
// of the input, and capped.
type rewinder struct {
	r      io.Reader
	buf    []byte
	err    error
	limit  int
	capped bool
}

func (rw *rewinder) Read(p []byte) (int, error) {
	if len(rw.buf) >= rw.limit {
		rw.capped = true
		return 0, io.EOF
	}
	n, err := rw.r.Read(p)
	rw.buf = append(rw.buf, p[:n]...)
	if err != nil {
		rw.err = err
	}
	return n, err
}
