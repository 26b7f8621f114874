package batch_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/forms"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// The safety harness: a verdict that permits treatment must be earned.
//
// It starts from a healthy intake and puts each contraindication signal
// the default rule set knows into each channel a patient or a form can
// carry it in: the answer itself, a follow-up whose parent answer says
// no, the medication list (in each way people write it: plain, after a
// none-word, a colon or a dash, with a dose, with a reaction word), and
// an answer left missing, unsure or unreadable. Each intake is then
// written in every input format (JSON, JSON Lines, CSV, a Google Forms
// export read through its mapping, FHIR), read with intake.Open and
// screened by batch.Screen, as "mesoscreen check" does. No combination may
// come out eligible or eligible_with_precautions, and no anaesthetic
// allergy may come with the numbing cream.

// notesField is a field no question of the rule set reads: a "Notes"
// column or key a form or a clinic adds.
const notesField = "notes"

// missing stands for an answer left out of the intake.
type missingAnswer struct{}

var missing = missingAnswer{}

// healthyIntake is a patient with nothing to report, in canonical values.
func healthyIntake() map[string]any {
	return map[string]any{
		"age": 34, "pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no",
		"stroke": "no", "recent_cancer": "no", "diabetes": "none", "heart_medications": 0, "blood_thinners": "no",
		"active_infection": "no", "skin_condition": "no", "allergies": "no", "medications": "",
		"treatment_areas": []string{"face"}, "goal": "rejuvenation",
	}
}

// signal is one thing that must stop a patient from being booked without
// review, and the channels it can come in.
type signal struct {
	name string
	// answer is the signal given as answers.
	answer map[string]any
	// followUp is the signal given in a follow-up whose parent says no.
	followUp map[string]any
	// drugs are medicines that carry the signal when listed as taken,
	// and reactions those that carry it when listed with a reaction.
	drugs, reactions []string
	// anaesthetic is set for an anaesthetic allergy: no numbing cream.
	anaesthetic bool
	// note is the signal as a patient writes it in a notes field.
	note string
}

func signals() []signal {
	return []signal{
		{name: "pregnant", answer: map[string]any{"pregnant": "yes"}, note: "I am 12 weeks pregnant"},
		{name: "breastfeeding", answer: map[string]any{"breastfeeding": "yes"}, note: "still breastfeeding my baby"},
		{name: "clotting disorder", answer: map[string]any{"clotting_disorder": "yes"}},
		{name: "blood clot", answer: map[string]any{"blood_clots": "yes"}},
		{name: "stroke", answer: map[string]any{"stroke": "yes"}, note: "had a TIA last year"},
		{name: "recent cancer", answer: map[string]any{"recent_cancer": "yes"}, drugs: []string{"tamoxifen", "letrozole", "Arimidex"}},
		{name: "insulin", answer: map[string]any{"diabetes": "insulin"}, drugs: []string{"Lantus", "insulin glargine", "Humalog", "NovoRapid"}},
		{name: "one heart medicine", answer: map[string]any{"heart_medications": 1}, drugs: []string{"bisoprolol", "ramipril", "amlodipine", "furosemide"}},
		{name: "two heart medicines", answer: map[string]any{"heart_medications": 2}},
		{name: "minor", answer: map[string]any{"age": 17}},
		{name: "infection", answer: map[string]any{"active_infection": "yes"}},
		{name: "skin condition", answer: map[string]any{"skin_condition": "yes"}},
		{
			name: "blood thinner", answer: map[string]any{"blood_thinners": "yes", "blood_thinner_name": "warfarin"},
			followUp: map[string]any{"blood_thinners": "no", "blood_thinner_name": "warfarin"},
			drugs:    []string{"warfarin", "Eliquis", "clopidogrel", "Xarelto", "Pradaxa"},
			note:     "on warfarin",
		},
		{
			name: "anaesthetic allergy", answer: map[string]any{"allergies": "yes", "allergy_details": "lidocaine"},
			followUp:    map[string]any{"allergies": "no", "allergy_details": "Anaphylaxis to lidocaine cream"},
			reactions:   []string{"lidocaine", "EMLA", "Xylocaine", "prilocaine"},
			anaesthetic: true,
			note:        "allergic to lidocaine",
		},
		{name: "isotretinoin", drugs: []string{"Accutane", "isotretinoin"}},
	}
}

// takenPhrasings are the ways a list says a medicine is taken, D standing
// for its name.
var takenPhrasings = []string{
	"D", "D 5mg daily", "None - D 5mg bid", "Nil: D 5mg", "no: D 75 mg", "None – D", "D: once a day",
	"D - every morning", "vitamin D3, D", "none except D", "got a rash on D but still taking it",
	"D (since March)", "NONE; D", "n/a - D 10 mg", "D 2.5mg x1 od",
}

// reactionPhrasings are the ways a list says the patient reacted to a
// medicine.
var reactionPhrasings = []string{
	"D (hives)", "D - swelling", "D made my lips swell", "allergic to D", "D allergy", "rash after D",
	"reaction to D", "D: itchy rash", "anaphylaxis to D", "my face swelled up with D",
}

// intakeCase is one intake of the harness and what it carries.
type intakeCase struct {
	name        string
	answers     map[string]any
	anaesthetic bool
	// control is set for the healthy intakes that must come out
	// eligible, so that a format misread as a whole cannot pass.
	control bool
}

func harnessCases(rs *rules.RuleSet) []intakeCase {
	with := func(changes map[string]any) map[string]any {
		m := healthyIntake()
		maps.Copy(m, changes)
		return m
	}
	var out []intakeCase
	add := func(name string, answers map[string]any, anaesthetic bool) {
		out = append(out, intakeCase{name: name, answers: answers, anaesthetic: anaesthetic})
	}
	for _, s := range signals() {
		// A healthy intake between the signals of each kind.
		out = append(out, intakeCase{name: "healthy, before " + s.name, answers: healthyIntake(), control: true})
		if s.answer != nil {
			add(s.name+": answered", with(s.answer), s.anaesthetic)
		}
		if s.followUp != nil {
			add(s.name+": in a follow-up its parent denies", with(s.followUp), s.anaesthetic)
		}
		if s.note != "" {
			add(s.name+": in a notes field", with(map[string]any{notesField: s.note}), s.anaesthetic)
		}
		for _, d := range s.drugs {
			for _, p := range takenPhrasings {
				text := strings.ReplaceAll(p, "D", d)
				add(fmt.Sprintf("%s: medications %q", s.name, text), with(map[string]any{"medications": text}), false)
			}
		}
		for _, d := range s.reactions {
			for _, p := range reactionPhrasings {
				text := strings.ReplaceAll(p, "D", d)
				add(fmt.Sprintf("%s: medications %q", s.name, text), with(map[string]any{"medications": text}), s.anaesthetic)
			}
		}
	}
	// Every required answer left out, not known, or unreadable.
	for _, q := range rs.Questions {
		if !q.Required || q.IsIdentifier() || q.When != "" {
			continue
		}
		add(q.ID+": missing", with(map[string]any{q.ID: missing}), false)
		switch q.Type {
		case rules.YesNo:
			add(q.ID+": not sure", with(map[string]any{q.ID: "unsure"}), false)
			add(q.ID+": unreadable", with(map[string]any{q.ID: "maybe"}), false)
		case rules.Integer:
			add(q.ID+": unreadable", with(map[string]any{q.ID: "a few"}), false)
		case rules.Choice:
			add(q.ID+": unreadable", with(map[string]any{q.ID: "other"}), false)
		}
	}
	return out
}

// render writes the intakes in one input format, with patient ids P-1,
// P-2, … in order; the name gives the format away.
type render func(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (name string, data []byte, opts intake.Options)

func patientID(i int) string { return fmt.Sprintf("P-%d", i+1) }

// present returns the answers given, with the patient id, as JSON holds
// them.
func present(c intakeCase, i int) map[string]any {
	m := map[string]any{"patient_id": patientID(i)}
	for k, v := range c.answers {
		if v != missing {
			m[k] = v
		}
	}
	return m
}

func renderJSON(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	var recs []map[string]any
	for i, c := range cases {
		recs = append(recs, present(c, i))
	}
	b, err := json.MarshalIndent(recs, "", " ")
	require.NoError(t, err)
	return "intakes.json", b, intake.Options{RuleSet: rs}
}

func renderJSONL(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	var buf bytes.Buffer
	for i, c := range cases {
		b, err := json.Marshal(present(c, i))
		require.NoError(t, err)
		buf.Write(append(b, '\n'))
	}
	return "intakes.jsonl", buf.Bytes(), intake.Options{RuleSet: rs}
}

// cell writes an answer as the canonical CSV does.
func cell(v any) string {
	switch v := v.(type) {
	case missingAnswer:
		return ""
	case []string:
		return strings.Join(v, ";")
	}
	return fmt.Sprint(v)
}

func renderCSV(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	header := []string{"patient_id"}
	for _, q := range rs.Questions {
		if !q.IsIdentifier() && !q.RecheckOnly() {
			header = append(header, q.ID)
		}
	}
	header = append(header, notesField)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write(header))
	for i, c := range cases {
		row := []string{patientID(i)}
		for _, h := range header[1:] {
			v, ok := c.answers[h]
			if !ok {
				v = missing
			}
			row = append(row, cell(v))
		}
		require.NoError(t, w.Write(row))
	}
	w.Flush()
	return "intakes.csv", buf.Bytes(), intake.Options{RuleSet: rs}
}

// googleForms is the shipped mapping of the Google Forms example, read
// back to front: the header of each field and the form's word for each
// value.
type googleForms struct {
	Ignore  []string          `yaml:"ignore"`
	Values  map[string]string `yaml:"values"`
	Columns []struct {
		Header    string            `yaml:"header"`
		Field     string            `yaml:"field"`
		Separator string            `yaml:"separator"`
		Values    map[string]string `yaml:"values"`
	} `yaml:"columns"`
}

const mappingFile = "../../testdata/examples/google-forms-mapping.yaml"

func renderExport(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	src, err := os.ReadFile(mappingFile)
	require.NoError(t, err)
	var gf googleForms
	require.NoError(t, yaml.Unmarshal(src, &gf))
	word := func(values map[string]string, v string) string {
		for form, canonical := range values {
			if canonical == v {
				return form
			}
		}
		return v // numbers, free text, and words the form has none for
	}
	header := append([]string{}, gf.Ignore...)
	for _, c := range gf.Columns {
		header = append(header, c.Header)
	}
	header = append(header, "Anything else we should know?")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write(header))
	for i, c := range cases {
		row := []string{"2026/12/07 9:00:00 AM GMT"}
		for _, col := range gf.Columns {
			v, ok := c.answers[col.Field]
			if col.Field == "patient_id" {
				v, ok = patientID(i), true
			}
			values := col.Values
			if values == nil {
				values = gf.Values
			}
			switch x := v.(type) {
			case nil, missingAnswer:
				row = append(row, "")
			case []string:
				var ws []string
				for _, s := range x {
					ws = append(ws, word(values, s))
				}
				row = append(row, strings.Join(ws, col.Separator))
			default:
				if !ok {
					row = append(row, "")
					continue
				}
				row = append(row, word(values, fmt.Sprint(x)))
			}
		}
		note, _ := c.answers[notesField].(string)
		row = append(row, note)
		require.NoError(t, w.Write(row))
	}
	w.Flush()
	m, err := intake.ParseMapping(mappingFile, src, func(id string) bool { _, ok := rs.Question(id); return ok })
	require.NoError(t, err)
	return "export.csv", buf.Bytes(), intake.Options{RuleSet: rs, Mapping: m}
}

// fhirItem writes one answer as a QuestionnaireResponse item, as a form
// built from "mesoscreen template questionnaire" answers it.
func fhirItem(q *rules.Question, v any) map[string]any {
	coding := func(code string) map[string]any {
		return map[string]any{"valueCoding": map[string]any{"system": forms.AnswerSystem, "code": code}}
	}
	var answers []any
	switch x := v.(type) {
	case []string:
		for _, s := range x {
			answers = append(answers, coding(s))
		}
	case int:
		answers = append(answers, map[string]any{"valueInteger": x})
	case string:
		if q.Type == rules.YesNo || q.Type == rules.Choice {
			answers = append(answers, coding(x))
		} else {
			answers = append(answers, map[string]any{"valueString": x})
		}
	}
	return map[string]any{"linkId": q.ID, "answer": answers}
}

func renderFHIR(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	var buf bytes.Buffer
	for i, c := range cases {
		items := []any{map[string]any{"linkId": "patient_id", "answer": []any{map[string]any{"valueString": patientID(i)}}}}
		for _, q := range rs.Questions {
			v, ok := c.answers[q.ID]
			if !ok || v == missing || v == "" {
				continue
			}
			items = append(items, fhirItem(q, v))
		}
		if note, ok := c.answers[notesField].(string); ok {
			items = append(items, map[string]any{"linkId": notesField, "answer": []any{map[string]any{"valueString": note}}})
		}
		b, err := json.Marshal(map[string]any{
			"resourceType": "QuestionnaireResponse", "status": "completed",
			"questionnaire": "urn:mesoscreen:questionnaire:" + rs.Name,
			"subject":       map[string]any{"reference": "Patient/" + patientID(i)},
			"item":          items,
		})
		require.NoError(t, err)
		buf.Write(append(b, '\n'))
	}
	return "responses.ndjson", buf.Bytes(), intake.Options{RuleSet: rs, Format: intake.FormatFHIR}
}

// renderWorkbook writes the canonical table as an Excel workbook: numbers
// as numbers, the rest as text.
func renderWorkbook(t *testing.T, rs *rules.RuleSet, cases []intakeCase) (string, []byte, intake.Options) {
	_, table, _ := renderCSV(t, rs, cases)
	records, err := csv.NewReader(bytes.NewReader(table)).ReadAll()
	require.NoError(t, err)
	rows := make([][]any, len(records))
	for i, r := range records {
		for _, c := range r {
			var v any = c
			if n, err := strconv.Atoi(c); err == nil && i > 0 {
				v = n
			}
			if c == "" {
				v = nil
			}
			rows[i] = append(rows[i], v)
		}
	}
	book, err := intakegen.Workbook(intakegen.Sheet{Name: "Intakes", Rows: rows})
	require.NoError(t, err)
	return "intakes.xlsx", book, intake.Options{RuleSet: rs}
}

func TestSafetyHarness(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{})
	cases := harnessCases(rs)
	formats := []struct {
		name   string
		render render
	}{
		{"json", renderJSON}, {"jsonl", renderJSONL}, {"csv", renderCSV}, {"google forms export", renderExport}, {"fhir", renderFHIR},
		{"excel workbook", renderWorkbook},
	}
	combinations := 0
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			name, data, opts := f.render(t, rs, cases)
			in, err := intake.Open(name, bytes.NewReader(data), opts)
			require.NoError(t, err)
			i := 0
			for res, err := range batch.Screen(sc, []batch.File{{Name: name, Records: in.Records()}}, batch.Options{}) {
				require.NoError(t, err)
				require.Less(t, i, len(cases), "more results than intakes")
				c := cases[i]
				assert.Equal(t, patientID(i), res.PatientID, "%s: result %d is out of order", c.name, i)
				if c.control {
					assert.Equal(t, rules.Eligible, res.Verdict, "%s, as %s (%s): findings %v", c.name, f.name, res.Source, ruleIDsOf(res))
					assert.Contains(t, res.Instructions, "numbing-cream")
				} else {
					assert.False(t, res.Verdict.AllowsTreatment(), "%s, as %s (%s): %s; findings %v", c.name, f.name, res.Source, res.Verdict, ruleIDsOf(res))
				}
				if c.anaesthetic {
					assert.NotContains(t, res.Instructions, "numbing-cream", "%s, as %s: the numbing cream is offered after an anaesthetic allergy", c.name, f.name)
				}
				i++
			}
			assert.Equal(t, len(cases), i, "one result per intake")
			combinations += i
		})
	}
	t.Logf("%d intakes in %d formats: %d combinations screened, none may be treated without review", len(cases), len(formats), combinations)
	require.Greater(t, combinations, 1000)
}

// A FHIR form may code a yes/no answer in a system of its own, or carry a
// display that says the opposite of its code: neither may read as no.
// Each yes/no signal is sent as a coding that is not mesoscreen's, and as
// mesoscreen's "no" with a display that says yes, in every language the
// answer words know.
func TestSafetyHarnessFHIRCodings(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{})
	codings := []map[string]any{
		{"system": "http://example.org/clinic-ordinal", "code": "0", "display": "Yes, pregnant"},
		{"system": "http://example.org/clinic-ordinal", "code": "no"},
		{"system": "http://snomed.info/sct", "code": "373066001", "display": "Yes"},
		{"system": rules.AnswerSystem, "code": "no", "display": "Yes"},
		{"code": "N", "display": "Yes"},
		{"system": rules.AnswerSystem, "code": "no", "display": "Sí"},
		{"system": rules.AnswerSystem, "code": "no", "display": "Oui"},
		{"system": rules.AnswerSystem, "code": "no", "display": "Not sure"},
	}
	var buf bytes.Buffer
	n := 0
	for _, s := range signals() {
		for field, v := range s.answer {
			q, ok := rs.Question(field)
			if !ok || q.Type != rules.YesNo || v != "yes" {
				continue
			}
			for _, c := range codings {
				items := []any{map[string]any{"linkId": "patient_id", "answer": []any{map[string]any{"valueString": patientID(n)}}}}
				for _, q := range rs.Questions {
					v, ok := healthyIntake()[q.ID]
					if !ok {
						continue
					}
					item := fhirItem(q, v)
					if q.ID == field {
						item = map[string]any{"linkId": q.ID, "answer": []any{map[string]any{"valueCoding": c}}}
					}
					items = append(items, item)
				}
				b, err := json.Marshal(map[string]any{
					"resourceType": "QuestionnaireResponse", "status": "completed",
					"questionnaire": "urn:mesoscreen:questionnaire:" + rs.Name, "item": items,
				})
				require.NoError(t, err)
				buf.Write(append(b, '\n'))
				n++
			}
		}
	}
	in, err := intake.Open("codings.ndjson", &buf, intake.Options{RuleSet: rs})
	require.NoError(t, err)
	i := 0
	for res, err := range batch.Screen(sc, []batch.File{{Name: "codings.ndjson", Records: in.Records()}}, batch.Options{}) {
		require.NoError(t, err)
		assert.False(t, res.Verdict.AllowsTreatment(), "%s: %s; findings %v", res.Source, res.Verdict, ruleIDsOf(res))
		i++
	}
	assert.Equal(t, n, i)
	assert.Greater(t, n, 40)
	t.Logf("%d FHIR codings screened, none may be treated without review", n)
}

func ruleIDsOf(r screening.Result) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	return slices.Compact(ids)
}

// An allergy written late in a long note, past what a finding quotes, is
// still read: the note is read whole, and only its quote is cut short.
func TestLongNoteStillWithholdsTheNumbingCream(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{})
	m := healthyIntake()
	m["patient_id"] = "P-1"
	m["notes"] = strings.Repeat("I have had facials before and they went well. ", 4) + "I am allergic to lidocaine."
	res := sc.Evaluate(screening.Parse(rs, m))
	assert.Contains(t, ruleIDsOf(res), "allergy-local-anaesthetic")
	assert.NotContains(t, res.Instructions, "numbing-cream")
}
