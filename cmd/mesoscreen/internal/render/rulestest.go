package render

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/ruletest"
)

func TestReport(w io.Writer, rs *rules.RuleSet, rep ruletest.Report) error {
	var b strings.Builder
	for _, o := range rep.Outcomes {
		if o.Passed() {
			fmt.Fprintf(&b, "PASS  %s\n", o.Case.Name)
			continue
		}
		fmt.Fprintf(&b, "FAIL  %s (%s)\n", o.Case.Name, o.Case.Where())
		tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
		fmt.Fprintf(tw, "      \texpected\tactual\n")
		mark := func(ok bool) string {
			if ok {
				return ""
			}
			return "   <-"
		}
		fmt.Fprintf(tw, "      verdict\t%s\t%s%s\n", o.Case.Verdict, o.Verdict, mark(o.Verdict == o.Case.Verdict))
		fired := orNone(o.Fired)
		if len(o.Case.Fires) > 0 || len(o.Case.NotFires) > 0 || len(o.Fired) > 0 {
			fmt.Fprintf(tw, "      rules\t%s\t%s\n", expectedRules(o.Case), fired)
		}
		for _, id := range o.Missing {
			fmt.Fprintf(tw, "      \t%s fires\tdid not fire   <-\n", id)
		}
		for _, id := range o.Unwanted {
			fmt.Fprintf(tw, "      \t%s does not fire\tfired   <-\n", id)
		}
		for _, id := range o.MissingInstructions {
			fmt.Fprintf(tw, "      instruction\t%s given\tnot given   <-\n", id)
		}
		for _, id := range o.UnwantedInstructions {
			fmt.Fprintf(tw, "      instruction\t%s not given\tgiven   <-\n", id)
		}
		tw.Flush()
	}
	n, failed := len(rep.Outcomes), rep.Failed()
	if failed == 0 {
		fmt.Fprintf(&b, "ok    %d of %d cases passed (%s version %s)\n", n, n, rs.Name, rs.Version)
	} else {
		fmt.Fprintf(&b, "FAIL  %d of %d cases failed (%s version %s)\n", failed, n, rs.Name, rs.Version)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func expectedRules(c *ruletest.Case) string {
	var parts []string
	if len(c.Fires) > 0 {
		parts = append(parts, strings.Join(c.Fires, ", "))
	}
	if len(c.NotFires) > 0 {
		parts = append(parts, "not "+strings.Join(c.NotFires, ", not "))
	}
	if len(parts) == 0 {
		return "(any)"
	}
	return strings.Join(parts, ", ")
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}

func Coverage(w io.Writer, rep ruletest.Report) error {
	var b strings.Builder
	n := 0
	for _, id := range rep.Rules {
		if rep.Fired[id] > 0 {
			n++
		}
	}
	fmt.Fprintf(&b, "\ncoverage: %d of %d rules fired (%.1f%%)\n", n, len(rep.Rules), rep.Coverage())
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	for _, id := range rep.Rules {
		switch c := rep.Fired[id]; c {
		case 0:
			fmt.Fprintf(tw, "  %s\tnot fired by any case\n", id)
		case 1:
			fmt.Fprintf(tw, "  %s\t1 case\n", id)
		default:
			fmt.Fprintf(tw, "  %s\t%d cases\n", id, c)
		}
	}
	tw.Flush()
	if len(rep.Conditional) > 0 {
		n = 0
		for _, id := range rep.Conditional {
			if rep.Given[id] > 0 && rep.Withheld[id] > 0 {
				n++
			}
		}
		fmt.Fprintf(&b, "\ninstructions with a condition: %d of %d given by one case and withheld by another (%.1f%%)\n",
			n, len(rep.Conditional), rep.InstructionCoverage())
		tw = tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
		for _, id := range rep.Conditional {
			switch g, w := rep.Given[id], rep.Withheld[id]; {
			case g == 0:
				fmt.Fprintf(tw, "  %s\tnot given by any case\n", id)
			case w == 0:
				fmt.Fprintf(tw, "  %s\tgiven by every case that shows instructions\n", id)
			default:
				fmt.Fprintf(tw, "  %s\tgiven %s, withheld %s\n", id, cases(g), cases(w))
			}
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cases(n int) string {
	if n == 1 {
		return "1 case"
	}
	return fmt.Sprintf("%d cases", n)
}
