//go:build !unix

package atomicfile

import (
	"fmt"
	"os"
)

// writable refuses a file marked read-only.
func writable(path string, st os.FileInfo) error {
	if st.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s is read-only; it was not changed", path)
	}
	return nil
}

// keepGroup does nothing where files have no group.
func keepGroup(*os.File, os.FileInfo) {}
