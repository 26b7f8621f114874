package forms_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/forms"
)

// translations collects an element's translation extension: content by
// language.
func translations(t *testing.T, el any) map[string]string {
	t.Helper()
	out := map[string]string{}
	m, ok := el.(map[string]any)
	if !ok {
		return out
	}
	exts, _ := m["extension"].([]any)
	for _, e := range exts {
		e := e.(map[string]any)
		require.Equal(t, "http://hl7.org/fhir/StructureDefinition/translation", e["url"])
		var lang, content string
		for _, x := range e["extension"].([]any) {
			x := x.(map[string]any)
			switch x["url"] {
			case "lang":
				lang = x["valueCode"].(string)
			case "content":
				content = x["valueString"].(string)
			}
		}
		require.NotEmpty(t, lang)
		require.NotEmpty(t, content)
		out[lang] = content
	}
	return out
}

func findItem(items []any, linkID string) map[string]any {
	for _, x := range items {
		it := x.(map[string]any)
		if it["linkId"] == linkID {
			return it
		}
		sub, _ := it["item"].([]any)
		if f := findItem(sub, linkID); f != nil {
			return f
		}
	}
	return nil
}

// The Questionnaire in Spanish and in French is valid FHIR R4, says its
// language, and carries the other two languages on every text through
// the translation extension, as SDC renderers read it.
func TestQuestionnaireInEachLanguage(t *testing.T) {
	sch := fhirSchema(t)
	rs := defaultRules(t)
	want := map[string]map[string]string{ // language -> the pregnancy question, and "yes"
		"en": {"ask": "Is the patient pregnant, or could she be?", "yes": "Yes", "unsure": "Not sure", "title": "Mesotherapy contraindication screening"},
		"es": {"ask": "¿Está embarazada, o podría estarlo?", "yes": "Sí", "unsure": "No lo sé", "title": "Evaluación previa de contraindicaciones para la mesoterapia"},
		"fr": {"ask": "Êtes-vous enceinte, ou pourriez-vous l'être\u00a0?", "yes": "Oui", "unsure": "Je ne sais pas", "title": "Évaluation préalable des contre-indications à la mésothérapie"},
	}
	for lang, w := range want {
		t.Run(lang, func(t *testing.T) {
			rl, err := rs.In(lang)
			require.NoError(t, err)
			b, q := questionnaireOf(t, rl)
			require.NoError(t, validateFHIR(sch, b))
			assert.Empty(t, queInvariants(q))
			assert.Equal(t, lang, q["language"])
			assert.Equal(t, w["title"], q["title"])
			items := q["item"].([]any)
			preg := findItem(items, "pregnant")
			require.NotNil(t, preg)
			assert.Equal(t, w["ask"], preg["text"])
			yes := preg["answerOption"].([]any)[0].(map[string]any)["valueCoding"].(map[string]any)
			assert.Equal(t, "yes", yes["code"], "the codes stay the same in every language")
			assert.Equal(t, w["yes"], yes["display"])
			for other, ow := range want {
				if other == lang {
					continue
				}
				assert.Equal(t, ow["ask"], translations(t, preg["_text"])[other], "%s text in %s", lang, other)
				assert.Equal(t, ow["yes"], translations(t, yes["_display"])[other])
				assert.Equal(t, ow["title"], translations(t, q["_title"])[other])
			}
			// Every item with a text has it in the two other languages.
			var walk func([]any)
			walk = func(items []any) {
				for _, x := range items {
					it := x.(map[string]any)
					if _, ok := it["text"]; ok {
						assert.Len(t, translations(t, it["_text"]), 2, "%s %s", lang, it["linkId"])
					}
					sub, _ := it["item"].([]any)
					walk(sub)
				}
			}
			walk(items)
		})
	}
}

// Every question's help reaches a patient who fills the form in alone: a
// display item under the question, drawn as a help button, in the
// Questionnaire's language with the two others beside it. "Not sure" is
// offered wherever the rule set allows it, in each language, and nowhere
// else.
func TestQuestionnaireHelpAndNotSure(t *testing.T) {
	sch := fhirSchema(t)
	rs := defaultRules(t)
	notSure := map[string]string{"en": "Not sure", "es": "No lo sé", "fr": "Je ne sais pas"}
	for _, lang := range []string{"en", "es", "fr"} {
		t.Run(lang, func(t *testing.T) {
			rl, err := rs.In(lang)
			require.NoError(t, err)
			b, q := questionnaireOf(t, rl)
			require.NoError(t, validateFHIR(sch, b))
			assert.Empty(t, queInvariants(q))
			items := q["item"].([]any)
			helps := 0
			for _, qu := range rl.Questions {
				it := findItem(items, qu.ID)
				require.NotNil(t, it, qu.ID)
				sub, _ := it["item"].([]any)
				if qu.Help == "" {
					assert.Empty(t, sub, "%s has no help", qu.ID)
				} else {
					helps++
					require.Len(t, sub, 1, qu.ID)
					h := sub[0].(map[string]any)
					assert.Equal(t, qu.ID+".help", h["linkId"])
					assert.Equal(t, "display", h["type"])
					assert.Equal(t, qu.Help, h["text"])
					assert.Equal(t, []any{map[string]any{
						"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
						"valueCodeableConcept": map[string]any{
							"coding": []any{map[string]any{"system": "http://hl7.org/fhir/questionnaire-item-control", "code": "help", "display": "Help-Button"}},
							"text":   "Help-Button",
						},
					}}, h["extension"])
					tr := translations(t, h["_text"])
					assert.Len(t, tr, 2, "%s help in the two other languages", qu.ID)
					for other, text := range tr {
						oq, err := rs.In(other)
						require.NoError(t, err)
						oqu, _ := oq.Question(qu.ID)
						assert.Equal(t, oqu.Help, text, "%s help in %s", qu.ID, other)
					}
				}
				var codes []string
				var unsure map[string]any
				opts, _ := it["answerOption"].([]any)
				for _, o := range opts {
					c := o.(map[string]any)["valueCoding"].(map[string]any)
					codes = append(codes, c["code"].(string))
					if c["code"] == "unsure" {
						unsure = c
					}
				}
				if qu.Type == rules.Integer || qu.Type == rules.Text {
					continue
				}
				if !qu.AllowsUnsure() {
					assert.NotContains(t, codes, "unsure", qu.ID)
					continue
				}
				require.NotNil(t, unsure, "%s offers not sure", qu.ID)
				assert.Equal(t, "unsure", codes[len(codes)-1], "%s: not sure comes last", qu.ID)
				assert.Equal(t, notSure[lang], unsure["display"], qu.ID)
				for other, text := range translations(t, unsure["_display"]) {
					assert.Equal(t, notSure[other], text, "%s not sure in %s", qu.ID, other)
				}
				assert.Len(t, translations(t, unsure["_display"]), 2, qu.ID)
			}
			assert.Greater(t, helps, 10, "the default rule set's helps are all there")
			for _, id := range []string{"diabetes", "blood_thinner_name", "pregnant"} {
				assert.Contains(t, fmt.Sprint(findItem(items, id)["answerOption"]), "code:unsure", id)
			}
			assert.NotContains(t, fmt.Sprint(findItem(items, "goal")["answerOption"]), "code:unsure", "the goal has no not sure")
		})
	}
}

// A list that allows not sure offers it as an answer that excludes the
// others: ticked beside an area, it would say nothing. The Questionnaire
// stays valid FHIR R4.
func TestQuestionnaireNotSureOnAList(t *testing.T) {
	clinic, err := rules.Parse("clinic.yaml", []byte(`schema: 1
name: north
version: "1"
sections:
  - {id: s, title: S}
questions:
  - {id: areas, section: s, type: list, ask: Areas?, unsure: true, required: true,
     options: [{value: face, label: Face}, {value: neck, label: Neck}]}
  - {id: goal, section: s, type: choice, ask: Goal?, unsure: true, options: [{value: unsure, label: Unsure of the goal}, {value: fat, label: Fat}]}
rules:
  - {id: neck, condition: '"neck" in areas', level: needs_review, message: m, source: [x]}
  - {id: fat, condition: goal == "fat", level: needs_review, message: m, source: [x]}
`))
	require.NoError(t, err)
	b, q := questionnaireOf(t, clinic)
	require.NoError(t, validateFHIR(fhirSchema(t), b))
	assert.Empty(t, queInvariants(q))
	items := q["item"].([]any)
	opts := findItem(items, "areas")["answerOption"].([]any)
	require.Len(t, opts, 3)
	assert.Equal(t, map[string]any{
		"extension":   []any{map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": true}},
		"valueCoding": map[string]any{"system": forms.AnswerSystem, "code": "unsure", "display": "Not sure"},
	}, opts[2])
	// An option of the rule set's own called unsure is not offered twice.
	goal := findItem(items, "goal")["answerOption"].([]any)
	require.Len(t, goal, 2)
	assert.Equal(t, "Unsure of the goal", goal[0].(map[string]any)["valueCoding"].(map[string]any)["display"])
}
