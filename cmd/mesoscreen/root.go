package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Exit codes (SPEC §6).
const (
	exitOK        = 0
	exitFindings  = 1 // a record needs review, is deferred or is not eligible
	exitError     = 2 // the command could not do its job
	exitCancelled = 130
)

// exitErr carries an exit code up to Main. A nil err with a code means the
// command has already said what there was to say.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitErr) Unwrap() error { return e.err }

// failf is an error that stops the command with exit code 2.
func failf(format string, args ...any) error {
	return &exitErr{code: exitError, err: fmt.Errorf(format, args...)}
}

// readFailed is the error of a YAML file that rules.ReadFile refused:
// too large (a Problem that says so, at the file), or not readable.
func readFailed(file string, err error) error {
	var ps rules.Problems
	if errors.As(err, &ps) {
		return failf("%w", ps)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return failf("%s: cannot read: %w", file, err)
}

// Factory gives every command what they share, each made when first
// needed and once (factory.go): the streams, the config file, the rule
// set, the lexicon, and the announcement of which rule set screens.
type Factory struct {
	IO *iostreams.Streams

	// The global flags.
	rulesFile string
	medsFile  string

	// origin says what chose the rule set, and announced whether announce
	// has spoken.
	origin    string
	announced bool

	cfgOnce sync.Once
	cfg     config.File
	cfgErr  error

	rsOnce sync.Once
	rs     *rules.RuleSet
	rsErr  error

	lxOnce sync.Once
	lx     *meds.Lexicon
	lxErr  error

	krOnce sync.Once
	kr     *screening.Keyring
	krErr  error
}

// NewRootCmd builds a fresh command tree over the given streams.
func NewRootCmd(s *iostreams.Streams) *cobra.Command {
	f := &Factory{IO: s}
	root := &cobra.Command{
		Use:   "mesoscreen",
		Short: "Screen patients for contraindications before mesotherapy",
		Long:  helpText("mesoscreen"),
		Example: `  mesoscreen interview --patient-id MS-1001 --save MS-1001.json
  mesoscreen check intakes.csv
  mesoscreen --version`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, "print the version, as \"mesoscreen version\" does")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if !showVersion {
			return cmd.Help()
		}
		b, err := buildinfo.Full()
		if err != nil {
			return failf("%w", err)
		}
		fmt.Fprint(s.Out, buildinfo.Text(b))
		return nil
	}
	root.SetFlagErrorFunc(flagError)
	root.SetUsageFunc(usageFunc(helpWidth(s)))
	root.SetHelpFunc(helpFunc(helpWidth(s)))
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.PersistentFlags().StringVar(&f.rulesFile, "rules", "", "use the rule set in `FILE` instead of $MESOSCREEN_RULES, the config file or the built-in default")
	root.PersistentFlags().StringVar(&f.medsFile, "meds", "", "read medication lists with the lexicon in `FILE` instead of the built-in one")
	root.PersistentFlags().BoolVarP(&s.Quiet, "quiet", "q", false, "write nothing to stderr but errors and warnings")
	completeFlags(root, yamlCompletion, "rules", "meds")
	addPersistentEnumFlag(root, &s.ColorMode, "color", "auto", "colour `WHEN`: auto (a terminal, unless NO_COLOR or CLICOLOR=0), always or never", "auto", "always", "never")
	root.AddCommand(
		NewCmdCheck(f, nil),
		NewCmdInterview(f, nil),
		NewCmdRules(f),
		NewCmdTemplate(f, nil),
		NewCmdVersion(f, nil),
		NewCmdMeds(f),
		NewCmdClear(f, nil),
		NewCmdRecord(f),
		NewCmdKey(f),
		NewCmdHandout(f, nil),
		NewCmdDocs(f),
		NewCmdConfig(f),
	)
	root.SetHelpCommand(newCmdHelp())
	root.AddCommand(
		newHelpTopic("environment", "The environment variables mesoscreen reads"),
		newHelpTopic("exit-codes", "What each exit code of mesoscreen means"),
	)
	addCompletionExamples(root)
	groupCommands(root)
	completeArgsNowhere(root)
	return root
}

// Main runs the command line args and returns the exit code.
func Main(args []string, s *iostreams.Streams) int {
	root := NewRootCmd(s)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	var ue *usageErr
	if errors.As(err, &ue) {
		fmt.Fprintf(s.Err, "mesoscreen: %s\nRun '%s --help' for usage.\n", render.PrintableLines(ue.err.Error()), ue.cmd)
		return exitError
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		if ee.err != nil {
			// An error can quote a file, a field or an answer: it goes
			// through the one sanitiser as every other text does.
			fmt.Fprintf(s.Err, "mesoscreen: %s\n", render.PrintableLines(ee.err.Error()))
		}
		return ee.code
	}
	// Cobra's own errors: wrong arguments. They point at the help of the
	// command that was run, with its usage line.
	if cmd == nil {
		cmd = root
	}
	fmt.Fprintf(s.Err, "mesoscreen: %s: %s\nUsage: %s\nRun '%s --help' for more.\n", cmd.CommandPath(), render.PrintableLines(err.Error()), cmd.UseLine(), cmd.CommandPath())
	return exitError
}

// addCompletionExamples gives cobra's completion commands an example each,
// as every command has.
func addCompletionExamples(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	examples := map[string]string{
		"bash":       "  source <(mesoscreen completion bash)",
		"zsh":        "  mesoscreen completion zsh > \"${fpath[1]}/_mesoscreen\"",
		"fish":       "  mesoscreen completion fish > ~/.config/fish/completions/mesoscreen.fish",
		"powershell": "  mesoscreen completion powershell | Out-String | Invoke-Expression",
	}
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = examples["bash"] + "\n" + examples["zsh"]
		for _, sh := range c.Commands() {
			sh.Example = examples[sh.Name()]
			// cobra's line for macOS is 81 columns alone: it is broken
			// as a shell breaks a line, so that help fits 80.
			sh.Long = strings.ReplaceAll(sh.Long, " > $(brew --prefix)/", " \\\n\t    > $(brew --prefix)/")
		}
	}
}
