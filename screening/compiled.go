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
// "undecided": ok is false, or a condition gives undecided. The loader
// has type-checked every condition, so the compiler trusts the types it
// finds and gives up on anything it does not know. Each kind of value has
// its own kind of function, so that nothing is boxed.
// TestCompiledConditionsAgreeWithCEL holds both to the same results.

// tri is a condition's value: false, true or undecided.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUndecided
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// list is a list value: strings, or the medicines recognised.
type list struct {
	strs []string
	meds []Medication
}

type (
	boolFn func(*scope) tri
	intFn  func(*scope) (int64, bool)
	strFn  func(*scope) (string, bool)
	listFn func(*scope) (list, bool)
	medFn  func(*scope) *Medication
)

type kind uint8

const (
	kNone kind = iota
	kBool
	kInt
	kString
	kStrings // a list of strings
	kMeds    // medications_recognised
	kMed     // one element of it
)

// compiled is a compiled expression: its kind, and the function of that
// kind.
type compiled struct {
	k kind
	b boolFn
	i intFn
	s strFn
	l listFn
	m medFn
}

// maxVars is how deeply macros can nest in a compiled condition.
const maxVars = 4

// scope is what a compiled condition reads: the answers, the medicines
// recognised, and the values of the macro variables in scope.
type scope struct {
	vals []Answer
	md   *medInfo
	strs [maxVars]string
	meds [maxVars]*Medication
}

type compiler struct {
	rs   *rules.RuleSet
	vars []string // the macro variables in scope, by slot
	kind []kind   // and the kinds of their values
}

// compileCondition returns the Go form of a condition, or nil when it must
// go through CEL.
func compileCondition(rs *rules.RuleSet, c *rules.Condition) boolFn {
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
	return cp.expr(tree.Expr()).b
}

// expr compiles e; the kind is kNone when it cannot be compiled.
func (cp *compiler) expr(e ast.Expr) compiled {
	switch e.Kind() {
	case ast.LiteralKind:
		return literal(e.AsLiteral())
	case ast.IdentKind:
		return cp.ident(e.AsIdent())
	case ast.SelectKind:
		return cp.sel(e.AsSelect())
	case ast.ListKind:
		var strs []string
		for _, el := range e.AsList().Elements() {
			if el.Kind() != ast.LiteralKind {
				return compiled{}
			}
			s, ok := el.AsLiteral().(types.String)
			if !ok {
				return compiled{}
			}
			strs = append(strs, string(s))
		}
		l := list{strs: strs}
		return compiled{k: kStrings, l: func(*scope) (list, bool) { return l, true }}
	case ast.CallKind:
		return cp.call(e.AsCall())
	}
	return compiled{}
}

func literal(l any) compiled {
	switch x := l.(type) {
	case types.Bool:
		v := triOf(bool(x))
		return compiled{k: kBool, b: func(*scope) tri { return v }}
	case types.Int:
		return compiled{k: kInt, i: func(*scope) (int64, bool) { return int64(x), true }}
	case types.String:
		return compiled{k: kString, s: func(*scope) (string, bool) { return string(x), true }}
	}
	return compiled{}
}

func (cp *compiler) ident(name string) compiled {
	for slot := len(cp.vars) - 1; slot >= 0; slot-- {
		if cp.vars[slot] != name {
			continue
		}
		if cp.kind[slot] == kMed {
			return compiled{k: kMed, m: func(s *scope) *Medication { return s.meds[slot] }}
		}
		return compiled{k: kString, s: func(s *scope) (string, bool) { return s.strs[slot], true }}
	}
	switch name {
	case rules.FieldMedicationClasses:
		return compiled{k: kStrings, l: func(s *scope) (list, bool) { return list{strs: s.md.classes}, true }}
	case rules.FieldMedicationsRecognised:
		return compiled{k: kMeds, l: func(s *scope) (list, bool) { return list{meds: s.md.list}, true }}
	}
	i := cp.rs.Index(name)
	if i < 0 {
		return compiled{}
	}
	switch cp.rs.Questions[i].Type {
	case rules.YesNo:
		return compiled{k: kBool, b: func(s *scope) tri {
			v := &s.vals[i]
			if b, ok := v.Value.(bool); ok && v.State == Given {
				return triOf(b)
			}
			return triUndecided
		}}
	case rules.Integer:
		return compiled{k: kInt, i: func(s *scope) (int64, bool) {
			v := &s.vals[i]
			n, ok := v.Value.(int64)
			return n, ok && v.State == Given
		}}
	case rules.List:
		return compiled{k: kStrings, l: func(s *scope) (list, bool) {
			v := &s.vals[i]
			l, ok := v.Value.([]string)
			return list{strs: l}, ok && v.State == Given
		}}
	}
	return compiled{k: kString, s: func(s *scope) (string, bool) {
		v := &s.vals[i]
		str, ok := v.Value.(string)
		return str, ok && v.State == Given
	}}
}

func (cp *compiler) sel(s ast.SelectExpr) compiled {
	if s.IsTestOnly() {
		return compiled{}
	}
	op := s.Operand()
	if op.Kind() == ast.IdentKind && op.AsIdent() == "params" && !cp.bound("params") {
		p, ok := cp.rs.Param(s.FieldName())
		if !ok {
			return compiled{}
		}
		switch x := p.Value.(type) {
		case int64:
			return literal(types.Int(x))
		case bool:
			return literal(types.Bool(x))
		case string:
			return literal(types.String(x))
		}
		return compiled{}
	}
	on := cp.expr(op)
	if on.k != kMed {
		return compiled{}
	}
	m := on.m
	str := func(f func(*Medication) string) compiled {
		return compiled{k: kString, s: func(s *scope) (string, bool) { return f(m(s)), true }}
	}
	strs := func(f func(*Medication) []string) compiled {
		return compiled{k: kStrings, l: func(s *scope) (list, bool) { return list{strs: f(m(s))}, true }}
	}
	switch s.FieldName() {
	case "written":
		return str(func(m *Medication) string { return m.Written })
	case "generic":
		return str(func(m *Medication) string { return m.Generic })
	case "how":
		return str(func(m *Medication) string { return string(m.How) })
	case "classes":
		return strs(func(m *Medication) []string { return m.Classes })
	case "atc":
		return strs(func(m *Medication) []string { return m.ATC })
	case "possibly_stopped":
		return compiled{k: kBool, b: func(s *scope) tri { return triOf(m(s).PossiblyStopped != "") }}
	}
	return compiled{}
}

func (cp *compiler) bound(name string) bool {
	for _, v := range cp.vars {
		if v == name {
			return true
		}
	}
	return false
}

func (cp *compiler) call(c ast.CallExpr) compiled {
	fn, args := c.FunctionName(), c.Args()
	if c.IsMemberFunction() {
		return cp.member(fn, c.Target(), args)
	}
	sub := make([]compiled, len(args))
	for i, a := range args {
		if sub[i] = cp.expr(a); sub[i].k == kNone {
			return compiled{}
		}
	}
	switch fn {
	case operators.LogicalNot:
		if sub[0].k != kBool {
			return compiled{}
		}
		x := sub[0].b
		return compiled{k: kBool, b: func(s *scope) tri {
			switch x(s) {
			case triTrue:
				return triFalse
			case triFalse:
				return triTrue
			}
			return triUndecided
		}}
	case operators.LogicalAnd, operators.LogicalOr:
		if sub[0].k != kBool || sub[1].k != kBool {
			return compiled{}
		}
		return compiled{k: kBool, b: logical(sub[0].b, sub[1].b, fn == operators.LogicalOr)}
	case operators.Conditional:
		if sub[0].k != kBool || sub[1].k != sub[2].k {
			return compiled{}
		}
		return conditional(sub[0].b, sub[1], sub[2])
	case operators.Negate:
		if sub[0].k != kInt {
			return compiled{}
		}
		x := sub[0].i
		return compiled{k: kInt, i: func(s *scope) (int64, bool) {
			n, ok := x(s)
			return -n, ok
		}}
	case operators.Equals, operators.NotEquals, operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
		if sub[0].k != sub[1].k {
			return compiled{}
		}
		return comparison(fn, sub[0], sub[1])
	case operators.In:
		if sub[0].k != kString || sub[1].k != kStrings {
			return compiled{}
		}
		x, l := sub[0].s, sub[1].l
		if args[1].Kind() == ast.ListKind {
			// x in ["a", "b"]: the list is known now.
			lit, _ := l(nil)
			return compiled{k: kBool, b: func(s *scope) tri {
				v, ok := x(s)
				if !ok {
					return triUndecided
				}
				for _, it := range lit.strs {
					if it == v {
						return triTrue
					}
				}
				return triFalse
			}}
		}
		return compiled{k: kBool, b: func(s *scope) tri {
			v, ok1 := x(s)
			lv, ok2 := l(s)
			if !ok1 || !ok2 {
				return triUndecided
			}
			for _, it := range lv.strs {
				if it == v {
					return triTrue
				}
			}
			return triFalse
		}}
	case "size":
		if len(args) != 1 {
			return compiled{}
		}
		return cp.size(args[0], sub[0])
	}
	return compiled{}
}

func logical(x, y boolFn, or bool) boolFn {
	// CEL: false && error is false, true || error is true, whichever side
	// the error is on.
	decides := triOf(or)
	return func(s *scope) tri {
		a := x(s)
		if a == decides {
			return a
		}
		b := y(s)
		if b != decides && a == triUndecided {
			return triUndecided
		}
		return b
	}
}

func conditional(c boolFn, x, y compiled) compiled {
	pick := func(s *scope) (compiled, bool) {
		switch c(s) {
		case triTrue:
			return x, true
		case triFalse:
			return y, true
		}
		return compiled{}, false
	}
	switch x.k {
	case kBool:
		return compiled{k: kBool, b: func(s *scope) tri {
			if e, ok := pick(s); ok {
				return e.b(s)
			}
			return triUndecided
		}}
	case kInt:
		return compiled{k: kInt, i: func(s *scope) (int64, bool) {
			if e, ok := pick(s); ok {
				return e.i(s)
			}
			return 0, false
		}}
	case kString:
		return compiled{k: kString, s: func(s *scope) (string, bool) {
			if e, ok := pick(s); ok {
				return e.s(s)
			}
			return "", false
		}}
	case kStrings, kMeds:
		return compiled{k: x.k, l: func(s *scope) (list, bool) {
			if e, ok := pick(s); ok {
				return e.l(s)
			}
			return list{}, false
		}}
	}
	return compiled{}
}

func comparison(fn string, x, y compiled) compiled {
	switch x.k {
	case kInt:
		var cmp func(a, b int64) bool
		switch fn {
		case operators.Equals:
			cmp = func(a, b int64) bool { return a == b }
		case operators.NotEquals:
			cmp = func(a, b int64) bool { return a != b }
		case operators.Less:
			cmp = func(a, b int64) bool { return a < b }
		case operators.LessEquals:
			cmp = func(a, b int64) bool { return a <= b }
		case operators.Greater:
			cmp = func(a, b int64) bool { return a > b }
		default:
			cmp = func(a, b int64) bool { return a >= b }
		}
		xi, yi := x.i, y.i
		return compiled{k: kBool, b: func(s *scope) tri {
			a, ok1 := xi(s)
			b, ok2 := yi(s)
			if !ok1 || !ok2 {
				return triUndecided
			}
			return triOf(cmp(a, b))
		}}
	case kString:
		if fn != operators.Equals && fn != operators.NotEquals {
			return compiled{} // CEL orders strings by code point; not needed
		}
		ne := fn == operators.NotEquals
		xs, ys := x.s, y.s
		return compiled{k: kBool, b: func(s *scope) tri {
			a, ok1 := xs(s)
			b, ok2 := ys(s)
			if !ok1 || !ok2 {
				return triUndecided
			}
			return triOf((a == b) != ne)
		}}
	case kBool:
		if fn != operators.Equals && fn != operators.NotEquals {
			return compiled{}
		}
		ne := fn == operators.NotEquals
		xb, yb := x.b, y.b
		return compiled{k: kBool, b: func(s *scope) tri {
			a, b := xb(s), yb(s)
			if a == triUndecided || b == triUndecided {
				return triUndecided
			}
			return triOf((a == b) != ne)
		}}
	}
	return compiled{}
}

// size compiles size(e); size(l.filter(v, p)) counts without building the
// filtered list.
func (cp *compiler) size(e ast.Expr, x compiled) compiled {
	if e.Kind() == ast.CallKind {
		if c := e.AsCall(); c.IsMemberFunction() && c.FunctionName() == "filter" {
			if n := cp.macro("count", c.Target(), c.Args()); n.k != kNone {
				return n
			}
		}
	}
	switch x.k {
	case kString:
		xs := x.s
		return compiled{k: kInt, i: func(s *scope) (int64, bool) {
			v, ok := xs(s)
			return int64(utf8.RuneCountInString(v)), ok
		}}
	case kStrings, kMeds:
		xl := x.l
		return compiled{k: kInt, i: func(s *scope) (int64, bool) {
			v, ok := xl(s)
			return int64(len(v.strs) + len(v.meds)), ok
		}}
	}
	return compiled{}
}

func (cp *compiler) member(fn string, target ast.Expr, args []ast.Expr) compiled {
	switch fn {
	case "size":
		if len(args) != 0 {
			return compiled{}
		}
		x := cp.expr(target)
		if x.k == kNone {
			return compiled{}
		}
		return cp.size(target, x)
	case "exists", "all", "exists_one", "filter":
		return cp.macro(fn, target, args)
	}
	return compiled{}
}

// macro compiles l.fn(v, p) for exists, all, exists_one, filter and
// count (the size of a filter).
func (cp *compiler) macro(fn string, target ast.Expr, args []ast.Expr) compiled {
	if len(args) != 2 || args[0].Kind() != ast.IdentKind || len(cp.vars) == maxVars {
		return compiled{}
	}
	lc := cp.expr(target)
	if lc.k != kStrings && lc.k != kMeds {
		return compiled{}
	}
	l := lc.l
	elem := kString
	if lc.k == kMeds {
		elem = kMed
	}
	slot := len(cp.vars)
	cp.vars, cp.kind = append(cp.vars, args[0].AsIdent()), append(cp.kind, elem)
	pc := cp.expr(args[1])
	cp.vars, cp.kind = cp.vars[:slot], cp.kind[:slot]
	if pc.k != kBool {
		return compiled{}
	}
	p := pc.b
	// at binds the variable to element i and evaluates the predicate.
	at := func(s *scope, lv *list, i int) tri {
		if lv.strs != nil {
			s.strs[slot] = lv.strs[i]
		} else {
			s.meds[slot] = &lv.meds[i]
		}
		return p(s)
	}
	switch fn {
	case "exists", "all":
		decides := triOf(fn == "exists") // the value that decides it at once
		return compiled{k: kBool, b: func(s *scope) tri {
			lv, ok := l(s)
			if !ok {
				return triUndecided
			}
			unsure := false
			for i := range len(lv.strs) + len(lv.meds) {
				switch at(s, &lv, i) {
				case decides:
					return decides
				case triUndecided:
					unsure = true
				}
			}
			if unsure {
				return triUndecided
			}
			return 1 - decides
		}}
	case "exists_one", "count":
		count := func(s *scope) (int64, bool) {
			lv, ok := l(s)
			if !ok {
				return 0, false
			}
			n := int64(0)
			for i := range len(lv.strs) + len(lv.meds) {
				switch at(s, &lv, i) {
				case triTrue:
					n++
				case triUndecided:
					return 0, false
				}
			}
			return n, true
		}
		if fn == "count" {
			return compiled{k: kInt, i: count}
		}
		return compiled{k: kBool, b: func(s *scope) tri {
			n, ok := count(s)
			if !ok {
				return triUndecided
			}
			return triOf(n == 1)
		}}
	case "filter":
		return compiled{k: lc.k, l: func(s *scope) (list, bool) {
			lv, ok := l(s)
			if !ok {
				return list{}, false
			}
			var out list
			if lc.k == kStrings {
				out.strs = []string{}
			}
			for i := range len(lv.strs) + len(lv.meds) {
				switch at(s, &lv, i) {
				case triUndecided:
					return list{}, false
				case triTrue:
					if lc.k == kStrings {
						out.strs = append(out.strs, lv.strs[i])
					} else {
						out.meds = append(out.meds, lv.meds[i])
					}
				}
			}
			return out, true
		}}
	}
	return compiled{}
}
