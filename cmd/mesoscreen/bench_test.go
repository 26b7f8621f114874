package main

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

// benchFile writes a canonical CSV of generated intakes, with as many rows
// as MESOSCREEN_BENCH_ROWS says (default 100000), and medication lists
// that rarely repeat if MESOSCREEN_BENCH_MEDS is "varied"; or it reuses
// MESOSCREEN_BENCH_FILE.
func benchFile(b *testing.B) (string, int) {
	b.Helper()
	if f := os.Getenv("MESOSCREEN_BENCH_FILE"); f != "" {
		return f, 0
	}
	rows := 100_000
	if s := os.Getenv("MESOSCREEN_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(b, err)
		rows = n
	}
	path := filepath.Join(b.TempDir(), "intakes.csv")
	f, err := os.Create(path)
	require.NoError(b, err)
	w := bufio.NewWriterSize(f, 1<<20)
	g := intakegen.New(1)
	switch m := os.Getenv("MESOSCREEN_BENCH_MEDS"); m {
	case "", "few":
	case "varied":
		g.VariedMedications = true
	default:
		b.Fatalf("MESOSCREEN_BENCH_MEDS=%q: expected few or varied", m)
	}
	for done := 0; done < rows; done += 4096 {
		ps := g.Patients(min(4096, rows-done))
		if done == 0 {
			require.NoError(b, intakegen.WriteCSV(w, ps, intakegen.CSVStyle{}))
		} else {
			require.NoError(b, intakegen.WriteCSVRows(w, ps, intakegen.CSVStyle{}))
		}
	}
	require.NoError(b, w.Flush())
	require.NoError(b, f.Close())
	return path, rows
}

// floor reads the file with encoding/csv only: no screening can be faster.
func floor(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64*1024))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	n := 0
	for {
		if _, err := r.Read(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
		n++
	}
}

// BenchmarkCheckVsFloor runs the floor and "check --format csv" on the same
// file, one after the other in each iteration, and reports both times and
// their ratio (check_per_floor):
//
//	go test ./cmd/mesoscreen -run '^$' -bench CheckVsFloor -benchtime 3x
//	MESOSCREEN_BENCH_ROWS=1000000 go test ./cmd/mesoscreen -run '^$' -bench CheckVsFloor -benchtime 1x
func BenchmarkCheckVsFloor(b *testing.B) {
	path, _ := benchFile(b)
	out := filepath.Join(b.TempDir(), "results.csv")
	var floorTime, checkTime time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		_, err := floor(path)
		require.NoError(b, err)
		t1 := time.Now()
		s, _, errb := iostreams.Test("")
		code := Main([]string{"check", "--format", "csv", "--quiet", "--output", out, path}, s)
		require.Contains(b, []int{0, 1}, code, errb.String())
		t2 := time.Now()
		floorTime += t1.Sub(t0)
		checkTime += t2.Sub(t1)
	}
	b.ReportMetric(floorTime.Seconds()/float64(b.N), "floor_s/op")
	b.ReportMetric(checkTime.Seconds()/float64(b.N), "check_s/op")
	b.ReportMetric(checkTime.Seconds()/floorTime.Seconds(), "check_per_floor")
}
