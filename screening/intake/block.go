package intake

import (
	"bytes"
	"iter"
	"strconv"
)

// A Block is a part of an input file: a run of whole lines, cut but not
// yet parsed, or one record read on its own. Scan parses it, on any
// goroutine, so that a large file can be parsed on every core while one
// goroutine only cuts it. Three kinds of file are cut into lines this
// way: CSV files (rows, whose quotes have been checked), JSON Lines and
// FHIR NDJSON. A FHIR Bundle is cut into runs of its entries.
type Block struct {
	c    *CSV   // the CSV file the rows are from; nil for JSON Lines
	name string // the name of a JSON Lines file
	fhir bool   // the lines are FHIR resources
	// data holds whole lines, each ending in '\n'. Nothing writes to it
	// once the block is made, for the cells of CSV rows are strings that
	// share its bytes.
	data []byte
	line int    // the line number of data's first line
	n    int    // the number of lines in data, or of entries
	rec  Record // the record, when data is nil
	// For a run of a FHIR Bundle's entries, data holds them as written,
	// one after another: entry first+k ends at ends[k] and starts on line
	// lines[k].
	ends, lines []int
	first       int
}

// recordBlock makes a block of one record, so that records read one by
// one can travel as blocks too.
func recordBlock(rec Record) Block { return Block{rec: rec} }

// Rows is about how many records the block holds: its number of lines.
func (b *Block) Rows() int {
	if b.data == nil {
		return 1
	}
	return b.n
}

// Len is the number of bytes of input the block's lines take; 0 for a
// record read on its own.
func (b *Block) Len() int { return len(b.data) }

// RowPos is where a record is in its block, for RecordAt.
type RowPos struct {
	off  int // offset of the line in the block's bytes
	line int
	item int // which record of the line: a FHIR Bundle holds several
}

// Scan calls fn with each record of the block, in order. The record and
// its cells are fn's only during the call: the next record reuses them.
// Their strings can be kept, and keep the block's bytes in memory. pos
// finds the record again with RecordAt.
func (b *Block) Scan(fn func(rec *Record, pos RowPos)) {
	switch {
	case b.data == nil:
		fn(&b.rec, RowPos{})
	case b.ends != nil:
		start := 0
		for k, end := range b.ends {
			rec := b.entryRecord(start, k)
			fn(&rec, RowPos{off: start, item: k})
			start = end
		}
	case b.c == nil:
		b.scanJSON(fn)
	default:
		b.scanCSV(fn)
	}
}

func (b *Block) scanCSV(fn func(rec *Record, pos RowPos)) {
	c := b.c
	// The sources (file:line) of the block's rows are written one after
	// another into one buffer, made large enough for all of them at once
	// so that it never moves: each is a string into it, which saves an
	// allocation a row.
	per := len(c.Name) + 2 + len(strconv.Itoa(b.line+b.n))
	where := make([]byte, 0, per*b.n)
	cells := make([]string, 0, len(c.spec))
	var rec Record
	data, line := b.data, b.line
	for len(data) > 0 {
		var next []byte
		var lines int
		var valid bool
		cells, next, lines, valid = parseRow(cells[:0], data, byte(c.Delimiter))
		if cells != nil {
			if cap(where)-len(where) < per {
				where = make([]byte, 0, per*b.n)
			}
			start := len(where)
			where = append(where, c.Name...)
			where = append(where, ':')
			where = strconv.AppendInt(where, int64(line), 10)
			rec = c.record(inPlace(where[start:]), cells, valid)
			fn(&rec, RowPos{off: len(b.data) - len(data), line: line})
		}
		data, line = next, line+lines
	}
}

func (b *Block) scanJSON(fn func(rec *Record, pos RowPos)) {
	var rec Record
	data, line := b.data, b.line
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if text := data[:nl]; len(bytes.TrimSpace(text)) > 0 {
			pos := RowPos{off: len(b.data) - len(data), line: line}
			if b.fhir {
				fhirValue(b.name, line, text, func(r Record, _ error) bool {
					rec = r
					fn(&rec, pos)
					pos.item++
					return true
				})
			} else {
				rec = b.jsonRecord(text, line)
				fn(&rec, pos)
			}
		}
		data, line = data[nl+1:], line+1
	}
}

func (b *Block) jsonRecord(text []byte, line int) Record {
	rec := Record{Source: b.name + ":" + strconv.Itoa(line)}
	rec.Fields, rec.Err = decodeObject(text)
	return rec
}

// entryRecord reads the Bundle entry k of the block, which starts at
// start.
func (b *Block) entryRecord(start, k int) Record {
	return entryRecord(b.name+":"+strconv.Itoa(b.lines[k]), b.first+k, b.data[start:b.ends[k]])
}

// RecordAt reads again the record that Scan gave at pos.
func (b *Block) RecordAt(pos RowPos) Record {
	switch {
	case b.data == nil:
		return b.rec
	case b.ends != nil:
		return b.entryRecord(pos.off, pos.item)
	case b.c == nil:
		text := b.data[pos.off:]
		text = text[:bytes.IndexByte(text, '\n')]
		if !b.fhir {
			return b.jsonRecord(text, pos.line)
		}
		var rec Record
		item := 0
		fhirValue(b.name, pos.line, text, func(r Record, _ error) bool {
			rec = r
			item++
			return item <= pos.item
		})
		return rec
	}
	c := b.c
	cells, _, _, valid := parseRow(nil, b.data[pos.off:], byte(c.Delimiter))
	return c.record(c.Name+":"+strconv.Itoa(pos.line), cells, valid)
}

// appendRecords appends the block's records to dst, each with cells of
// its own.
func (b *Block) appendRecords(dst []Record) []Record {
	var slab []string
	b.Scan(func(rec *Record, _ RowPos) {
		r := *rec
		if r.Cells != nil {
			if len(slab) < len(r.Cells) {
				slab = make([]string, 64*len(r.Cells))
			}
			r.Cells = slab[:len(r.Cells):len(r.Cells)]
			slab = slab[len(r.Cells):]
			copy(r.Cells, rec.Cells)
		}
		dst = append(dst, r)
	})
	return dst
}

// Records yields the records of blocks in turn.
func Records(blocks iter.Seq2[Block, error]) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		var recs []Record
		for b, err := range blocks {
			if err != nil {
				yield(Record{}, err)
				return
			}
			recs = b.appendRecords(recs[:0])
			for _, rec := range recs {
				if !yield(rec, nil) {
					return
				}
			}
		}
	}
}
