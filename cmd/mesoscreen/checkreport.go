package main

import (
	"bufio"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/report"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// checkReport is the data-quality report of a check, written to its file
// once the run is complete; nil when --report was not given.
type checkReport struct {
	path string
	// out is stdout when the report goes there (--report -), else nil.
	out io.Writer
	r   *report.Report

	mu   sync.Mutex
	file *atomicfile.File // while it is written
}

// newReport starts the report --report asks for. A field's form column is
// the mapped export's header, else the field id, which is the column, key
// or linkId of the other formats.
func newReport(opts *CheckOptions, s *iostreams.Streams, rs *rules.RuleSet, m *intake.Mapping) (*checkReport, error) {
	if opts.Report == "" {
		return nil, nil
	}
	column := func(field string) []string { return []string{field} }
	if m != nil {
		column = m.Headers
	}
	r := report.New(rs, column)
	r.When = time.Now()
	if isStdout(opts.Report) {
		// The results go to stdout unless -o names a file; two documents
		// on one stream would be neither.
		if opts.Output == "" {
			return nil, failf("--report %s writes the report to stdout, where the results go too; give the results a file with -o FILE", opts.Report)
		}
		return &checkReport{out: s.Out, r: r}, nil
	}
	if err := atomicfile.Refuse(opts.Report, append(slices.Clone(opts.Files), opts.MapFile, opts.Factory.rulesFile), stdinFile(s, opts.Files)); err != nil {
		return nil, failf("--report %w", err)
	}
	if opts.Output != "" && filepath.Clean(opts.Report) == filepath.Clean(opts.Output) {
		return nil, failf("--report and --output are both %s; expected two files", opts.Report)
	}
	return &checkReport{path: opts.Report, r: r}, nil
}

func (c *checkReport) add(res screening.Result) {
	if c != nil {
		c.r.Add(res)
	}
}

// abort removes the report's file while it is written, as the run is
// interrupted; the check's watch of the signals calls it.
func (c *checkReport) abort() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.file != nil {
		c.file.Abort()
	}
}

// write writes the report with mode 0600, whole or not at all.
func (c *checkReport) write(files []report.File) error {
	if c == nil {
		return nil
	}
	for _, f := range files {
		c.r.AddFile(f)
	}
	if c.out != nil {
		bw := bufio.NewWriter(c.out)
		if err := c.r.Write(bw); err != nil {
			return failf("--report: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return failf("--report: %w", err)
		}
		return nil
	}
	c.mu.Lock()
	f, err := atomicfile.Create(c.path, true)
	c.file = f
	c.mu.Unlock()
	if err != nil {
		return failf("--report: %w", err)
	}
	defer f.Abort() // does nothing once committed
	bw := bufio.NewWriter(f)
	if err := c.r.Write(bw); err != nil {
		return failf("--report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return failf("--report: %w", err)
	}
	if err := f.Commit(); err != nil {
		return failf("--report: %w", err)
	}
	return nil
}
