package intake

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// rowReader reads the rows of a CSV file with encoding/csv, and goes on
// where encoding/csv stops. At a row it cannot read, such as one with a
// quote that is not closed, it starts a new csv.Reader at the line after
// that row's first line, over the bytes the last one had been handed
// since the row began and then the rest of the input: a broken quote
// costs one record, not every row after it.
type rowReader struct {
	delim rune
	src   *rowSource
	cr    *csv.Reader
	lines int // the lines of the input before cr's first
}

// newRowReader reads the rows of r, which begins after line lines of the
// input (a "sep=" line).
func newRowReader(r io.Reader, delim rune, lines int) *rowReader {
	rr := &rowReader{delim: delim, src: &rowSource{buf: make([]byte, 0, 64<<10)}}
	rr.start(r, lines)
	return rr
}

// start reads on from r, which begins after line lines of the input.
func (rr *rowReader) start(r io.Reader, lines int) {
	rr.src.reset(r, lines+1)
	rr.cr = csv.NewReader(rr.src)
	rr.cr.Comma = rr.delim
	rr.cr.FieldsPerRecord = -1 // counted by the caller, to say what is wrong
	// Only the slice is reused: each row's cells are a string of their
	// own, which the caller keeps without copying.
	rr.cr.ReuseRecord = true
	rr.lines = lines
}

// next returns the next row and the line it starts on. A row that cannot
// be read comes as a *csv.ParseError whose lines count from the start of
// the input; one that runs on past maxRow has errRowTooLong as its Err.
// next returns io.EOF at the end of the input, and any other error when
// reading the input fails.
func (rr *rowReader) next() ([]string, int, error) {
	for {
		row, err := rr.cr.Read()
		if rr.src.err != nil {
			return nil, 0, rr.src.err
		}
		if rr.src.capped {
			skip, found := longRowStart(rr.src.kept())
			line := rr.src.line + skip - 1
			if err := rr.restart(skip); err != nil {
				return nil, 0, err
			}
			if !found {
				continue // blank lines, which are no row
			}
			return nil, line, &csv.ParseError{StartLine: line, Line: line, Err: errRowTooLong}
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			pe.StartLine += rr.lines
			pe.Line += rr.lines
			if err := rr.restart(pe.StartLine - rr.src.line + 1); err != nil {
				return nil, 0, err
			}
			return nil, pe.StartLine, pe
		case err != nil:
			return nil, 0, err
		}
		line, _ := rr.cr.FieldPos(0)
		rr.src.rowDone(rr.cr.InputOffset())
		return row, rr.lines + line, nil
	}
}

// cellLine is the line of the input that cell i of the row next returned
// last starts on.
func (rr *rowReader) cellLine(i int) int {
	line, _ := rr.cr.FieldPos(i)
	return rr.lines + line
}

// restart starts a new csv.Reader after the first skip lines of what the
// last one was handed since the current row began. The last of those
// lines may not have been read to its end: the rest of it is skipped as
// it is read, not held.
func (rr *rowReader) restart(skip int) error {
	lines := rr.src.line - 1 + skip
	rest := rr.src.kept()
	for ; skip > 0; skip-- {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			more, err := skipLine(rr.src.r)
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			rest = more
			break
		}
		rest = rest[i+1:]
	}
	// The clone frees src's buffer for the new reader.
	rr.start(io.MultiReader(bytes.NewReader(bytes.Clone(rest)), rr.src.r), lines)
	return nil
}

// longRowStart finds where a row that ran on past maxRow begins in kept,
// past the blank lines that encoding/csv skips: it returns how many lines
// of kept there are up to the row's first line, that line included. If
// kept holds only blank lines, it returns their number and false: a last
// "\r" may be the start of one more.
func longRowStart(kept []byte) (lines int, found bool) {
	for {
		i := bytes.IndexByte(kept, '\n')
		if i < 0 {
			if len(bytes.TrimSuffix(kept, []byte{'\r'})) == 0 {
				return lines, false
			}
			return lines + 1, true
		}
		lines++
		if len(bytes.TrimSuffix(kept[:i], []byte{'\r'})) > 0 {
			return lines, true
		}
		kept = kept[i+1:]
	}
}

// rowSource hands the input to a csv.Reader, keeping what it has handed
// out since the current row began, for a new reader to read again. Once
// that passes maxRow it ends the input (capped), so that a row that never
// ends is not held whole.
type rowSource struct {
	r      io.Reader
	buf    []byte // handed out; the current row begins at buf[start]
	start  int
	off    int64 // the input offset of buf[start], as the csv.Reader counts it
	line   int   // the line of the input buf[start] is on
	capped bool
	err    error // a failure to read r
}

func (s *rowSource) reset(r io.Reader, line int) {
	*s = rowSource{r: r, buf: s.buf[:0], line: line}
}

func (s *rowSource) Read(p []byte) (int, error) {
	room := maxRow - (len(s.buf) - s.start)
	if room <= 0 {
		s.capped = true
		return 0, io.EOF
	}
	if s.start > 0 && len(s.buf)+len(p) > cap(s.buf) {
		// Make room over the rows already read, rather than grow.
		s.buf = s.buf[:copy(s.buf, s.buf[s.start:])]
		s.start = 0
	}
	n, err := s.r.Read(p[:min(len(p), room)])
	s.buf = append(s.buf, p[:n]...)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return n, err
}

// kept is what was handed out since the current row began.
func (s *rowSource) kept() []byte { return s.buf[s.start:] }

// rowDone marks the end of a row: the next one begins at input offset off.
func (s *rowSource) rowDone(off int64) {
	done := s.buf[s.start : s.start+int(off-s.off)]
	s.line += bytes.Count(done, []byte{'\n'})
	s.start += len(done)
	s.off = off
}
