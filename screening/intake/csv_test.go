package intake_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// refRow is one row as encoding/csv alone reads it: its line, and its
// cells or the fact that it cannot be read.
type refRow struct {
	line  int
	cells []string
	bad   bool
}

// referenceText is in as the CSV reader reads it, the plain way: decoded
// whole (a UTF-16 byte order mark's word, else UTF-8 when it is UTF-8 and
// Windows-1252 when it is not), every line end as "\n", and a first line
// "sep=X" taken out; with X, and the lines taken out.
func referenceText(in []byte) (text []byte, sep rune, lines int) {
	switch {
	case bytes.HasPrefix(in, []byte("\xef\xbb\xbf")):
		in = in[3:]
	case bytes.HasPrefix(in, []byte("\xff\xfe")), bytes.HasPrefix(in, []byte("\xfe\xff")):
		in, _ = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(in)
	case !utf8.Valid(in):
		in, _ = charmap.Windows1252.NewDecoder().Bytes(in)
	}
	in = bytes.ReplaceAll(bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	if first, rest, ok := bytes.Cut(in, []byte("\n")); ok && len(first) == 5 && strings.EqualFold(string(first[:4]), "sep=") &&
		first[4] != '"' && first[4] != ' ' && first[4] < utf8.RuneSelf {
		return rest, rune(first[4]), 1
	}
	return in, 0, 0
}

// referenceRows reads in with encoding/csv alone, the way the CSV reader
// must agree with: a row that cannot be read takes up its first line, and
// reading goes on at the line after it. The first row is the header.
func referenceRows(in []byte, delim rune, base int) []refRow {
	var out []refRow
	for {
		cr := csv.NewReader(bytes.NewReader(in))
		cr.Comma = delim
		cr.FieldsPerRecord = -1
		restart := false
		for !restart {
			row, err := cr.Read()
			var pe *csv.ParseError
			switch {
			case errors.Is(err, io.EOF):
				return out
			case errors.As(err, &pe):
				out = append(out, refRow{line: base + pe.StartLine, bad: true})
				// Skip the row's first line.
				skip := 0
				for range pe.StartLine {
					j := bytes.IndexByte(in[skip:], '\n')
					if j < 0 {
						return out
					}
					skip += j + 1
				}
				in, base, restart = in[skip:], base+pe.StartLine, true
			case err != nil:
				panic(err)
			default:
				line, _ := cr.FieldPos(0)
				out = append(out, refRow{line: base + line, cells: row})
			}
		}
	}
}

// checkAgainstReference reads in with the CSV reader, through reads of
// one byte when oneByte is set, and compares each record with what
// encoding/csv alone reads.
func checkAgainstReference(t *testing.T, in []byte, oneByte bool) {
	var r io.Reader = bytes.NewReader(in)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	c := &intake.CSV{Name: "f.csv"}
	var recs []intake.Record
	for rec, err := range c.Records(r) {
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	text, sep, lines := referenceText(in)
	if sep != 0 {
		require.Equal(t, sep, c.Delimiter, "%q", in)
	}
	ref := referenceRows(text, c.Delimiter, lines)
	if len(ref) == 0 {
		require.Empty(t, recs, "%q", in)
		return
	}
	if ref[0].bad {
		require.Len(t, recs, 1, "%q: one record for a header that cannot be read", in)
		require.Error(t, recs[0].Err)
		require.Equal(t, fmt.Sprintf("f.csv:%d", ref[0].line), recs[0].Source)
		return
	}
	header := ref[0].cells
	columns := map[string][]int{} // the columns of each field
	for j, h := range header {
		if h = strings.TrimSpace(h); h != "" {
			columns[h] = append(columns[h], j)
		}
	}
	// A row whose every cell is empty or white space is skipped, and its
	// line noted.
	var rows []refRow
	var blank []int
	for _, r := range ref[1:] {
		if !r.bad && strings.TrimSpace(strings.Join(r.cells, "")) == "" {
			blank = append(blank, r.line)
			continue
		}
		rows = append(rows, r)
	}
	ref = rows
	assert.Equal(t, blank, c.BlankRows, "%q: the blank rows", in)
	require.Len(t, recs, len(ref), "%q: one record per row but blank ones", in)
	for i, want := range ref {
		got := recs[i]
		assert.Equal(t, fmt.Sprintf("f.csv:%d", want.line), got.Source, "%q: record %d", in, i)
		valid := true // in the columns read: those with a header
		for j, cell := range want.cells {
			valid = valid && (j >= len(header) || strings.TrimSpace(header[j]) == "" || utf8.ValidString(cell))
		}
		if want.bad || len(want.cells) != len(header) || !valid {
			assert.Error(t, got.Err, "%q: %s", in, got.Source)
			continue
		}
		if !assert.NoError(t, got.Err, "%q: %s", in, got.Source) {
			continue
		}
		// An empty or blank cell is a missing answer, left out; a field
		// of more than one column is every cell of it.
		fields := map[string]any{}
		for h, cols := range columns {
			if len(cols) > 1 {
				c := screening.Conflict{}
				for _, j := range cols {
					c = append(c, want.cells[j])
				}
				fields[h] = c
			} else if cell := want.cells[cols[0]]; strings.TrimSpace(cell) != "" {
				fields[h] = cell
			}
		}
		assert.Equal(t, fields, got.FieldMap(), "%q: %s", in, got.Source)
		assert.Len(t, got.Fields, len(fields), "%q: %s: each field once", in, got.Source)
	}
}

func TestCSVAgreesWithEncodingCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"plain", "a,b\n1,2\n3,4\n"},
		{"no final line end", "a,b\n1,2\n3,4"},
		{"final carriage return", "a,b\n1,2\n3,4\r"},
		{"CRLF", "a;b\r\n1;2\r\n3;4\r\n"},
		{"empty lines", "a,b\n\n1,2\r\n\r\n\n3,4\n\n"},
		{"empty and blank cells", "a,b,c\n,2, \n1,,\n"},
		{"blank rows", "a,b,c\n,,\n1,2,3\n , \t,\n\"\",\" \",\"\"\n4,5,6\n,\n \n"},
		{"quoted cells", "a,b\n\"1,x\",\"y\"\"z\"\n\"\",\"\"\n"},
		{"quoted newlines", "a,b\n\"1\r\n2\",\"3\n\n4\"\n5,6\n"},
		{"quoted newlines, CRLF, blank line, no final line end", "a;b\r\n1;2\r\n\r\n\"x\r\ny\";\"3;\"\"4\"\"\"\r\n5;6\r\n7\r\n8;9"},
		{"quoted carriage returns", "a,b\n\"1\r\",\"\r2\r\"\r\n5,6\n"},
		{"lone carriage returns", "a,b\n1\r,\r2\n\r\r\n5,6\r\r\n"},
		{"quote inside a cell", "a,b\n1,2\"3\n4,5\n"},
		{"text after a closing quote", "a,b\n\"1\"x,2\n4,5\n"},
		{"unclosed quote", "a,b\n1,\"2\n3,4\n5,6\n"},
		{"unclosed quote at the end", "a,b\n1,2\n3,\"4"},
		{"quote runs on, then breaks", "a,b\n1,\"2\n3,4\n5,\"6\"x\n7,8\n"},
		{"broken rows after blank lines", "a,b\n\n\n1,\"2\n\n3,4\n\r\n5\"6,7\n8,9\n"},
		{"closing quote at the end", "a,b\n1,\"2\""},
		{"closing quote, carriage return at the end", "a,b\n1,\"2\"\r"},
		{"tab", "a\tb\n\"1\t2\"\t3\n"},
		{"header with quotes", "\"a,1\",b\n1,2\n"},
		{"header after blank lines", "\n\r\na,b\n1,2\n"},
		{"broken header", "a,\"b\nc\n1,2\n"},
		{"header given twice", "a,b,a\n1,2,3\n"},
		{"header not UTF-8", "a,\xff\n1,2\n"},
		{"column without a header", "a,,b\n1,2,3\n"},
		{"empty", ""},
		{"only line ends", "\n\r\n\n"},
		{"BOM", "\xef\xbb\xbfa,b\n1,2\n"},
		{"invalid UTF-8", "a,b\n\xff,2\n3,4\n"},
		{"short and long rows", "a,b\n1\n1,2,3\n4,5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAgainstReference(t, []byte(tt.in), false)
			checkAgainstReference(t, []byte(tt.in), true)
		})
	}
}

// A generated file of a few thousand rows, with quoted cells, read whole
// and a byte at a time.
func TestCSVGeneratedFile(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, intakegen.WriteCSV(&b, intakegen.New(7).Patients(3000), intakegen.CSVStyle{Comma: ';', CRLF: true}))
	in := b.Bytes()
	require.Contains(t, string(in), `"`)
	checkAgainstReference(t, in, false)
	checkAgainstReference(t, in, true)
	// And with a broken quote a third of the way in.
	broken := append(bytes.Clone(in[:len(in)/3]), '"')
	broken = append(broken, in[len(in)/3:]...)
	checkAgainstReference(t, broken, false)
	checkAgainstReference(t, broken, true)
}

// The reader agrees with encoding/csv: on input encoding/csv reads
// without error, the same rows, cells and lines; at a row it cannot
// read, one record, and the rows after it as encoding/csv reads them from
// the line after that row's first.
func FuzzCSVAgreesWithEncodingCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), uint8(0))
	f.Add([]byte("a;b\r\n\"1\r\n2\";\"3\"\"\"\r\n"), uint8(3))
	f.Add([]byte("a,b\n1,\"2\n3,4\n5,\"6\"x\n7,8\n"), uint8(2))
	f.Add([]byte("a\tb\n\n\"1\t2\"\t3\r"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, mode uint8) {
		checkAgainstReference(t, in, mode&1 == 1)
	})
}
