// Package ruletest runs a rule set's test cases (intakes in YAML with the
// verdict they must get and the rules that must and must not fire), as
// "opa test" does for Rego, and measures which rules the cases fire.
package ruletest

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Suite is one test file.
type Suite struct {
	// File names the test file in messages.
	File string `yaml:"-"`
	// Defaults are answers every case starts from; a case's answers
	// replace them one by one, and an answer of null removes one.
	Defaults map[string]any `yaml:"defaults"`
	Cases    []*Case        `yaml:"cases"`
}

// Case is one test case.
type Case struct {
	Name    string         `yaml:"name"`
	Answers map[string]any `yaml:"answers"`
	// Verdict is the verdict the screening must reach.
	Verdict rules.Level `yaml:"verdict"`
	// Fires are the rules that must give a finding; NotFires those that
	// must not. Fail-safe findings count by their rule id, such as
	// answer-missing.
	Fires    []string `yaml:"fires"`
	NotFires []string `yaml:"not_fires"`
	// Instructions are the ids of instructions that must be given, and
	// NotInstructions those that must not.
	Instructions    []string `yaml:"instructions"`
	NotInstructions []string `yaml:"not_instructions"`

	// Line is where the case starts in its file.
	Line int `yaml:"-"`
	file string
}

// Where is file:line of the case.
func (c *Case) Where() string { return fmt.Sprintf("%s:%d", c.file, c.Line) }

// failSafeIDs are the rule ids of the engine's own findings, which a case
// may expect besides the rule set's.
var failSafeIDs = []string{
	screening.RuleMissing, screening.RuleUnsure, screening.RuleInvalid,
	screening.RuleOutOfRange, screening.RuleUndecidable,
}

// Parse reads a test file and checks it against the rule set: answers to
// questions it asks, verdicts that exist, rule ids it declares. Problems
// come back as rules.Problems, each at file:line:col.
func Parse(file string, data []byte, rs *rules.RuleSet) (*Suite, error) {
	pos, err := rules.IndexYAMLKind(file, data, rules.RuleTestFile)
	if err != nil {
		return nil, err
	}
	ix := &index{Positions: pos}
	s := &Suite{File: file}
	if ps := ix.Decode(data, s); ps != nil {
		return nil, ps
	}
	if len(bytes.TrimSpace(data)) == 0 || len(s.Cases) == 0 {
		ix.Errorf("$", "no test cases; a test file lists them under cases:")
	}
	ix.checkAnswers("$.defaults", s.Defaults, rs)
	ruleIDs := map[string]bool{}
	for _, r := range rs.Rules {
		ruleIDs[r.ID] = true
	}
	for _, id := range failSafeIDs {
		ruleIDs[id] = true
	}
	instructionIDs := map[string]bool{}
	for _, id := range instructionsOf(rs) {
		instructionIDs[id] = true
	}
	names := map[string]int{}
	for i, c := range s.Cases {
		p := fmt.Sprintf("$.cases[%d]", i)
		if c == nil {
			ix.Errorf(p, "case %d is empty", i+1)
			s.Cases[i] = &Case{}
			continue
		}
		c.Line, c.file = ix.At(p).Line, file
		switch {
		case c.Name == "":
			ix.Errorf(p, "case %d has no name", i+1)
		case names[c.Name] > 0:
			ix.Errorf(p+".name", "duplicate case name %q (first at line %d)", c.Name, names[c.Name])
		default:
			names[c.Name] = c.Line
		}
		if c.Verdict == "" {
			ix.Errorf(p, "case %q has no verdict; expected one of %s", c.Name, levels())
		} else if !c.Verdict.Valid() {
			ix.Errorf(p+".verdict", "case %q expects verdict %q; expected one of %s", c.Name, c.Verdict, levels())
		}
		ix.checkAnswers(p+".answers", c.Answers, rs)
		for _, l := range []struct {
			key string
			ids []string
		}{{"fires", c.Fires}, {"not_fires", c.NotFires}} {
			for j, id := range l.ids {
				if !ruleIDs[id] {
					ix.Errorf(fmt.Sprintf("%s.%s[%d]", p, l.key, j), "case %q names rule %q, which rule set %s does not have", c.Name, id, rs.Name)
				}
			}
		}
		for j, id := range c.NotFires {
			if slices.Contains(c.Fires, id) {
				ix.Errorf(fmt.Sprintf("%s.not_fires[%d]", p, j), "case %q lists rule %q under both fires and not_fires", c.Name, id)
			}
		}
		for _, l := range []struct {
			key string
			ids []string
		}{{"instructions", c.Instructions}, {"not_instructions", c.NotInstructions}} {
			for j, id := range l.ids {
				if !instructionIDs[id] {
					ix.Errorf(fmt.Sprintf("%s.%s[%d]", p, l.key, j), "case %q names instruction %q, which rule set %s does not have", c.Name, id, rs.Name)
				}
			}
		}
		for j, id := range c.NotInstructions {
			if slices.Contains(c.Instructions, id) {
				ix.Errorf(fmt.Sprintf("%s.not_instructions[%d]", p, j), "case %q lists instruction %q under both instructions and not_instructions", c.Name, id)
			}
		}
	}
	if len(ix.Problems) > 0 {
		return nil, ix.Problems
	}
	return s, nil
}

func (ix *index) checkAnswers(path string, answers map[string]any, rs *rules.RuleSet) {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, ok := rs.Question(k); !ok {
			ix.Errorf(path+"."+k+"#key", "answer to %q, which rule set %s does not ask", k, rs.Name)
		}
	}
}

func levels() string {
	s := make([]string, len(rules.Levels))
	for i, l := range rules.Levels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// Outcome is the result of one case.
type Outcome struct {
	Case    *Case
	Verdict rules.Level
	// Fired lists the rule ids of the findings, in the order found.
	Fired []string
	// Missing are rules that had to fire and did not; Unwanted those that
	// fired and must not.
	Missing, Unwanted []string
	// Given lists the ids of the instructions given;
	// MissingInstructions are those that had to be and were not, and
	// UnwantedInstructions those given that must not be.
	Given                                     []string
	MissingInstructions, UnwantedInstructions []string
}

// Passed reports whether the case got what it expected.
func (o Outcome) Passed() bool {
	return o.Verdict == o.Case.Verdict && len(o.Missing) == 0 && len(o.Unwanted) == 0 &&
		len(o.MissingInstructions) == 0 && len(o.UnwantedInstructions) == 0
}

// Report is the outcome of a run.
type Report struct {
	Outcomes []Outcome
	// Fired counts, per rule id of the rule set, the cases that fired it.
	Fired map[string]int
	// Rules are the rule set's rule ids in declaration order.
	Rules []string
	// Conditional lists the ids of the instructions with a when:, and
	// Given and Withheld count, for each, the cases that gave it and those
	// (whose verdict shows instructions) that did not.
	Conditional     []string
	Given, Withheld map[string]int
}

// Failed counts the cases that did not pass.
func (r Report) Failed() int {
	n := 0
	for _, o := range r.Outcomes {
		if !o.Passed() {
			n++
		}
	}
	return n
}

// Coverage is the percentage of the rule set's rules that some case fired.
func (r Report) Coverage() float64 {
	if len(r.Rules) == 0 {
		return 100
	}
	n := 0
	for _, id := range r.Rules {
		if r.Fired[id] > 0 {
			n++
		}
	}
	return 100 * float64(n) / float64(len(r.Rules))
}

// Run screens every case whose name matches filter (all, if it is nil)
// and compares the result with what the case expects.
func Run(rs *rules.RuleSet, suites []*Suite, filter *regexp.Regexp) Report {
	rep := Report{Fired: map[string]int{}, Given: map[string]int{}, Withheld: map[string]int{}}
	sc := screening.NewScreener(rs, screening.Options{})
	for _, r := range rs.Rules {
		rep.Rules = append(rep.Rules, r.ID)
	}
	in := rs.Instructions
	for _, l := range [][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range l {
			if x.When != "" {
				rep.Conditional = append(rep.Conditional, x.ID)
			}
		}
	}
	for _, s := range suites {
		for _, c := range s.Cases {
			if filter != nil && !filter.MatchString(c.Name) {
				continue
			}
			o := runCase(sc, s, c, rep.Fired)
			if rs.ShowsInstructions(o.Verdict) {
				for _, id := range rep.Conditional {
					if slices.Contains(o.Given, id) {
						rep.Given[id]++
					} else {
						rep.Withheld[id]++
					}
				}
			}
			rep.Outcomes = append(rep.Outcomes, o)
		}
	}
	return rep
}

// InstructionCoverage is the percentage of the instructions with a when:
// that some case gave and some other case, whose verdict shows
// instructions, did not: a test on each side of the condition.
func (r Report) InstructionCoverage() float64 {
	if len(r.Conditional) == 0 {
		return 100
	}
	n := 0
	for _, id := range r.Conditional {
		if r.Given[id] > 0 && r.Withheld[id] > 0 {
			n++
		}
	}
	return 100 * float64(n) / float64(len(r.Conditional))
}

// instructionsOf lists the ids of every instruction of the rule set.
func instructionsOf(rs *rules.RuleSet) []string {
	var ids []string
	in := rs.Instructions
	for _, l := range [][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range l {
			ids = append(ids, x.ID)
		}
	}
	return ids
}

func runCase(sc *screening.Screener, s *Suite, c *Case, fired map[string]int) Outcome {
	fields := map[string]any{}
	for k, v := range s.Defaults {
		fields[k] = v
	}
	for k, v := range c.Answers {
		if v == nil {
			delete(fields, k)
			continue
		}
		fields[k] = v
	}
	res := sc.Evaluate(screening.Parse(sc.RuleSet(), fields))
	o := Outcome{Case: c, Verdict: res.Verdict}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			o.Fired = append(o.Fired, f.Rule)
			fired[f.Rule]++
		}
	}
	for _, id := range c.Fires {
		if !seen[id] {
			o.Missing = append(o.Missing, id)
		}
	}
	for _, id := range c.NotFires {
		if seen[id] {
			o.Unwanted = append(o.Unwanted, id)
		}
	}
	o.Given = res.Instructions
	for _, id := range c.Instructions {
		if !slices.Contains(o.Given, id) {
			o.MissingInstructions = append(o.MissingInstructions, id)
		}
	}
	for _, id := range c.NotInstructions {
		if slices.Contains(o.Given, id) {
			o.UnwantedInstructions = append(o.UnwantedInstructions, id)
		}
	}
	return o
}

// index locates the test file's problems and collects them.
type index struct {
	*rules.Positions
}
