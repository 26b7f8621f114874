package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// checkRecheckFlags refuses the flags a re-screen has no use for: it reads
// and rewrites its record, and starts from its answers.
func checkRecheckFlags(opts *InterviewOptions) error {
	if opts.Recheck == "" {
		return nil
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"--save", opts.Save != ""}, {"--from", opts.From != ""}, {"--patient-id", opts.PatientID != ""}} {
		if f.set {
			return failf("%s cannot be used with --recheck: the re-screen starts from the record's answers and adds its event to that record", f.name)
		}
	}
	return nil
}

// runRecheck is "interview --recheck RECORD": the short re-screen before a
// session. It asks only the questions the rule set marks recheck, each
// with its previous answer, screens every answer again, and adds the
// re-screen to the record's history.
func runRecheck(opts *InterviewOptions) error {
	s := opts.Streams
	accessible := accessibleMode(opts)
	if opts.Prompter == nil && !accessible && !s.InTTY {
		return failf("stdin is not a terminal, so the interview form cannot run.\n" +
			"Use --accessible for plain line-by-line prompts.")
	}
	if err := checkHandoutTarget(opts); err != nil {
		return err
	}
	rec, _, err := readRecord(opts.Recheck)
	if err != nil {
		return err
	}
	signer, err := opts.Factory.signer(opts.Clinician)
	if err != nil {
		return err
	}
	keys, err := opts.Factory.keyring()
	if err != nil {
		return err
	}
	if err := rec.Verify(keys); err != nil {
		return failf("%s: the record does not verify, so it is not re-screened: %w\nCheck it with \"mesoscreen record verify %s\"; a record saved before records were signed is adopted with \"mesoscreen record adopt %s\".", opts.Recheck, err, opts.Recheck, opts.Recheck)
	}
	rs, sc, err := opts.Factory.screener(&langOf{Flag: opts.Lang, Record: rec.Result.Lang}, screening.Options{IdentifierOptional: true})
	if err != nil {
		return err
	}
	if len(rs.RecheckQuestions()) == 0 {
		return failf("the rule set marks no question recheck: true, so there is nothing to re-screen; run a full interview")
	}
	answers := screening.Parse(rs, rec.LatestAnswers())
	// The short re-screen asks only what may have changed: answers that
	// contradict each other need the whole interview, where the question
	// they hang on is asked again.
	if cs := sc.Contradicted(answers); len(cs) > 0 {
		return failf("%s: %s; re-screen the patient in full: mesoscreen interview --from %s", opts.Recheck, cs[0].Message, opts.Recheck)
	}
	if len(answers.Unknown) > 0 {
		fmt.Fprintf(s.Err, "warning: %s: ignored answers the rule set does not ask: %s\n", opts.Recheck, strings.Join(answers.Unknown, ", "))
	}
	if prev := rec.RuleSet; prev.SHA256 != rs.SHA256 {
		fmt.Fprintf(s.Err, "note: %s was screened under rule set %s version %s (sha256 %s); this re-screen uses %s version %s (sha256 %s), and its clearances do not carry over\n",
			opts.Recheck, prev.Name, prev.Version, render.ShortSum(prev.SHA256), rs.Name, rs.Version, render.ShortSum(rs.SHA256))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p := prompterFor(opts, accessible)
	changed, err := interview.Recheck(ctx, sc, answers, p)
	if err = closePrompter(p, err); err != nil {
		return walkFailed(err)
	}
	now := opts.Now()
	// Added to the record as it is now: an event a colleague added during
	// the re-screen is kept.
	rec, err = opts.Factory.updateRecord(s.Err, opts.Recheck, signer, func(rec *screening.SavedRecord) error {
		return rec.Rescreen(answers, sc.Evaluate(answers), changed, now, buildinfo.ToolVersion(), signer)
	})
	if err != nil {
		return failf("the re-screen was not saved: %w", err)
	}
	res := sc.Review(&rec, now)
	res.Source = opts.Recheck
	what := "nothing changed"
	if len(changed) > 0 {
		what = "changed: " + strings.Join(changed, ", ")
	}
	s.Info("added the re-screen to %s (%s)\n", opts.Recheck, what)
	return interviewDone(opts, rs, answers, res)
}

// checkHandoutTarget refuses a --handout file before the interview rather
// than after it.
func checkHandoutTarget(opts *InterviewOptions) error {
	if opts.Handout == "" {
		return nil
	}
	if isStdout(opts.Handout) {
		return failf("--handout %s: stdout carries the verdict; give the handout a file name", opts.Handout)
	}
	if _, err := handoutFormat("--handout", opts.Handout); err != nil {
		return err
	}
	if err := atomicfile.CheckTarget(opts.Handout, opts.Force); err != nil {
		return failf("--handout %w", err)
	}
	return nil
}
