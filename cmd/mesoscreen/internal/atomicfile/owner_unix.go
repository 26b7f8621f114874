//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
)

// writable refuses a file this user may not write.
func writable(path string, _ os.FileInfo) error {
	if err := syscall.Access(path, 2 /* W_OK */); err != nil {
		return fmt.Errorf("%s is read-only for you (%w); it was not changed", path, err)
	}
	return nil
}

// keepGroup gives the new file the old one's group, where the system
// lets this user: a record in a group's shared folder stays readable to
// the group. Where it does not, the new file keeps the folder's default.
func keepGroup(f *os.File, st os.FileInfo) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(-1, int(s.Gid))
	}
}
