package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

func Diff(w io.Writer, a, b *rules.RuleSet, changes []rules.Change) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s (%s version %s)\n", a.File, a.Name, a.Version)
	fmt.Fprintf(&sb, "+++ %s (%s version %s)\n", b.File, b.Name, b.Version)
	if len(changes) == 0 {
		sb.WriteString("no differences\n")
		_, err := io.WriteString(w, PrintableLines(sb.String()))
		return err
	}
	part := ""
	for _, c := range changes {
		if c.Part != part {
			part = c.Part
			fmt.Fprintf(&sb, "\n%s\n", part)
		}
		switch c.Op {
		case rules.Added:
			fmt.Fprintf(&sb, "  + %s: %s\n", c.Subject, c.New)
		case rules.Removed:
			fmt.Fprintf(&sb, "  - %s: %s\n", c.Subject, c.Old)
		default:
			note := ""
			if c.Note != "" {
				note = " (" + c.Note + ")"
			}
			if c.Field == "" {
				fmt.Fprintf(&sb, "  ~ %s: %s -> %s%s\n", c.Subject, orEmpty(c.Old), orEmpty(c.New), note)
			} else if inlineFields[c.Field] {
				fmt.Fprintf(&sb, "  ~ %s: %s %s -> %s%s\n", c.Subject, c.Field, orEmpty(c.Old), orEmpty(c.New), note)
			} else {
				fmt.Fprintf(&sb, "  ~ %s: %s%s\n      - %s\n      + %s\n", c.Subject, c.Field, note, orEmpty(c.Old), orEmpty(c.New))
			}
		}
	}
	noun := "changes"
	if len(changes) == 1 {
		noun = "change"
	}
	fmt.Fprintf(&sb, "\n%d %s\n", len(changes), noun)
	_, err := io.WriteString(w, PrintableLines(sb.String()))
	return err
}

func orEmpty(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// inlineFields are short enough to show as old -> new on one line.
var inlineFields = map[string]bool{
	"name": true, "version": true, "value": true, "level": true,
	"type": true, "required": true, "source": true, "levels": true,
}
