package main

import (
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

// A check interrupted with Ctrl-C while it writes --output leaves nothing
// behind: no results file and no temporary file, and the process ends as
// the signal ends it.
func TestInterruptedCheckLeavesNoFile(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "results.csv")
			cmd := exec.Command(os.Args[0], "check", "--format", "csv", "--output", out, "-")
			cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			// Records go in, and the input stays open: the check is still
			// running, with its temporary file in the folder.
			for i := range 50 {
				_, err := fmt.Fprintf(stdin, `{"patient_id":"P-%d","age":40}`+"\n", i)
				require.NoError(t, err)
			}
			require.Eventually(t, func() bool {
				entries, _ := os.ReadDir(dir)
				return len(entries) == 1
			}, 10*time.Second, 10*time.Millisecond, "the temporary file appears")
			require.NoError(t, cmd.Process.Signal(sig))
			err = cmd.Wait()
			stdin.Close()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "the process ends with an error: %v", err)
			status, ok := exit.Sys().(syscall.WaitStatus)
			require.True(t, ok)
			assert.True(t, status.Signaled(), "ended by the signal, not by an exit code")
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
