package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
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

// builtIn is the line a command that screens writes first on stderr when
// the built-in rule set screens (announce), unless -q is given.
func builtIn(t *testing.T) string {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return "using the built-in rule set mesotherapy-default version " + rs.Version + " (sha256 " + rs.SHA256[:12] +
		"); --rules FILE, $MESOSCREEN_RULES or rules: in the config file choose a clinic's own\n"
}
