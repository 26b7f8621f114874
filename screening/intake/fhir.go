package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"
)

// The few parts of FHIR R4 that screening needs. Unknown fields are
// ignored, so any valid resource decodes.
type fhirResource struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	Subject      *fhirReference  `json:"subject"`
	Identifier   json.RawMessage `json:"identifier"` // one Identifier in R4, a list in R5
	Item         []fhirItem      `json:"item"`
	Entry        []fhirEntry     `json:"entry"`
}

type fhirReference struct {
	Reference string `json:"reference"`
}

type fhirIdentifier struct {
	Value string `json:"value"`
}

type fhirEntry struct {
	Resource json.RawMessage `json:"resource"`
}

type fhirItem struct {
	LinkID string       `json:"linkId"`
	Answer []fhirAnswer `json:"answer"`
	Item   []fhirItem   `json:"item"`
}

type fhirAnswer struct {
	ValueBoolean *bool        `json:"valueBoolean"`
	ValueInteger *json.Number `json:"valueInteger"`
	ValueDecimal *json.Number `json:"valueDecimal"`
	ValueString  *string      `json:"valueString"`
	ValueCoding  *struct {
		Code string `json:"code"`
	} `json:"valueCoding"`
	Item []fhirItem `json:"item"`
}

// raw returns the answer as a raw value for screening. An answer of a kind
// screening does not read (a date, an attachment) is returned as its JSON
// text, which no yes/no, number or choice question accepts.
func (a fhirAnswer) raw() any {
	switch {
	case a.ValueBoolean != nil:
		return *a.ValueBoolean
	case a.ValueInteger != nil:
		return *a.ValueInteger
	case a.ValueDecimal != nil:
		return *a.ValueDecimal // a whole number is read as one; any other is not
	case a.ValueString != nil:
		return *a.ValueString
	case a.ValueCoding != nil:
		return a.ValueCoding.Code
	}
	return "(an answer of a type mesoscreen does not read)"
}

// FHIR reads FHIR R4 QuestionnaireResponse resources: one resource, a
// Bundle of them (any Bundle type, resources under entry[].resource), or
// NDJSON as a Bulk Data export writes it (one resource per line). Items
// are matched to fields by linkId at any depth. A resource that is not a
// QuestionnaireResponse yields a record with Err set, naming where it is.
//
// NDJSON is read a line at a time; a single resource or a Bundle is read
// whole, as it is one JSON value.
func FHIR(name string, r io.Reader) iter.Seq2[Record, error] {
	return Records(FHIRBlocks(name, r))
}

// FHIRBlocks reads r as FHIR does, in blocks: NDJSON in blocks of whole
// lines, decoded when a block is scanned; a resource or Bundle in blocks
// of one record.
func FHIRBlocks(name string, r io.Reader) iter.Seq2[Block, error] {
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
		if first == '{' && lr.firstLineIsValue() {
			readLines(name, lr, true, yieldBlock)
			return
		}
		startLine := lr.line()
		data, err := io.ReadAll(lr)
		if err != nil {
			yield(Record{}, err)
			return
		}
		fhirValue(name, startLine, data, yield)
	}
}

// fhirValue yields the records of one JSON value that starts on line
// line: a resource, or each resource of a Bundle.
func fhirValue(name string, line int, data []byte, yield func(Record, error) bool) bool {
	src := fmt.Sprintf("%s:%d", name, line)
	if !utf8.Valid(data) {
		return yield(Record{Source: src, Err: errors.New("the text is not valid UTF-8")}, nil)
	}
	var res fhirResource
	if err := json.Unmarshal(data, &res); err != nil {
		return yield(Record{Source: src, Err: fmt.Errorf("%w; expected a FHIR QuestionnaireResponse or Bundle", plainJSONError(err))}, nil)
	}
	if res.ResourceType != "Bundle" {
		return yield(fhirRecord(src, &res), nil)
	}
	lines := entryLines(data, line)
	for i, e := range res.Entry {
		esrc := fmt.Sprintf("%s:%d", name, line)
		if i < len(lines) {
			esrc = fmt.Sprintf("%s:%d", name, lines[i])
		}
		var er fhirResource
		var rec Record
		if len(e.Resource) == 0 {
			rec = Record{Source: esrc, Err: fmt.Errorf("Bundle entry %d has no resource; expected a QuestionnaireResponse", i)}
		} else if err := json.Unmarshal(e.Resource, &er); err != nil {
			rec = Record{Source: esrc, Err: plainJSONError(err)}
		} else {
			rec = fhirRecord(esrc, &er)
			if rec.Err != nil {
				rec.Err = fmt.Errorf("Bundle entry %d: %w", i, rec.Err)
			}
		}
		if !yield(rec, nil) {
			return false
		}
	}
	return true
}

// fhirRecord turns one QuestionnaireResponse into a record.
func fhirRecord(src string, res *fhirResource) Record {
	rec := Record{Source: src}
	if res.ResourceType != "QuestionnaireResponse" {
		what := "a resource without resourceType"
		if res.ResourceType != "" {
			what = "a resource of type " + res.ResourceType
		}
		if res.ID != "" {
			what += fmt.Sprintf(" (id %s)", res.ID)
		}
		rec.Err = fmt.Errorf("found %s; expected a QuestionnaireResponse", what)
		return rec
	}
	fields := map[string]any{}
	if err := collectItems(res.Item, fields); err != nil {
		rec.Err = err
		return rec
	}
	if _, ok := fields["patient_id"]; !ok {
		if res.Subject != nil && strings.HasPrefix(res.Subject.Reference, "Patient/") {
			fields["patient_id"] = strings.TrimPrefix(res.Subject.Reference, "Patient/")
		} else if id := identifierValue(res.Identifier); id != "" {
			fields["patient_id"] = id
		}
	}
	rec.Fields = fields
	return rec
}

func identifierValue(raw json.RawMessage) string {
	var one fhirIdentifier
	if json.Unmarshal(raw, &one) == nil && one.Value != "" {
		return one.Value
	}
	var many []fhirIdentifier
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		return many[0].Value
	}
	return ""
}

// collectItems gathers the answers of items at any depth: groups nest
// under item[].item, and follow-ups can hang under answer[].item.
func collectItems(items []fhirItem, fields map[string]any) error {
	for _, it := range items {
		if len(it.Answer) > 0 {
			if _, dup := fields[it.LinkID]; dup {
				return fmt.Errorf("linkId %q is answered twice; expected one item per question", it.LinkID)
			}
			if len(it.Answer) == 1 {
				fields[it.LinkID] = it.Answer[0].raw()
			} else {
				list := make([]any, len(it.Answer))
				for i, a := range it.Answer {
					list[i] = a.raw()
				}
				fields[it.LinkID] = list
			}
		}
		for _, a := range it.Answer {
			if err := collectItems(a.Item, fields); err != nil {
				return err
			}
		}
		if err := collectItems(it.Item, fields); err != nil {
			return err
		}
	}
	return nil
}

// entryLines finds the line on which each entry of a Bundle starts.
func entryLines(data []byte, first int) []int {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil
		}
		if k != "entry" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		var lines []int
		for dec.More() {
			off := dec.InputOffset()
			// The next value starts after the separator and white space.
			for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
				off++
			}
			lines = append(lines, first+bytes.Count(data[:off], []byte{'\n'}))
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
		}
		return lines
	}
	return nil
}
