//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

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
			_ = stdin.Close()
			t.Log("the input's writer ended:", <-written) // it fails once the process is gone
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
