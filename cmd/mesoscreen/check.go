package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// CheckOptions are the inputs of "mesoscreen check".
type CheckOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Files   []string
	Format  string // output format; "" picks table on a terminal, else text
	Input   string // input format; "" detects it per file
	MapFile string // mapping of a form export's columns, for CSV input
	Output  string // file to write the results to; "" for stdout
	Report  string // file to write the data-quality report to; "" for none
	Quiet   bool
	Force   bool // replace an existing --output file
	Details bool
	Jobs    int    // evaluation workers; 0 for one per core
	At      string // the day saved records are checked for; "" for today
	// Encoding is the inputs' text encoding; "auto" tells it per file.
	Encoding string
	// AllowUnknown lets a column, key or linkId that nearly names a field
	// through as an ignored one, with a warning, rather than stop the run
	// (or, for a linkId, flag its record).
	AllowUnknown bool
	// Ignore lists the columns and keys declared ignored (--ignore).
	Ignore []string
	// Lang is --lang: the language of the messages (lang.go).
	Lang string
	// Sheet is --sheet: the sheet of a workbook input to read; "" for
	// the first.
	Sheet string
}

// NewCmdCheck builds "mesoscreen check". runF replaces the run function in
// tests of flag parsing.
func NewCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	s := f.IO
	opts := &CheckOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Screen intake files, one result per patient",
		Long:  helpText("check"),
		Example: `  mesoscreen check testdata/examples/intakes.jsonl
  mesoscreen check --details testdata/examples/healthy.json
  mesoscreen check -o results.csv monday.csv tuesday.csv
  mesoscreen check --map testdata/examples/google-forms-mapping.yaml \
    testdata/examples/google-forms-export.csv
  mesoscreen check --input fhir responses.ndjson
  export-tool | mesoscreen check --format jsonl -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			// check's own -q is the global one: the rest of the run says
			// nothing more than any quiet command does.
			s.Quiet = s.Quiet || opts.Quiet
			opts.Quiet = s.Quiet
			if len(opts.Files) == 0 {
				opts.Files = []string{"-"}
				if s.InTTY && !opts.Quiet {
					// Else the terminal waits in silence for what a person
					// never meant to type.
					fmt.Fprintln(s.Err, "reading intake records from the terminal until Ctrl-D; to screen a file, give it: mesoscreen check FILE")
				}
			}
			if s.InTTY && slices.Contains(opts.Files, "-") {
				// One Ctrl-D ends what is typed, though the reader reads
				// on after the end.
				tty := *s
				tty.In = iostreams.EOFOnce(s.In)
				opts.Streams = &tty
			}
			if isStdout(opts.Output) {
				opts.Output = ""
			} else if _, err := formatByExt("--output", opts.Output, checkOutputExts); err != nil && opts.Format == "" {
				return err
			}
			if opts.Format == "" {
				opts.Format = defaultCheckFormat(opts.Output, s.OutTTY && !s.Accessible())
			}
			if opts.MapFile != "" && opts.Input != "" && opts.Input != "csv" {
				return failf("--map reads a CSV export; it cannot be used with --input %s", opts.Input)
			}
			if opts.Jobs < 0 {
				return failf("--jobs %d: expected 0 (one per core) or more", opts.Jobs)
			}
			if runF != nil {
				return runF(opts)
			}
			return runCheck(opts)
		},
	}
	addEnumFlag(cmd, &opts.Format, "format", "f", "", "output `format`: table, text, csv, json or jsonl (default: from the --output extension, else table on a terminal, else text)", render.Formats...)
	addEnumFlag(cmd, &opts.Input, "input", "", "", "input `format`: csv, json, jsonl or fhir (default: detect per file)", words(intake.Formats)...)
	cmd.Flags().StringVar(&opts.MapFile, "map", "", "read CSV input as a form export, through the mapping in `FILE`")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the results to `FILE` (mode 0600, written whole or not at all; .csv, .json, .jsonl and .txt choose the format; - is stdout)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing --output file")
	cmd.Flags().StringVar(&opts.Report, "report", "", "write a data-quality report of the run to `FILE.html` (one page, mode 0600); - for stdout, with -o FILE")
	completeFlag(cmd, "map", yamlCompletion)
	completeFlag(cmd, "output", extCompletion("csv", "json", "jsonl", "ndjson", "txt"))
	completeFlag(cmd, "report", extCompletion("html"))
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"csv", "tsv", "json", "jsonl", "ndjson", "xlsx", "xlsm"}, cobra.ShellCompDirectiveFilterFileExt
	}
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "write nothing to stderr but errors and warnings")
	cmd.Flags().BoolVarP(&opts.Details, "details", "d", false, "in text and table output, add the medication list as written and the instructions")
	cmd.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "screen with `N` workers (default one per core)")
	addEnumFlag(cmd, &opts.Encoding, "encoding", "", "auto", "text `encoding` of the inputs: utf-8, utf-16, windows-1252, latin-1 or auto", words(intake.Encodings)...)
	cmd.Flags().BoolVar(&opts.AllowUnknown, "allow-unknown", false, "let a column or key that nearly names a field through, with a warning, rather than stop; an answer under it is a finding on its record")
	cmd.Flags().StringArrayVar(&opts.Ignore, "ignore", nil, "declare the column or key `NAME` ignored: what it holds is not read (repeat for more); any other that names no field is a finding on its record")
	completeFlag(cmd, "ignore", noCompletion)
	cmd.Flags().StringVar(&opts.Sheet, "sheet", "", "read the sheet `NAME` of an Excel workbook input (default: its first)")
	completeFlag(cmd, "sheet", noCompletion)
	addCheckedFlag(cmd, &opts.At, "at", "DATE", "check saved records as on `DATE` (2026-03-10): their age, and the clearances made by then (default today)", checkAt)
	addLangFlag(cmd, f, &opts.Lang)
	completeFlags(cmd, noCompletion, "jobs")
	return cmd
}

func runCheck(opts *CheckOptions) error {
	s := opts.Streams
	// Instructions a format does not show are not worked out.
	findingsOnly := !render.NeedsInstructions(opts.Format, render.Options{Details: opts.Details})
	rs, sc, err := opts.Factory.screener(&langOf{Flag: opts.Lang}, screening.Options{FindingsOnly: findingsOnly})
	if err != nil {
		return err
	}
	at, err := atFlag(opts.At, s.Time())
	if err != nil {
		return err
	}
	var mapping *intake.Mapping
	if opts.MapFile != "" {
		mapping, err = intake.LoadMapping(opts.MapFile, func(id string) bool { return rs.Index(id) >= 0 })
		if err == nil {
			err = mapping.Check(rs)
		}
		if err != nil {
			return failf("%w", err)
		}
	}
	inOpts := intake.Options{RuleSet: rs, Format: intake.Format(opts.Input), Encoding: intake.Encoding(opts.Encoding), Mapping: mapping, AllowUnknown: opts.AllowUnknown, Ignore: opts.Ignore, Sheet: opts.Sheet}
	ins, err := openInputs(opts, inOpts)
	if err != nil {
		return err
	}
	defer closeInputs(ins)
	var progress io.Writer
	if s.ErrTTY && !opts.Quiet && !s.Accessible() {
		progress = s.Err
	}

	rep, err := newReport(opts, s, rs, mapping)
	if err != nil {
		return err
	}
	out := s.Out
	width := s.OutWidth
	// An interrupted run leaves no partial file behind: the temporary one
	// is removed before the process ends. The watch starts before the file
	// is made, and holds the signal back until it is, so that no moment is
	// left uncovered.
	var mu sync.Mutex
	var f *atomicfile.File
	stop := onInterrupt(s.Err, func() {
		mu.Lock()
		defer mu.Unlock()
		if f != nil {
			f.Abort()
		}
		rep.abort()
	})
	defer stop()
	if opts.Output != "" {
		if err := atomicfile.Refuse(opts.Output, append(slices.Clone(opts.Files), opts.MapFile, opts.Factory.rulesFile), stdinFile(s, opts.Files)); err != nil {
			return failf("--output %w", err)
		}
		mu.Lock()
		f, err = atomicfile.Create(opts.Output, opts.Force)
		mu.Unlock()
		if err != nil {
			return failf("--output: %w", err)
		}
		defer f.Abort() // does nothing once committed
		out, width = f, 0
	}
	bw := bufio.NewWriterSize(out, 64*1024)
	ro := render.Options{Details: opts.Details, Width: width, Color: opts.Output == "" && s.ColorEnabled(), RuleSet: rs}
	rw := render.New(opts.Format, bw, ro)
	if !opts.Quiet {
		opts.Factory.announce(rs)
	}

	keys, err := opts.Factory.keyring()
	if err != nil {
		return err
	}
	files := batchFiles(ins, inOpts, progress, &journals{f: opts.Factory, keys: keys})
	var unknown []string
	total, counts := 0, map[rules.Level]int{}
	for res, err := range batch.Screen(sc, files, batch.Options{Workers: opts.Jobs, At: at, Unknown: func(k string) { unknown = append(unknown, k) }}) {
		if err != nil {
			return err
		}
		total++
		counts[res.Verdict]++
		rep.add(res)
		if err := rw.Write(res); err != nil {
			return failf("writing results: %w", err)
		}
	}
	in := noteInputs(ins)
	if total == 0 && len(in.nothing) > 0 {
		return failf("no record was screened: %s", strings.Join(in.nothing, "; "))
	}
	if err := rw.Close(); err != nil {
		return failf("writing results: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return failf("writing results: %w", err)
	}
	// Which encoding was not UTF-8 is said whatever --quiet says: a wrong
	// guess changes every answer with a letter outside ASCII.
	for _, note := range in.encodings {
		fmt.Fprint(s.Err, note)
	}
	if f, ok := out.(*atomicfile.File); ok {
		if err := f.Commit(); err != nil {
			return failf("--output: %w", err)
		}
	}
	if err := rep.write(in.files); err != nil {
		return err
	}
	// Notes and the count go with --quiet; a warning is said whatever it
	// says, as in every command.
	for _, note := range in.skipped {
		s.Info("%s", note)
	}
	for _, note := range in.rows {
		s.Info("%s", note)
	}
	for _, name := range in.empty {
		s.Info("note: %s holds no records\n", name)
	}
	for _, a := range in.allowed {
		fmt.Fprintf(s.Err, "warning: let through, as --allow-unknown asks (an answer under it is a finding on its record): %s\n", a)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		for i, k := range unknown {
			unknown[i] = strconv.Quote(k)
		}
		s.Info("note: no question reads %s; a record with an answer there has a finding for it (--ignore NAME declares one ignored)\n", render.Printable(strings.Join(unknown, ", ")))
	}
	s.Info("%s\n", render.Summary(total, counts))
	for _, l := range []rules.Level{rules.NeedsReview, rules.Defer, rules.NotEligible} {
		if counts[l] > 0 {
			return &exitErr{code: exitFindings}
		}
	}
	return nil
}

// checkOutputExts are the extensions of an --output file, and the format
// each names.
var checkOutputExts = map[string]string{".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "text"}

// defaultCheckFormat is the output format when --format is not given:
// the one the --output file's extension names, else a table for a person
// at a terminal, else text.
func defaultCheckFormat(output string, tty bool) string {
	switch strings.ToLower(filepath.Ext(output)) {
	case ".csv":
		return "csv"
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	if tty && output == "" {
		return "table"
	}
	return "text"
}

// stdinFile is what stdin reads when the run reads it and it is a file.
func stdinFile(s *iostreams.Streams, files []string) os.FileInfo {
	if !slices.Contains(files, "-") {
		return nil
	}
	return stdinInfo(s.In)
}

func displayName(f string) string {
	if f == "-" {
		return "stdin"
	}
	return f
}
