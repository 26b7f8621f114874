package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// lint adds the warnings that only "rules lint" reports to the problems
// found while loading: questions nobody reads, parameters nobody uses, and
// conditions that can never hold. They need a second look at the file, so
// loading a rule set to screen with does not pay for them.
func lint(rs *RuleSet, data []byte, ps Problems) Problems {
	pos, err := IndexYAMLKind(rs.File, data, RuleSetFile)
	if err != nil {
		return ps
	}
	ld := &loader{Positions: pos, rs: rs, env: rs.env}
	read := map[string]bool{}
	usedParams := map[string]bool{}
	look := func(path, what, name string, c *Condition) {
		if c == nil {
			return
		}
		for _, id := range c.Reads() {
			read[id] = true
		}
		ld.lintCondition(path, what, name, c, usedParams)
	}
	for i, q := range rs.Questions {
		look(fmt.Sprintf("$.questions[%d].when", i), fmt.Sprintf("question %q is asked only when", q.ID), fmt.Sprintf("the when: of question %q", q.ID), q.when)
	}
	for i, r := range rs.Rules {
		what := fmt.Sprintf("rule %q", r.ID)
		look(fmt.Sprintf("$.rules[%d].condition", i), what, what, r.cond)
		var reads []string
		if r.cond != nil {
			reads = r.cond.Reads()
		}
		ld.lintNumbers(fmt.Sprintf("$.rules[%d].message", i), what+" message", r.rawMessage, reads)
		ld.lintOptionalReads(fmt.Sprintf("$.rules[%d].condition", i), r, reads)
	}
	for _, l := range ld.instructionLists() {
		for i, x := range l.list {
			look(fmt.Sprintf("$.instructions.%s[%d].when", l.key, i), fmt.Sprintf("instruction %q", x.ID), fmt.Sprintf("the when: of instruction %q", x.ID), x.when)
		}
	}
	for i, q := range rs.Questions {
		// The identifier labels the result, and a follow-up records the
		// details of an earlier answer for the clinician: neither needs a
		// rule to read it.
		if read[q.ID] || q.IsIdentifier() || q.When != "" {
			continue
		}
		ld.Warnf(fmt.Sprintf("$.questions[%d]", i), "question %q is read by no rule, instruction or follow-up; remove it, or add the rule that needs it", q.ID)
	}
	ld.lintMatch()
	ld.lintHandoutWords()
	for _, name := range rs.ParamNames() {
		p := rs.Parameters[name]
		if !p.used && !usedParams[name] {
			ld.Warnf("$.parameters."+name, "parameter %q is used by no condition or text", name)
		}
	}
	out := append(ps, ld.Problems...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return out
}

// lintOptionalReads warns when a rule that stops or holds up treatment
// reads a question that is not required: when that answer is missing the
// condition cannot be decided, the rule gives nothing, and no fail-safe
// finding says why, so the patient may be found eligible. Left out are a
// question asked only in a re-screen, which cannot be required (a first
// screening never asks it), and a follow-up whose parent answers are
// each read by a rule at least as severe: when the follow-up applies,
// that rule holds the verdict already.
func (ld *loader) lintOptionalReads(path string, r *Rule, reads []string) {
	if r.Level.Severity() <= EligibleWithPrecautions.Severity() {
		return
	}
	for _, id := range reads {
		q, ok := ld.rs.Question(id)
		if !ok || q.Required || q.RecheckOnly() || q.when != nil && ld.parentsHeld(q, r.Level) {
			continue
		}
		ld.Warnf(path, "rule %q (%s) reads question %q, which is not required: when it is not answered the rule cannot fire and nothing says so; add required: true to the question, or read it through unanswered", r.ID, r.Level, id)
	}
}

// parentsHeld reports whether every answer follow-up q's when: reads is
// read by a rule of level l or more severe.
func (ld *loader) parentsHeld(q *Question, l Level) bool {
	for _, p := range q.when.Reads() {
		held := false
		for _, r := range ld.rs.Rules {
			if r.cond != nil && r.Level.Severity() >= l.Severity() && slices.Contains(r.cond.Reads(), p) {
				held = true
				break
			}
		}
		if !held {
			return false
		}
	}
	return true
}

// lintCondition warns about comparisons that no allowed answer can make
// true, such as age > 150 when age runs from 0 to 120, and about a
// condition that can cost more than MaxEvalCost, and notes the parameters
// the condition uses. what starts a message about a comparison, name one
// about the whole condition.
func (ld *loader) lintCondition(path, what, name string, c *Condition, usedParams map[string]bool) {
	checked, iss := ld.env.Compile(c.Expr)
	if iss != nil && iss.Err() != nil {
		return
	}
	at := ld.exprAt(path)
	ld.lintCost(c, at, name)
	native := checked.NativeRep()
	refs := native.ReferenceMap()
	for _, r := range refs {
		if r.Value != nil && len(r.Name) > len(paramPrefix) && r.Name[:len(paramPrefix)] == paramPrefix {
			usedParams[r.Name[len(paramPrefix):]] = true
		}
	}
	// Comparisons on the top-level chain of && decide the whole condition.
	top := map[int64]bool{}
	var chain func(e ast.Expr)
	chain = func(e ast.Expr) {
		top[e.ID()] = true
		if e.Kind() == ast.CallKind && e.AsCall().FunctionName() == operators.LogicalAnd {
			for _, a := range e.AsCall().Args() {
				chain(a)
			}
		}
	}
	chain(native.Expr())
	ast.PreOrderVisit(native.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		op, ok := comparisons[call.FunctionName()]
		if !ok || len(call.Args()) != 2 {
			return
		}
		l, r := call.Args()[0], call.Args()[1]
		subj, lo, hi, ok := ld.answerRange(l)
		k, kText, kok := constInt(r, refs)
		if !ok || !kok {
			// Written the other way round: 150 < age.
			subj, lo, hi, ok = ld.answerRange(r)
			k, kText, kok = constInt(l, refs)
			if !ok || !kok {
				return
			}
			op = mirrored[op]
		}
		if kText == fmt.Sprint(k) {
			ld.lintLiteral(at.offset(startOf(native, r)), what, subj, k)
		}
		if possible(op, k, lo, hi) {
			return
		}
		text := fmt.Sprintf("%s %s %s", subj, op, kText)
		why := fmt.Sprintf("%s is never true, as %s is from %d to %d", text, subj, lo, hi)
		pos := at.offset(startOf(native, l))
		msg := fmt.Sprintf("in %s, %s", what, why)
		if top[e.ID()] && path[len(path)-len(".condition"):] == ".condition" {
			msg = fmt.Sprintf("%s can never fire: %s", what, why)
		}
		ld.Problems = append(ld.Problems, Problem{File: ld.File, Pos: pos, Severity: Warning, Msg: msg})
	}))
}

// startOf finds where an operand starts in the expression text. CEL places
// a call at its parenthesis, so size(x) is found from x.
func startOf(a *ast.AST, e ast.Expr) (line, col int) {
	info := a.SourceInfo()
	if e.Kind() == ast.CallKind && !e.AsCall().IsMemberFunction() && len(e.AsCall().Args()) == 1 {
		loc := info.GetStartLocation(e.AsCall().Args()[0].ID())
		return loc.Line(), loc.Column() - len(e.AsCall().FunctionName()) - 1
	}
	loc := info.GetStartLocation(e.ID())
	return loc.Line(), loc.Column()
}

var comparisons = map[string]string{
	operators.Less: "<", operators.LessEquals: "<=", operators.Greater: ">",
	operators.GreaterEquals: ">=", operators.Equals: "==", operators.NotEquals: "!=",
}

var mirrored = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

// answerRange gives the values an integer answer, or the size of a list
// answer, can take.
func (ld *loader) answerRange(e ast.Expr) (name string, lo, hi int64, ok bool) {
	switch e.Kind() {
	case ast.IdentKind:
		q, found := ld.rs.Question(e.AsIdent())
		if !found || q.Type != Integer {
			return "", 0, 0, false
		}
		return q.ID, q.MinValue(), q.MaxValue(), true
	case ast.CallKind:
		call := e.AsCall()
		if call.FunctionName() != "size" {
			return "", 0, 0, false
		}
		arg := call.Target()
		if len(call.Args()) == 1 {
			arg = call.Args()[0]
		}
		if arg == nil || arg.Kind() != ast.IdentKind {
			return "", 0, 0, false
		}
		q, found := ld.rs.Question(arg.AsIdent())
		if !found || q.Type != List {
			return "", 0, 0, false
		}
		// An empty list is a missing answer, so a given list has at least
		// one item and at most every option.
		return fmt.Sprintf("size(%s)", q.ID), 1, int64(len(q.Options)), true
	}
	return "", 0, 0, false
}

// constInt reads an integer literal or an integer parameter.
func constInt(e ast.Expr, refs map[int64]*ast.ReferenceInfo) (int64, string, bool) {
	var v any
	text := ""
	switch e.Kind() {
	case ast.LiteralKind:
		v = e.AsLiteral()
	case ast.IdentKind:
		r, ok := refs[e.ID()]
		if !ok || r.Value == nil {
			return 0, "", false
		}
		v = r.Value
		text = e.AsIdent()
	default:
		return 0, "", false
	}
	i, ok := v.(types.Int)
	if !ok {
		return 0, "", false
	}
	if text == "" {
		return int64(i), fmt.Sprint(int64(i)), true
	}
	return int64(i), fmt.Sprintf("%s (%d)", text, int64(i)), true
}

// possible reports whether x OP k holds for some x in lo..hi.
func possible(op string, k, lo, hi int64) bool {
	switch op {
	case "<":
		return lo < k
	case "<=":
		return lo <= k
	case ">":
		return hi > k
	case ">=":
		return hi >= k
	case "==":
		return lo <= k && k <= hi
	case "!=":
		return lo != hi || lo != k
	}
	return true
}

// lintCost warns about a condition whose static cost estimate, on the
// largest answers assumed in cost.go, is above MaxEvalCost. It is a warning
// and not an error: the estimate assumes every .all and .exists runs to
// the end of the largest list, so a condition above it may still stay
// within the limit on every record the clinic sees, and one that does not
// is stopped and becomes needs_review rather than slow.
func (ld *loader) lintCost(c *Condition, at exprPos, name string) {
	if c.maxCost <= MaxEvalCost {
		return
	}
	found := fmt.Sprintf("up to %d", c.maxCost)
	if c.maxCost == math.MaxUint64 {
		found = "without bound"
	}
	ld.Problems = append(ld.Problems, Problem{File: ld.File, Pos: at.offset(1, 0), Severity: Warning,
		Msg: fmt.Sprintf("%s may cost %s to evaluate (on %d medicines and texts of %d characters); expected at most %d, above which a condition is stopped and the record goes to needs_review",
			name, found, estMedicines, estTextLen, MaxEvalCost)})
}

// lintHandoutWords asks for the patient's words for every rule whose
// finding a handout shows: a reason for each that stops treatment, and a
// next step for each needs_review one. Without them the handout quotes
// the clinician's message, and tells the patient nothing to do about it.
func (ld *loader) lintHandoutWords() {
	h := ld.rs.Handout
	if h == nil {
		return
	}
	for i, r := range ld.rs.Rules {
		if r.Level.AllowsTreatment() {
			continue
		}
		if strings.TrimSpace(h.Reasons[r.ID]) == "" {
			ld.Warnf(fmt.Sprintf("$.rules[%d]", i), "rule %q (%s) has no handout reason; add handout: reasons: %s:, the patient's words for its finding", r.ID, r.Level, r.ID)
		}
		if r.Level == NeedsReview && strings.TrimSpace(h.Steps[r.ID]) == "" {
			ld.Warnf(fmt.Sprintf("$.rules[%d]", i), "rule %q (needs_review) has no handout step; add handout: steps: %s:, what happens next and who confirms it", r.ID, r.ID)
		}
	}
}
