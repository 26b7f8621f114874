package main

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// responseSchema compiles the official FHIR R4 JSON schema's definition of
// a QuestionnaireResponse.
func responseSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(repoFile("fhir", "fhir.schema.json.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(zr)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("fhir.schema.json", doc))
	sch, err := c.Compile("fhir.schema.json#/definitions/QuestionnaireResponse")
	require.NoError(t, err)
	return sch
}

type fhirItem struct {
	LinkID       string `json:"linkId"`
	Type         string `json:"type"`
	AnswerOption []struct {
		ValueCoding struct{ System, Code string } `json:"valueCoding"`
	} `json:"answerOption"`
	Extension []struct {
		URL          string `json:"url"`
		ValueInteger *int   `json:"valueInteger"`
	} `json:"extension"`
	Answer []struct {
		ValueCoding *struct {
			System, Code, Display string
		} `json:"valueCoding"`
		ValueInteger *int    `json:"valueInteger"`
		ValueString  *string `json:"valueString"`
	} `json:"answer"`
	Item []fhirItem `json:"item"`
}

// The round trip a clinic makes with a FHIR forms renderer: the
// Questionnaire of "template fhir" is filled in as LHC-Forms exports it
// (answers nested under their group's item, valueCoding with system and
// code, valueInteger, valueString), and check gives each patient the
// verdict of their answers. Each response is one the Questionnaire
// allows, and valid FHIR R4.
func TestLHCFormsRoundTrip(t *testing.T) {
	code, out, errs := run(t, "", "template", "fhir")
	require.Equal(t, 0, code, errs)
	var q struct{ Item []fhirItem }
	require.NoError(t, json.Unmarshal([]byte(out), &q))
	parent := map[string]string{}
	items := map[string]fhirItem{}
	for _, g := range q.Item {
		for _, it := range g.Item {
			parent[it.LinkID] = g.LinkID
			items[it.LinkID] = it
		}
	}

	sch := responseSchema(t)
	files, err := filepath.Glob(repoFile("fhir", "lhc-forms", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 10)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(inst), f)
		var qr struct{ Item []fhirItem }
		require.NoError(t, json.Unmarshal(b, &qr))
		require.NotEmpty(t, qr.Item)
		for _, g := range qr.Item {
			assert.Empty(t, g.Answer, "%s: group %s holds its questions, not answers", f, g.LinkID)
			for _, it := range g.Item {
				qi, ok := items[it.LinkID]
				require.True(t, ok, "%s: %s is no question of the Questionnaire", f, it.LinkID)
				assert.Equal(t, parent[it.LinkID], g.LinkID, "%s: %s is under its group", f, it.LinkID)
				for _, a := range it.Answer {
					switch qi.Type {
					case "choice":
						require.NotNil(t, a.ValueCoding, "%s: %s", f, it.LinkID)
						assert.True(t, slices.ContainsFunc(qi.AnswerOption, func(o struct {
							ValueCoding struct{ System, Code string } `json:"valueCoding"`
						}) bool {
							return o.ValueCoding.System == a.ValueCoding.System && o.ValueCoding.Code == a.ValueCoding.Code
						}), "%s: %s answered %v, which the Questionnaire does not offer", f, it.LinkID, a.ValueCoding)
					case "integer":
						require.NotNil(t, a.ValueInteger, "%s: %s", f, it.LinkID)
						assert.GreaterOrEqual(t, *a.ValueInteger, *qi.Extension[0].ValueInteger)
						assert.LessOrEqual(t, *a.ValueInteger, *qi.Extension[1].ValueInteger)
					default:
						assert.NotNil(t, a.ValueString, "%s: %s", f, it.LinkID)
					}
				}
			}
		}
	}

	got := map[string]string{}
	for _, v := range verdicts(t, files...) {
		got[strings.TrimPrefix(v.ID, "LF-")] = v.Verdict
	}
	want := map[string]string{}
	for id, v := range formVerdicts {
		if id <= "110" {
			want[id] = v
		}
	}
	assert.Equal(t, want, got)
}

// A response that answers "not sure" where the Questionnaire now offers
// it (which blood thinner, diabetes), with the coding the Questionnaire
// gives in each of its languages, is read as unsure: never as no, never
// as a display that contradicts its code. Each response is valid FHIR R4.
func TestFHIRNotSureOptionsRoundTrip(t *testing.T) {
	sch := responseSchema(t)
	for _, lang := range []string{"en", "es", "fr"} {
		t.Run(lang, func(t *testing.T) {
			code, out, errs := run(t, "", "template", "fhir", "--lang", lang)
			require.Equal(t, 0, code, errs)
			var q struct {
				Item []struct {
					Item []struct {
						LinkID       string `json:"linkId"`
						AnswerOption []struct {
							ValueCoding map[string]any `json:"valueCoding"`
						} `json:"answerOption"`
					} `json:"item"`
				} `json:"item"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &q))
			offered := map[string]map[string]any{} // linkId -> its not-sure coding, as offered
			for _, g := range q.Item {
				for _, it := range g.Item {
					for _, o := range it.AnswerOption {
						if o.ValueCoding["code"] == "unsure" {
							// The translations of its display are for a
							// renderer, not part of an answer.
							delete(o.ValueCoding, "_display")
							offered[it.LinkID] = o.ValueCoding
						}
					}
				}
			}
			for _, id := range []string{"diabetes", "blood_thinner_name", "blood_thinners", "pregnant"} {
				require.Contains(t, offered, id, "%s offers not sure", id)
			}
			assert.NotContains(t, offered, "goal")

			b, err := os.ReadFile(repoFile("fhir", "lhc-forms", "LF-101.json"))
			require.NoError(t, err)
			var qr map[string]any
			require.NoError(t, json.Unmarshal(b, &qr))
			answer := func(c any) []any { return []any{map[string]any{"valueCoding": c}} }
			for _, g := range qr["item"].([]any) {
				g := g.(map[string]any)
				items := g["item"].([]any)
				for _, it := range items {
					it := it.(map[string]any)
					switch it["linkId"] {
					case "diabetes":
						it["answer"] = answer(offered["diabetes"])
					case "blood_thinners":
						it["answer"] = answer(map[string]any{"system": "urn:mesoscreen:answer", "code": "yes", "display": "Yes"})
					}
				}
				if g["linkId"] == "section-blood" {
					g["item"] = append(items, map[string]any{"linkId": "blood_thinner_name", "answer": answer(offered["blood_thinner_name"])})
				}
			}
			b, err = json.MarshalIndent(qr, "", "  ")
			require.NoError(t, err)
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
			require.NoError(t, err)
			require.NoError(t, sch.Validate(inst))
			file := filepath.Join(t.TempDir(), "LF-101-unsure.json")
			require.NoError(t, os.WriteFile(file, b, 0o600))

			code, out, errs = run(t, "", "check", "-f", "json", file)
			require.Equal(t, exitFindings, code, errs)
			var res []struct {
				Verdict  string
				Findings []struct{ Rule, Field string }
			}
			require.NoError(t, json.Unmarshal([]byte(out), &res), out)
			require.Len(t, res, 1)
			assert.Equal(t, "needs_review", res[0].Verdict)
			unsure := map[string]bool{}
			for _, f := range res[0].Findings {
				assert.NotEqual(t, "response-display-contradicted", f.Rule, "%s: the display says what the code says", f.Field)
				if f.Rule == "answer-unsure" {
					unsure[f.Field] = true
				}
			}
			assert.Equal(t, map[string]bool{"diabetes": true, "blood_thinner_name": true}, unsure)
		})
	}
}
