package intake

import (
	"cmp"
	"encoding/json" // for json.Number alone, the type screening reads numbers as
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/mesoscreen/mesoscreen/screening"
)

// FHIRReader reads FHIR R4 QuestionnaireResponse resources: one resource,
// a Bundle of them (any Bundle type, resources under entry[].resource), or
// NDJSON as a Bulk Data export writes it (one resource per line). Items
// are matched to fields by linkId at any depth. A resource that is not a
// QuestionnaireResponse yields a record with Err set, naming where it is,
// except in a search result, where it is skipped and counted.
//
// NDJSON is read a line at a time. A resource or Bundle that spans lines
// (or several, one after another) is read a member at a time, and a
// Bundle's entries one by one, so that a Bundle of any size is read in
// the memory of one entry.
type FHIRReader struct {
	// Name labels the sources ("name:line").
	Name string
	// Lines reads the input as NDJSON, one resource a line, whatever its
	// first line holds.
	Lines bool
	// Skipped counts by resource type the Bundle entries left out, once
	// read: what a search result holds besides its matches, the resources
	// it includes (a Patient) and the server's messages (an
	// OperationOutcome).
	Skipped map[string]int

	d valueDecoder
}

// FHIR reads FHIR input as a FHIRReader does.
func FHIR(name string, r io.Reader) iter.Seq2[Record, error] {
	return (&FHIRReader{Name: name}).Records(r)
}

// Records reads r. The sequence yields a non-nil error, and stops, only
// when reading the input itself fails.
func (f *FHIRReader) Records(r io.Reader) iter.Seq2[Record, error] {
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
		if f.Lines || first == '{' && lr.looksLikeLines() {
			readLines(f.Name, lr, func(line []byte, n int) bool { return f.value(n, line, yield) }, yield)
			return
		}
		f.readValues(lr, yield)
	}
}

// readValues reads JSON values, resources or Bundles, from lr a member at
// a time: most often one, pretty-printed. A Bundle's entries are yielded
// as they are read, each located by the line it starts on. Members may
// come in any order: entries read before resourceType are taken as a
// Bundle's, and if the resource turns out to be of another type, a last
// record says so.
func (f *FHIRReader) readValues(lr *lineReader, yield func(Record, error) bool) {
	dec := jsontext.NewDecoder(lr, jsonOptions...)
	// fail reports a value that cannot be read any further; nothing after
	// it can be trusted to line up, so reading stops.
	fail := func(err error) {
		if lr.err != nil && !errors.Is(lr.err, io.EOF) {
			yield(Record{}, lr.err)
			return
		}
		start, at, problem := lr.errorLines(dec, err)
		yield(Record{Source: source(f.Name, start),
			Err: fmt.Errorf("%w (near line %d); expected a FHIR QuestionnaireResponse or Bundle, and nothing after it was read", problem, at)}, nil)
	}
	for {
		lr.startValue()
		tok, err := dec.ReadToken()
		if err == io.EOF {
			return
		}
		if err != nil {
			fail(err)
			return
		}
		src := source(f.Name, lr.lineAt(dec))
		if tok.Kind() != '{' {
			yield(Record{Source: src, Err: fmt.Errorf("found %s, expected a FHIR QuestionnaireResponse or Bundle (a JSON object)", describeKind(tok.Kind()))}, nil)
			return
		}
		if !f.readObject(src, lr, dec, fail, yield) {
			return
		}
	}
}

// readObject reads the members of an object whose '{' dec has just read,
// and yields its records. It returns false when reading must stop.
func (f *FHIRReader) readObject(src string, lr *lineReader, dec *jsontext.Decoder, fail func(error), yield func(Record, error) bool) bool {
	var (
		res     object // the members but the entries
		bad     error  // the first member that does not decode
		entries int    // the Bundle entries read
	)
	isBundle := func() bool {
		types := res.values("resourceType")
		return len(types) == 0 || slices.Contains(types, any("Bundle"))
	}
	for {
		lr.startValue()
		if dec.PeekKind() == '}' {
			break
		}
		kt, err := dec.ReadToken()
		if err != nil {
			fail(err)
			return false
		}
		key := kt.String()
		if key == "entry" && isBundle() {
			search := slices.Contains(res.values("type"), any("searchset"))
			var ok bool
			if entries, ok = f.readEntries(entries, search, src, lr, dec, fail, yield); !ok {
				return false
			}
			continue
		}
		lr.startValue()
		raw, err := dec.ReadValue()
		if err != nil {
			fail(err)
			return false
		}
		if !utf8.Valid(raw) {
			bad = cmp.Or(bad, errors.New("the text is not valid UTF-8"))
			continue
		}
		switch key {
		case "resourceType", "id", "status", "questionnaire", "subject", "contained", "item", "type":
		default:
			continue // not needed
		}
		v, err := f.d.decode(raw)
		if err != nil {
			bad = cmp.Or(bad, err)
			continue
		}
		res = append(res, member{key, v})
	}
	lr.startValue()
	if _, err := dec.ReadToken(); err != nil {
		fail(err)
		return false
	}
	types := res.values("resourceType")
	switch {
	case len(types) == 1 && types[0] == "Bundle":
		return true
	case entries > 0:
		what := "no resourceType"
		if len(types) > 0 {
			what = fmt.Sprintf("resourceType %v", types[0])
		}
		return yield(Record{Source: src, Err: fmt.Errorf("the resource with the %d entries above has %s; expected a Bundle", entries, what)}, nil)
	case bad != nil:
		return yield(Record{Source: src, Err: bad}, nil)
	}
	return yield(resourceRecord(src, res), nil)
}

// resourceRecord is fhirRecord, its error said as for a resource alone.
func resourceRecord(src string, res object) Record {
	rec := fhirRecord(src, res)
	var te typeError
	if errors.As(rec.Err, &te) {
		rec.Err = fmt.Errorf("%w, as FHIR R4 has it", rec.Err)
	}
	return rec
}

// readEntries reads the array of a Bundle's entries, whose key dec has
// just read, and yields the record of each entry as it is read; the first
// is entry n. search tells that the Bundle is a search result. It returns
// the number of the entry after the last, and false when reading must
// stop.
func (f *FHIRReader) readEntries(n int, search bool, bundle string, lr *lineReader, dec *jsontext.Decoder, fail func(error), yield func(Record, error) bool) (int, bool) {
	lr.startValue()
	if k := dec.PeekKind(); k != '[' {
		t, err := dec.ReadToken()
		if err != nil {
			fail(err)
			return n, false
		}
		yield(Record{Source: source(f.Name, lr.lineAt(dec)),
			Err: fmt.Errorf("found %s, expected the Bundle's entries in an array; nothing after it was read", describeKind(t.Kind()))}, nil)
		return n, false
	}
	if _, err := dec.ReadToken(); err != nil {
		fail(err)
		return n, false
	}
	last := bundle // where the entry before starts
	for ; ; n++ {
		lr.startValue()
		if dec.PeekKind() == ']' {
			break
		}
		raw, err := dec.ReadValue()
		if err != nil {
			fail(err)
			return n, false
		}
		src := source(f.Name, lr.startLine(dec, raw))
		at := src
		if src == last {
			// On the line of the entry before, or of the Bundle itself: a
			// Bundle written on one line has its entries told apart by
			// their index.
			src = entrySource(f.Name, lr.startLine(dec, raw), n)
		}
		last = at
		if !f.entryRecord(src, n, raw, search, yield) {
			return n, false
		}
	}
	lr.startValue()
	if _, err := dec.ReadToken(); err != nil {
		fail(err)
		return n, false
	}
	return n, true
}

// value yields the records of one JSON value on line line of an NDJSON
// file: a resource, or each resource of a Bundle.
func (f *FHIRReader) value(line int, data []byte, yield func(Record, error) bool) bool {
	src := source(f.Name, line)
	if !utf8.Valid(data) {
		return yield(Record{Source: src, Err: errors.New("the text is not valid UTF-8")}, nil)
	}
	v, err := f.d.decode(data)
	if err != nil {
		return yield(Record{Source: src, Err: fhirError(err)}, nil)
	}
	res, ok := v.(object)
	if !ok {
		return yield(Record{Source: src, Err: fmt.Errorf("found %s, expected a FHIR QuestionnaireResponse or Bundle (a JSON object)", describeValue(v))}, nil)
	}
	types := res.values("resourceType")
	if len(types) != 1 || types[0] != "Bundle" {
		return yield(resourceRecord(src, res), nil)
	}
	return f.bundleEntries(res, func(i int) string { return entrySource(f.Name, line, i) }, yield)
}

// bundleEntries yields the records of a decoded Bundle's entries; where
// names where entry i is.
func (f *FHIRReader) bundleEntries(res object, where func(i int) string, yield func(Record, error) bool) bool {
	search := slices.Contains(res.values("type"), any("searchset"))
	i := 0
	for _, es := range res.values("entry") {
		list, ok := es.([]any)
		if !ok && es != nil {
			return yield(Record{Source: where(-1), Err: fmt.Errorf("%w, as FHIR R4 has it", typeError{"entry", es, "an array"})}, nil)
		}
		for _, e := range list {
			if !f.entryOf(where(i), i, e, search, yield) {
				return false
			}
			i++
		}
	}
	return true
}

// entrySource names entry i of a Bundle on one line: "file#i" on the
// first line of a file, else "file:line#i"; i < 0 names the Bundle.
func entrySource(name string, line, i int) string {
	at := source(name, line)
	if line == 1 {
		at = name
	}
	if i < 0 {
		return source(name, line)
	}
	return at + "#" + strconv.Itoa(i)
}

// fhirError says what is wrong with a resource that does not decode.
func fhirError(err error) error {
	if errors.Is(err, errValueTooLong) {
		return err
	}
	return fmt.Errorf("%w; expected a FHIR QuestionnaireResponse or Bundle", err)
}

// typeError is a member of a resource that holds the wrong kind of JSON.
type typeError struct {
	path  string
	found any
	want  string
}

func (e typeError) Error() string {
	return fmt.Sprintf("%s is %s; expected %s", e.path, describeValue(e.found), e.want)
}

// entryRecord yields the records of entry i of a Bundle, raw as
// written: {"resource": {...}, ...}. It returns false when reading must
// stop.
func (f *FHIRReader) entryRecord(src string, i int, raw []byte, search bool, yield func(Record, error) bool) bool {
	if !utf8.Valid(raw) {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d: the text is not valid UTF-8", i)}, nil)
	}
	v, err := f.d.decode(raw)
	if err != nil {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d: %w", i, err)}, nil)
	}
	return f.entryOf(src, i, v, search, yield)
}

// entryOf yields the records of entry i of a Bundle, decoded: its
// QuestionnaireResponse's, or those of a Bundle inside it, entry by
// entry. In any Bundle (a search result, a transaction, a batch, a
// collection), a resource of another type (the Patient a transaction
// creates beside the response, an OperationOutcome) is skipped and
// counted, as is, in a search result (search, or an entry that says how
// the search found it), an entry the search only included or a message
// of the server's: they are not patients' answers. It returns false when
// reading must stop.
func (f *FHIRReader) entryOf(src string, i int, v any, search bool, yield func(Record, error) bool) bool {
	e, ok := v.(object)
	if !ok {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d: the value is %s; expected an object", i, describeValue(v))}, nil)
	}
	var mode []any
	for _, s := range e.values("search") {
		search = true
		if so, ok := s.(object); ok {
			mode = append(mode, so.values("mode")...)
		}
	}
	resources := slices.DeleteFunc(e.values("resource"), func(r any) bool { return r == nil })
	if len(resources) == 0 {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d has no resource; expected a QuestionnaireResponse", i)}, nil)
	}
	if len(resources) > 1 {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d has %d resources; expected one QuestionnaireResponse", i, len(resources))}, nil)
	}
	res, ok := resources[0].(object)
	if !ok {
		return yield(Record{Source: src, Err: fmt.Errorf("Bundle entry %d: %w", i, typeError{"resource", resources[0], "an object"})}, nil)
	}
	types := res.values("resourceType")
	isResponse := len(types) == 1 && types[0] == "QuestionnaireResponse"
	// A resource of another type, named: one whose resourceType is
	// missing or no name is unreadable, and said so.
	named := false
	if len(types) == 1 {
		_, named = types[0].(string)
	}
	other := named && !isResponse && types[0] != "Bundle"
	if other || search && (slices.Contains(mode, any("include")) || slices.Contains(mode, any("outcome")) || !isResponse) {
		what := "(no resourceType)"
		if len(types) > 0 {
			what = fmt.Sprint(types[0])
		}
		if f.Skipped == nil {
			f.Skipped = map[string]int{}
		}
		f.Skipped[what]++
		return true
	}
	if len(types) == 1 && types[0] == "Bundle" {
		return f.bundleEntries(res, func(j int) string {
			if j < 0 {
				return src
			}
			return src + "." + strconv.Itoa(j)
		}, yield)
	}
	rec := fhirRecord(src, res)
	if rec.Err != nil {
		var te typeError
		if errors.As(rec.Err, &te) {
			te.path = "resource." + te.path
			rec.Err = te
		}
		rec.Err = fmt.Errorf("Bundle entry %d: %w", i, rec.Err)
	}
	return yield(rec, nil)
}

// fhirRecord turns one QuestionnaireResponse into a record.
func fhirRecord(src string, res object) Record {
	rec := Record{Source: src}
	types := res.values("resourceType")
	if len(types) != 1 || types[0] != "QuestionnaireResponse" {
		what := "a resource without resourceType"
		switch {
		case len(types) > 1:
			rec.Err = fmt.Errorf("resourceType is given %d times; expected it once", len(types))
			return rec
		case len(types) == 1:
			what = fmt.Sprintf("a resource of type %v", types[0])
		}
		if ids := res.values("id"); len(ids) > 0 {
			what += fmt.Sprintf(" (id %v)", ids[0])
		}
		rec.Err = fmt.Errorf("found %s; expected a QuestionnaireResponse", what)
		return rec
	}
	var ans fhirAnswers
	for _, items := range res.values("item") {
		if err := ans.collect("item", items); err != nil {
			rec.Err = err
			return rec
		}
	}
	rec.Fields = ans.fields()
	facts := &screening.ResponseFacts{Subject: subjectIDs(res)}
	if i := slices.IndexFunc(rec.Fields, func(f Field) bool { return f.ID == "patient_id" }); i >= 0 {
		facts.PatientItem = rec.Fields[i].Value
	} else if id := subjectID(res); id != nil {
		rec.Fields = append(rec.Fields, Field{ID: "patient_id", Value: id})
	}
	for _, v := range res.values("status") {
		facts.Status = append(facts.Status, plain(v))
	}
	for _, v := range res.values("questionnaire") {
		facts.Questionnaire = append(facts.Questionnaire, plain(v))
	}
	rec.Facts.Response = facts
	return rec
}

// subjectID returns the patient id a response names outside its items,
// from its subject (subjectOf), never from the response's own identifier:
// that is the response's, a submission number or, in a form tool's
// example, the form's code. A subject given twice, naming two patients,
// is a screening.Conflict.
func subjectID(res object) any {
	var ids []any
	for _, s := range res.values("subject") {
		if list := subjectOf(res, s); len(list) > 0 {
			ids = appendNew(ids, list[0])
		}
	}
	switch len(ids) {
	case 0:
		return nil
	case 1:
		return ids[0]
	}
	return screening.Conflict(ids)
}

// subjectIDs lists every patient id the response's subject names, each
// once.
func subjectIDs(res object) []string {
	var out []string
	for _, s := range res.values("subject") {
		for _, id := range subjectOf(res, s) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// subjectOf lists the patient ids a subject Reference names, the chart
// number first: the Reference's own identifier, then the identifiers of
// the contained Patient it points to ("#p1"), the medical record number
// among them first, then the id of a Patient/<id> reference (a server's
// id for the patient). A Reference to anything but a Patient names none.
func subjectOf(res object, subject any) []string {
	so, ok := subject.(object)
	if !ok {
		return nil
	}
	for _, t := range so.values("type") {
		if t != "Patient" {
			return nil
		}
	}
	var ids []string
	add := func(id string) {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, idf := range so.values("identifier") {
		add(identifierValue(idf))
	}
	for _, r := range so.values("reference") {
		ref, _ := r.(string)
		if local, ok := strings.CutPrefix(ref, "#"); ok {
			for _, id := range containedPatient(res, local) {
				add(id)
			}
		} else if id, ok := patientRef(ref); ok {
			add(id)
		}
	}
	return ids
}

// patientRef returns the id of a reference to a Patient: "Patient/<id>",
// or a URL that ends so, with or without "/_history/<version>".
func patientRef(ref string) (string, bool) {
	parts := strings.Split(ref, "/")
	if n := len(parts); n >= 4 && parts[n-2] == "_history" {
		parts = parts[:n-2]
	}
	n := len(parts)
	if n < 2 || parts[n-2] != "Patient" || parts[n-1] == "" {
		return "", false
	}
	return parts[n-1], true
}

// containedPatient returns the identifier values of the Patient the
// response contains under id, the medical record number (type MR) first.
func containedPatient(res object, id string) []string {
	var mr, rest []string
	for _, cs := range res.values("contained") {
		list, _ := cs.([]any)
		for _, c := range list {
			co, ok := c.(object)
			if !ok || !slices.Contains(co.values("resourceType"), any("Patient")) || !slices.Contains(co.values("id"), any(id)) {
				continue
			}
			for _, idfs := range co.values("identifier") {
				list, ok := idfs.([]any)
				if !ok {
					list = []any{idfs}
				}
				for _, idf := range list {
					v := identifierValue(idf)
					if v == "" {
						continue
					}
					if isMRN(idf) {
						mr = append(mr, v)
					} else {
						rest = append(rest, v)
					}
				}
			}
		}
	}
	return append(mr, rest...)
}

// isMRN reports whether an Identifier is typed as a medical record number
// (v2 table 0203, code MR).
func isMRN(idf any) bool {
	o, ok := idf.(object)
	if !ok {
		return false
	}
	for _, t := range o.values("type") {
		if tc, ok := t.(object); ok {
			for _, cs := range tc.values("coding") {
				list, _ := cs.([]any)
				for _, c := range list {
					if co, ok := c.(object); ok && slices.Contains(co.values("code"), any("MR")) {
						return true
					}
				}
			}
		}
	}
	return false
}

// identifierValue is the value of an Identifier: one object in R4, a list
// in R5, whose first is taken.
func identifierValue(v any) string {
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	if o, ok := v.(object); ok {
		if vals := o.values("value"); len(vals) == 1 {
			s, _ := vals[0].(string)
			return s
		}
	}
	return ""
}

// appendNew appends v unless list holds an equal value already.
func appendNew(list []any, v any) []any {
	for _, x := range list {
		if reflect.DeepEqual(x, v) {
			return list
		}
	}
	return append(list, v)
}

// fhirAnswers gathers the answers of a response's items, by linkId, in
// the order first seen.
type fhirAnswers struct {
	ids  []string
	vals map[string][]any // every answer given for the linkId
}

// collect gathers the answers of items at any depth: groups nest under
// item[].item, and follow-ups can hang under answer[].item. path says
// where the items are, for a message.
func (fa *fhirAnswers) collect(path string, items any) error {
	if items == nil {
		return nil // null, as if left out
	}
	list, ok := items.([]any)
	if !ok {
		return typeError{path, items, "an array"}
	}
	for _, it := range list {
		item, ok := it.(object)
		if !ok {
			return typeError{path, it, "an object"}
		}
		links := item.values("linkId")
		answers := slices.DeleteFunc(item.values("answer"), func(a any) bool { return a == nil })
		for _, l := range links {
			if _, ok := l.(string); !ok {
				return typeError{path + ".linkId", l, "a string"}
			}
		}
		if len(answers) > 0 && len(links) > 0 {
			v, err := answerValue(path+".answer", answers)
			if err != nil {
				return err
			}
			if v != nil && len(links) > 1 {
				// An item with two linkIds cannot say which one it
				// answers: each gets it as given twice.
				v = screening.Conflict{v, fmt.Sprintf("(the same answer, under linkIds %s)", screening.Conflict(links))}
			}
			if v != nil {
				for _, l := range links {
					fa.add(l.(string), v)
				}
			}
		}
		for _, as := range answers {
			if al, ok := as.([]any); ok {
				for _, a := range al {
					if ao, ok := a.(object); ok {
						for _, sub := range ao.values("item") {
							if err := fa.collect(path+".answer.item", sub); err != nil {
								return err
							}
						}
					}
				}
			}
		}
		for _, sub := range item.values("item") {
			if err := fa.collect(path+".item", sub); err != nil {
				return err
			}
		}
	}
	return nil
}

func (fa *fhirAnswers) add(id string, v any) {
	if fa.vals == nil {
		fa.vals = map[string][]any{}
	}
	if _, seen := fa.vals[id]; !seen {
		fa.ids = append(fa.ids, id)
	}
	fa.vals[id] = appendNew(fa.vals[id], v)
}

// fields returns the answers by linkId. A linkId answered more than once
// the same way (a repeating group, as R4 allows) is one answer; answered
// differently, it is a screening.Conflict of every answer.
func (fa *fhirAnswers) fields() []Field {
	out := make([]Field, 0, len(fa.ids))
	for _, id := range fa.ids {
		vs := fa.vals[id]
		if len(vs) == 1 {
			out = append(out, Field{ID: id, Value: vs[0]})
			continue
		}
		out = append(out, Field{ID: id, Value: screening.Conflict(vs)})
	}
	return out
}

// answerValue reads an item's answer arrays (more than one when "answer"
// is given twice) into a raw value: one answer's value, or a list of them
// for a question with several answers; nil for an empty array. An
// "answer" given twice is a screening.Conflict.
func answerValue(path string, answers []any) (any, error) {
	var vals []any
	for _, as := range answers {
		if as == nil {
			continue
		}
		list, ok := as.([]any)
		if !ok {
			return nil, typeError{path, as, "an array"}
		}
		if len(list) == 0 {
			continue
		}
		one := make([]any, len(list))
		for i, a := range list {
			ao, ok := a.(object)
			if !ok {
				return nil, typeError{path, a, "an object"}
			}
			one[i] = answerRaw(ao)
		}
		if len(one) == 1 {
			vals = append(vals, one[0])
		} else {
			vals = append(vals, one)
		}
	}
	switch len(vals) {
	case 0:
		return nil, nil
	case 1:
		return vals[0], nil
	}
	return screening.Conflict(vals), nil
}

// answerRaw returns one answer's value for screening. An answer holds one
// value[x]; with two, neither can be trusted, and the answer is a
// screening.Conflict of both. An answer of a kind screening does not read
// (a date, an attachment), or of the wrong JSON kind for its name, is
// returned as a text no yes/no, number or choice question accepts.
func answerRaw(a object) any {
	var vals []any
	for _, m := range a {
		if strings.HasPrefix(m.name, "value") {
			vals = append(vals, valueRaw(m.name, m.value))
		}
	}
	switch len(vals) {
	case 0:
		return "(an answer without a value)"
	case 1:
		return vals[0]
	}
	return screening.Conflict(vals)
}

const unreadValue = "(an answer of a type mesoscreen does not read)"

func valueRaw(name string, v any) any {
	switch name {
	case "valueBoolean":
		if b, ok := v.(bool); ok {
			return b
		}
	case "valueInteger", "valueDecimal":
		// A decimal is read as a whole number when it is one.
		if n, ok := v.(json.Number); ok {
			return n
		}
	case "valueString":
		if s, ok := v.(string); ok {
			return s
		}
	case "valueCoding":
		o, ok := v.(object)
		if !ok {
			break
		}
		return codingRaw(o)
	default:
		return unreadValue
	}
	return fmt.Sprintf("(%s holding %s, which FHIR R4 does not allow)", name, describeValue(v))
}

// codingRaw reads a Coding as screening.Coding, which screening reads by
// its system: a code alone is never the answer. A member given twice
// makes it a screening.Conflict of the codings it could be.
func codingRaw(o object) any {
	codes, systems, displays := o.values("code"), o.values("system"), o.values("display")
	if len(codes) == 0 {
		return "(a coding without a code)"
	}
	var out []any
	for _, code := range codes {
		for _, system := range orNone(systems) {
			for _, display := range orNone(displays) {
				c, ok := code.(string)
				sy, ok2 := system.(string)
				d, ok3 := display.(string)
				if !ok || !ok2 || !ok3 {
					return fmt.Sprintf("(valueCoding holding %s, which FHIR R4 does not allow)", describeValue(firstNonString(code, system, display)))
				}
				out = appendNew(out, screening.Coding{System: sy, Code: c, Display: d})
			}
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return screening.Conflict(out)
}

// orNone is vs, or one empty string for a member left out.
func orNone(vs []any) []any {
	if len(vs) == 0 {
		return []any{""}
	}
	return vs
}

// firstNonString returns the first of vs that is not a string.
func firstNonString(vs ...any) any {
	for _, v := range vs {
		if _, ok := v.(string); !ok {
			return v
		}
	}
	return nil
}
