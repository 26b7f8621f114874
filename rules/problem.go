package rules

import (
	"fmt"
	"strings"
)

// Severity tells whether a problem stops the rule set from loading.
type Severity string

// Problem severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is one thing wrong with a rule set, at a position in its file.
type Problem struct {
	File     string
	Pos      Pos
	Severity Severity
	Msg      string
}

func (p Problem) String() string {
	sev := ""
	if p.Severity == Warning {
		sev = "warning: "
	}
	if p.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s%s", p.File, sev, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", p.File, p.Pos.Line, p.Pos.Col, sev, p.Msg)
}

// Problems is the error a rule set that fails to load returns: every error
// found, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
