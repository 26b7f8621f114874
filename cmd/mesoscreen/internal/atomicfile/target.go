package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Refuse stops an output file from replacing anything but a regular file
// (a device, a FIFO, a directory, a symbolic link), and from replacing a
// file the run reads: one of inputs ("" and "-" are skipped), or the file
// stdin reads when stdin is not nil. The error starts with the path, for
// the flag that named it to go before.
func Refuse(path string, inputs []string, stdin os.FileInfo) error {
	ost, err := os.Lstat(path)
	if err != nil {
		return nil // a new file cannot be an input
	}
	if target, err := os.Stat(path); err == nil {
		if stdin != nil && os.SameFile(target, stdin) {
			return fmt.Errorf("%s is the file stdin reads; refusing to overwrite it", path)
		}
		for _, in := range inputs {
			if in == "" || in == "-" {
				continue
			}
			if ist, err := os.Stat(in); err == nil && os.SameFile(target, ist) {
				return fmt.Errorf("%s is the input file %s; refusing to overwrite it", path, in)
			}
		}
	}
	switch m := ost.Mode(); {
	case m.IsDir():
		return fmt.Errorf("%s is a directory; expected a file name", path)
	case m&os.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; expected a regular file or a new name", path)
	case !m.IsRegular():
		return fmt.Errorf("%s is not a regular file (%s); expected a regular file or a new name", path, kind(m))
	}
	return nil
}

// kind names the kind of a file that is not a regular one.
func kind(m os.FileMode) string {
	switch {
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// CheckTarget refuses, before any work is done, a file that Create would
// refuse at the end: a directory, an existing file unless replace is set,
// or a folder that does not exist. The error starts with the path.
func CheckTarget(path string, replace bool) error {
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s is a directory; expected a file name", path)
		}
		if !replace {
			return fmt.Errorf("%s: the file already exists; use --force to replace it", path)
		}
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: the folder %s does not exist", path, dir)
	}
	return nil
}
