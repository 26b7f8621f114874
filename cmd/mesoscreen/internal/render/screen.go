package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// verdictMeaning says what a verdict means for the clinic (SPEC §2).
func verdictMeaning(tr *i18n.Printer, l rules.Level) string {
	switch l {
	case rules.Eligible:
		return tr.T("may be treated")
	case rules.EligibleWithPrecautions:
		return tr.T("may be treated; the findings say what to do or tell the patient")
	case rules.NeedsReview:
		return tr.T("a clinician or the prescriber must clear the patient before booking")
	case rules.Defer:
		return tr.T("a temporary condition: screen again once it has resolved")
	case rules.NotEligible:
		return tr.T("contraindicated: do not treat")
	}
	return ""
}

// Screen renders an interview's result for the clinician. Styled is for a
// terminal: a framed banner, and colour unless Color is off. Without it
// the text is plain, for a pipe or a file. Width is the terminal's, 0 when
// unknown.
type Screen struct {
	RuleSet *rules.RuleSet // for the titles of the sources cited
	Styled  bool
	Color   bool
	Width   int
}

// Render writes the result.
func (r Screen) Render(w io.Writer, res screening.Result) error {
	width := r.Width
	if width <= 0 {
		width = 80
	}
	var b strings.Builder
	tr := printer(res)
	words := verdictWords(tr, res.Verdict)
	meaning := verdictMeaning(tr, res.Verdict)
	bold := lipgloss.NewStyle()
	if r.Color {
		bold = bold.Bold(true)
	}
	if r.Styled {
		banner := bold.Padding(0, 2).Width(width).
			Border(lipgloss.ThickBorder())
		if r.Color {
			banner = banner.BorderForeground(verdictColor(res.Verdict)).
				Foreground(lipgloss.Black).Background(verdictColor(res.Verdict))
		}

		b.WriteString(banner.Render(words+"\n"+meaning) + "\n")
	} else {
		fmt.Fprintf(&b, "%s\n%s\n", tr.T("VERDICT: %s (%s)", words, res.Verdict), meaning)
	}
	id := res.PatientID
	if id == "" {
		id = tr.T("(no patient id)")
	}
	fmt.Fprintf(&b, "%s\n%s\n", Printable(tr.T("Patient: %s", id)), Printable(tr.T("Rule set: %s version %s", res.RuleSet.Name, res.RuleSet.Version)))
	if l := recordLine(res); l != "" {
		fmt.Fprintf(&b, "%s\n", Printable(tr.T("Record: %s", l)))
	}

	// wrap lays out every text that holds data (findings, clearances,
	// instructions, sources), so it is where that text is made printable,
	// before lipgloss pads it.
	wrap := func(indent int, s string) string {
		s = Printable(s)
		if !r.Styled {
			return strings.Repeat(" ", indent) + s
		}
		lines := strings.Split(lipgloss.NewStyle().PaddingLeft(indent).Width(width).Render(s), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		return strings.Join(lines, "\n")
	}
	heading := func(s string) {
		b.WriteString("\n" + bold.Render(s) + "\n")
	}

	heading(tr.T("Findings (%d)", len(res.Findings)))
	if len(res.Findings) == 0 {
		b.WriteString(wrap(2, tr.T("None: no rule found a reason not to treat.")) + "\n")
	}
	cited := map[string]bool{}
	for i, f := range res.Findings {
		if i > 0 {
			b.WriteString("\n")
		}
		level := verdictWords(tr, f.Level)
		if r.Color {
			level = lipgloss.NewStyle().Bold(true).Foreground(verdictColor(f.Level)).Render(level)
		}
		if f.Cleared != nil {
			level += " " + tr.T("(cleared)")
		}
		fmt.Fprintf(&b, "  %d. %s\n", i+1, level)
		b.WriteString(wrap(5, f.Message) + "\n")
		if f.Cleared != nil {
			b.WriteString(wrap(5, tr.T("Cleared: %s", clearedBy(tr, f.Cleared))) + "\n")
		}
		if f.Rationale != "" {
			b.WriteString(wrap(5, tr.T("Why: %s", f.Rationale)) + "\n")
		}
		if f.Source != "" {
			b.WriteString(wrap(5, tr.T("Source: %s", screening.SourceNames(f.Source, r.RuleSet, res.Lang))) + "\n")
			for _, s := range strings.Split(f.Source, ", ") {
				cited[s] = true
			}
		}
	}

	if na := notApplied(res); len(na) > 0 {
		heading(tr.T("Clearances that do not apply (%d)", len(na)))
		for _, c := range na {
			b.WriteString(wrap(2, notAppliedLine(tr, c)) + "\n")
		}
	}

	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		heading(title)
		for _, it := range items {
			// A hanging indent: wrapped lines start under the text.
			b.WriteString("  - " + strings.TrimPrefix(wrap(4, it), "    ") + "\n")
		}
	}
	if note := instructionsNote(res); note != "" {
		b.WriteString("\n" + wrap(0, note) + "\n")
	}
	list(tr.T("Before treatment"), res.PreTreatment)
	list(tr.T("Aftercare"), res.Aftercare)
	for _, s := range res.Course {
		for _, x := range strings.Split(s.Source, ", ") {
			if x != "" {
				cited[x] = true
			}
		}
	}
	list(tr.T("Course of treatment"), courseLines(res, r.RuleSet))

	var ids []string
	for id := range cited {
		if r.RuleSet.SourceTitle(id) != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) > 0 {
		var srcs []string
		for _, id := range ids {
			srcs = append(srcs, tr.T("%s: %s", r.RuleSet.SourceName(id), r.RuleSet.SourceTitle(id)))
		}
		list(tr.T("Sources"), srcs)
	}
	// The details can run to 50 lines, past a terminal's height, and
	// several findings that rule treatment out to 30: the verdict is said
	// again last, always, so that the line a clinician's eye falls on is
	// the verdict, never the aftercare or a source.
	last := tr.T("VERDICT: %s (%s)", words, res.Verdict) + "  " + Printable(tr.T("Patient: %s", id))
	if r.Styled {
		last = bold.Render(last)
	}
	b.WriteString("\n" + last + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
