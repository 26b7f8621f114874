package intake

import (
	"bytes"
	"encoding/json" // for json.Number alone, the type screening reads numbers as
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/mesoscreen/mesoscreen/screening"
)

// member is one name and value of a JSON object, as written.
type member struct {
	name  string
	value any
}

// object is a decoded JSON object: its members in file order, a name given
// twice kept twice. A map would keep one of them and hide that an answer
// was given twice, which is the hazard: neither can be trusted.
type object []member

// values returns every value given for name, in order.
func (o object) values(name string) []any {
	var out []any
	for _, m := range o {
		if m.name == name {
			out = append(out, m.value)
		}
	}
	return out
}

// valueDecoder decodes JSON text into string, json.Number (numbers stay
// exact, as written: an age of 17.9999999999999999 is not 18), bool, nil,
// []any and object. One is kept per reading goroutine, so that each record
// does not make a decoder of its own.
type valueDecoder struct {
	dec *jsontext.Decoder
	r   bytes.Reader
}

// jsonOptions: a name given twice is not an error of the text; the readers
// find it and say which field it spoils. Nor is text that is not UTF-8:
// the readers check each record's bytes and report that record alone,
// reading on.
var jsonOptions = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// decode decodes data, which must hold exactly one JSON value.
func (d *valueDecoder) decode(data []byte) (any, error) {
	d.r.Reset(data)
	if d.dec == nil {
		d.dec = jsontext.NewDecoder(&d.r, jsonOptions...)
	} else {
		d.dec.Reset(&d.r, jsonOptions...)
	}
	v, err := d.value()
	if err != nil {
		return nil, explain(d.dec, err)
	}
	if _, err := d.dec.ReadToken(); err != io.EOF {
		rest := d.dec.UnreadBuffer()
		i := skipSpace(rest, 0)
		if i == len(rest) { // cannot be: the decoder saw something more
			return nil, errors.New("more than one JSON value; expected one object")
		}
		return nil, fmt.Errorf("invalid JSON: found %s after the value's end, expected one JSON value and nothing after it", foundAt(rest, i))
	}
	return v, nil
}

func (d *valueDecoder) value() (any, error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case '0':
		return json.Number(tok.String()), nil
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	case '[':
		list := []any{}
		for d.dec.PeekKind() != ']' {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := d.dec.ReadToken()
		return list, err
	case '{':
		obj := object{}
		for d.dec.PeekKind() != '}' {
			tok, err := d.dec.ReadToken()
			if err != nil {
				return nil, err
			}
			name := tok.String() // before the decoder moves on and voids tok
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{name, v})
		}
		_, err := d.dec.ReadToken()
		return obj, err
	}
	return nil, fmt.Errorf("unexpected %v", tok)
}

// plain turns a decoded value into the raw answer screening reads: an
// object becomes a map. A name given twice inside it makes the whole
// value a screening.Conflict of the values given for that name.
func plain(v any) any {
	switch x := v.(type) {
	case object:
		m := make(map[string]any, len(x))
		for _, mb := range x {
			if prev, dup := m[mb.name]; dup {
				return screening.Conflict{prev, plain(mb.value)}
			}
			m[mb.name] = plain(mb.value)
		}
		return m
	case []any:
		for i, e := range x {
			p := plain(e)
			if c, ok := p.(screening.Conflict); ok {
				return c
			}
			x[i] = p
		}
	}
	return v
}

// describeValue names the kind of a decoded value, for a message.
func describeValue(v any) string {
	switch v.(type) {
	case object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
