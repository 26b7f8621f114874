package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "rules", name))
	require.NoError(t, err)
	return string(b)
}

// TestLintPositions checks each refused condition and duplicate with the
// exact position and words a clinic sees. The base fixture ends at line
// 31; every case's extra rule starts at line 32.
func TestLintPositions(t *testing.T) {
	base := fixture(t, "base.yaml")
	tests := []struct {
		name  string
		extra string
		want  []string
	}{
		{"unknown field with suggestion",
			"  - id: x\n    condition: pregant\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:16: unknown field "pregant" (did you mean "pregnant"?); a condition can only read the questions of the rule set`}},
		{"unknown field without suggestion",
			"  - id: x\n    condition: age > 3 && zodiac\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:27: unknown field "zodiac"; a condition can only read the questions of the rule set`}},
		{"yes/no compared with a number",
			"  - id: x\n    condition: pregnant == 1\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:25: cannot compare yes/no with a number using ==; yes/no answers are tested as true or false, numbers with numbers, choices with quoted values`}},
		{"choice value not allowed",
			"  - id: x\n    condition: diabetes == \"insuline\"\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:28: "insuline" is not a value of diabetes (did you mean "insulin"?); it allows none, insulin`}},
		{"choice value not allowed, in a list",
			"  - id: x\n    condition: 'diabetes in [\"none\", \"type2\"]'\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:38: "type2" is not a value of diabetes; it allows none, insulin`}},
		{"not a bool",
			"  - id: x\n    condition: age + 1\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:16: condition "age + 1" gives a number, but a condition must give true or false`}},
		{"block condition keeps line and column",
			"  - id: x\n    condition: |\n      pregnant &&\n        age > \"ten\"\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:35:13: cannot compare a number with text using >; yes/no answers are tested as true or false, numbers with numbers, choices with quoted values`}},
		{"syntax error",
			"  - id: x\n    condition: pregnant &&\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:27: the condition ends too early; something is missing at its end`}},
		{"syntax error inside",
			"  - id: x\n    condition: pregnant = true\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:33:25: syntax error: token recognition error at: '= '`, `f.yaml:33:27: syntax error: extraneous input 'true'`}},
		{"duplicate rule id",
			"  - id: pregnant\n    condition: pregnant\n    level: defer\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:32:9: duplicate rule id "pregnant" (first declared at line 27)`}},
		{"unknown level",
			"  - id: x\n    condition: pregnant\n    level: deny\n    message: m\n    source: [a]\n",
			[]string{`f.yaml:34:12: rule "x" has unknown level "deny"; expected one of eligible, eligible_with_precautions, needs_review, defer, not_eligible`}},
		{"unknown key",
			"  - id: x\n    condition: pregnant\n    level: defer\n    mesage: m\n",
			[]string{`f.yaml:35:5: unknown field "mesage"`}},
		{"every unknown key, not only the first",
			"  - id: x\n    condtion: pregnant\n    level: defer\n    mesage: m\n    source: [a]\n    params: {a: 1}\n",
			[]string{`f.yaml:33:5: unknown field "condtion"`, `f.yaml:35:5: unknown field "mesage"`, `f.yaml:37:5: unknown field "params"`}},
		{"a merge key is not an unknown key",
			"  - id: x\n    <<: {level: defer}\n    condition: pregnant\n    mesage: m\n",
			[]string{`f.yaml:35:5: unknown field "mesage"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, problems := rules.Lint("f.yaml", []byte(base+tt.extra))
			assert.Nil(t, rs)
			var got []string
			for _, p := range problems {
				if p.Severity != rules.Warning {
					got = append(got, p.String())
				}
			}
			assert.Equal(t, tt.want, got)

			_, err := rules.Parse("f.yaml", []byte(base+tt.extra))
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}

func TestLintQuestions(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"duplicate question",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: age\n    type: integer\n    min: 0\n    max: 9\n    ask: a\n  - id: age\n    type: yesno\n    ask: b\n",
			`f.yaml:10:9: duplicate question id "age" (first declared at line 5)`},
		{"follow-up of a later question",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: detail\n    type: text\n    ask: a\n    when: allergies\n  - id: allergies\n    type: yesno\n    ask: b\n",
			`f.yaml:8:11: question "detail" follows up "allergies", which is asked later; move it after "allergies"`},
		{"follow-up of itself",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: allergies\n    type: yesno\n    ask: b\n    when: allergies\n",
			`f.yaml:8:11: question "allergies" is a follow-up of itself; its when: must read earlier questions`},
		{"unknown type",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: age\n    type: number\n    ask: a\n",
			`f.yaml:6:11: question "age" has unknown type "number"; expected yesno, integer, choice, list or text`},
		{"integer without range",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: age\n    type: integer\n    ask: a\n",
			`f.yaml:5:5: integer question "age" needs min: and max:`},
		{"unsure: false on yes/no",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: stroke\n    type: yesno\n    ask: a\n    unsure: false\n",
			`f.yaml:8:13: question "stroke" is yes/no, which always allows unsure (a patient may not know); remove unsure: false`},
		{"unsure on text",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: notes\n    type: text\n    ask: a\n    unsure: true\n",
			`f.yaml:8:13: question "notes" is text; unsure applies to yes/no, integer, choice and list questions`},
		{"two options that mean no",
			"schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: d\n    type: choice\n    ask: a\n    options:\n      - {value: none, means_no: true}\n      - {value: never, means_no: true}\n",
			`f.yaml:10:34: means_no marks the one option of a choice question that answers no; "d" has it on never`},
		{"wrong schema",
			"schema: 2\nname: x\nversion: \"1\"\nquestions:\n  - id: age\n    type: yesno\n    ask: a\n",
			`f.yaml:1:9: schema is 2; this version of mesoscreen reads schema 1`},
		{"yaml syntax",
			"schema: 1\nname: [x\n",
			`f.yaml:2:7: sequence end token ']' not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.Parse("f.yaml", []byte(tt.yaml))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestLintWarnsOnMissingSource(t *testing.T) {
	src := fixture(t, "base.yaml") + "  - id: x\n    condition: pregnant\n    level: defer\n    message: m\n"
	rs, problems := rules.Lint("f.yaml", []byte(src))
	require.NotNil(t, rs, "a warning does not stop the rule set from loading")
	assert.Contains(t, problems, rules.Problem{File: "f.yaml", Pos: rules.Pos{Line: 32, Col: 5}, Severity: rules.Warning,
		Msg: `rule "x" names no source; add source: with the documents it comes from`})
}

func TestDefaultRuleSet(t *testing.T) {
	rs, problems := rules.Lint(rules.DefaultFile, rules.DefaultSource())
	require.NotNil(t, rs, "%v", problems)
	assert.Empty(t, problems, "the default rule set lints clean")
	assert.Equal(t, "mesotherapy-default", rs.Name)

	// Every SPEC §1 field is asked, with its type.
	want := map[string]rules.Type{
		"patient_id": rules.Text, "age": rules.Integer, "pregnant": rules.YesNo,
		"breastfeeding": rules.YesNo, "clotting_disorder": rules.YesNo, "blood_clots": rules.YesNo,
		"stroke": rules.YesNo, "recent_cancer": rules.YesNo, "diabetes": rules.Choice,
		"heart_medications": rules.Integer, "blood_thinners": rules.YesNo,
		"active_infection": rules.YesNo, "skin_condition": rules.YesNo, "allergies": rules.YesNo,
		"medications": rules.Text, "treatment_areas": rules.List, "goal": rules.Choice,
	}
	for id, typ := range want {
		q, ok := rs.Question(id)
		if assert.True(t, ok, id) {
			assert.Equal(t, typ, q.Type, id)
			assert.Equal(t, id != "medications", q.Required, "%s required", id)
		}
	}
	// Every rule and instruction names a source the rule set describes.
	for _, r := range rs.Rules {
		require.NotEmpty(t, r.Source, r.ID)
		for _, s := range r.Source {
			assert.NotEmpty(t, rs.SourceTitle(s), "rule %s cites %q", r.ID, s)
		}
	}
	in := rs.Instructions
	for _, list := range [][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range list {
			require.NotEmpty(t, x.Source, x.ID)
			for _, s := range x.Source {
				assert.NotEmpty(t, rs.SourceTitle(s), "instruction %s cites %q", x.ID, s)
			}
		}
	}
}

func TestConditionReads(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	byID := map[string][]string{}
	for _, r := range rs.Rules {
		byID[r.ID] = r.Cond().Reads()
	}
	assert.Equal(t, []string{"pregnant"}, byID["pregnant"])
	assert.Equal(t, []string{"treatment_areas"}, byID["too-many-areas"])
	assert.Equal(t, []string{"heart_medications"}, byID["heart-medication-single"])
}

func TestLevels(t *testing.T) {
	for i := 1; i < len(rules.Levels); i++ {
		assert.Greater(t, rules.Levels[i].Severity(), rules.Levels[i-1].Severity())
	}
	assert.False(t, rules.Level("deny").Valid())
	assert.True(t, rules.EligibleWithPrecautions.AllowsTreatment())
	assert.False(t, rules.NeedsReview.AllowsTreatment())
}

func BenchmarkLoadDefault(b *testing.B) {
	src := rules.DefaultSource()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Parse(rules.DefaultFile, src); err != nil {
			b.Fatal(err)
		}
	}
}

// The identity --version prints, read without compiling the rule set, is
// the compiled default's own.
func TestDefaultIdentity(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	name, version, sum, err := rules.DefaultIdentity()
	require.NoError(t, err)
	assert.Equal(t, []string{rs.Name, rs.Version, rs.SHA256}, []string{name, version, sum})
}

// A clinic's rule set may not name a rule as mesoscreen names its own
// findings: the default with its first rule renamed to each reserved id
// does not load, and says why at the id.
func TestReservedRuleIDs(t *testing.T) {
	src := string(rules.DefaultSource())
	const first = "rules:\n  - id: pregnant\n"
	require.Contains(t, src, first)
	for _, id := range []string{"answer-unsure", "answer-missing", "record-altered", "rescreen-due", "rule-undecidable", "response-not-completed", "duplicate-patient-id", "answer-anything"} {
		t.Run(id, func(t *testing.T) {
			changed := strings.Replace(src, first, "rules:\n  - id: "+id+"\n", 1)
			changed = strings.ReplaceAll(changed, "[pregnant,", "["+id+",") // clearance lists that name it
			_, err := rules.Parse("clinic.yaml", []byte(changed))
			require.Error(t, err)
			assert.Contains(t, err.Error(), fmt.Sprintf("rule id %q is reserved for mesoscreen's own findings", id))
		})
	}
	assert.False(t, rules.ReservedRuleID("pregnant"))
	assert.False(t, rules.ReservedRuleID("meds-heart-medicines-not-declared"))
}
