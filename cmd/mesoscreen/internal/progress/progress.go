// Package progress shows how far the reading of a large input has got, as
// a bar on a terminal.
package progress

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Reader counts the bytes read from an input, and once started shows them
// as a bar. Size is the input's size when known (a regular file), else 0.
type Reader struct {
	R    io.Reader
	Size int64

	read int64
	bar  *progressbar.ProgressBar
}

func (p *Reader) Read(b []byte) (int, error) {
	n, err := p.R.Read(b)
	p.read += int64(n)
	if p.bar != nil {
		_ = p.bar.Add(n) // a bar that cannot be drawn costs nothing but the bar
	}
	return n, err
}

// Start shows the bar on w, named for the input, from what was read so
// far; reading before Start (a table's header) is counted too.
func (p *Reader) Start(w io.Writer, name string) {
	p.bar = progressbar.NewOptions64(p.Size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("screening "+name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	_ = p.bar.Set64(p.read)
}

// Finish clears the bar.
func (p *Reader) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
