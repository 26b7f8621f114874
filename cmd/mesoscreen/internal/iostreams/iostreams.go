// Package iostreams holds the standard streams of a command, and whether
// each is a terminal, as a value that tests build from buffers.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Streams are the command's standard streams, and whether each is a
// terminal. Tests build them from buffers.
type Streams struct {
	In                    io.Reader
	Out, Err              io.Writer
	InTTY, OutTTY, ErrTTY bool
	// OutWidth is the width of the terminal on stdout in columns; 0 when
	// unknown or not a terminal.
	OutWidth int
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
	// Now reads the clock; nil means time.Now. Tests fix it.
	Now func() time.Time
	// ColorMode is --color: "always", "never", or "" and "auto" for the
	// terminal and the environment to say.
	ColorMode string
	// Quiet is --quiet: stderr carries errors and warnings only.
	Quiet bool
}

// Info tells the person what was done ("wrote …", "saved …") on stderr,
// unless --quiet asks for errors and warnings only.
func (s *Streams) Info(format string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.Err, format, args...)
	}
}

// Time returns the time now, by the streams' clock.
func (s *Streams) Time() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// System returns the process's standard streams.
func System() *Streams {
	return &Streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		OutWidth: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		}(),
		Getenv: os.Getenv,
	}
}

// ColorEnabled reports whether stdout may be coloured. --color always or
// never decides; else NO_COLOR (https://no-color.org) turns colour off,
// CLICOLOR_FORCE (not 0) keeps it on a pipe, CLICOLOR=0 turns it off
// (https://bixense.com/clicolors/), and otherwise a terminal is coloured
// unless it is dumb or accessible mode is on.
func (s *Streams) ColorEnabled() bool {
	switch s.ColorMode {
	case "always":
		return true
	case "never":
		return false
	}
	if s.Getenv("NO_COLOR") != "" {
		return false
	}
	if v := s.Getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	return s.OutTTY && s.Getenv("CLICOLOR") != "0" && !s.Accessible()
}

// ColorRefused reports whether the person has said no to colour: --color
// never, or, unless --color always, NO_COLOR or CLICOLOR=0. A form drawn
// on the terminal keeps to it as the output does.
func (s *Streams) ColorRefused() bool {
	switch s.ColorMode {
	case "always":
		return false
	case "never":
		return true
	}
	return s.Getenv("NO_COLOR") != "" || s.Getenv("CLICOLOR") == "0"
}

// Accessible reports whether the environment asks for plain output, for
// screen readers and terminals that draw nothing else: ACCESSIBLE set
// (not 0 or false), or TERM=dumb. Commands with --accessible add theirs.
func (s *Streams) Accessible() bool {
	a := strings.TrimSpace(s.Getenv("ACCESSIBLE"))
	return a != "" && a != "0" && !strings.EqualFold(a, "false") || s.Getenv("TERM") == "dumb"
}

// Test returns streams over buffers, none of them a terminal, with
// an empty environment.
func Test(in string) (*Streams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Streams{In: bytes.NewBufferString(in), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}, &out, &errb
}

// EOFOnce returns a reader of r that, once r has reported the end of the
// input, reports it on every read after. A terminal reports Ctrl-D once,
// and a reader that reads again would wait for more typing.
func EOFOnce(r io.Reader) io.Reader { return &eofOnce{r: r} }

type eofOnce struct {
	r   io.Reader
	eof bool
}

func (e *eofOnce) Read(p []byte) (int, error) {
	if e.eof {
		return 0, io.EOF
	}
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	}
	return n, err
}
