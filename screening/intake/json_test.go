package intake_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// got is a record reduced to what a test compares: where, which patient,
// or what went wrong.
type got struct {
	Source string
	ID     any
	Err    string
}

func readAll(t *testing.T, input string) []got {
	t.Helper()
	var out []got
	for rec, err := range intake.JSON("in.json", strings.NewReader(input)) {
		require.NoError(t, err)
		g := got{Source: rec.Source}
		if rec.Err != nil {
			g.Err = rec.Err.Error()
		} else {
			g.ID = rec.FieldMap()["patient_id"]
		}
		out = append(out, g)
	}
	return out
}

func TestJSONShapes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []got
	}{
		{"empty", "", nil},
		{"only white space", " \n\n\t", nil},
		{"one object", `{"patient_id": "A"}`, []got{{"in.json:1", "A", ""}}},
		{"one pretty object after blank lines", "\n\n{\n  \"patient_id\": \"A\"\n}\n", []got{{"in.json:3", "A", ""}}},
		{"byte order mark", "\xef\xbb\xbf{\"patient_id\": \"A\"}\n", []got{{"in.json:1", "A", ""}}},
		{"json lines", "{\"patient_id\": \"A\"}\n{\"patient_id\": \"B\"}\n", []got{{"in.json:1", "A", ""}, {"in.json:2", "B", ""}}},
		{"json lines with CRLF, blanks and no final newline", "{\"patient_id\": \"A\"}\r\n\r\n{\"patient_id\": \"B\"}", []got{{"in.json:1", "A", ""}, {"in.json:3", "B", ""}}},
		{"array", `[{"patient_id": "A"}, {"patient_id": "B"}]`, []got{{"in.json#0", "A", ""}, {"in.json#1", "B", ""}}},
		{"empty array", `[]`, nil},
		{"run of pretty objects", "{\n \"patient_id\": \"A\"\n}\n{\n \"patient_id\": \"B\"\n}\n", []got{{"in.json:1", "A", ""}, {"in.json:4", "B", ""}}},
		{"nested objects with the same names", `{"patient_id": "A", "x": {"patient_id": "B", "y": "a\"b:c\\"}, "z": [{"patient_id": 1}]}`, []got{{"in.json:1", "A", ""}}},
		{"saved interview record", `{"kind": "mesoscreen.record", "answers": {"patient_id": "A"}, "result": {"verdict": "eligible"}}`, []got{{"in.json:1", "A", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, readAll(t, tt.input))
		})
	}
}

// TestJSONBadRecords: a record that cannot be read still yields exactly
// one record, saying where and what, and its neighbours go on.
func TestJSONBadRecords(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []got
	}{
		{"bad line among good ones",
			"{\"patient_id\": \"A\"}\n{\"patient_id\": \"B\",}\n{\"patient_id\": \"C\"}\n",
			[]got{{"in.json:1", "A", ""}, {"in.json:2", nil, "invalid JSON: found '}', expected a member name in double quotes; JSON allows no ',' before '}'"}, {"in.json:3", "C", ""}}},
		{"truncated line",
			"{\"patient_id\": \"A\"}\n{\"patient_id\": \n",
			[]got{{"in.json:1", "A", ""}, {"in.json:2", nil, "the JSON ends too early; expected a complete object"}}},
		{"a line that is not an object",
			"{\"patient_id\": \"A\"}\n[1, 2]\n\"text\"\n",
			[]got{{"in.json:1", "A", ""}, {"in.json:2", nil, "found an array, expected a JSON object of answers"}, {"in.json:3", nil, "found a string, expected a JSON object of answers"}}},
		{"invalid UTF-8",
			"{\"patient_id\": \"A\"}\n{\"patient_id\": \"\xff\"}\n",
			[]got{{"in.json:1", "A", ""}, {"in.json:2", nil, "the text is not valid UTF-8"}}},
		{"array element not an object",
			`[{"patient_id": "A"}, 42, {"patient_id": "C"}]`,
			[]got{{"in.json#0", "A", ""}, {"in.json#1", nil, "found a number, expected a JSON object of answers"}, {"in.json#2", "C", ""}}},
		{"array broken inside",
			"[\n{\"patient_id\": \"A\"},\n{\"patient_id\" \"B\"}\n]",
			[]got{{"in.json#0", "A", ""}, {"in.json#1", nil, "invalid JSON: found a string, expected ':' after the member name (near line 3); the rest of the array was not read"}}},
		{"array not closed",
			"[{\"patient_id\": \"A\"}",
			[]got{{"in.json#0", "A", ""}, {"in.json#1", nil, "the array is not closed (near line 1): the JSON ends too early; expected a complete object"}}},
		{"pretty object broken",
			"{\n  \"patient_id\": \"A\",\n  \"age\": 4x\n}\n",
			[]got{{"in.json:1", nil, "invalid JSON: found 'x', expected ',' or '}' after a member (near line 3); nothing after it was read"}}},
		{"not JSON at all",
			"patient_id,age\nA,34\n",
			[]got{{"in.json:1", nil, `found 'p', expected a JSON object, an array of objects, or JSON Lines`}}},
		{"saved record without answers",
			`{"kind": "mesoscreen.record", "result": {}}`,
			[]got{{"in.json:1", nil, `a saved record without "answers"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, readAll(t, tt.input))
		})
	}
}

// TestJSONSyntaxProblems: a line that is not JSON says, in our words,
// what it found and what JSON allows there.
func TestJSONSyntaxProblems(t *testing.T) {
	tests := []struct{ line, want string }{
		{`{"age": 40,}`, `invalid JSON: found '}', expected a member name in double quotes; JSON allows no ',' before '}'`},
		{`{"age" 40}`, `invalid JSON: found '4', expected ':' after the member name`},
		{`{"age": 40 "sex": "f"}`, `invalid JSON: found a string, expected ',' or '}' after a member`},
		{`{age: 40}`, `invalid JSON: found 'a', expected a member name in double quotes, or '}'`},
		{`{"age": forty}`, `invalid JSON: found "forty", a word without quotes, expected a value (a string in double quotes, a number, true, false, null, an object or an array)`},
		{`{"pregnant": tru}`, `invalid JSON: found "tru", expected true`},
		{`{"pregnant": nul, "a": 1}`, `invalid JSON: found "nul", expected null`},
		{`{"age": 4.}`, `invalid JSON: found the number "4.", expected a number as JSON writes it, such as 42, -7 or 1.5`},
		{`{"age": -}`, `invalid JSON: found the number "-", expected a number as JSON writes it, such as 42, -7 or 1.5`},
		{`{"medications": "a\qb"}`, `invalid JSON: found the escape \q in a string, expected one of \" \\ \/ \b \f \n \r \t or \u and four hexadecimal digits`},
		{`{"medications": "a\u12g4"}`, `invalid JSON: found the escape \u12g4 in a string, expected \u and four hexadecimal digits`},
		{"{\"medications\": \"a\tb\"}", `invalid JSON: found a control character (byte 0x09) inside a string, expected the string closed with " first, or the character written as an escape such as \n`},
		{`{"areas": ["face" "neck"]}`, `invalid JSON: found a string, expected ',' or ']' after an element`},
		{`{"areas": ["face",]}`, `invalid JSON: found ']', expected a value (a string in double quotes, a number, true, false, null, an object or an array); JSON allows no ',' before ']'`},
		{`{"areas": ["face",}`, `invalid JSON: found '}', expected a value (a string in double quotes, a number, true, false, null, an object or an array)`},
		{`{"areas": ["face"}`, `invalid JSON: found '}', expected ',' or ']' after an element`},
		{`{"age": 'x'}`, `invalid JSON: found "'", expected a value (a string in double quotes, a number, true, false, null, an object or an array)`},
		{`{"age": 40}}`, `invalid JSON: found '}' after the value's end, expected one JSON value and nothing after it`},
		{`{"medications": "aspirin`, `the JSON ends too early; expected a complete object`},
		{`{"areas": [{"a": 1}, {"b" 2}]}`, `invalid JSON: found '2', expected ':' after the member name`},
	}
	for _, tt := range tests {
		input := "{\"patient_id\": \"A\"}\n" + tt.line + "\n"
		assert.Equal(t, []got{{"in.json:1", "A", ""}, {"in.json:2", nil, tt.want}}, readAll(t, input), tt.line)
	}
}

func TestJSONNumbersStayExact(t *testing.T) {
	for rec, err := range intake.JSON("x", strings.NewReader(`{"age": 34, "heart_medications": 1.0}`)) {
		require.NoError(t, err)
		require.NoError(t, rec.Err)
		assert.Equal(t, "34", rec.FieldMap()["age"].(interface{ String() string }).String())
	}
	// Not 18: the age is the number as written, and screening does not
	// take it for a whole number.
	rs, err := rules.Default()
	require.NoError(t, err)
	for _, input := range []string{`{"age": 17.9999999999999999}`, `[{"age": 17.9999999999999999}]`, "{\n\"age\": 17.9999999999999999\n}\n{\"age\": 1}"} {
		n := 0
		for rec, err := range intake.JSON("x", strings.NewReader(input)) {
			require.NoError(t, err)
			require.NoError(t, rec.Err)
			if n == 0 {
				assert.Equal(t, json.Number("17.9999999999999999"), rec.FieldMap()["age"], input)
				assert.NotEqual(t, screening.Given, rec.Answers(rs).Get("age").State, input)
			}
			n++
		}
		assert.NotZero(t, n)
	}
}

// A record's fields come as the file gives them, values decoded as
// encoding/json decodes them with UseNumber.
func TestJSONFieldsInFileOrder(t *testing.T) {
	in := `{"pregnant": false, "age": 34, "heart_medications": 1.0, "treatment_areas": ["face", "neck"], "medications": null, "patient_id": "A"}`
	want := []intake.Field{
		{ID: "pregnant", Value: false},
		{ID: "age", Value: json.Number("34")},
		{ID: "heart_medications", Value: json.Number("1.0")},
		{ID: "treatment_areas", Value: []any{"face", "neck"}},
		{ID: "medications", Value: nil},
		{ID: "patient_id", Value: "A"},
	}
	for _, input := range []string{in, in + "\n" + in + "\n", "[" + in + "]", "{\n" + in[1:]} {
		n := 0
		for rec, err := range intake.JSON("x", strings.NewReader(input)) {
			require.NoError(t, err)
			require.NoError(t, rec.Err, "%q", input)
			assert.Equal(t, want, rec.Fields, "%q", input)
			n++
		}
		assert.NotZero(t, n, "%q", input)
	}
}

// TestJSONOneByteReads reads through a reader that returns one byte at a
// time, as a slow pipe might, and must see the same records.
func TestJSONOneByteReads(t *testing.T) {
	input := "{\"patient_id\": \"A\"}\n{\"patient_id\": \"B\"}\n"
	var ids []any
	for rec, err := range intake.JSON("x", iotest.OneByteReader(strings.NewReader(input))) {
		require.NoError(t, err)
		ids = append(ids, rec.FieldMap()["patient_id"])
	}
	assert.Equal(t, []any{"A", "B"}, ids)
}

func TestJSONReadFailure(t *testing.T) {
	boom := errors.New("disk on fire")
	var sawErr error
	n := 0
	for rec, err := range intake.JSON("x", iotest.ErrReader(boom)) {
		if err != nil {
			sawErr = err
			break
		}
		_ = rec
		n++
	}
	assert.ErrorIs(t, sawErr, boom)
	assert.Zero(t, n)
}

// A record saved without a patient id on purpose says so, and only a
// saved record can: an intake's own no_patient_id is just an unknown field.
func TestSavedRecordWithoutPatientID(t *testing.T) {
	tests := []struct {
		input      string
		noID       bool
		unreadable bool
	}{
		{`{"kind": "mesoscreen.record", "no_patient_id": true, "answers": {"age": 30}}`, true, false},
		{`{"kind": "mesoscreen.record", "answers": {"age": 30}}`, false, false},
		// Not a flag the tool writes: the record cannot be trusted.
		{`{"kind": "mesoscreen.record", "no_patient_id": "yes", "answers": {"age": 30}}`, false, true},
		{`{"no_patient_id": true, "age": 30}`, false, false},
	}
	for _, tt := range tests {
		var recs []intake.Record
		for rec, err := range intake.JSON("in.json", strings.NewReader(tt.input)) {
			require.NoError(t, err)
			recs = append(recs, rec)
		}
		require.Len(t, recs, 1, tt.input)
		if tt.unreadable {
			assert.Error(t, recs[0].Err, tt.input)
			continue
		}
		require.NoError(t, recs[0].Err, tt.input)
		assert.Equal(t, tt.noID, recs[0].Saved != nil && recs[0].Saved.NoPatientID, tt.input)
		rs, err := rules.Default()
		require.NoError(t, err)
		assert.Equal(t, tt.noID, recs[0].Answers(rs).NoIdentifier, tt.input)
	}
}
