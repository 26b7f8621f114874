package forms_test

import (
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/forms"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// exports is where the example form exports are.
const exports = "../../testdata/forms/"

func defaultRules(t testing.TB) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return rs
}

func draft(t *testing.T, file string) (string, *forms.Export) {
	t.Helper()
	f, err := os.Open(exports + file)
	require.NoError(t, err)
	defer f.Close()
	exp, err := forms.ReadExport(file, f)
	require.NoError(t, err)
	return string(forms.DraftMapping(defaultRules(t), exp)), exp
}

// draftShape is what a draft says, read back from its YAML.
type draftShape struct {
	Ignore  []string
	Columns []struct {
		Header, Field, Separator, Ticked string
		Unticked                         []string
		Values                           map[string]string
		Choices                          []struct{ Header, Value string }
	}
}

func readDraft(t *testing.T, text string) draftShape {
	t.Helper()
	var d draftShape
	require.NoError(t, yaml.Unmarshal([]byte(text), &d), text)
	return d
}

// fields returns each column header's field ("" for a TODO), and the
// choices of the one-column-per-choice fields as "field[value]".
func (d draftShape) fields() map[string]string {
	out := map[string]string{}
	for _, c := range d.Columns {
		if len(c.Choices) == 0 {
			out[c.Header] = c.Field
			continue
		}
		for _, ch := range c.Choices {
			out[ch.Header] = c.Field + "[" + ch.Value + "]"
		}
	}
	return out
}

func (d draftShape) column(field string) (values map[string]string, sep string) {
	for _, c := range d.Columns {
		if c.Field == field {
			return c.Values, c.Separator
		}
	}
	return nil, ""
}

// The draft of every export shape, field by field: each column it maps
// holds that field, it maps no column wrongly, metadata is ignored, and
// what it cannot tell is TODO.
func TestDraftShapes(t *testing.T) {
	tests := []struct {
		file   string
		ignore []string
		fields map[string]string // header -> field; "" is a TODO
		todo   []string          // answers left TODO, as "field: answer"
		values map[string]map[string]string
		sep    string // the treatment areas' separator
	}{
		{
			file:   "google-forms.csv",
			ignore: []string{"Timestamp", "Email Address", "Full name", "I consent to my answers being used to plan my treatment"},
			fields: map[string]string{
				"Chart number (from your appointment letter)": "patient_id",
				"Age":                                 "age",
				"Which areas would you like treated?": "treatment_areas",
				"What is your main goal?":             "goal",
				"Are you pregnant or trying to become pregnant?":                                        "pregnant",
				"Are you currently breastfeeding?":                                                      "breastfeeding",
				"Do you have a bleeding or clotting disorder?":                                          "clotting_disorder",
				"Have you ever had a DVT or a pulmonary embolism?":                                      "blood_clots",
				"Have you ever had a stroke or TIA?":                                                    "stroke",
				"Do you take blood thinners (e.g. warfarin, Eliquis, daily aspirin)?":                   "blood_thinners",
				"If yes, which one?":                                                                    "",
				"Have you been diagnosed with or treated for cancer in the past 5 years?":               "recent_cancer",
				"Do you have diabetes?":                                                                 "diabetes",
				"How many heart medications do you take?":                                               "heart_medications",
				"Do you currently have any infection (cold, flu, UTI, skin infection)?":                 "active_infection",
				"Do you have eczema, psoriasis, acne, cold sores or a wound in the area to be treated?": "skin_condition",
				"Have you ever had an allergic reaction to a local anaesthetic (e.g. lidocaine), an injection or a previous mesotherapy treatment?": "allergies",
				"Please describe the reaction":                              "allergy_details",
				"Please list all medicines, supplements and creams you use": "medications",
			},
			todo: []string{`treatment_areas: "Knees"`, `heart_medications: "3 or more"`},
			values: map[string]map[string]string{
				"treatment_areas": {"Upper arms": "arms", "Chest / décolleté": "chest", "Face": "face"},
				"goal":            {"Smaller pores, finer texture": "pores", "Loose skin": "skin_laxity"},
				"diabetes":        {"No": "none", "Yes, without insulin": "non_insulin", "Yes, I use insulin": "insulin"},
				"pregnant":        {"No": "no", "Not sure": "unsure"},
			},
			sep: ", ",
		},
		{
			file:   "microsoft-forms.csv",
			ignore: []string{"ID", "Start time", "Completion time", "Email", "Name", "Last modified time"},
			fields: map[string]string{
				"Patient number":                     "patient_id",
				"Age":                                "age",
				"Areas to treat":                     "treatment_areas",
				"Main reason for treatment":          "goal",
				"Are you pregnant, or could you be?": "pregnant",
				"Are you breastfeeding?":             "breastfeeding",
				"Bleeding disorder (e.g. haemophilia, von Willebrand)?": "clotting_disorder",
				"History of blood clots (DVT/PE)?":                      "blood_clots",
				"History of stroke or mini-stroke?":                     "stroke",
				"Are you on blood-thinning medication (for example warfarin, apixaban, clopidogrel or daily aspirin)?": "blood_thinners",
				"Which blood thinner do you take?":                   "blood_thinner_name",
				"Cancer or cancer treatment in the last five years?": "recent_cancer",
				"Diabetes": "diabetes",
				// both the heart count and the medicines list: a TODO
				"How many medicines do you take for your heart?":                                "",
				"Do you have an infection at the moment?":                                       "active_infection",
				"Skin problem at the treatment site (eczema, psoriasis, acne, cold sore, cut)?": "skin_condition",
				"Have you ever reacted badly to an injection or a numbing cream?":               "allergies",
				"If so, what was the reaction?":                                                 "allergy_details",
				"Current medicines, vitamins and supplements":                                   "medications",
			},
			todo: []string{`treatment_areas: "Tummy"`, `goal: "Fat reduction"`, `goal: "Sagging skin"`, `diabetes: "Yes – tablets or diet"`},
			values: map[string]map[string]string{
				"pregnant":           {"I don't know": "unsure", "No": "no"},
				"goal":               {"Pores and texture": "pores"},
				"diabetes":           {"No": "none", "Yes – insulin": "insulin"},
				"blood_thinner_name": {"Apixaban (Eliquis)": "apixaban"},
			},
			sep: ";",
		},
		{
			file:   "typeform.csv",
			ignore: []string{"#", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"},
			fields: map[string]string{
				"What's your chart number?":       "patient_id",
				"How old are you?":                "age",
				"Face":                            "treatment_areas[face]",
				"Neck":                            "treatment_areas[neck]",
				"Scalp":                           "treatment_areas[scalp]",
				"Arms":                            "treatment_areas[arms]",
				"Décolleté":                       "treatment_areas[]",
				"Tummy":                           "treatment_areas[]",
				"Back":                            "treatment_areas[back]",
				"Bottom":                          "treatment_areas[]",
				"Thighs":                          "treatment_areas[thighs]",
				"Legs":                            "treatment_areas[legs]",
				"What would you like to improve?": "goal",
				"Are you pregnant, or is there a chance you could be?": "pregnant",
				"Are you breastfeeding at the moment?":                 "breastfeeding",
				"Do you have a bleeding or clotting disorder?":         "clotting_disorder",
				"Have you ever had a blood clot?":                      "blood_clots",
				"Have you ever had a stroke?":                          "stroke",
				"Do you take any blood thinners?":                      "blood_thinners",
				"Which one?":                                           "",
				"Any cancer or cancer treatment in the past 5 years?":  "recent_cancer",
				"Do you have diabetes?":                                "diabetes",
				"How many heart medications do you take?":              "heart_medications",
				"Do you have an infection right now?":                  "active_infection",
				"Any skin problems where you'd like treatment?":        "skin_condition",
				"Have you ever had an allergic reaction to an anaesthetic, an injection or mesotherapy?": "allergies",
				"What happened?": "",
				"Please list any medicines or supplements you take": "medications",
			},
			todo: []string{`goal: "Fine lines and skin quality"`, `goal: "Stubborn fat"`, `goal: "Open pores"`, `goal: "Thinning hair"`, `goal: "Sagging skin"`,
				`diabetes: "Yes, but I don't use insulin"`},
			values: map[string]map[string]string{
				"breastfeeding": {"0": "no", "1": "yes"},
				"diabetes":      {"No": "none", "Yes, insulin": "insulin"},
			},
		},
		{
			file:   "excel-semicolon.csv",
			ignore: []string{"Date", "Entered by"},
			fields: map[string]string{
				"Patient no.": "patient_id", "Age": "age", "Areas": "treatment_areas", "Goal": "goal",
				"Pregnant": "pregnant", "Breastfeeding": "breastfeeding", "Clotting disorder": "clotting_disorder",
				"Blood clots": "blood_clots", "Stroke/TIA": "stroke", "Blood thinner": "blood_thinners",
				"Which blood thinner": "blood_thinner_name", "Cancer (5 yrs)": "recent_cancer", "Diabetes": "diabetes",
				"Heart meds (count)": "heart_medications", "Infection": "active_infection", "Skin condition": "skin_condition",
				"Allergies": "allergies", "Allergy details": "allergy_details", "Medications": "medications",
			},
			todo: []string{`goal: "laxity"`, `diabetes: "type 2"`},
			values: map[string]map[string]string{
				"pregnant": {"N": "no", "?": "unsure"},
				"goal":     {"fat": "localized_fat", "hair loss": "hair_loss"},
				"diabetes": {"no": "none", "insulin": "insulin"},
			},
			sep: ",",
		},
		{
			file:   "google-forms-grid.csv",
			ignore: []string{"Timestamp", "Email Address"},
			fields: map[string]string{
				"Patient ID": "patient_id", "Age": "age",
				"Which areas would you like treated? [Face]":                                       "treatment_areas[face]",
				"Which areas would you like treated? [Neck]":                                       "treatment_areas[neck]",
				"Which areas would you like treated? [Scalp]":                                      "treatment_areas[scalp]",
				"Which areas would you like treated? [Upper arms]":                                 "treatment_areas[arms]",
				"Which areas would you like treated? [Chest]":                                      "treatment_areas[chest]",
				"Which areas would you like treated? [Abdomen]":                                    "treatment_areas[abdomen]",
				"Which areas would you like treated? [Back]":                                       "treatment_areas[back]",
				"Which areas would you like treated? [Buttocks]":                                   "treatment_areas[buttocks]",
				"Which areas would you like treated? [Thighs]":                                     "treatment_areas[thighs]",
				"Which areas would you like treated? [Legs]":                                       "treatment_areas[legs]",
				"What is your main goal?":                                                          "goal",
				"Have you ever had any of the following? [Bleeding or clotting disorder]":          "clotting_disorder",
				"Have you ever had any of the following? [Blood clot (DVT or pulmonary embolism)]": "blood_clots",
				"Have you ever had any of the following? [Stroke or TIA]":                          "stroke",
				"Have you ever had any of the following? [Cancer in the last 5 years]":             "recent_cancer",
				"Are you pregnant, or could you be?":                                               "pregnant",
				"Are you breastfeeding?":                                                           "breastfeeding",
				"Do you take a blood thinner?":                                                     "blood_thinners",
				"Do you have diabetes?":                                                            "diabetes",
				"Number of heart medicines":                                                        "heart_medications",
				"Do you have an infection right now?":                                              "active_infection",
				"Any skin condition where you want treatment?":                                     "skin_condition",
				"Allergic reaction to an injection, numbing cream or mesotherapy?":                 "allergies",
				"Medicines and supplements":                                                        "medications",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text, exp := draft(t, tt.file)
			d := readDraft(t, text)
			assert.Equal(t, tt.ignore, d.Ignore)
			assert.Equal(t, tt.fields, d.fields())
			assert.Len(t, exp.Header, len(tt.ignore)+len(tt.fields), "every column is drafted")
			for _, todo := range tt.todo {
				field, answer, _ := strings.Cut(todo, ": ")
				values, _ := d.column(field)
				assert.NotContains(t, values, answer[1:len(answer)-1], todo)
				assert.Contains(t, text, "      # "+answer+": \"\"", "%s is listed as a TODO", todo)
			}
			assert.Equal(t, len(tt.todo), strings.Count(text, `: ""  (`), "no other answer is a TODO")
			for field, want := range tt.values {
				values, _ := d.column(field)
				for answer, v := range want {
					assert.Equal(t, v, values[answer], "%s: %q", field, answer)
				}
			}
			if tt.sep != "" {
				_, sep := d.column("treatment_areas")
				assert.Equal(t, tt.sep, sep)
			}
			// Every TODO column says which fields are still unmapped.
			assert.Equal(t, strings.Count(text, "    field: \"\"\n"), strings.Count(text, "    # Fields no column gives yet: "))
			// A draft with a field still TODO cannot be used.
			_, err := intake.ParseMapping("draft.yaml", []byte(text), func(string) bool { return true })
			if strings.Contains(text, "field: \"\"") || strings.Contains(text, "value: \"\"") {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

// Headers that look like fields but are not: the drafts of before mapped
// every one of them.
func TestDraftDoesNotGuess(t *testing.T) {
	rs := defaultRules(t)
	exp := &forms.Export{Name: "x.csv",
		Header: []string{
			"ID", "Name", "Full name", "First name", // metadata, not patient_id or blood_thinner_name
			"Favourite colour",                                       // nothing
			"Are you pregnant or breastfeeding?",                     // two fields
			"Mesotherapy injections before?",                         // two words of the allergies question only
			"Are you under the age of 18?",                           // age, but answered yes or no
			"Do you have a heart condition?",                         // heart medications, but answered yes or no
			"Do you take blood thinners?", "Blood thinners (yes/no)", // one field, twice alike
			"Are you taking any medication for blood pressure?", // medications, but answered yes or no
		},
		Answers: [][]forms.ExportAnswer{
			{{Text: "1", Count: 1}, {Text: "2", Count: 1}}, {}, {}, {}, {}, {{Text: "No", Count: 2}}, {{Text: "Yes", Count: 1}},
			{{Text: "No", Count: 3}}, {{Text: "Yes", Count: 1}, {Text: "No", Count: 1}}, {{Text: "No", Count: 1}}, {{Text: "no", Count: 1}},
			{{Text: "Yes", Count: 4}, {Text: "No", Count: 9}},
		},
		More: make([]int, 12)}
	d := readDraft(t, string(forms.DraftMapping(rs, exp)))
	assert.Equal(t, []string{"ID", "Name", "Full name", "First name"}, d.Ignore)
	for h, f := range d.fields() {
		assert.Empty(t, f, "%q must be a TODO", h)
	}
	text := string(forms.DraftMapping(rs, exp))
	assert.Contains(t, text, "# TODO: the header matches both pregnant (by pregnan*) and breastfeeding (by breastfe*); a column gives one field.")
	assert.Contains(t, text, `# TODO: the header looks like age (by age), but none of its answers ("No") is a whole number from 0 to 120.`)
	assert.Contains(t, text, "# TODO: the header matches blood_thinners (by blood thin*), and so do other columns as well; a field comes from one column.")
	assert.Contains(t, text, `# TODO: the header looks like medications (by medication*), but none of its answers ("Yes", "No") is more than yes or no.`)
	assert.Contains(t, text, "# Fields no column gives yet: patient_id (required), age (required),")
}

func TestDraftAnswerValues(t *testing.T) {
	rs := defaultRules(t)
	q := func(id string) *rules.Question { x, ok := rs.Question(id); require.True(t, ok); return x }
	for _, tt := range []struct {
		field, answer, want string // want "" for a TODO
	}{
		{"diabetes", "No", "none"},
		{"diabetes", "Yes, without insulin", "non_insulin"},
		{"diabetes", "Non-insulin", "non_insulin"},
		{"diabetes", "Yes, I use insulin", "insulin"},
		{"diabetes", "Diabetes, no insulin", ""}, // not "No diabetes"
		{"diabetes", "Diabetes", ""},             // fits all three
		{"diabetes", "Type 2", ""},
		{"diabetes", "Don't know", "unsure"},
		{"treatment_areas", "Upper arms", "arms"},
		{"treatment_areas", "Back of the arms", ""}, // back or arms
		{"treatment_areas", "Not the face", ""},
		{"goal", "Smaller pores", "pores"},
		{"goal", "Skin", ""}, // rejuvenation or laxity
		{"pregnant", "No", "no"},
		{"pregnant", "No, but I might be", ""},
		{"pregnant", "Maybe", "unsure"},
		{"pregnant", "?", "unsure"},
		{"age", "40", "40"},
		{"age", "No", ""},
		{"heart_medications", "None", ""},
		{"heart_medications", "3 or more", ""},
	} {
		got, ok := forms.ProposeValue(q(tt.field), tt.answer)
		assert.Equal(t, tt.want, got, "%s: %q", tt.field, tt.answer)
		assert.Equal(t, tt.want != "", ok, "%s: %q", tt.field, tt.answer)
	}
}

func TestDraftMapping(t *testing.T) {
	rs := defaultRules(t)
	exp, err := forms.ReadExport("x.csv", strings.NewReader("Timestamp,Are you pregnant?,Favourite colour,Your age in years\n2026/11/24 9:00,No,blue,40\n"))
	require.NoError(t, err)
	out := string(forms.DraftMapping(rs, exp))
	assert.Contains(t, out, "ignore:\n  - \"Timestamp\"  # when the form was sent\n")
	assert.Contains(t, out, "  - header: \"Are you pregnant?\"\n    field: pregnant")
	assert.Contains(t, out, "  - header: \"Favourite colour\"\n    # TODO: no question matched this header.\n")
	assert.Contains(t, out, "  - header: \"Your age in years\"\n    field: age")
	// A draft with a TODO left in it is refused, so nothing is guessed.
	_, err = intake.ParseMapping("draft.yaml", []byte(out), func(id string) bool { return rs.Index(id) >= 0 })
	require.Error(t, err)
	assert.Contains(t, err.Error(), `column "Favourite colour" has no field`)
}
