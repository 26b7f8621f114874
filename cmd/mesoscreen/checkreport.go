package main

import (
	"bufio"
	"bytes"
	"slices"
	"sync"
	"time"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/report"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// checkReport is the data-quality report of a check, written to its file
// once the run is complete; nil when --report was not given.
type checkReport struct {
	path string
	r    *report.Report
}

// newReport starts the report --report asks for. A field's form column is
// the mapped export's header, else the field id, which is the column, key
// or linkId of the other formats.
func newReport(opts *CheckOptions, rs *rules.RuleSet, m *intake.Mapping) (*checkReport, error) {
	if opts.Report == "" {
		return nil, nil
	}
	if err := refuseInput(opts.Report, append(slices.Clone(opts.Files), opts.MapFile, opts.Global.rulesFile, opts.Output)); err != nil {
		return nil, err
	}
	if opts.Output != "" && opts.Report == opts.Output {
		return nil, failf("--report and --output are both %s; expected two files", opts.Report)
	}
	column := func(field string) []string { return []string{field} }
	if m != nil {
		column = m.Headers
	}
	r := report.New(rs, column)
	r.When = time.Now()
	return &checkReport{path: opts.Report, r: r}, nil
}

func (c *checkReport) add(res screening.Result) {
	if c != nil {
		c.r.Add(res)
	}
}

// write writes the report with mode 0600, whole or not at all: Ctrl-C
// while it is written leaves no file behind.
func (c *checkReport) write(files []report.File) error {
	if c == nil {
		return nil
	}
	for _, f := range files {
		c.r.AddFile(f)
	}
	var mu sync.Mutex
	var f *atomicfile.File
	stop := onInterrupt(func() {
		mu.Lock()
		defer mu.Unlock()
		if f != nil {
			f.Abort()
		}
	})
	defer stop()
	mu.Lock()
	af, err := atomicfile.Create(c.path, true)
	f = af
	mu.Unlock()
	if err != nil {
		return failf("--report: %v", err)
	}
	defer af.Abort() // does nothing once committed
	bw := bufio.NewWriter(af)
	if err := c.r.Write(bw); err != nil {
		return failf("--report: %v", err)
	}
	if err := bw.Flush(); err != nil {
		return failf("--report: %v", err)
	}
	if err := af.Commit(); err != nil {
		return failf("--report: %v", err)
	}
	return nil
}

// noteFile records how an input was read, for the report.
func (in *checkInputs) noteFile(name string, format intake.Format, csv *intake.CSV, bom bool, records int) {
	f := report.File{Name: name, Format: string(format), Encoding: "UTF-8", Records: records}
	if bom {
		f.Encoding = "UTF-8 with byte order mark"
	}
	if csv != nil {
		switch csv.Delimiter {
		case '\t':
			f.Delimiter = "tab"
		case 0:
		default:
			f.Delimiter = string(csv.Delimiter)
		}
		f.Ignored = csv.Ignored
	}
	in.files = append(in.files, f)
}

func hasBOM(br *bufio.Reader) bool {
	head, _ := br.Peek(3)
	return bytes.Equal(head, []byte("\xef\xbb\xbf"))
}
