package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
	ignored   []string        // quoted CSV headers that name no field, in order found
	empty     []string        // the inputs that hold no records
	encodings []string        // notes of inputs read in an encoding other than UTF-8
	skipped   []string        // notes of Bundle entries skipped
	nothing   []string        // why an input with text in it gave no record
	allowed   []string        // near misses let through by --allow-unknown
	near      map[string]bool // names already judged, near miss or not
	files     []report.File   // how each input was read, for --report
}

// records reads the records of one input, opened when the first record
// is wanted and closed after the last.
func (in *checkInputs) records(f string) iter.Seq2[intake.Record, error] {
	return in.read(f, false)
}

// checkHeader reads the header of a table, if f is one, and judges its
// columns, so that a column that nearly names a field stops the run
// before anything is screened. stdin is judged as it is read.
func (in *checkInputs) checkHeader(f string) error {
	if f == "-" {
		return nil
	}
	for _, err := range in.read(f, true) {
		return err
	}
	return nil
}

// read is records; headerOnly reads no further than a table's header,
// and nothing of another format.
func (in *checkInputs) read(f string, headerOnly bool) iter.Seq2[intake.Record, error] {
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
			if st, err := fh.Stat(); err == nil && in.progress != nil && !headerOnly && st.Size() >= progressMin {
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
		seen := &textSeen{r: r}
		br := bufio.NewReaderSize(seen, 64*1024)
		bom := hasBOM(br)
		format := intake.Format(in.opts.Input)
		if in.mapping != nil {
			format = intake.FormatCSV
		} else if format == "" {
			head, _ := br.Peek(8192)
			format = intake.Detect(name, head)
		}
		if headerOnly && format != intake.FormatCSV {
			return
		}
		enc := intake.Encoding(in.opts.Encoding)
		var recs iter.Seq2[intake.Record, error]
		var csv *intake.CSV
		var fhir *intake.FHIRReader
		var text *intake.TextReader
		switch format {
		case intake.FormatCSV:
			csv = &intake.CSV{Name: name, Mapping: in.mapping, Encoding: enc, Keep: func(h string) bool { return in.rs.Index(h) >= 0 }}
			recs = csv.Records(br)
		case intake.FormatFHIR:
			text = intake.NewTextReader(br, enc, false)
			fhir = &intake.FHIRReader{Name: name, Lines: strings.EqualFold(filepath.Ext(f), ".ndjson")}
			recs = fhir.Records(text)
		case intake.FormatJSONL:
			text = intake.NewTextReader(br, enc, false)
			recs = intake.JSONLines(name, text)
		default:
			text = intake.NewTextReader(br, enc, false)
			recs = intake.JSON(name, text)
		}
		n := 0
		for rec, err := range recs {
			if err != nil {
				yield(intake.Record{}, failf("%s: cannot read: %v", name, err))
				return
			}
			if n == 0 && csv != nil {
				// The header is read: its columns are judged before any
				// row of the file is screened.
				if err := in.checkNames(csv.Ignored, source(name, 1), "column"); err != nil || headerOnly {
					yield(intake.Record{}, err)
					return
				}
			}
			if csv == nil {
				what := "key"
				if fhir != nil {
					what = "linkId"
				}
				if err := in.checkFields(rec, what); err != nil {
					yield(intake.Record{}, err)
					return
				}
			}
			n++
			if !yield(rec, nil) {
				return
			}
		}
		if headerOnly {
			if err := in.checkNames(csv.Ignored, source(name, 1), "column"); err != nil {
				yield(intake.Record{}, err)
			}
			return
		}
		used := ""
		switch {
		case csv != nil:
			used = csv.EncodingUsed
			in.noteIgnored(csv.Ignored)
			if n == 0 {
				if err := in.checkNames(csv.Ignored, source(name, 1), "column"); err != nil {
					yield(intake.Record{}, err)
					return
				}
				if csv.Header == nil && seen.text {
					in.nothing = append(in.nothing, name+" has no header row of field ids")
				}
			}
		case text != nil:
			used = text.Used()
		}
		if used != "" && used != "UTF-8" {
			in.encodings = append(in.encodings, fmt.Sprintf("note: %s was read as %s; --encoding chooses another\n", name, used))
		}
		if fhir != nil && len(fhir.Skipped) > 0 {
			total, parts := 0, []string{}
			for _, t := range slices.Sorted(maps.Keys(fhir.Skipped)) {
				total += fhir.Skipped[t]
				parts = append(parts, fmt.Sprintf("%d %s", fhir.Skipped[t], t))
			}
			in.skipped = append(in.skipped, fmt.Sprintf("note: %s: skipped %s of the search result that %s not QuestionnaireResponses: %s\n",
				name, plural(total, "Bundle entry", "Bundle entries"), pick(total == 1, "is", "are"), strings.Join(parts, ", ")))
			if n == 0 {
				in.nothing = append(in.nothing, fmt.Sprintf("%s holds no QuestionnaireResponse, only %s", name, strings.Join(parts, ", ")))
			}
		}
		if n == 0 {
			in.empty = append(in.empty, name)
		}
		in.noteFile(name, format, csv, used, bom, n)
	}
}

// checkFields judges the fields of a record that the rule set does not
// ask.
func (in *checkInputs) checkFields(rec intake.Record, what string) error {
	var unknown []string
	for _, f := range rec.Fields {
		if in.rs.Index(f.ID) < 0 {
			unknown = append(unknown, f.ID)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return in.checkNames(unknown, rec.Source, what)
}

// checkNames stops the run at a name that is no field but nearly names
// one (intake.NearMiss): the answer under it would be dropped without a
// word. With --allow-unknown it is ignored, with a warning.
func (in *checkInputs) checkNames(names []string, where, what string) error {
	for _, n := range names {
		if in.near[n] {
			continue
		}
		if in.near == nil {
			in.near = map[string]bool{}
		}
		in.near[n] = true
		field := intake.NearMiss(in.rs, n)
		if field == "" {
			continue
		}
		if in.opts.AllowUnknown {
			in.allowed = append(in.allowed, fmt.Sprintf("%s %q (%s) looks like field %q", what, n, where, field))
			continue
		}
		return failf("%s: %s %q looks like field %q; rename it %s, or run again with --allow-unknown to ignore it; nothing was screened past this point", where, what, n, field, field)
	}
	return nil
}

func source(name string, line int) string { return name + ":" + strconv.Itoa(line) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// textSeen notes whether its reader gives anything but white space and
// byte order marks: an input with text in it that yields no record has
// not been screened.
type textSeen struct {
	r    io.Reader
	text bool
}

func (t *textSeen) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if !t.text && len(bytes.Trim(p[:n], " \t\r\n\x00\xef\xbb\xbf\xff\xfe")) > 0 {
		t.text = true
	}
	return n, err
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
