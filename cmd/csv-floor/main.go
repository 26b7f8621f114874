// Command csv-floor is the floor that "mesoscreen check" is measured
// against: it only reads a CSV file with encoding/csv (ReuseRecord on) and
// counts the rows. No screening can be faster than reading the input.
//
//	go run ./cmd/csv-floor /tmp/intakes-1m.csv
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: csv-floor FILE.csv")
		os.Exit(2)
	}
	n, err := count(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "csv-floor:", err)
		os.Exit(2)
	}
	fmt.Println(n, "rows")
}

func count(path string) (int, error) {
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
