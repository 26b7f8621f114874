package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/gen-intakes/intakegen"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// TestMain lets a test run the command in a process of its own, as the
// binary would run: with MESOSCREEN_TEST_MAIN set, the test binary is
// mesoscreen.
func TestMain(m *testing.M) {
	if os.Getenv("MESOSCREEN_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], iostreams.System()))
	}
	os.Exit(m.Run())
}

// A check interrupted with Ctrl-C, or told to terminate, while it writes
// --output from a large generated file leaves nothing behind: no results
// file and no temporary file, and it exits 130 or 143, as a shell reports
// a run stopped by the signal. The input stays open after the file, so
// that the check is still running when the signal comes.
func TestInterruptedCheckLeavesNoFile(t *testing.T) {
	for _, tt := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "results.csv")
			cmd := exec.Command(os.Args[0], "check", "--format", "csv", "--output", out, "-")
			cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			written := make(chan error, 1)
			go func() {
				written <- intakegen.WriteCSV(stdin, intakegen.New(1).Patients(100_000), intakegen.CSVStyle{})
			}()
			// The temporary file fills with results while the input is
			// read.
			require.Eventually(t, func() bool {
				entries, _ := os.ReadDir(dir)
				if len(entries) != 1 {
					return false
				}
				info, err := entries[0].Info()
				return err == nil && info.Size() > 256<<10
			}, 60*time.Second, 10*time.Millisecond, "the temporary file fills")
			require.NoError(t, cmd.Process.Signal(tt.sig))
			err = cmd.Wait()
			stdin.Close()
			<-written
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "the process ends with an error: %v", err)
			assert.Equal(t, tt.code, exit.ExitCode(), "exit code; stderr: %s", stderr.String())
			assert.Contains(t, stderr.String(), "nothing was written")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing is left in the folder")
		})
	}
}

// Without a signal, the same run writes its results whole.
func TestUninterruptedCheckWritesOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results.csv")
	cmd := exec.Command(os.Args[0], "check", "--format", "csv", "--quiet", "--output", out, "-")
	cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	for i := range 50 {
		fmt.Fprintf(stdin, `{"patient_id":"P-%d","age":40}`+"\n", i)
	}
	require.NoError(t, stdin.Close())
	err = cmd.Wait()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "needs_review records: exit 1")
	assert.Equal(t, 1, exit.ExitCode())
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	data, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Contains(t, string(data), "P-49,stdin:50,needs_review")
	st, err := f.Stat()
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}
