//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An input that can be read only once (stdin, /dev/stdin on a pipe, a
// shell's process substitution, a FIFO) gives every record, as the same
// file named on the command line does: each input is opened and read
// once, header included.
func TestCheckReadsPipesWhole(t *testing.T) {
	for _, in := range []struct{ file, format string }{
		{repoFile("examples", "intakes.csv"), "csv"},
		{repoFile("examples", "intakes.jsonl"), "jsonl"},
		{repoFile("examples", "healthy.json"), "json"},
		{repoFile("batch", "patients.ndjson"), "fhir"},
	} {
		file, format := in.file, "--input="+in.format
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		want := verdictsOf(t, checkProcess(t, nil, nil, "check", "--format", "jsonl", file))
		require.NotEmpty(t, want, "%s gives results named by the file", file)

		for _, tt := range []struct {
			name string
			run  func(t *testing.T) []byte
		}{
			{"stdin", func(t *testing.T) []byte {
				return checkProcess(t, bytes.NewReader(data), nil, "check", format, "--format", "jsonl")
			}},
			{"dash", func(t *testing.T) []byte {
				return checkProcess(t, bytes.NewReader(data), nil, "check", format, "--format", "jsonl", "-")
			}},
			{"/dev/stdin on a pipe", func(t *testing.T) []byte {
				return checkProcess(t, bytes.NewReader(data), nil, "check", format, "--format", "jsonl", "/dev/stdin")
			}},
			{"process substitution", func(t *testing.T) []byte {
				r, w, err := os.Pipe()
				require.NoError(t, err)
				go func() {
					_, _ = w.Write(data)
					_ = w.Close()
				}()
				defer r.Close()
				// The child's fd 3, as bash's <(cat file) gives /dev/fd/63.
				return checkProcess(t, nil, []*os.File{r}, "check", format, "--format", "jsonl", "/dev/fd/3")
			}},
			{"FIFO", func(t *testing.T) []byte {
				fifo := filepath.Join(t.TempDir(), "intakes")
				require.NoError(t, syscall.Mkfifo(fifo, 0o600))
				go func() {
					w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
					if err != nil {
						return
					}
					_, _ = w.Write(data)
					_ = w.Close()
				}()
				return checkProcess(t, nil, nil, "check", format, "--format", "jsonl", fifo)
			}},
		} {
			t.Run(filepath.Base(file)+"/"+tt.name, func(t *testing.T) {
				assert.Equal(t, want, verdictsOf(t, tt.run(t)))
			})
		}
	}
}

// checkProcess runs mesoscreen in a process of its own and returns its
// stdout; exit codes 0 and 1 are both a finished check.
func checkProcess(t *testing.T, stdin *bytes.Reader, extra []*os.File, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
	if stdin != nil {
		cmd.Stdin = stdin // a pipe in the child, not a file
	}
	cmd.ExtraFiles = extra
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != exitFindings) {
		t.Fatalf("mesoscreen %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	assert.Contains(t, errb.String(), "screened ")
	assert.NotContains(t, errb.String(), "holds no records")
	return out.Bytes()
}

// verdictsOf is each result's patient id and verdict, in order.
func verdictsOf(t *testing.T, jsonl []byte) []string {
	t.Helper()
	var got []string
	for _, line := range bytes.Split(bytes.TrimSpace(jsonl), []byte("\n")) {
		var r struct {
			PatientID string `json:"patient_id"`
			Verdict   string `json:"verdict"`
		}
		require.NoError(t, json.Unmarshal(line, &r), "%s", line)
		got = append(got, r.PatientID+" "+r.Verdict)
	}
	return got
}

// A stream named twice would be torn apart between two readers: it is
// refused before anything is read. A regular file named twice is read
// twice, and its patients flagged as seen before.
func TestCheckRefusesAStreamTwice(t *testing.T) {
	data, err := os.ReadFile(repoFile("examples", "intakes.csv"))
	require.NoError(t, err)
	for _, args := range [][]string{
		{"check", "-", "-"},
		{"check", "/dev/stdin", "-"},
		{"check", "-", "/dev/stdin"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
			cmd.Stdin = bytes.NewReader(data) // a pipe in the child
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, exitError, ee.ExitCode())
			assert.Empty(t, out.String(), "nothing screened")
			assert.Contains(t, errb.String(), "are the same stream, which can be read only once; name it once")
		})
	}
	// The same regular file twice: every record of both, the second
	// time as duplicates.
	file := repoFile("examples", "intakes.csv")
	out := checkProcess(t, nil, nil, "check", "--format", "jsonl", file, file)
	got := verdictsOf(t, out)
	assert.Len(t, got, 2*len(verdictsOf(t, checkProcess(t, nil, nil, "check", "--format", "jsonl", file))))
}

// Regular files are opened one at a time: a check of more saved records
// than the process may hold open at once screens them all.
func TestCheckManyFilesFewDescriptors(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for i := range 300 {
		name := filepath.Join(dir, fmt.Sprintf("p%03d.json", i))
		require.NoError(t, os.WriteFile(name, fmt.Appendf(nil, `{"patient_id": "P%03d", "age": 30}`, i), 0o600))
		names = append(names, name)
	}
	// ulimit -n 64: far fewer descriptors than files.
	cmd := exec.Command("/bin/sh", append([]string{"-c", `ulimit -n 64 && exec "$0" "$@"`, os.Args[0], "check", "--format", "jsonl"}, names...)...)
	cmd.Env = append(os.Environ(), "MESOSCREEN_TEST_MAIN=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, errb.String())
	require.Equal(t, exitFindings, ee.ExitCode(), errb.String())
	assert.Len(t, verdictsOf(t, out.Bytes()), 300)
	assert.Contains(t, errb.String(), "screened 300 records")
}
