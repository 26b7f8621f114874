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
	cols     *screening.Columns
	slab     []string // room for the cells of the rows to come
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
	return func(yield func(Record, error) bool) {
		rw := &rewinder{r: r}
		br := bufio.NewReaderSize(rw, 64*1024)
		skip := 0
		if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
			skip = 3
		}
		c.Delimiter = sniffDelimiter(br)
		cr := c.newReader(br)
		header, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if rw.err != nil {
				yield(Record{}, rw.err)
				return
			}
			yield(Record{Source: c.Name + ":1", Err: fmt.Errorf("the header row cannot be read: %w; expected a row of field ids", plainCSVError(err))}, nil)
			return
		}
		c.Header = make([]string, len(header))
		for i, h := range header {
			c.Header[i] = strings.TrimSpace(h)
		}
		cols, err := c.columns(header)
		if err != nil {
			yield(Record{Source: c.Name + ":1", Err: err}, nil)
			return
		}
		if c.Rules != nil {
			c.cols = screening.NewColumns(c.Rules, c.fieldIDs)
		}

		// A cell with a broken quote can swallow the lines after it. When
		// it does, reading starts again on the line after the broken row,
		// from the bytes kept since that row began, so that each of the
		// swallowed rows still gets its own result.
		where := append([]byte(c.Name), ':') // "name:line" of a row, built in place
		lineBase := 0                        // lines before the current csv.Reader's input
		offBase := int64(skip)               // bytes before the current csv.Reader's input
		start := cr.InputOffset()            // offset in the current input where the row begins
		rw.discard(offBase + start)
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if rw.err != nil && !errors.Is(rw.err, io.EOF) {
				yield(Record{}, rw.err)
				return
			}
			var rec Record
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe):
				rec = Record{Source: fmt.Sprintf("%s:%d", c.Name, lineBase+pe.StartLine),
					Err: fmt.Errorf("the row cannot be read: %w", plainCSVError(err))}
				if pe.Line > pe.StartLine {
					rest := rw.after(offBase+start, 1)
					if rest == nil {
						// Nothing after the broken row.
						yield(rec, nil)
						return
					}
					lineBase += pe.StartLine
					rw = &rewinder{r: io.MultiReader(bytes.NewReader(rest.data), rw.r), base: rest.off}
					offBase = rest.off
					cr = c.newReader(bufio.NewReaderSize(rw, 64*1024))
					start = 0
					if !yield(rec, nil) {
						return
					}
					continue
				}
			case err != nil:
				rec = Record{Source: fmt.Sprintf("%s:%d", c.Name, lineBase+1), Err: err}
			default:
				line, _ := cr.FieldPos(0)
				where = strconv.AppendInt(where[:len(c.Name)+1], int64(lineBase+line), 10)
				rec = c.record(string(where), row, cols)
			}
			start = cr.InputOffset()
			c.Consumed = offBase + start
			rw.discard(offBase + start)
			if !yield(rec, nil) {
				return
			}
		}
	}
}

func (c *CSV) newReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = c.Delimiter
	cr.FieldsPerRecord = -1 // counted here, to name the row
	cr.ReuseRecord = true
	return cr
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

// record turns one row into a record. ReuseRecord reuses the slice, not
// the strings in it, so the strings can be kept and the slice is copied.
func (c *CSV) record(source string, row []string, cols []column) Record {
	rec := Record{Source: source}
	if len(row) != len(cols) {
		rec.Err = fmt.Errorf("found %d cells, expected %d (one per header column)", len(row), len(cols))
		return rec
	}
	for i, cell := range row {
		if cols[i].field != "" && !utf8.ValidString(cell) {
			rec.Err = fmt.Errorf("the cell for %s is not valid UTF-8 text", cols[i].field)
			return rec
		}
	}
	if c.Mapping == nil {
		// The cells of many rows share one allocation.
		if len(c.slab) < len(row) {
			c.slab = make([]string, 64*len(row))
		}
		cells := c.slab[:len(row):len(row)]
		c.slab = c.slab[len(row):]
		copy(cells, row)
		rec.Columns, rec.Cells, rec.cols = c.fieldIDs, cells, c.cols
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

// rewinder keeps the bytes read from r since the start of the current row,
// so that reading can start again after a row that swallowed lines.
type rewinder struct {
	r    io.Reader
	buf  []byte
	base int64 // offset of buf[0] in the input
	err  error
}

func (rw *rewinder) Read(p []byte) (int, error) {
	n, err := rw.r.Read(p)
	rw.buf = append(rw.buf, p[:n]...)
	if err != nil {
		rw.err = err
	}
	return n, err
}

// discard drops the kept bytes before offset off. It compacts only now and
// then, so that a row costs no copy of its own.
func (rw *rewinder) discard(off int64) {
	drop := off - rw.base
	if drop < 64*1024 || drop > int64(len(rw.buf)) {
		return
	}
	rw.buf = append(rw.buf[:0], rw.buf[drop:]...)
	rw.base = off
}

type restart struct {
	data []byte
	off  int64
}

// after returns the kept bytes after the first n lines from offset off, or
// nil when there are none.
func (rw *rewinder) after(off int64, n int) *restart {
	i := off - rw.base
	if i < 0 || i > int64(len(rw.buf)) {
		return nil
	}
	b := rw.buf[i:]
	for ; n > 0; n-- {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			return nil
		}
		b = b[j+1:]
	}
	if len(b) == 0 && rw.err != nil {
		return nil
	}
	return &restart{data: bytes.Clone(b), off: rw.base + int64(len(rw.buf)-len(b))}
}
