package forms_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/forms"
)

// fhirSchema compiles the official FHIR R4 JSON schema's definition of a
// Questionnaire, once: it takes seconds. (The schema's root accepts any
// resource, and its errors then list every resource type.)
func fhirSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	sch, err := loadFHIRSchema()
	require.NoError(t, err)
	return sch
}

var loadFHIRSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open("../../testdata/fhir/fhir.schema.json.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(zr)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("fhir.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("fhir.schema.json#/definitions/Questionnaire")
})

func validateFHIR(sch *jsonschema.Schema, b []byte) error {
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// queInvariants checks a Questionnaire against the invariants que-0 to
// que-13 of FHIR R4 (4.0.1), each written in Go as the specification
// states it in FHIRPath, and against two rules a form renderer relies on:
// an enableWhen names an item before it, with an answer that item offers.
// It returns one line per broken rule.
func queInvariants(q map[string]any) []string {
	var out []string
	fail := func(rule, format string, args ...any) {
		out = append(out, rule+": "+fmt.Sprintf(format, args...))
	}
	// que-0 (a warning in the specification, held as an error here).
	if name, ok := q["name"].(string); ok && !regexp.MustCompile(`^[A-Z]([A-Za-z0-9_]){0,254}$`).MatchString(name) {
		fail("que-0", "name %q is not usable as an identifier", name)
	}
	// que-2: descendants().linkId.isDistinct(); answers' nested items
	// are descendants too, but a Questionnaire has none.
	seen := map[string]int{}
	options := map[string][]string{} // linkId -> answerOption codes, in order seen
	var walk func(items []any)
	walk = func(items []any) {
		for _, x := range items {
			it := x.(map[string]any)
			id, _ := it["linkId"].(string)
			typ, _ := it["type"].(string)
			seen[id]++
			sub, _ := it["item"].([]any)
			has := func(k string) bool { _, ok := it[k]; return ok }
			initial, _ := it["initial"].([]any)
			ew, _ := it["enableWhen"].([]any)
			if typ == "group" && len(sub) == 0 {
				fail("que-1", "group %s has no items", id)
			}
			if typ == "display" && len(sub) > 0 {
				fail("que-1", "display item %s has items", id)
			}
			if typ == "display" && has("code") {
				fail("que-3", "display item %s has a code", id)
			}
			if has("answerOption") && has("answerValueSet") {
				fail("que-4", "%s has both answerOption and answerValueSet", id)
			}
			if !slices.Contains([]string{"choice", "open-choice", "decimal", "integer", "date", "dateTime", "time", "string", "quantity"}, typ) &&
				(has("answerValueSet") || has("answerOption")) {
				fail("que-5", "%s of type %s has answers to choose from", id, typ)
			}
			if typ == "display" && (has("required") || has("repeats")) {
				fail("que-6", "display item %s has required or repeats", id)
			}
			for _, e := range ew {
				e := e.(map[string]any)
				if e["operator"] == "exists" {
					if _, ok := e["answerBoolean"]; !ok {
						fail("que-7", "%s: an exists enableWhen without answerBoolean", id)
					}
				}
			}
			if (typ == "group" || typ == "display") && len(initial) > 0 {
				fail("que-8", "%s of type %s has initial values", id, typ)
			}
			if typ == "display" && has("readOnly") {
				fail("que-9", "display item %s has readOnly", id)
			}
			if !slices.Contains([]string{"boolean", "decimal", "integer", "string", "text", "url", "open-choice"}, typ) && has("maxLength") {
				fail("que-10", "%s of type %s has maxLength", id, typ)
			}
			if has("answerOption") && len(initial) > 0 {
				fail("que-11", "%s has answerOption and initial", id)
			}
			// que-12 says "> 2" in R4, a known slip for "> 1"; the
			// stricter reading is checked.
			if len(ew) > 1 && !has("enableBehavior") {
				fail("que-12", "%s has %d enableWhen and no enableBehavior", id, len(ew))
			}
			if it["repeats"] != true && len(initial) > 1 {
				fail("que-13", "%s has several initial values but does not repeat", id)
			}
			for _, e := range ew {
				e := e.(map[string]any)
				qid, _ := e["question"].(string)
				codes, before := options[qid]
				if !before && seen[qid] == 0 {
					fail("enableWhen", "%s is enabled by %q, which is not an item before it", id, qid)
				}
				if c, ok := e["answerCoding"].(map[string]any); ok && !slices.Contains(codes, c["system"].(string)+"|"+c["code"].(string)) {
					fail("enableWhen", "%s is enabled by answer %v of %s, which %s does not offer", id, c["code"], qid, qid)
				}
			}
			opts, _ := it["answerOption"].([]any)
			for _, o := range opts {
				if c, ok := o.(map[string]any)["valueCoding"].(map[string]any); ok {
					options[id] = append(options[id], c["system"].(string)+"|"+c["code"].(string))
				}
			}
			walk(sub)
		}
	}
	items, _ := q["item"].([]any)
	walk(items)
	for id, n := range seen {
		if n > 1 {
			fail("que-2", "linkId %q is used by %d items", id, n)
		}
	}
	slices.Sort(out)
	return out
}

func questionnaireOf(t *testing.T, rs *rules.RuleSet) ([]byte, map[string]any) {
	t.Helper()
	b, err := forms.Questionnaire(rs)
	require.NoError(t, err)
	var q map[string]any
	require.NoError(t, json.Unmarshal(b, &q))
	return b, q
}

// The Questionnaire is valid FHIR R4: the official JSON schema and every
// invariant of the Questionnaire resource.
func TestQuestionnaireIsValidFHIR(t *testing.T) {
	sch := fhirSchema(t)
	rs := defaultRules(t)
	b, q := questionnaireOf(t, rs)
	require.NoError(t, validateFHIR(sch, b))
	assert.Empty(t, queInvariants(q))

	// A clinic's rule set with an awkward name, a section named like a
	// question, and a follow-up on a choice.
	clinic, err := rules.Parse("clinic.yaml", []byte(`schema: 1
name: 2026-north clinic
version: "3"
sections:
  - {id: age, title: Age}
  - {id: history, title: History}
questions:
  - {id: age, section: age, type: integer, min: 0, max: 120, ask: Age?, required: true}
  - {id: diabetes, section: history, type: choice, ask: Diabetes?, required: true,
     options: [{value: none}, {value: insulin}]}
  - {id: insulin_since, section: history, type: text, ask: Since when?, when: diabetes == "insulin"}
rules:
  - {id: young, condition: age < 18, level: not_eligible, message: m, source: [x]}
  - {id: insulin, condition: diabetes == "insulin", level: not_eligible, message: m, source: [x]}
`))
	require.NoError(t, err)
	b, q = questionnaireOf(t, clinic)
	require.NoError(t, validateFHIR(sch, b))
	assert.Empty(t, queInvariants(q))
	assert.Equal(t, "Q2026NorthClinic", q["name"])
}

// The checks above can fail: each broken Questionnaire is caught.
func TestQuestionnaireChecksCatchFaults(t *testing.T) {
	sch := fhirSchema(t)
	_, good := questionnaireOf(t, defaultRules(t))
	mutate := func(f func(q map[string]any)) map[string]any {
		b, _ := json.Marshal(good)
		var q map[string]any
		require.NoError(t, json.Unmarshal(b, &q))
		f(q)
		return q
	}
	group := func(q map[string]any, i int) map[string]any { return q["item"].([]any)[i].(map[string]any) }
	item := func(q map[string]any, g, i int) map[string]any {
		return group(q, g)["item"].([]any)[i].(map[string]any)
	}
	tests := []struct {
		name   string
		f      func(q map[string]any)
		rule   string // an invariant that must break, or "" for the schema
		schema bool
	}{
		{"a group named as its question, as before", func(q map[string]any) { group(q, 5)["linkId"] = "medications" }, "que-2", false},
		{"an empty group", func(q map[string]any) { group(q, 1)["item"] = []any{} }, "que-1", false},
		{"a lower-case name", func(q map[string]any) { q["name"] = "mesotherapy" }, "que-0", false},
		{"two enableWhen without enableBehavior", func(q map[string]any) {
			it := item(q, 2, 4)
			it["enableWhen"] = append(it["enableWhen"].([]any), it["enableWhen"].([]any)[0])
		}, "que-12", false},
		{"enabled by a later item", func(q map[string]any) {
			item(q, 2, 4)["enableWhen"].([]any)[0].(map[string]any)["question"] = "diabetes"
		}, "enableWhen", false},
		{"a status FHIR does not have", func(q map[string]any) { q["status"] = "published" }, "", true},
		{"a url with a space", func(q map[string]any) { q["url"] = "urn:mesoscreen:questionnaire:north clinic" }, "", true},
		{"an item type FHIR does not have", func(q map[string]any) { item(q, 0, 1)["type"] = "number" }, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mutate(tt.f)
			b, err := json.Marshal(q)
			require.NoError(t, err)
			if tt.rule != "" {
				got := queInvariants(q)
				require.NotEmpty(t, got)
				assert.True(t, slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, tt.rule+":") }), "%v", got)
			}
			if tt.schema {
				assert.Error(t, validateFHIR(sch, b))
			} else {
				assert.NoError(t, validateFHIR(sch, b))
			}
		})
	}
}

// What a renderer needs to draw the right widgets: radio buttons for
// yes/no (Not sure in sight), check boxes for the areas, the range of a
// number, and follow-ups enabled by their question.
func TestQuestionnaireRendering(t *testing.T) {
	_, q := questionnaireOf(t, defaultRules(t))
	items := map[string]map[string]any{}
	var walk func([]any)
	walk = func(list []any) {
		for _, x := range list {
			it := x.(map[string]any)
			items[it["linkId"].(string)] = it
			if sub, ok := it["item"].([]any); ok {
				walk(sub)
			}
		}
	}
	walk(q["item"].([]any))
	control := func(id string) string {
		for _, e := range items[id]["extension"].([]any) {
			e := e.(map[string]any)
			if e["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl" {
				return e["valueCodeableConcept"].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"].(string)
			}
		}
		return ""
	}
	assert.Equal(t, "check-box", control("treatment_areas"))
	assert.Equal(t, true, items["treatment_areas"]["repeats"])
	for _, id := range []string{"pregnant", "allergies", "diabetes", "goal"} {
		assert.Equal(t, "radio-button", control(id), id)
		assert.Equal(t, true, items[id]["required"], id)
	}
	assert.Len(t, items["pregnant"]["answerOption"], 3)
	assert.Equal(t, "", control("age"))
	assert.Equal(t, []any{
		map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0.0},
		map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 120.0},
	}, items["age"]["extension"])
	assert.Equal(t, []any{map[string]any{"question": "allergies", "operator": "=",
		"answerCoding": map[string]any{"system": forms.AnswerSystem, "code": "yes"}}}, items["allergy_details"]["enableWhen"])
	assert.Nil(t, items["allergy_details"]["required"], "a follow-up is never required where it is hidden")
	assert.Equal(t, "group", items["section-medications"]["type"])
	assert.Equal(t, "text", items["medications"]["type"])
}

// The Questionnaire is derived from the rule set, and a response to it
// reads back into the same answers.
func TestQuestionnaire(t *testing.T) {
	rs := defaultRules(t)
	b, err := forms.Questionnaire(rs)
	require.NoError(t, err)
	s := string(b)
	for _, q := range rs.Questions {
		assert.Contains(t, s, `"linkId": "`+q.ID+`"`)
	}
	assert.Contains(t, s, `"enableWhen": [`)
	assert.Contains(t, s, `"question": "blood_thinners"`)
	assert.Contains(t, s, `"code": "unsure"`)
	assert.True(t, bytes.HasPrefix(b, []byte("{\n  \"resourceType\": \"Questionnaire\"")))
	assert.Equal(t, len(rs.Questions), len(forms.CSVHeader(rs)))
}
