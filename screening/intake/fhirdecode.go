package intake

import (
	"encoding/json"
	"slices"
	"strings"
)

// decodeResource decodes a FHIR resource into res as json.Unmarshal does,
// for the resources of an export: the fields fhirResource has, read by
// hand, and every other member skipped (but checked). It is several times
// faster than encoding/json's reflection. ok is false for anything it is
// not sure to read the same way (a syntax error, a value of an unexpected
// kind, a key matching a field only when case is ignored, a Bundle); the
// caller then uses json.Unmarshal, which also says what is wrong.
// FuzzDecodeResource holds the two to the same result. data must be
// valid UTF-8.
func decodeResource(data []byte, res *fhirResource) bool {
	p := flatParser{data: data}
	p.space()
	return p.resource(res) && p.end()
}

// decodeEntry decodes a Bundle entry into e as json.Unmarshal does, as
// decodeResource does a resource.
func decodeEntry(data []byte, e *fhirEntry) bool {
	p := flatParser{data: data}
	p.space()
	var seen uint64
	return p.object(func(key string) bool {
		if key != "resource" {
			return p.other(key, "resource")
		}
		if !once(&seen, 0) {
			return false
		}
		if p.null() {
			e.Resource = nil
			return true
		}
		e.Resource = new(fhirResource)
		return p.resource(e.Resource)
	}) && p.end()
}

// once reports whether bit is not yet set in *seen, and sets it. A field
// given twice is left to encoding/json, whose rules for merging the two
// are not worth copying.
func once(seen *uint64, bit uint) bool {
	if *seen&(1<<bit) != 0 {
		return false
	}
	*seen |= 1 << bit
	return true
}

// resource reads the object of a resource into res.
func (p *flatParser) resource(res *fhirResource) bool {
	var seen uint64
	return p.object(func(key string) bool {
		switch key {
		case "resourceType":
			return once(&seen, 0) && p.stringField(&res.ResourceType)
		case "id":
			return once(&seen, 1) && p.stringField(&res.ID)
		case "subject":
			if !once(&seen, 2) {
				return false
			}
			if p.null() {
				res.Subject = nil
				return true
			}
			res.Subject = new(fhirReference)
			var seen uint64
			return p.object(func(key string) bool {
				if key == "reference" {
					return once(&seen, 0) && p.stringField(&res.Subject.Reference)
				}
				return p.other(key, "reference")
			})
		case "identifier":
			start := p.i
			if !once(&seen, 3) || !p.skip(0) {
				return false
			}
			res.Identifier = append(json.RawMessage(nil), p.data[start:p.i]...)
			return true
		case "item":
			return once(&seen, 4) && p.items(&res.Item)
		}
		return p.other(key, "resourceType", "id", "subject", "identifier", "item", "entry")
	})
}

// other skips the value of a member that is none of the known fields.
// A key that matches one of them only when case is ignored, which
// encoding/json would read into that field, is left to encoding/json.
func (p *flatParser) other(key string, known ...string) bool {
	for _, k := range known {
		if strings.EqualFold(key, k) {
			return false
		}
	}
	return p.skip(0)
}

// items reads an array of items into *dst, or null.
func (p *flatParser) items(dst *[]fhirItem) bool {
	if p.null() {
		*dst = nil
		return true
	}
	var out []fhirItem
	ok := p.array(func() bool {
		if p.null() {
			return false // a null element: left to encoding/json
		}
		out = append(out, fhirItem{})
		it := &out[len(out)-1]
		var seen uint64
		return p.object(func(key string) bool {
			switch key {
			case "linkId":
				return once(&seen, 0) && p.stringField(&it.LinkID)
			case "answer":
				return once(&seen, 1) && p.answers(&it.Answer)
			case "item":
				return once(&seen, 2) && p.items(&it.Item)
			}
			return p.other(key, "linkId", "answer", "item")
		})
	})
	if out == nil {
		out = []fhirItem{}
	}
	*dst = out
	return ok
}

// answerFields are the members of an answer that fhirAnswer has.
var answerFields = []string{"valueBoolean", "valueInteger", "valueDecimal", "valueString", "valueCoding", "item"}

// answers reads an array of answers into *dst, or null.
func (p *flatParser) answers(dst *[]fhirAnswer) bool {
	if p.null() {
		*dst = nil
		return true
	}
	var out []fhirAnswer
	ok := p.array(func() bool {
		if p.null() {
			return false // a null element: left to encoding/json
		}
		out = append(out, fhirAnswer{})
		a := &out[len(out)-1]
		var seen uint64
		return p.object(func(key string) bool {
			if bit := slices.Index(answerFields, key); bit >= 0 && !once(&seen, uint(bit)) {
				return false
			}
			switch key {
			case "valueBoolean":
				if p.null() {
					a.ValueBoolean = nil
					return true
				}
				v, ok := p.value(false)
				b, isBool := v.(bool)
				if !ok || !isBool {
					return false
				}
				a.ValueBoolean = &b
				return true
			case "valueInteger":
				return p.numberField(&a.ValueInteger)
			case "valueDecimal":
				return p.numberField(&a.ValueDecimal)
			case "valueString":
				if p.null() {
					a.ValueString = nil
					return true
				}
				s, ok := p.string()
				if !ok {
					return false
				}
				a.ValueString = &s
				return true
			case "valueCoding":
				if p.null() {
					a.ValueCoding = nil
					return true
				}
				a.ValueCoding = new(struct {
					Code string `json:"code"`
				})
				var seen uint64
				return p.object(func(key string) bool {
					if key == "code" {
						return once(&seen, 0) && p.stringField(&a.ValueCoding.Code)
					}
					return p.other(key, "code")
				})
			case "item":
				return p.items(&a.Item)
			}
			return p.other(key, answerFields...)
		})
	})
	if out == nil {
		out = []fhirAnswer{}
	}
	*dst = out
	return ok
}

// stringField reads a string into *dst; null leaves *dst as it is.
func (p *flatParser) stringField(dst *string) bool {
	if p.null() {
		return true
	}
	s, ok := p.string()
	*dst = s
	return ok
}

// numberField reads a number into *dst; null sets it to nil. A number
// written as a string, which encoding/json also accepts, is left to it.
func (p *flatParser) numberField(dst **json.Number) bool {
	if p.null() {
		*dst = nil
		return true
	}
	if p.i >= len(p.data) || p.data[p.i] != '-' && (p.data[p.i] < '0' || p.data[p.i] > '9') {
		return false
	}
	v, ok := p.number()
	if !ok {
		return false
	}
	n := v.(json.Number)
	*dst = &n
	return true
}
