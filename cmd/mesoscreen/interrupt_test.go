package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/signing"
)

// TestMain lets a test run the command in a process of its own, as the
// binary would run: with MESOSCREEN_TEST_MAIN set, the test binary is
// mesoscreen.
func TestMain(m *testing.M) {
	if os.Getenv("MESOSCREEN_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], iostreams.System()))
	}
	var err error
	if keysBase, err = os.MkdirTemp("", "mesoscreen-test-keys-"); err != nil {
		panic(err)
	}
	// A run in a process of its own, as the binary, signs as the test
	// clinician too, never in the config folder of whoever runs the tests.
	for k, v := range map[string]string{
		config.EnvSigningKey: filepath.Join(clinicianDir(testClinician), signing.KeyFile),
		config.EnvKeys:       filepath.Join(keysBase, "trusted-keys.yaml"),
	} {
		if err := os.Setenv(k, v); err != nil {
			panic(err)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(keysBase)
	os.Exit(code)
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
