//go:build !unix && !windows

package filelock

import "os"

// lockFile takes no lock where the system has none to give: one writer
// at a time is then the clinic's to keep.
func lockFile(*os.File) error { return nil }
