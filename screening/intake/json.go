package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/mesoscreen/mesoscreen/screening"
)

// JSON reads a file of JSON intakes: one object, an array of objects, a run
// of objects, or JSON Lines (one object per line). name labels the sources.
// The sequence yields a non-nil error, and stops, only when reading the
// input itself fails.
func JSON(name string, r io.Reader) iter.Seq2[Record, error] {
	return readJSON(name, r, false)
}

// JSONLines reads JSON Lines, one object per line, whatever the first
// line holds.
func JSONLines(name string, r io.Reader) iter.Seq2[Record, error] {
	return readJSON(name, r, true)
}

func readJSON(name string, r io.Reader, lines bool) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		lr := &lineReader{r: r}
		first, err := lr.peekNonSpace()
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(Record{}, err)
			return
		}
		d := &valueDecoder{}
		switch {
		case lines || first == '{' && lr.looksLikeLines():
			readLines(name, lr, func(line []byte, n int) bool {
				rec := Record{Source: source(name, n)}
				rec.Fields, rec.Saved, rec.Err = d.decodeObject(line)
				return yield(rec, nil)
			}, yield)
		case first == '[':
			readArray(name, lr, d, yield)
		case first == '{':
			readStream(name, lr, d, yield)
		default:
			yield(Record{Source: source(name, lr.line()),
				Err: fmt.Errorf("found %q, expected a JSON object, an array of objects, or JSON Lines", first)}, nil)
		}
	}
}

// readStream reads objects one after another, such as one pretty-printed
// object. A syntax error ends the stream: nothing after it can be trusted
// to line up, so that record is reported and reading stops.
func readStream(name string, lr *lineReader, d *valueDecoder, yield func(Record, error) bool) {
	dec := jsontext.NewDecoder(lr, jsonOptions...)
	for {
		lr.startValue()
		raw, err := dec.ReadValue()
		if err == io.EOF {
			return
		}
		if err != nil {
			if lr.err != nil && !errors.Is(lr.err, io.EOF) {
				yield(Record{}, lr.err)
				return
			}
			start, at, problem := lr.errorLines(dec, err)
			yield(Record{Source: source(name, start),
				Err: fmt.Errorf("%w (near line %d); nothing after it was read", problem, at)}, nil)
			return
		}
		rec := Record{Source: source(name, lr.startLine(dec, raw))}
		rec.Fields, rec.Saved, rec.Err = d.decodeObject(raw)
		if !yield(rec, nil) {
			return
		}
	}
}

// readArray reads a JSON array of objects, one record per element.
func readArray(name string, lr *lineReader, d *valueDecoder, yield func(Record, error) bool) {
	dec := jsontext.NewDecoder(lr, jsonOptions...)
	if _, err := dec.ReadToken(); err != nil {
		yield(Record{}, err)
		return
	}
	for i := 0; ; i++ {
		lr.startValue()
		src := fmt.Sprintf("%s#%d", name, i)
		if dec.PeekKind() == ']' {
			_, _ = dec.ReadToken() // what follows the array is not read
			return
		}
		raw, err := dec.ReadValue()
		if err != nil {
			if lr.err != nil && !errors.Is(lr.err, io.EOF) {
				yield(Record{}, lr.err)
				return
			}
			_, at, problem := lr.errorLines(dec, err)
			if p, ok := problem.(syntaxProblem); ok && p.eof && len(bytes.TrimLeft(dec.UnreadBuffer(), ", \t\r\n")) == 0 {
				// Nothing of another element: the array just stops.
				yield(Record{Source: src, Err: fmt.Errorf("the array is not closed (near line %d): %w", at, problem)}, nil)
				return
			}
			yield(Record{Source: src, Err: fmt.Errorf("%w (near line %d); the rest of the array was not read", problem, at)}, nil)
			return
		}
		rec := Record{Source: src}
		rec.Fields, rec.Saved, rec.Err = d.decodeObject(raw)
		if !yield(rec, nil) {
			return
		}
	}
}

// savedKind marks a record written by "mesoscreen interview --save"; its
// answers are screened again.
const savedKind = screening.RecordKind

// decodeObject decodes one JSON object into its members, in order,
// keeping numbers exact. A name given more than once is one field whose
// value is a screening.Conflict of every value given: with two answers to
// one question, neither can be trusted, and the rest of the record is
// still read. A record saved by "mesoscreen interview --save" gives the
// answers of its latest screening, and itself for its history.
func (d *valueDecoder) decodeObject(data []byte) ([]Field, *screening.SavedRecord, error) {
	if !utf8.Valid(data) {
		return nil, nil, errors.New("the text is not valid UTF-8")
	}
	v, err := d.decode(data)
	if err != nil {
		return nil, nil, err
	}
	obj, ok := v.(object)
	if !ok {
		return nil, nil, fmt.Errorf("found %s, expected a JSON object of answers", describeValue(v))
	}
	kinds := obj.values("kind")
	if slices.Contains(kinds, any(savedKind)) {
		if len(kinds) > 1 {
			return nil, nil, fmt.Errorf("kind is given %d times; expected it once", len(kinds))
		}
		// The answers are read here, where a name given twice is kept
		// as a conflict; the history, from the same bytes.
		fields, err := savedAnswers(obj)
		if err != nil {
			return nil, nil, err
		}
		rec, err := screening.ReadSavedRecord(data)
		if err != nil {
			return nil, nil, err
		}
		return fields, &rec, nil
	}
	return fields(obj), nil, nil
}

// fields returns the members of obj as answers, in file order, a name
// given more than once as one field at its first place.
func fields(obj object) []Field {
	out := make([]Field, 0, len(obj))
	var at map[string]int // made only for a large object
	if len(obj) > 32 {
		at = make(map[string]int, len(obj))
	}
	for _, m := range obj {
		i := -1
		if at != nil {
			if j, ok := at[m.name]; ok {
				i = j
			}
		} else {
			for j := range out {
				if out[j].ID == m.name {
					i = j
					break
				}
			}
		}
		v := plain(m.value)
		if i < 0 {
			if at != nil {
				at[m.name] = len(out)
			}
			out = append(out, Field{ID: m.name, Value: v})
			continue
		}
		c, ok := out[i].Value.(duplicate)
		if !ok {
			c = duplicate{out[i].Value}
		}
		out[i].Value = append(c, v)
	}
	for i, f := range out {
		if c, ok := f.Value.(duplicate); ok {
			out[i].Value = screening.Conflict(c)
		}
	}
	return out
}

// duplicate gathers the values of a name while an object is read; a
// value that is a screening.Conflict of its own (a name twice inside it)
// is one value among them.
type duplicate []any

// savedAnswers returns the answers of a saved record, sorted by field
// id as the record writes them. An "answers" given twice is read as one,
// a field in both being given twice.
func savedAnswers(obj object) ([]Field, error) {
	var all object
	found := false
	for _, a := range obj.values("answers") {
		ans, ok := a.(object)
		if !ok {
			return nil, fmt.Errorf("the saved record's answers are %s; expected an object", describeValue(a))
		}
		found = true
		all = append(all, ans...)
	}
	if !found {
		return nil, errors.New(`a saved record without "answers"`)
	}
	out := fields(all)
	slices.SortStableFunc(out, func(a, b Field) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
