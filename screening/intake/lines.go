package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// readLines reads JSON Lines (or FHIR NDJSON), calling each with every
// line that is not blank and its number. A line past maxRow is a record
// of its own, with errLineTooLong, and reading goes on after it.
func readLines(name string, lr *lineReader, each func(line []byte, n int) bool, yield func(Record, error) bool) {
	for {
		line, n, err := lr.next()
		if err == errLineTooLong {
			if !yield(Record{Source: source(name, n), Err: err}, nil) {
				return
			}
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 && !each(line, n) {
			return
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(Record{}, err)
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

	// capped, once startValue is called, limits what Read hands out
	// to maxRow bytes from the last startValue.
	capped bool
	handed int
}

// startValue marks where a decoder starts to read a value: from
// here, Read hands out at most maxRow bytes before it fails with
// errValueTooLong, so that a value that never ends (a "{" and nothing to
// close it) is not held whole.
func (lr *lineReader) startValue() {
	lr.capped, lr.handed = true, 0
}

// errValueTooLong is what is wrong with a JSON value, other than a line of
// JSON Lines, that runs on past maxRow.
var errValueTooLong = fmt.Errorf("the value runs on past %d MiB; expected records of at most %d MiB", maxRow>>20, maxRow>>20)

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
	if lr.capped {
		if lr.handed >= maxRow {
			return 0, errValueTooLong
		}
		p = p[:min(len(p), maxRow-lr.handed)]
	}
	n := copy(p, lr.buf)
	lr.lines += bytes.Count(p[:n], []byte{'\n'})
	lr.buf = lr.buf[n:]
	lr.handed += n
	return n, nil
}

// line is the current line number, counting from 1.
func (lr *lineReader) line() int { return lr.lines + 1 }

// lineAt is the line a decoder has reached: what was read, less what the
// decoder holds unread.
func (lr *lineReader) lineAt(dec *jsontext.Decoder) int {
	return lr.lines - bytes.Count(dec.UnreadBuffer(), []byte{'\n'}) + 1
}

// startLine is the line a value just decoded began on: the line the
// decoder has reached, less the lines inside the value.
func (lr *lineReader) startLine(dec *jsontext.Decoder, raw []byte) int {
	return lr.lineAt(dec) - bytes.Count(raw, []byte{'\n'})
}

// errorLines says what is wrong with the value a decoder failed on with
// err, and returns the line where that value starts and the line of the
// problem itself. On a syntax error the decoder has not moved past the
// start of the value, or past the last token read inside it.
func (lr *lineReader) errorLines(dec *jsontext.Decoder, err error) (start, at int, problem error) {
	if errors.Is(err, errValueTooLong) {
		problem = errValueTooLong
	}
	p := explain(dec, err)
	if problem == nil {
		problem = p
	}
	rest := dec.UnreadBuffer()
	base := lr.lineAt(dec)
	lead := len(rest) - len(bytes.TrimLeft(rest, ",: \t\r\n"))
	start = base + bytes.Count(rest[:lead], []byte{'\n'})
	at = base + bytes.Count(rest[:min(p.at, len(rest))], []byte{'\n'})
	return start, max(start, at), problem
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

// looksLikeLines reports whether the input is JSON Lines: its first line
// holds a whole JSON value or, when the value that starts there is broken,
// the next line holds an object of its own; a pretty-printed value reads
// whole, or breaks where no such line follows. A first line that runs on
// past maxRow is taken as one line too long, so that it is reported and
// reading goes on. It looks at the first maxRow bytes at most.
func (lr *lineReader) looksLikeLines() bool {
	end := lr.lineEnd(0)
	if end < 0 {
		return len(lr.buf) > maxRow || isJSON(bytes.TrimSpace(lr.buf))
	}
	if isJSON(bytes.TrimSpace(lr.buf[:end])) {
		return true
	}
	var next []byte
	for start := end + 1; len(next) == 0; start = end + 1 {
		if end = lr.lineEnd(start); end < 0 {
			if len(lr.buf) > maxRow {
				return false
			}
			end = len(lr.buf) // the last line
		}
		next = bytes.TrimSpace(lr.buf[start:end])
		if end == len(lr.buf) {
			break
		}
	}
	if len(next) == 0 || next[0] != '{' || !isJSON(next) {
		return false
	}
	// The value at the start is broken, not merely cut off where the
	// buffer ends.
	_, err := jsontext.NewDecoder(bytes.NewReader(lr.buf), jsonOptions...).ReadValue()
	var se *jsontext.SyntacticError
	return errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF)
}

// isJSON reports whether b is one JSON value.
func isJSON(b []byte) bool {
	return jsontext.Value(b).IsValid(jsonOptions...)
}

// lineEnd returns the index in lr.buf of the first newline at or after
// from, reading on until there is one or the buffer holds more than
// maxRow; -1 if there is none.
func (lr *lineReader) lineEnd(from int) int {
	for {
		if i := bytes.IndexByte(lr.buf[from:], '\n'); i >= 0 {
			return from + i
		}
		if len(lr.buf) > maxRow || !lr.fill() {
			return -1
		}
	}
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
				if lr.buf, err = skipLine(lr.r); err != nil {
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
