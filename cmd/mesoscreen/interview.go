package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/prompt"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// InterviewOptions are the inputs of "mesoscreen interview".
type InterviewOptions struct {
	Streams    *iostreams.Streams
	Factory    *Factory
	Format     string
	Save       string
	Force      bool
	Clinician  string
	From       string
	PatientID  string
	Accessible bool
	// Recheck is a saved record to re-screen before a session; Handout a
	// file to write the patient handout to (interview_recheck.go).
	Recheck string
	Handout string
	// Lang is --lang: the language the interview asks in (lang.go).
	Lang string

	// NoPatientID lets --save write a record without a patient id.
	NoPatientID bool
	// Now is the clock of screened_at; tests may fix it.
	Now func() time.Time
	// Prompter replaces the prompter chosen from the streams, in tests.
	Prompter interview.Prompter
}

var interviewFormats = []string{"text", "json"}

// NewCmdInterview builds "mesoscreen interview". runF replaces the run
// function in tests of flag parsing.
func NewCmdInterview(f *Factory, runF func(*InterviewOptions) error) *cobra.Command {
	s := f.IO
	opts := &InterviewOptions{Streams: s, Factory: f, Now: s.Time}
	cmd := &cobra.Command{
		Use:   "interview",
		Short: "Screen a patient at the consultation, question by question",
		Long:  helpText("interview"),
		Example: `  mesoscreen interview --patient-id MS-1001 --save MS-1001.json
  mesoscreen interview --from online-form.json
  mesoscreen interview --accessible --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Force && opts.Save == "" && opts.Handout == "" {
				return failf("--force only applies with --save FILE or --handout FILE")
			}
			if err := checkRecheckFlags(opts); err != nil {
				return err
			}
			if opts.NoPatientID && opts.Save == "" {
				return failf("--no-patient-id only applies with --save FILE")
			}
			if opts.NoPatientID && opts.PatientID != "" {
				return failf("--no-patient-id and --patient-id contradict each other; give one of them")
			}
			if runF != nil {
				return runF(opts)
			}
			return runInterview(opts)
		},
	}
	fl := cmd.Flags()
	addEnumFlag(cmd, &opts.Format, "format", "f", "text", "result `format`: text or json", interviewFormats...)
	fl.StringVar(&opts.Save, "save", "", "write the full record for the chart to `FILE` (JSON, mode 0600)")
	fl.BoolVar(&opts.Force, "force", false, "with --save, replace an existing file")
	fl.StringVar(&opts.Clinician, "clinician", "", "the `NAME` your signing key is trusted as, the first time you sign (default: the login name); later it must match")
	fl.StringVar(&opts.From, "from", "", "start from the answers of a JSON intake `FILE` (one record)")
	fl.StringVar(&opts.PatientID, "patient-id", "", "the patient's chart number, `ID` (needed with --save)")
	fl.BoolVar(&opts.NoPatientID, "no-patient-id", false, "with --save, save the record without a patient id")
	fl.BoolVar(&opts.Accessible, "accessible", false, "plain line-by-line prompts, for screen readers and scripts")
	fl.StringVar(&opts.Recheck, "recheck", "", "re-screen the saved `RECORD` before a session: only what may have changed, and the full questions if the patient's health did; each previous answer shown, none chosen, k keeps it; the record gets the new event")
	fl.StringVar(&opts.Handout, "handout", "", "write the patient handout to `FILE` at the end (PDF, or HTML for .html)")
	addLangFlag(cmd, f, &opts.Lang)
	completeFlags(cmd, jsonCompletion, "from", "save", "recheck")
	completeFlag(cmd, "handout", extCompletion("pdf", "html"))
	completeFlags(cmd, noCompletion, "clinician", "patient-id")
	return cmd
}

// accessibleMode reports whether to ask in plain lines.
func accessibleMode(opts *InterviewOptions) bool {
	return opts.Accessible || opts.Streams.Accessible()
}

func runInterview(opts *InterviewOptions) error {
	if opts.Recheck != "" {
		return runRecheck(opts)
	}
	s := opts.Streams
	rs, sc, err := opts.Factory.screener(&langOf{Flag: opts.Lang}, screening.Options{IdentifierOptional: true})
	if err != nil {
		return err
	}
	accessible := accessibleMode(opts)
	if opts.Prompter == nil && !accessible && !s.InTTY {
		return failf("stdin is not a terminal, so the interview form cannot run.\n" +
			"Use --accessible for plain line-by-line prompts, or \"mesoscreen check FILE\" to screen intake files.")
	}
	// Refuse a --save target, and find the key that signs the record,
	// before the interview, not after it.
	var signer screening.Signer
	if opts.Save != "" {
		if err := atomicfile.CheckTarget(opts.Save, opts.Force); err != nil {
			return failf("--save %w", err)
		}
		if signer, err = opts.Factory.signer(opts.Clinician); err != nil {
			return err
		}
	}
	if err := checkHandoutTarget(opts); err != nil {
		return err
	}
	answers, err := startingAnswers(opts, sc)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p := prompterFor(opts, accessible)
	err = interview.Walk(ctx, sc, answers, p)
	if err == nil && opts.Save != "" {
		// A saved record is filed under its patient id; one without it is
		// saved only when the clinician says so.
		if opts.NoPatientID {
			answers.NoIdentifier = !hasPatientID(answers)
		} else {
			err = askPatientID(ctx, s, p, answers)
		}
	}
	if err := closePrompter(p, err); err != nil {
		return walkFailed(err)
	}

	res := sc.Evaluate(answers)
	res.Source = "interview"
	if opts.Save != "" {
		if err := saveRecord(opts, answers, res, signer); err != nil {
			return failf("the record was not saved: %w", err)
		}
	}
	return interviewDone(opts, rs, answers, res)
}

// prompterFor is the prompter the interview asks through.
func prompterFor(opts *InterviewOptions, accessible bool) interview.Prompter {
	s := opts.Streams
	switch {
	case opts.Prompter != nil:
		return opts.Prompter
	case accessible:
		return prompt.NewAccessible(s.In, s.Err)
	}
	var opt []tea.ProgramOption
	if s.ColorRefused() {
		// Bold and reverse still show the cursor; no colour is drawn.
		opt = append(opt, tea.WithColorProfile(colorprofile.Ascii))
	}
	return prompt.NewTUI(s.In, s.Err, opt...)
}

// closePrompter gives the terminal back, if the prompter holds it, before
// anything else is written, and returns the walk's error, or the close's.
func closePrompter(p interview.Prompter, err error) error {
	if c, ok := p.(interface{ Close() error }); ok {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	return err
}

// walkFailed is the error of an interview that ended without a verdict.
func walkFailed(err error) error {
	switch {
	case errors.Is(err, interview.ErrCancelled):
		return &exitErr{code: exitCancelled, err: interview.ErrCancelled}
	case errors.Is(err, interview.ErrIncomplete):
		return &exitErr{code: exitError, err: err}
	}
	return failf("interview: %w", err)
}

// interviewDone shows the result, writes the handout if asked, and
// returns the exit code's error.
func interviewDone(opts *InterviewOptions, rs *rules.RuleSet, answers *screening.Answers, res screening.Result) error {
	s := opts.Streams
	// Which rule set screened the patient is said with the result, not
	// above the form, where it would take rows from the questions for the
	// whole interview.
	opts.Factory.announce(rs)
	// Said before the result, so that the verdict stays the last thing
	// on screen.
	if opts.Save != "" {
		s.Info("saved the record to %s\n", render.Printable(opts.Save))
	}
	if opts.Handout != "" {
		if err := writeHandoutFile(opts.Streams, opts.Factory, handoutInput{Result: res, Answers: answers, RuleSet: rs, Date: opts.Now()}, opts.Handout, formatOf(opts.Handout), "patient", opts.Force); err != nil {
			return err
		}
	}
	if opts.Format == "json" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return failf("writing the result: %w", err)
		}
		if _, err := fmt.Fprintf(s.Out, "%s\n", b); err != nil {
			return failf("writing the result: %w", err)
		}
	} else {
		// In accessible mode the verdict is a plain "VERDICT:" line on a
		// terminal too: a box of rules and colour reads as noise.
		plain := accessibleMode(opts)
		screen := render.Screen{RuleSet: rs, Styled: s.OutTTY && !plain, Color: s.ColorEnabled() && !plain, Width: s.OutWidth}
		if err := screen.Render(s.Out, res); err != nil {
			return failf("writing the result: %w", err)
		}
	}
	if !res.Verdict.AllowsTreatment() {
		return &exitErr{code: exitFindings}
	}
	return nil
}

// hasPatientID reports whether the answers name the patient.
func hasPatientID(a *screening.Answers) bool {
	id := a.RuleSet().Identifier()
	return id == nil || a.Get(id.ID).Answered() && a.Get(id.ID).Text() != ""
}

// askPatientID asks for the patient id until one is given, for a record
// that --save writes.
func askPatientID(ctx context.Context, s *iostreams.Streams, p interview.Prompter, a *screening.Answers) error {
	rs := a.RuleSet()
	q := rs.Identifier()
	sec, _ := rs.Section(q.Section)
	for !hasPatientID(a) {
		fmt.Fprintf(s.Err, "The saved record needs the patient's chart number; type it, or cancel and run again with --no-patient-id.\n")
		got, err := p.Ask(ctx, interview.Step{Section: sec, Change: true, Questions: []*rules.Question{q}, Current: []screening.Answer{a.Get(q.ID)}})
		if err != nil {
			return err
		}
		if len(got) == 1 {
			if err := a.Set(q.ID, got[0]); err != nil {
				return err
			}
		}
	}
	return nil
}

// startingAnswers are the answers of --from and --patient-id, if any.
func startingAnswers(opts *InterviewOptions, sc *screening.Screener) (*screening.Answers, error) {
	rs := sc.RuleSet()
	a := screening.NewAnswers(rs)
	if opts.From != "" {
		rec, err := readOneIntake(opts.From, rs)
		if err != nil {
			return nil, err
		}
		a = rec.Answers(rs)
		if len(a.Unknown) > 0 {
			fmt.Fprintf(opts.Streams.Err, "warning: %s: ignored fields the rule set does not ask: %s\n", render.Printable(rec.Source), render.Printable(strings.Join(a.Unknown, ", ")))
		}
		// A follow-up answered in the file though the answer it follows
		// says it does not apply: the two disagree, so that answer is asked
		// again rather than either being kept in silence.
		for _, f := range sc.Contradicted(a) {
			q, _ := rs.Question(f.Field)
			for _, id := range q.Cond().Reads() {
				if _, ok := rs.Question(id); ok && id != q.ID {
					if err := a.Set(id, screening.Answer{}); err != nil {
						return nil, failf("%s: %w", rec.Source, err)
					}
				}
			}
			fmt.Fprintf(opts.Streams.Err, "warning: %s: %s; the interview asks it again\n", render.Printable(rec.Source), render.Printable(f.Message))
		}
		sc.ClearInapplicable(a)
	}
	if opts.PatientID != "" {
		id := rs.Identifier()
		if id == nil {
			return nil, failf("--patient-id: the rule set has no identifier question (role: identifier)")
		}
		if err := a.Set(id.ID, screening.ParseAnswer(id, opts.PatientID)); err != nil {
			return nil, failf("--patient-id: %w", err)
		}
	}
	return a, nil
}

// readOneIntake reads the one record of an --from file as check reads a
// JSON input, through intake.Open: what check refuses, such as a key that
// differs from a field only in letter case ("Pregnant": "yes" beside
// "pregnant": "no"), is refused here too, before any question.
func readOneIntake(path string, rs *rules.RuleSet) (intake.Record, error) {
	fh, err := openInput(path)
	if err != nil {
		return intake.Record{}, err
	}
	defer fh.Close()
	in, err := intake.Open(path, fh, intake.Options{RuleSet: rs, Format: intake.FormatJSON})
	if err != nil {
		return intake.Record{}, fromError(err)
	}
	var recs []intake.Record
	for rec, err := range in.Records() {
		if err != nil {
			return intake.Record{}, fromError(err)
		}
		recs = append(recs, rec)
	}
	switch {
	case len(recs) == 0:
		return intake.Record{}, failf("--from %s holds no records; expected one patient's answers", path)
	case len(recs) > 1:
		return intake.Record{}, failf("--from %s holds %d records; expected one patient (use \"mesoscreen check\" for a batch)", path, len(recs))
	case recs[0].Err != nil:
		return intake.Record{}, failf("%s: %w", recs[0].Source, recs[0].Err)
	}
	return recs[0], nil
}

// fromError is the error of an --from file that cannot be read as it is.
func fromError(err error) error {
	var nm *intake.NearMissError
	if errors.As(err, &nm) {
		return failf("--from: %w; no question was asked", nm)
	}
	return failf("--from: %w", err)
}

func saveRecord(opts *InterviewOptions, a *screening.Answers, res screening.Result, signer screening.Signer) error {
	rec, err := screening.NewSavedRecord(a, res, opts.Now(), buildinfo.ToolVersion(), signer)
	if err != nil {
		return err
	}
	b, err := rec.Marshal()
	if err != nil {
		return err
	}
	// Written in full first, the journal's line next, the file put in
	// place last: a journal line is never for a record not saved.
	f, err := atomicfile.Create(opts.Save, opts.Force)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(b); err != nil {
		return err
	}
	if err := opts.Factory.appendJournal(opts.Save, &rec, signer); err != nil {
		return err
	}
	return f.Commit()
}
