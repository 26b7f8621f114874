//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
)

// terminal is a pseudo-terminal that never answers a query: whatever the
// program writes to it is kept, and drawn on a screen the size of the
// terminal, and only the keys a test sends come back.
type terminal struct {
	master, tty *os.File

	mu     sync.Mutex
	out    bytes.Buffer
	screen *vtScreen
	eof    chan struct{}
}

func newTerminal(t *testing.T, cols, rows int) *terminal {
	t.Helper()
	master, tty, err := pty.Open()
	require.NoError(t, err)
	require.NoError(t, pty.Setsize(master, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}))
	term := &terminal{master: master, tty: tty, screen: newVTScreen(cols, rows), eof: make(chan struct{})}
	go func() {
		defer close(term.eof)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			_, _ = term.screen.Write(buf[:n]) // the screen is a buffer: it takes every byte
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = tty.Close() // the terminal is done with: nothing to tell
		_ = master.Close()
		<-term.eof
	})
	return term
}

// written is what the program has written to the terminal so far.
func (term *terminal) written() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// shows is the text on the terminal's screen now, line by line.
func (term *terminal) shows() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.text()
}

// final is the screen once the program has ended and everything it
// wrote has been read: the terminal's own end is closed, so that the
// reader comes to the end of the output rather than to a pause in it.
func (term *terminal) final(t *testing.T) string {
	t.Helper()
	_ = term.tty.Close() // the program has ended; closed again at cleanup
	select {
	case <-term.eof:
	case <-time.After(screenDeadline):
		t.Fatalf("the terminal's output never came to an end; it shows:\n%s", term.shows())
	}
	return term.shows()
}

// screenDeadline is how long a test waits for the screen to show what it
// expects before it fails. It is only ever a failure: every wait ends as
// soon as the screen shows its condition.
const screenDeadline = 30 * time.Second

// waitScreen waits until the screen satisfies cond, described by what,
// and returns the screen. A screen that never does fails the test after
// screenDeadline, rather than hanging it.
func (term *terminal) waitScreen(t *testing.T, what string, cond func(screen string) bool) string {
	t.Helper()
	deadline := time.Now().Add(screenDeadline)
	for {
		screen := term.shows()
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %s; it shows:\n%s", what, screen)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// process is mesoscreen run in a process of its own on a terminal, as a
// clinician runs it (TestMain makes the test binary mesoscreen).
type process struct {
	term *terminal
	cmd  *exec.Cmd
	out  bytes.Buffer // stdout, when it is not the terminal
	done chan struct{}
	code int
}

// startOnTerminal runs mesoscreen with args on a terminal of 80 by 24.
// stdin and stderr are the terminal; so is stdout when stdoutTTY, else a
// pipe.
func startOnTerminal(t *testing.T, stdoutTTY bool, env []string, args ...string) *process {
	t.Helper()
	return startOnTerminalSized(t, 80, 24, stdoutTTY, env, args...)
}

// startOnTerminalSized is startOnTerminal on a terminal of cols by rows.
func startOnTerminalSized(t *testing.T, cols, rows int, stdoutTTY bool, env []string, args ...string) *process {
	t.Helper()
	term := newTerminal(t, cols, rows)
	cmd := exec.Command(os.Args[0], args...)
	getenv := testEnv(args, nil)
	cmd.Env = append([]string{"MESOSCREEN_TEST_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		config.EnvSigningKey + "=" + getenv(config.EnvSigningKey), config.EnvKeys + "=" + getenv(config.EnvKeys)}, env...)
	cmd.Stdin, cmd.Stderr = term.tty, term.tty
	p := &process{term: term, cmd: cmd, done: make(chan struct{})}
	if stdoutTTY {
		cmd.Stdout = term.tty
	} else {
		cmd.Stdout = &p.out
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	require.NoError(t, cmd.Start())
	go func() {
		defer close(p.done)
		err := cmd.Wait()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			p.code = exit.ExitCode()
		}
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill() // it may have ended meanwhile
			<-p.done
		}
	})
	return p
}

// wait waits for the process to end and returns its exit code; one that
// does not end fails the test after a generous time.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(30 * time.Second):
		t.Fatalf("mesoscreen did not end; the terminal shows:\n%s", p.term.written())
	}
	return -1
}

// Keys as the terminal sends them.
const (
	keyEnter    = "\r"
	keyEsc      = "\x1b"
	keyDown     = "\x1b[B"
	keyShiftTab = "\x1b[Z"
	keyCtrlC    = "\x03"
	keyCtrlK    = "\x0b"
)

// focusBar marks the question in focus on every page of the form: once
// it shows, the form reads keys.
const focusBar = "┃"

// typeKeys sends the keys one at a time, as a clinician types them, and
// returns how many were sent. It waits for the form to be drawn, then
// after each key for the screen to change and show a question in focus
// again: the key has been read and, when it ended a page, the next page
// is drawn. So an Esc is never read as the start of the key after it, and
// a key never lands on a page on its way out (between pages the screen
// shows no question in focus). After the last key, which may end the
// program, it does not wait.
func (p *process) typeKeys(t *testing.T, keys []string) int {
	t.Helper()
	screen := p.term.waitScreen(t, "the form", func(s string) bool { return strings.Contains(s, focusBar) })
	for i, k := range keys {
		p.press(t, k)
		if i == len(keys)-1 {
			break
		}
		before := screen
		screen = p.term.waitScreen(t, fmt.Sprintf("a question in focus after key %d (%q)", i+1, k), func(s string) bool {
			return s != before && strings.Contains(s, focusBar)
		})
	}
	return len(keys)
}

// press sends keys without waiting for the screen: keys that change
// nothing on it, such as Enter on a page that already says what is
// missing.
func (p *process) press(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, err := p.term.master.Write([]byte(k))
		require.NoError(t, err)
	}
}

// chars splits a word into one key per character.
func chars(s string) []string { return strings.Split(s, "") }

func keys(parts ...any) []string {
	var ks []string
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			ks = append(ks, v)
		case []string:
			ks = append(ks, v...)
		}
	}
	return ks
}
