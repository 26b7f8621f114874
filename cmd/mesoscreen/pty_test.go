//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"
)

// terminal is a pseudo-terminal that never answers a query: whatever the
// program writes to it is kept, and only the keys a test sends come back.
type terminal struct {
	master, tty *os.File

	mu  sync.Mutex
	out bytes.Buffer
	eof chan struct{}
}

func newTerminal(t *testing.T, cols, rows int) *terminal {
	t.Helper()
	master, tty, err := pty.Open()
	require.NoError(t, err)
	require.NoError(t, pty.Setsize(master, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}))
	term := &terminal{master: master, tty: tty, eof: make(chan struct{})}
	go func() {
		defer close(term.eof)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
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

// process is mesoscreen run in a process of its own on a terminal, as a
// clinician runs it (TestMain makes the test binary mesoscreen).
type process struct {
	term *terminal
	cmd  *exec.Cmd
	out  bytes.Buffer // stdout, when it is not the terminal
	done chan struct{}
	code int
}

// startOnTerminal runs mesoscreen with args. stdin and stderr are the
// terminal; so is stdout when stdoutTTY, else a pipe.
func startOnTerminal(t *testing.T, stdoutTTY bool, env []string, args ...string) *process {
	t.Helper()
	term := newTerminal(t, 80, 24)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"MESOSCREEN_TEST_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
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

// settle waits until the program has drawn what the key before it
// changed, or a second has gone by (a key that changes nothing), and then
// for the screen to stay quiet a moment. A key typed before its page is
// drawn would be kept for it; the pace is there so that an Esc is not
// read as the start of the key after it.
func (p *process) settle(before int) {
	for range 100 {
		if len(p.term.written()) != before {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	last, quiet := -1, 0
	for range 400 {
		n := len(p.term.written())
		if n == last {
			quiet++
			if quiet >= 3 {
				return
			}
		} else {
			last, quiet = n, 0
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Keys as the terminal sends them.
const (
	keyEnter    = "\r"
	keyEsc      = "\x1b"
	keyDown     = "\x1b[B"
	keyShiftTab = "\x1b[Z"
	keyCtrlC    = "\x03"
)

// typeKeys sends the keys one at a time, each once the screen has
// settled, and returns how many were sent.
func (p *process) typeKeys(t *testing.T, keys []string) int {
	t.Helper()
	p.settle(0)
	for _, k := range keys {
		before := len(p.term.written())
		_, err := p.term.master.Write([]byte(k))
		require.NoError(t, err)
		p.settle(before)
	}
	return len(keys)
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
