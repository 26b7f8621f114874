package forms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		"es": {"ask": "¿Está embarazada, o podría estarlo?", "yes": "Sí", "unsure": "No lo sé", "title": "Cribado de contraindicaciones para la mesoterapia"},
		"fr": {"ask": "Êtes-vous enceinte, ou pourriez-vous l'être ?", "yes": "Oui", "unsure": "Je ne sais pas", "title": "Dépistage des contre-indications à la mésothérapie"},
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
