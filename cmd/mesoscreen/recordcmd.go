package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/screening"
)

// NewCmdRecord builds "mesoscreen record" and its subcommands.
func NewCmdRecord(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Check and show the history of saved records",
		Long: `A saved record ("interview --save") is an append-only history of events:
screened, cleared, re-screened. Each event carries the sha256 of the record
before it, and the record a seal over the last one, so that an edit shows.`,
		Example: `  mesoscreen record verify MS-1001.json
  mesoscreen record show MS-1001.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdRecordVerify(s), newCmdRecordShow(s, g))
	return cmd
}

func newCmdRecordVerify(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "verify RECORD...",
		Short: "Check that saved records are as mesoscreen wrote them",
		Long: `Check each record's history: every event names the sha256 of the record
before it, the seal matches the last event, and the file is byte for byte
as mesoscreen wrote it. Any byte changed breaks it.

Exit code 0 when every record holds, 1 when one does not (or was saved
without a history, by an earlier version), 2 when a file cannot be read.`,
		Example: `  mesoscreen record verify MS-1001.json
  mesoscreen record verify records/*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			broken := false
			for _, path := range args {
				data, err := readRecordFile(path)
				if err != nil {
					return err
				}
				rec, err := parseRecord(path, data)
				if err != nil {
					// Readable, but no longer a record: an edit did that.
					fmt.Fprintf(s.Out, "%s: BROKEN: %s\n", render.Printable(path), render.Printable(err.Error()))
					broken = true
					continue
				}
				if err := rec.VerifyFile(); err != nil {
					fmt.Fprintf(s.Out, "%s: BROKEN: %s\n", render.Printable(path), render.Printable(err.Error()))
					broken = true
					continue
				}
				states, _ := rec.States()
				fmt.Fprintf(s.Out, "%s: OK, %s, the chain holds (sha256 %s)\n", render.Printable(path), render.EventsText(len(rec.Events)), states[len(states)-1])
			}
			if broken {
				return &exitErr{code: exitFindings}
			}
			return nil
		},
	}
}

// RecordShowOptions are the inputs of "mesoscreen record show".
type RecordShowOptions struct {
	Streams *iostreams.Streams
	Global  *globalOptions
	Record  string
	Format  string
	At      string
}

func newCmdRecordShow(s *iostreams.Streams, g *globalOptions) *cobra.Command {
	opts := &RecordShowOptions{Streams: s, Global: g}
	cmd := &cobra.Command{
		Use:   "show RECORD",
		Short: "Print a saved record's history, and its verdict today",
		Long: `Print every event of a saved record (screened, cleared, re-screened) with
when, who and what, whether the history verifies, and the record's verdict
today under the rule set in use: its latest answers screened again, with
the clearances that still apply.

Exit code 0 when the record could be shown, 2 when it cannot be read.`,
		Example: `  mesoscreen record show MS-1001.json
  mesoscreen record show --format json MS-1001.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Record = args[0]
			if !slices.Contains([]string{"text", "json"}, opts.Format) {
				return failf("--format %q is not one of text, json", opts.Format)
			}
			return runRecordShow(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "text", "output `format`: text or json")
	cmd.Flags().StringVar(&opts.At, "at", "", "show the verdict as on `DATE` (default today)")
	return cmd
}

// recordShowJSON is "record show --format json".
type recordShowJSON struct {
	File     string            `json:"file"`
	Verified bool              `json:"verified"`
	Problem  string            `json:"problem,omitempty"`
	Events   []screening.Event `json:"events"`
	States   []string          `json:"states_sha256,omitempty"`
	Now      screening.Result  `json:"now"`
}

func runRecordShow(opts *RecordShowOptions) error {
	s := opts.Streams
	rs, err := opts.Global.ruleSet()
	if err != nil {
		return err
	}
	lx, err := opts.Global.lexicon()
	if err != nil {
		return err
	}
	at, err := atFlag(opts.At, s.Time())
	if err != nil {
		return err
	}
	rec, _, err := readRecord(opts.Record)
	if err != nil {
		return err
	}
	opts.Global.announce(s, rs)
	res := screening.NewScreener(rs, screening.Options{Meds: lx}).Review(&rec, at)
	res.Source = opts.Record
	verr := rec.VerifyFile()
	states, _ := rec.States()
	if opts.Format == "json" {
		out := recordShowJSON{File: opts.Record, Verified: verr == nil, Events: rec.Events, States: states, Now: res}
		if verr != nil {
			out.Problem = verr.Error()
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return failf("writing the history: %v", err)
		}
		_, err = fmt.Fprintf(s.Out, "%s\n", b)
		return err
	}
	var b strings.Builder
	render.History(&b, opts.Record, rec)
	switch {
	case verr == nil:
		fmt.Fprintf(&b, "\nHistory: the chain holds; sha256 of the file %s\n", states[len(states)-1])
	case errors.Is(verr, screening.ErrNoHistory):
		fmt.Fprintf(&b, "\nHistory: none; %v\n", verr)
	default:
		fmt.Fprintf(&b, "\nHistory: BROKEN: %v\n", verr)
	}
	fmt.Fprintf(&b, "\nVerdict on %s, under rule set %s version %s:\n", plainDate(at), rs.Name, rs.Version)
	// The history is the record's own text, unstyled: all of it is made
	// printable, as the text writer below makes the verdict.
	if _, err := io.WriteString(s.Out, render.PrintableLines(b.String())); err != nil {
		return err
	}
	return render.New("text", s.Out, render.Options{}).Write(res)
}
