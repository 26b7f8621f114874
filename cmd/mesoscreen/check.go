package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// CheckOptions are the inputs of "mesoscreen check".
type CheckOptions struct {
	Streams *Streams
	Global  *globalOptions
	Files   []string
	Format  string // output format; "" picks table on a terminal, else text
	Input   string // input format; "" detects it per file
	MapFile string // mapping of a form export's columns, for CSV input
	Output  string // file to write the results to; "" for stdout
	Quiet   bool
	Details bool
	Jobs    int // evaluation workers; 0 for one per core
}

// checkMemoryLimit is the memory budget of a check, unless GOMEMLIMIT or
// GOGC say otherwise; checkMemoryRoom is what it keeps free beside the
// table of patient ids once that table is large, and checkLiveRoom what
// it keeps free above the live heap: a budget close to what a run keeps
// makes the collector run without pause (BENCHMARKS.md, seventh round).
const (
	checkMemoryLimit = 40 << 20
	checkMemoryRoom  = 24 << 20
	checkLiveRoom    = 16 << 20
)

// memoryBudget sets the memory limit of a check from the size of its
// table of patient ids and from its live heap, as measured after the
// last collection. Its methods are called on one goroutine.
type memoryBudget struct {
	table, limit int64
	live         []metrics.Sample
}

func newMemoryBudget() *memoryBudget {
	return &memoryBudget{limit: checkMemoryLimit, live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
}

// set raises or lowers the limit to what the run needs now.
func (m *memoryBudget) set() {
	metrics.Read(m.live)
	var live int64
	if v := m.live[0].Value; v.Kind() == metrics.KindUint64 {
		live = int64(v.Uint64())
	}
	if want := max(checkMemoryLimit, m.table+checkMemoryRoom, live+checkLiveRoom); want != m.limit {
		m.limit = want
		debug.SetMemoryLimit(want)
	}
}

var checkFormats = []string{"table", "text", "csv", "json", "jsonl"}

// NewCmdCheck builds "mesoscreen check". runF replaces the run function in
// tests of flag parsing.
func NewCmdCheck(s *Streams, g *globalOptions, runF func(*CheckOptions) error) *cobra.Command {
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
of each verdict goes to stderr; --quiet leaves only errors there.

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
			if !slices.Contains(checkFormats, opts.Format) {
				return failf("--format %q is not one of %s", opts.Format, strings.Join(checkFormats, ", "))
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
	lx := l.lx
	// Every input must be there before the first record is screened, so
	// that a typo in the last file name does not leave half a run.
	for _, f := range opts.Files {
		if err := checkReadable(f); err != nil {
			return err
		}
	}
	var mapping *intake.Mapping
	if opts.MapFile != "" {
		mapping, err = intake.LoadMapping(opts.MapFile, func(id string) bool { return rs.Index(id) >= 0 })
		if err != nil {
			return failf("%v", err)
		}
	}
	var out io.Writer = s.Out
	var af *atomicFile
	if opts.Output != "" {
		if err := refuseInput(opts.Output, append(slices.Clone(opts.Files), opts.MapFile, opts.Global.rulesFile)); err != nil {
			return err
		}
		if af, err = createAtomic(opts.Output); err != nil {
			return failf("--output: %v", err)
		}
		defer af.abort() // does nothing once committed
		out = af
	}
	bw := bufio.NewWriterSize(out, 64*1024) // large writes: a big run writes hundreds of MB
	width := 0
	if opts.Output == "" {
		width = s.OutWidth
	}
	rw := newResultWriter(opts.Format, bw, rs, opts.Details, width)
	warn := func(format string, args ...any) {
		if !opts.Quiet {
			fmt.Fprintf(s.Err, format, args...)
		}
	}

	var (
		onIDGrow func(int64)
		onChunks func()
	)
	if s.Getenv != nil && s.Getenv("GOMEMLIMIT") == "" && s.Getenv("GOGC") == "" {
		// The garbage collector runs against a memory budget rather than
		// each time the heap doubles: a run then uses about the same
		// memory at any size, and collects less often. The budget grows
		// with the table of patient ids, the one thing a run keeps for
		// every record, and with what else the run keeps (lists of
		// medicines read once and kept), so that it never runs short of
		// room.
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(checkMemoryLimit))
		budget := newMemoryBudget()
		onIDGrow = func(table int64) {
			budget.table = table
			budget.set()
		}
		onChunks = budget.set
	}
	if !opts.Quiet {
		opts.Global.announce(s, rs)
	}
	// The csv and table outputs show no instructions: they are not worked
	// out.
	sopts := screening.Options{Meds: lx, FindingsOnly: opts.Format == "csv" || opts.Format == "table"}
	b := &batchRun{
		rs: rs, sopts: sopts, mapping: mapping, input: intake.Format(opts.Input), stdin: s.In,
		jobs: opts.Jobs, warn: warn, progressMin: progressMin, onIDGrow: onIDGrow, onChunks: onChunks,
	}
	if s.ErrTTY && !opts.Quiet {
		b.progress = s.Err
	}
	var tally tally
	if rf, ok := rw.(rowFormat); ok {
		tally, err = b.runRows(opts.Files, rf)
	} else {
		tally, err = b.run(opts.Files, rw.write)
	}
	if err != nil {
		return err
	}
	if err := rw.close(); err != nil {
		return failf("writing results: %v", err)
	}
	if err := bw.Flush(); err != nil {
		return failf("writing results: %v", err)
	}
	if af != nil {
		if err := af.commit(); err != nil {
			return failf("--output: %v", err)
		}
	}
	if len(tally.ignored) > 0 {
		warn("warning: ignored columns that name no field: %s\n", strings.Join(tally.ignored, ", "))
	}
	if len(tally.unknown) > 0 {
		warn("warning: ignored fields the rule set does not ask: %s\n", strings.Join(tally.unknown, ", "))
	}
	warn("%s\n", summary(tally.total, tally.counts))
	for _, l := range []rules.Level{rules.NeedsReview, rules.Defer, rules.NotEligible} {
		if tally.counts[l] > 0 {
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
