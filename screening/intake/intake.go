// Package intake reads intake files (CSV, mapped form exports, JSON, FHIR)
// as iterators of records, one per record in the input and in order, each
// with its file:line, even for a record that cannot be read.
package intake

import (
	"bytes"
	"io"
	"strconv"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Field is one answer of a record as read. ID is the field id: a CSV
// column's field, a JSON key, a FHIR linkId. Value is a string for CSV and
// for a mapped export's translated cell (or a list of them), or a decoded
// JSON value (string, json.Number, bool, nil, []any, map[string]any) for
// JSON and FHIR.
type Field struct {
	ID    string
	Value any
}

// Record is one intake as read from a file.
type Record struct {
	// Source says where the record is: "file:line", or "file#index"
	// (from 0) for an element of a JSON array.
	Source string
	// Fields are the answers in file order; for CSV only the columns
	// kept. An empty CSV cell is left out, as a missing answer.
	Fields []Field
	// Unasked are the answers the record holds that no question of the
	// rule set reads and that nobody declared ignored (Options.Ignore, a
	// mapping's ignore:): the cells of such columns, the values of such
	// keys and linkIds. Screening reports each that says something.
	Unasked []Field
	// Err says why the record could not be read. Such a record still
	// yields a result, as needs_review.
	Err error
	// Facts are what the reader found about the record as a whole, such
	// as a FHIR response's status; screening turns them into findings
	// (Screener.FactFindings), in the result's language.
	Facts screening.Facts
	// Saved is set for a record saved by "mesoscreen interview --save":
	// Fields are the answers of its latest screening, and its history
	// (clearances, when it was screened) applies to the result.
	Saved *screening.SavedRecord
}

// FieldMap returns the record's answers by field id.
func (r Record) FieldMap() map[string]any {
	m := make(map[string]any, len(r.Fields))
	for _, f := range r.Fields {
		m[f.ID] = f.Value
	}
	return m
}

// Answers parses the record's answers for the rule set. The record must
// have been read (Err nil).
func (r Record) Answers(rs *rules.RuleSet) *screening.Answers {
	a := screening.NewAnswers(rs)
	for _, f := range r.Fields {
		a.SetRaw(f.ID, f.Value)
	}
	for _, f := range r.Unasked {
		a.SetRaw(f.ID, f.Value)
	}
	// A record saved without a patient id on purpose is not asked for one.
	a.NoIdentifier = r.Saved != nil && r.Saved.NoPatientID
	return a
}

// maxRow is the most bytes one record may take: a row of a CSV file, a
// line of JSON Lines. A longer one is reported, not read, so that a quote
// that never closes, or a file with no line ends, cannot make the reader
// hold the rest of the file. An intake row takes a few hundred bytes.
var maxRow = 1 << 20

// skipLine reads r through the next newline, holding little of it, and
// returns what it read after the newline. At the end of r it returns
// io.EOF.
func skipLine(r io.Reader) (rest []byte, err error) {
	buf := make([]byte, 32<<10)
	for {
		k, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:k], '\n'); i >= 0 {
			return buf[i+1 : k], nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// source names where a record starts: "file:line".
func source(name string, line int) string {
	return name + ":" + strconv.Itoa(line)
}
