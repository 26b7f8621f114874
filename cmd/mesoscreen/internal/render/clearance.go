package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/mesoscreen/mesoscreen/screening"
)

// ClearedLine says who cleared a finding, when and why.
func ClearedLine(c *screening.Clearance) string {
	s := fmt.Sprintf("cleared %s by %s: %s (%s)", day(c.At), c.By, strings.TrimSuffix(c.ReasonText, "."), c.Reason)
	if c.Note != "" {
		s += "; note: " + c.Note
	}
	return s
}

// NotAppliedLine says which clearance does not hold, and why.
func NotAppliedLine(c screening.Clearance) string {
	return fmt.Sprintf("clearance of %s by %s on %s (%s) does not apply: %s", c.Finding, c.By, day(c.At), c.Reason, c.NotApplied)
}

// notApplied lists the clearances of a result that do not hold.
func notApplied(r screening.Result) []screening.Clearance {
	var out []screening.Clearance
	for _, c := range r.Clearances {
		if !c.Applies {
			out = append(out, c)
		}
	}
	return out
}

// recordLine says when a saved record was screened and how long its
// history is; "" for a result that is not a saved record's.
func recordLine(r screening.Result) string {
	if r.Record == nil {
		return ""
	}
	s := "saved record, screened " + day(r.Record.ScreenedAt)
	switch n := r.Record.Events; n {
	case 0:
		s += ", without a history"
	case 1:
		s += ", 1 event"
	default:
		s += fmt.Sprintf(", %d events", n)
	}
	if v := r.Record.VerdictBeforeClearances; v != "" {
		s += "; before clearances " + VerdictWords(v)
	}
	return s
}

// day is the date of an RFC 3339 time, as written, or the text itself.
func day(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.DateOnly)
	}
	return s
}
