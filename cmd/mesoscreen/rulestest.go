package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/ruletest"
)

// RulesTestOptions are the inputs of "mesoscreen rules test".
type RulesTestOptions struct {
	Streams   *iostreams.Streams
	Factory   *Factory
	Files     []string
	Run       string
	Coverage  bool
	FailUnder float64
	Format    string
}

func newCmdRulesTest(f *Factory, runF func(*RulesTestOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesTestOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "test [TESTFILE...]",
		Short: "Run a rule set's test cases and report which rules they cover",
		Long:  helpText("rules-test"),
		Example: `  mesoscreen rules test
  mesoscreen rules test --coverage
  mesoscreen --rules clinic/rules.yaml rules test --fail-under 100 \
    clinic/rules_test.yaml
  mesoscreen rules test --run 'pregnan'`,
		ValidArgsFunction: yamlCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if opts.FailUnder < 0 || opts.FailUnder > 100 {
				return failf("--fail-under %g is not a percentage from 0 to 100", opts.FailUnder)
			}
			if runF != nil {
				return runF(opts)
			}
			return runRulesTest(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Run, "run", "", "run only the cases whose name matches `REGEX`")
	cmd.Flags().BoolVar(&opts.Coverage, "coverage", false, "report, for each rule, how many cases fired it, and for each instruction with a condition, how many gave and withheld it")
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	cmd.Flags().Float64Var(&opts.FailUnder, "fail-under", 0, "fail when fewer than `PERCENT` of the rules are fired (implies --coverage)")
	completeFlags(cmd, noCompletion, "run", "fail-under")
	return cmd
}

func runRulesTest(opts *RulesTestOptions) error {
	s := opts.Streams
	var filter *regexp.Regexp
	if opts.Run != "" {
		var err error
		if filter, err = regexp.Compile(opts.Run); err != nil {
			return failf("--run %q is not a regular expression: %w", opts.Run, err)
		}
	}
	rs, err := opts.Factory.ruleSet()
	if err != nil {
		return err
	}
	files, err := testFiles(opts.Files, rs)
	if err != nil {
		return err
	}
	var suites []*ruletest.Suite
	var problems rules.Problems
	for _, f := range files {
		suite, err := ruletest.Parse(f.name, f.data, rs)
		var ps rules.Problems
		if errors.As(err, &ps) {
			problems = append(problems, ps...)
			continue
		} else if err != nil {
			return failf("%s: %w", f.name, err)
		}
		suites = append(suites, suite)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(s.Err, p)
		}
		return &exitErr{code: exitError, err: fmt.Errorf("the test files are invalid (%d problems)", len(problems))}
	}
	rep := ruletest.Run(rs, suites, filter)
	if len(rep.Outcomes) == 0 {
		return failf("no test case matches --run %q", opts.Run)
	}
	coverage := opts.Coverage || opts.FailUnder > 0
	if opts.Format == "json" {
		if err := writeJSON(s, render.TestReportJSON(rs, rep)); err != nil {
			return err
		}
	} else if err := render.TestReport(s.Out, rs, rep); err != nil {
		return failf("writing the report: %w", err)
	}
	if coverage && opts.Format != "json" {
		if err := render.Coverage(s.Out, rep); err != nil {
			return failf("writing the report: %w", err)
		}
	}
	failed := rep.Failed() > 0
	if opts.FailUnder > 0 && rep.Coverage() < opts.FailUnder {
		fmt.Fprintf(s.Err, "coverage %.1f%% is below --fail-under %g%%\n", rep.Coverage(), opts.FailUnder)
		failed = true
	}
	if failed {
		return &exitErr{code: exitFindings}
	}
	return nil
}

type testFile struct {
	name string
	data []byte
}

// testFiles reads the named test files, or finds the rule set's own.
func testFiles(names []string, rs *rules.RuleSet) ([]testFile, error) {
	if len(names) == 0 {
		if rs.File == rules.DefaultFile {
			return []testFile{{rules.DefaultTestsFile, rules.DefaultTestsSource()}}, nil
		}
		ext := filepath.Ext(rs.File)
		beside := strings.TrimSuffix(rs.File, ext) + "_test" + ext
		if _, err := os.Stat(beside); err != nil {
			return nil, failf("no test file given, and %s has none beside it (%s); name the test files to run", rs.File, beside)
		}
		names = []string{beside}
	}
	var out []testFile
	for _, n := range names {
		data, err := rules.ReadFile(n, rules.RuleTestFile)
		if err != nil {
			return nil, readFailed(n, err)
		}
		out = append(out, testFile{n, data})
	}
	return out, nil
}
