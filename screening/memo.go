package screening

import (
	"encoding/binary"
	"slices"

	"github.com/mesoscreen/mesoscreen/rules"
)

// An Evaluator screens intakes one after another with a screener's rule
// set, as Screener.Evaluate does, and keeps what each condition gave for
// the answers it read: intakes that give a condition the same answers do
// not evaluate it again. A batch's intakes repeat the same few answers to
// most questions, so most conditions are then decided by a look-up.
//
// What is kept is exact: it is keyed by the state and value of every
// answer the condition refers to in its checked syntax tree
// (rules.Condition.Reads), and of every answer a derived field it reads is
// made from (rules.DerivedField), and CEL gives the same for the same
// values. It is kept for conditions with short keys only, and for at most
// maxMemo value sets each, so that it stays small. An Evaluator is not safe for concurrent
// use: each goroutine makes its own.
type Evaluator struct {
	s     *Screener
	conds map[*rules.Condition]*condMemo
	key   []byte
}

// condMemo is what one condition gave, by the values it read.
type condMemo struct {
	reads []int // the questions it reads, by index, directly or through a derived field
	// states is set when it reads a derived field made from whether each
	// answer can be used: the state of every answer is then part of the
	// key.
	states bool
	// unasked is set when it reads a derived field made from the answers
	// no question reads: they are then part of the key.
	unasked bool
	given   map[string]outcome
}

type outcome struct {
	ok  bool
	err error
}

const (
	maxMemo    = 4096 // value sets kept per condition
	maxMemoKey = 256  // bytes of a key kept
)

// NewEvaluator returns an evaluator for one goroutine.
func (s *Screener) NewEvaluator() *Evaluator {
	return &Evaluator{s: s, conds: map[*rules.Condition]*condMemo{}}
}

// Evaluate screens the answers as Screener.Evaluate does.
func (e *Evaluator) Evaluate(a *Answers, extra ...Finding) Result {
	return e.s.evaluate(a, e, extra, nil)
}

// eval evaluates condition c for the answers of act, or gives what it gave
// before for the same values.
func (e *Evaluator) eval(c *rules.Condition, act *activation) (bool, error) {
	m := e.conds[c]
	if m == nil {
		m = e.s.newCondMemo(c)
		e.conds[c] = m
	}
	e.key = act.appendKey(e.key[:0], m)
	if len(e.key) > maxMemoKey {
		return c.Eval(act)
	}
	if o, ok := m.given[string(e.key)]; ok {
		return o.ok, o.err
	}
	ok, err := c.Eval(act)
	if len(m.given) < maxMemo {
		m.given[string(e.key)] = outcome{ok, err}
	}
	return ok, err
}

func (s *Screener) newCondMemo(c *rules.Condition) *condMemo {
	m := &condMemo{given: map[string]outcome{}}
	add := func(i int) {
		if i >= 0 && !slices.Contains(m.reads, i) {
			m.reads = append(m.reads, i)
		}
	}
	for _, id := range c.Reads() {
		if i := s.rs.Index(id); i >= 0 {
			add(i)
		} else if d, ok := rules.Derived(id); ok {
			for _, from := range d.From {
				add(s.rs.Index(from))
			}
			m.states = m.states || d.AllAnswers
			m.unasked = m.unasked || d.Unasked
		}
	}
	return m
}

// appendKey writes the answers a condition reads, as it sees them, to
// dst: for each, its state and, if given, its value, each value's length
// before it so that no two sets of values write the same bytes; then,
// for each answer set aside (that the derived fields still read), the
// same again after a mark.
func (act *activation) appendKey(dst []byte, m *condMemo) []byte {
	if m.states {
		for _, a := range act.vals {
			dst = append(dst, byte(a.State))
		}
	}
	if m.unasked {
		dst = binary.AppendUvarint(dst, uint64(len(act.unasked)))
		for _, u := range act.unasked {
			dst = binary.AppendUvarint(dst, uint64(len(u.text)))
			dst = append(dst, u.text...)
		}
	}
	for _, i := range m.reads {
		dst = appendAnswer(dst, act.vals[i])
		if a, ok := act.aside[i]; ok {
			dst = appendAnswer(append(dst, 0xff), a)
		}
	}
	return dst
}

// appendAnswer writes one answer's state and, if given, its value.
func appendAnswer(dst []byte, a Answer) []byte {
	dst = append(dst, byte(a.State))
	if a.State == Given {
		switch v := a.Value.(type) {
		case bool:
			if v {
				dst = append(dst, 1)
			} else {
				dst = append(dst, 0)
			}
		case int64:
			dst = binary.AppendVarint(dst, v)
		case string:
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			dst = append(dst, v...)
		case []string:
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			for _, x := range v {
				dst = binary.AppendUvarint(dst, uint64(len(x)))
				dst = append(dst, x...)
			}
		}
	}
	return dst
}
