package intake

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the text encoding of an input file.
type Encoding string

// The encodings an input may be read in.
const (
	// EncodingAuto takes a byte order mark's word (UTF-8, UTF-16LE or
	// UTF-16BE) and else reads UTF-8; for a table, Windows-1252 when the
	// bytes are not UTF-8.
	EncodingAuto Encoding = "auto"
	UTF8         Encoding = "utf-8"
	UTF16        Encoding = "utf-16" // little-endian unless a byte order mark says otherwise
	Windows1252  Encoding = "windows-1252"
	Latin1       Encoding = "latin-1"
)

// Encodings lists the encodings by name.
var Encodings = []Encoding{UTF8, UTF16, Windows1252, Latin1, EncodingAuto}

// sniffSize is how much of a file, from its first byte that is not
// ASCII, tells UTF-8 from Windows-1252 in auto mode. Text in Windows-1252
// is almost never valid UTF-8 over more than a word or two.
const sniffSize = 64 << 10

// TextReader reads an input file as UTF-8 text, whatever its encoding,
// with every line end ("\r\n", a lone "\r" as old Mac and Excel "CSV
// (Macintosh)" write, "\n") as "\n", and without a byte order mark.
type TextReader struct {
	br    *bufio.Reader
	r     io.Reader // once the encoding is known
	want  Encoding
	guess bool   // auto may take Windows-1252
	used  string // the encoding read in, in words; "" until known
	cr    bool   // the last byte handed out ended a "\r"
	start bool   // the byte order mark has been looked for
}

// NewTextReader reads r in encoding enc ("" is EncodingAuto). guess lets
// auto mode take Windows-1252 for bytes that are not UTF-8: right for a
// table a spreadsheet wrote, never for JSON, which is UTF-8 by its
// standard.
func NewTextReader(r io.Reader, enc Encoding, guess bool) *TextReader {
	if enc == "" {
		enc = EncodingAuto
	}
	return &TextReader{br: bufio.NewReaderSize(r, sniffSize), want: enc, guess: guess}
}

// Used names the encoding the text is read in, such as "UTF-8" or
// "Windows-1252 (the bytes are not UTF-8)", once known; "" before any
// byte that is not ASCII in auto mode.
func (t *TextReader) Used() string { return t.used }

// NotUTF8 reports whether the text was read in an encoding other than
// UTF-8, which a person should be told of.
func (t *TextReader) NotUTF8() bool { return t.used != "" && t.used != "UTF-8" }

func (t *TextReader) Read(p []byte) (int, error) {
	if !t.start {
		t.start = true
		t.begin()
	}
	for {
		var n int
		var err error
		if t.r != nil {
			n, err = t.r.Read(p)
		} else {
			n, err = t.ascii(p)
		}
		// A read of only the "\n" of a "\r\n" leaves nothing: read on.
		if n = t.lineEnds(p[:n]); n > 0 || err != nil {
			return n, err
		}
	}
}

// begin takes a byte order mark's word, or the encoding asked for.
func (t *TextReader) begin() {
	head, _ := t.br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) && (t.want == EncodingAuto || t.want == UTF8):
		_, _ = t.br.Discard(3) // peeked: it is there
		t.use(nil, "UTF-8")
	case bytes.HasPrefix(head, []byte("\xff\xfe")) && (t.want == EncodingAuto || t.want == UTF16):
		t.use(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "UTF-16LE")
	case bytes.HasPrefix(head, []byte("\xfe\xff")) && (t.want == EncodingAuto || t.want == UTF16):
		t.use(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "UTF-16BE")
	case t.want == UTF8:
		t.use(nil, "UTF-8")
	case t.want == UTF16:
		t.use(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE")
	case t.want == Windows1252:
		t.use(charmap.Windows1252, "Windows-1252")
	case t.want == Latin1:
		t.use(charmap.ISO8859_1, "Latin-1")
	}
}

// use reads on in enc (nil for UTF-8).
func (t *TextReader) use(enc encoding.Encoding, name string) {
	t.used = name
	if enc == nil {
		t.r = t.br
		return
	}
	t.r = transform.NewReader(t.br, enc.NewDecoder())
}

// ascii hands out the ASCII bytes before the first that is not, which
// read the same in every encoding auto mode chooses from; at that byte it
// chooses.
func (t *TextReader) ascii(p []byte) (int, error) {
	buf, err := t.br.Peek(max(1, min(len(p), t.br.Buffered())))
	if len(buf) == 0 {
		return 0, err
	}
	n := 0
	for n < len(buf) && buf[n] < utf8.RuneSelf {
		n++
	}
	if n > 0 {
		copy(p, buf[:n])
		_, _ = t.br.Discard(n) // peeked: it is there
		return n, nil
	}
	window, err := t.br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, err
	}
	if validUTF8(window, err == io.EOF) || !t.guess {
		t.use(nil, "UTF-8")
	} else {
		t.use(charmap.Windows1252, "Windows-1252 (the bytes are not UTF-8)")
	}
	return t.r.Read(p)
}

// validUTF8 reports whether b is UTF-8, but for a rune cut short at its
// end when the file goes on.
func validUTF8(b []byte, atEOF bool) bool {
	if !atEOF {
		for i := 0; i < utf8.UTFMax && i < len(b); i++ {
			if r := b[len(b)-1-i]; utf8.RuneStart(r) {
				if !utf8.FullRune(b[len(b)-1-i:]) {
					b = b[:len(b)-1-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// lineEnds rewrites the line ends of p in place, "\r\n" and a lone "\r"
// as "\n", and returns the length of what is left.
func (t *TextReader) lineEnds(p []byte) int {
	if !t.cr && bytes.IndexByte(p, '\r') < 0 {
		return len(p)
	}
	w := 0
	for _, c := range p {
		switch {
		case c == '\r':
			p[w] = '\n'
			w++
			t.cr = true
			continue
		case c == '\n' && t.cr:
			// the "\n" of a "\r\n", whose "\r" was the line end
		default:
			p[w] = c
			w++
		}
		t.cr = false
	}
	return w
}

// EncodingHint is what to tell a person whose file holds bytes that are
// not text in the encoding read: how to read it in another.
func EncodingHint(used string) string {
	if used == "" {
		used = "UTF-8"
	}
	return fmt.Sprintf("the file was read as %s; if it was saved in another encoding (Excel on Windows saves Windows-1252), run again with --encoding windows-1252, latin-1 or utf-16", used)
}
