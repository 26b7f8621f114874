package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// HandoutOptions are the inputs of "mesoscreen handout".
type HandoutOptions struct {
	Streams  *iostreams.Streams
	Factory  *Factory
	Record   string
	Output   string
	Format   string // pdf or html; "" by the output's extension
	For      string // patient or prescriber
	Force    bool
	At       string
	Start    string
	Every    string
	Sessions int
	Lang     string // --lang: the language of the handout (lang.go)
}

// NewCmdHandout builds "mesoscreen handout". runF replaces the run
// function in tests of flag parsing.
func NewCmdHandout(f *Factory, runF func(*HandoutOptions) error) *cobra.Command {
	s := f.IO
	opts := &HandoutOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "handout RECORD -o FILE",
		Short: "Write the patient's take-home handout, or letters to prescribers, from a saved record",
		Long:  helpText("handout"),
		Example: `  mesoscreen handout MS-1001.json -o MS-1001-handout.pdf \
    --start 2026-03-10 --every 7d
  mesoscreen handout MS-1001.json -o MS-1001-handout.html
  mesoscreen handout MS-1001.json --for prescriber -o MS-1001-letter.pdf`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Record = args[0]
			if opts.Output == "" {
				return failf("-o FILE is required: the file to write the handout to (.pdf or .html), or - for stdout")
			}
			if opts.Format == "" {
				f, err := handoutFormat("-o", opts.Output)
				if err != nil {
					return err
				}
				opts.Format = f
			}
			if isStdout(opts.Output) && opts.Format == "pdf" && s.OutTTY {
				return failf("-o %s: stdout is a terminal, which cannot show a PDF; redirect it to a file, or give -o FILE.pdf", opts.Output)
			}
			if (opts.Start == "") != (opts.Every == "") {
				return failf("--start and --every go together: the first session's date, and the time between sessions (7d, 2w)")
			}
			if opts.Sessions < 1 || opts.Sessions > 52 {
				return failf("--sessions %d: expected 1 to 52", opts.Sessions)
			}
			if runF != nil {
				return runF(opts)
			}
			return runHandout(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` (mode 0600; .pdf or .html choose the format; - is stdout)")
	addEnumFlag(cmd, &opts.Format, "format", "f", "", "`pdf` or html (default by the file's extension, else pdf)", "pdf", "html")
	addEnumFlag(cmd, &opts.For, "for", "", "patient", "patient (the handout) or prescriber (the letters)", "patient", "prescriber")
	fl.BoolVar(&opts.Force, "force", false, "replace an existing output file")
	addCheckedFlag(cmd, &opts.At, "at", "DATE", "the handout's `DATE`, and the day the record is checked for (default today)", checkAt)
	addCheckedFlag(cmd, &opts.Start, "start", "DATE", "the first session's `DATE` (2026-03-10), to list the session dates", checkDate)
	addCheckedFlag(cmd, &opts.Every, "every", "INTERVAL", "the time between sessions: `7d`, 2w", checkEvery)
	fl.IntVar(&opts.Sessions, "sessions", 6, "how many session dates to list")
	addLangFlag(cmd, f, &opts.Lang)
	completeFlag(cmd, "output", extCompletion("pdf", "html"))
	completeFlags(cmd, noCompletion, "sessions")
	cmd.ValidArgsFunction = jsonCompletion
	return cmd
}

func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return "html"
	}
	return "pdf"
}

// handoutFormat is the format a handout file's name asks for: PDF, or
// HTML for .html; an extension that names neither is refused.
func handoutFormat(flag, path string) (string, error) {
	f, err := formatByExt(flag, path, map[string]string{".pdf": "pdf", ".html": "html", ".htm": "html"})
	if f == "" && err == nil {
		f = "pdf"
	}
	return f, err
}

// handoutInput is what a handout is written from.
type handoutInput struct {
	Result   screening.Result
	Answers  *screening.Answers
	RuleSet  *rules.RuleSet
	Date     time.Time
	Sessions []time.Time
}

func runHandout(opts *HandoutOptions) error {
	s := opts.Streams
	at, err := atFlag(opts.At, s.Time())
	if err != nil {
		return err
	}
	var start time.Time
	var days int
	if opts.Start != "" {
		start, err = time.ParseInLocation(time.DateOnly, opts.Start, time.Local)
		if err != nil {
			return failf("--start %q: %w", opts.Start, errDate)
		}
		if days, err = parseEvery(opts.Every); err != nil {
			return failf("--every %q: %w", opts.Every, err)
		}
		if start.Before(dayOf(at)) {
			return failf("--start %s is before the handout's date, %s: the first session is on that day or later", opts.Start, plainDate(at))
		}
	}
	if !isStdout(opts.Output) {
		if err := atomicfile.CheckTarget(opts.Output, opts.Force); err != nil {
			return failf("-o %w", err)
		}
	}
	rec, _, err := readRecord(opts.Record)
	if err != nil {
		return err
	}
	var sessions []time.Time
	if opts.Start != "" {
		// The session plan follows the screening it is written from.
		if screened, err := time.Parse(time.RFC3339, rec.ScreenedAt); err == nil && start.Before(dayOf(screened)) {
			return failf("--start %s is before the patient was screened, on %s: the first session is on that day or later", opts.Start, plainDate(screened.In(time.Local)))
		}
		sessions = handout.Sessions(start, time.Duration(days)*24*time.Hour, opts.Sessions)
	}
	rs, sc, err := opts.Factory.screener(&langOf{Flag: opts.Lang, Record: rec.Result.Lang}, screening.Options{})
	if err != nil {
		return err
	}
	opts.Factory.announce(rs)
	keys, err := opts.Factory.keyring()
	if err != nil {
		return err
	}
	var extra []screening.Finding
	if err := (&journals{f: opts.Factory, keys: keys}).check(opts.Record, &rec); err != nil {
		extra = append(extra, sc.JournalFinding(err))
	}
	res := sc.EvaluateSaved(screening.Parse(rs, rec.LatestAnswers()), &rec, at, extra...)
	in := handoutInput{Result: res, Answers: screening.Parse(rs, rec.LatestAnswers()), RuleSet: rs, Date: at, Sessions: sessions}
	if len(sessions) > 0 && len(res.Course) == 0 {
		fmt.Fprintf(s.Err, "note: no session dates on the handout: the verdict (%s) does not allow treatment\n", res.Verdict)
	}
	return writeHandoutFile(s, opts.Factory, in, opts.Output, opts.Format, opts.For, opts.Force)
}

// dayOf is the start of t's day, where the clinic is.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(time.Local).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.Local)
}

// parseEvery reads --every: days (7d) or weeks (2w).
func parseEvery(s string) (int, error) {
	if len(s) < 2 {
		return 0, errEvery
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 {
		return 0, errEvery
	}
	switch s[len(s)-1] {
	case 'd':
		return n, nil
	case 'w':
		return 7 * n, nil
	}
	return 0, errEvery
}

// writeHandoutFile writes the handout (kind patient) or the letters (kind
// prescriber) of in to path, atomically at mode 0600, in format (pdf or
// html).
func writeHandoutFile(s *iostreams.Streams, f *Factory, in handoutInput, path, format, kind string, force bool) error {
	clinic, cfg, err := f.clinic()
	if err != nil {
		return err
	}
	hin := handout.Input{Result: in.Result, Answers: in.Answers, RuleSet: in.RuleSet, Clinic: clinic, Date: in.Date, Sessions: in.Sessions}
	var pages []handout.Page
	if kind == "prescriber" {
		pages, err = handout.Letters(hin)
		if err == nil && len(pages) == 0 {
			return failf("no finding of this record needs a prescriber's decision that is not cleared yet (verdict %s); no letter written", render.VerdictWords(in.Result.Verdict))
		}
	} else {
		var p handout.Page
		p, err = handout.Patient(hin)
		pages = []handout.Page{p}
	}
	if err != nil {
		return failf("%w", err)
	}
	if clinic.Name == "" || clinic.Phone == "" {
		where := "the config file"
		if cfg != "" {
			where = cfg
		}
		fmt.Fprintf(s.Err, "warning: no clinic name or phone (clinic: name:, phone: in %s); the handout leaves lines to write them in\n", where)
	}
	var b bytes.Buffer
	if format == "html" {
		err = handout.HTML(&b, in.RuleSet.Lang, pages)
	} else {
		err = handout.PDF(&b, pages, in.Date)
	}
	if err != nil {
		return failf("writing %s: %w", path, err)
	}
	if isStdout(path) {
		if _, err := s.Out.Write(b.Bytes()); err != nil {
			return failf("writing to stdout: %w", err)
		}
		path = "stdout"
	} else if err := atomicfile.WriteFile(path, b.Bytes(), force); err != nil {
		return failf("%s: %w", path, err)
	}
	what := "the handout"
	if kind == "prescriber" {
		what = "1 letter to a prescriber"
		if len(pages) > 1 {
			what = fmt.Sprintf("%d letters to prescribers", len(pages))
		}
	}
	s.Info("wrote %s for %s (%s) to %s\n", what, in.Result.PatientID, render.VerdictWords(in.Result.Verdict), path)
	return nil
}
