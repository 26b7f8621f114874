package intake

import (
	"cmp"
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
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Subject      *fhirReference    `json:"subject"`
	Identifier   json.RawMessage   `json:"identifier"` // one Identifier in R4, a list in R5
	Item         []fhirItem        `json:"item"`
	Entry        []json.RawMessage `json:"entry"` // of a Bundle on one line, read by entryRecord
}

type fhirReference struct {
	Reference string `json:"reference"`
}

type fhirIdentifier struct {
	Value string `json:"value"`
}

type fhirEntry struct {
	Resource *fhirResource `json:"resource"`
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
// NDJSON is read a line at a time. A resource or Bundle that spans lines
// (or several, one after another) is read a member at a time, and a
// Bundle's entries one by one, so that a Bundle of any size is read in
// the memory of one entry.
func FHIR(name string, r io.Reader) iter.Seq2[Record, error] {
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
		if first == '{' && lr.firstLineIsValue() {
			readLines(name, lr, func(line []byte, n int) bool { return fhirValue(name, n, line, yield) }, yield)
			return
		}
		readFHIRValues(name, lr, yield)
	}
}

// readFHIRValues reads JSON values, resources or Bundles, from lr a member
// at a time: most often one, pretty-printed. A Bundle's entries are
// yielded as they are read, each located by the line it starts on.
// Members may come in any order: entries read before resourceType are
// taken as a Bundle's, and if the resource turns out to be of another
// type, a last record says so.
func readFHIRValues(name string, lr *lineReader, yield func(Record, error) bool) {
	dec := json.NewDecoder(lr)
	// fail reports a value that cannot be read any further; nothing after
	// it can be trusted to line up, so reading stops.
	fail := func(err error) {
		if lr.err != nil && !errors.Is(lr.err, io.EOF) {
			yield(Record{}, lr.err)
			return
		}
		start, at := lr.errorLines(dec, err)
		yield(Record{Source: fmt.Sprintf("%s:%d", name, start),
			Err: fmt.Errorf("%w (near line %d); expected a FHIR QuestionnaireResponse or Bundle, and nothing after it was read", plainJSONError(err), at)}, nil)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			fail(err)
			return
		}
		src := fmt.Sprintf("%s:%d", name, lr.lineAt(dec))
		if tok != json.Delim('{') {
			yield(Record{Source: src, Err: fmt.Errorf("found %s, expected a FHIR QuestionnaireResponse or Bundle (a JSON object)", describe(tok))}, nil)
			return
		}
		if !readFHIRObject(name, src, lr, dec, fail, yield) {
			return
		}
	}
}

// readFHIRObject reads the members of an object whose '{' dec has just
// read, and yields its records. It returns false when reading must stop.
func readFHIRObject(name, src string, lr *lineReader, dec *json.Decoder, fail func(error), yield func(Record, error) bool) bool {
	var (
		res     fhirResource
		bad     error // the first member that does not decode
		entries int   // the Bundle entries yielded
	)
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			fail(err)
			return false
		}
		key, _ := kt.(string)
		if key == "entry" && (res.ResourceType == "" || res.ResourceType == "Bundle") {
			var ok bool
			if entries, ok = readEntries(name, entries, lr, dec, fail, yield); !ok {
				return false
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			fail(err)
			return false
		}
		if !utf8.Valid(raw) {
			bad = cmp.Or(bad, errors.New("the text is not valid UTF-8"))
			continue
		}
		var field any
		switch key {
		case "resourceType":
			field = &res.ResourceType
		case "id":
			field = &res.ID
		case "subject":
			field = &res.Subject
		case "identifier":
			field = &res.Identifier
		case "item":
			field = &res.Item
		default:
			continue // not needed
		}
		if err := json.Unmarshal(raw, field); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				te.Field = strings.TrimSuffix(key+"."+te.Field, ".")
			}
			bad = cmp.Or(bad, fhirError(err))
		}
	}
	if _, err := dec.Token(); err != nil {
		fail(err)
		return false
	}
	switch {
	case res.ResourceType == "Bundle":
		return true
	case entries > 0:
		what := "no resourceType"
		if res.ResourceType != "" {
			what = "resourceType " + res.ResourceType
		}
		return yield(Record{Source: src, Err: fmt.Errorf("the resource with the %d entries above has %s; expected a Bundle", entries, what)}, nil)
	case bad != nil:
		return yield(Record{Source: src, Err: bad}, nil)
	}
	return yield(fhirRecord(src, &res), nil)
}

// readEntries reads the array of a Bundle's entries, whose key dec has
// just read, and yields the record of each entry as it is read; the first
// is entry n. It returns the number of the entry after the last, and
// false when reading must stop.
func readEntries(name string, n int, lr *lineReader, dec *json.Decoder, fail func(error), yield func(Record, error) bool) (int, bool) {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		if err != nil {
			fail(err)
			return n, false
		}
		yield(Record{Source: fmt.Sprintf("%s:%d", name, lr.lineAt(dec)),
			Err: fmt.Errorf("found %s, expected the Bundle's entries in an array; nothing after it was read", describe(t))}, nil)
		return n, false
	}
	for ; dec.More(); n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			fail(err)
			return n, false
		}
		if !yield(entryRecord(source(name, lr.startLine(dec, raw)), n, raw), nil) {
			return n, false
		}
	}
	if _, err := dec.Token(); err != nil {
		fail(err)
		return n, false
	}
	return n, true
}

// fhirValue yields the records of one JSON value on line line of an
// NDJSON file: a resource, or each resource of a Bundle.
func fhirValue(name string, line int, data []byte, yield func(Record, error) bool) bool {
	src := fmt.Sprintf("%s:%d", name, line)
	if !utf8.Valid(data) {
		return yield(Record{Source: src, Err: errors.New("the text is not valid UTF-8")}, nil)
	}
	var res fhirResource
	if err := json.Unmarshal(data, &res); err != nil {
		return yield(Record{Source: src, Err: fhirError(err)}, nil)
	}
	if res.ResourceType != "Bundle" {
		return yield(fhirRecord(src, &res), nil)
	}
	for i, e := range res.Entry {
		if !yield(entryRecord(src, i, e), nil) {
			return false
		}
	}
	return true
}

// fhirError says what is wrong with a resource that does not decode.
func fhirError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%w, as FHIR R4 has it", plainJSONError(err))
	}
	return fmt.Errorf("%w; expected a FHIR QuestionnaireResponse or Bundle", plainJSONError(err))
}

// entryRecord reads entry i of a Bundle, raw as written:
// {"resource": {...}, ...}.
func entryRecord(src string, i int, raw []byte) Record {
	if !utf8.Valid(raw) {
		return Record{Source: src, Err: fmt.Errorf("Bundle entry %d: the text is not valid UTF-8", i)}
	}
	var e fhirEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return Record{Source: src, Err: fmt.Errorf("Bundle entry %d: %w", i, plainJSONError(err))}
	}
	if e.Resource == nil {
		return Record{Source: src, Err: fmt.Errorf("Bundle entry %d has no resource; expected a QuestionnaireResponse", i)}
	}
	rec := fhirRecord(src, e.Resource)
	if rec.Err != nil {
		rec.Err = fmt.Errorf("Bundle entry %d: %w", i, rec.Err)
	}
	return rec
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
	var ans fhirAnswers
	if err := ans.collect(res.Item); err != nil {
		rec.Err = err
		return rec
	}
	if !ans.seen["patient_id"] {
		if res.Subject != nil && strings.HasPrefix(res.Subject.Reference, "Patient/") {
			ans.fields = append(ans.fields, Field{ID: "patient_id", Value: strings.TrimPrefix(res.Subject.Reference, "Patient/")})
		} else if id := identifierValue(res.Identifier); id != "" {
			ans.fields = append(ans.fields, Field{ID: "patient_id", Value: id})
		}
	}
	rec.Fields = ans.fields
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

// fhirAnswers are the answers of a resource's items, in order, and the
// linkIds they answer.
type fhirAnswers struct {
	fields []Field
	seen   map[string]bool
}

// collect gathers the answers of items at any depth: groups nest under
// item[].item, and follow-ups can hang under answer[].item.
func (fa *fhirAnswers) collect(items []fhirItem) error {
	for _, it := range items {
		if len(it.Answer) > 0 {
			if fa.seen[it.LinkID] {
				return fmt.Errorf("linkId %q is answered twice; expected one item per question", it.LinkID)
			}
			if fa.seen == nil {
				fa.seen = map[string]bool{}
			}
			fa.seen[it.LinkID] = true
			var v any
			if len(it.Answer) == 1 {
				v = it.Answer[0].raw()
			} else {
				list := make([]any, len(it.Answer))
				for i, a := range it.Answer {
					list[i] = a.raw()
				}
				v = list
			}
			fa.fields = append(fa.fields, Field{ID: it.LinkID, Value: v})
		}
		for _, a := range it.Answer {
			if err := fa.collect(a.Item); err != nil {
				return err
			}
		}
		if err := fa.collect(it.Item); err != nil {
			return err
		}
	}
	return nil
}
