package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/screening"
)

// NewCmdRecord builds "mesoscreen record" and its subcommands.
func NewCmdRecord(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Check and show the history of saved records",
		Long:  helpText("record"),
		Example: `  mesoscreen record verify MS-1001.json
  mesoscreen record show MS-1001.json`,
	}
	cmd.AddCommand(newCmdRecordVerify(f, nil), newCmdRecordShow(f, nil))
	return cmd
}

// RecordVerifyOptions are the inputs of "mesoscreen record verify".
type RecordVerifyOptions struct {
	Streams *iostreams.Streams
	Records []string
	Format  string
}

func newCmdRecordVerify(f *Factory, runF func(*RecordVerifyOptions) error) *cobra.Command {
	s := f.IO
	opts := &RecordVerifyOptions{Streams: s}
	cmd := &cobra.Command{
		Use:   "verify RECORD...",
		Short: "Check that saved records are as mesoscreen wrote them",
		Long:  helpText("record-verify"),
		Example: `  mesoscreen record verify MS-1001.json
  mesoscreen record verify --format json records/*.json`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: jsonCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Records = args
			if runF != nil {
				return runF(opts)
			}
			return runRecordVerify(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

// verified is what "record verify" found in one file.
type verified struct {
	File string `json:"file"`
	// Status is ok, broken (a record, changed since it was written) or
	// not_a_record (a file no mesoscreen wrote as a record).
	Status  string `json:"status"`
	Events  int    `json:"events,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
	Problem string `json:"problem,omitempty"`
}

func runRecordVerify(opts *RecordVerifyOptions) error {
	s := opts.Streams
	var results []verified
	code := exitOK
	for _, path := range opts.Records {
		v := verifyRecord(path)
		results = append(results, v)
		switch v.Status {
		case "not_a_record":
			code = exitError
		case "broken":
			code = max(code, exitFindings)
		}
		if opts.Format == "json" {
			continue
		}
		switch v.Status {
		case "ok":
			fmt.Fprintf(s.Out, "%s: OK, %s, the chain holds (sha256 %s)\n", render.Printable(path), render.EventsText(v.Events), v.SHA256)
		case "broken":
			fmt.Fprintf(s.Out, "%s: BROKEN: %s\n", render.Printable(path), render.Printable(v.Problem))
		default:
			fmt.Fprintf(s.Err, "mesoscreen: %s\n", render.Printable(v.Problem))
		}
	}
	if opts.Format == "json" {
		if err := writeJSON(s, struct {
			Records []verified `json:"records"`
		}{results}); err != nil {
			return err
		}
	}
	if code != exitOK {
		return &exitErr{code: code}
	}
	return nil
}

// verifyRecord checks one file. A file that cannot be read, or that is
// not a record at all (an intake, a rule set), is not_a_record: the
// command was given the wrong file (exit 2, as "record show" says). A
// record that no longer parses or verifies is broken: an edit did that.
func verifyRecord(path string) verified {
	v := verified{File: path}
	data, err := readRecordFile(path)
	if err != nil {
		v.Status, v.Problem = "not_a_record", err.Error()
		return v
	}
	rec, err := parseRecord(path, data)
	if err == nil {
		err = rec.VerifyFile()
	}
	switch {
	case err != nil && !looksLikeRecord(data):
		v.Status, v.Problem = "not_a_record", fmt.Sprintf("%s is not a saved record (no \"kind\": %q); expected a file written by \"mesoscreen interview --save\"", path, screening.RecordKind)
	case err != nil:
		v.Status, v.Problem = "broken", err.Error()
	default:
		states, _ := rec.States()
		v.Status, v.Events, v.SHA256 = "ok", len(rec.Events), states[len(states)-1]
	}
	return v
}

// looksLikeRecord reports whether data says it is a saved record, even
// one an edit has made unreadable.
func looksLikeRecord(data []byte) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(data, &head) == nil {
		return head.Kind == screening.RecordKind
	}
	return bytes.Contains(data, []byte(`"`+screening.RecordKind+`"`))
}

// RecordShowOptions are the inputs of "mesoscreen record show".
type RecordShowOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Record  string
	Format  string
	At      string
}

func newCmdRecordShow(f *Factory, runF func(*RecordShowOptions) error) *cobra.Command {
	s := f.IO
	opts := &RecordShowOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "show RECORD",
		Short: "Print a saved record's history, and its verdict today",
		Long:  helpText("record-show"),
		Example: `  mesoscreen record show MS-1001.json
  mesoscreen record show --format json MS-1001.json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: jsonCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Record = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRecordShow(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	cmd.Flags().StringVar(&opts.At, "at", "", "show the verdict as on `DATE` (default today)")
	completeFlag(cmd, "at", noCompletion)
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
	at, err := atFlag(opts.At, s.Time())
	if err != nil {
		return err
	}
	rec, _, err := readRecord(opts.Record)
	if err != nil {
		return err
	}
	rs, sc, err := opts.Factory.screener(nil, screening.Options{})
	if err != nil {
		return err
	}
	opts.Factory.announce(rs)
	res := sc.Review(&rec, at)
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
			return failf("writing the history: %w", err)
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
