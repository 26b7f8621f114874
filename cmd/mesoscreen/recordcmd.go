package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
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
	cmd.AddCommand(newCmdRecordVerify(f, nil), newCmdRecordShow(f, nil), newCmdRecordAdopt(f, nil))
	return cmd
}

// RecordVerifyOptions are the inputs of "mesoscreen record verify".
type RecordVerifyOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Records []string
	Format  string
}

// RecordAdoptOptions are the inputs of "mesoscreen record adopt".
type RecordAdoptOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Record  string
	By      string
}

func newCmdRecordAdopt(f *Factory, runF func(*RecordAdoptOptions) error) *cobra.Command {
	opts := &RecordAdoptOptions{Streams: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:               "adopt RECORD",
		Short:             "Sign a record saved before records were signed, having checked it",
		Long:              helpText("record-adopt"),
		Example:           `  mesoscreen record adopt MS-1001.json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: jsonCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Record = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRecordAdopt(opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", "", "the `NAME` your signing key is trusted as, the first time you sign (default: the login name)")
	completeFlag(cmd, "by", noCompletion)
	return cmd
}

// runRecordAdopt screens a record's latest answers again under the rule
// set in force and adds that screening, signed, to its history: from it
// on the record is believed. A record whose hash chain does not hold was
// changed, and is not adopted: the patient is screened anew.
func runRecordAdopt(opts *RecordAdoptOptions) error {
	s := opts.Streams
	signer, err := opts.Factory.signer(opts.By)
	if err != nil {
		return err
	}
	rs, sc, err := opts.Factory.screener(nil, screening.Options{})
	if err != nil {
		return err
	}
	opts.Factory.announce(rs)
	var before int
	rec, err := opts.Factory.writeRecordEvent(s.Err, opts.Record, adopting, signer, func(rec *screening.SavedRecord) error {
		if err := rec.VerifyHistory(); err != nil {
			return failf("%s: the record's history was changed, so it is not adopted: %w; screen the patient anew", opts.Record, err)
		}
		before = len(rec.Events)
		a := screening.Parse(rs, rec.LatestAnswers())
		return rec.Adopt(a, sc.Evaluate(a), s.Time(), buildinfo.ToolVersion(), signer)
	})
	if err != nil {
		return err
	}
	fmt.Fprint(s.Err, render.PrintableLines(fmt.Sprintf("adopted %s, signed by %s: its latest answers were screened again under %s version %s; the %s before it are kept but not believed, and a clearance among them no longer holds\n",
		opts.Record, signer.Name, rs.Name, rs.Version, render.EventsText(max(before, 1)))))
	res := sc.Review(&rec, s.Time())
	res.Source = opts.Record
	if err := render.New("text", s.Out, render.Options{RuleSet: rs}).Write(res); err != nil {
		return failf("writing the result: %w", err)
	}
	if !res.Verdict.AllowsTreatment() {
		return &exitErr{code: exitFindings}
	}
	return nil
}

func newCmdRecordVerify(f *Factory, runF func(*RecordVerifyOptions) error) *cobra.Command {
	s := f.IO
	opts := &RecordVerifyOptions{Streams: s, Factory: f}
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
	Status  string   `json:"status"`
	Events  int      `json:"events,omitempty"`
	Signers []string `json:"signers,omitempty"`
	SHA256  string   `json:"sha256,omitempty"`
	Problem string   `json:"problem,omitempty"`
}

func runRecordVerify(opts *RecordVerifyOptions) error {
	s := opts.Streams
	keys, err := opts.Factory.keyring()
	if err != nil {
		return err
	}
	js := &journals{f: opts.Factory, keys: keys}
	var results []verified
	code := exitOK
	for _, path := range opts.Records {
		v := verifyRecord(path, keys, js)
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
			fmt.Fprintf(s.Out, "%s: OK, %s signed by %s, keys the clinic trusts; the chain holds (sha256 %s)\n", render.Printable(path),
				render.EventsText(v.Events), render.Printable(strings.Join(v.Signers, ", ")), v.SHA256)
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
func verifyRecord(path string, keys *screening.Keyring, js *journals) verified {
	v := verified{File: path}
	data, err := readRecordFile(path)
	if err != nil {
		v.Status, v.Problem = "not_a_record", err.Error()
		return v
	}
	rec, err := parseRecord(path, data)
	if err == nil {
		err = rec.VerifyFile(keys)
	}
	if err == nil {
		err = js.check(path, &rec)
	}
	switch {
	case err != nil && !looksLikeRecord(data):
		v.Status, v.Problem = "not_a_record", fmt.Sprintf("%s is not a saved record (no \"kind\": %q); expected a file written by \"mesoscreen interview --save\"", path, screening.RecordKind)
	case err != nil:
		v.Status, v.Problem = "broken", err.Error()
	default:
		states, _ := rec.States()
		v.Status, v.Events, v.Signers, v.SHA256 = "ok", len(rec.Events), rec.Signers(), states[len(states)-1]
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
	addCheckedFlag(cmd, &opts.At, "at", "DATE", "show the verdict as on `DATE` (default today)", checkAt)
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
	keys, err := opts.Factory.keyring()
	if err != nil {
		return err
	}
	var extra []screening.Finding
	jerr := (&journals{f: opts.Factory, keys: keys}).check(opts.Record, &rec)
	if jerr != nil {
		extra = append(extra, sc.JournalFinding(jerr))
	}
	res := sc.EvaluateSaved(screening.Parse(rs, rec.LatestAnswers()), &rec, at, extra...)
	res.Source = opts.Record
	verr := rec.VerifyFile(keys)
	if verr == nil {
		verr = jerr
	}
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
		fmt.Fprintf(&b, "\nHistory: the chain holds, every event signed by a key the clinic trusts; sha256 of the file %s\n", states[len(states)-1])
	case errors.Is(verr, screening.ErrUnsigned):
		fmt.Fprintf(&b, "\nHistory: NOT SIGNED; %v\n", verr)
	default:
		fmt.Fprintf(&b, "\nHistory: BROKEN: %v\n", verr)
	}
	fmt.Fprintf(&b, "\nVerdict on %s, under rule set %s version %s:\n", plainDate(at), rs.Name, rs.Version)
	// The history is the record's own text, unstyled: all of it is made
	// printable, as the text writer below makes the verdict.
	if _, err := io.WriteString(s.Out, render.PrintableLines(b.String())); err != nil {
		return err
	}
	return render.New("text", s.Out, render.Options{RuleSet: rs}).Write(res)
}
