package main

import (
	"bufio"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"math/bits"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// batchRun screens the records of several files on every core and hands
// the results back in input order, like gofmt's sequencer: a reader
// goroutine cuts the files into chunks of blocks (whole rows or lines, not
// yet parsed; see intake.Block), workers parse and screen the chunks, and
// the caller's goroutine takes them from a bounded queue of futures in the
// order they were read. Memory holds at most a few chunks per worker, plus
// the set of patient ids seen (below).
type batchRun struct {
	rs       *rules.RuleSet
	sopts    screening.Options // the lexicon medication lists are read with
	mapping  *intake.Mapping
	input    intake.Format // "" detects the format of each file
	stdin    io.Reader
	jobs     int
	warn     func(format string, args ...any)
	progress io.Writer // stderr when it is a terminal, else nil
	// progressMin is the input size from which the progress bar shows.
	progressMin int64
	// onIDGrow, if set, is told the new size in bytes of the table of
	// patient ids each time it grows.
	onIDGrow func(int64)
	// onChunks, if set, is called after every budgetEvery chunks are
	// written, on the goroutine that writes.
	onChunks func()
}

const budgetEvery = 16

// chunkSize is how many records travel together: enough to make the
// hand-over between goroutines cheap, few enough to keep memory small.
const chunkSize = 256

// expectAfter is the number of records after which the size of the rest
// of a file is judged, to make room for its patient ids at once.
const expectAfter = 4 * chunkSize

// progressMin is the input size from which a progress bar is shown by
// default: below it, a file is screened in about a second.
const progressMin = 8 << 20

// chunk is a run of records of one file and, once ready is closed, their
// results: as results, or as the bytes of their output rows when the
// output format is written by the workers (rowFormat).
type chunk struct {
	file int
	// blocks hold the records: rows of a CSV file cut but not parsed,
	// which the worker parses, or records read one by one.
	blocks  []intake.Block
	rows    int // about how many records the blocks hold
	res     []screening.Result
	unknown []string
	ready   chan struct{}
	// The rows form, when a rowFormat is used.
	out *rowSet
	// expect is, on the first chunk of a large file, how many more records
	// the file probably holds, judged from the size of its first rows.
	expect int
	// At the end of a file: its name and the columns ignored in it. err
	// is set when reading failed and the run stops.
	end     bool
	name    string
	ignored []string
	err     error
}

type tally struct {
	total   int
	counts  map[rules.Level]int
	ignored []string // columns ignored, over all files, in order found
	unknown []string // JSON fields ignored, sorted
}

// rowFormat renders one result as an output row. Formats whose rows stand
// alone (csv, jsonl) have one: the workers then render the rows, and the
// run only copies them out in order.
type rowFormat interface {
	// newRenderer returns a renderer for one goroutine: it appends the
	// row of r to dst.
	newRenderer() func(dst []byte, r *screening.Result) ([]byte, error)
	// writeRow writes a rendered row.
	writeRow(row []byte) error
}

// run screens the files in order and calls emit with each result in input
// order. It returns the counts, or an error that stops the command.
func (b *batchRun) run(files []string, emit func(screening.Result) error) (tally, error) {
	return b.runTo(files, emit, nil)
}

// runRows is run for a format whose rows the workers render.
func (b *batchRun) runRows(files []string, rf rowFormat) (tally, error) {
	return b.runTo(files, nil, rf)
}

func (b *batchRun) runTo(files []string, emit func(screening.Result) error, rf rowFormat) (tally, error) {
	workers := b.jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	order := make(chan *chunk, 2*workers+2)
	work := make(chan *chunk, workers)
	stop := make(chan struct{})
	defer close(stop)
	ids := newIDSet(b.rs, files)
	ids.onGrow = b.onIDGrow
	sc := screening.ScreenerFor(b.rs, b.sopts)

	free := make(chan *rowSet, cap(order)+workers+1)
	go b.read(files, order, work, stop)
	for range workers {
		go func() {
			w := &worker{sc: sc, buf: screening.NewAnswers(b.rs), ids: ids, free: free}
			if rf != nil {
				w.render = rf.newRenderer()
			}
			for c := range work {
				w.screen(c)
				close(c.ready)
			}
		}()
	}

	t := tally{counts: map[rules.Level]int{}}
	seenIgnored := map[string]bool{}
	unknown := map[string]bool{}
	var render func([]byte, *screening.Result) ([]byte, error)
	var again []byte // a row rendered again
	if rf != nil {
		render = rf.newRenderer()
	}
	inFile := make([]int, len(files)) // records of each file
	chunks := 0
	for c := range order {
		<-c.ready
		if chunks++; b.onChunks != nil && chunks%budgetEvery == 0 {
			b.onChunks()
		}
		if c.expect > 0 {
			ids.reserve(c.expect)
		}
		var out rowSet
		if c.out != nil {
			out = *c.out
		}
		inFile[c.file] += len(c.res) + len(out.ends)
		for i := range c.res {
			res := &c.res[i]
			t.total++
			ids.startFile(c.file, t.total)
			if first, dup := ids.check(ids.hash(res.PatientID), t.total); dup {
				ids.flag(res, res.PatientID, first)
			}
			t.counts[res.Verdict]++
			if err := emit(*res); err != nil {
				return t, failf("writing results: %v", err)
			}
		}
		ids.prefetch(out.ids)
		// The rows are written in runs, up to a record to flag.
		start, run := 0, 0
		for i, end := range out.ends {
			t.total++
			ids.startFile(c.file, t.total)
			first, dup := ids.check(out.ids[i], t.total)
			if !dup {
				t.counts[out.verdicts[i]]++
				start = end
				continue
			}
			// Rare: screen the record again, flag it and render it here.
			var res screening.Result
			at := out.at[i]
			screenRecord(sc, c.blocks[at.block].RecordAt(at.pos), screening.NewAnswers(b.rs), nil, &res)
			ids.flag(&res, res.PatientID, first)
			t.counts[res.Verdict]++
			var err error
			if again, err = render(again[:0], &res); err != nil {
				return t, failf("writing results: %v", err)
			}
			if err := rf.writeRow(out.rows[run:start]); err != nil {
				return t, failf("writing results: %v", err)
			}
			if err := rf.writeRow(again); err != nil {
				return t, failf("writing results: %v", err)
			}
			start, run = end, end
		}
		if start > run {
			if err := rf.writeRow(out.rows[run:start]); err != nil {
				return t, failf("writing results: %v", err)
			}
		}
		if c.out != nil {
			select {
			case free <- c.out:
			default:
			}
		}
		for _, k := range c.unknown {
			unknown[k] = true
		}
		if c.err != nil {
			return t, c.err
		}
		if c.end {
			ids.startFile(c.file, t.total+1) // for a file of no records
			for _, h := range c.ignored {
				if !seenIgnored[h] {
					seenIgnored[h] = true
					t.ignored = append(t.ignored, strconv.Quote(h))
				}
			}
			if inFile[c.file] == 0 {
				b.warn("note: %s holds no records\n", c.name)
			}
		}
	}
	for k := range unknown {
		t.unknown = append(t.unknown, k)
	}
	slices.Sort(t.unknown)
	return t, nil
}

// rowSet holds the rendered rows of a chunk: rows[ends[i-1]:ends[i]] is
// record i's output, with its verdict and the hash of its patient id (0
// for none). The writer hands them back to the workers to fill again.
type rowSet struct {
	rows     []byte
	ends     []int
	verdicts []rules.Level
	ids      []uint64
	at       []recordAt // where each record is, to read it again
}

// recordAt is where a record of a chunk is: its block, and its place in it.
type recordAt struct {
	block int
	pos   intake.RowPos
}

// worker screens chunks; each goroutine has its own, with answers and a
// result that it reuses from record to record when it renders rows.
type worker struct {
	sc     *screening.Screener
	buf    *screening.Answers
	ids    *idSet
	render func([]byte, *screening.Result) ([]byte, error)
	res    screening.Result
	free   chan *rowSet // row sets the writer is done with
}

func (w *worker) screen(c *chunk) {
	if w.render == nil {
		c.res = make([]screening.Result, 0, c.rows)
		for i := range c.blocks {
			c.blocks[i].Scan(func(rec *intake.Record, _ intake.RowPos) {
				c.res = append(c.res, screening.Result{})
				c.unknown = screenRecord(w.sc, *rec, w.buf, c.unknown, &c.res[len(c.res)-1])
			})
		}
		c.blocks = nil
		return
	}
	var out *rowSet
	select {
	case out = <-w.free:
	default:
		out = new(rowSet)
	}
	out.rows, out.ends, out.verdicts, out.ids, out.at = out.rows[:0], out.ends[:0], out.verdicts[:0], out.ids[:0], out.at[:0]
	for i := range c.blocks {
		c.blocks[i].Scan(func(rec *intake.Record, pos intake.RowPos) {
			if c.err != nil {
				return
			}
			c.unknown = screenRecord(w.sc, *rec, w.buf, c.unknown, &w.res)
			var err error
			if out.rows, err = w.render(out.rows, &w.res); err != nil {
				c.err = failf("writing results: %v", err)
				return
			}
			out.ends = append(out.ends, len(out.rows))
			out.verdicts = append(out.verdicts, w.res.Verdict)
			out.ids = append(out.ids, w.ids.hash(w.res.PatientID))
			out.at = append(out.at, recordAt{block: i, pos: pos})
		})
	}
	if c.err != nil {
		out.ends = out.ends[:0]
	}
	c.out = out
}

// screenRecord screens one record into res, reusing its slices, and adds
// the fields the record has that the rule set does not ask to unknown.
func screenRecord(sc *screening.Screener, rec intake.Record, buf *screening.Answers, unknown []string, res *screening.Result) []string {
	if rec.Err != nil {
		*res = screening.Unreadable(sc.RuleSet(), rec.Source, rec.Err)
		return unknown
	}
	ans := rec.AnswersInto(sc.RuleSet(), buf)
	for _, k := range ans.Unknown {
		if !slices.Contains(unknown, k) {
			unknown = append(unknown, k)
		}
	}
	sc.EvaluateInto(ans, res)
	res.Source = rec.Source
	return unknown
}

// read is the reader goroutine: it reads the files in order and queues
// their blocks in chunks, each both on order (for the writer) and on work
// (for the workers).
func (b *batchRun) read(files []string, order, work chan<- *chunk, stop <-chan struct{}) {
	defer close(order)
	defer close(work)
	send := func(c *chunk) bool {
		c.ready = make(chan struct{})
		select {
		case order <- c:
		case <-stop:
			return false
		}
		if len(c.blocks) == 0 {
			close(c.ready)
			return true
		}
		select {
		case work <- c:
			return true
		case <-stop:
			return false
		}
	}
	for fi, f := range files {
		in, err := b.open(f)
		if err != nil {
			send(&chunk{file: fi, err: err})
			return
		}
		cur := &chunk{file: fi}
		n := 0 // records so far, about: a block's lines count as records
		fail := func(err error) {
			cur.err = failf("%s: cannot read: %v", displayName(f), err)
			send(cur)
			in.done()
		}
		// add counts k more records into the current chunk, and sends it
		// when it is full.
		add := func(k int) bool {
			if n < expectAfter && n+k >= expectAfter {
				cur.expect = in.expect(n + k)
			}
			n += k
			cur.rows += k
			if cur.rows < chunkSize {
				return true
			}
			if !send(cur) {
				in.done()
				return false
			}
			cur = &chunk{file: fi}
			return true
		}
		for blk, err := range in.blocks {
			if err != nil {
				fail(err)
				return
			}
			cur.blocks = append(cur.blocks, blk)
			if !add(blk.Rows()) {
				return
			}
		}
		ignored := in.done()
		cur.end, cur.name, cur.ignored = true, displayName(f), ignored
		if !send(cur) {
			return
		}
	}
}

// open opens one input and picks its reader. done closes the file and
// returns the columns the reader ignored.
func (b *batchRun) open(f string) (*input, error) {
	name := displayName(f)
	var r io.Reader = b.stdin
	closeFile := func() {}
	var size int64
	if f != "-" {
		fh, err := os.Open(f)
		if err != nil {
			return nil, failf("%s: cannot open: %v", f, err)
		}
		closeFile = func() { fh.Close() }
		if st, err := fh.Stat(); err == nil {
			size = st.Size()
		}
		r = fh
	}
	var bar *progressbar.ProgressBar
	if b.progress != nil && size >= b.progressMin {
		bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(b.progress),
			progressbar.OptionSetDescription("screening "+name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
		)
		r = &countingReader{r: r, bar: bar}
	}
	read := &byteCounter{r: r}
	br := bufio.NewReaderSize(read, 64*1024)
	head, _ := br.Peek(8192)
	format := b.input
	if b.mapping != nil {
		format = intake.FormatCSV
	} else if format == "" {
		format = intake.Detect(name, head)
	}
	done := func() []string {
		if bar != nil {
			bar.Finish()
		}
		closeFile()
		return nil
	}
	in := &input{size: size, done: done}
	switch format {
	case intake.FormatCSV:
		c := &intake.CSV{Name: name, Mapping: b.mapping, Rules: b.rs, Keep: func(h string) bool { return b.rs.Index(h) >= 0 }}
		in.blocks = c.Blocks(br)
		in.done = func() []string { done(); return c.Ignored }
		in.consumed = func() int64 { return c.Consumed }
	case intake.FormatFHIR:
		in.blocks = intake.FHIRBlocks(name, br)
	default:
		in.blocks = intake.JSONBlocks(name, br)
	}
	blocks := in.blocks
	in.blocks = func(yield func(intake.Block, error) bool) {
		for blk, err := range blocks {
			in.cut += int64(blk.Len())
			if !yield(blk, err) {
				return
			}
		}
	}
	if in.consumed == nil {
		// The bytes of the lines cut so far; for a file read whole (a
		// JSON array, a Bundle), what was read of it, read-ahead
		// included: more than the records took, so that guess errs low
		// and the table can still grow.
		in.consumed = func() int64 {
			if in.cut > 0 {
				return in.cut
			}
			return read.n
		}
	}
	return in, nil
}

// byteCounter counts the bytes read through it.
type byteCounter struct {
	r io.Reader
	n int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// input is one opened input file.
type input struct {
	blocks iter.Seq2[intake.Block, error]
	// done closes the file and returns the columns the reader ignored.
	done func() []string
	// size is the file's size, 0 when unknown; consumed, if set, tells
	// how many bytes the records read so far took.
	size     int64
	consumed func() int64
	cut      int64 // bytes of the blocks handed out so far
}

// expect guesses how many more records the input holds after the first n,
// from the bytes those took; 0 when it cannot tell.
func (in *input) expect(n int) int {
	if in.consumed == nil || in.size <= 0 {
		return 0
	}
	used := in.consumed()
	if used <= 0 || used >= in.size {
		return 0
	}
	return int(float64(in.size-used) / float64(used) * float64(n) * 1.05)
}

type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bar.Add(n)
	return n, err
}

// idSet remembers the patient ids seen in a run, to flag a later record
// with the same id. It keeps a 64-bit hash of each id and the number of
// the record that had it, in an open-addressing table of 12 bytes a slot,
// at most 4/5 full, that the garbage collector need not scan: about 16 MB
// at a million patients when room is made for them at once (reserve),
// the only memory of a run that grows with its size.
// Two different ids with the same hash (odds about 1 in 30 million at a
// million ids) would flag a record for review that did not need it, never
// the reverse.
type idSet struct {
	seed  maphash.Seed
	keys  []uint64 // 0 for an empty slot
	recs  []uint32 // run-wide record number (from 1) of the first holder
	n     int
	sink  uint64 // what prefetch read, kept so that the reads are made
	rs    *rules.RuleSet
	names []string // the inputs' names, as in sources
	first []int    // run-wide number of each input's first record
	// onGrow, if set, is told the table's new size in bytes.
	onGrow func(int64)
}

func newIDSet(rs *rules.RuleSet, files []string) *idSet {
	s := &idSet{seed: maphash.MakeSeed(), rs: rs, keys: make([]uint64, 1024), recs: make([]uint32, 1024)}
	for _, f := range files {
		s.names = append(s.names, displayName(f))
	}
	s.first = make([]int, len(files))
	return s
}

// startFile notes that the input file begins at run-wide record rec.
func (s *idSet) startFile(file, rec int) {
	if file < len(s.first) && s.first[file] == 0 {
		s.first[file] = rec
	}
}

// hash is the key of a patient id in the set, 0 for no id. It is safe to
// call from any goroutine.
func (s *idSet) hash(id string) uint64 {
	id = strings.TrimSpace(id)
	if id == "" {
		return 0
	}
	return maphash.String(s.seed, id) | 1 // never 0, which marks an empty slot
}

// check adds the id with hash h (0 for none) of run-wide record rec. When
// an earlier record had it, it returns that record's number and true.
func (s *idSet) check(h uint64, rec int) (first int, dup bool) {
	if h == 0 {
		return 0, false
	}
	for i := s.slot(h); ; i++ {
		if i == len(s.keys) {
			i = 0
		}
		switch s.keys[i] {
		case 0:
			s.keys[i], s.recs[i] = h, uint32(rec)
			s.n++
			if s.n*5 > len(s.keys)*4 {
				s.resize(2 * len(s.keys))
			}
			return 0, false
		case h:
			return int(s.recs[i]), true
		}
	}
}

// prefetch reads the slots where the searches for hashes hs begin, one
// after the other: the processor then waits for these memory reads side
// by side, where check would wait for them one at a time. On a million
// ids the table is larger than the processor's caches: BenchmarkIDSet.
func (s *idSet) prefetch(hs []uint64) {
	var sum uint64
	for _, h := range hs {
		if h != 0 {
			sum += s.keys[s.slot(h)]
		}
	}
	s.sink = sum
}

// slot is where the search for hash h starts: the table need not be a
// power of two long, so that it can be sized to what a file needs.
func (s *idSet) slot(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(s.keys)))
	return int(hi)
}

// reserve makes room for about n more ids at once, rather than growing
// the table step by step while a large file is read: growing holds the
// old table and the new one at the same time.
func (s *idSet) reserve(n int) {
	if want := (s.n + n) * 5 / 4; want > len(s.keys) {
		s.resize(want)
	}
}

// resize moves the ids to a table of size slots.
func (s *idSet) resize(size int) {
	keys, recs := s.keys, s.recs
	s.keys, s.recs = make([]uint64, size), make([]uint32, size)
	for j, h := range keys {
		if h == 0 {
			continue
		}
		i := s.slot(h)
		for s.keys[i] != 0 {
			if i++; i == len(s.keys) {
				i = 0
			}
		}
		s.keys[i], s.recs[i] = h, recs[j]
	}
	if s.onGrow != nil {
		s.onGrow(int64(len(s.keys)) * 12)
	}
}

// flag adds a needs_review finding to a record whose patient id
// an earlier record had: two intakes for one patient cannot both be
// trusted, and one of them may belong to someone else.
func (s *idSet) flag(res *screening.Result, id string, rec int) {
	id = strings.TrimSpace(id)
	where := "an earlier record"
	for f := len(s.first) - 1; f >= 0; f-- {
		if s.first[f] > 0 && s.first[f] <= rec {
			where = fmt.Sprintf("record %d of %s", rec-s.first[f]+1, s.names[f])
			break
		}
	}
	f := screening.Finding{
		Rule: "duplicate-patient-id", Level: rules.NeedsReview, Source: "mesoscreen fail-safe",
		Field: "patient_id", Value: id,
		Message: fmt.Sprintf("patient_id %q was already used by %s; check which intake is this patient's", id, where),
	}
	// Keep the findings most severe first.
	i := 0
	for i < len(res.Findings) && res.Findings[i].Level.Severity() >= f.Level.Severity() {
		i++
	}
	res.Findings = slices.Insert(res.Findings, i, f)
	if res.Verdict.Severity() < f.Level.Severity() {
		res.Verdict = f.Level
		if !s.rs.ShowsInstructions(res.Verdict) {
			res.PreTreatment, res.Aftercare, res.Course = []string{}, []string{}, []screening.Step{}
		}
	}
}
