package main

import (
	"bufio"
	"encoding/csv"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/screening/forms"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// TemplateOptions are the inputs of "mesoscreen template".
type TemplateOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Kind    string // csv, fhir or mapping
	Export  string // the export a mapping is drafted for
	Lang    string // --lang: the Questionnaire's language (lang.go)
	Sheet   string // --sheet: the sheet of a workbook export; "" for the first
}

// NewCmdTemplate builds "mesoscreen template".
func NewCmdTemplate(f *Factory, runF func(*TemplateOptions) error) *cobra.Command {
	s := f.IO
	opts := &TemplateOptions{Streams: s, Factory: f}
	cmd := &cobra.Command{
		Use:   "template csv | fhir | mapping EXPORT.csv",
		Short: "Write a blank intake file, a FHIR Questionnaire or a draft mapping",
		Long:  helpText("template"),
		Example: `  mesoscreen template csv > intakes.csv
  mesoscreen template fhir > questionnaire.json
  mesoscreen template mapping export.csv > mapping.yaml`,
		ValidArgs: []string{"csv", "fhir", "mapping"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return failf("template: expected what to write: csv, fhir or mapping EXPORT.csv")
			}
			opts.Kind = args[0]
			switch {
			case opts.Kind == "mapping" && len(args) != 2:
				return failf("template mapping: expected the export file, as in: mesoscreen template mapping export.csv")
			case opts.Kind == "mapping":
				opts.Export = args[1]
			case opts.Kind != "csv" && opts.Kind != "fhir":
				return failf("template %q: expected csv, fhir or mapping", opts.Kind)
			case len(args) > 1:
				return failf("template %s takes no file (got %q); expected just: mesoscreen template %s", opts.Kind, args[1], opts.Kind)
			}
			if runF != nil {
				return runF(opts)
			}
			return runTemplate(opts)
		},
	}
	addLangFlag(cmd, f, &opts.Lang)
	cmd.Flags().StringVar(&opts.Sheet, "sheet", "", "draft from the sheet `NAME` of an Excel workbook export (default: its first)")
	completeFlag(cmd, "sheet", noCompletion)
	return cmd
}

func runTemplate(opts *TemplateOptions) error {
	rs, err := opts.Factory.ruleSetIn(opts.Lang)
	if err != nil {
		return err
	}
	out := opts.Streams.Out
	switch opts.Kind {
	case "csv":
		w := csv.NewWriter(out)
		w.Write(forms.CSVHeader(rs))
		w.Flush()
		return w.Error()
	case "fhir":
		b, err := forms.Questionnaire(rs)
		if err != nil {
			return failf("cannot write the Questionnaire: %w", err)
		}
		_, err = out.Write(b)
		return err
	}
	exp, err := readExport(opts.Export, opts.Sheet)
	if err != nil {
		return err
	}
	_, err = out.Write(forms.DraftMapping(rs, exp))
	return err
}

// readExport reads the header and the first rows of an export: a CSV
// file, or a sheet of a workbook.
func readExport(path, sheet string) (*forms.Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, failf("%s: cannot open: %w", path, err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(8192)
	var exp *forms.Export
	switch format := intake.Detect(path, head); format {
	case intake.FormatXLSX:
		exp, err = forms.ReadWorkbookExport(path, br, sheet)
	case intake.FormatCSV:
		if sheet != "" {
			return nil, failf("--sheet %s: %s is not an Excel workbook; expected --sheet only with an .xlsx export", sheet, path)
		}
		exp, err = forms.ReadExport(path, br)
	default:
		return nil, failf("%s holds %s, not a table; a mapping is drafted from a form export in CSV or an Excel workbook (its fields are read as they are: mesoscreen check %s)", path, strings.ToUpper(string(format)), path)
	}
	if err != nil {
		return nil, failf("%w", err)
	}
	return exp, nil
}
