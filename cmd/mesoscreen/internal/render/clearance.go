package render

import (
	"strings"
	"time"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// clearedLine says who cleared a finding, when and why.
func clearedLine(tr *i18n.Printer, c *screening.Clearance) string {
	return tr.T("cleared %s", clearedBy(tr, c))
}

// clearedBy says when, by whom and why a finding was cleared.
func clearedBy(tr *i18n.Printer, c *screening.Clearance) string {
	s := tr.T("%s by %s: %s (%s)", day(c.At), c.By, strings.TrimSuffix(c.ReasonText, "."), c.Reason)
	if c.Note != "" {
		s += tr.T("; note: %s", c.Note)
	}
	return s
}

// notAppliedLine says which clearance does not hold, and why.
func notAppliedLine(tr *i18n.Printer, c screening.Clearance) string {
	return tr.T("clearance of %s by %s on %s (%s) does not apply: %s", c.Finding, c.By, day(c.At), c.Reason, c.NotApplied)
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
	tr := printer(r)
	s := tr.T("saved record, screened %s", day(r.Record.ScreenedAt))
	if n := r.Record.Events; n == 0 {
		s += tr.T(", without a history")
	} else {
		s += tr.N(n, ", %d event", ", %d events", n)
	}
	if v := r.Record.VerdictBeforeClearances; v != "" {
		s += tr.T("; before clearances %s", verdictWords(tr, v))
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
