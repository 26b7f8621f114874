package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// ClearOptions are the inputs of "mesoscreen clear".
type ClearOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Record  string
	Finding string
	Reason  string
	By      string
	Note    string
	// PauseDays and RestartAfter are the pause of a medicine the
	// prescriber approved: days before each session, hours after it.
	PauseDays    int
	RestartAfter int
}

// pause is the approved pause the flags give, nil for none.
func (o *ClearOptions) pause() *screening.Pause {
	if o.PauseDays == 0 {
		return nil
	}
	return &screening.Pause{DaysBefore: o.PauseDays, RestartAfterHours: o.RestartAfter}
}

// NewCmdClear builds "mesoscreen clear". runF replaces the run function in
// tests of flag parsing.
func NewCmdClear(f *Factory, runF func(*ClearOptions) error) *cobra.Command {
	s := f.IO
	opts := &ClearOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "clear RECORD --finding RULE --reason REASON --by NAME",
		Short: "Record that a clinician or prescriber cleared one finding of a saved record",
		Long:  helpText("clear"),
		Example: `  mesoscreen clear MS-1001.json --finding blood-thinners \
    --reason prescriber-approved-pause --pause-days 2 --restart-after 24 \
    --note "letter of 4 March on file"
  mesoscreen rules show     # the rule set's clearance reasons`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Record = args[0]
			for _, f := range []struct{ name, v, what string }{
				{"finding", opts.Finding, "the rule id of the finding to clear"},
				{"reason", opts.Reason, "a clearance reason of the rule set"},
			} {
				if f.v == "" {
					return failf("--%s is required: %s", f.name, f.what)
				}
			}
			switch {
			case opts.PauseDays < 0 || opts.PauseDays > 60:
				return flagError(cmd, fmt.Errorf("--pause-days %d: expected the days before each session, from 1 to 60", opts.PauseDays))
			case opts.RestartAfter < 0 || opts.RestartAfter > 168:
				return flagError(cmd, fmt.Errorf("--restart-after %d: expected the hours after a session, from 0 to 168", opts.RestartAfter))
			case opts.RestartAfter > 0 && opts.PauseDays == 0:
				return flagError(cmd, fmt.Errorf("--restart-after needs --pause-days: the pause it ends"))
			}
			if runF != nil {
				return runF(opts)
			}
			return runClear(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Finding, "finding", "", "the `RULE` id of the finding to clear, as check shows it")
	fl.StringVar(&opts.Reason, "reason", "", "the `REASON` id, one of the rule set's clearance_reasons")
	fl.StringVar(&opts.By, "by", "", "the `NAME` your signing key is trusted as, the first time you sign (default: the login name); the clearance is signed by your key, and carries the name it is trusted under")
	fl.StringVar(&opts.Note, "note", "", "a note for the record, such as where the prescriber's reply is filed")
	fl.IntVar(&opts.PauseDays, "pause-days", 0, "the prescriber approved pausing the medicine `N` days before each session (printed on the patient's handout)")
	fl.IntVar(&opts.RestartAfter, "restart-after", 0, "and restarting it `H` hours after each session")
	completeFlag(cmd, "finding", clearableCompletion(f))
	completeFlag(cmd, "reason", reasonCompletion(f))
	completeFlags(cmd, noCompletion, "by", "note", "pause-days", "restart-after")
	cmd.ValidArgsFunction = jsonCompletion
	return cmd
}

func runClear(opts *ClearOptions) error {
	s := opts.Streams
	// The signer first: a key trusted just now is in the screener's
	// keyring.
	signer, err := opts.Factory.signer(opts.By)
	if err != nil {
		return err
	}
	rs, sc, err := opts.Factory.screener(nil, screening.Options{})
	if err != nil {
		return err
	}
	opts.Factory.announce(rs)
	now := s.Time()
	var f screening.Finding
	var reason *rules.ClearanceReason
	// The finding is looked for in the record as it is under the lock:
	// a clearance made meanwhile by a colleague is seen.
	rec, err := opts.Factory.updateRecord(s.Err, opts.Record, signer, func(rec *screening.SavedRecord) error {
		var err error
		f, reason, err = screening.CheckClearance(rs, sc.Review(rec, now), opts.Finding, opts.Reason)
		var ce *screening.ClearError
		if errors.As(err, &ce) {
			return failf("%s: nothing cleared: %w", opts.Record, err)
		}
		if err != nil {
			return failf("%s: %w", opts.Record, err)
		}
		if err := rec.Clear(f, reason, screening.Ref(rs), opts.Note, opts.pause(), now, buildinfo.ToolVersion(), signer); err != nil {
			return failf("%s: %w", opts.Record, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	res := sc.Review(&rec, now)
	res.Source = opts.Record
	s.Info("%s", render.PrintableLines(fmt.Sprintf("cleared %s in %s, signed by %s (%s); the record now holds %d events\n", f.Rule, opts.Record, signer.Name, reason.ID, len(rec.Events))))
	if err := render.New("text", s.Out, render.Options{RuleSet: rs}).Write(res); err != nil {
		return failf("writing the result: %w", err)
	}
	if !res.Verdict.AllowsTreatment() {
		return &exitErr{code: exitFindings}
	}
	return nil
}
