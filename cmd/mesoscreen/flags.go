package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mesoscreen/mesoscreen/rules"
)

// enumValue is a flag that takes one of a fixed list of words. A word not
// in the list is refused as the command line is parsed, before anything
// runs.
type enumValue struct {
	p     *string
	words []string
}

// errNotOneOf is the cause of a flag error for a word an enum flag does
// not take.
type errNotOneOf struct {
	value string
	words []string
}

func (e *errNotOneOf) Error() string {
	return fmt.Sprintf("%q is not one of %s", e.value, strings.Join(e.words, ", "))
}

func (e *enumValue) Set(v string) error {
	if !slices.Contains(e.words, v) {
		return &errNotOneOf{value: v, words: e.words}
	}
	*e.p = v
	return nil
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }

// addEnumFlag adds a flag that takes one of words (def, which may be ""
// for "chosen later", need not be one), and completes them.
func addEnumFlag(cmd *cobra.Command, p *string, name, short, def, usage string, words ...string) {
	*p = def
	cmd.Flags().VarP(&enumValue{p: p, words: words}, name, short, usage)
	completeFlag(cmd, name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
}

// addPersistentEnumFlag is addEnumFlag for a flag of cmd and every
// command under it.
func addPersistentEnumFlag(cmd *cobra.Command, p *string, name, def, usage string, words ...string) {
	*p = def
	cmd.PersistentFlags().Var(&enumValue{p: p, words: words}, name, usage)
	completeFlag(cmd, name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
}

// checkedValue is a string flag checked when it is given, so that a
// malformed date or interval is a usage error (exit 2, pointing at the
// command's help), as a malformed number is, and never found halfway
// through a run.
type checkedValue struct {
	p     *string
	typ   string
	check func(string) error
}

func (v *checkedValue) String() string { return *v.p }
func (v *checkedValue) Type() string   { return v.typ }
func (v *checkedValue) Set(s string) error {
	if err := v.check(s); err != nil {
		return err
	}
	*v.p = s
	return nil
}

// addCheckedFlag adds a string flag whose values check accepts; it
// completes nothing, as a date or an interval is typed.
func addCheckedFlag(cmd *cobra.Command, p *string, name, typ, usage string, check func(string) error) {
	cmd.Flags().Var(&checkedValue{p: p, typ: typ, check: check}, name, usage)
	completeFlag(cmd, name, noCompletion)
}

// What a date, a time and an interval flag expect, said once for the
// check as the flag is parsed and for the parse that uses it.
var (
	errAt    = errors.New("expected a date as 2026-03-10, or a time as 2026-03-10T09:30:00+01:00")
	errDate  = errors.New("expected a date as 2026-03-10")
	errEvery = errors.New("expected days or weeks, as 7d or 2w")
)

// checkAt accepts what --at takes: a date or an RFC 3339 time.
func checkAt(s string) error {
	_, err := parseAt(s)
	return err
}

// checkDate accepts a date as 2026-03-10.
func checkDate(s string) error {
	if _, err := time.ParseInLocation(time.DateOnly, s, time.Local); err != nil {
		return errDate
	}
	return nil
}

// checkEvery accepts what --every takes: days (7d) or weeks (2w).
func checkEvery(s string) error {
	_, err := parseEvery(s)
	return err
}

// addFormatFlag adds --format (-f) with the formats a command writes.
func addFormatFlag(cmd *cobra.Command, p *string, def string, formats ...string) {
	addEnumFlag(cmd, p, "format", "f", def, "output `format`: "+orList(formats), formats...)
}

// usageErr is an error in how the command was called: it exits 2 and
// points at the command's help.
type usageErr struct {
	cmd string // "mesoscreen check"
	err error
}

func (e *usageErr) Error() string { return e.err.Error() }
func (e *usageErr) Unwrap() error { return e.err }

// flagError says what is wrong with a flag in our words: the flag, the
// value, and what was expected.
func flagError(cmd *cobra.Command, err error) error {
	// "rules lnt --strict": the misspelt command is the mistake to name,
	// not a flag that the group does not have.
	if cmd.HasSubCommands() && len(cmd.Flags().Args()) > 0 {
		return unknownCommand(cmd, "command", cmd.Flags().Args()[0])
	}
	var ne *pflag.NotExistError
	if errors.As(err, &ne) && ne.GetSpecifiedShortnames() == "" {
		// A misspelt flag is named with the nearest the command has, as a
		// misspelt command is.
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		cmd.InheritedFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if best := rules.Closest(ne.GetSpecifiedName(), names); best != "" {
			err = fmt.Errorf("%w (did you mean --%s?)", err, best)
		}
	}
	var iv *pflag.InvalidValueError
	if errors.As(err, &iv) {
		name := "--" + iv.GetFlag().Name
		var one *errNotOneOf
		switch {
		case errors.As(err, &one):
			err = fmt.Errorf("%s %v", name, one)
		case errors.Is(err, strconv.ErrRange):
			err = fmt.Errorf("%s %q: the number is too large; expected a whole number", name, iv.GetValue())
		case iv.GetFlag().Value.Type() == "int":
			err = fmt.Errorf("%s %q: expected a whole number", name, iv.GetValue())
		case iv.GetFlag().Value.Type() == "bool":
			err = fmt.Errorf("%s=%q: expected true or false, or the flag alone", name, iv.GetValue())
		default:
			err = fmt.Errorf("%s %q: %w", name, iv.GetValue(), errors.Unwrap(err))
		}
	}
	return &usageErr{cmd: cmd.CommandPath(), err: err}
}

// orList says "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// words are the names of a list of string kinds, for an enum flag.
func words[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, w := range list {
		out[i] = string(w)
	}
	return out
}
