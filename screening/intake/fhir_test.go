package intake_test

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
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
		assert.Equal(t, "p.ndjson:3", rec.Source)
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

	got := collect(t, intake.FHIR("b.json", bytes.NewReader(in)))
	require.Len(t, got, 2+len(ps)+1)
	require.Error(t, got[0].Err)
	assert.Contains(t, got[0].Err.Error(), "Bundle entry 0: the value is a number")
	require.Error(t, got[1].Err)
	assert.Contains(t, got[1].Err.Error(), "Bundle entry 1: found a resource of type Patient")
	for i := range ps {
		require.NoError(t, got[2+i].Err)
		assert.Equal(t, ps[i].ID, got[2+i].FieldMap()["patient_id"])
	}
	require.Error(t, got[len(got)-1].Err)
	assert.Contains(t, got[len(got)-1].Err.Error(), "found a resource of type Observation")

	slow := collect(t, intake.FHIR("b.json", iotest.OneByteReader(bytes.NewReader(in))))
	assert.Equal(t, got, slow)
}
