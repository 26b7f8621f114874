// Package batch screens the records of intake files on every core and
// hands back one result per record, in input order, with a record that
// cannot be read and a patient id seen before both flagged needs_review.
package batch

import (
	"hash/maphash"
	"iter"
	"runtime"
	"sync"
	"time"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// File is one input of a batch: its name, for messages, and its records
// in order.
type File struct {
	Name    string
	Records iter.Seq2[intake.Record, error]
}

// Options change how a batch is screened.
type Options struct {
	// Workers is how many records are screened at once; 0 means one per
	// core.
	Workers int
	// Progress, if set, is called with the number of results handed out
	// so far, after each run of them, on the goroutine that ranges over
	// the results.
	Progress func(done int)
	// Unknown, if set, is called once for each field name that the
	// records hold and the rule set does not ask (such fields are
	// ignored), the first time a record holds it, on the goroutine that
	// ranges over the results.
	Unknown func(field string)
	// At is the day a saved record is checked for: its clearances made by
	// then, and how old its screening is then. Zero means now.
	At time.Time
}

// chunkSize is how many records travel between goroutines together:
// enough to make handing them over cheap, few enough to keep memory
// small.
const chunkSize = 64

// chunk is a run of records and, once done is closed, their results.
type chunk struct {
	recs    []intake.Record
	extra   [][]screening.Finding // the duplicate-id finding of each record, if any
	res     []screening.Result
	unknown []string
	err     error // reading the input failed after recs
	done    chan struct{}
}

// Screen screens the records of the files, in order, with sc, and yields
// one result per record in the same order; each result's Source is its
// record's. The sequence yields a non-nil error, and stops, when reading
// an input fails; the results before it have been yielded.
//
// Memory holds a few chunks of records per worker, and the table of
// patient identifiers seen (about 35 bytes per patient, a hash and
// where it was first seen).
func Screen(sc *screening.Screener, files []File, opts Options) iter.Seq2[screening.Result, error] {
	return func(yield func(screening.Result, error) bool) {
		workers := opts.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		at := opts.At
		if at.IsZero() {
			at = time.Now()
		}
		order := make(chan *chunk, 4*workers)
		work := make(chan *chunk, 4*workers)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				ev := sc.NewEvaluator()
				for c := range work {
					screenChunk(ev, sc, c, at)
				}
			})
		}
		go feed(sc, files, order, work, stop)
		defer func() {
			close(stop)
			for range order { // let the feeder see stop and end
			}
			wg.Wait()
		}()

		seenUnknown := map[string]bool{}
		done := 0
		for c := range order {
			<-c.done
			for _, k := range c.unknown {
				if !seenUnknown[k] {
					seenUnknown[k] = true
					if opts.Unknown != nil {
						opts.Unknown(k)
					}
				}
			}
			for _, r := range c.res {
				if !yield(r, nil) {
					return
				}
			}
			done += len(c.res)
			if opts.Progress != nil && len(c.res) > 0 {
				opts.Progress(done)
			}
			if c.err != nil {
				yield(screening.Result{}, c.err)
				return
			}
		}
	}
}

// feed reads the files in order, in chunks, and queues each chunk both on
// order, for the results to be handed out in turn, and on work, for a
// worker to screen. Patient identifiers are checked here, on one
// goroutine in input order, so that the first record with an identifier
// is the one the later ones are flagged against.
func feed(sc *screening.Screener, files []File, order, work chan<- *chunk, stop <-chan struct{}) {
	defer close(order)
	defer close(work)
	ids := newIDTable(sc)
	cur := &chunk{}
	send := func() bool {
		c := cur
		cur = &chunk{}
		c.done = make(chan struct{})
		c.res = make([]screening.Result, len(c.recs))
		select {
		case order <- c:
		case <-stop:
			return false
		}
		select {
		case work <- c:
			return true
		case <-stop:
			return false
		}
	}
	for _, f := range files {
		n := 0
		for rec, err := range f.Records {
			if err != nil {
				cur.err = err
				send()
				return
			}
			n++
			cur.recs = append(cur.recs, rec)
			cur.extra = append(cur.extra, ids.check(rec, f.Name, n))
			if len(cur.recs) == chunkSize && !send() {
				return
			}
		}
	}
	if len(cur.recs) > 0 {
		send()
	}
}

// screenChunk screens the records of a chunk into its results, with the
// worker's evaluator; a saved record as of at.
func screenChunk(ev *screening.Evaluator, sc *screening.Screener, c *chunk, at time.Time) {
	defer close(c.done)
	for i, rec := range c.recs {
		if rec.Err != nil {
			c.res[i] = screening.Unreadable(sc.RuleSet(), rec.Source, rec.Err)
			continue
		}
		a := rec.Answers(sc.RuleSet())
		c.unknown = append(c.unknown, a.Unknown...)
		extra := append(c.extra[i], sc.FactFindings(rec.Facts)...)
		if rec.Saved != nil {
			c.res[i] = ev.EvaluateSaved(a, rec.Saved, at, extra...)
		} else {
			c.res[i] = ev.Evaluate(a, extra...)
		}
		c.res[i].Source = rec.Source
	}
	c.recs, c.extra = nil, nil
}

// idTable remembers the patient identifiers seen in a batch, to flag a
// later record with the same one. It keeps a 64-bit hash of each, not the
// identifier itself, with where it was first seen, so that a batch of a
// million patients keeps tens of megabytes rather than a hundred. Two
// different identifiers with the same hash (about 1 in 30 million at a
// million of them) would flag a record for review that did not need it,
// never the reverse.
type idTable struct {
	sc    *screening.Screener
	q     *rules.Question // the identifier question, nil if the rule set has none
	seed  maphash.Seed
	first map[uint64]seenAt
	names []string // the files' names, for seenAt.file
}

// seenAt is where an identifier was first seen: the record's number in
// its file (from 1), and the file.
type seenAt struct {
	rec  uint32
	file uint32
}

func newIDTable(sc *screening.Screener) *idTable {
	return &idTable{sc: sc, q: sc.RuleSet().Identifier(), seed: maphash.MakeSeed(), first: map[uint64]seenAt{}}
}

// check notes the identifier of record n of file name, and returns the
// duplicate finding if an earlier record had it.
func (t *idTable) check(rec intake.Record, name string, n int) []screening.Finding {
	id, ok := t.identifier(rec)
	if !ok {
		return nil
	}
	if len(t.names) == 0 || t.names[len(t.names)-1] != name {
		t.names = append(t.names, name)
	}
	// One patient's identifier written two ways is one patient
	// (screening.PatientKey).
	h := maphash.String(t.seed, screening.PatientKey(id))
	if at, dup := t.first[h]; dup {
		return []screening.Finding{t.sc.DuplicatePatient(t.q.ID, id, int(at.rec), t.names[at.file])}
	}
	t.first[h] = seenAt{rec: uint32(n), file: uint32(len(t.names) - 1)}
	return nil
}

// identifier returns the patient identifier a record gives, as screening
// will read it; the finding names it so, as written.
func (t *idTable) identifier(rec intake.Record) (string, bool) {
	if t.q == nil || rec.Err != nil {
		return "", false
	}
	for _, f := range rec.Fields {
		if f.ID != t.q.ID {
			continue
		}
		a := screening.ParseAnswer(t.q, f.Value)
		id, _ := a.Value.(string)
		return id, a.State == screening.Given && id != ""
	}
	return "", false
}
