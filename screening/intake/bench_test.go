package intake_test

import (
	"bytes"
	"io"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// benchRecords is the size of a batch a clinic checks: a few thousand
// intakes.
const benchRecords = 5000

// benchRead reads in with read, every iteration, and reports the time
// per record: the reading alone, before any answer is parsed.
func benchRead(b *testing.B, in []byte, read func(io.Reader) iter.Seq2[intake.Record, error]) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for rec, err := range read(bytes.NewReader(in)) {
			if err != nil || rec.Err != nil {
				b.Fatal(err, rec.Err)
			}
			n++
		}
		if n != benchRecords {
			b.Fatalf("%d records, want %d", n, benchRecords)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRecords), "ns/record")
}

func BenchmarkCSVRecords(b *testing.B) {
	var in bytes.Buffer
	require.NoError(b, intakegen.WriteCSV(&in, intakegen.New(1).Patients(benchRecords), intakegen.CSVStyle{}))
	benchRead(b, in.Bytes(), func(r io.Reader) iter.Seq2[intake.Record, error] {
		c := &intake.CSV{Name: "bench.csv"}
		return c.Records(r)
	})
}

func BenchmarkJSONLRecords(b *testing.B) {
	var in bytes.Buffer
	require.NoError(b, intakegen.WriteJSONL(&in, intakegen.New(1).Patients(benchRecords)))
	benchRead(b, in.Bytes(), func(r io.Reader) iter.Seq2[intake.Record, error] { return intake.JSON("bench.jsonl", r) })
}

func BenchmarkFHIRNDJSONRecords(b *testing.B) {
	var in bytes.Buffer
	require.NoError(b, intakegen.WriteNDJSON(&in, intakegen.New(1).Patients(benchRecords)))
	benchRead(b, in.Bytes(), func(r io.Reader) iter.Seq2[intake.Record, error] { return intake.FHIR("bench.ndjson", r) })
}
