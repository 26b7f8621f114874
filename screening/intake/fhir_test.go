package intake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// In NDJSON, a line holding a Bundle gives a record per entry, all on
// that line, in their place among the records of the other lines.
func TestFHIRNDJSONWithBundleLine(t *testing.T) {
	nd, err := os.ReadFile("../../testdata/batch/patients.ndjson")
	require.NoError(t, err)
	bundle, err := os.ReadFile("../../testdata/batch/patients-bundle.json")
	require.NoError(t, err)
	var one bytes.Buffer
	require.NoError(t, json.Compact(&one, bundle))
	lines := bytes.SplitAfter(nd, []byte{'\n'})
	in := slices.Concat(lines[0], lines[1], one.Bytes(), []byte("\n\n"), lines[2], []byte(`{"resourceType": "Patient"}`+"\n"))

	entries := collect(t, intake.FHIR("b.json", bytes.NewReader(bundle)))
	require.Len(t, entries, 20)
	alone := func(line []byte) intake.Record {
		recs := collect(t, intake.FHIR("x", bytes.NewReader(line)))
		require.Len(t, recs, 1)
		return recs[0]
	}

	got := collect(t, intake.FHIR("p.ndjson", bytes.NewReader(in)))
	require.Len(t, got, 3+20+1)
	assert.Equal(t, "p.ndjson:1", got[0].Source)
	assert.Equal(t, alone(lines[0]).Fields, got[0].Fields)
	assert.Equal(t, "p.ndjson:2", got[1].Source)
	assert.Equal(t, alone(lines[1]).Fields, got[1].Fields)
	for i, e := range entries {
		rec := got[2+i]
		assert.Equal(t, fmt.Sprintf("p.ndjson:3#%d", i), rec.Source, "a Bundle on one line: its entries by index")
		require.NoError(t, rec.Err, rec.Source)
		assert.Equal(t, e.Fields, rec.Fields, "entry %d", i)
	}
	assert.Equal(t, "p.ndjson:5", got[22].Source)
	assert.Equal(t, alone(lines[2]).Fields, got[22].Fields)
	assert.Equal(t, "p.ndjson:6", got[23].Source)
	require.Error(t, got[23].Err)
	assert.Contains(t, got[23].Err.Error(), "found a resource of type Patient")
}

// A Bundle spread over lines is read an entry at a time: bad entries and
// a resource after the Bundle are records in their places, and reading a
// byte at a time gives the same records.
func TestFHIRBundleWithBadEntries(t *testing.T) {
	var buf bytes.Buffer
	ps := intakegen.New(5).Patients(40)
	require.NoError(t, intakegen.WriteBundle(&buf, ps))
	bundle := bytes.Replace(buf.Bytes(), []byte(`"entry": [`), []byte(`"entry": [5, {"resource": {"resourceType": "Patient"}},`), 1)
	in := slices.Concat(bundle, []byte("\n{\"resourceType\":\n\"Observation\"}\n"))

	r := &intake.FHIRReader{Name: "b.json"}
	got := collect(t, r.Records(bytes.NewReader(in)))
	require.Len(t, got, 1+len(ps)+1)
	require.Error(t, got[0].Err)
	assert.Contains(t, got[0].Err.Error(), "Bundle entry 0: the value is a number")
	// The Patient of entry 1 is no patient's answers: skipped, and counted.
	assert.Equal(t, map[string]int{"Patient": 1}, r.Skipped)
	for i := range ps {
		require.NoError(t, got[1+i].Err)
		assert.Equal(t, ps[i].ID, got[1+i].FieldMap()["patient_id"])
	}
	require.Error(t, got[len(got)-1].Err)
	assert.Contains(t, got[len(got)-1].Err.Error(), "found a resource of type Observation")

	slow := collect(t, intake.FHIR("b.json", iotest.OneByteReader(bytes.NewReader(in))))
	assert.Equal(t, got, slow)
}

// In a Bundle of any type, a resource that is not a QuestionnaireResponse
// is skipped and counted, a Bundle inside a Bundle is read entry by
// entry, and a Bundle on one line tells its entries apart by index.
func TestFHIRBundleTypes(t *testing.T) {
	qr := func(id string) string {
		return `{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"patient_id","answer":[{"valueString":"` + id + `"}]}]}`
	}
	patient := `{"resourceType":"Patient","id":"p1"}`
	tests := []struct {
		name    string
		in      string
		sources []string
		ids     []string
		skipped map[string]int
	}{
		{
			name:    "a transaction on one line, a Patient beside the response",
			in:      `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":` + patient + `,"request":{"method":"POST","url":"Patient"}},{"resource":` + qr("T-1") + `,"request":{"method":"POST","url":"QuestionnaireResponse"}}]}`,
			sources: []string{"b.json#1"}, ids: []string{"T-1"}, skipped: map[string]int{"Patient": 1},
		},
		{
			name:    "a batch, pretty-printed",
			in:      "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[\n{\"resource\":" + qr("B-1") + "},\n{\"resource\":{\"resourceType\":\"Observation\"}},\n{\"resource\":" + qr("B-2") + "}\n]}",
			sources: []string{"b.json:2", "b.json:4"}, ids: []string{"B-1", "B-2"}, skipped: map[string]int{"Observation": 1},
		},
		{
			name:    "a collection holding a Bundle of responses",
			in:      `{"resourceType":"Bundle","type":"collection","entry":[{"resource":` + qr("C-1") + `},{"resource":{"resourceType":"Bundle","type":"transaction","entry":[{"resource":` + patient + `},{"resource":` + qr("C-2") + `}]}}]}`,
			sources: []string{"b.json#0", "b.json#1.1"}, ids: []string{"C-1", "C-2"}, skipped: map[string]int{"Patient": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ndjson := range []bool{false, true} {
				r := &intake.FHIRReader{Name: "b.json", Lines: ndjson}
				in := tt.in
				if ndjson {
					in = strings.ReplaceAll(in, "\n", "")
				}
				var sources, ids []string
				for _, rec := range collect(t, r.Records(strings.NewReader(in))) {
					require.NoError(t, rec.Err, rec.Source)
					sources = append(sources, rec.Source)
					ids = append(ids, fmt.Sprint(rec.FieldMap()["patient_id"]))
				}
				assert.Equal(t, tt.ids, ids)
				assert.Equal(t, tt.skipped, r.Skipped)
				if !ndjson {
					assert.Equal(t, tt.sources, sources)
				} else {
					for _, s := range sources {
						assert.Contains(t, s, "b.json#", "one line: entries by index")
					}
				}
			}
		})
	}
}
