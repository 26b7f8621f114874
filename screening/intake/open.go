package intake

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Options say how an input is read.
type Options struct {
	// RuleSet names the fields: a CSV column or a key that is no field
	// of it is ignored, and listed in Stats, and one that nearly names a
	// field stops the reading (see NearMissError). In a FHIR response, an
	// answer under a linkId that is no field is set aside when the rule
	// set declares it (rules.RuleSet.IgnoresLinkID), and otherwise goes to
	// that record's facts (screening.ResponseFacts.Unread), near miss or
	// not, for screening to report: one response from another form must
	// not stop a batch. Required.
	RuleSet *rules.RuleSet
	// Format is the input's format; "" detects it from the name and the
	// first bytes (Detect). A Mapping makes it CSV.
	Format Format
	// Encoding is the text encoding; "" tells it as EncodingAuto does.
	Encoding Encoding
	// Mapping, when set, reads a form tool's export through it.
	Mapping *Mapping
	// AllowUnknown lets a column, key or linkId that nearly names a field
	// through, listed in Stats.Allowed, rather than stop (or, for a
	// linkId, be reported on its record as a near miss): it is read as
	// any other that names no field (Record.Unasked).
	AllowUnknown bool
	// Ignore lists the columns and keys the clinic declares ignored: what
	// they hold is not read. Any other column or key that names no field
	// goes to its record's Unasked, for screening to report.
	Ignore []string
	// Sheet names the sheet of a workbook to read; "" reads the first.
	Sheet string
}

// Stats says how an input was read: everything it held is accounted for
// here, as used, ignored or reported. The fields that describe the header
// are set once Open returns; the rest once Records has been read through.
type Stats struct {
	Format Format
	// Encoding names the encoding the text was read in ("UTF-8",
	// "Windows-1252 (the bytes are not UTF-8)"); "" while only ASCII has
	// been read.
	Encoding string
	// BOM is set when the input starts with a byte order mark.
	BOM bool
	// Delimiter is a table's delimiter: ',', ';' or '\t'.
	Delimiter rune
	// Sheet is the sheet of a workbook that was read.
	Sheet string
	// HeaderLine is the line of a table's header row (a workbook's row
	// number), and TitleRows the rows above it that were not blank,
	// skipped: a workbook's title.
	HeaderLine int
	TitleRows  []int
	// Columns are a table's header cells in order, each with the field it
	// gives ("" for a column that gives none).
	Columns []Column
	// Ignored lists, in the order found, the column headers that name no
	// field and that nobody declared ignored: each cell under them is
	// its record's Unasked. (Keys and linkIds a JSON or FHIR record holds
	// that the rule set does not ask go to its Unasked too.)
	Ignored []string
	// Allowed lists the near misses that Options.AllowUnknown let through
	// as ignored, each once.
	Allowed []NearMissError
	// Declared lists, in the order found, the linkIds of FHIR responses
	// answered under that the rule set declares ignored
	// (rules.RuleSet.IgnoresLinkID).
	Declared []string
	// Skipped counts, by resource type, the entries of a FHIR Bundle that
	// are not QuestionnaireResponses.
	Skipped map[string]int
	// Records is how many records were read.
	Records int
	// Codes are a mapped table's columns whose cells held numbers the
	// mapping does not translate (CodeColumn).
	Codes []CodeColumn
	// HeaderRows are the lines of a table's rows after the first that are
	// header rows (a form tool's second and third, a header repeated),
	// and BlankRows those of its rows whose every cell is empty or white
	// space: skipped, as no patient's (CSV.HeaderRows, headerrows.go).
	HeaderRows []int
	BlankRows  []int
	// Text is set when the input holds anything but white space and byte
	// order marks.
	Text bool
	// NoHeader is set when a table holds no header row at all (it is
	// empty, or blank lines only).
	NoHeader bool
}

// Column is one column of a table's header.
type Column struct {
	Header string
	// Field is the field the column gives; "" when it gives none.
	Field string
	// Declared is set for a column a mapping declares ignored.
	Declared bool
}

// NearMissError stops the reading of an input at a column or key that is
// no field but nearly names one: the answer under it would otherwise be
// ignored, and the record screened without it.
type NearMissError struct {
	Where string // "file:line"
	What  string // "column", "key" or "linkId"
	Name  string
	Field string
	// Odd lists the characters of Name that make it look like Field
	// without being it: invisible ones, letters of another script drawn
	// like Latin ones, compatibility forms. On screen the name looks
	// right, so the message names each by its code.
	Odd []rune
}

func (e *NearMissError) Error() string {
	return fmt.Sprintf("%s: %s %q looks like field %q%s; rename it %s", e.Where, e.What, e.Name, e.Field, e.Holds(), e.Field)
}

// Holds says which characters make the name look like the field without
// being it, as " (it holds U+0440 (Cyrillic small letter er, drawn like
// p) and U+200B (zero width space, invisible))"; "" when none do.
func (e *NearMissError) Holds() string {
	if len(e.Odd) == 0 {
		return ""
	}
	parts := make([]string, len(e.Odd))
	for i, r := range e.Odd {
		parts[i] = describeRune(r)
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return " (it holds " + list + ")"
}

// AbsentColumnError stops the reading of a mapped export whose header
// lacks a column the mapping reads: the answers the mapping expects there
// would be missing from every record.
type AbsentColumnError struct {
	Where  string   // "file:1"
	Header string   // the first header the export lacks
	More   int      // how many more mapped headers it lacks
	Unread []string // the export's headers the mapping neither reads nor ignores
}

func (e *AbsentColumnError) Error() string {
	more, unread := "", "the export has no column the mapping does not read already"
	if e.More > 0 {
		more = fmt.Sprintf(" (and %d more)", e.More)
	}
	if len(e.Unread) > 0 {
		q := make([]string, len(e.Unread))
		for i, h := range e.Unread {
			q[i] = strconv.Quote(h)
		}
		unread = "the export's columns the mapping neither reads nor ignores are " + strings.Join(q, ", ")
	}
	return fmt.Sprintf("%s: the mapping reads column %q%s, which the export does not have; %s. Expected every column the mapping names: correct its header in the mapping, or remove it; nothing was screened",
		e.Where, e.Header, more, unread)
}

// NoHeaderError stops the reading of a table whose first row names no
// field of the rule set. The row is most likely a patient's, so the
// message does not repeat it.
type NoHeaderError struct {
	Where string // "file:1"
	Cells int    // how many cells the first row has
}

func (e *NoHeaderError) Error() string {
	return fmt.Sprintf("%s: none of the %d cells of the first row names a field of the rule set, so it is not a header and the table cannot be read; expected a header row of field ids (\"mesoscreen template csv\" writes one), or --map for a form export; nothing was screened", e.Where, e.Cells)
}

// Input is one input opened for reading: once, from its first byte, so
// that a pipe or a FIFO reads like a file.
type Input struct {
	name  string
	opts  Options
	stats Stats
	seen  *textSeen
	near  map[string]nearName // names already judged: the field each nearly names, or ""
	// allowed and declared note the names listed in Stats.Allowed and
	// Stats.Declared.
	allowed, declared map[string]bool
	// records yields the records, after the header of a table.
	records iter.Seq2[Record, error]
	csv     *CSV
	text    *TextReader
	fhir    *FHIRReader
}

// Open starts reading r, an input named name (its file name, or "stdin";
// it labels every source). A table's header is read here, so that a
// column that nearly names a field is an error before any record is
// screened.
func Open(name string, r io.Reader, opts Options) (*Input, error) {
	in := &Input{name: name, opts: opts, seen: &textSeen{r: r}}
	br := bufio.NewReaderSize(in.seen, sniffSize)
	head, _ := br.Peek(3)
	in.stats.BOM = bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff"))
	format := opts.Format
	head, _ = br.Peek(8192)
	switch {
	case IsWorkbook(head):
		format = FormatXLSX
	case opts.Mapping != nil:
		format = FormatCSV
	case format == "":
		format = Detect(name, head)
	}
	in.stats.Format = format
	if opts.Sheet != "" && format != FormatXLSX {
		// A sheet asked for in a file that has none: the file is not the
		// workbook the clinic meant to screen.
		return nil, fmt.Errorf("%s: a sheet %q was asked for, but the file is %s, not an Excel workbook", name, opts.Sheet, format)
	}
	switch format {
	case FormatXLSX:
		sheet, err := readSheet(name, br, opts.Sheet)
		if err != nil {
			return nil, err
		}
		in.stats.Sheet = sheet.sheet
		return in.openCSV(nil, sheet)
	case FormatCSV:
		return in.openCSV(br, nil)
	case FormatFHIR:
		in.text = NewTextReader(br, opts.Encoding, false)
		in.fhir = &FHIRReader{Name: name, Lines: strings.EqualFold(filepath.Ext(name), ".ndjson")}
		in.records = in.fhir.Records(in.text)
	case FormatJSONL:
		in.text = NewTextReader(br, opts.Encoding, false)
		in.records = JSONLines(name, in.text)
	default:
		in.text = NewTextReader(br, opts.Encoding, false)
		in.records = JSON(name, in.text)
	}
	return in, nil
}

// openCSV reads a table's header and judges its columns: a CSV file's
// text from r, or a workbook's sheet.
func (in *Input) openCSV(r io.Reader, sheet *sheetRows) (*Input, error) {
	c := &CSV{Name: in.name, Mapping: in.opts.Mapping, Encoding: in.opts.Encoding, RuleSet: in.opts.RuleSet,
		Keep: func(h string) bool { return in.opts.RuleSet.Index(h) >= 0 }, Declared: in.ignores, sheet: sheet}
	in.csv = c
	rows, bad, err := c.readHeader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %w", in.name, err)
	}
	in.noteHeader()
	if m := in.opts.Mapping; m != nil && c.Header != nil {
		if absent := m.absent(c.Header); len(absent) > 0 {
			return nil, &AbsentColumnError{Where: c.where(c.HeaderLine), Header: absent[0], More: len(absent) - 1, Unread: in.stats.Ignored}
		}
	}
	if err := in.judge(in.stats.Ignored, c.where(c.HeaderLine), "column"); err != nil {
		return nil, err
	}
	if c.Mapping == nil && c.Header != nil && c.headerErr == nil && c.kept == 0 && len(c.repeated) == 0 {
		// A first row that names no field is a patient's, most likely, in a
		// file without a header: read as the header, it would get no
		// result, and every row after it none of its answers.
		return nil, &NoHeaderError{Where: c.where(c.HeaderLine), Cells: len(c.Header)}
	}
	in.records = c.rest(rows, bad)
	return in, nil
}

// Records yields the input's records in order. The sequence yields a
// non-nil error, and stops, when reading the input fails or a JSON key
// nearly names a field; a record that cannot be read is a Record with Err
// set. It is ranged over once.
func (in *Input) Records() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		defer in.finish()
		for rec, err := range in.records {
			if err != nil {
				yield(Record{}, fmt.Errorf("%s: cannot read: %w", in.name, err))
				return
			}
			if in.fhir != nil {
				in.judgeLinkIDs(&rec)
				in.setApart(&rec)
			} else if in.csv == nil {
				if err := in.judgeFields(rec); err != nil {
					yield(Record{}, err)
					return
				}
				in.setApart(&rec)
			}
			in.stats.Records++
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// Stats says how the input was read so far.
func (in *Input) Stats() Stats { return in.stats }

// finish notes what is known once the input has been read.
func (in *Input) finish() {
	in.stats.Text = in.seen.text
	switch {
	case in.csv != nil:
		in.stats.Encoding = in.csv.encodingUsed()
		in.stats.HeaderRows, in.stats.BlankRows = in.csv.HeaderRows, in.csv.BlankRows
		in.stats.Codes = in.csv.Codes
	case in.text != nil:
		in.stats.Encoding = in.text.Used()
	}
	if in.fhir != nil {
		in.stats.Skipped = in.fhir.Skipped
	}
}

// noteHeader notes a table's header, once read.
func (in *Input) noteHeader() {
	c := in.csv
	in.stats.Delimiter = c.Delimiter
	in.stats.NoHeader = c.Header == nil
	in.stats.Ignored = c.Ignored
	for i, h := range c.Header {
		col := Column{Header: h}
		if i < len(c.cols) {
			col.Field = c.cols[i].field
		}
		col.Declared = col.Field == "" && c.Mapping != nil && c.Mapping.ignores(h)
		in.stats.Columns = append(in.stats.Columns, col)
	}
	in.stats.Encoding = c.encodingUsed()
	in.stats.HeaderLine, in.stats.TitleRows = c.HeaderLine, c.TitleRows
	in.stats.BlankRows = c.BlankRows
}

// ignores reports whether the clinic declared the column, key or linkId
// ignored (Options.Ignore).
func (in *Input) ignores(name string) bool { return slices.Contains(in.opts.Ignore, name) }

// setApart moves the fields of a JSON or FHIR record that the rule set
// does not ask out of its Fields: to Unasked, or nowhere when they are
// declared ignored (Options.Ignore; for a FHIR linkId, the rule set's
// fhir.ignore too, listed in Stats.Declared).
func (in *Input) setApart(rec *Record) {
	rs := in.opts.RuleSet
	if !slices.ContainsFunc(rec.Fields, func(f Field) bool { return rs.Index(f.ID) < 0 }) {
		return
	}
	kept := rec.Fields[:0:0]
	for _, f := range rec.Fields {
		switch {
		case rs.Index(f.ID) >= 0:
			kept = append(kept, f)
		case in.ignores(f.ID):
		case in.fhir != nil && rs.IgnoresLinkID(f.ID):
			if !in.declared[f.ID] {
				in.declared = setOf(in.declared, f.ID)
				in.stats.Declared = append(in.stats.Declared, f.ID)
			}
		default:
			rec.Unasked = append(rec.Unasked, f)
		}
	}
	rec.Fields = kept
}

// judgeFields judges the keys of a JSON record that the rule set does
// not ask.
func (in *Input) judgeFields(rec Record) error {
	var unknown []string
	for _, f := range rec.Fields {
		if in.opts.RuleSet.Index(f.ID) < 0 && !in.ignores(f.ID) {
			unknown = append(unknown, f.ID)
		}
	}
	return in.judge(unknown, rec.Source, "key")
}

// judgeLinkIDs takes out of a FHIR response's fields each answer under a
// linkId that nearly names a field, unless AllowUnknown lets it through:
// it is the record's fact (screening.ResponseFacts.Unread), for
// screening to report on that record alone, not a stop of the batch.
// Every other linkId that is no field is setApart's.
func (in *Input) judgeLinkIDs(rec *Record) {
	r := rec.Facts.Response
	if r == nil {
		return
	}
	rs := in.opts.RuleSet
	kept := rec.Fields[:0:0]
	for _, f := range rec.Fields {
		if rs.Index(f.ID) >= 0 || in.ignores(f.ID) || rs.IgnoresLinkID(f.ID) {
			kept = append(kept, f)
			continue
		}
		like, odd := in.nearMiss(f.ID)
		switch {
		case like == "":
			kept = append(kept, f)
		case in.opts.AllowUnknown:
			in.allow(NearMissError{Where: rec.Source, What: "linkId", Name: f.ID, Field: like, Odd: odd})
			kept = append(kept, f)
		default:
			r.Unread = append(r.Unread, screening.UnreadItem{LinkID: f.ID, Value: f.Value, Like: like})
		}
	}
	rec.Fields = kept
}

// judge stops the reading at a name that is no field but nearly names
// one, unless Options.AllowUnknown lets it through as ignored.
func (in *Input) judge(names []string, where, what string) error {
	for _, n := range names {
		field, odd := in.nearMiss(n)
		if field == "" {
			continue
		}
		e := NearMissError{Where: where, What: what, Name: n, Field: field, Odd: odd}
		if !in.opts.AllowUnknown {
			return &e
		}
		in.allow(e)
	}
	return nil
}

// nearMiss is the package's nearMiss, each name judged once.
func (in *Input) nearMiss(name string) (field string, odd []rune) {
	n, ok := in.near[name]
	if !ok {
		if in.near == nil {
			in.near = map[string]nearName{}
		}
		n.field, n.odd = nearMiss(in.opts.RuleSet, name)
		in.near[name] = n
	}
	return n.field, n.odd
}

// nearName is what nearMiss found for a name.
type nearName struct {
	field string
	odd   []rune
}

// allow lists a near miss that AllowUnknown lets through, the first time
// its name is found.
func (in *Input) allow(e NearMissError) {
	if !in.allowed[e.Name] {
		in.allowed = setOf(in.allowed, e.Name)
		in.stats.Allowed = append(in.stats.Allowed, e)
	}
}

// setOf adds name to set, making the set if it is nil.
func setOf(set map[string]bool, name string) map[string]bool {
	if set == nil {
		set = map[string]bool{}
	}
	set[name] = true
	return set
}

// textSeen notes whether its reader gives anything but white space and
// byte order marks: an input with text in it that yields no record has
// not been screened.
type textSeen struct {
	r    io.Reader
	text bool
}

func (t *textSeen) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if !t.text && len(bytes.Trim(p[:n], " \t\r\n\x00\xef\xbb\xbf\xff\xfe")) > 0 {
		t.text = true
	}
	return n, err
}
