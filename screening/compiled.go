package screening

import (
	"unicode/utf8"

	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/parser"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Conditions compiled to Go. Evaluating a condition through CEL costs more
// than everything else in a screening, mostly in building the activation
// and boxing each value, so the loader's CEL program is used only for
// conditions outside the subset below. That subset covers what rule sets
// are written with: answers, parameters and the derived medication fields;
// literals and lists of literals; ! && || ?: == != < <= > >= in; size();
// and the exists, all, exists_one and filter macros over a list.
//
// The meaning is CEL's, including for answers that cannot be used: an
// answer that is missing, unsure or unreadable is absent from CEL's
// activation, which makes any expression that needs it an error, while
// false && error is false and true || error is true. Here that error is
// the undecided value. The loader has type-checked every condition, so the
// compiler trusts the types it finds and gives up (nil) on anything it
// does not know. TestCompiledConditionsAgreeWithCEL holds both to the same
// results.

type kind uint8

const (
	kUndecided kind = iota
	kBool
	kInt
	kString
	kStrings // a list of strings
	kMeds    // medications_recognised
	kMed     // one element of it
)

// value is a condition's value, or kUndecided.
type value struct {
	k    kind
	b    bool
	n    int64
	s    string
	strs []string
	meds []Medication
	med  *Medication
}

var undecided = value{}

func boolVal(b bool) value { return value{k: kBool, b: b} }

// scope is what a compiled condition reads: the answers, the medicines
// recognised, and the values of the macro variables in scope.
type scope struct {
	vals []Answer
	md   *medInfo
	vars [4]value
}

type node func(*scope) value

// maxVars is how deeply macros can nest in a compiled condition.
const maxVars = 4

type compiler struct {
	rs   *rules.RuleSet
	vars []string // the macro variables in scope, by slot
	kind []kind   // and the kinds of their values
}

// compileCondition returns the Go form of a condition, or nil when it must
// go through CEL.
func compileCondition(rs *rules.RuleSet, c *rules.Condition) node {
	if c == nil {
		return nil
	}
	p, err := parser.NewParser() // no macros: x.exists(v, p) stays a call
	if err != nil {
		return nil
	}
	tree, iss := p.Parse(common.NewTextSource(c.Expr))
	if iss != nil && len(iss.GetErrors()) > 0 {
		return nil
	}
	cp := &compiler{rs: rs}
	n, k := cp.expr(tree.Expr())
	if n == nil || k != kBool {
		return nil
	}
	return n
}

// expr compiles e, returning its node and the kind of value it gives, or
// a nil node.
func (cp *compiler) expr(e ast.Expr) (node, kind) {
	switch e.Kind() {
	case ast.LiteralKind:
		return cp.literal(e.AsLiteral())
	case ast.IdentKind:
		return cp.ident(e.AsIdent())
	case ast.SelectKind:
		return cp.sel(e.AsSelect())
	case ast.ListKind:
		var strs []string
		for _, el := range e.AsList().Elements() {
			if el.Kind() != ast.LiteralKind {
				return nil, 0
			}
			s, ok := el.AsLiteral().(types.String)
			if !ok {
				return nil, 0
			}
			strs = append(strs, string(s))
		}
		v := value{k: kStrings, strs: strs}
		return func(*scope) value { return v }, kStrings
	case ast.CallKind:
		return cp.call(e.AsCall())
	}
	return nil, 0
}

func (cp *compiler) literal(l any) (node, kind) {
	var v value
	switch x := l.(type) {
	case types.Bool:
		v = boolVal(bool(x))
	case types.Int:
		v = value{k: kInt, n: int64(x)}
	case types.String:
		v = value{k: kString, s: string(x)}
	default:
		return nil, 0
	}
	return func(*scope) value { return v }, v.k
}

func (cp *compiler) ident(name string) (node, kind) {
	for slot := len(cp.vars) - 1; slot >= 0; slot-- {
		if cp.vars[slot] == name {
			return func(s *scope) value { return s.vars[slot] }, cp.kind[slot]
		}
	}
	switch name {
	case rules.FieldMedicationClasses:
		return func(s *scope) value { return value{k: kStrings, strs: s.md.classes} }, kStrings
	case rules.FieldMedicationsRecognised:
		return func(s *scope) value { return value{k: kMeds, meds: s.md.list} }, kMeds
	}
	i := cp.rs.Index(name)
	if i < 0 {
		return nil, 0
	}
	switch cp.rs.Questions[i].Type {
	case rules.YesNo:
		return func(s *scope) value {
			v := s.vals[i]
			if b, ok := v.Value.(bool); ok && v.State == Given {
				return boolVal(b)
			}
			return undecided
		}, kBool
	case rules.Integer:
		return func(s *scope) value {
			v := s.vals[i]
			if n, ok := v.Value.(int64); ok && v.State == Given {
				return value{k: kInt, n: n}
			}
			return undecided
		}, kInt
	case rules.List:
		return func(s *scope) value {
			v := s.vals[i]
			if l, ok := v.Value.([]string); ok && v.State == Given {
				return value{k: kStrings, strs: l}
			}
			return undecided
		}, kStrings
	}
	return func(s *scope) value {
		v := s.vals[i]
		if str, ok := v.Value.(string); ok && v.State == Given {
			return value{k: kString, s: str}
		}
		return undecided
	}, kString
}

func (cp *compiler) sel(s ast.SelectExpr) (node, kind) {
	if s.IsTestOnly() {
		return nil, 0
	}
	op := s.Operand()
	if op.Kind() == ast.IdentKind && op.AsIdent() == "params" && !cp.bound("params") {
		p, ok := cp.rs.Param(s.FieldName())
		if !ok {
			return nil, 0
		}
		switch x := p.Value.(type) {
		case int64:
			return cp.literal(types.Int(x))
		case bool:
			return cp.literal(types.Bool(x))
		case string:
			return cp.literal(types.String(x))
		}
		return nil, 0
	}
	on, k := cp.expr(op)
	if on == nil || k != kMed {
		return nil, 0
	}
	get := func(f func(*Medication) value) node {
		return func(sc *scope) value {
			m := on(sc)
			if m.k != kMed {
				return undecided
			}
			return f(m.med)
		}
	}
	switch s.FieldName() {
	case "written":
		return get(func(m *Medication) value { return value{k: kString, s: m.Written} }), kString
	case "generic":
		return get(func(m *Medication) value { return value{k: kString, s: m.Generic} }), kString
	case "how":
		return get(func(m *Medication) value { return value{k: kString, s: string(m.How)} }), kString
	case "classes":
		return get(func(m *Medication) value { return value{k: kStrings, strs: m.Classes} }), kStrings
	case "atc":
		return get(func(m *Medication) value { return value{k: kStrings, strs: m.ATC} }), kStrings
	case "possibly_stopped":
		return get(func(m *Medication) value { return boolVal(m.PossiblyStopped != "") }), kBool
	}
	return nil, 0
}

func (cp *compiler) bound(name string) bool {
	for _, v := range cp.vars {
		if v == name {
			return true
		}
	}
	return false
}

func (cp *compiler) call(c ast.CallExpr) (node, kind) {
	fn, args := c.FunctionName(), c.Args()
	if c.IsMemberFunction() {
		return cp.member(fn, c.Target(), args)
	}
	sub := make([]node, len(args))
	kinds := make([]kind, len(args))
	for i, a := range args {
		if sub[i], kinds[i] = cp.expr(a); sub[i] == nil {
			return nil, 0
		}
	}
	switch fn {
	case operators.LogicalNot:
		if kinds[0] != kBool {
			return nil, 0
		}
		x := sub[0]
		return func(s *scope) value {
			v := x(s)
			if v.k != kBool {
				return undecided
			}
			return boolVal(!v.b)
		}, kBool
	case operators.LogicalAnd, operators.LogicalOr:
		if kinds[0] != kBool || kinds[1] != kBool {
			return nil, 0
		}
		return logical(sub[0], sub[1], fn == operators.LogicalOr), kBool
	case operators.Conditional:
		if kinds[0] != kBool || kinds[1] != kinds[2] {
			return nil, 0
		}
		c, x, y := sub[0], sub[1], sub[2]
		return func(s *scope) value {
			switch v := c(s); {
			case v.k != kBool:
				return undecided
			case v.b:
				return x(s)
			}
			return y(s)
		}, kinds[1]
	case operators.Negate:
		if kinds[0] != kInt {
			return nil, 0
		}
		x := sub[0]
		return func(s *scope) value {
			v := x(s)
			if v.k != kInt {
				return undecided
			}
			v.n = -v.n
			return v
		}, kInt
	case operators.Equals, operators.NotEquals, operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
		if kinds[0] != kinds[1] {
			return nil, 0
		}
		return comparison(fn, kinds[0], sub[0], sub[1])
	case operators.In:
		if kinds[0] != kString || kinds[1] != kStrings {
			return nil, 0
		}
		x, l := sub[0], sub[1]
		return func(s *scope) value {
			v, lv := x(s), l(s)
			if v.k != kString || lv.k != kStrings {
				return undecided
			}
			for _, it := range lv.strs {
				if it == v.s {
					return boolVal(true)
				}
			}
			return boolVal(false)
		}, kBool
	case "size":
		if len(args) != 1 {
			return nil, 0
		}
		return size(args[0], sub[0], kinds[0], cp)
	}
	return nil, 0
}

func logical(x, y node, or bool) node {
	// CEL: false && error is false, true || error is true, whichever side
	// the error is on.
	return func(s *scope) value {
		a := x(s)
		if a.k == kBool && a.b == or {
			return a
		}
		b := y(s)
		switch {
		case b.k == kBool && b.b == or:
			return b
		case a.k != kBool || b.k != kBool:
			return undecided
		}
		return boolVal(!or)
	}
}

func comparison(fn string, k kind, x, y node) (node, kind) {
	var cmp func(a, b value) bool
	switch k {
	case kInt:
		switch fn {
		case operators.Equals:
			cmp = func(a, b value) bool { return a.n == b.n }
		case operators.NotEquals:
			cmp = func(a, b value) bool { return a.n != b.n }
		case operators.Less:
			cmp = func(a, b value) bool { return a.n < b.n }
		case operators.LessEquals:
			cmp = func(a, b value) bool { return a.n <= b.n }
		case operators.Greater:
			cmp = func(a, b value) bool { return a.n > b.n }
		default:
			cmp = func(a, b value) bool { return a.n >= b.n }
		}
	case kString:
		switch fn {
		case operators.Equals:
			cmp = func(a, b value) bool { return a.s == b.s }
		case operators.NotEquals:
			cmp = func(a, b value) bool { return a.s != b.s }
		default:
			return nil, 0 // CEL orders strings by code point; not needed
		}
	case kBool:
		switch fn {
		case operators.Equals:
			cmp = func(a, b value) bool { return a.b == b.b }
		case operators.NotEquals:
			cmp = func(a, b value) bool { return a.b != b.b }
		default:
			return nil, 0
		}
	default:
		return nil, 0
	}
	return func(s *scope) value {
		a, b := x(s), y(s)
		if a.k != k || b.k != k {
			return undecided
		}
		return boolVal(cmp(a, b))
	}, kBool
}

// size compiles size(e); size(l.filter(v, p)) counts without building the
// filtered list.
func size(e ast.Expr, x node, k kind, cp *compiler) (node, kind) {
	if e.Kind() == ast.CallKind {
		if c := e.AsCall(); c.IsMemberFunction() && c.FunctionName() == "filter" {
			if n := cp.macro("count", c.Target(), c.Args()); n != nil {
				return n, kInt
			}
		}
	}
	switch k {
	case kString:
		return func(s *scope) value {
			v := x(s)
			if v.k != kString {
				return undecided
			}
			return value{k: kInt, n: int64(utf8.RuneCountInString(v.s))}
		}, kInt
	case kStrings, kMeds:
		return func(s *scope) value {
			v := x(s)
			switch v.k {
			case kStrings:
				return value{k: kInt, n: int64(len(v.strs))}
			case kMeds:
				return value{k: kInt, n: int64(len(v.meds))}
			}
			return undecided
		}, kInt
	}
	return nil, 0
}

func (cp *compiler) member(fn string, target ast.Expr, args []ast.Expr) (node, kind) {
	switch fn {
	case "size":
		if len(args) != 0 {
			return nil, 0
		}
		x, k := cp.expr(target)
		if x == nil {
			return nil, 0
		}
		return size(target, x, k, cp)
	case "exists", "all", "exists_one":
		if n := cp.macro(fn, target, args); n != nil {
			return n, kBool
		}
	case "filter":
		if n := cp.macro(fn, target, args); n != nil {
			_, k := cp.expr(target)
			return n, k
		}
	}
	return nil, 0
}

// macro compiles l.fn(v, p) for exists, all, exists_one, filter and
// count (the size of a filter).
func (cp *compiler) macro(fn string, target ast.Expr, args []ast.Expr) node {
	if len(args) != 2 || args[0].Kind() != ast.IdentKind || len(cp.vars) == maxVars {
		return nil
	}
	l, lk := cp.expr(target)
	if l == nil || lk != kStrings && lk != kMeds {
		return nil
	}
	elem := kString
	if lk == kMeds {
		elem = kMed
	}
	slot := len(cp.vars)
	cp.vars, cp.kind = append(cp.vars, args[0].AsIdent()), append(cp.kind, elem)
	p, pk := cp.expr(args[1])
	cp.vars, cp.kind = cp.vars[:slot], cp.kind[:slot]
	if p == nil || pk != kBool {
		return nil
	}
	// The loops below bind the variable to each element in turn and
	// evaluate the predicate; a list that is undecided decides nothing.
	at := func(s *scope, lv *value, i int) value {
		if lv.k == kStrings {
			s.vars[slot] = value{k: kString, s: lv.strs[i]}
		} else {
			s.vars[slot] = value{k: kMed, med: &lv.meds[i]}
		}
		return p(s)
	}
	length := func(lv *value) int {
		if lv.k == kStrings {
			return len(lv.strs)
		}
		return len(lv.meds)
	}
	switch fn {
	case "exists", "all":
		want := fn == "exists" // the value that decides it at once
		return func(s *scope) value {
			lv := l(s)
			if lv.k == kUndecided {
				return undecided
			}
			unsure := false
			for i := range length(&lv) {
				switch v := at(s, &lv, i); {
				case v.k != kBool:
					unsure = true
				case v.b == want:
					return v
				}
			}
			if unsure {
				return undecided
			}
			return boolVal(!want)
		}
	case "exists_one", "count", "filter":
		return func(s *scope) value {
			lv := l(s)
			if lv.k == kUndecided {
				return undecided
			}
			n := int64(0)
			out := value{k: lv.k}
			for i := range length(&lv) {
				v := at(s, &lv, i)
				if v.k != kBool {
					return undecided
				}
				if !v.b {
					continue
				}
				n++
				switch {
				case fn != "filter":
				case lv.k == kStrings:
					out.strs = append(out.strs, lv.strs[i])
				default:
					out.meds = append(out.meds, lv.meds[i])
				}
			}
			switch fn {
			case "count":
				return value{k: kInt, n: n}
			case "exists_one":
				return boolVal(n == 1)
			}
			return out
		}
	}
	return nil
}
