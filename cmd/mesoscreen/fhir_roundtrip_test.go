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
