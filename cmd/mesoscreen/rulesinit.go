package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

// RulesInitOptions are the inputs of "mesoscreen rules init".
type RulesInitOptions struct {
	Streams *iostreams.Streams
	Dir     string
}

func newCmdRulesInit(f *Factory, runF func(*RulesInitOptions) error) *cobra.Command {
	s := f.IO
	opts := &RulesInitOptions{Streams: s}
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Start a clinic's own rule set from a copy of the default, with its tests",
		Long:  helpText("rules-init"),
		Example: `  mesoscreen rules init clinic/
  mesoscreen --rules clinic/rules.yaml rules test`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: dirCompletion,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRulesInit(opts)
		},
	}
}

func runRulesInit(opts *RulesInitOptions) error {
	files := []struct {
		name string
		data []byte
	}{
		{filepath.Join(opts.Dir, "rules.yaml"), rules.DefaultSource()},
		{filepath.Join(opts.Dir, "rules_test.yaml"), rules.DefaultTestsSource()},
	}
	for _, t := range rules.DefaultTranslations() {
		name := filepath.Base(strings.TrimSuffix(t.Name, " (embedded)"))
		files = append(files, struct {
			name string
			data []byte
		}{filepath.Join(opts.Dir, rules.TranslationDir, name), t.Data})
	}
	for _, f := range files {
		if _, err := os.Lstat(f.name); err == nil {
			return failf("%s already exists; rules init does not overwrite it (nothing was written)", f.name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return failf("%s: %v", f.name, errors.Unwrap(err))
		}
	}
	if err := os.MkdirAll(filepath.Join(opts.Dir, rules.TranslationDir), 0o755); err != nil {
		return failf("cannot create %s: %v", opts.Dir, errors.Unwrap(err))
	}
	for _, f := range files {
		// O_EXCL: a file that appeared since the check above is still
		// not overwritten.
		fh, err := os.OpenFile(f.name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return failf("cannot create %s: %v", f.name, errors.Unwrap(err))
		}
		_, werr := fh.Write(f.data)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			_ = os.Remove(f.name) // the write error is the one to report
			return failf("writing %s: %w", f.name, werr)
		}
		// What was done is a report for the person, on stderr; stdout
		// stays empty for a script.
		opts.Streams.Info("wrote %s\n", f.name)
	}
	opts.Streams.Info("next: edit %s, then run mesoscreen --rules %s rules test\n",
		files[0].name, files[0].name)
	return nil
}
