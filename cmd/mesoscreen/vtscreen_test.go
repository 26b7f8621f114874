package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vtScreen is as much of a terminal as the form's renderer needs: it keeps
// the characters on the screen, not their colours, as the program writes,
// moves the cursor, erases and scrolls, so that a test can wait for what
// the clinician would see rather than for time to pass.
type vtScreen struct {
	cols, rows  int
	cells       [][]rune // 0: the right half of a wide character
	x, y        int
	wrapPending bool
	autowrap    bool
	top, bottom int // the scrolling region
	savedX      int
	savedY      int
	main        [][]rune // the main screen, while the alternate one shows
	last        rune     // for REP
	parser      *ansi.Parser
}

func newVTScreen(cols, rows int) *vtScreen {
	s := &vtScreen{cols: cols, rows: rows, autowrap: true, bottom: rows - 1, parser: ansi.NewParser()}
	s.cells = s.blank()
	s.parser.SetHandler(ansi.Handler{
		Print:     s.print,
		Execute:   s.execute,
		HandleCsi: s.csi,
		HandleEsc: s.esc,
	})
	return s
}

func (s *vtScreen) Write(b []byte) (int, error) {
	s.parser.Parse(b)
	return len(b), nil
}

// text is the screen, line by line, without trailing blanks.
func (s *vtScreen) text() string {
	lines := make([]string, s.rows)
	for y, row := range s.cells {
		var b strings.Builder
		for _, r := range row {
			if r != 0 {
				b.WriteRune(r)
			}
		}
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func (s *vtScreen) blank() [][]rune {
	c := make([][]rune, s.rows)
	for y := range c {
		c[y] = s.blankLine()
	}
	return c
}

func (s *vtScreen) blankLine() []rune {
	l := make([]rune, s.cols)
	for x := range l {
		l[x] = ' '
	}
	return l
}

func (s *vtScreen) moveTo(x, y int) {
	s.x, s.y, s.wrapPending = min(max(x, 0), s.cols-1), min(max(y, 0), s.rows-1), false
}

func (s *vtScreen) print(r rune) {
	w := ansi.StringWidth(string(r))
	if w == 0 {
		return // a combining mark: the test reads the base character
	}
	if s.wrapPending && s.autowrap {
		s.x, s.wrapPending = 0, false
		s.lineFeed()
	}
	if s.x+w > s.cols {
		w = 1
	}
	s.cells[s.y][s.x] = r
	for i := 1; i < w; i++ {
		s.cells[s.y][s.x+i] = 0
	}
	s.last = r
	if s.x+w >= s.cols {
		s.x, s.wrapPending = s.cols-1, true
		return
	}
	s.x += w
}

func (s *vtScreen) execute(b byte) {
	switch b {
	case '\r':
		s.moveTo(0, s.y)
	case '\n', '\v', '\f':
		s.wrapPending = false
		s.lineFeed()
	case '\b':
		s.moveTo(s.x-1, s.y)
	case '\t':
		s.moveTo((s.x/8+1)*8, s.y)
	}
}

func (s *vtScreen) lineFeed() {
	if s.y == s.bottom {
		s.scrollUp(1)
		return
	}
	if s.y < s.rows-1 {
		s.y++
	}
}

// scrollUp moves the lines of the scrolling region up by n, from the
// top; scrollDown down by n, from line at.
func (s *vtScreen) scrollUp(n int) { s.deleteLines(s.top, n) }

func (s *vtScreen) deleteLines(at, n int) {
	for range min(n, s.bottom-at+1) {
		copy(s.cells[at:s.bottom+1], s.cells[at+1:s.bottom+1])
		s.cells[s.bottom] = s.blankLine()
	}
}

func (s *vtScreen) insertLines(at, n int) {
	for range min(n, s.bottom-at+1) {
		copy(s.cells[at+1:s.bottom+1], s.cells[at:s.bottom])
		s.cells[at] = s.blankLine()
	}
}

func (s *vtScreen) erase(y, from, to int) {
	for x := max(from, 0); x < min(to, s.cols); x++ {
		s.cells[y][x] = ' '
	}
}

func (s *vtScreen) csi(cmd ansi.Cmd, params ansi.Params) {
	n := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		if v == 0 && def > 0 {
			return def
		}
		return v
	}
	if cmd.Prefix() == '?' {
		on := cmd.Final() == 'h'
		if cmd.Final() != 'h' && cmd.Final() != 'l' {
			return
		}
		for i := range params {
			switch m := n(i, 0); m {
			case 7:
				s.autowrap = on
			case 47, 1047, 1049:
				if on && s.main == nil {
					s.main, s.cells = s.cells, s.blank()
				} else if !on && s.main != nil {
					s.cells, s.main = s.main, nil
				}
			}
		}
		return
	}
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		return
	}
	switch cmd.Final() {
	case 'A':
		s.moveTo(s.x, s.y-n(0, 1))
	case 'B', 'e':
		s.moveTo(s.x, s.y+n(0, 1))
	case 'C', 'a':
		s.moveTo(s.x+n(0, 1), s.y)
	case 'D':
		s.moveTo(s.x-n(0, 1), s.y)
	case 'E':
		s.moveTo(0, s.y+n(0, 1))
	case 'F':
		s.moveTo(0, s.y-n(0, 1))
	case 'G', '`':
		s.moveTo(n(0, 1)-1, s.y)
	case 'd':
		s.moveTo(s.x, n(0, 1)-1)
	case 'H', 'f':
		s.moveTo(n(1, 1)-1, n(0, 1)-1)
	case 'J':
		switch n(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.cols)
			for y := s.y + 1; y < s.rows; y++ {
				s.erase(y, 0, s.cols)
			}
		case 1:
			s.erase(s.y, 0, s.x+1)
			for y := 0; y < s.y; y++ {
				s.erase(y, 0, s.cols)
			}
		default:
			s.cells = s.blank()
		}
	case 'K':
		switch n(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.cols)
		case 1:
			s.erase(s.y, 0, s.x+1)
		default:
			s.erase(s.y, 0, s.cols)
		}
	case 'X':
		s.erase(s.y, s.x, s.x+n(0, 1))
	case '@':
		row, k := s.cells[s.y], min(n(0, 1), s.cols-s.x)
		copy(row[s.x+k:], row[s.x:])
		s.erase(s.y, s.x, s.x+k)
	case 'P':
		row, k := s.cells[s.y], min(n(0, 1), s.cols-s.x)
		copy(row[s.x:], row[s.x+k:])
		s.erase(s.y, s.cols-k, s.cols)
	case 'L':
		if s.y >= s.top && s.y <= s.bottom {
			s.insertLines(s.y, n(0, 1))
		}
	case 'M':
		if s.y >= s.top && s.y <= s.bottom {
			s.deleteLines(s.y, n(0, 1))
		}
	case 'S':
		s.scrollUp(n(0, 1))
	case 'T':
		s.insertLines(s.top, n(0, 1))
	case 'b':
		for range n(0, 1) {
			s.print(s.last)
		}
	case 'r':
		s.top, s.bottom = n(0, 1)-1, n(1, s.rows)-1
		if s.top >= s.bottom || s.bottom >= s.rows {
			s.top, s.bottom = 0, s.rows-1
		}
		s.moveTo(0, 0)
	case 's':
		s.savedX, s.savedY = s.x, s.y
	case 'u':
		s.moveTo(s.savedX, s.savedY)
	}
}

func (s *vtScreen) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // character sets and the like
	}
	switch cmd.Final() {
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.moveTo(s.savedX, s.savedY)
	case 'D':
		s.lineFeed()
	case 'E':
		s.moveTo(0, s.y)
		s.lineFeed()
	case 'M':
		if s.y == s.top {
			s.insertLines(s.top, 1)
		} else {
			s.moveTo(s.x, s.y-1)
		}
	case 'c':
		s.cells, s.main, s.autowrap, s.top, s.bottom = s.blank(), nil, true, 0, s.rows-1
		s.moveTo(0, 0)
	}
}

// The screen the keystroke tests wait on draws what a terminal would.
func TestVTScreen(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lines", "ab\r\ncd", "ab\ncd"},
		{"a line feed keeps the column", "ab\ncd", "ab\n  cd"},
		{"cursor position and erase to the end", "hello\x1b[1;3HY\x1b[K", "heY"},
		{"erase the screen", "old\r\nlines\x1b[2J\x1b[Hnew", "new"},
		{"repeat and erase characters", "a\x1b[3b\x1b[1;2H\x1b[2X", "a  a"},
		{"colours are not text", "\x1b[1;38;5;241mbold\x1b[m", "bold"},
		{"wrap at the last column", "0123456789ab", "0123456789\nab"},
		{"no wrap with DECAWM off", "\x1b[?7l0123456789ab", "012345678b"},
		{"scroll at the bottom", "1\r\n2\r\n3\r\n4", "2\n3\n4"},
		{"the alternate screen", "main\x1b[?1049halt\x1b[?1049l", "main"},
		{"up, and erase below", "a\r\nb\r\nc\x1b[2A\r\x1b[J", ""},
		{"delete and insert characters", "abcd\x1b[1;2H\x1b[P\x1b[1;1H\x1b[@", " acd"},
		{"wide characters", "✓ 宽x", "✓ 宽x"},
		{"OSC is not text", "\x1b]0;title\x07ok", "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newVTScreen(10, 3)
			_, err := s.Write([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.text())
		})
	}
}
