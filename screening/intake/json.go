package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// JSON reads a file of JSON intakes: one object, an array of objects, a run
// of objects, or JSON Lines (one object per line). name labels the sources.
// The sequence yields a non-nil error, and stops, only when reading the
// input itself fails.
func JSON(name string, r io.Reader) iter.Seq2[Record, error] {
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
		switch {
		case first == '[':
			readArray(name, lr, yield)
		case first == '{' && lr.firstLineIsValue():
			readLines(name, lr, func(line []byte, n int) bool {
				rec := Record{Source: source(name, n)}
				rec.Fields, rec.NoIdentifier, rec.Err = decodeObject(line)
				return yield(rec, nil)
			}, yield)
		case first == '{':
			readStream(name, lr, yield)
		default:
			yield(Record{Source: source(name, lr.line()),
				Err: fmt.Errorf("found %q, expected a JSON object, an array of objects, or JSON Lines", first)}, nil)
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
			yield(Record{Source: source(name, start),
				Err: fmt.Errorf("%w (near line %d); nothing after it was read", plainJSONError(err), at)}, nil)
			return
		}
		rec := Record{Source: source(name, lr.startLine(dec, raw))}
		rec.Fields, rec.NoIdentifier, rec.Err = decodeObject(raw)
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
		rec.Fields, rec.NoIdentifier, rec.Err = decodeObject(raw)
		if !yield(rec, nil) {
			return
		}
	}
}

// savedKind marks a record written by "mesoscreen interview --save"; its
// answers are screened again.
const savedKind = "mesoscreen.record"

// decodeObject decodes one JSON object into its members, in order,
// keeping numbers exact. It reads the object a member at a time to refuse
// a key given twice: with two answers to one question, neither can be
// trusted. noID is set for a saved record that was saved without a patient
// id on purpose.
func decodeObject(data []byte) (fields []Field, noID bool, err error) {
	fields, err = decodeMembers(data)
	if err != nil {
		return nil, false, err
	}
	for _, f := range fields {
		if f.ID == "kind" && f.Value == savedKind {
			for _, g := range fields {
				if g.ID == "no_patient_id" && g.Value == true {
					noID = true
				}
			}
			fields, err = savedAnswers(fields)
			return fields, noID, err
		}
	}
	return fields, false, nil
}

// decodeMembers decodes the members of one JSON object, in order.
func decodeMembers(data []byte) ([]Field, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("the text is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, plainJSONError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("found %s, expected a JSON object of answers", describe(tok))
	}
	var fields []Field
	seen := map[string]bool{}
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
		if seen[k] {
			return nil, fmt.Errorf("field %q is given twice; expected each field once", k)
		}
		seen[k] = true
		fields = append(fields, Field{ID: k, Value: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, plainJSONError(err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value; expected one object")
	}
	return fields, nil
}

// savedAnswers returns the answers of a saved record. They were decoded
// as a map, so they come in the order of their ids.
func savedAnswers(fields []Field) ([]Field, error) {
	for _, f := range fields {
		if ans, ok := f.Value.(map[string]any); ok && f.ID == "answers" {
			out := make([]Field, 0, len(ans))
			for k, v := range ans {
				out = append(out, Field{ID: k, Value: v})
			}
			slices.SortFunc(out, func(a, b Field) int { return strings.Compare(a.ID, b.ID) })
			return out, nil
		}
	}
	return nil, errors.New(`a saved record without "answers"`)
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
