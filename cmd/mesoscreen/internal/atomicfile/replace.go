package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Target is the file a write to path changes: path itself, or the file a
// symbolic link at path leads to.
func Target(path string) (string, error) {
	t, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	return t, nil
}

// Replace writes data in place of the existing file at path, which keeps
// its identity: through a symbolic link, the file it leads to is written
// and the link stays; the file keeps its mode and its group, so that a
// record shared in a group's folder stays the group's. The write is
// atomic: a temporary file in the target's folder, synced, renamed over
// it. A file this user may not write is refused, not replaced.
//
// The returned file holds data; Commit puts it in place, and Abort (as
// on an interrupt) removes it.
func Replace(path string, data []byte) (*File, error) {
	target, err := Target(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file; expected a saved record", target)
	}
	if err := writable(target, st); err != nil {
		return nil, err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a file in %s: %w", dir, err)
	}
	tmp := &File{File: f, path: target, replace: true}
	if err := f.Chmod(st.Mode().Perm()); err != nil {
		tmp.Abort()
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	keepGroup(f, st)
	if _, err := f.Write(data); err != nil {
		tmp.Abort()
		return nil, fmt.Errorf("writing %s: %w", target, err)
	}
	return tmp, nil
}
