package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// repoFile returns the path of a file under the repository's testdata.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, got string, parts ...string) {
	t.Helper()
	path := repoFile(parts...)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/mesoscreen -update to create it")
	assert.Equal(t, string(want), got)
}

// run executes the command line through Main, as the binary would.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	s, out, errb := TestStreams(stdin)
	code = Main(args, s)
	return code, out.String(), errb.String()
}
