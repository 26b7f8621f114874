package intake_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// refRow is one row as encoding/csv alone reads it: its line, and its
// cells or the fact that it cannot be read.
type refRow struct {
	line  int
	cells []string
	bad   bool
}

// referenceRows reads in with encoding/csv alone, the way the CSV reader
// must agree with: a row that cannot be read takes up its first line, and
// reading goes on at the line after it. The first row is the header.
func referenceRows(in []byte, delim rune) []refRow {
	in = bytes.TrimPrefix(in, []byte("\xef\xbb\xbf"))
	var out []refRow
	base := 0
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
// one byte and cutting blocks of blockSize bytes, and compares each
// record with what encoding/csv alone reads.
func checkAgainstReference(t *testing.T, in []byte, blockSize int) {
	defer intake.SetBlockSize(blockSize)()
	c := &intake.CSV{Name: "f.csv"}
	var recs []intake.Record
	for rec, err := range c.Records(iotest.OneByteReader(bytes.NewReader(in))) {
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	ref := referenceRows(in, c.Delimiter)
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
	seen := map[string]bool{}
	for _, h := range header {
		h = strings.TrimSpace(h)
		if h != "" && seen[h] || !utf8.ValidString(h) {
			return // a header the reader refuses, tested elsewhere
		}
		seen[h] = true
	}
	ref = ref[1:]
	require.Len(t, recs, len(ref), "%q: one record per row", in)
	for i, want := range ref {
		got := recs[i]
		require.Equal(t, fmt.Sprintf("f.csv:%d", want.line), got.Source, "%q: record %d", in, i)
		valid := true // in the columns read: those with a header
		for j, cell := range want.cells {
			valid = valid && (j >= len(header) || strings.TrimSpace(header[j]) == "" || utf8.ValidString(cell))
		}
		if want.bad || len(want.cells) != len(header) || !valid {
			require.Error(t, got.Err, "%q: %s", in, got.Source)
			continue
		}
		require.NoError(t, got.Err, "%q: %s", in, got.Source)
		require.Equal(t, want.cells, got.Cells, "%q: %s", in, got.Source)
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
		{"quoted cells", "a,b\n\"1,x\",\"y\"\"z\"\n\"\",\"\"\n"},
		{"quoted newlines", "a,b\n\"1\r\n2\",\"3\n\n4\"\n5,6\n"},
		{"quoted carriage returns", "a,b\n\"1\r\",\"\r2\r\"\r\n5,6\n"},
		{"lone carriage returns", "a,b\n1\r,\r2\n\r\r\n5,6\r\r\n"},
		{"quote inside a cell", "a,b\n1,2\"3\n4,5\n"},
		{"text after a closing quote", "a,b\n\"1\"x,2\n4,5\n"},
		{"unclosed quote", "a,b\n1,\"2\n3,4\n5,6\n"},
		{"unclosed quote at the end", "a,b\n1,2\n3,\"4"},
		{"quote runs on, then breaks", "a,b\n1,\"2\n3,4\n5,\"6\"x\n7,8\n"},
		{"closing quote at the end", "a,b\n1,\"2\""},
		{"closing quote, carriage return at the end", "a,b\n1,\"2\"\r"},
		{"tab", "a\tb\n\"1\t2\"\t3\n"},
		{"header with quotes", "\"a,1\",b\n1,2\n"},
		{"broken header", "a,\"b\nc\n1,2\n"},
		{"empty", ""},
		{"only line ends", "\n\r\n\n"},
		{"BOM", "\xef\xbb\xbfa,b\n1,2\n"},
		{"invalid UTF-8", "a,b\n\xff,2\n3,4\n"},
		{"short and long rows", "a,b\n1\n1,2,3\n4,5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{1, 2, 3, 5, 8, 64 << 10} {
				checkAgainstReference(t, []byte(tt.in), size)
			}
		})
	}
}

// A generated file of a few thousand rows, with quoted cells, cut into
// blocks of several sizes.
func TestCSVBlocksOfGeneratedFile(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, intakegen.WriteCSV(&b, intakegen.New(7).Patients(3000), intakegen.CSVStyle{Comma: ';', CRLF: true}))
	in := b.Bytes()
	require.Contains(t, string(in), `"`)
	for _, size := range []int{100, 4096, 64 << 10} {
		checkAgainstReference(t, in, size)
	}
	// And with a broken quote a third of the way in.
	broken := append(bytes.Clone(in[:len(in)/3]), '"')
	broken = append(broken, in[len(in)/3:]...)
	for _, size := range []int{100, 64 << 10} {
		checkAgainstReference(t, broken, size)
	}
}

func FuzzCSVAgreesWithEncodingCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), uint8(0))
	f.Add([]byte("a;b\r\n\"1\r\n2\";\"3\"\"\"\r\n"), uint8(3))
	f.Add([]byte("a,b\n1,\"2\n3,4\n5,\"6\"x\n7,8\n"), uint8(2))
	f.Add([]byte("a\tb\n\n\"1\t2\"\t3\r"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, size uint8) {
		checkAgainstReference(t, in, 1+int(size)%16)
	})
}

// RecordAt reads again, from a block, the record Scan gave at a place.
func TestBlockRecordAt(t *testing.T) {
	in := "a;b\r\n1;2\r\n\r\n\"x\r\ny\";\"3;\"\"4\"\"\"\r\n5;6\r\n7\r\n8;9"
	defer intake.SetBlockSize(8)()
	c := &intake.CSV{Name: "f.csv"}
	n := 0
	for b, err := range c.Blocks(strings.NewReader(in)) {
		require.NoError(t, err)
		b.Scan(func(rec *intake.Record, pos intake.RowPos) {
			n++
			again := b.RecordAt(pos)
			require.Equal(t, rec.Source, again.Source)
			require.Equal(t, rec.Cells, again.Cells, rec.Source)
			require.Equal(t, rec.Err, again.Err, rec.Source)
		})
	}
	require.Equal(t, 5, n)
}

// FHIR NDJSON is cut into blocks of lines; a line holding a Bundle gives
// a record per entry, and RecordAt finds each of them again.
func TestFHIRBlocksRecordAt(t *testing.T) {
	nd, err := os.ReadFile("../../testdata/batch/patients.ndjson")
	require.NoError(t, err)
	bundle, err := os.ReadFile("../../testdata/batch/patients-bundle.json")
	require.NoError(t, err)
	var one bytes.Buffer
	require.NoError(t, json.Compact(&one, bundle))
	lines := bytes.SplitAfter(nd, []byte{'\n'})
	in := slices.Concat(lines[0], lines[1], one.Bytes(), []byte("\n\n"), lines[2], []byte(`{"resourceType": "Patient"}`+"\n"))

	want := collect(t, intake.FHIR("p.ndjson", bytes.NewReader(in)))
	require.Len(t, want, 3+20+1)
	assert.Equal(t, "p.ndjson:3", want[2].Source)
	assert.Equal(t, "p.ndjson:5", want[23-1].Source)
	for _, size := range []int{1, 300, 64 << 10} {
		restore := intake.SetBlockSize(size)
		var got []intake.Record
		for b, err := range intake.FHIRBlocks("p.ndjson", bytes.NewReader(in)) {
			require.NoError(t, err)
			b.Scan(func(rec *intake.Record, pos intake.RowPos) {
				got = append(got, *rec)
				again := b.RecordAt(pos)
				require.Equal(t, rec.Source, again.Source)
				require.Equal(t, rec.Fields, again.Fields, rec.Source)
				require.Equal(t, rec.Err, again.Err, rec.Source)
			})
		}
		restore()
		require.Len(t, got, len(want), "blocks of %d bytes", size)
		for i := range want {
			assert.Equal(t, want[i].Source, got[i].Source)
			assert.Equal(t, want[i].Fields, got[i].Fields, want[i].Source)
		}
	}
}

// A Bundle spread over lines is cut into runs of its entries, decoded when
// a block is scanned: the same records, in the same order, as read one by
// one, whatever the size of the blocks, with bad entries and a record read
// on its own (the non-Bundle after it) in their places.
func TestFHIRBundleBlocks(t *testing.T) {
	var buf bytes.Buffer
	ps := intakegen.New(5).Patients(40)
	require.NoError(t, intakegen.WriteBundle(&buf, ps))
	bundle := bytes.Replace(buf.Bytes(), []byte(`"entry": [`), []byte(`"entry": [5, {"resource": {"resourceType": "Patient"}},`), 1)
	in := slices.Concat(bundle, []byte("\n{\"resourceType\":\n\"Observation\"}\n"))

	var want []intake.Record
	for _, size := range []int{1, 300, 64 << 10} {
		restore := intake.SetBlockSize(size)
		var got []intake.Record
		blocks := 0
		for b, err := range intake.FHIRBlocks("b.json", bytes.NewReader(in)) {
			require.NoError(t, err)
			blocks++
			b.Scan(func(rec *intake.Record, pos intake.RowPos) {
				got = append(got, *rec)
				again := b.RecordAt(pos)
				require.Equal(t, rec.Source, again.Source)
				require.Equal(t, rec.Fields, again.Fields, rec.Source)
				require.Equal(t, rec.Err, again.Err, rec.Source)
			})
		}
		restore()
		require.Len(t, got, 2+len(ps)+1, "blocks of %d bytes", size)
		if size == 64<<10 {
			assert.Less(t, blocks, 10, "entries come in blocks of many")
		}
		if want == nil {
			want = got
			assert.Contains(t, got[0].Err.Error(), "Bundle entry 0: the value is a number")
			assert.Contains(t, got[1].Err.Error(), "Bundle entry 1: found a resource of type Patient")
			for i := range ps {
				require.NoError(t, got[2+i].Err)
				assert.Equal(t, ps[i].ID, got[2+i].FieldMap()["patient_id"])
			}
			assert.Contains(t, got[len(got)-1].Err.Error(), "found a resource of type Observation")
			continue
		}
		for i := range want {
			assert.Equal(t, want[i].Source, got[i].Source)
			assert.Equal(t, want[i].Fields, got[i].Fields, want[i].Source)
		}
	}
}
