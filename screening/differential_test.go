package screening_test

// The differential test holds the Screener to cel-go: random, well-typed
// conditions become the rules of a small rule set, random intakes are
// screened with it, and what the Screener does with each rule is compared
// with what cel-go alone says of the same condition. Whatever engine the
// Screener runs inside, CEL is the verdict (STYLE.md: one engine decides),
// so any difference is a bug in the Screener.
//
// The file reads top to bottom: the rule set the conditions are written
// over, the generator of conditions, the generator of intakes, the oracle
// (the semantics screening promises, in one place), and the tests.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
)

// --- The rule set the conditions read ---

// diffQuestion is one question of the differential rule set. There are one
// or two of each type; the integer ranges reach both ends of int64 and
// cross zero, where CEL's arithmetic overflows or divides by zero.
type diffQuestion struct {
	id       string
	typ      rules.Type
	min, max int64
	options  []string
}

var diffQuestions = []diffQuestion{
	{id: "pregnant", typ: rules.YesNo},
	{id: "smoker", typ: rules.YesNo},
	{id: "age", typ: rules.Integer, min: 0, max: 120},
	{id: "sessions", typ: rules.Integer, min: -3, max: 3},
	{id: "dose", typ: rules.Integer, min: math.MinInt64, max: math.MaxInt64},
	{id: "diabetes", typ: rules.Choice, options: []string{"none", "tablets", "insulin"}},
	{id: "areas", typ: rules.List, options: []string{"face", "neck", "scalp", "arms"}},
	{id: "notes", typ: rules.Text},
	// The medications answer is read with the medication lexicon into the
	// derived fields medication_classes and medications_recognised, and
	// with the allergy details into allergy_classes.
	{id: screening.MedicationsField, typ: rules.Text},
	{id: screening.AllergyDetailsField, typ: rules.Text},
}

// diffParams are the rule set's parameters, which conditions read as
// params.NAME: typed constants that CEL folds into the program when it is
// planned. int_min and int_max put the ends of int64 there too.
var diffParams = []struct {
	name  string
	value any
}{
	{"min_age", int64(18)},
	{"int_max", int64(math.MaxInt64)},
	{"int_min", int64(math.MinInt64)},
	{"strict", true},
	{"clinic", "north"},
}

// ruleSetYAML writes the differential rule set with one rule per
// condition, r0, r1, ... The conditions go in literal blocks, which YAML
// takes as written, quotes and all.
func ruleSetYAML(conds []string) []byte {
	var b strings.Builder
	b.WriteString("schema: 1\nname: differential\nversion: \"1\"\n")
	b.WriteString("sources:\n  - id: diff\n    title: The differential test\n")
	b.WriteString("parameters:\n")
	for _, p := range diffParams {
		v := fmt.Sprint(p.value)
		if s, ok := p.value.(string); ok {
			v = strconv.Quote(s)
		}
		fmt.Fprintf(&b, "  %s:\n    value: %s\n    description: a parameter of the differential test\n", p.name, v)
	}
	b.WriteString("questions:\n")
	for _, q := range diffQuestions {
		fmt.Fprintf(&b, "  - id: %s\n    type: %s\n    ask: %s?\n", q.id, q.typ, q.id)
		if q.typ == rules.Integer {
			fmt.Fprintf(&b, "    min: %d\n    max: %d\n", q.min, q.max)
		}
		if len(q.options) > 0 {
			b.WriteString("    options:\n")
			for _, o := range q.options {
				fmt.Fprintf(&b, "      - value: %s\n", o)
			}
		}
	}
	b.WriteString("rules:\n")
	for i, c := range conds {
		// Both levels a rule can have here; neither changes what is compared.
		level := rules.NeedsReview
		if i%2 == 1 {
			level = rules.NotEligible
		}
		fmt.Fprintf(&b, "  - id: r%d\n    condition: |-\n      %s\n    level: %s\n    message: rule r%d holds\n    source: [diff]\n", i, c, level, i)
	}
	return []byte(b.String())
}

// --- Random conditions ---

// chooser is where the generators' choices come from: a seeded PCG for
// the deterministic test, the fuzzer's bytes for the fuzz target. Either
// way the same input gives the same conditions and intakes.
type chooser interface {
	intn(n int) int // in [0, n)
}

type randChooser struct{ r *rand.Rand }

func (c randChooser) intn(n int) int { return c.r.IntN(n) }

// bytesChooser reads one byte per choice. Once the bytes run out every
// choice is 0, which the generators make the simplest: a leaf, a missing
// answer. So every input ends, and a short one means a small case.
type bytesChooser struct{ b []byte }

func (c *bytesChooser) intn(n int) int {
	if n <= 1 || len(c.b) == 0 {
		return 0
	}
	x := int(c.b[0])
	c.b = c.b[1:]
	return x % n
}

// ctype is the CEL type of a generated expression.
type ctype uint8

const (
	tBool ctype = iota
	tInt
	tStr
	tStrs // list(string)
	tMeds // medications_recognised or a filter of it: list(map(string, dyn))
	tMed  // one medicine, a macro variable over tMeds
)

// expr is a generated expression, kept as a tree so that one the Screener
// and CEL disagree on can be shrunk to the part that matters.
type expr struct {
	t ctype
	// dyn is set when CEL's checker types the expression dyn rather than
	// t: a field of a medicine, or a ternary with one as a branch. A
	// condition must check as exactly bool, so a dyn one is compared
	// with true.
	dyn  bool
	form string // the CEL text, with %s for each of kids and %% for %
	kids []*expr
}

func (e *expr) String() string {
	if len(e.kids) == 0 {
		return e.form
	}
	args := make([]any, len(e.kids))
	for i, k := range e.kids {
		args[i] = k.String()
	}
	return fmt.Sprintf(e.form, args...)
}

func leaf(t ctype, text string) *expr { return &expr{t: t, form: text} }

func node(t ctype, form string, kids ...*expr) *expr { return &expr{t: t, form: form, kids: kids} }

// Literals. The strings include the option values, so that `in` and ==
// often hold, class ids of the lexicon, and strings the texts contain.
// The regular expressions are literal and cannot fail to compile.
var (
	intLits     = []string{"0", "1", "-1", "2", "18", "120", "9223372036854775807", "-9223372036854775808"}
	strLits     = []string{`""`, `"face"`, `"neck"`, `"insulin"`, `"none"`, `"north"`, `"a"`, `"warfarin"`, `"Eliquis"`, `"heart"`, `"anticoagulant"`, `"statin"`, `"unsure"`}
	classLits   = []string{`"anticoagulant"`, `"antiplatelet"`, `"heart"`, `"statin"`, `"beta_blocker"`, `"insulin"`, `"nsaid"`, `"local_anaesthetic"`}
	genericLits = []string{`"warfarin"`, `"apixaban"`, `"aspirin"`, `"atorvastatin"`, `"bisoprolol"`, `"isotretinoin"`, `"ibuprofen"`}
	regexLits   = []string{`"^[a-z]+$"`, `"in"`, `"a.*n"`, `"^$"`, `"[0-9]"`, `"(?i)^e"`}
	cmpOps      = []string{"==", "!=", "<", "<=", ">", ">="}
	intParams   = []string{"params.min_age", "params.int_max", "params.int_min"}
	textFields  = []string{"notes", screening.MedicationsField}
)

// maxMacroDepth is how deeply the generator nests macros of its own;
// rule sets nest them one or two deep.
const maxMacroDepth = 3

type gen struct {
	c    chooser
	vars []macroVar // the macro variables in scope, innermost last
}

type macroVar struct {
	name string
	t    ctype // tStr for an element of a list of strings, tMed for a medicine
	dyn  bool  // an element of a dyn list, such as m.classes
}

func (g *gen) of(xs []string) string { return xs[g.c.intn(len(xs))] }

// choose returns a number below all when depth is left, and below leaves
// otherwise; the generators list their leaves first.
func (g *gen) choose(d, leaves, all int) int {
	if d <= 0 {
		return g.c.intn(leaves)
	}
	return g.c.intn(all)
}

// condition generates one rule condition: bool, up to four levels deep.
func (g *gen) condition() *expr {
	e := g.boolean(1 + g.c.intn(4))
	if e.dyn {
		e = node(tBool, "(%s == true)", e)
	}
	return e
}

func (g *gen) question(typ rules.Type) *expr {
	var ids []string
	for _, q := range diffQuestions {
		if q.typ == typ {
			ids = append(ids, q.id)
		}
	}
	t := map[rules.Type]ctype{rules.YesNo: tBool, rules.Integer: tInt, rules.Choice: tStr, rules.List: tStrs, rules.Text: tStr}[typ]
	return leaf(t, g.of(ids))
}

// innermost returns the innermost macro variable of type t in scope.
func (g *gen) innermost(t ctype) (macroVar, bool) {
	for i := len(g.vars) - 1; i >= 0; i-- {
		if g.vars[i].t == t {
			return g.vars[i], true
		}
	}
	return macroVar{}, false
}

// macro generates the body of list.fn(v, body) with v in scope.
func (g *gen) macro(list *expr, fn string, body func() *expr) *expr {
	if untyped(list) {
		// The checker types v by its first use, and v < v can make a
		// list of strings a list of bools; a list that says it holds
		// strings keeps the condition well-typed.
		list = leaf(tStrs, `[""]`)
	}
	v := macroVar{name: fmt.Sprintf("v%d", len(g.vars)), t: tStr, dyn: list.dyn}
	if list.t == tMeds {
		v = macroVar{name: fmt.Sprintf("m%d", len(g.vars)), t: tMed}
	}
	g.vars = append(g.vars, v)
	b := body()
	g.vars = g.vars[:len(g.vars)-1]
	t := tBool
	switch fn {
	case "filter":
		t = list.t
	case "map":
		t = tStrs
	}
	e := node(t, "%s."+fn+"("+v.name+", %s)", list, b)
	e.dyn = fn == "map" && b.dyn || fn == "filter" && list.dyn
	return e
}

// untyped reports whether a list's elements have no type the checker
// knows: [], and lists made of it and of dyn lists (m.classes + []).
func untyped(l *expr) bool {
	either := func(a, b *expr) bool {
		return untyped(a) && (untyped(b) || b.dyn) || untyped(b) && a.dyn
	}
	switch {
	case l.form == "[]":
		return true
	case strings.HasPrefix(l.form, "(%s ?"):
		return either(l.kids[1], l.kids[2])
	case l.form == "(%s + %s)":
		return either(l.kids[0], l.kids[1])
	case strings.Contains(l.form, ".filter("):
		return untyped(l.kids[0])
	}
	return false
}

func (g *gen) ternary(t ctype, d int, branch func(int) *expr) *expr {
	x, y := branch(d-1), branch(d-1)
	e := node(t, "(%s ? %s : %s)", g.boolean(d-1), x, y)
	e.dyn = x.dyn || y.dyn
	return e
}

func (g *gen) boolean(d int) *expr {
	macros := len(g.vars) < maxMacroDepth
	switch g.choose(d, 3, 21) {
	case 0:
		return leaf(tBool, g.of([]string{"false", "true"}))
	case 1:
		return g.question(rules.YesNo)
	case 2:
		if m, ok := g.innermost(tMed); ok {
			return &expr{t: tBool, dyn: true, form: m.name + ".possibly_stopped"}
		}
		return leaf(tBool, "params.strict")
	case 3:
		return node(tBool, "!(%s)", g.boolean(d-1))
	case 4:
		return node(tBool, "(%s && %s)", g.boolean(d-1), g.boolean(d-1))
	case 5:
		return node(tBool, "(%s || %s)", g.boolean(d-1), g.boolean(d-1))
	case 6:
		return g.ternary(tBool, d, g.boolean)
	case 7, 8:
		return node(tBool, "(%s "+g.of(cmpOps)+" %s)", g.integer(d-1), g.integer(d-1))
	case 9:
		op := g.of(cmpOps)
		x, y := g.str(d-1), g.str(d-1)
		if op == "==" || op == "!=" {
			g.fitChoice(x, y)
			g.fitChoice(y, x)
		}
		return node(tBool, "(%s "+op+" %s)", x, y)
	case 10:
		// CEL orders false before true.
		return node(tBool, "(%s "+g.of(cmpOps)+" %s)", g.boolean(d-1), g.boolean(d-1))
	case 11:
		x, l := g.str(d-1), g.strs(d-1)
		g.fitChoice(l, x)
		g.fitChoice(x, l)
		return node(tBool, "(%s in %s)", x, l)
	case 12:
		// x in [] is false whatever x is, even when x is absent.
		x := g.str(d - 1)
		l := leaf(tStrs, "[]")
		if g.c.intn(2) == 1 {
			l = g.listLiteral(strLits)
		}
		g.fitChoice(x, l)
		return node(tBool, "(%s in %s)", x, l)
	case 13:
		return node(tBool, "(%s "+g.of([]string{"==", "!="})+" %s)", g.strs(d-1), g.strs(d-1))
	case 14:
		s := g.str(d - 1)
		switch g.c.intn(4) {
		case 0:
			return node(tBool, "%s.startsWith("+g.of(strLits)+")", s)
		case 1:
			return node(tBool, "%s.endsWith("+g.of(strLits)+")", s)
		case 2:
			return node(tBool, "%s.contains(%s)", s, g.str(d-1))
		}
		return node(tBool, "%s.matches("+g.of(regexLits)+")", s)
	case 15:
		if !macros {
			return g.question(rules.YesNo)
		}
		l := g.strs(d - 1)
		return g.macro(l, g.of([]string{"exists", "all", "exists_one"}), func() *expr { return g.boolean(d - 1) })
	case 16:
		if !macros {
			return g.question(rules.YesNo)
		}
		l := g.medsList(d - 1)
		return g.macro(l, g.of([]string{"exists", "all", "exists_one"}), func() *expr { return g.boolean(d - 1) })
	case 17, 18:
		return g.derived()
	case 19:
		// The forms rule sets are written with: a choice against its
		// options, an option in a list answer.
		switch g.c.intn(3) {
		case 0:
			return leaf(tBool, "(diabetes "+g.of([]string{"==", "!="})+" "+strconv.Quote(g.of(optionsOf("diabetes")))+")")
		case 1:
			return node(tBool, "(diabetes in %s)", g.listLiteral(quoted(optionsOf("diabetes"))))
		}
		return leaf(tBool, "("+strconv.Quote(g.of(optionsOf("areas")))+" in areas)")
	}
	// 20: a medicine's field, when a medicine is in scope.
	if m, ok := g.innermost(tMed); ok {
		return node(tBool, "(%s in "+m.name+"."+g.of([]string{"classes", "atc"})+")", g.str(d-1))
	}
	return g.question(rules.YesNo)
}

// derived generates the forms rule sets read the derived fields with, one
// field of a medicine at a time.
func (g *gen) derived() *expr {
	m := fmt.Sprintf("m%d", len(g.vars))
	each := func(body string) *expr {
		return leaf(tBool, fmt.Sprintf("%s.%s(%s, %s)", rules.FieldMedicationsRecognised, g.of([]string{"exists", "all", "exists_one"}), m, body))
	}
	switch g.c.intn(10) {
	case 0:
		return leaf(tBool, "("+g.of(classLits)+" in "+rules.FieldMedicationClasses+")")
	case 7:
		return leaf(tBool, "("+g.of(classLits)+" in "+rules.FieldAllergyClasses+")")
	case 8:
		q := diffQuestions[g.c.intn(len(diffQuestions))]
		return leaf(tBool, "("+strconv.Quote(q.id)+" in "+rules.FieldUnanswered+")")
	case 9:
		return leaf(tBool, fmt.Sprintf("(size(%s) %s %s)", rules.FieldUnanswered, g.of(cmpOps), g.of([]string{"0", "1", "5"})))
	case 1:
		return leaf(tBool, fmt.Sprintf("(size(%s.filter(%s, %s in %s.classes)) %s %s)",
			rules.FieldMedicationsRecognised, m, g.of(classLits), m, g.of(cmpOps), g.of([]string{"0", "1", "2"})))
	case 2:
		return each(m + ".possibly_stopped")
	case 3:
		return each(m + ".generic == " + g.of(genericLits))
	case 4:
		return each(m + ".how == " + g.of([]string{`"exact"`, `"brand"`, `"misspelling"`}))
	case 5:
		return each(m + ".atc.exists(a, a.startsWith(" + g.of([]string{`"B01"`, `"C07"`, `"C10"`, `"A10"`}) + "))")
	}
	// The classes are sorted, so the first is known; an empty list has
	// none, and CEL cannot decide.
	return leaf(tBool, fmt.Sprintf("(%s[%d] == %s)", rules.FieldMedicationClasses, g.c.intn(2), g.of(classLits)))
}

func (g *gen) integer(d int) *expr {
	switch g.choose(d, 3, 13) {
	case 0:
		return leaf(tInt, g.of(intLits))
	case 1:
		return g.question(rules.Integer)
	case 2:
		return leaf(tInt, g.of(intParams))
	case 3, 4:
		// Written -(x): CEL reads -9223372036854775808 as one literal, and
		// its negation must be an operator on it.
		return node(tInt, "-(%s)", g.integer(d-1))
	case 5, 6, 7, 8, 9:
		return node(tInt, "(%s "+g.of([]string{"+", "-", "*", "/", "%%"})+" %s)", g.integer(d-1), g.integer(d-1))
	case 10:
		if g.c.intn(2) == 0 {
			return node(tInt, "size(%s)", g.str(d-1))
		}
		return node(tInt, "%s.size()", g.str(d-1))
	case 11:
		if g.c.intn(3) == 0 {
			return node(tInt, "size(%s)", g.medsList(d-1))
		}
		return node(tInt, "size(%s)", g.strs(d-1))
	}
	return g.ternary(tInt, d, g.integer)
}

func (g *gen) str(d int) *expr {
	switch g.choose(d, 4, 6) {
	case 0:
		return leaf(tStr, g.of(strLits))
	case 1:
		if g.c.intn(2) == 0 {
			return leaf(tStr, "diabetes")
		}
		return leaf(tStr, g.of(textFields))
	case 2:
		return leaf(tStr, "params.clinic")
	case 3:
		if len(g.vars) > 0 {
			v := g.vars[len(g.vars)-1-g.c.intn(len(g.vars))]
			if v.t == tMed {
				return &expr{t: tStr, dyn: true, form: v.name + "." + g.of([]string{"generic", "written", "how"})}
			}
			return &expr{t: tStr, dyn: v.dyn, form: v.name}
		}
		return leaf(tStr, g.of(strLits))
	case 4:
		x, y := g.str(d-1), g.str(d-1)
		e := node(tStr, "(%s + %s)", x, y)
		e.dyn = x.dyn || y.dyn
		return e
	}
	return g.ternary(tStr, d, g.str)
}

func (g *gen) strs(d int) *expr {
	macros := len(g.vars) < maxMacroDepth
	switch g.choose(d, 5, 10) {
	case 0:
		return leaf(tStrs, "[]")
	case 1:
		return g.listLiteral(strLits)
	case 2:
		return leaf(tStrs, "areas")
	case 3:
		return leaf(tStrs, g.of([]string{rules.FieldMedicationClasses, rules.FieldAllergyClasses, rules.FieldUnanswered}))
	case 4:
		if m, ok := g.innermost(tMed); ok {
			return &expr{t: tStrs, dyn: true, form: m.name + "." + g.of([]string{"classes", "atc"})}
		}
		return leaf(tStrs, "areas")
	case 5:
		x, y := g.strs(d-1), g.strs(d-1)
		e := node(tStrs, "(%s + %s)", x, y)
		e.dyn = x.dyn || y.dyn
		return e
	case 6:
		if !macros {
			return leaf(tStrs, "areas")
		}
		return g.macro(g.strs(d-1), "filter", func() *expr { return g.boolean(d - 1) })
	case 7:
		if !macros {
			return leaf(tStrs, "areas")
		}
		return g.macro(g.strs(d-1), "map", func() *expr { return g.str(d - 1) })
	case 8:
		if !macros {
			return leaf(tStrs, rules.FieldMedicationClasses)
		}
		return g.macro(g.medsList(d-1), "map", func() *expr { return g.str(d - 1) })
	}
	return g.ternary(tStrs, d, g.strs)
}

func (g *gen) medsList(d int) *expr {
	switch g.choose(d, 1, 4) {
	case 0, 1:
		return leaf(tMeds, rules.FieldMedicationsRecognised)
	case 2:
		if len(g.vars) >= maxMacroDepth {
			return leaf(tMeds, rules.FieldMedicationsRecognised)
		}
		return g.macro(g.medsList(d-1), "filter", func() *expr { return g.boolean(d - 1) })
	}
	return g.ternary(tMeds, d, g.medsList)
}

// listLiteral is a list of none to three of the quoted strings.
func (g *gen) listLiteral(from []string) *expr {
	n := g.c.intn(4)
	elems := make([]string, n)
	for i := range elems {
		elems[i] = g.of(from)
	}
	return leaf(tStrs, "["+strings.Join(elems, ", ")+"]")
}

// fitChoice keeps a generated condition loadable. The loader refuses a
// choice or list question compared with a literal that is not one of its
// options (diabetes == "insuline"), so when q is such a question itself
// and lit a literal, lit is made one of its options.
func (g *gen) fitChoice(q, lit *expr) {
	opts := optionsOf(q.form)
	if len(q.kids) > 0 || opts == nil || len(lit.kids) > 0 {
		return
	}
	switch {
	case strings.HasPrefix(lit.form, `"`):
		if s, _ := strconv.Unquote(lit.form); !slices.Contains(opts, s) {
			lit.form = strconv.Quote(g.of(opts))
		}
	case strings.HasPrefix(lit.form, "[") && lit.form != "[]" && q.t == tStr:
		*lit = *g.listLiteral(quoted(opts))
	}
}

// optionsOf returns the options of the choice or list question id, or
// nil.
func optionsOf(id string) []string {
	for _, q := range diffQuestions {
		if q.id == id {
			return q.options
		}
	}
	return nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// --- Random intakes ---

// intake is one random record: what screening.Parse reads, and what the
// oracle makes of it.
type intake struct {
	raw map[string]any
	// given holds the value of each given answer, as CEL sees it: bool,
	// int64, string, []string. An answer that is missing, unsure,
	// invalid or out of range is not in it.
	given map[string]any
}

// Medication lists for the medications answer: none, one class, brands,
// several heart medicines, ones the patient may have stopped, one named
// twice, a misspelling, one the lexicon does not know.
var diffMedications = []string{
	"", "warfarin", "Eliquis 5mg, aspirin", "atorvastatin and bisoprolol", "insulin",
	"metoprolol, lisinopril and amlodipine", "warfarin (paused)",
	"stopped Roaccutane in May, Lipitor (atorvastatin)", "vitamin D", "ibuprofin",
	"allergic to lidocaine, aspirin", "none currently", "no meds",
}

// diffAllergies are answers to allergy_details: local anaesthetics, a
// blood thinner, nothing the lexicon knows.
var diffAllergies = []string{"anaphylaxis to lidocaine", "rash after EMLA", "hives", "reacted to aspirin", "swelling"}

// diffNotes are answers to the other text question; a text answer is
// kept as written, trimmed, so "unsure" is text like any other.
var diffNotes = []string{"a", "insulin", "Heart ok", "unsure", "face;neck", "Eliquis", "  padded  ", "north"}

// randomIntake gives every question an answer that is missing, unsure,
// invalid, out of range or given. Choice 0 is missing, so that a fuzz
// input that runs out of bytes leaves the rest unanswered.
func randomIntake(c chooser) intake {
	in := intake{raw: map[string]any{}, given: map[string]any{}}
	for _, q := range diffQuestions {
		state := c.intn(8)
		if q.typ == rules.Text && state > 0 {
			state = 4 // a text answer cannot be unsure, invalid or out of range
		}
		if q.typ == rules.Integer && state == 3 && q.min == math.MinInt64 && q.max == math.MaxInt64 {
			state = 2 // nothing is out of the whole range
		}
		if q.typ != rules.Integer && state == 3 {
			state = 2
		}
		switch state {
		case 0: // missing, in the ways a record says so
			switch c.intn(4) {
			case 1:
				in.raw[q.id] = nil
			case 2:
				in.raw[q.id] = "  "
			case 3:
				in.raw[q.id] = []any{}
			}
		case 1:
			in.raw[q.id] = []string{"unsure", "Not sure", "don't know", " UNKNOWN "}[c.intn(4)]
		case 2:
			in.raw[q.id] = invalidAnswer(c, q)
		case 3:
			in.raw[q.id] = outOfRange(c, q)
		default:
			in.raw[q.id], in.given[q.id] = givenAnswer(c, q)
			if s, ok := in.given[q.id].(string); ok && s == "" {
				delete(in.given, q.id) // an empty text is no answer
			}
		}
	}
	return in
}

func invalidAnswer(c chooser, q diffQuestion) any {
	switch q.typ {
	case rules.YesNo:
		return []any{"maybe", "2", []any{"yes"}}[c.intn(3)]
	case rules.Integer:
		return []any{"twelve", "1.5", true, 2.5}[c.intn(4)]
	case rules.Choice:
		return []any{"other", true}[c.intn(2)]
	}
	return []any{[]any{"face", "elbow"}, "neck;elbow", []any{1}}[c.intn(3)]
}

func outOfRange(c chooser, q diffQuestion) any {
	var vs []int64
	if q.min > math.MinInt64 {
		vs = append(vs, q.min-1, math.MinInt64)
	}
	if q.max < math.MaxInt64 {
		vs = append(vs, q.max+1, math.MaxInt64)
	}
	v := vs[c.intn(len(vs))]
	if c.intn(2) == 0 {
		return strconv.FormatInt(v, 10)
	}
	return v
}

// givenAnswer returns a valid raw answer and the value it means.
func givenAnswer(c chooser, q diffQuestion) (raw, value any) {
	switch q.typ {
	case rules.YesNo:
		raw = []any{"yes", "no", true, false, "Y", " No "}[c.intn(6)]
		value = slices.Contains([]any{"yes", true, "Y"}, raw)
		return raw, value
	case rules.Integer:
		// The ends of the range, next to them, and a few in between.
		var vs []int64
		for _, v := range []int64{q.min, q.max, q.min + 1, q.max - 1, 0, 1, -1, 18, 42, math.MinInt64 / 2, math.MaxInt64 / 2} {
			if v >= q.min && v <= q.max {
				vs = append(vs, v)
			}
		}
		v := vs[c.intn(len(vs))]
		switch c.intn(3) {
		case 0:
			return v, v
		case 1:
			return strconv.FormatInt(v, 10), v
		}
		return " " + strconv.FormatInt(v, 10) + " ", v
	case rules.Choice:
		o := q.options[c.intn(len(q.options))]
		if c.intn(2) == 0 {
			return " " + strings.ToUpper(o), o
		}
		return o, o
	case rules.List:
		// One or more options, in any order, once each.
		opts := slices.Clone(q.options)
		var l []string
		for n := 1 + c.intn(len(opts)); len(l) < n; {
			i := c.intn(len(opts))
			l = append(l, opts[i])
			opts = slices.Delete(opts, i, i+1)
		}
		if c.intn(2) == 0 {
			return strings.Join(l, ";"), l
		}
		items := make([]any, len(l))
		for i, s := range l {
			items[i] = s
		}
		return items, l
	}
	texts := diffNotes
	switch q.id {
	case screening.MedicationsField:
		texts = diffMedications
	case screening.AllergyDetailsField:
		texts = diffAllergies
	}
	s := texts[c.intn(len(texts))]
	return s, strings.TrimSpace(s)
}

// intakeOf is the intake with the given values answered and every other
// question missing.
func intakeOf(given map[string]any) intake {
	in := intake{raw: map[string]any{}, given: map[string]any{}}
	for id, v := range given {
		in.given[id] = v
		switch x := v.(type) {
		case bool:
			in.raw[id] = map[bool]string{true: "yes", false: "no"}[x]
		case int64:
			in.raw[id] = strconv.FormatInt(x, 10)
		case []string:
			in.raw[id] = strings.Join(x, ";")
		default:
			in.raw[id] = x
		}
	}
	return in
}

// without is the intake with question id unanswered.
func (in intake) without(id string) intake {
	out := intake{raw: map[string]any{}, given: map[string]any{}}
	for k, v := range in.raw {
		if k != id {
			out.raw[k] = v
		}
	}
	for k, v := range in.given {
		if k != id {
			out.given[k] = v
		}
	}
	return out
}

// String lists the answers in question order, each with what the oracle
// made of it: the value given, or absent.
func (in intake) String() string {
	var parts []string
	for _, q := range diffQuestions {
		raw, ok := in.raw[q.id]
		if !ok {
			continue
		}
		if v, given := in.given[q.id]; given {
			parts = append(parts, fmt.Sprintf("%s: %#v (given %#v)", q.id, raw, v))
		} else {
			parts = append(parts, fmt.Sprintf("%s: %#v (absent)", q.id, raw))
		}
	}
	if len(parts) == 0 {
		return "{every answer missing}"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// --- The oracle ---

// outcome is what screening does with one rule for one intake.
type outcome uint8

const (
	// quiet: no finding from the rule. The condition is false, or it
	// cannot be decided because an answer it reads is absent (the
	// fail-safe finding for that answer already asks for review).
	quiet outcome = iota
	// fires: a finding with the rule's id.
	fires
	// undecidable: a rule-undecidable finding that names the rule, at
	// needs_review. Every answer the condition reads is there, and CEL
	// still gives no verdict (an overflow, a division by zero).
	undecidable
)

func (o outcome) String() string { return [...]string{"quiet", "fires", "undecidable"}[o] }

// oracle decides rules with cel-go alone, declared as rules/compile.go
// declares them, and computes the derived fields as
// screening/medications.go does.
type oracle struct {
	env *cel.Env
	lx  *meds.Lexicon
}

func newOracle(t testing.TB) *oracle {
	t.Helper()
	var opts []cel.EnvOption
	for _, q := range diffQuestions {
		// As celType in rules/compile.go.
		switch q.typ {
		case rules.YesNo:
			opts = append(opts, cel.Variable(q.id, cel.BoolType))
		case rules.Integer:
			opts = append(opts, cel.Variable(q.id, cel.IntType))
		case rules.List:
			opts = append(opts, cel.Variable(q.id, cel.ListType(cel.StringType)))
		default:
			opts = append(opts, cel.Variable(q.id, cel.StringType))
		}
	}
	// As rules/derived.go.
	opts = append(opts,
		cel.Variable(rules.FieldMedicationClasses, cel.ListType(cel.StringType)),
		cel.Variable(rules.FieldMedicationsRecognised, cel.ListType(cel.MapType(cel.StringType, cel.DynType))),
		cel.Variable(rules.FieldAllergyClasses, cel.ListType(cel.StringType)),
		cel.Variable(rules.FieldUnanswered, cel.ListType(cel.StringType)))
	// As paramDecls in rules/params.go: typed constants.
	for _, p := range diffParams {
		switch v := p.value.(type) {
		case int64:
			opts = append(opts, cel.Constant("params."+p.name, cel.IntType, types.Int(v)))
		case bool:
			opts = append(opts, cel.Constant("params."+p.name, cel.BoolType, types.Bool(v)))
		case string:
			opts = append(opts, cel.Constant("params."+p.name, cel.StringType, types.String(v)))
		}
	}
	env, err := cel.NewEnv(opts...)
	require.NoError(t, err)
	lx, err := meds.Default()
	require.NoError(t, err)
	return &oracle{env: env, lx: lx}
}

// oracleCond is a condition as the oracle runs it.
type oracleCond struct {
	expr  string
	prg   cel.Program
	reads []string // the questions and derived fields it names, sorted
}

// compile checks a condition as the loader does: it must give exactly
// bool. An error means the generator wrote something ill-typed.
func (o *oracle) compile(expr string) (*oracleCond, error) {
	checked, iss := o.env.Compile(expr)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		return nil, fmt.Errorf("gives %s, not bool", checked.OutputType())
	}
	// The program options of rules/compile.go. They matter: with
	// OptOptimize, x in [] is false without reading x; without it, an
	// absent x makes it an error.
	prg, err := o.env.Program(checked, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, err
	}
	// The variables it refers to, as reads in rules/compile.go: a
	// reference with a value is a parameter, and the macros' own
	// variables are not declared.
	var reads []string
	for _, r := range checked.NativeRep().ReferenceMap() {
		if r.Name != "" && len(r.OverloadIDs) == 0 && r.Value == nil && o.declared(r.Name) && !slices.Contains(reads, r.Name) {
			reads = append(reads, r.Name)
		}
	}
	slices.Sort(reads)
	return &oracleCond{expr: expr, prg: prg, reads: reads}, nil
}

func (o *oracle) declared(name string) bool {
	return slices.ContainsFunc(diffQuestions, func(q diffQuestion) bool { return q.id == name }) ||
		rules.IsDerived(name)
}

// activation is what CEL sees of an intake: only the given answers, and
// the derived fields, which are always there (empty lists when the
// medications answer names nothing or is absent).
func (o *oracle) activation(in intake) map[string]any {
	act := make(map[string]any, len(in.given)+4)
	for id, v := range in.given {
		act[id] = v
	}
	classes, recognised, allergies := []string{}, []any{}, []string{}
	addClasses := func(to *[]string, cs []string) {
		for _, c := range cs {
			if !slices.Contains(*to, c) {
				*to = append(*to, c)
			}
		}
		slices.Sort(*to)
	}
	if text, ok := in.given[screening.MedicationsField].(string); ok {
		// A list that says nothing is read as no list (meds.SaysNothing).
		if meds.SaysNothing(text) {
			act[screening.MedicationsField] = ""
		}
		// A medicine named with an allergy word is one reacted to.
		for _, m := range o.lx.Find(text) {
			if m.Allergy {
				addClasses(&allergies, m.Entry.Classes)
			}
		}
		// As derived() in screening/medications.go: one map per medicine,
		// and the class ids sorted, each once.
		for _, m := range screening.Recognise(o.lx, text) {
			for _, c := range m.Classes {
				if !slices.Contains(classes, c) {
					classes = append(classes, c)
				}
			}
			recognised = append(recognised, map[string]any{
				"written":          m.Written,
				"generic":          m.Generic,
				"classes":          m.Classes,
				"atc":              m.ATC,
				"how":              string(m.How),
				"possibly_stopped": m.PossiblyStopped != "",
			})
		}
		slices.Sort(classes)
	}
	// Every medicine the allergy details name was reacted to.
	if text, ok := in.given[screening.AllergyDetailsField].(string); ok {
		for _, m := range o.lx.Find(text) {
			addClasses(&allergies, m.Entry.Classes)
		}
	}
	// The questions whose answer is not given, in rule-set order.
	unanswered := []string{}
	for _, q := range diffQuestions {
		if _, ok := in.given[q.id]; !ok {
			unanswered = append(unanswered, q.id)
		}
	}
	act[rules.FieldMedicationClasses] = classes
	act[rules.FieldMedicationsRecognised] = recognised
	act[rules.FieldAllergyClasses] = allergies
	act[rules.FieldUnanswered] = unanswered
	return act
}

// outcome is what screening promises for the rule: true fires it, false
// leaves it quiet, and an error is quiet when an answer the condition
// reads is absent and undecidable when none is. The error comes back to
// say why.
func (c *oracleCond) outcome(act map[string]any) (outcome, error) {
	v, _, err := c.prg.Eval(act)
	if err == nil {
		if b, ok := v.(types.Bool); ok {
			if b {
				return fires, nil
			}
			return quiet, nil
		}
		err = fmt.Errorf("gave %v, not true or false", v.Type())
	}
	for _, id := range c.reads {
		if _, ok := act[id]; !ok {
			return quiet, err
		}
	}
	return undecidable, err
}

// --- The comparison ---

// disagreement is a rule the Screener and CEL treat differently for an
// intake.
type disagreement struct {
	cond      *expr
	in        intake
	got, want outcome
	celErr    error
	where     string // which rule of which generated case, to find it again
}

func (d disagreement) String() string {
	why := ""
	if d.celErr != nil {
		why = fmt.Sprintf(" (%v)", d.celErr)
	}
	return fmt.Sprintf("%s\n\tintake: %s\n\tscreener: %s; CEL: %s%s", d.cond, d.in, d.got, d.want, why)
}

var (
	reUndecidable = regexp.MustCompile(`^rule (\S+) could not be decided`)
	reRuleID      = regexp.MustCompile(`^r[0-9]+$`)
)

// harness screens cases and compares them with the oracle.
type harness struct {
	o *oracle
}

func newHarness(t testing.TB) *harness { return &harness{o: newOracle(t)} }

// errIllTyped marks a generated condition that does not check as bool.
var errIllTyped = errors.New("ill-typed condition")

// compare screens each intake with a rule set of the conditions and
// returns every rule on which the Screener and CEL disagree. An error says
// the case could not be run: a condition is ill-typed, or the loader
// refused the rule set.
func (h *harness) compare(conds []*expr, intakes []intake, where string) ([]disagreement, error) {
	texts := make([]string, len(conds))
	ocs := make([]*oracleCond, len(conds))
	for i, c := range conds {
		texts[i] = c.String()
		oc, err := h.o.compile(texts[i])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errIllTyped, texts[i], err)
		}
		ocs[i] = oc
	}
	rs, err := rules.Parse("differential.yaml", ruleSetYAML(texts))
	if err != nil {
		return nil, fmt.Errorf("the loader refuses the rule set of %q: %w", texts, err)
	}
	// The Screener decides "undecidable" from the reads the loader found;
	// the oracle, from its own.
	for i, r := range rs.Rules {
		if got := r.Cond().Reads(); !slices.Equal(got, ocs[i].reads) && len(got)+len(ocs[i].reads) > 0 {
			return nil, fmt.Errorf("%s reads %q to the loader, %q to the oracle", texts[i], got, ocs[i].reads)
		}
	}
	s := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	// The evaluator keeps what each condition gave; it must give what
	// evaluating every condition each time gives. The intakes are screened
	// twice, so that the second time each condition's outcome is kept.
	ev := s.NewEvaluator()
	var ds []disagreement
	for k, in := range slices.Concat(intakes, intakes) {
		a := screening.Parse(rs, in.raw)
		res := s.Evaluate(a)
		if kept := ev.Evaluate(a); !reflect.DeepEqual(res, kept) {
			return nil, fmt.Errorf("%s, intake %d: the evaluator gives %+v, and Evaluate %+v", where, k, kept, res)
		}
		if k >= len(intakes) {
			continue
		}
		got := make(map[string]outcome, len(rs.Rules))
		for _, f := range res.Findings {
			switch {
			case f.Rule == screening.RuleUndecidable:
				m := reUndecidable.FindStringSubmatch(f.Message)
				if m == nil || f.Level != rules.NeedsReview {
					return nil, fmt.Errorf("a rule-undecidable finding names no rule or is not needs_review: %+v", f)
				}
				got[m[1]] = undecidable
			case reRuleID.MatchString(f.Rule):
				if i, _ := strconv.Atoi(f.Rule[1:]); f.Level != rs.Rules[i].Level {
					return nil, fmt.Errorf("the finding of rule %s is %s, and the rule says %s", f.Rule, f.Level, rs.Rules[i].Level)
				}
				got[f.Rule] = fires
			}
		}
		act := h.o.activation(in)
		for i, r := range rs.Rules {
			want, err := ocs[i].outcome(act)
			if got[r.ID] != want {
				ds = append(ds, disagreement{cond: conds[i], in: in, got: got[r.ID], want: want, celErr: err,
					where: fmt.Sprintf("%s, rule %s, intake %d", where, r.ID, k)})
			}
		}
	}
	return ds, nil
}

// disagrees reports whether the Screener and CEL still disagree on the
// condition alone for the intake; a condition that no longer loads does
// not count.
func (h *harness) disagrees(cond *expr, in intake) (disagreement, bool) {
	ds, err := h.compare([]*expr{cond}, []intake{in}, "shrunk")
	if err != nil || len(ds) == 0 {
		return disagreement{}, false
	}
	return ds[0], true
}

// shrink cuts a disagreement down to what it needs: from the root down,
// it replaces each part of the condition with one of its own parts, or
// with a plain literal, and then drops answers, for as long as the
// Screener and CEL still disagree. What is left is the form to report.
func (h *harness) shrink(d disagreement) disagreement {
	d.cond = clone(d.cond)
	h.shrinkAt(&d, d.cond)
	for _, q := range diffQuestions {
		if _, ok := d.in.raw[q.id]; !ok {
			continue
		}
		if nd, ok := h.disagrees(d.cond, d.in.without(q.id)); ok {
			nd.where = d.where
			d = nd
		}
	}
	return d
}

var simplest = map[ctype][]string{tBool: {"false", "true"}, tInt: {"0", "1"}, tStr: {`""`}, tStrs: {"[]"}}

// shrinkAt shrinks the subtree n of d's condition in place.
func (h *harness) shrinkAt(d *disagreement, n *expr) {
	for again := true; again; {
		again = false
		var candidates []expr
		for _, k := range n.kids {
			if k.t == n.t {
				candidates = append(candidates, *k)
			}
		}
		for _, s := range simplest[n.t] {
			candidates = append(candidates, expr{t: n.t, form: s})
		}
		for _, c := range candidates {
			if len(c.String()) >= len(n.String()) {
				continue // only ever smaller, so that shrinking ends
			}
			saved := *n
			*n = c
			if nd, ok := h.disagrees(d.cond, d.in); ok {
				d.got, d.want, d.celErr = nd.got, nd.want, nd.celErr
				again = true
				break
			}
			*n = saved
		}
	}
	for _, k := range n.kids {
		h.shrinkAt(d, k)
	}
}

func clone(e *expr) *expr {
	c := *e
	c.kids = make([]*expr, len(e.kids))
	for i, k := range e.kids {
		c.kids[i] = clone(k)
	}
	return &c
}

// maxShrunk is how many disagreements are shrunk for the report: enough
// to see every kind, few enough to stay quick when the Screener is badly
// wrong.
const maxShrunk = 20

// report fails the test with the disagreements, shrunk and grouped by
// the form they shrink to.
func (h *harness) report(t testing.TB, ds []disagreement) {
	t.Helper()
	if len(ds) == 0 {
		return
	}
	type group struct {
		d     disagreement
		first disagreement
		n     int
	}
	var groups []*group
	byForm := map[string]*group{} // by the shrunk condition and intake
	byCond := map[string]*group{} // by the condition as generated
	shrunk, unshrunk := 0, 0
	for _, d := range ds {
		if g, ok := byCond[d.cond.String()]; ok {
			g.n++ // the same rule on another intake
			continue
		}
		if shrunk == maxShrunk {
			unshrunk++
			continue
		}
		shrunk++
		s := h.shrink(d)
		key := s.cond.String() + "\x00" + s.in.String()
		g, ok := byForm[key]
		if !ok {
			g = &group{d: s, first: d}
			byForm[key] = g
			groups = append(groups, g)
		}
		g.n++
		byCond[d.cond.String()] = g
	}
	if unshrunk > 0 {
		t.Errorf("%d disagreements, on conditions not shown below, were left unshrunk", unshrunk)
	}
	for _, g := range groups {
		msg := fmt.Sprintf("the Screener and CEL disagree on\n\t%s\n\tseen %d time(s); first at %s", g.d, g.n, g.first.where)
		if g.first.String() != g.d.String() {
			msg += ", in\n\t" + g.first.String()
		}
		t.Error(msg)
	}
}

// --- The tests ---

// knownCase is a condition and an intake where the Screener once
// disagreed with CEL, or came close. A nil given means any intake.
type knownCase struct {
	cond  string
	given map[string]any
}

var knownCases = []knownCase{
	// Negating the smallest int64 overflows in CEL, so the rule cannot be
	// decided although it reads nothing; the Go engine wrapped around.
	{`(-(-9223372036854775808) < 0)`, nil},
	{`(-(params.int_min) < 0)`, nil},
	{`(-(dose) < 0)`, map[string]any{"dose": int64(math.MinInt64)}},
	// x in [] is false in CEL even when x is absent; the Go engine left it
	// undecided, which hides the rule, or fires it when negated.
	{`(diabetes in [])`, map[string]any{}},
	{`!(diabetes in [])`, map[string]any{}},
	{`areas.exists(v0, !(notes in []))`, map[string]any{"areas": []string{"face"}}},
	// The derived fields, which are there even when nothing is listed.
	{`("anticoagulant" in medication_classes)`, map[string]any{screening.MedicationsField: "Eliquis 5mg, aspirin"}},
	{`(size(medications_recognised.filter(m, "heart" in m.classes)) >= 2)`, map[string]any{screening.MedicationsField: "atorvastatin and bisoprolol"}},
	{`medications_recognised.all(m, m.possibly_stopped)`, map[string]any{}},
	// false && error is false, true || error is true.
	{`(smoker && (1 / 0 == 1))`, map[string]any{"smoker": false}},
	{`(pregnant || (age / 0 == 1))`, map[string]any{"pregnant": true}},
}

// knownCondition is a known case's condition as a generated one, to go
// through the same comparison.
func knownCondition(k knownCase) *expr { return leaf(tBool, k.cond) }

// TestScreenerAgreesWithCEL screens the known cases, then random rule
// sets of eight conditions each with a few random intakes, and holds the
// Screener to cel-go on every rule. The rule sets come from seeds 0, 1,
// ..., so a failure names the seed that shows it.
func TestScreenerAgreesWithCEL(t *testing.T) {
	h := newHarness(t)

	t.Run("known cases", func(t *testing.T) {
		var ds []disagreement
		for i, k := range knownCases {
			intakes := []intake{intakeOf(map[string]any{}), randomIntake(randChooser{rand.New(rand.NewPCG(uint64(i), 1))})}
			if k.given != nil {
				intakes = []intake{intakeOf(k.given)}
			}
			d, err := h.compare([]*expr{knownCondition(k)}, intakes, fmt.Sprintf("known case %d", i))
			require.NoError(t, err)
			ds = append(ds, d...)
		}
		h.report(t, ds)
	})

	t.Run("random", func(t *testing.T) {
		sets, perSet, intakes := 2000, 8, 4
		if testing.Short() {
			sets = 200
		}
		var (
			mu       sync.Mutex
			bySeed   = make([][]disagreement, sets)
			errs     []error
			illTyped int
			wg       sync.WaitGroup
		)
		seeds := make(chan uint64)
		// The rule sets are independent; on two cores this halves the time.
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for seed := range seeds {
					c := randChooser{rand.New(rand.NewPCG(seed, 0x6d65736f))}
					g := &gen{c: c}
					conds := make([]*expr, perSet)
					for i := range conds {
						conds[i] = g.condition()
					}
					ins := make([]intake, intakes)
					for i := range ins {
						ins[i] = randomIntake(c)
					}
					d, err := h.compare(conds, ins, fmt.Sprintf("seed %d", seed))
					mu.Lock()
					if errors.Is(err, errIllTyped) {
						illTyped++
					}
					if err != nil {
						errs = append(errs, fmt.Errorf("seed %d: %w", seed, err))
					}
					bySeed[seed] = d
					mu.Unlock()
				}
			})
		}
		for seed := range sets {
			seeds <- uint64(seed)
		}
		close(seeds)
		wg.Wait()

		// Every generated condition must load: a generator that writes
		// what the loader refuses tests less than it seems to.
		assert.Zero(t, illTyped, "rule sets with an ill-typed condition")
		for _, err := range errs[:min(len(errs), 5)] {
			t.Error(err)
		}
		ds := slices.Concat(bySeed...) // in the order of the seeds
		h.report(t, ds)
		t.Logf("%d rule sets of %d conditions, %d intakes each: %d disagreements", sets, perSet, intakes, len(ds))
	})
}

// FuzzScreenerAgreesWithCEL is the same comparison driven by the fuzzer:
// known selects a known case to include (255: none), and data drives the
// generators, one byte per choice, so that a failing input reproduces.
// A case takes milliseconds (the loader compiles a rule set each time), so
// run it with a short -fuzzminimizetime, such as 10s, or the fuzzer spends
// a minute minimising each new input.
func FuzzScreenerAgreesWithCEL(f *testing.F) {
	for k := range knownCases {
		f.Add(uint8(k), []byte{})
	}
	for seed := range uint64(8) {
		b := make([]byte, 256)
		r := rand.New(rand.NewPCG(seed, 0x66757a7a))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(uint8(255), b)
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, known uint8, data []byte) {
		c := &bytesChooser{b: data}
		g := &gen{c: c}
		var conds []*expr
		var intakes []intake
		if int(known) < len(knownCases) {
			k := knownCases[known]
			conds = append(conds, knownCondition(k))
			if k.given != nil {
				intakes = append(intakes, intakeOf(k.given))
			}
		}
		for n := 1 + c.intn(8); len(conds) < n; {
			conds = append(conds, g.condition())
		}
		for n := 1 + c.intn(2); n > 0; n-- {
			intakes = append(intakes, randomIntake(c))
		}
		ds, err := h.compare(conds, intakes, "the fuzz input")
		require.NoError(t, err)
		h.report(t, ds)
	})
}
