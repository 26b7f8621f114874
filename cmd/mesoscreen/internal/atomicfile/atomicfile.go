// Package atomicfile writes output files that appear whole or not at all,
// readable by their owner only, since they hold patient data.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// File is an output file being written. The data goes to a temporary file
// in the target's folder, created with mode 0600, which Commit puts in
// place and Abort removes, so that a failed or interrupted run leaves
// neither a partial file nor a stray temporary one.
// Abort may be called from another goroutine, such as a signal handler's,
// while the file is written or committed.
type File struct {
	*os.File
	path    string
	replace bool
	mu      sync.Mutex
	done    bool
}

// Create starts writing path. Unless replace is set, an existing file is
// refused, now and again at Commit.
func Create(path string, replace bool) (*File, error) {
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return nil, fmt.Errorf("%s already exists; use --force to replace it", path)
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a file in %s: %w", dir, err)
	}
	// CreateTemp makes the file 0600 already; the mode is set again in
	// case a platform's default differs.
	if err := f.Chmod(0o600); err != nil {
		// The Chmod error is the one to report; the file is dropped.
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return &File{File: f, path: path, replace: replace}, nil
}

// Commit syncs the data and puts the file in place. Without replace it
// links rather than renames, and a link fails if the target exists, so a
// file that appeared since Create is still not replaced.
func (f *File) Commit() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return nil
	}
	f.done = true
	tmp := f.Name()
	// After a link, the spare name; after a rename, gone, and the error
	// that says so is expected.
	defer func() { _ = os.Remove(tmp) }()
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	if f.replace {
		err = os.Rename(tmp, f.path)
	} else if err = os.Link(tmp, f.path); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; use --force to replace it", f.path)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing.
func (f *File) Abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return
	}
	f.done = true
	// Abort leaves nothing behind and has no one to tell of a failure.
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// WriteFile writes data to path as Create, Write and Commit do.
func WriteFile(path string, data []byte, replace bool) error {
	f, err := Create(path, replace)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}
