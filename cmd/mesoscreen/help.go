package main

import (
	"embed"
	"strings"
)

// The long help of each command is a text file of its own, so that the
// words are read and edited as prose rather than as Go string literals.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText is the long help in help/name.txt. A missing file is a mistake
// in this program: every test of the command tree builds every command.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("mesoscreen: no help text " + name + ": " + err.Error())
	}
	return strings.TrimSuffix(string(b), "\n")
}
