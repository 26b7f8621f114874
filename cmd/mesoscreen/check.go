package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// CheckOptions are the inputs of "mesoscreen check".
type CheckOptions struct {
	Streams *Streams
	Global  *globalOptions
	Files   []string
	Format  string
	Details bool
}

var checkFormats = []string{"text", "json", "jsonl"}

// NewCmdCheck builds "mesoscreen check". runF replaces the run function in
// tests of flag parsing.
func NewCmdCheck(s *Streams, g *globalOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{Streams: s, Global: g}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Screen intake files, one result per patient",
		Long: `Screen intake files against the rule set, one result per record, in input order.

A file holds one JSON object, an array of objects, or JSON Lines (one object
per line). A record saved by "mesoscreen interview --save" is screened again
from its answers. With no FILE, or with -, the intakes are read from stdin.

A record that cannot be read still gets a result: needs_review, naming where
it is and what is wrong. The exit code is 0 when every record may be treated,
1 when any needs review, is deferred or is not eligible, and 2 when the check
could not be done.`,
		Example: `  mesoscreen check testdata/examples/intakes.jsonl
  mesoscreen check --format json patient.json
  export-tool | mesoscreen check --format jsonl -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if len(opts.Files) == 0 {
				opts.Files = []string{"-"}
			}
			if !slices.Contains(checkFormats, opts.Format) {
				return failf("--format %q is not one of %s", opts.Format, strings.Join(checkFormats, ", "))
			}
			if runF != nil {
				return runF(opts)
			}
			return runCheck(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "text", "output `format`: text, json or jsonl")
	cmd.Flags().BoolVarP(&opts.Details, "details", "d", false, "in text output, add the instructions and course of treatment")
	return cmd
}

func runCheck(opts *CheckOptions) error {
	s := opts.Streams
	rs, err := opts.Global.ruleSet()
	if err != nil {
		return err
	}
	opts.Global.announce(s, rs)
	lx, err := opts.Global.lexicon()
	if err != nil {
		return err
	}
	// Every input must be there before the first record is screened, so
	// that a typo in the last file name does not leave half a run.
	for _, f := range opts.Files {
		if err := checkReadable(f); err != nil {
			return err
		}
	}
	out := newResultWriter(opts.Format, s.Out, rs, opts.Details)
	counts := map[rules.Level]int{}
	unknown := map[string]bool{}
	total := 0
	for _, f := range opts.Files {
		n, err := checkFile(f, s.In, rs, screening.Options{Meds: lx}, out, counts, unknown)
		total += n
		if err != nil {
			out.close()
			return err
		}
		if n == 0 {
			fmt.Fprintf(s.Err, "note: %s holds no records\n", displayName(f))
		}
	}
	if err := out.close(); err != nil {
		return failf("writing results: %v", err)
	}
	if len(unknown) > 0 {
		names := make([]string, 0, len(unknown))
		for k := range unknown {
			names = append(names, k)
		}
		slices.Sort(names)
		fmt.Fprintf(s.Err, "warning: ignored fields the rule set does not ask: %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintln(s.Err, summary(total, counts))
	for _, l := range []rules.Level{rules.NeedsReview, rules.Defer, rules.NotEligible} {
		if counts[l] > 0 {
			return &exitErr{code: exitFindings}
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

// checkFile screens every record of one file and returns how many there
// were.
func checkFile(f string, stdin io.Reader, rs *rules.RuleSet, sopts screening.Options, out resultWriter, counts map[rules.Level]int, unknown map[string]bool) (int, error) {
	name, r := "stdin", stdin
	if f != "-" {
		fh, err := os.Open(f)
		if err != nil {
			return 0, failf("%s: cannot open: %v", f, err)
		}
		defer fh.Close()
		name, r = f, fh
	}
	n := 0
	for rec, err := range intake.JSON(name, r) {
		if err != nil {
			return n, failf("%s: cannot read: %v", name, err)
		}
		var res screening.Result
		if rec.Err != nil {
			res = screening.Unreadable(rs, rec.Source, rec.Err)
		} else {
			ans := screening.Parse(rs, rec.Fields)
			for _, k := range ans.Unknown {
				unknown[k] = true
			}
			res = screening.Evaluate(ans, sopts)
			res.Source = rec.Source
		}
		n++
		counts[res.Verdict]++
		if err := out.write(res); err != nil {
			return n, failf("writing results: %v", err)
		}
	}
	return n, nil
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
