package render

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/mesoscreen/mesoscreen/rules/meds"
)

// lookupRow is one medicine found, as "meds lookup" shows it.
type lookupRow struct {
	Written         string   `json:"written"`
	Generic         string   `json:"generic"`
	Classes         []string `json:"classes"`
	ATC             []string `json:"atc"`
	How             meds.How `json:"how"`
	Name            string   `json:"matched_name"`
	Counted         bool     `json:"counted"`
	Negated         string   `json:"negated_by,omitempty"`
	Allergy         bool     `json:"allergy,omitempty"`
	PossiblyStopped string   `json:"possibly_stopped,omitempty"`
}

func Lexicon(w io.Writer, lx *meds.Lexicon, classes []meds.Class) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, version %s\nfile:   %s\nsha256: %s\n", lx.Name, lx.Version, lx.File, lx.SHA256)
	for _, c := range classes {
		var es []*meds.Entry
		for _, e := range lx.Entries {
			if slices.Contains(e.Classes, c.ID) {
				es = append(es, e)
			}
		}
		fmt.Fprintf(&b, "\n%s: %s (%d)\n", c.ID, c.Label, len(es))
		if c.Description != "" {
			fmt.Fprintf(&b, "  %s\n", c.Description)
		}
		for _, e := range es {
			fmt.Fprintf(&b, "  %-28s %-17s [%s]\n", e.Generic, dash(strings.Join(e.ATC, ", ")), strings.Join(e.Source, ", "))
			if len(e.Names) > 0 {
				fmt.Fprintf(&b, "  %-28s also: %s\n", "", strings.Join(e.Names, ", "))
			}
			for _, lang := range slices.Sorted(maps.Keys(e.Local)) {
				fmt.Fprintf(&b, "  %-28s %s:   %s\n", "", lang, strings.Join(e.Local[lang], ", "))
			}
			for _, m := range []struct {
				market string
				names  []string
			}{{"US", e.Brands.US}, {"UK", e.Brands.UK}, {"EU", e.Brands.EU}, {"ES", e.Brands.ES}, {"FR", e.Brands.FR}} {
				if len(m.names) > 0 {
					fmt.Fprintf(&b, "  %-28s %s:   %s\n", "", m.market, strings.Join(m.names, ", "))
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Lookup writes the medicines found in a medication list, as "meds
// lookup" shows them: a table, or JSON.
func Lookup(out io.Writer, lx *meds.Lexicon, found []meds.Match, asJSON bool) error {
	rows := []lookupRow{}
	for _, m := range found {
		rows = append(rows, lookupRow{
			Written: m.Written, Generic: m.Entry.Generic, Classes: m.Entry.Classes, ATC: m.Entry.ATC,
			How: m.How, Name: m.Name, Counted: m.Taken(), Negated: m.Negated, Allergy: m.Allergy, PossiblyStopped: m.PossiblyStopped,
		})
	}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintln(out, "no medicine recognised")
		return err
	}
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WRITTEN\tGENERIC\tCLASS\tATC\tMATCHED\tNOTE")
	for _, r := range rows {
		labels := make([]string, len(r.Classes))
		for i, c := range r.Classes {
			labels[i] = lx.ClassLabel(c)
		}
		how := string(r.How)
		if r.How == meds.Misspelling {
			how += " of " + r.Name
		}
		note := ""
		switch {
		case r.Allergy:
			note = fmt.Sprintf("not counted: %q says the patient reacted to it", r.Negated)
		case r.Negated != "":
			note = fmt.Sprintf("not counted: %q says it is not taken", r.Negated)
		case r.PossiblyStopped != "":
			note = fmt.Sprintf("counted; may have been stopped (%q)", r.PossiblyStopped)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Written, r.Generic, strings.Join(labels, ", "), dash(strings.Join(r.ATC, ", ")), how, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			fmt.Fprintln(out, strings.TrimRight(line, " \n"))
		}
	}
	return nil
}
