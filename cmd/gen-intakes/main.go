// Command gen-intakes writes synthetic intakes for tests and benchmarks:
// made-up patients with realistic answers (now and then a missing or
// "not sure" one), in any input format mesoscreen reads.
//
//	go run ./cmd/gen-intakes -n 1000000 -format csv -o /tmp/intakes-1m.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

func main() {
	n := flag.Int("n", 1000, "number of patients")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same patients")
	format := flag.String("format", "csv", "csv, csv-excel (BOM, CRLF, ';'), jsonl, forms (Google-Forms-style export), ndjson (FHIR) or bundle (FHIR)")
	out := flag.String("o", "", "output file (default stdout)")
	meds := flag.String("meds", "few", "medication lists: few (9 texts, each repeated) or varied (1 to 3 of 52 medicines with doses, rarely repeated)")
	flag.Parse()
	if *meds != "few" && *meds != "varied" {
		fmt.Fprintf(os.Stderr, "gen-intakes: -meds %q: expected few or varied\n", *meds)
		os.Exit(2)
	}
	if err := run(*n, *seed, *format, *out, *meds == "varied"); err != nil {
		fmt.Fprintln(os.Stderr, "gen-intakes:", err)
		os.Exit(2)
	}
}

func run(n int, seed uint64, format, out string, varied bool) (err error) {
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		// Closing a written file can report that the data never got to
		// the disk.
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g := intakegen.New(seed)
	g.VariedMedications = varied
	if format == "bundle" {
		if err := intakegen.WriteBundle(bw, g.Patients(n)); err != nil {
			return err
		}
		return bw.Flush()
	}
	// Stream in parts, so that a large file needs little memory. Only the
	// first part writes a header.
	const part = 4096
	for done := 0; done < n; done += part {
		ps := g.Patients(min(part, n-done))
		var err error
		switch format {
		case "csv", "csv-excel":
			st := intakegen.CSVStyle{}
			if format == "csv-excel" {
				st = intakegen.CSVStyle{Comma: ';', BOM: true, CRLF: true}
			}
			err = writeCSVPart(bw, ps, st, done == 0)
		case "jsonl":
			err = intakegen.WriteJSONL(bw, ps)
		case "ndjson":
			err = intakegen.WriteNDJSON(bw, ps)
		case "forms":
			if done > 0 {
				return fmt.Errorf("-format forms writes at most %d patients", part)
			}
			err = intakegen.WriteForms(bw, ps)
		default:
			return fmt.Errorf("-format %q: expected csv, csv-excel, jsonl, forms, ndjson or bundle", format)
		}
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeCSVPart writes patients as CSV rows, with the header only for the
// first part.
func writeCSVPart(w io.Writer, ps []intakegen.Patient, st intakegen.CSVStyle, first bool) error {
	if first {
		return intakegen.WriteCSV(w, ps, st)
	}
	return intakegen.WriteCSVRows(w, ps, st)
}
