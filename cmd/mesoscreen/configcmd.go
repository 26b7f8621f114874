package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
)

// NewCmdConfig builds "mesoscreen config" and its subcommands: what is in
// force, and where each setting came from, as "gh config" shows it.
func NewCmdConfig(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the settings in force and where each came from",
		Long:  helpText("config"),
		Example: `  mesoscreen config list
  mesoscreen config get rules
  $EDITOR "$(mesoscreen config path)"`,
	}
	cmd.AddCommand(newCmdConfigList(f, nil), newCmdConfigGet(f, nil), newCmdConfigPath(f, nil))
	return cmd
}

// ConfigOptions are the inputs of "mesoscreen config list", "get" and
// "path".
type ConfigOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Key     string
	Format  string
}

func newCmdConfigList(f *Factory, runF func(*ConfigOptions) error) *cobra.Command {
	opts := &ConfigOptions{Streams: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every setting, its value and where it came from",
		Example: `  mesoscreen config list
  mesoscreen config list --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runConfigList(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

func newCmdConfigGet(f *Factory, runF func(*ConfigOptions) error) *cobra.Command {
	opts := &ConfigOptions{Streams: f.IO, Factory: f}
	return &cobra.Command{
		Use:   "get KEY",
		Short: "Print the value of one setting in force",
		Example: `  mesoscreen config get rules
  mesoscreen config get clinic.name`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: config.Keys,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key = args[0]
			if !slices.Contains(config.Keys, opts.Key) {
				hint := ""
				if best := rules.Closest(opts.Key, config.Keys); best != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", best)
				}
				return &usageErr{cmd: "mesoscreen config get", err: fmt.Errorf("no setting %q%s; expected one of %s", opts.Key, hint, strings.Join(config.Keys, ", "))}
			}
			if runF != nil {
				return runF(opts)
			}
			return runConfigGet(opts)
		},
	}
}

func newCmdConfigPath(f *Factory, runF func(*ConfigOptions) error) *cobra.Command {
	opts := &ConfigOptions{Streams: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "path",
		Short: "Print the path of the config file to edit, or of every file read",
		Example: `  mesoscreen config path
  mesoscreen config path --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runConfigPath(opts)
		},
	}
	addFormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

// setting is one setting in force, as "config list" shows it.
type setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
	// File is the config file it came from, if one.
	File string `json:"file,omitempty"`
}

// settings are the settings in force: a flag, then the environment, then
// the config files, then the default, as the commands choose them.
func (f *Factory) settings() ([]setting, config.File, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, cfg, err
	}
	fromFile := func(key, value, def string) setting {
		if p := cfg.From[key]; p != "" {
			return setting{Key: key, Value: value, Source: fileRole(cfg, p), File: p}
		}
		return setting{Key: key, Source: def}
	}
	var out []setting
	switch choice := config.ChooseRules(f.rulesFile, f.getenv, cfg); choice.Origin {
	case config.OriginFlag:
		out = append(out, setting{Key: "rules", Value: choice.Path, Source: "flag --rules"})
	case config.OriginEnv:
		out = append(out, setting{Key: "rules", Value: choice.Path, Source: "environment " + config.EnvRules})
	default:
		s := fromFile("rules", choice.Path, "default (the built-in rule set)")
		out = append(out, s)
	}
	if v := f.getenv(envLang); v != "" {
		out = append(out, setting{Key: "lang", Value: v, Source: "environment " + envLang})
	} else if cfg.From["lang"] != "" {
		out = append(out, fromFile("lang", cfg.Lang, ""))
	} else if l, from := config.LocaleLang(f.getenv); l != "" {
		out = append(out, setting{Key: "lang", Value: l, Source: "environment " + from})
	} else {
		out = append(out, setting{Key: "lang", Source: "default (the rule set's own language)"})
	}
	out = append(out,
		fromFile("clinic.name", cfg.Clinic.Name, "not set"),
		fromFile("clinic.phone", cfg.Clinic.Phone, "not set"),
		fromFile("clinic.address", cfg.Clinic.Address, "not set"),
		fromFile("clinic.email", cfg.Clinic.Email, "not set"),
		fromFile("clinic.fax", cfg.Clinic.Fax, "not set"),
		fromFile("keys", cfg.Keys, "trusted-keys.yaml in the config folder"),
		fromFile("journal", cfg.Journal, "mesoscreen-journal.jsonl beside each record"))
	return out, cfg, nil
}

// fileRole names the config file at path as a source.
func fileRole(cfg config.File, path string) string {
	for _, l := range cfg.Files {
		if l.Path == path {
			return l.Role
		}
	}
	return "config file"
}

func runConfigList(opts *ConfigOptions) error {
	list, cfg, err := opts.Factory.settings()
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		return writeJSON(opts.Streams, struct {
			Settings []setting      `json:"settings"`
			Files    []config.Layer `json:"files"`
		}{list, cfg.Files})
	}
	w := tabwriter.NewWriter(opts.Streams.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KEY\tVALUE\tFROM")
	for _, s := range list {
		from := s.Source
		if s.File != "" {
			from += " " + s.File
		}
		v := s.Value
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", s.Key, render.Printable(v), render.Printable(from))
	}
	return w.Flush()
}

func runConfigGet(opts *ConfigOptions) error {
	list, _, err := opts.Factory.settings()
	if err != nil {
		return err
	}
	for _, s := range list {
		if s.Key == opts.Key {
			fmt.Fprintln(opts.Streams.Out, render.Printable(s.Value))
		}
	}
	return nil
}

func runConfigPath(opts *ConfigOptions) error {
	s := opts.Streams
	files := config.Files(opts.Factory.getenv)
	if opts.Format == "json" {
		// Which files were found, when they can be read; a file that
		// cannot is named all the same.
		if cfg, err := opts.Factory.config(); err == nil {
			files = cfg.Files
		}
		return writeJSON(s, struct {
			Files []config.Layer `json:"files"`
		}{files})
	}
	for _, l := range files {
		if l.Role != config.RoleMachine {
			fmt.Fprintln(s.Out, render.Printable(l.Path))
			return nil
		}
	}
	return failf("no config folder: set %s, XDG_CONFIG_HOME or HOME", config.EnvConfigDir)
}
