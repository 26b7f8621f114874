package intake_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// BenchmarkCSVScan cuts 10,000 generated rows of canonical CSV into
// blocks and splits every row into its cells, the reading that check
// does before any answer is parsed.
func BenchmarkCSVScan(b *testing.B) {
	var in bytes.Buffer
	require.NoError(b, intakegen.WriteCSV(&in, intakegen.New(1).Patients(10000), intakegen.CSVStyle{}))
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rows := 0
		c := &intake.CSV{Name: "bench.csv"}
		for blk, err := range c.Blocks(bytes.NewReader(in.Bytes())) {
			if err != nil {
				b.Fatal(err)
			}
			blk.Scan(func(rec *intake.Record, _ intake.RowPos) { rows += len(rec.Cells) })
		}
		if rows != 10000*19 {
			b.Fatalf("%d cells, want %d", rows, 10000*19)
		}
	}
}
