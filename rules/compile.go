package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// Condition is a compiled CEL condition over the answers. It is safe for
// concurrent use.
type Condition struct {
	// Expr is the condition as written in the rule set.
	Expr    string
	prg     cel.Program
	reads   []string
	maxCost uint64
	// limited is set when the program stops at MaxEvalCost (see loops).
	limited bool
}

// Reads lists the question ids the condition refers to, sorted.
func (c *Condition) Reads() []string { return c.reads }

// MaxCost is the checker's estimate of the most the condition can cost to
// evaluate, in the units of MaxEvalCost, on the largest answers cost.go
// assumes; math.MaxUint64 when it has no bound.
func (c *Condition) MaxCost() uint64 { return c.maxCost }

// Limited reports whether Eval stops the condition once it costs more than
// MaxEvalCost: every condition that loops over a list is stopped so.
func (c *Condition) Limited() bool { return c.limited }

// Eval evaluates the condition against the answers in act. An error means
// the condition could not be decided, typically because an answer it needs
// is missing or unsure, or because it cost more than MaxEvalCost; the
// caller decides what that means.
func (c *Condition) Eval(act interpreter.Activation) (bool, error) {
	v, _, err := c.prg.Eval(act)
	if err != nil {
		return false, errCost(err)
	}
	b, ok := v.(types.Bool)
	if !ok {
		// Compilation checks for bool; a dyn value can still slip through.
		return false, fmt.Errorf("condition %q gave %v, not true or false", c.Expr, v.Type())
	}
	return bool(b), nil
}

// celType maps a question type to the CEL type its answer has.
func celType(t Type) *cel.Type {
	switch t {
	case YesNo:
		return cel.BoolType
	case Integer:
		return cel.IntType
	case List:
		return cel.ListType(cel.StringType)
	default:
		return cel.StringType
	}
}

// newEnv declares one CEL variable per question, and the extra
// declarations (the derived fields).
func newEnv(qs []*Question, extra ...cel.EnvOption) (*cel.Env, error) {
	opts := make([]cel.EnvOption, 0, len(qs)+1+len(extra))
	for _, q := range qs {
		opts = append(opts, cel.Variable(q.ID, celType(q.Type)))
	}
	opts = append(opts, extra...)
	opts = append(opts, cel.ASTValidators(choiceValidator{qs: qs}))
	return cel.NewEnv(opts...)
}

// compile parses, checks and plans one condition. Problems are reported at
// file positions computed from where the expression sits in the YAML.
func (ld *loader) compile(expr string, at exprPos) (*Condition, []Problem) {
	src := strings.TrimRight(expr, "\n")
	checked, iss := ld.env.Compile(src)
	if iss != nil && iss.Err() != nil {
		var ps []Problem
		for _, e := range iss.Errors() {
			ps = append(ps, Problem{
				File: ld.File,
				Pos:  at.offset(e.Location.Line(), e.Location.Column()),
				Msg:  ld.plain(e.Message),
			})
		}
		return nil, ps
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		return nil, []Problem{{File: ld.File, Pos: at.offset(1, 0),
			Msg: fmt.Sprintf("condition %q gives %s, but a condition must give true or false", src, plainType(checked.OutputType().String()))}}
	}
	maxCost := ld.maxCost(checked)
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	limited := loops(checked) || maxCost > MaxEvalCost
	if limited {
		opts = append(opts, cel.CostLimit(MaxEvalCost))
	}
	prg, err := ld.env.Program(checked, opts...)
	if err != nil {
		return nil, []Problem{{File: ld.File, Pos: at.offset(1, 0), Msg: err.Error()}}
	}
	return &Condition{Expr: src, prg: prg, reads: ld.declared(reads(checked)), maxCost: maxCost, limited: limited}, nil
}

// loops reports whether an expression has a macro that loops over a list
// (all, exists, exists_one, filter, map). Only such a condition can take
// long: without a loop, each part of an expression is evaluated at most
// once, in time linear in the size of the answers it reads, and a record
// is at most 1 MiB. Tracking the cost of an evaluation more than doubles
// its time, so the cost limit is set only on the programs that loop.
func loops(a *cel.Ast) bool {
	found := false
	ast.PreOrderVisit(a.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		found = found || e.Kind() == ast.ComprehensionKind
	}))
	return found
}

// reads collects the variables an expression refers to.
func reads(a *cel.Ast) []string {
	seen := map[string]bool{}
	for _, ref := range a.NativeRep().ReferenceMap() {
		// A reference with a value is a parameter, a constant, not an answer.
		if ref.Name != "" && len(ref.OverloadIDs) == 0 && ref.Value == nil {
			seen[ref.Name] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var (
	reUndeclared = regexp.MustCompile(`undeclared reference to '([^']+)'`)
	reExpecting  = regexp.MustCompile(` expecting (\{[^}]*\}|\S+)`)
	reOverload   = regexp.MustCompile(`found no matching overload for '([^']+)' applied to '\((.*)\)'`)
)

var operatorWords = map[string]string{
	operators.Equals: "==", operators.NotEquals: "!=",
	operators.Less: "<", operators.LessEquals: "<=",
	operators.Greater: ">", operators.GreaterEquals: ">=",
	operators.In: "in", operators.LogicalAnd: "&&", operators.LogicalOr: "||",
	operators.LogicalNot: "!", operators.Add: "+", operators.Subtract: "-",
}

// plain rewrites CEL's checker messages in the words of the rule set.
func (ld *loader) plain(msg string) string {
	if m := reUndeclared.FindStringSubmatch(msg); m != nil {
		if name, ok := strings.CutPrefix(m[1], paramPrefix); ok {
			return ld.unknownParam(name)
		}
		s := fmt.Sprintf("unknown field %q", m[1])
		if best := Closest(m[1], ld.ids()); best != "" {
			s += fmt.Sprintf(" (did you mean %q?)", best)
		}
		return s + "; a condition can only read the questions of the rule set"
	}
	if m := reOverload.FindStringSubmatch(msg); m != nil {
		op, ok := operatorWords[m[1]]
		if !ok {
			op = m[1]
		}
		args := strings.Split(m[2], ", ")
		for i, a := range args {
			args[i] = plainType(a)
		}
		if len(args) == 2 && (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
			return fmt.Sprintf("cannot compare %s with %s using %s; yes/no answers are tested as true or false, numbers with numbers, choices with quoted values", args[0], args[1], op)
		}
		return fmt.Sprintf("%s cannot be applied to %s", op, strings.Join(args, " and "))
	}
	if strings.HasPrefix(msg, "Syntax error: ") {
		msg = strings.TrimPrefix(msg, "Syntax error: ")
		if strings.Contains(msg, "'<EOF>'") {
			return "the condition ends too early; something is missing at its end"
		}
		return "syntax error: " + reExpecting.ReplaceAllString(msg, "")
	}
	return msg
}

// plainType names a CEL type the way the rule-set format does.
func plainType(t string) string {
	switch t {
	case "bool":
		return "yes/no"
	case "int", "uint", "double":
		return "a number"
	case "string":
		return "text"
	case "list(string)":
		return "a list"
	}
	return t
}

// declared keeps the names that are questions or derived fields, leaving
// out the variables of macros such as m in list.filter(m, ...).
func (ld *loader) declared(names []string) []string {
	ids := ld.ids()
	out := names[:0]
	for _, n := range names {
		for _, id := range ids {
			if n == id {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

func (ld *loader) ids() []string {
	out := make([]string, 0, len(ld.rs.Questions))
	for _, q := range ld.rs.Questions {
		out = append(out, q.ID)
	}
	for _, d := range DerivedFields() {
		out = append(out, d.ID)
	}
	return out
}

// choiceValidator refuses comparisons of a choice or list question with a
// value it does not allow, such as diabetes == "insuline".
type choiceValidator struct{ qs []*Question }

func (choiceValidator) Name() string { return "mesoscreen.choices" }

func (v choiceValidator) Validate(_ *cel.Env, _ cel.ValidatorConfig, a *ast.AST, iss *cel.Issues) {
	byID := map[string]*Question{}
	for _, q := range v.qs {
		if q.Type == Choice || q.Type == List {
			byID[q.ID] = q
		}
	}
	check := func(q *Question, lit ast.Expr) {
		if lit.Kind() != ast.LiteralKind {
			return
		}
		s, ok := lit.AsLiteral().(types.String)
		if ok && !q.HasOption(string(s)) {
			msg := fmt.Sprintf("%q is not a value of %s; it allows %s", string(s), q.ID, strings.Join(q.OptionValues(), ", "))
			if best := Closest(string(s), q.OptionValues()); best != "" {
				msg = fmt.Sprintf("%q is not a value of %s (did you mean %q?); it allows %s", string(s), q.ID, best, strings.Join(q.OptionValues(), ", "))
			}
			iss.ReportErrorAtID(lit.ID(), "%s", msg)
		}
	}
	question := func(e ast.Expr) *Question {
		if e.Kind() == ast.IdentKind {
			return byID[e.AsIdent()]
		}
		return nil
	}
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		args := call.Args()
		if len(args) != 2 {
			return
		}
		switch call.FunctionName() {
		case operators.Equals, operators.NotEquals:
			if q := question(args[0]); q != nil {
				check(q, args[1])
			}
			if q := question(args[1]); q != nil {
				check(q, args[0])
			}
		case operators.In:
			// "face" in treatment_areas, or diabetes in ["none", "insulin"].
			if q := question(args[1]); q != nil {
				check(q, args[0])
			}
			if q := question(args[0]); q != nil && args[1].Kind() == ast.ListKind {
				for _, el := range args[1].AsList().Elements() {
					check(q, el)
				}
			}
		}
	}))
}
