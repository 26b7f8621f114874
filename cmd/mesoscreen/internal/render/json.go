package render

import (
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/ruletest"
)

// The JSON shapes of the commands that describe rule sets, for other
// programs: field names in snake_case, lists never null.

type ProblemJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func ProblemsJSON(ps rules.Problems) []ProblemJSON {
	out := make([]ProblemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, ProblemJSON{File: p.File, Line: p.Pos.Line, Col: p.Pos.Col, Severity: string(p.Severity), Message: p.Msg})
	}
	return out
}

// LintJSON is the result of a lint: whether the file loads, and every
// problem found.
type LintJSON struct {
	File     string        `json:"file"`
	OK       bool          `json:"ok"`
	Name     string        `json:"name,omitempty"`
	Version  string        `json:"version,omitempty"`
	Problems []ProblemJSON `json:"problems"`
	// Translations are the translation files beside the rule set, each
	// with its coverage.
	Translations []TranslationJSON `json:"translations,omitempty"`
}

// TranslationJSON is one translation file as lint reports it.
type TranslationJSON struct {
	Lang     string   `json:"lang"`
	File     string   `json:"file"`
	OK       bool     `json:"ok"`
	Coverage int      `json:"coverage"`
	Texts    int      `json:"texts"`
	Missing  []string `json:"missing"`
}

func TranslationsJSON(rs *rules.RuleSet) []TranslationJSON {
	var out []TranslationJSON
	for _, t := range rs.Translations() {
		out = append(out, TranslationJSON{Lang: t.Lang, File: t.File, OK: len(t.Problems.Errors()) == 0,
			Coverage: t.Coverage(), Texts: t.Total, Missing: append([]string{}, t.Missing...)})
	}
	return out
}

type optionJSON struct {
	Value   string `json:"value"`
	Label   string `json:"label,omitempty"`
	MeansNo bool   `json:"means_no,omitempty"`
}

type questionJSON struct {
	ID       string       `json:"id"`
	Label    string       `json:"label"`
	Section  string       `json:"section,omitempty"`
	Type     string       `json:"type"`
	Required bool         `json:"required"`
	Ask      string       `json:"ask"`
	Help     string       `json:"help,omitempty"`
	Expected string       `json:"expected"`
	Unsure   bool         `json:"unsure"`
	Options  []optionJSON `json:"options,omitempty"`
	When     string       `json:"when,omitempty"`
}

type ruleJSON struct {
	ID        string   `json:"id"`
	Level     string   `json:"level"`
	Condition string   `json:"condition"`
	Message   string   `json:"message"`
	Rationale string   `json:"rationale,omitempty"`
	Source    []string `json:"source"`
	Line      int      `json:"line,omitempty"`
	Reads     []string `json:"reads,omitempty"`
}

type instructionJSON struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	When   string   `json:"when,omitempty"`
	Source []string `json:"source"`
}

type paramJSON struct {
	Name        string   `json:"name"`
	Value       any      `json:"value"`
	Description string   `json:"description,omitempty"`
	Source      []string `json:"source"`
}

type ruleSetJSON struct {
	Name         string         `json:"name"`
	Version      string         `json:"version"`
	Title        string         `json:"title,omitempty"`
	File         string         `json:"file"`
	SHA256       string         `json:"sha256"`
	ChosenBy     string         `json:"chosen_by,omitempty"`
	Languages    []string       `json:"languages"`
	Parameters   []paramJSON    `json:"parameters"`
	Questions    []questionJSON `json:"questions"`
	Rules        []ruleJSON     `json:"rules"`
	Instructions struct {
		ShowFor      []rules.Level     `json:"show_for"`
		PreTreatment []instructionJSON `json:"pre_treatment"`
		Aftercare    []instructionJSON `json:"aftercare"`
		Course       []instructionJSON `json:"course"`
	} `json:"instructions"`
}

func orEmptyList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func RuleJSON(r *rules.Rule) ruleJSON {
	j := ruleJSON{ID: r.ID, Level: string(r.Level), Condition: r.Condition, Message: r.Message, Rationale: r.Rationale, Source: orEmptyList(r.Source), Line: r.Pos().Line}
	if c := r.Cond(); c != nil {
		j.Reads = c.Reads()
	}
	return j
}

func RuleSetJSON(rs *rules.RuleSet, chosenBy string) ruleSetJSON {
	j := ruleSetJSON{Name: rs.Name, Version: rs.Version, Title: rs.Title, File: rs.File, SHA256: rs.SHA256, ChosenBy: chosenBy, Languages: rs.Languages(),
		Parameters: []paramJSON{}, Questions: []questionJSON{}, Rules: []ruleJSON{}}
	for _, n := range rs.ParamNames() {
		p, _ := rs.Param(n)
		j.Parameters = append(j.Parameters, paramJSON{Name: n, Value: p.Value, Description: p.Description, Source: orEmptyList(p.Source)})
	}
	for _, q := range rs.Questions {
		qj := questionJSON{ID: q.ID, Label: q.Name(), Section: q.Section, Type: string(q.Type), Required: q.Required, Ask: q.Ask, Help: q.Help,
			Expected: q.Expected(), Unsure: q.AllowsUnsure(), When: q.When}
		for _, o := range q.Options {
			qj.Options = append(qj.Options, optionJSON{Value: o.Value, Label: o.Label, MeansNo: o.MeansNo})
		}
		j.Questions = append(j.Questions, qj)
	}
	for _, r := range rs.Rules {
		j.Rules = append(j.Rules, RuleJSON(r))
	}
	list := func(in []*rules.Instruction) []instructionJSON {
		out := []instructionJSON{}
		for _, x := range in {
			out = append(out, instructionJSON{ID: x.ID, Text: x.Text, When: x.When, Source: orEmptyList(x.Source)})
		}
		return out
	}
	j.Instructions.ShowFor = rs.Instructions.ShowFor
	j.Instructions.PreTreatment = list(rs.Instructions.PreTreatment)
	j.Instructions.Aftercare = list(rs.Instructions.Aftercare)
	j.Instructions.Course = list(rs.Instructions.Course)
	return j
}

type changeJSON struct {
	Part    string `json:"part"`
	Op      string `json:"op"`
	Subject string `json:"subject"`
	Field   string `json:"field,omitempty"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
	Note    string `json:"note,omitempty"`
}

type diffJSON struct {
	Old     refJSON      `json:"old"`
	New     refJSON      `json:"new"`
	Changes []changeJSON `json:"changes"`
}

type refJSON struct {
	File    string `json:"file"`
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

func refOf(rs *rules.RuleSet) refJSON {
	return refJSON{File: rs.File, Name: rs.Name, Version: rs.Version, SHA256: rs.SHA256}
}

func DiffJSON(a, b *rules.RuleSet, changes []rules.Change) diffJSON {
	d := diffJSON{Old: refOf(a), New: refOf(b), Changes: []changeJSON{}}
	op := map[rules.ChangeOp]string{rules.Added: "added", rules.Removed: "removed", rules.Changed: "changed"}
	for _, c := range changes {
		d.Changes = append(d.Changes, changeJSON{Part: c.Part, Op: op[c.Op], Subject: c.Subject, Field: c.Field, Old: c.Old, New: c.New, Note: c.Note})
	}
	return d
}

type caseJSON struct {
	Name     string   `json:"name"`
	Where    string   `json:"where"`
	Passed   bool     `json:"passed"`
	Expected string   `json:"expected_verdict"`
	Verdict  string   `json:"verdict"`
	Fired    []string `json:"fired"`
	Missing  []string `json:"missing,omitempty"`
	Unwanted []string `json:"unwanted,omitempty"`
}

type testReportJSON struct {
	RuleSet  refJSON        `json:"rule_set"`
	Passed   int            `json:"passed"`
	Failed   int            `json:"failed"`
	Cases    []caseJSON     `json:"cases"`
	Coverage float64        `json:"coverage_percent"`
	Fired    map[string]int `json:"fired_by_rule"`
}

func TestReportJSON(rs *rules.RuleSet, rep ruletest.Report) testReportJSON {
	j := testReportJSON{RuleSet: refOf(rs), Failed: rep.Failed(), Passed: len(rep.Outcomes) - rep.Failed(), Cases: []caseJSON{}, Coverage: rep.Coverage(), Fired: map[string]int{}}
	for _, o := range rep.Outcomes {
		j.Cases = append(j.Cases, caseJSON{Name: o.Case.Name, Where: o.Case.Where(), Passed: o.Passed(), Expected: string(o.Case.Verdict), Verdict: string(o.Verdict),
			Fired: orEmptyList(o.Fired), Missing: o.Missing, Unwanted: o.Unwanted})
	}
	for _, id := range rep.Rules {
		j.Fired[id] = rep.Fired[id]
	}
	return j
}
