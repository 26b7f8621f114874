package atomicfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
)

// names lists the files in dir: nothing a failed write leaves behind may
// be among them.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	require.NoError(t, atomicfile.WriteFile(path, []byte("one"), false))
	assert.ErrorContains(t, atomicfile.WriteFile(path, []byte("two"), false), "already exists")
	require.NoError(t, atomicfile.WriteFile(path, []byte("three"), true))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "three", string(data))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	assert.Error(t, atomicfile.WriteFile(filepath.Join(dir, "missing", "x.json"), []byte("x"), false))
	// Replacing a directory fails after the temporary file is written; it
	// must not be left behind.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "f"), nil, 0o600))
	assert.Error(t, atomicfile.WriteFile(filepath.Join(dir, "sub"), []byte("x"), true))
	assert.ElementsMatch(t, []string{"out.json", "sub"}, names(t, dir))
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name    string
		replace bool
		exists  bool // the target is there before Create
		appears bool // the target appears between Create and Commit
		abort   bool
		want    string // the target's content after, "" for none
		wantErr string
	}{
		{name: "new file", want: "data"},
		{name: "replaced", replace: true, exists: true, want: "data"},
		{name: "kept", exists: true, want: "old", wantErr: "already exists"},
		{name: "appeared since", appears: true, want: "other", wantErr: "already exists"},
		{name: "aborted", abort: true},
		{name: "aborted, old kept", replace: true, exists: true, abort: true, want: "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "results.csv")
			if tt.exists {
				require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
			}
			f, err := atomicfile.Create(path, tt.replace)
			if err == nil {
				_, werr := f.Write([]byte("data"))
				require.NoError(t, werr)
				st, serr := f.Stat()
				require.NoError(t, serr)
				assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "patient data is the owner's only, while written too")
				if tt.appears {
					require.NoError(t, os.WriteFile(path, []byte("other"), 0o644))
				}
				if tt.abort {
					f.Abort()
				} else {
					err = f.Commit()
				}
				f.Abort() // after Commit, nothing
			}
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
			} else {
				assert.NoError(t, err)
			}
			data, rerr := os.ReadFile(path)
			if tt.want == "" {
				assert.True(t, os.IsNotExist(rerr), "no file: %v", rerr)
				assert.Empty(t, names(t, dir), "no temporary file is left")
				return
			}
			require.NoError(t, rerr)
			assert.Equal(t, tt.want, string(data))
			assert.Equal(t, []string{"results.csv"}, names(t, dir), "no temporary file is left")
		})
	}
}
