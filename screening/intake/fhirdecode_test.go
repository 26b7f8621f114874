package intake

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

func TestDecodeResource(t *testing.T) {
	ps := intakegen.New(7).Patients(50)
	var tests []string
	for i := range ps {
		b, err := json.MarshalIndent(intakegen.Response(&ps[i], i), "", " ")
		require.NoError(t, err)
		tests = append(tests, string(b))
	}
	tests = append(tests,
		`{"resourceType": "QuestionnaireResponse", "id": null, "subject": null, "item": null}`,
		`{"resourceType": "QuestionnaireResponse", "item": [], "identifier": [{"value": "x", "period": {"start": "2026"}}]}`,
		`{"resourceType": "QuestionnaireResponse", "item": [{"linkId": "a", "answer": [{"valueCoding": {"system": "s", "code": "c"}, "item": []}, {"valueString": "caf\u00e9"}, {"valueDecimal": -1.5e3}, {"valueInteger": null}]}], "meta": {"tags": [1, [true, null]]}}`,
		`{"resourceType": "Patient", "extension": [{"url": "u", "valueBoolean": true}]}`,
	)
	for _, in := range tests {
		var got fhirResource
		require.True(t, decodeResource([]byte(in), &got), in)
		var want fhirResource
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		assert.Equal(t, want, got, in)
	}
	// Left to encoding/json: what it reads its own way, or refuses.
	for _, in := range []string{
		`{"resourceType": "QuestionnaireResponse", "resourceType": "Patient"}`, // a field twice
		`{"ResourceType": "QuestionnaireResponse"}`,                            // case ignored
		`{"resourceType": "Bundle", "entry": []}`,                              // a Bundle
		`{"item": [null]}`, // a null element
		`{"item": [{"answer": [{"valueInteger": "4"}]}]}`, // a number as a string
		`{"item": [{"answer": [{"valueBoolean": 1}]}]}`,   // a wrong kind
		`{"id": "a"} x`, // more after it
		`{"id": "a",}`,  // a syntax error
	} {
		var got fhirResource
		assert.False(t, decodeResource([]byte(in), &got), in)
	}
}

// Whatever decodeResource or decodeEntry reads, json.Unmarshal reads the
// same way.
func FuzzDecodeResource(f *testing.F) {
	ps := intakegen.New(7).Patients(3)
	for i := range ps {
		b, err := json.Marshal(intakegen.Response(&ps[i], i))
		require.NoError(f, err)
		f.Add(b)
		f.Add([]byte(`{"fullUrl": "u", "resource": ` + string(b) + `}`))
	}
	f.Add([]byte(`{"item": [{"answer": [{"valueCoding": {"code": "c"}}, {"valueBoolean": false}]}], "identifier": {"value": "v"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return
		}
		var got, want fhirResource
		if decodeResource(data, &got) {
			require.NoError(t, json.Unmarshal(data, &want), "decodeResource read %q, which encoding/json refuses", data)
			require.Equal(t, want, got)
		}
		var gotE, wantE fhirEntry
		if decodeEntry(data, &gotE) {
			require.NoError(t, json.Unmarshal(data, &wantE), "decodeEntry read %q, which encoding/json refuses", data)
			require.Equal(t, wantE, gotE)
		}
	})
}
