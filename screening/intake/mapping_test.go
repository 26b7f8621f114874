package intake_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

func readMapped(t *testing.T, mapping, csv string) []intake.Record {
	t.Helper()
	rs := defaultRules(t)
	m, err := intake.ParseMapping("m.yaml", []byte(mapping), func(id string) bool { return rs.Index(id) >= 0 })
	require.NoError(t, err)
	require.NoError(t, m.Check(rs))
	c := &intake.CSV{Name: "x.csv", Mapping: m}
	return collect(t, c.Records(strings.NewReader(csv)))
}

// A column's own values come before the mapping's: "No" is none for
// diabetes and no everywhere else.
func TestMappingColumnValuesOverride(t *testing.T) {
	recs := readMapped(t, `kind: mesoscreen.mapping
values: {"No": "no", "Yes": "yes"}
columns:
  - header: Diabetes?
    field: diabetes
    values: {"No": none, "Yes, I use insulin": insulin}
  - header: Pregnant?
    field: pregnant
`, "Diabetes?,Pregnant?\nNo,No\n\"Yes, I use insulin\",Yes\n")
	require.Len(t, recs, 2)
	assert.Equal(t, map[string]any{"diabetes": "none", "pregnant": "no"}, recs[0].FieldMap())
	assert.Equal(t, map[string]any{"diabetes": "insulin", "pregnant": "yes"}, recs[1].FieldMap())
}

// An answer that holds the separator is kept whole when the mapping
// lists it; Microsoft Forms' trailing ";" leaves no empty answer.
func TestMappingSeparator(t *testing.T) {
	recs := readMapped(t, `kind: mesoscreen.mapping
columns:
  - header: Areas
    field: treatment_areas
    separator: ", "
    values: {"Face, neck and jaw": face, "Upper arms": arms}
  - header: MS
    field: goal
`, "Areas,MS\n\"Face, neck and jaw, Upper arms, Knees\",x\n\"Upper arms, \",x\n")
	require.Len(t, recs, 2)
	assert.Equal(t, []any{"face", "arms", "Knees"}, recs[0].FieldMap()["treatment_areas"])
	assert.Equal(t, []any{"arms"}, recs[1].FieldMap()["treatment_areas"])

	// A cell of 80,000 answers is read in one pass: answers are put
	// back together only as far as a listed one reaches.
	big := strings.Repeat("Upper arms, ", 80000)
	recs = readMapped(t, `kind: mesoscreen.mapping
columns:
  - header: Areas
    field: treatment_areas
    separator: ", "
    values: {"Face, neck and jaw": face, "Upper arms": arms}
`, "Areas\n\""+big+"\"\n")
	require.Len(t, recs, 1)
	require.NoError(t, recs[0].Err)
	assert.Len(t, recs[0].FieldMap()["treatment_areas"], 80000)
}

// One column per choice becomes one list field, where the first choice
// column was: ticked by any answer (Typeform) or by one (a grid's Yes),
// an answer that neither ticks nor unticks kept as written, so that it is
// flagged; a row with nothing ticked has no answer.
func TestMappingChoices(t *testing.T) {
	typeform := `kind: mesoscreen.mapping
columns:
  - header: "#"
    field: patient_id
  - field: treatment_areas
    ticked: any
    choices:
      - {header: Face, value: face}
      - {header: Tummy, value: abdomen}
`
	recs := readMapped(t, typeform, "#,Face,Tummy\nA,Face,Tummy\nB,,Tummy\nC,,\n")
	require.Len(t, recs, 3)
	assert.Equal(t, []intake.Field{{ID: "patient_id", Value: "A"}, {ID: "treatment_areas", Value: []any{"face", "abdomen"}}}, recs[0].Fields)
	assert.Equal(t, []any{"abdomen"}, recs[1].FieldMap()["treatment_areas"])
	assert.NotContains(t, recs[2].FieldMap(), "treatment_areas", "nothing ticked is no answer")

	grid := `kind: mesoscreen.mapping
columns:
  - field: treatment_areas
    ticked: "Yes"
    unticked: ["No"]
    choices:
      - {header: "Areas [Face]", value: face}
      - {header: "Areas [Neck]", value: neck}
`
	recs = readMapped(t, grid, "Areas [Face],Areas [Neck]\nYes,No\nNo,No\nMaybe,Yes\n")
	require.Len(t, recs, 3)
	assert.Equal(t, []any{"face"}, recs[0].FieldMap()["treatment_areas"])
	assert.Equal(t, []any{}, recs[1].FieldMap()["treatment_areas"], "all unticked is an empty list, a missing answer")
	assert.Equal(t, []any{"Maybe", "neck"}, recs[2].FieldMap()["treatment_areas"], "an answer that ticks nothing is kept, to be flagged")
	res := screen(defaultRules(t), recs[2])
	assert.Contains(t, ruleIDs(res), "answer-invalid")
	res = screen(defaultRules(t), recs[1])
	assert.Contains(t, ruleIDs(res), "answer-missing")
}

func ruleIDs(res screening.Result) []string {
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}

func TestMappingErrors(t *testing.T) {
	rs := defaultRules(t)
	known := func(id string) bool { return rs.Index(id) >= 0 }
	for _, tt := range []struct{ name, yaml, want string }{
		{"header and choices", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, field: treatment_areas, ticked: any, choices: [{header: B, value: face}]}\n",
			`m.yaml:3:14: column "A" has both a header and choices`},
		{"no ticked", "kind: mesoscreen.mapping\ncolumns:\n  - field: treatment_areas\n    choices: [{header: B, value: face}]\n",
			`m.yaml:3:10: choices of treatment_areas do not say which answer ticks a choice; expected ticked: any`},
		{"choice TODO left", "kind: mesoscreen.mapping\ncolumns:\n  - field: treatment_areas\n    ticked: any\n    choices: [{header: Tummy, value: \"\"}]\n",
			`m.yaml:5:38: choice column "Tummy" has no value; fill in the value of treatment_areas it ticks, or drop it from choices: and move its header to ignore:`},
		{"a choice twice", "kind: mesoscreen.mapping\ncolumns:\n  - field: treatment_areas\n    ticked: any\n    choices: [{header: A, value: face}, {header: B, value: face}]\n",
			`choice face of treatment_areas is given by two columns`},
		{"header twice", "kind: mesoscreen.mapping\nignore: [A]\ncolumns:\n  - field: treatment_areas\n    ticked: any\n    choices: [{header: A, value: face}]\n",
			`header "A" is mapped twice`},
		{"empty value", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, field: pregnant, values: {\"Maybe\": \"\"}}\n",
			`the answer "Maybe" reads as nothing; expected a value of pregnant (unsure, if the answer says the patient does not know)`},
		{"ticked without choices", "kind: mesoscreen.mapping\ncolumns:\n  - {header: A, field: pregnant, ticked: \"Yes\"}\n",
			`column "A" has ticked: or unticked:, which apply only to choices`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intake.ParseMapping("m.yaml", []byte(tt.yaml), known)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	for _, tt := range []struct{ name, yaml, want string }{
		{"choices of a yes/no", "kind: mesoscreen.mapping\ncolumns:\n  - field: pregnant\n    ticked: any\n    choices: [{header: A, value: \"yes\"}]\n",
			`m.yaml:3:10: choices give pregnant, which is yes/no; expected a list field`},
		{"a choice that is no option", "kind: mesoscreen.mapping\ncolumns:\n  - field: treatment_areas\n    ticked: any\n    choices: [{header: Knees, value: knees}]\n",
			`m.yaml:5:15: choice column "Knees" ticks "knees", which is not one or more of face, neck`},
		{"a value the field cannot take", "kind: mesoscreen.mapping\ncolumns:\n  - {header: Diabetes?, field: diabetes, values: {\"No\": \"no\"}}\n",
			`m.yaml:3:5: column "Diabetes?" reads "No" as "no", which is not one of none, non_insulin, insulin`},
		{"a separator on a choice", "kind: mesoscreen.mapping\ncolumns:\n  - {header: Goal, field: goal, separator: \";\"}\n",
			`column "Goal" has a separator, but goal is one choice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := intake.ParseMapping("m.yaml", []byte(tt.yaml), known)
			require.NoError(t, err)
			err = m.Check(rs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestMappingHeaders(t *testing.T) {
	rs := defaultRules(t)
	m, err := intake.ParseMapping("m.yaml", []byte(`kind: mesoscreen.mapping
columns:
  - {header: Pregnant?, field: pregnant}
  - field: treatment_areas
    ticked: any
    choices: [{header: Face, value: face}, {header: Neck, value: neck}]
`), func(id string) bool { return rs.Index(id) >= 0 })
	require.NoError(t, err)
	assert.Equal(t, []string{"Pregnant?"}, m.Headers("pregnant"))
	assert.Equal(t, []string{"Face", "Neck"}, m.Headers("treatment_areas"))
	assert.Nil(t, m.Headers("age"))
}

// A mapping that reads an answer word as another answer ("Yes" as no,
// "Not sure" as no, "Oui" as unsure) is refused at load, for every answer
// word of every language, in values: and in a column's values:; one that
// agrees, and a number, load.
func TestMappingAnswerWordsAgree(t *testing.T) {
	canonical := map[i18n.Word]string{i18n.Yes: "yes", i18n.No: "no", i18n.Unsure: "unsure"}
	n := 0
	for _, lang := range i18n.Langs() {
		for said, want := range canonical {
			for _, word := range i18n.AnswerWords(lang, said) {
				if !strings.ContainsFunc(word, unicode.IsLetter) {
					continue
				}
				for read, value := range canonical {
					for _, where := range []string{"values", "column"} {
						n++
						src := mappingWith(where, word, value)
						_, err := intake.ParseMapping("m.yaml", []byte(src), nil)
						if read == said {
							assert.NoError(t, err, "%s: %q read as %q", where, word, value)
							continue
						}
						require.Error(t, err, "%s: %q read as %q", where, word, value)
						assert.Contains(t, err.Error(), fmt.Sprintf("says %s", want))
					}
				}
			}
		}
	}
	assert.Greater(t, n, 100)
	_, err := intake.ParseMapping("m.yaml", []byte(mappingWith("column", "1", "no")), nil)
	assert.NoError(t, err, "numbers are a form's own coding")
	// An accent a word does not have makes it no answer as a patient
	// writes it, but a mapping that reads it as the opposite is refused
	// all the same.
	for text, value := range map[string]string{"Sì": "no", "Nó": "yes", "Ñon": "oui", "Nò sé": "no"} {
		_, err := intake.ParseMapping("m.yaml", []byte(mappingWith("values", text, value)), nil)
		assert.Error(t, err, "%q read as %q", text, value)
	}
}

func mappingWith(where, text, value string) string {
	entry := fmt.Sprintf("    %q: %q\n", text, value)
	if where == "values" {
		return "kind: mesoscreen.mapping\nvalues:\n" + entry + "columns:\n  - header: Pregnant?\n    field: pregnant\n"
	}
	return "kind: mesoscreen.mapping\ncolumns:\n  - header: Pregnant?\n    field: pregnant\n    values:\n  " + entry
}
