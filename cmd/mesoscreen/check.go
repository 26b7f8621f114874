package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// CheckOptions are the inputs of "mesoscreen check".
type CheckOptions struct {
	Streams *iostreams.Streams
	Global  *globalOptions
	Files   []string
	Format  string // output format; "" picks table on a terminal, else text
	Input   string // input format; "" detects it per file
	MapFile string // mapping of a form export's columns, for CSV input
	Output  string // file to write the results to; "" for stdout
	Report  string // file to write the data-quality report to; "" for none
	Quiet   bool
	Details bool
	Jobs    int // evaluation workers; 0 for one per core
}

// NewCmdCheck builds "mesoscreen check". runF replaces the run function in
// tests of flag parsing.
func NewCmdCheck(s *iostreams.Streams, g *globalOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{Streams: s, Global: g}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Screen intake files, one result per patient",
		Long: `Screen intake files against the rule set, one result per record, in input order.

Input formats, detected from the file's extension and content (--input
overrides):
  csv    a header row of field ids, then one patient per row; ',' ';' or tab
         delimited, with or without a byte order mark; an empty cell is a
         missing answer. With --map, a form tool's export (Google Forms and
         the like) read through a mapping; see "mesoscreen template mapping".
  json   one JSON object, an array of objects, or a run of objects; a record
         saved by "mesoscreen interview --save" is screened again.
  jsonl  JSON Lines, one object per line.
  fhir   FHIR R4 QuestionnaireResponse: one resource, a Bundle of them, or
         NDJSON as a Bulk Data export writes it.
Several files are screened in the order given. With no FILE, or with -, the
intakes are read from stdin.

Output formats (--format): table (the default on a terminal), text (the
default otherwise: a block per record), csv (patient_id, source, verdict,
rules, messages), json (one array) and jsonl (one result per line). The count
of each verdict goes to stderr; --quiet leaves only errors there. --report
FILE.html adds one page for whoever fixes the intake form: verdicts, rules
fired, and each question's missing, unsure and unreadable answers with the
form column they came from.

A record that cannot be read still gets a result: needs_review, naming where
it is and what is wrong. So does a patient_id seen earlier in the run. The
exit code is 0 when every record may be treated, 1 when any needs review, is
deferred or is not eligible, and 2 when the check could not be done.`,
		Example: `  mesoscreen check testdata/examples/intakes.jsonl
  mesoscreen check --format csv --output results.csv monday.csv tuesday.csv
  mesoscreen check --map testdata/examples/google-forms-mapping.yaml testdata/examples/google-forms-export.csv
  mesoscreen check --input fhir responses.ndjson
  export-tool | mesoscreen check --format jsonl -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if len(opts.Files) == 0 {
				opts.Files = []string{"-"}
			}
			if opts.Format == "" {
				opts.Format = "text"
				if s.OutTTY && opts.Output == "" {
					opts.Format = "table"
				}
			}
			if !slices.Contains(render.Formats, opts.Format) {
				return failf("--format %q is not one of %s", opts.Format, strings.Join(render.Formats, ", "))
			}
			if opts.Input != "" && !slices.Contains(intake.Formats, intake.Format(opts.Input)) {
				return failf("--input %q is not one of csv, json, jsonl, fhir", opts.Input)
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
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "", "output `format`: table, text, csv, json or jsonl (default table on a terminal, else text)")
	cmd.Flags().StringVar(&opts.Input, "input", "", "input `format`: csv, json, jsonl or fhir (default: detect per file)")
	cmd.Flags().StringVar(&opts.MapFile, "map", "", "read CSV input as a form export, through the mapping in `FILE`")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the results to `FILE` (mode 0600, replaced only when complete)")
	cmd.Flags().StringVar(&opts.Report, "report", "", "write a data-quality report of the run to `FILE.html` (one page, mode 0600)")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "write nothing to stderr but errors")
	cmd.Flags().BoolVarP(&opts.Details, "details", "d", false, "in text output, add the instructions and course of treatment")
	cmd.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "screen with `N` workers (default one per core)")
	return cmd
}

func runCheck(opts *CheckOptions) error {
	s := opts.Streams
	// The rule set and the lexicon load side by side: each takes tens of
	// milliseconds, which a short run notices.
	type loaded struct {
		lx  *meds.Lexicon
		err error
	}
	lexicon := make(chan loaded, 1)
	go func() {
		lx, err := opts.Global.lexicon()
		lexicon <- loaded{lx, err}
	}()
	rs, err := opts.Global.ruleSet()
	l := <-lexicon
	if err != nil {
		return err
	}
	if l.err != nil {
		return l.err
	}
	// Every input must be there before the first record is screened, so
	// that a typo in the last file name does not leave half a run.
	for _, f := range opts.Files {
		if err := checkReadable(f); err != nil {
			return err
		}
	}
	in := &checkInputs{opts: opts, rs: rs}
	if opts.MapFile != "" {
		in.mapping, err = intake.LoadMapping(opts.MapFile, func(id string) bool { return rs.Index(id) >= 0 })
		if err == nil {
			err = in.mapping.Check(rs)
		}
		if err != nil {
			return failf("%v", err)
		}
	}
	if s.ErrTTY && !opts.Quiet {
		in.progress = s.Err
	}

	rep, err := newReport(opts, rs, in.mapping)
	if err != nil {
		return err
	}
	var out io.Writer = s.Out
	width := s.OutWidth
	if opts.Output != "" {
		if err := refuseInput(opts.Output, append(slices.Clone(opts.Files), opts.MapFile, opts.Global.rulesFile)); err != nil {
			return err
		}
		// An interrupted run leaves no partial file behind: the
		// temporary one is removed before the signal ends the process.
		// The watch starts before the file is made, and holds the signal
		// back until it is, so that no moment is left uncovered.
		var mu sync.Mutex
		var f *atomicfile.File
		stop := onInterrupt(func() {
			mu.Lock()
			defer mu.Unlock()
			if f != nil {
				f.Abort()
			}
		})
		defer stop()
		mu.Lock()
		f, err = atomicfile.Create(opts.Output, true)
		mu.Unlock()
		if err != nil {
			return failf("--output: %v", err)
		}
		defer f.Abort() // does nothing once committed
		out, width = f, 0
	}
	bw := bufio.NewWriterSize(out, 64*1024)
	rw := render.New(opts.Format, bw, opts.Details, width)
	warn := func(format string, args ...any) {
		if !opts.Quiet {
			fmt.Fprintf(s.Err, format, args...)
		}
	}
	if !opts.Quiet {
		opts.Global.announce(s, rs)
	}

	// The csv and table outputs show no instructions: they are not worked
	// out.
	sc := screening.NewScreener(rs, screening.Options{Meds: l.lx, FindingsOnly: opts.Format == "csv" || opts.Format == "table"})
	files := make([]batch.File, len(opts.Files))
	for i, f := range opts.Files {
		files[i] = batch.File{Name: displayName(f), Records: in.records(f)}
	}
	var unknown []string
	total, counts := 0, map[rules.Level]int{}
	for res, err := range batch.Screen(sc, files, batch.Options{Workers: opts.Jobs, Unknown: func(k string) { unknown = append(unknown, k) }}) {
		if err != nil {
			return err
		}
		total++
		counts[res.Verdict]++
		rep.add(res)
		if err := rw.Write(res); err != nil {
			return failf("writing results: %v", err)
		}
	}
	if err := rw.Close(); err != nil {
		return failf("writing results: %v", err)
	}
	if err := bw.Flush(); err != nil {
		return failf("writing results: %v", err)
	}
	if f, ok := out.(*atomicfile.File); ok {
		if err := f.Commit(); err != nil {
			return failf("--output: %v", err)
		}
	}
	if err := rep.write(in.files); err != nil {
		return err
	}
	for _, name := range in.empty {
		warn("note: %s holds no records\n", name)
	}
	if len(in.ignored) > 0 {
		warn("warning: ignored columns that name no field: %s\n", strings.Join(in.ignored, ", "))
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		warn("warning: ignored fields the rule set does not ask: %s\n", strings.Join(unknown, ", "))
	}
	warn("%s\n", summary(total, counts))
	for _, l := range []rules.Level{rules.NeedsReview, rules.Defer, rules.NotEligible} {
		if counts[l] > 0 {
			return &exitErr{code: exitFindings}
		}
	}
	return nil
}

// refuseInput stops --output from replacing a file the run reads.
func refuseInput(output string, inputs []string) error {
	ost, err := os.Stat(output)
	if err != nil {
		return nil // a new file cannot be an input
	}
	if ost.IsDir() {
		return failf("--output %s is a directory; expected a file name", output)
	}
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return failf("--output %s is the input file %s; refusing to overwrite it", output, in)
		}
	}
	return nil
}

func displayName(f string) string {
	if f == "-" {
		return "stdin"
	}
	return f
}

func checkReadable(f string) error {
	if f == "-" {
		return nil
	}
	st, err := os.Stat(f)
	switch {
	case os.IsNotExist(err):
		return failf("%s: no such file", f)
	case err != nil:
		return failf("%s: %v", f, err)
	case st.IsDir():
		return failf("%s is a directory; expected an intake file", f)
	}
	fh, err := os.Open(f)
	if err != nil {
		return failf("%s: cannot open: %v", f, err)
	}
	return fh.Close()
}

// summary is the line of counts per verdict written to stderr.
func summary(total int, counts map[rules.Level]int) string {
	noun := "records"
	if total == 1 {
		noun = "record"
	}
	var parts []string
	for _, l := range rules.Levels {
		if counts[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("screened %d %s", total, noun)
	}
	return fmt.Sprintf("screened %d %s: %s", total, noun, strings.Join(parts, ", "))
}
