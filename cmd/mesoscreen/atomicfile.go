package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// atomicFile is an output file written as a stream and put in place only
// when complete: it is written to a temporary file in the same folder,
// readable by its owner only (results hold patient data), and renamed over
// the target by commit. abort removes it, so a failed run leaves neither a
// partial file nor a stray temporary one.
type atomicFile struct {
	*os.File
	path string
	done bool
}

func createAtomic(path string) (*atomicFile, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit syncs the file and renames it over the target.
func (a *atomicFile) commit() error {
	if a.done {
		return nil
	}
	a.done = true
	tmp := a.Name()
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", a.path, err)
	}
	return nil
}

// abort removes the temporary file; after commit it does nothing.
func (a *atomicFile) abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
}
