// Command csv-floor is the floor that "mesoscreen check" is measured
// against: it only reads the input, and no screening can be faster. A CSV
// file is read with encoding/csv (ReuseRecord on); a file of JSON Lines or
// FHIR NDJSON (-lines) has json.Valid run on each line. It counts the
// records.
//
//	go run ./cmd/csv-floor /tmp/intakes-1m.csv
//	go run ./cmd/csv-floor -lines /tmp/intakes-1m.jsonl
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	lines := flag.Bool("lines", false, "read JSON Lines or NDJSON: json.Valid on each line")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: csv-floor [-lines] FILE")
		os.Exit(2)
	}
	count := countRows
	if *lines {
		count = countLines
	}
	n, err := count(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "csv-floor:", err)
		os.Exit(2)
	}
	fmt.Println(n, "records")
}

func countRows(path string) (int, error) {
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
		_, err := r.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			return n, errors.New("line " + fmt.Sprint(n+1) + " is not valid JSON")
		}
		n++
	}
	return n, sc.Err()
}
