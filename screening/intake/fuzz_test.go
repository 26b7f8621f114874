package intake_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// The fuzz targets build a file of n rows from generated patients, let the
// fuzzer rewrite cells (and, for CSV, break one quote), and check that:
// nothing panics; there is one record per row, in order; and no record
// missing a required answer is eligible.

// checkInOrder fails unless the records of file name come in the order of
// their lines: each on a later line than the one before, or the same line
// when sameLine allows it (the entries of a Bundle on one line).
func checkInOrder(t *testing.T, name string, recs []intake.Record, sameLine bool) {
	last := 0
	for _, rec := range recs {
		n, err := strconv.Atoi(strings.TrimPrefix(rec.Source, name+":"))
		require.NoError(t, err, "source %q", rec.Source)
		if sameLine {
			require.GreaterOrEqual(t, n, last, "%s after line %d", rec.Source, last)
		} else {
			require.Greater(t, n, last, "%s after line %d", rec.Source, last)
		}
		last = n
	}
}

// spliceCells writes the fuzzer's pieces (split at NUL) over the cells.
func spliceCells(rows [][]string, data []byte, clean func(string) string) {
	for j, piece := range bytes.Split(data, []byte{0}) {
		if len(data) == 0 {
			return
		}
		row := rows[j%len(rows)]
		row[(j*7+3)%len(row)] = clean(string(piece))
	}
}

func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// checkNoEligibleMissing fails if a record lacking a required answer is
// eligible. The record's own fields are what count, since a row the reader
// could not read has none.
func checkNoEligibleMissing(t *testing.T, rs *rules.RuleSet, recs []intake.Record) {
	for _, rec := range recs {
		res := screen(rs, rec)
		if res.Verdict != rules.Eligible {
			continue
		}
		require.NoError(t, rec.Err, "%s: an unreadable record is eligible", rec.Source)
		for _, q := range rs.Questions {
			if !q.Required || q.When != "" {
				continue
			}
			v, ok := rec.FieldMap()[q.ID]
			require.True(t, ok, "%s: eligible without an answer to %s", rec.Source, q.ID)
			_, twice := v.(screening.Conflict)
			require.False(t, twice, "%s: eligible with %s given twice", rec.Source, q.ID)
			if s, isText := v.(string); isText {
				require.NotEmpty(t, strings.TrimSpace(s), "%s: eligible with an empty %s", rec.Source, q.ID)
			}
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte(""), uint8(0), uint16(0))
	f.Add([]byte("yes\x00\x0040\x00not sure"), uint8(2), uint16(9))
	f.Add([]byte("\"\x00a,b\x00x;y\x00\xff\xfe"), uint8(1), uint16(40))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00"), uint8(5), uint16(77))
	f.Add([]byte("face;neck\x00unsure\x00-1\x00121"), uint8(3), uint16(120))
	f.Add([]byte("caf\xe9\x00yes"), uint8(1<<5), uint16(7))
	f.Add([]byte("\u00e9\x00no"), uint8(2<<5|16), uint16(7))
	f.Add([]byte("yes\x00no"), uint8(3<<5|8), uint16(7))
	f.Add([]byte("x\x00y"), uint8(4<<5|1), uint16(30))
	rs := defaultRules(f)
	f.Fuzz(func(t *testing.T, data []byte, mode uint8, at uint16) {
		ps := intakegen.New(3).Patients(1 + len(data)%4)
		rows := make([][]string, len(ps))
		for i := range ps {
			rows[i] = ps[i].Values()
		}
		broken := mode&1 == 1
		spliceCells(rows, data, func(s string) string {
			s = oneLine(s)
			if broken {
				// One stray quote is the breakage under test; quotes from
				// the fuzzer would make a second one.
				s = strings.ReplaceAll(s, `"`, "")
			}
			return s
		})
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = []rune{',', ';', '\t'}[int(mode>>1)%3]
		w.UseCRLF = mode&8 != 0
		if mode&16 != 0 {
			fmt.Fprintf(&b, "sep=%c\n", w.Comma)
		}
		w.Write(intakegen.Fields)
		require.NoError(t, w.WriteAll(rows))
		w.Flush()
		in := b.Bytes()
		switch mode >> 5 {
		case 1: // CR alone, as Excel's "CSV (Macintosh)"
			in = bytes.ReplaceAll(bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r"))
		case 2: // mixed: every other line end a CR
			in = mixLineEnds(in)
		case 3: // UTF-16LE with a byte order mark
			in = toUTF16(in)
		case 4: // Windows-1252 bytes in the cells
			in = bytes.ReplaceAll(in, []byte("o"), []byte("\xf6"))
		}
		if broken && mode>>5 != 3 {
			// A quote anywhere after the header.
			lineEnd := func(from int) int {
				i := from + bytes.IndexAny(in[from:], "\r\n")
				if in[i] == '\r' && i+1 < len(in) && in[i+1] == '\n' {
					i++
				}
				return i + 1
			}
			hdr := lineEnd(0)
			if mode&16 != 0 { // past the sep= line too
				hdr = lineEnd(hdr)
			}
			if body := len(in) - hdr; body > 0 {
				p := hdr + int(at)%body
				if in[p-1] == '\r' && in[p] == '\n' {
					p-- // not between the CR and LF of a line end, which would make a line of its own
				}
				in = append(in[:p:p], append([]byte{'"'}, in[p:]...)...)
			}
		}
		c := &intake.CSV{Name: "f.csv", Keep: func(h string) bool { return rs.Index(h) >= 0 }}
		var recs []intake.Record
		for rec, err := range c.Records(bytes.NewReader(in)) {
			require.NoError(t, err)
			recs = append(recs, rec)
		}
		// One record per row, but for rows whose every cell is empty or
		// white space, which are skipped (a stray quote may make one a
		// row that cannot be read, and so a record).
		blank := 0
		for _, row := range rows {
			if strings.TrimSpace(strings.Join(row, "")) == "" {
				blank++
			}
		}
		require.GreaterOrEqual(t, len(recs), len(rows)-blank, "one record per row but blank ones in %q", in)
		require.LessOrEqual(t, len(recs), len(rows), "one record per row in %q", in)
		checkInOrder(t, "f.csv", recs, false)
		checkNoEligibleMissing(t, rs, recs)
	})
}

// mixLineEnds makes every other line end of in a lone CR.
func mixLineEnds(in []byte) []byte {
	var out []byte
	for i, line := range bytes.SplitAfter(in, []byte("\n")) {
		if i%2 == 1 && len(line) > 0 {
			line = append(bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r")), '\r')
		}
		out = append(out, line...)
	}
	return out
}

// toUTF16 is in, as UTF-8, in UTF-16LE with a byte order mark; bytes that
// are not UTF-8 become U+FFFD, as any encoder would write them.
func toUTF16(in []byte) []byte {
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(bytes.ToValidUTF8(in, []byte("\ufffd")))
	if err != nil {
		panic(err)
	}
	return out
}

func FuzzMapping(f *testing.F) {
	shipped, err := os.ReadFile("../../testdata/examples/google-forms-mapping.yaml")
	require.NoError(f, err)
	f.Add(shipped, []byte(""))
	f.Add(shipped, []byte("Yes\x00Not sure\x00Face, Neck, Elbow\x00\x00No"))
	f.Add([]byte("kind: mesoscreen.mapping\ncolumns:\n  - {header: \"Are you breastfeeding?\", field: breastfeeding, separator: \", \"}\n"), []byte("Yes, No"))
	f.Add([]byte("kind: mesoscreen.mapping\nvalues: {\"Yes\": \"no\"}\ncolumns: [{header: x, field: age}]\n"), []byte("\xff"))
	f.Add([]byte("{"), []byte(","))
	f.Add([]byte("kind: mesoscreen.mapping\ncolumns:\n  - field: treatment_areas\n    ticked: \"Yes\"\n    unticked: [\"No\"]\n    choices: [{header: \"Which areas do you want treated?\", value: face}, {header: \"Are you breastfeeding?\", value: neck}]\n"), []byte("Yes\x00No\x00Maybe"))
	rs := defaultRules(f)
	known := func(id string) bool { return rs.Index(id) >= 0 }
	fallback, err := intake.ParseMapping("shipped.yaml", shipped, known)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, mapping, data []byte) {
		m, err := intake.ParseMapping("m.yaml", mapping, known)
		if err != nil {
			m = fallback
		}
		ps := intakegen.New(5).Patients(1 + len(data)%4)
		var b bytes.Buffer
		require.NoError(t, intakegen.WriteForms(&b, ps))
		r := csv.NewReader(&b)
		all, err := r.ReadAll()
		require.NoError(t, err)
		header, rows := all[0], all[1:]
		spliceCells(rows, data, func(s string) string { return s })
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(header)
		require.NoError(t, w.WriteAll(rows))
		c := &intake.CSV{Name: "export.csv", Mapping: m}
		var recs []intake.Record
		for rec, err := range c.Records(&out) {
			require.NoError(t, err)
			recs = append(recs, rec)
		}
		require.Len(t, recs, len(rows))
		checkInOrder(t, "export.csv", recs, false)
		checkNoEligibleMissing(t, rs, recs)
	})
}

func FuzzFHIR(f *testing.F) {
	f.Add([]byte(""), uint8(0))
	f.Add([]byte(`{"resourceType":"Patient"}`), uint8(1))
	f.Add([]byte(`{"resourceType":"QuestionnaireResponse","item":[{"linkId":"age","answer":[{"valueDecimal":40.5}]}]}`), uint8(2))
	f.Add([]byte(`{"resourceType":"QuestionnaireResponse","item":[{"linkId":"pregnant","answer":[]}]}`), uint8(3))
	f.Add([]byte(`{"item":[{"linkId":"x","answer":[{"item":[{"linkId":"age"}]}]}]`), uint8(4))
	f.Add([]byte("\xff{"), uint8(5))
	rs := defaultRules(f)
	f.Fuzz(func(t *testing.T, data []byte, at uint8) {
		// Any bytes at all: no panic, and only read errors stop the reader.
		for _, err := range intake.FHIR("raw.json", bytes.NewReader(data)) {
			require.NoError(t, err)
		}
		// NDJSON of generated responses with one line replaced by the
		// fuzzer's: one record per line.
		ps := intakegen.New(9).Patients(3)
		var lines [][]byte
		for i := range ps {
			b, err := json.Marshal(intakegen.Response(&ps[i], i))
			require.NoError(t, err)
			lines = append(lines, b)
		}
		line := bytes.TrimSpace([]byte(oneLine(string(data))))
		if len(line) > 0 {
			lines[int(at)%len(lines)] = line
		}
		// The fuzzer's byte also doubles a key, or repeats a linkId with
		// another answer, in another line.
		if k := (int(at) + 1) % len(lines); k != int(at)%len(lines) || len(line) == 0 {
			lines[k] = doubleAnswer(lines[k], at)
		}
		var recs []intake.Record
		for rec, err := range intake.FHIR("r.ndjson", bytes.NewReader(bytes.Join(lines, []byte("\n")))) {
			require.NoError(t, err)
			recs = append(recs, rec)
		}
		var probe struct{ ResourceType string }
		bundle := json.Unmarshal(line, &probe) == nil && probe.ResourceType == "Bundle"
		if !bundle && (int(at)%len(lines) != 0 || len(line) == 0 || json.Valid(line) && line[0] == '{') {
			// NDJSON is recognised by its first line; with that line
			// replaced by something other than an object, the file is one
			// (bad) value. A Bundle on one line holds as many records as
			// it has entries.
			require.Len(t, recs, len(lines))
			checkInOrder(t, "r.ndjson", recs, false)
		}
		checkNoEligibleMissing(t, rs, recs)
	})
}

// doubleAnswer gives a required answer of a response twice: a
// value[x] key twice, an "answer" twice, or the linkId again with the
// other answer.
func doubleAnswer(line []byte, at uint8) []byte {
	code := []byte(`{"valueCoding":{"code":"no"}}`)
	i := bytes.Index(line, code)
	if i < 0 {
		return line
	}
	switch at % 3 {
	case 0:
		return slices.Concat(line[:i], []byte(`{"valueBoolean":true,"valueBoolean":false}`), line[i+len(code):])
	case 1:
		end := i + len(code) + 1 // past the answer's ]
		return slices.Concat(line[:end], []byte(`,"answer":[{"valueCoding":{"code":"yes"}}]`), line[end:])
	}
	start := bytes.LastIndex(line[:i], []byte(`{"linkId"`))
	end := i + len(code) + 2 // past the item's }
	item := bytes.Replace(bytes.Clone(line[start:end]), []byte(`"no"`), []byte(`"yes"`), 1)
	return slices.Concat(line[:end], []byte(","), item, line[end:])
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(""), uint8(0))
	f.Add([]byte(`{"patient_id": "A", "pregnant": "no", "pregnant": "yes"}`), uint8(1))
	f.Add([]byte(`{"kind": "mesoscreen.record", "answers": {"patient_id": "A"}}`), uint8(2))
	f.Add([]byte(`[{"age": 1e400}, 7, {"age": "x"}`), uint8(0))
	f.Add([]byte("{\"medications\": \"caf\xe9\"}"), uint8(4))
	f.Add([]byte(`{"age": 40,}`), uint8(5))
	rs := defaultRules(f)
	f.Fuzz(func(t *testing.T, data []byte, at uint8) {
		// Any bytes at all: no panic, and only read errors stop the reader.
		for _, err := range intake.JSON("raw.json", bytes.NewReader(data)) {
			require.NoError(t, err)
		}
		// JSON Lines of generated patients with one line replaced by the
		// fuzzer's: one record per line, each on its line.
		var b bytes.Buffer
		require.NoError(t, intakegen.WriteJSONL(&b, intakegen.New(9).Patients(3)))
		lines := bytes.Split(bytes.TrimSuffix(b.Bytes(), []byte("\n")), []byte("\n"))
		line := bytes.TrimSpace([]byte(oneLine(string(data))))
		i := int(at) % len(lines)
		if len(line) > 0 {
			lines[i] = line
		}
		// And a required answer given twice in another line.
		if k := (i + 1) % len(lines); k != i {
			lines[k] = bytes.Replace(lines[k], []byte(`"stroke":`), []byte(`"stroke":"yes","stroke":`), 1)
		}
		recs := collect(t, intake.JSON("r.jsonl", bytes.NewReader(bytes.Join(lines, []byte("\n")))))
		if i != 0 || len(line) == 0 || json.Valid(line) && line[0] == '{' {
			// JSON Lines are recognised by their first line, as in FuzzFHIR.
			require.Len(t, recs, len(lines))
			for j, rec := range recs {
				require.Equal(t, "r.jsonl:"+strconv.Itoa(j+1), rec.Source)
			}
		}
		checkNoEligibleMissing(t, rs, recs)
	})
}

// FuzzJSONSyntaxMessages: a line that is not JSON is said in our own
// words, what was found and what JSON allows there, never in the
// decoder's, and never as the last resort for a problem not located.
func FuzzJSONSyntaxMessages(f *testing.F) {
	for _, s := range []string{`{"age": 40,}`, `{"a" "b"}`, `{"a": tru}`, `[1, 2`, `{"a": "\q"}`, `{"a": [1,}`, `{"a":1}}`, "{\"a\": \"\x01\"}", `{"a": {"b": [1 2]}}`, `{"a": -01}`, `{"a": "\u12"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		line := []byte(oneLine(string(data)))
		for rec, err := range intake.JSONLines("f.jsonl", bytes.NewReader(line)) {
			require.NoError(t, err)
			if rec.Err == nil {
				continue
			}
			msg := rec.Err.Error()
			require.NotContains(t, msg, "jsontext", "%q", line)
			require.NotContains(t, msg, "expected valid JSON", "%q", line)
		}
	})
}
