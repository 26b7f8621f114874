// Package intake reads intake files into raw records for screening. Readers
// stream: they hold one record at a time, and they yield exactly one record
// per record in the input, in order, even for one that cannot be read.
package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Record is one intake as read from a file.
type Record struct {
	// Source says where the record is: "file:line" or "file#index".
	Source string
	// Fields are the raw answers by field id. Nil when Err is set, and for
	// a row of a canonical CSV file, which comes as Columns and Cells.
	Fields map[string]any
	// Columns and Cells hold a canonical CSV row as read: Cells[i] is the
	// answer to field Columns[i], or is ignored when that is "". Columns
	// is shared by the rows of a file. Reading a row this way saves a map
	// per record, which counts in files of a million rows.
	Columns, Cells []string

	cols *screening.Columns // Columns looked up in CSV.Rules, if set
	// Err says why the record could not be read. Such a record still
	// yields a result, as needs_review.
	Err error
}

// FieldMap returns the raw answers by field id, whichever way the record
// holds them. An empty cell is left out, as a missing answer.
func (r Record) FieldMap() map[string]any {
	if r.Fields != nil || r.Cells == nil {
		return r.Fields
	}
	m := make(map[string]any, len(r.Cells))
	for i, c := range r.Cells {
		if r.Columns[i] != "" && strings.TrimSpace(c) != "" {
			m[r.Columns[i]] = c
		}
	}
	return m
}

// Answers parses the record's answers for the rule set. The record must
// have been read (Err nil).
func (r Record) Answers(rs *rules.RuleSet) *screening.Answers {
	if r.Fields == nil && r.Cells != nil {
		if r.cols != nil && r.cols.RuleSet() == rs {
			return r.cols.Parse(r.Cells)
		}
		return screening.ParseCells(rs, r.Columns, r.Cells)
	}
	return screening.Parse(rs, r.Fields)
}

// AnswersInto is Answers, reusing buf (from screening.NewAnswers for rs)
// for a canonical CSV row; the result is valid until the next call with
// the same buf.
func (r Record) AnswersInto(rs *rules.RuleSet, buf *screening.Answers) *screening.Answers {
	if r.Fields == nil && r.cols != nil && r.cols.RuleSet() == rs && buf != nil && buf.RuleSet() == rs {
		return r.cols.ParseInto(buf, r.Cells)
	}
	return r.Answers(rs)
}

// savedKind marks a record written by "mesoscreen interview --save"; its
// answers are screened again.
const savedKind = "mesoscreen.record"

// decodeObject decodes one JSON object, keeping numbers exact and refusing a
// key given twice: with two answers to one question, neither can be trusted.
func decodeObject(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("the text is not valid UTF-8")
	}
	// Most objects are flat and sound: decodeFlat reads them. Other sound
	// ones are decoded whole, with their members counted to see that none
	// was given twice. The rest are decoded member by member, to say what
	// is wrong.
	if m, ok := decodeFlat(data); ok && m["kind"] != savedKind {
		return m, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err == nil && m != nil && len(bytes.TrimSpace(data[dec.InputOffset():])) == 0 &&
		members(data) == len(m) && m["kind"] != savedKind {
		return m, nil
	}
	return decodeMembers(data)
}

// members counts the members of the JSON object data, which is valid: the
// colons outside strings at the object's own depth.
func members(data []byte) int {
	n, depth, inString := 0, 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ':':
			if depth == 1 {
				n++
			}
		}
	}
	return n
}

// decodeMembers decodes the object member by member, refusing a member
// given twice.
func decodeMembers(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, plainJSONError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("found %s, expected a JSON object of answers", describe(tok))
	}
	m := map[string]any{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, plainJSONError(err)
		}
		k := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, plainJSONError(err)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("field %q is given twice; expected each field once", k)
		}
		m[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, plainJSONError(err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value; expected one object")
	}
	if m["kind"] == savedKind {
		if ans, ok := m["answers"].(map[string]any); ok {
			return ans, nil
		}
		return nil, errors.New(`a saved record without "answers"`)
	}
	return m, nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "true or false"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

func plainJSONError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the JSON ends too early; expected a complete object")
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := "the value"
		if te.Field != "" {
			where = te.Field
		}
		v, _, _ := strings.Cut(te.Value, " ")
		return fmt.Errorf("%s is %s; expected %s", where, describeKind(v), describeType(te.Type))
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

// describeKind names a kind of JSON value as encoding/json's errors
// spell it ("object", "number").
func describeKind(v string) string {
	switch v {
	case "object", "array":
		return "an " + v
	case "bool":
		return "true or false"
	}
	return "a " + v
}

// describeType names the JSON a Go type is decoded from.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// JSON reads a file of JSON intakes: one object, an array of objects, a run
// of objects, or JSON Lines (one object per line). name labels the sources.
// The sequence yields a non-nil error, and stops, only when reading the
// input itself fails.
func JSON(name string, r io.Reader) iter.Seq2[Record, error] {
	return Records(JSONBlocks(name, r))
}

// JSONBlocks reads r as JSON does, in blocks: JSON Lines in blocks of
// whole lines, decoded when a block is scanned; a file of any other shape
// in blocks of one record.
func JSONBlocks(name string, r io.Reader) iter.Seq2[Block, error] {
	return func(yieldBlock func(Block, error) bool) {
		yield := func(rec Record, err error) bool { return yieldBlock(recordBlock(rec), err) }
		lr := &lineReader{r: r}
		first, err := lr.peekNonSpace()
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(Record{}, err)
			return
		}
		switch {
		case first == '[':
			readArray(name, lr, yield)
		case first == '{' && lr.firstLineIsValue():
			readLines(name, lr, false, yieldBlock)
		case first == '{':
			readStream(name, lr, yield)
		default:
			yield(Record{Source: fmt.Sprintf("%s:%d", name, lr.line()),
				Err: fmt.Errorf("found %q, expected a JSON object, an array of objects, or JSON Lines", first)}, nil)
		}
	}
}

// readLines reads JSON Lines, where every non-blank line is one record
// (or, for FHIR NDJSON, one resource), in blocks of whole lines.
func readLines(name string, lr *lineReader, fhir bool, yield func(Block, error) bool) {
	var b Block
	flush := func() bool {
		if b.n == 0 {
			return true
		}
		out := b
		b = Block{}
		return yield(out, nil)
	}
	for {
		line, n, err := lr.next()
		if err == errLineTooLong {
			if !flush() || !yield(recordBlock(Record{Source: fmt.Sprintf("%s:%d", name, n), Err: err}), nil) {
				return
			}
			continue
		}
		if err == nil || len(line) > 0 {
			if b.n == 0 {
				b = Block{name: name, fhir: fhir, line: n, data: make([]byte, 0, blockSize+blockSize/4)}
			}
			b.data = append(append(b.data, line...), '\n')
			b.n++
			if len(b.data) >= blockSize && !flush() {
				return
			}
		}
		if err == io.EOF {
			flush()
			return
		}
		if err != nil {
			if flush() {
				yield(Block{}, err)
			}
			return
		}
	}
}

// readStream reads objects one after another, such as one pretty-printed
// object. A syntax error ends the stream: nothing after it can be trusted
// to line up, so that record is reported and reading stops.
func readStream(name string, lr *lineReader, yield func(Record, error) bool) {
	dec := json.NewDecoder(lr)
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return
		}
		if err != nil {
			if lr.err != nil && !errors.Is(lr.err, io.EOF) {
				yield(Record{}, lr.err)
				return
			}
			start, at := lr.errorLines(dec, err)
			yield(Record{Source: fmt.Sprintf("%s:%d", name, start),
				Err: fmt.Errorf("%w (near line %d); nothing after it was read", plainJSONError(err), at)}, nil)
			return
		}
		rec := Record{Source: fmt.Sprintf("%s:%d", name, lr.startLine(dec, raw))}
		rec.Fields, rec.Err = decodeObject(raw)
		if !yield(rec, nil) {
			return
		}
	}
}

// readArray reads a JSON array of objects, one record per element.
func readArray(name string, lr *lineReader, yield func(Record, error) bool) {
	dec := json.NewDecoder(lr)
	if _, err := dec.Token(); err != nil {
		yield(Record{}, err)
		return
	}
	for i := 0; ; i++ {
		if !dec.More() {
			if _, err := dec.Token(); err != nil {
				yield(Record{Source: fmt.Sprintf("%s#%d", name, i),
					Err: fmt.Errorf("the array is not closed (near line %d): %w", lr.lineAt(dec), plainJSONError(err))}, nil)
			}
			return
		}
		rec := Record{Source: fmt.Sprintf("%s#%d", name, i)}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if lr.err != nil && !errors.Is(lr.err, io.EOF) {
				yield(Record{}, lr.err)
				return
			}
			_, at := lr.errorLines(dec, err)
			rec.Err = fmt.Errorf("%w (near line %d); the rest of the array was not read", plainJSONError(err), at)
			yield(rec, nil)
			return
		}
		rec.Fields, rec.Err = decodeObject(raw)
		if !yield(rec, nil) {
			return
		}
	}
}

// lineReader counts lines as it reads, so that records can be located.
type lineReader struct {
	r     io.Reader
	buf   []byte // read ahead, not yet consumed
	chunk []byte
	lines int // newlines consumed
	eof   bool
	err   error
}

func (lr *lineReader) fill() bool {
	if lr.eof {
		return false
	}
	if lr.chunk == nil {
		lr.chunk = make([]byte, 64*1024)
	}
	n, err := lr.r.Read(lr.chunk)
	if len(lr.buf) == 0 {
		lr.buf = lr.chunk[:0:0] // start a fresh slice; chunk is reused
	}
	lr.buf = append(lr.buf, lr.chunk[:n]...)
	if err != nil {
		lr.eof = true
		lr.err = err
	}
	return n > 0 || !lr.eof
}

// Read hands buffered bytes to a decoder, counting the newlines it takes.
func (lr *lineReader) Read(p []byte) (int, error) {
	for len(lr.buf) == 0 {
		if !lr.fill() {
			if lr.err == nil {
				return 0, io.EOF
			}
			return 0, lr.err
		}
	}
	n := copy(p, lr.buf)
	lr.lines += bytes.Count(p[:n], []byte{'\n'})
	lr.buf = lr.buf[n:]
	return n, nil
}

// line is the current line number, counting from 1.
func (lr *lineReader) line() int { return lr.lines + 1 }

// lineAt is the line a decoder has reached: what was read, less what the
// decoder holds unread.
func (lr *lineReader) lineAt(dec *json.Decoder) int {
	var unread newlines
	io.Copy(&unread, dec.Buffered()) // a bytes.Reader: counted in place, not copied
	return lr.lines - int(unread) + 1
}

// newlines counts the newlines written to it.
type newlines int

func (n *newlines) Write(p []byte) (int, error) {
	*n += newlines(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// startLine is the line a value just decoded began on: the line the
// decoder has reached, less the lines inside the value.
func (lr *lineReader) startLine(dec *json.Decoder, raw []byte) int {
	return lr.lineAt(dec) - bytes.Count(raw, []byte{'\n'})
}

// errorLines returns the line where the value that failed to decode starts
// and the line of the error itself. On a syntax error the decoder has not
// moved past the start of the value.
func (lr *lineReader) errorLines(dec *json.Decoder, err error) (start, at int) {
	rest, _ := io.ReadAll(dec.Buffered())
	start = lr.lines - bytes.Count(rest, []byte{'\n'}) + 1
	lead := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n"))
	start += bytes.Count(rest[:lead], []byte{'\n'})
	at = start
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if rel := int(se.Offset - dec.InputOffset()); rel > 0 && rel <= len(rest) {
			at = lr.lines - bytes.Count(rest, []byte{'\n'}) + 1 + bytes.Count(rest[:rel], []byte{'\n'})
		}
	}
	return start, at
}

// peekNonSpace skips a UTF-8 byte order mark and white space, and returns
// the first byte after them without consuming it.
func (lr *lineReader) peekNonSpace() (byte, error) {
	for {
		for len(lr.buf) > 0 {
			if bytes.HasPrefix(lr.buf, []byte("\xef\xbb\xbf")) {
				lr.buf = lr.buf[3:]
				continue
			}
			switch c := lr.buf[0]; c {
			case '\n':
				lr.lines++
				lr.buf = lr.buf[1:]
			case ' ', '\t', '\r':
				lr.buf = lr.buf[1:]
			default:
				return c, nil
			}
		}
		if len(lr.buf) < 3 && !lr.fill() {
			if lr.err != nil && lr.err != io.EOF {
				return 0, lr.err
			}
			return 0, io.EOF
		}
	}
}

// firstLineIsValue reports whether the first line holds a whole JSON value,
// the mark of JSON Lines.
func (lr *lineReader) firstLineIsValue() bool {
	for bytes.IndexByte(lr.buf, '\n') < 0 && lr.fill() {
	}
	line := lr.buf
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return json.Valid(bytes.TrimSpace(line))
}

// errLineTooLong is what is wrong with a line of JSON Lines longer than
// maxRow.
var errLineTooLong = fmt.Errorf("the line runs on past %d MiB without ending; expected one record per line, of at most %d MiB, and reading goes on at the next line", maxRow>>20, maxRow>>20)

// next returns the next line (without its newline) and its number. A line
// longer than maxRow is skipped, not kept: next returns errLineTooLong and
// its number.
func (lr *lineReader) next() ([]byte, int, error) {
	for {
		if i := bytes.IndexByte(lr.buf, '\n'); i >= 0 {
			line := lr.buf[:i]
			lr.buf = lr.buf[i+1:]
			lr.lines++
			return bytes.TrimSuffix(line, []byte{'\r'}), lr.lines, nil
		}
		if len(lr.buf) > maxRow {
			n := lr.lines + 1
			lr.buf = nil
			if !lr.eof {
				var err error
				if _, lr.buf, err = skipLine(lr.r); err != nil {
					lr.eof, lr.err = true, err
				} else {
					lr.lines++
				}
			}
			return nil, n, errLineTooLong
		}
		if !lr.fill() || lr.eof {
			if i := bytes.IndexByte(lr.buf, '\n'); i >= 0 {
				continue
			}
			line := lr.buf
			lr.buf = nil
			err := lr.err
			if err == nil {
				err = io.EOF
			}
			return line, lr.lines + 1, err
		}
	}
}
