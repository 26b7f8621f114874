package screening

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Most conditions in a rule set are a yes/no answer, a comparison of one
// answer with a constant, or the size of a list. Evaluating those through
// CEL costs more than everything else in a screening, so they are
// recognised once per rule set and decided directly on the answers, with
// CEL's meaning: an answer that is not given leaves the condition
// undecided, as it makes a CEL evaluation fail. Any other condition goes
// through CEL. TestFastConditionsAgreeWithCEL holds the two to the same
// results.

type fastOp uint8

const (
	opBool    fastOp = iota // x, or !x with neg
	opIntCmp                // x <op> n
	opStrEq                 // x == "s", or != with neg
	opStrIn                 // x in ["a", "b"]
	opSizeCmp               // size(x) <op> n
)

type fastCond struct {
	op   fastOp
	idx  int    // the question's index
	neg  bool   // for opBool and opStrEq
	cmp  string // ==, !=, <, <=, >, >=
	n    int64
	str  string
	strs []string
}

var (
	fastBool = regexp.MustCompile(`^\s*(!\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	fastInt  = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|>=|<=|>|<)\s*(-?[0-9]{1,18})\s*$`)
	fastStr  = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=)\s*"([^"\\]*)"\s*$`)
	fastIn   = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s+\[((?:\s*"[^"\\]*"\s*,)*\s*"[^"\\]*"\s*)\]\s*$`)
	fastSize = regexp.MustCompile(`^\s*size\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*(==|!=|>=|<=|>|<)\s*(-?[0-9]{1,18})\s*$`)
	fastItem = regexp.MustCompile(`"([^"\\]*)"`)
)

// compileFast returns the direct form of a condition, or nil when it must
// go through CEL.
func compileFast(rs *rules.RuleSet, c *rules.Condition) *fastCond {
	if c == nil {
		return nil
	}
	e := c.Expr
	q := func(id string, t rules.Type) int {
		i := rs.Index(id)
		if i < 0 || rs.Questions[i].Type != t {
			return -1
		}
		return i
	}
	if m := fastBool.FindStringSubmatch(e); m != nil {
		if i := q(m[2], rules.YesNo); i >= 0 {
			return &fastCond{op: opBool, idx: i, neg: m[1] != ""}
		}
		return nil
	}
	if m := fastInt.FindStringSubmatch(e); m != nil {
		n, err := strconv.ParseInt(m[3], 10, 64)
		if i := q(m[1], rules.Integer); i >= 0 && err == nil {
			return &fastCond{op: opIntCmp, idx: i, cmp: m[2], n: n}
		}
		return nil
	}
	if m := fastStr.FindStringSubmatch(e); m != nil {
		i := q(m[1], rules.Choice)
		if i < 0 {
			i = q(m[1], rules.Text)
		}
		if i >= 0 {
			return &fastCond{op: opStrEq, idx: i, neg: m[2] == "!=", str: m[3]}
		}
		return nil
	}
	if m := fastIn.FindStringSubmatch(e); m != nil {
		i := q(m[1], rules.Choice)
		if i < 0 {
			i = q(m[1], rules.Text)
		}
		if i < 0 {
			return nil
		}
		f := &fastCond{op: opStrIn, idx: i}
		for _, it := range fastItem.FindAllStringSubmatch(m[2], -1) {
			f.strs = append(f.strs, it[1])
		}
		return f
	}
	if m := fastSize.FindStringSubmatch(e); m != nil {
		n, err := strconv.ParseInt(m[3], 10, 64)
		if i := q(m[1], rules.List); i >= 0 && err == nil {
			return &fastCond{op: opSizeCmp, idx: i, cmp: m[2], n: n}
		}
	}
	return nil
}

func compare(a int64, cmp string, b int64) bool {
	switch cmp {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	}
	return a >= b
}

// eval decides the condition on the answers; decided is false when the
// answer it reads is not given.
func (f *fastCond) eval(vals []Answer) (result, decided bool) {
	v := vals[f.idx]
	if v.State != Given {
		return false, false
	}
	switch f.op {
	case opBool:
		b, ok := v.Value.(bool)
		return b != f.neg, ok
	case opIntCmp:
		n, ok := v.Value.(int64)
		return ok && compare(n, f.cmp, f.n), ok
	case opStrEq:
		s, ok := v.Value.(string)
		return ok && (s == f.str) != f.neg, ok
	case opStrIn:
		s, ok := v.Value.(string)
		return ok && slices.Contains(f.strs, s), ok
	case opSizeCmp:
		l, ok := v.Value.([]string)
		return ok && compare(int64(len(l)), f.cmp, f.n), ok
	}
	return false, false
}

// plan holds the direct forms of a rule set's conditions, indexed like
// the questions, rules and instructions; nil entries go through CEL.
type plan struct {
	when               []*fastCond
	rules              []*fastCond
	pre, after, course []*fastCond
	// The finding of each rule and the step of each course instruction,
	// built once rather than for every record.
	findings []Finding
	steps    []Step
}

var plans sync.Map // *rules.RuleSet -> *plan

func planFor(rs *rules.RuleSet) *plan {
	if p, ok := plans.Load(rs); ok {
		return p.(*plan)
	}
	p := &plan{}
	add := func(c *rules.Condition) *fastCond { return compileFast(rs, c) }
	for _, q := range rs.Questions {
		p.when = append(p.when, add(q.Cond()))
	}
	for _, r := range rs.Rules {
		p.rules = append(p.rules, add(r.Cond()))
		p.findings = append(p.findings, Finding{
			Rule: r.ID, Level: r.Level, Message: r.Message,
			Rationale: strings.TrimSpace(r.Rationale), Source: r.SourceText(),
		})
	}
	for _, x := range rs.Instructions.PreTreatment {
		p.pre = append(p.pre, add(x.Cond()))
	}
	for _, x := range rs.Instructions.Aftercare {
		p.after = append(p.after, add(x.Cond()))
	}
	for _, x := range rs.Instructions.Course {
		p.course = append(p.course, add(x.Cond()))
		p.steps = append(p.steps, Step{Text: x.Text, Source: x.SourceText()})
	}
	actual, _ := plans.LoadOrStore(rs, p)
	return actual.(*plan)
}
