package intake

import "encoding/json"

// decodeFlat decodes a JSON object whose members are all strings,
// numbers, true, false, null or arrays of these: the shape of an intake
// record, which is most of a JSON Lines file. It gives what
// encoding/json's Decoder with UseNumber gives (numbers as json.Number),
// several times faster, as it needs no reflection and no scanner state per
// byte. ok is false for anything else, a key given twice included, and
// the caller then decodes the slow way, which says what is wrong. data
// must be valid UTF-8.
func decodeFlat(data []byte) (map[string]any, bool) {
	p := flatParser{data: data}
	p.space()
	if p.i >= len(data) || data[p.i] != '{' {
		return nil, false
	}
	m := make(map[string]any, p.members())
	ok := p.object(func(key string) bool {
		v, ok := p.value(true)
		if _, dup := m[key]; dup || !ok {
			return false
		}
		m[key] = v
		return true
	})
	if !ok || !p.end() {
		return nil, false
	}
	return m, true
}

type flatParser struct {
	data []byte
	i    int
}

// members counts the commas after the opening brace, to size the map: one
// more than the commas outside strings, for a flat object.
func (p *flatParser) members() int {
	n, in := 1, false
	for i := p.i; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && c == ',':
			n++
		}
	}
	return n
}

func (p *flatParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c if it comes next.
func (p *flatParser) byte(c byte) bool {
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (p *flatParser) end() bool {
	p.space()
	return p.i == len(p.data)
}

// value reads a string, number, true, false or null, or (if arrays) an
// array of these.
func (p *flatParser) value(arrays bool) (any, bool) {
	if p.i >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.i]; {
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == '[' && arrays:
		return p.scalars()
	}
	for _, lit := range [...]struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(p.data)-p.i >= len(lit.text) && string(p.data[p.i:p.i+len(lit.text)]) == lit.text {
			p.i += len(lit.text)
			return lit.v, true
		}
	}
	return nil, false
}

// scalars reads an array of strings, numbers, booleans and nulls.
func (p *flatParser) scalars() (any, bool) {
	out := []any{}
	ok := p.array(func() bool {
		v, ok := p.value(false)
		out = append(out, v)
		return ok
	})
	return out, ok
}

// string reads a JSON string. One without escapes is copied as it is; one
// with escapes is left to encoding/json, which knows them all.
func (p *flatParser) string() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	escaped := false
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			if !escaped {
				return string(p.data[start : p.i-1]), true
			}
			var s string
			if json.Unmarshal(p.data[start-1:p.i], &s) != nil {
				return "", false
			}
			return s, true
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return "", false // a control character must be escaped
		default:
			p.i++ // the caller checked the UTF-8
		}
	}
	return "", false
}

// number reads a JSON number as json.Number, checking its grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *flatParser) number() (any, bool) {
	start := p.i
	p.byte('-')
	switch {
	case p.byte('0'):
	case p.digits() == 0:
		return nil, false
	}
	if p.byte('.') && p.digits() == 0 {
		return nil, false
	}
	if p.byte('e') || p.byte('E') {
		if !p.byte('+') {
			p.byte('-')
		}
		if p.digits() == 0 {
			return nil, false
		}
	}
	return json.Number(p.data[start:p.i]), true
}

func (p *flatParser) digits() int {
	n := 0
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// object reads an object, calling member with each key once the parser
// is at its value; member must read the value.
func (p *flatParser) object(member func(key string) bool) bool {
	if !p.byte('{') {
		return false
	}
	p.space()
	if p.byte('}') {
		return true
	}
	for {
		p.space()
		key, ok := p.string()
		if !ok {
			return false
		}
		p.space()
		if !p.byte(':') {
			return false
		}
		p.space()
		if !member(key) {
			return false
		}
		p.space()
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

// array reads an array, calling elem with the parser at each element;
// elem must read it.
func (p *flatParser) array(elem func() bool) bool {
	if !p.byte('[') {
		return false
	}
	p.space()
	if p.byte(']') {
		return true
	}
	for {
		p.space()
		if !elem() {
			return false
		}
		p.space()
		if p.byte(']') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

// null consumes null if it comes next.
func (p *flatParser) null() bool {
	if len(p.data)-p.i >= 4 && string(p.data[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// skip reads any value, checking it, to depth levels of nesting.
func (p *flatParser) skip(depth int) bool {
	if depth > 1000 {
		return false
	}
	if p.i >= len(p.data) {
		return false
	}
	switch p.data[p.i] {
	case '{':
		return p.object(func(string) bool { return p.skip(depth + 1) })
	case '[':
		return p.array(func() bool { return p.skip(depth + 1) })
	}
	_, ok := p.value(false)
	return ok
}
