//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record is updated in place: through a symbolic link the file it leads
// to is written and the link stays; the file keeps its mode and group; a
// record the clinician may not write is refused, not replaced.
func TestRecordUpdatedInPlace(t *testing.T) {
	dir := t.TempDir()
	rec := savedIntake(t, dir, map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban",
		"allergies": "yes", "allergy_details": "a rash"})
	require.NoError(t, os.Chmod(rec, 0o640))
	gid := os.Getgid()
	if groups, err := os.Getgroups(); err == nil && len(groups) > 1 {
		gid = groups[len(groups)-1]
	}
	_ = os.Chown(rec, -1, gid)
	before, err := os.Stat(rec)
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "chart-copy.json")
	require.NoError(t, os.Symlink(rec, link))

	r := runMain(t, "", nil, "clear", link, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr A. Ruiz")
	require.Equal(t, exitFindings, r.code, r.err)
	lst, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, lst.Mode()&os.ModeSymlink, "the link is still a link")
	after, err := os.Stat(rec)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), after.Mode().Perm(), "the mode is kept")
	assert.Equal(t, before.Sys().(*syscall.Stat_t).Gid, after.Sys().(*syscall.Stat_t).Gid, "the group is kept")
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"finding": "blood-thinners"`, "the clearance is in the file the link leads to")

	if os.Geteuid() == 0 {
		t.Skip("root writes a read-only file")
	}
	require.NoError(t, os.Chmod(rec, 0o440))
	r = runMain(t, "", nil, "clear", rec, "--finding", "allergies", "--reason", "allergy-assessed", "--by", "Dr A. Ruiz")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "read-only")
	now, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Equal(t, data, now, "a read-only record is not replaced")
	assert.False(t, strings.Contains(r.err, "cleared"))
}
