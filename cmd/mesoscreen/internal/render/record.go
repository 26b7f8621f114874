package render

import (
	"fmt"
	"strings"

	"github.com/mesoscreen/mesoscreen/screening"
)

// History lists a record's events, oldest first.
func History(b *strings.Builder, file string, rec screening.SavedRecord) {
	id := rec.Result.PatientID
	if id == "" {
		id = "(no patient id)"
	}
	fmt.Fprintf(b, "%s: patient %s, %s\n", file, id, EventsText(max(len(rec.Events), 1)))
	if len(rec.Events) == 0 {
		fmt.Fprintf(b, "  1  %-16s  %-10s  by %s: %s (rule set %s version %s, sha256 %s)\n",
			when(rec.ScreenedAt), screening.EventScreened, rec.Clinician, VerdictWords(rec.Result.Verdict),
			rec.RuleSet.Name, rec.RuleSet.Version, ShortSum(rec.RuleSet.SHA256))
		return
	}
	for i, e := range rec.Events {
		signed := "unsigned"
		if e.KeyID != "" {
			signed = "key " + e.KeyID
		}
		fmt.Fprintf(b, "  %d  %-16s  %-10s  by %s (%s)", i+1, when(e.At), e.Event, e.By, signed)
		switch {
		case e.IsScreening():
			verdict := ""
			if e.Result != nil {
				verdict = VerdictWords(e.Result.Verdict)
			}
			fmt.Fprintf(b, ": %s (rule set %s version %s, sha256 %s)\n", verdict, e.RuleSet.Name, e.RuleSet.Version, ShortSum(e.RuleSet.SHA256))
			if e.Event == screening.EventRescreened {
				changed := "nothing"
				if len(e.Changed) > 0 {
					changed = strings.Join(e.Changed, ", ")
				}
				fmt.Fprintf(b, "       changed: %s\n", changed)
			}
			if e.Result != nil {
				for _, f := range e.Result.Findings {
					fmt.Fprintf(b, "       %-26s %s\n", f.Level, f.Message)
				}
			}
		case e.Event == screening.EventCleared:
			fmt.Fprintf(b, ": %s (%s)\n", e.Finding, e.Level)
			fmt.Fprintf(b, "       reason: %s (%s)\n", e.ReasonText, e.Reason)
			if e.Note != "" {
				fmt.Fprintf(b, "       note: %s\n", e.Note)
			}
			fmt.Fprintf(b, "       under rule set %s version %s, sha256 %s\n", e.RuleSet.Name, e.RuleSet.Version, ShortSum(e.RuleSet.SHA256))
		default:
			b.WriteString("\n")
		}
	}
}

// when shows an RFC 3339 time to the minute, in its own zone.
func when(s string) string {
	if len(s) >= 16 && s[10] == 'T' {
		return s[:10] + " " + s[11:16]
	}
	return s
}

func EventsText(n int) string {
	if n == 1 {
		return "1 event"
	}
	return fmt.Sprintf("%d events", n)
}

// ShortSum is the first 12 hex digits of a sha256, enough to tell rule sets
// apart on screen.
func ShortSum(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
