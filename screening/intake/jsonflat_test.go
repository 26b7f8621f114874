package intake

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowDecode is what decodeFlat must agree with: encoding/json with
// UseNumber, one object and nothing after it.
func slowDecode(data []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil || m == nil || len(bytes.TrimSpace(data[dec.InputOffset():])) != 0 || members(data) != len(m) {
		return nil, false
	}
	return m, true
}

func TestDecodeFlat(t *testing.T) {
	tests := []struct {
		in   string
		flat bool // decodeFlat reads it, rather than leaving it to encoding/json
	}{
		{`{}`, true},
		{` {"a": "x", "b": 40, "c": -1.5e+3, "d": true, "e": false, "f": null} `, true},
		{`{"list": ["face", "neck", 3, null], "empty": []}`, true},
		{`{"esc": "a\"b\\c\/d\u00e9\ud83d\ude00\n", "k\u0065y": "v"}`, true},
		{"{\"caf\u00e9\": \"\u00e9t\u00e9\"}", true},
		{`{"n": 0, "m": 10, "z": 0.5, "e": 1E9}`, true},
		{`{"a": 1, "a": 2}`, false},             // given twice: the slow way says so
		{`{"a": {"b": 1}}`, false},              // nested object
		{`{"a": [[1]]}`, false},                 // nested array
		{`{"a": 01}`, false},                    // invalid numbers
		{`{"a": 1.}`, false},                    //
		{`{"a": -}`, false},                     //
		{`{"a": 1e}`, false},                    //
		{`{"a": tru}`, false},                   // invalid literal
		{"{\"a\": \"x\ty\"}", false},            // a raw control character
		{`{"a": "x\q"}`, false},                 // an invalid escape
		{`{"a": 1,}`, false},                    // trailing comma
		{`{"a": 1} {"b": 2}`, false},            // two values
		{`["a"]`, false},                        // not an object
		{`{"a" 1}`, false},                      //
		{`{"a": 1`, false},                      // unclosed
		{`{"a": "x`, false},                     //
		{`{"kind": "mesoscreen.record"}`, true}, // read flat; decodeObject looks at kind
	}
	for _, tt := range tests {
		got, ok := decodeFlat([]byte(tt.in))
		assert.Equal(t, tt.flat, ok, "%s", tt.in)
		if ok {
			want, wok := slowDecode([]byte(tt.in))
			require.True(t, wok, tt.in)
			assert.Equal(t, want, got, tt.in)
		}
	}
}

// Whatever decodeFlat reads, encoding/json reads the same way.
func FuzzDecodeFlat(f *testing.F) {
	f.Add([]byte(`{"patient_id": "A-1", "age": 40, "pregnant": "no", "treatment_areas": ["face", "neck"], "x": null, "y": true}`))
	f.Add([]byte(`{"a": "\u00e9\"", "b": -0.5e-7}`))
	f.Add([]byte(`{"a": 1, "a": 2}`))
	f.Add([]byte(`{"a": [1, "b", false, null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return
		}
		got, ok := decodeFlat(data)
		if !ok {
			return
		}
		want, wok := slowDecode(data)
		require.True(t, wok, "decodeFlat read %q, which encoding/json refuses", data)
		require.Equal(t, want, got)
	})
}
