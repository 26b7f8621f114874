//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// --output replaces only a regular file or makes a new one: a device node
// (made as root can), a FIFO, a directory, and the file stdin reads are
// refused before anything is screened, and left as they were.
func TestCheckOutputRefusals(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(in, []byte(mustRead(t, repoFile("hostile", "mac-cr.csv"))), 0o600))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	device := filepath.Join(dir, "null")
	hasDevice := syscall.Mknod(device, syscall.S_IFCHR|0o600, 1<<8|3) == nil // /dev/null's numbers

	tests := []struct {
		name, output, want string
		stdin              bool
	}{
		{"FIFO", fifo, "is not a regular file (a FIFO)", false},
		{"directory", dir, "is a directory", false},
		{"stdin's file", in, "is the file stdin reads; refusing to overwrite it", true},
	}
	if hasDevice {
		tests = append(tests, struct {
			name, output, want string
			stdin              bool
		}{"device", device, "is not a regular file (a character device)", false})
	} else {
		t.Log("mknod refused (not root): the device case is not run")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"check", "-o", tt.output, in}
			s, out, errb := iostreamsFor(t, in, tt.stdin)
			if tt.stdin {
				args = []string{"check", "-o", tt.output, "-"}
			}
			code := Main(args, s)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out.String())
			assert.Contains(t, errb.String(), tt.want)
			st, err := os.Lstat(tt.output)
			require.NoError(t, err)
			assert.False(t, st.Mode().IsRegular() && tt.output != in, "left as it was")
		})
	}
	assert.Equal(t, mustRead(t, repoFile("hostile", "mac-cr.csv")), mustRead(t, in), "the input is untouched")
}

// iostreamsFor returns test streams whose stdin is the file in when
// fromFile is set, as "< in" gives it.
func iostreamsFor(t *testing.T, in string, fromFile bool) (*iostreams.Streams, *bytes.Buffer, *bytes.Buffer) {
	s, out, errb := iostreams.Test("")
	if fromFile {
		f, err := os.Open(in)
		require.NoError(t, err)
		t.Cleanup(func() { _ = f.Close() }) // read only
		s.In = f
	}
	return s, out, errb
}
