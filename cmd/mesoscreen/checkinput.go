package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/progress"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/report"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// progressMin is the input size from which a progress bar is shown: below
// it, a file is screened in about a second.
const progressMin = 8 << 20

// checkInput is one input of a check.
type checkInput struct {
	name string
	// path is a regular file's path; "" for a stream (stdin, a pipe, a
	// FIFO, a device), which is opened once, up front, and held.
	path string
	file *os.File // a stream's, nil for stdin
	in   *intake.Input
	size int64 // a regular file's
}

// openInputs opens every input of a check, and judges the header of each
// table, before the first record is screened: a typo in the last file
// name, or a column that nearly names a field, does not leave half a run.
//
// A stream (stdin, a pipe, /dev/stdin, a process substitution, a FIFO)
// can be read only once: it is opened here and held, its header read, and
// the rest read at its turn. A regular file is opened here for its header
// and again at its turn, one at a time, so that a check of thousands of
// saved records holds neither thousands of files open nor their buffers.
// A stream named twice is refused: two readers would tear its records
// apart between them.
func openInputs(opts *CheckOptions, o intake.Options) ([]*checkInput, error) {
	var ins []*checkInput
	fail := func(err error) ([]*checkInput, error) {
		closeInputs(ins)
		return nil, err
	}
	type stream struct {
		name string
		st   os.FileInfo
	}
	var streams []stream
	sameStream := func(name string, st os.FileInfo) error {
		for _, s := range streams {
			if st != nil && s.st != nil && os.SameFile(st, s.st) || st == nil && s.st == nil {
				return failf("%s and %s are the same stream, which can be read only once; name it once", s.name, name)
			}
		}
		streams = append(streams, stream{name, st})
		return nil
	}
	for _, f := range opts.Files {
		c := &checkInput{name: displayName(f)}
		ins = append(ins, c)
		r := opts.Streams.In
		if f == "-" {
			if err := sameStream("stdin", stdinInfo(opts.Streams.In)); err != nil {
				return fail(err)
			}
		} else {
			fh, err := openInput(f)
			if err != nil {
				return fail(err)
			}
			st, err := fh.Stat()
			if err != nil {
				_ = fh.Close()
				return fail(failf("%s: cannot read: %w", f, err))
			}
			if st.Mode().IsRegular() {
				c.path, c.size = f, st.Size()
				_, err := intake.Open(c.name, fh, o)
				_ = fh.Close() // read only, and opened again at its turn
				if err != nil {
					return fail(inputError(err))
				}
				continue
			}
			c.file, r = fh, fh
			if err := sameStream(c.name, st); err != nil {
				return fail(err)
			}
		}
		in, err := intake.Open(c.name, r, o)
		if err != nil {
			return fail(inputError(err))
		}
		c.in = in
	}
	return ins, nil
}

// stdinInfo is what stdin reads, when it is a file; nil otherwise.
func stdinInfo(in io.Reader) os.FileInfo {
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			return st
		}
	}
	return nil
}

// openInput opens an input file, saying plainly why it cannot be.
func openInput(f string) (*os.File, error) {
	fh, err := os.Open(f)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, failf("%s: no such file", f)
	case err != nil:
		return nil, failf("%s: cannot open: %w", f, err)
	}
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		_ = fh.Close()
		return nil, failf("%s is a directory; expected an intake file", f)
	}
	return fh, nil
}

func closeInputs(ins []*checkInput) {
	for _, c := range ins {
		if c.file != nil {
			_ = c.file.Close() // read only: nothing is lost
		}
	}
}

// inputError is the error of a check that cannot go on reading an input.
func inputError(err error) error {
	var nm *intake.NearMissError
	if errors.As(err, &nm) {
		return failf("%w, or run again with --allow-unknown to ignore it; nothing was screened past this point", nm)
	}
	return failf("%w", err)
}

// batchFiles are the inputs as the batch reads them, each regular file
// opened at its turn; a large file shows a progress bar on w, if w is not
// nil, while it is read.
//
// A saved record read from a file is checked against the clinic's journal
// beside it (js): one it does not confirm gets a record-altered finding.
func batchFiles(ins []*checkInput, o intake.Options, w io.Writer, js *journals) []batch.File {
	files := make([]batch.File, len(ins))
	for i, c := range ins {
		files[i] = batch.File{Name: c.name, Records: func(yield func(intake.Record, error) bool) {
			if c.path != "" {
				fh, err := os.Open(c.path)
				if err != nil {
					yield(intake.Record{}, failf("%s: cannot open: %w", c.path, err))
					return
				}
				defer fh.Close()
				prog := &progress.Reader{R: fh, Size: c.size}
				if w != nil && c.size >= progressMin {
					prog.Start(w, c.name)
					defer prog.Finish()
				}
				if c.in, err = intake.Open(c.name, prog, o); err != nil {
					yield(intake.Record{}, inputError(err))
					return
				}
			}
			for rec, err := range c.in.Records() {
				if err != nil {
					err = inputError(err)
				}
				if err == nil && rec.Saved != nil {
					if c.path != "" {
						rec.Facts.Journal = js.check(c.path, rec.Saved)
					} else {
						// A stream has no folder, so no journal to ask
						// whether a later event exists: not believed.
						rec.Facts.Journal = errNoJournalForStream
					}
				}
				if !yield(rec, err) || err != nil {
					return
				}
			}
		}}
	}
	return files
}

// inputNotes are what a check says about its inputs once they have been
// read: on stderr, and in the report.
type inputNotes struct {
	encodings []string      // inputs read in an encoding other than UTF-8
	skipped   []string      // Bundle entries skipped
	rows      []string      // header rows and blank rows skipped
	empty     []string      // inputs that hold no records
	nothing   []string      // why an input with text in it gave no record
	allowed   []string      // near misses let through by --allow-unknown
	files     []report.File // how each input was read
}

func noteInputs(ins []*checkInput) inputNotes {
	var n inputNotes
	for _, c := range ins {
		if c.in == nil {
			continue // a file the run did not reach
		}
		st := c.in.Stats()
		name := c.name
		if st.Encoding != "" && st.Encoding != "UTF-8" {
			n.encodings = append(n.encodings, fmt.Sprintf("note: %s was read as %s; --encoding chooses another\n", name, st.Encoding))
		}
		for _, a := range st.Allowed {
			n.allowed = append(n.allowed, fmt.Sprintf("%s %q (%s) looks like field %q%s", a.What, a.Name, a.Where, a.Field, a.Holds()))
		}
		if len(st.Skipped) > 0 {
			total, parts := 0, []string{}
			for _, t := range slices.Sorted(maps.Keys(st.Skipped)) {
				total += st.Skipped[t]
				parts = append(parts, fmt.Sprintf("%d %s", st.Skipped[t], t))
			}
			n.skipped = append(n.skipped, fmt.Sprintf("note: %s: skipped %s that %s not QuestionnaireResponses: %s\n",
				name, plural(total, "Bundle entry", "Bundle entries"), pick(total == 1, "is", "are"), strings.Join(parts, ", ")))
			if st.Records == 0 {
				n.nothing = append(n.nothing, fmt.Sprintf("%s holds no QuestionnaireResponse, only %s", name, strings.Join(parts, ", ")))
			}
		}
		file := report.FileOf(name, st)
		if note, what := skippedRows(name, st); note != "" {
			n.rows = append(n.rows, note)
			file.Skipped = what
		}
		if st.Records == 0 {
			if (st.Format == intake.FormatCSV || st.Format == intake.FormatXLSX) && st.NoHeader && st.Text {
				n.nothing = append(n.nothing, name+" has no header row of field ids")
			}
			n.empty = append(n.empty, name)
		}
		n.files = append(n.files, file)
	}
	return n
}

// skippedRows says which rows of a table were skipped as no patient's:
// a workbook's title rows above its header, header rows after the first,
// and blank rows: the note, and what it says was skipped; "" when none
// were.
func skippedRows(name string, st intake.Stats) (note, what string) {
	var parts []string
	row := "line"
	if st.Format == intake.FormatXLSX {
		name, row = name+" (sheet "+strconv.Quote(st.Sheet)+")", "row"
	}
	if len(st.TitleRows) > 0 {
		parts = append(parts, fmt.Sprintf("%s above the header (%s)", plural(len(st.TitleRows), "title row", "title rows"), linesOf(row, st.TitleRows)))
	}
	if len(st.HeaderRows) > 0 {
		parts = append(parts, fmt.Sprintf("%s after the first (%s)", plural(len(st.HeaderRows), "header row", "header rows"), linesOf(row, st.HeaderRows)))
	}
	if len(st.BlankRows) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(st.BlankRows), "blank row", "blank rows"), linesOf(row, st.BlankRows)))
	}
	if len(parts) == 0 {
		return "", ""
	}
	if len(parts) > 2 {
		parts = []string{strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1]}
	}
	what = strings.Join(parts, " and ")
	return fmt.Sprintf("note: %s: skipped %s, which hold no patient's answers\n", name, what), what
}

// linesOf names lines of a file (or rows of a sheet: what is "line"), the
// first few of them: "line 2", "lines 2, 3 and 9", "lines 2, 3, 4, 5, 6
// and 40 more".
func linesOf(what string, lines []int) string {
	const most = 5
	if len(lines) == 1 {
		return what + " " + strconv.Itoa(lines[0])
	}
	var ns []string
	for _, l := range lines[:min(len(lines), most)] {
		ns = append(ns, strconv.Itoa(l))
	}
	last := ns[len(ns)-1]
	if len(lines) > most {
		last = strconv.Itoa(len(lines)-most) + " more"
	} else {
		ns = ns[:len(ns)-1]
	}
	return what + "s " + strings.Join(ns, ", ") + " and " + last
}

// plural says a count with its noun: "1 error", "2 errors". For the
// operator's messages, which are in English.
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
