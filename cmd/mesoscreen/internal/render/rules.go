package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

func RuleSet(w io.Writer, rs *rules.RuleSet) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, version %s\n", rs.Name, rs.Version)
	if rs.Title != "" {
		fmt.Fprintf(&b, "%s\n", rs.Title)
	}
	fmt.Fprintf(&b, "file:   %s\nsha256: %s\n", rs.File, rs.SHA256)
	fmt.Fprintf(&b, "languages: %s\n", strings.Join(rs.Languages(), ", "))

	if names := rs.ParamNames(); len(names) > 0 {
		fmt.Fprintf(&b, "\nPARAMETERS (%d)\n", len(names))
		for _, n := range names {
			p, _ := rs.Param(n)
			fmt.Fprintf(&b, "  %-32s %-4s %s\n", "params."+n, p.Text(), strings.TrimSpace(p.Description))
		}
	}
	fmt.Fprintf(&b, "\nQUESTIONS (%d)\n", len(rs.Questions))
	section := "\x00"
	for _, q := range rs.Questions {
		if q.Section != section {
			section = q.Section
			title := section
			if sec, ok := rs.Section(section); ok {
				title = sec.Title
			}
			if title != "" {
				fmt.Fprintf(&b, "\n  %s\n", title)
			}
		}
		req := "optional"
		if q.Required {
			req = "required"
		}
		fmt.Fprintf(&b, "  %-20s %s, %s\n", q.ID, q.Expected(), req)
		fmt.Fprintf(&b, "  %-20s %s\n", "", q.Ask)
		if q.When != "" {
			fmt.Fprintf(&b, "  %-20s asked when: %s\n", "", q.When)
		}
		if l := recheckNote(q); l != "" {
			fmt.Fprintf(&b, "  %-20s %s\n", "", l)
		}
	}

	fmt.Fprintf(&b, "\nRULES (%d)\n", len(rs.Rules))
	for _, r := range rs.Rules {
		fmt.Fprintf(&b, "\n  %s  [%s]\n", r.ID, r.Level)
		fmt.Fprintf(&b, "    when:    %s\n", r.Condition)
		fmt.Fprintf(&b, "    says:    %s\n", r.Message)
		if src := r.SourceText(); src != "" {
			fmt.Fprintf(&b, "    source:  %s\n", src)
		} else {
			b.WriteString("    source:  (none given)\n")
		}
	}

	writeClearance(&b, rs)

	in := rs.Instructions
	levels := make([]string, len(in.ShowFor))
	for i, l := range in.ShowFor {
		levels[i] = string(l)
	}
	fmt.Fprintf(&b, "\nINSTRUCTIONS (given with %s)\n", strings.Join(levels, ", "))
	for _, part := range []struct {
		title string
		list  []*rules.Instruction
	}{{"Before treatment", in.PreTreatment}, {"Aftercare", in.Aftercare}, {"Course of treatment", in.Course}} {
		fmt.Fprintf(&b, "\n  %s\n", part.title)
		for _, x := range part.list {
			fmt.Fprintf(&b, "  - %s [%s]\n", x.Text, x.SourceText())
			if x.When != "" {
				fmt.Fprintf(&b, "    when: %s\n", x.When)
			}
		}
	}
	_, err := io.WriteString(w, PrintableLines(b.String()))
	return err
}

// recheckNote says when a question is asked again, for "rules show".
func recheckNote(q *rules.Question) string {
	switch {
	case q.IsCatchAll():
		return "asked only in the re-screen before a later session; a yes or not sure asks again " + strings.Join(q.Opens, ", ")
	case q.RecheckOnly():
		return "asked only in the re-screen before a later session"
	case q.Rechecked():
		return "asked again in the re-screen before each session"
	}
	return ""
}

// writeClearance lists, for "rules show", which findings may be cleared,
// with which reasons, and how long a screening holds.
func writeClearance(b *strings.Builder, rs *rules.RuleSet) {
	fmt.Fprintf(b, "\nCLEARANCE (a screening holds %d days)\n", rs.ValidForDays())
	var clearable []string
	for _, r := range rs.Rules {
		if ok, _ := r.CanClear(); ok {
			clearable = append(clearable, r.ID)
		}
	}
	fmt.Fprintf(b, "  may be cleared:  %s\n", orNone(clearable))
	for _, c := range rs.ClearanceReasons {
		which := "any of them"
		if len(c.Rules) > 0 {
			which = strings.Join(c.Rules, ", ")
		}
		fmt.Fprintf(b, "\n  %s\n    %s\n    clears: %s\n", c.ID, c.Text, which)
	}
}

func Explain(w io.Writer, rs *rules.RuleSet, r *rules.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  [%s]\n", r.ID, r.Level)
	fmt.Fprintf(&b, "rule set:  %s version %s, %s:%d\n", rs.Name, rs.Version, rs.File, r.Pos().Line)
	fmt.Fprintf(&b, "\ncondition: %s\n", r.Condition)
	fmt.Fprintf(&b, "level:     %s\n", r.Level)
	fmt.Fprintf(&b, "message:   %s\n", r.Message)
	if ra := strings.TrimSpace(r.Rationale); ra != "" {
		fmt.Fprintf(&b, "rationale: %s\n", ra)
	}
	b.WriteString("\nsources:\n")
	if len(r.Source) == 0 {
		b.WriteString("  (none given)\n")
	}
	for _, id := range r.Source {
		if t := rs.SourceTitle(id); t != "" {
			fmt.Fprintf(&b, "  %s: %s\n", id, t)
		} else {
			fmt.Fprintf(&b, "  %s\n", id)
		}
	}
	b.WriteString("\nreads:\n")
	for _, id := range r.Cond().Reads() {
		if q, ok := rs.Question(id); ok {
			fmt.Fprintf(&b, "  %s (%s): %s\n", id, q.Expected(), q.Ask)
		} else if d, ok := rules.Derived(id); ok {
			fmt.Fprintf(&b, "  %s (derived): %s\n", id, d.Doc)
		}
	}
	var params []string
	for _, n := range rs.ParamNames() {
		if regexp.MustCompile(`\bparams\.` + n + `\b`).MatchString(r.Condition) {
			params = append(params, n)
		}
	}
	if len(params) > 0 {
		b.WriteString("\nparameters:\n")
		for _, n := range params {
			p, _ := rs.Param(n)
			fmt.Fprintf(&b, "  %s = %s: %s\n", n, p.Text(), strings.TrimSpace(p.Description))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
