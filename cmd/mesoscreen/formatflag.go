package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// addFormatFlag adds --format (-f) with the formats a command writes, and
// completes them.
func addFormatFlag(cmd *cobra.Command, p *string, def string, formats ...string) {
	cmd.Flags().StringVarP(p, "format", "f", def, "output `format`: "+orList(formats))
	completeFlag(cmd, "format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

// checkFormat refuses a format the command does not write.
func checkFormat(format string, formats ...string) error {
	if !slices.Contains(formats, format) {
		return failf("--format %q is not one of %s", format, strings.Join(formats, ", "))
	}
	return nil
}

// orList says "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
