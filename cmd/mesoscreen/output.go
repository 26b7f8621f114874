package main

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// isStdout reports whether an output flag names stdout: "-", as every
// Unix tool takes it, or /dev/stdout and its aliases. Either is written
// to the stream the command holds, not through a temporary file renamed
// over a device.
func isStdout(path string) bool {
	switch filepath.ToSlash(path) {
	case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	return false
}

// formatByExt is the format the extension of an output file names, by
// exts (".csv": "csv"), or "" for a name without one. An extension that
// names no format the command writes is refused: "handout -o x.docx"
// would otherwise write a PDF under a name that promises a Word file.
func formatByExt(flag, path string, exts map[string]string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == "" || isStdout(path) {
		return "", nil
	}
	if f, ok := exts[ext]; ok {
		return f, nil
	}
	known := slices.Sorted(maps.Keys(exts))
	if flag == "--handout" {
		// interview's --format is the result's, not the handout's.
		return "", failf("%s %s: %s names no format a handout is written in; expected %s", flag, path, ext, orList(known))
	}
	return "", failf("%s %s: %s names no format this command writes; expected %s, or give --format", flag, path, ext, orList(known))
}
