package main

import (
	"bufio"
	"io"
	"iter"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/report"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// progressMin is the input size from which a progress bar is shown: below
// it, a file is screened in about a second.
const progressMin = 8 << 20

// checkInputs opens the inputs of a check one after the other, each with
// the reader of its format, and notes what the run should say about them.
type checkInputs struct {
	opts     *CheckOptions
	rs       *rules.RuleSet
	mapping  *intake.Mapping
	progress io.Writer // stderr when it is a terminal, else nil

	// Set as the records are read, and read once they all have been.
	ignored []string // quoted CSV headers that name no field, in order found
	empty   []string // the inputs that hold no records
	files   []report.File
}

// records reads the records of one input, opened when the first record
// is wanted and closed after the last.
func (in *checkInputs) records(f string) iter.Seq2[intake.Record, error] {
	return func(yield func(intake.Record, error) bool) {
		name := displayName(f)
		var r io.Reader = in.opts.Streams.In
		if f != "-" {
			fh, err := os.Open(f)
			if err != nil {
				yield(intake.Record{}, failf("%s: cannot open: %v", f, err))
				return
			}
			defer fh.Close()
			r = fh
			if st, err := fh.Stat(); err == nil && in.progress != nil && st.Size() >= progressMin {
				bar := progressbar.NewOptions64(st.Size(),
					progressbar.OptionSetWriter(in.progress),
					progressbar.OptionSetDescription("screening "+name),
					progressbar.OptionShowBytes(true),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish(),
					progressbar.OptionSetRenderBlankState(true),
				)
				defer bar.Finish()
				r = io.TeeReader(r, bar)
			}
		}
		br := bufio.NewReaderSize(r, 64*1024)
		bom := hasBOM(br)
		format := intake.Format(in.opts.Input)
		if in.mapping != nil {
			format = intake.FormatCSV
		} else if format == "" {
			head, _ := br.Peek(8192)
			format = intake.Detect(name, head)
		}
		var recs iter.Seq2[intake.Record, error]
		var csv *intake.CSV
		switch format {
		case intake.FormatCSV:
			csv = &intake.CSV{Name: name, Mapping: in.mapping, Keep: func(h string) bool { return in.rs.Index(h) >= 0 }}
			recs = csv.Records(br)
		case intake.FormatFHIR:
			recs = intake.FHIR(name, br)
		default:
			recs = intake.JSON(name, br)
		}
		n := 0
		for rec, err := range recs {
			if err != nil {
				yield(intake.Record{}, failf("%s: cannot read: %v", name, err))
				return
			}
			n++
			if !yield(rec, nil) {
				return
			}
		}
		if csv != nil {
			in.noteIgnored(csv.Ignored)
		}
		if n == 0 {
			in.empty = append(in.empty, name)
		}
		in.noteFile(name, format, csv, bom, n)
	}
}

func (in *checkInputs) noteIgnored(headers []string) {
	for _, h := range headers {
		q := strconv.Quote(h)
		seen := false
		for _, x := range in.ignored {
			seen = seen || x == q
		}
		if !seen {
			in.ignored = append(in.ignored, q)
		}
	}
}
