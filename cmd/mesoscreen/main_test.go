package main

import (
	"path/filepath"
	"testing"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// repoFile returns the path of a file under the repository's testdata.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

// golden compares got with the golden file under testdata, or rewrites it
// with -update.
func golden(t *testing.T, got string, parts ...string) {
	t.Helper()
	assertGolden(t, repoFile(parts...), got)
}

// run executes the command line through Main, as the binary would.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	s, out, errb := iostreams.Test(stdin)
	code = Main(args, s)
	return code, out.String(), errb.String()
}
