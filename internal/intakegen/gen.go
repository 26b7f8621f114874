// Package intakegen makes realistic synthetic patients, seeded, and writes
// them in every input format mesoscreen reads, for the tests that check
// the formats agree and the benchmarks that need large files.
package intakegen

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Patient is one intake with canonical answers, "" for a missing one.
type Patient struct {
	ID               string
	Age              string
	Areas            []string
	Goal             string
	Pregnant         string
	Breastfeeding    string
	ClottingDisorder string
	BloodClots       string
	Stroke           string
	BloodThinners    string
	ThinnerName      string
	RecentCancer     string
	Diabetes         string
	HeartMeds        string
	Infection        string
	SkinCondition    string
	Allergies        string
	AllergyDetails   string
	Medications      string
}

// Fields are the canonical field ids, in the order of the CSV header.
var Fields = []string{
	"patient_id", "age", "treatment_areas", "goal", "pregnant", "breastfeeding",
	"clotting_disorder", "blood_clots", "stroke", "blood_thinners", "blood_thinner_name",
	"recent_cancer", "diabetes", "heart_medications", "active_infection", "skin_condition",
	"allergies", "allergy_details", "medications",
}

// Values returns the answers in the order of Fields, a list joined by ";".
func (p *Patient) Values() []string {
	return []string{
		p.ID, p.Age, strings.Join(p.Areas, ";"), p.Goal, p.Pregnant, p.Breastfeeding,
		p.ClottingDisorder, p.BloodClots, p.Stroke, p.BloodThinners, p.ThinnerName,
		p.RecentCancer, p.Diabetes, p.HeartMeds, p.Infection, p.SkinCondition,
		p.Allergies, p.AllergyDetails, p.Medications,
	}
}

var (
	areas     = []string{"face", "neck", "scalp", "arms", "chest", "abdomen", "back", "buttocks", "thighs", "legs"}
	goals     = []string{"rejuvenation", "pores", "hair_loss", "cellulite", "localized_fat", "stretch_marks", "skin_laxity", "weight_loss"}
	thinners  = []string{"warfarin", "apixaban", "rivaroxaban", "dabigatran", "clopidogrel", "aspirin"}
	medsLists = []string{"", "", "", "", "none", "vitamin D", "levothyroxine 50 mcg", "ibuprofen as needed", "fish oil, multivitamin", "metformin 500 mg", "retinol cream", "oral contraceptive"}
)

// Medicines and doses the varied medication lists are made of: most are
// in the medication lexicon, some are misspelt or unknown to it.
var (
	medicines = []string{
		"aspirin", "ibuprofen", "naproxen", "warfarin", "apixaban", "Eliquis", "rivaroxaban", "clopidogrel",
		"fish oil", "omega-3", "ginkgo", "garlic capsules", "vitamin E", "turmeric", "St. John's wort",
		"metformin", "Ozempic", "semaglutide", "insulin glargine", "empagliflozin", "sitagliptin",
		"bisoprolol", "metoprolol", "ramipril", "lisinopril", "losartan", "amlodipine", "digoxin", "amiodarone",
		"atorvastatin", "levothyroxine", "sertraline", "omeprazole", "cetirizine", "salbutamol inhaler",
		"oral contraceptive", "isotretinoin", "retinol cream", "vitamin D", "vitamin C", "B12", "magnesium",
		"multivitamin", "iron tablets", "melatonin", "paracetamol", "ibuprofin", "asprin", "prednisolone",
		"fluticasone", "collagen powder", "biotin",
	}
	doses = []string{"5 mg", "10 mg", "20 mg", "50 mcg", "100 mg", "500 mg", "once daily", "twice a day", "as needed", "at night", "stopped last month"}
)

// Generator makes patients from a seed.
type Generator struct {
	r *rand.Rand
	// m draws the varied medication lists, apart from r, so that the
	// other answers are the same with or without them.
	m *rand.Rand
	n int
	// VariedMedications makes the medication lists as a clinic's free text
	// is: 1 to 3 of 52 medicines, each with or without a dose or a timing,
	// so that few lists are written the same way twice. Without it, every
	// list is one of 9 texts.
	VariedMedications bool
}

// New returns a generator; the same seed gives the same patients.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, 0x6d65736f)), m: rand.New(rand.NewPCG(seed, 0x6d656473))}
}

func (g *Generator) pct(p float64) bool { return g.r.Float64()*100 < p }

// yesno answers yes with chance p percent; now and then not sure or
// missing, as real forms are.
func (g *Generator) yesno(p float64) string {
	switch {
	case g.pct(0.7):
		return "unsure"
	case g.pct(0.5):
		return ""
	case g.pct(p):
		return "yes"
	}
	return "no"
}

// Next makes the next patient.
func (g *Generator) Next() Patient {
	g.n++
	p := Patient{ID: fmt.Sprintf("MS-%06d", g.n)}
	age := 18 + g.r.IntN(55)
	if g.pct(2) {
		age = 15 + g.r.IntN(3)
	}
	p.Age = strconv.Itoa(age)
	if g.pct(0.5) {
		p.Age = ""
	}
	k := 1 + g.r.IntN(3)
	if g.pct(60) {
		k = 1
	}
	for _, i := range g.r.Perm(len(areas))[:k] {
		p.Areas = append(p.Areas, areas[i])
	}
	p.Goal = goals[g.r.IntN(len(goals))]
	p.Pregnant = g.yesno(3)
	p.Breastfeeding = g.yesno(3)
	p.ClottingDisorder = g.yesno(1)
	p.BloodClots = g.yesno(1.5)
	p.Stroke = g.yesno(1)
	p.BloodThinners = g.yesno(6)
	if p.BloodThinners == "yes" {
		p.ThinnerName = thinners[g.r.IntN(len(thinners))]
	}
	p.RecentCancer = g.yesno(2)
	switch {
	case g.pct(4):
		p.Diabetes = "non_insulin"
	case g.pct(1.5):
		p.Diabetes = "insulin"
	default:
		p.Diabetes = "none"
	}
	p.HeartMeds = "0"
	if g.pct(5) {
		p.HeartMeds = strconv.Itoa(1 + g.r.IntN(3))
	}
	p.Infection = g.yesno(3)
	p.SkinCondition = g.yesno(4)
	p.Allergies = g.yesno(3)
	if p.Allergies == "yes" {
		p.AllergyDetails = "hives after lidocaine cream"
	}
	p.Medications = medsLists[g.r.IntN(len(medsLists))]
	if g.VariedMedications && p.Medications != "" && p.Medications != "none" {
		p.Medications = g.medications()
	}
	return p
}

// medications writes a list of 1 to 3 medicines.
func (g *Generator) medications() string {
	var b strings.Builder
	for i := range 1 + g.m.IntN(3) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(medicines[g.m.IntN(len(medicines))])
		if g.m.IntN(2) == 0 {
			b.WriteByte(' ')
			b.WriteString(doses[g.m.IntN(len(doses))])
		}
	}
	return b.String()
}

// Patients makes n patients.
func (g *Generator) Patients(n int) []Patient {
	out := make([]Patient, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// WriteJSONL writes one JSON object per line, yes/no as strings, numbers
// as numbers and lists as arrays; a missing answer is left out.
func WriteJSONL(w io.Writer, ps []Patient) error {
	enc := json.NewEncoder(w)
	for i := range ps {
		m := map[string]any{}
		for j, v := range ps[i].Values() {
			if v == "" {
				continue
			}
			switch Fields[j] {
			case "age", "heart_medications":
				n, _ := strconv.Atoi(v)
				m[Fields[j]] = n
			case "treatment_areas":
				m[Fields[j]] = ps[i].Areas
			default:
				m[Fields[j]] = v
			}
		}
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return nil
}

// CSVStyle is how a spreadsheet wrote a CSV file.
type CSVStyle struct {
	Comma rune // ',' ';' or '\t'
	BOM   bool
	CRLF  bool
}

// WriteCSV writes the canonical CSV: a header of field ids, a row per
// patient.
func WriteCSV(w io.Writer, ps []Patient, st CSVStyle) error {
	if st.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if st.Comma != 0 {
		cw.Comma = st.Comma
	}
	cw.UseCRLF = st.CRLF
	cw.Write(Fields)
	for i := range ps {
		cw.Write(ps[i].Values())
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVRows writes rows without the header, to append to a file.
func WriteCSVRows(w io.Writer, ps []Patient, st CSVStyle) error {
	cw := csv.NewWriter(w)
	if st.Comma != 0 {
		cw.Comma = st.Comma
	}
	cw.UseCRLF = st.CRLF
	for i := range ps {
		cw.Write(ps[i].Values())
	}
	cw.Flush()
	return cw.Error()
}

// Google Forms' words for the answers.
var (
	formYesNo = map[string]string{"yes": "Yes", "no": "No", "unsure": "Not sure"}
	formArea  = map[string]string{"face": "Face", "neck": "Neck", "scalp": "Scalp", "arms": "Arms", "chest": "Chest",
		"abdomen": "Abdomen", "back": "Back", "buttocks": "Buttocks", "thighs": "Thighs", "legs": "Legs"}
	formDiabetes = map[string]string{"none": "No", "non_insulin": "Yes, without insulin", "insulin": "Yes, I use insulin"}
	formGoal     = map[string]string{"rejuvenation": "Skin rejuvenation", "pores": "Smaller pores", "hair_loss": "Hair loss",
		"cellulite": "Cellulite", "localized_fat": "Localized fat", "stretch_marks": "Stretch marks",
		"skin_laxity": "Loose skin", "weight_loss": "Weight loss"}
	formThinner = map[string]string{"warfarin": "Warfarin", "apixaban": "Apixaban (Eliquis)", "rivaroxaban": "Rivaroxaban (Xarelto)",
		"dabigatran": "Dabigatran (Pradaxa)", "clopidogrel": "Clopidogrel (Plavix)", "aspirin": "Daily aspirin"}
)

// FormHeaders are the question texts a clinic's Google Form uses, in the
// order of its export, and the field each one holds.
var FormHeaders = [][2]string{
	{"Timestamp", ""},
	{"Patient ID (chart number)", "patient_id"},
	{"Your age in years", "age"},
	{"Which areas do you want treated?", "treatment_areas"},
	{"What is your main goal?", "goal"},
	{"Are you pregnant, or could you be pregnant?", "pregnant"},
	{"Are you breastfeeding?", "breastfeeding"},
	{"Do you have a bleeding or clotting disorder (haemophilia, von Willebrand disease, low platelets)?", "clotting_disorder"},
	{"Have you ever had a blood clot (deep vein thrombosis, pulmonary embolism)?", "blood_clots"},
	{"Have you ever had a stroke or a mini-stroke (TIA)?", "stroke"},
	{"Do you take a blood thinner (warfarin, apixaban, rivaroxaban, dabigatran, clopidogrel, daily aspirin)?", "blood_thinners"},
	{"If yes, which blood thinner?", "blood_thinner_name"},
	{"Have you had cancer, or cancer treatment, in the last 5 years?", "recent_cancer"},
	{"Do you have diabetes, and do you use insulin?", "diabetes"},
	{"How many medicines do you take for a heart condition?", "heart_medications"},
	{"Do you have an infection right now?", "active_infection"},
	{"Do you have a skin condition or wound where you want treatment (eczema, psoriasis, active acne, cold sores)?", "skin_condition"},
	{"Have you had an allergic reaction to an injection, an anaesthetic cream (lidocaine) or a previous mesotherapy treatment?", "allergies"},
	{"What did you react to?", "allergy_details"},
	{"List every medicine, over-the-counter product and supplement you take", "medications"},
}

// WriteForms writes a Google-Forms-style export: question texts as
// headers, a Timestamp, the form's own answer words, and the checked areas
// joined with ", ".
func WriteForms(w io.Writer, ps []Patient) error {
	cw := csv.NewWriter(w)
	row := make([]string, len(FormHeaders))
	for i, h := range FormHeaders {
		row[i] = h[0]
	}
	cw.Write(row)
	t0 := time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)
	for i := range ps {
		p := &ps[i]
		vals := map[string]string{}
		for j, v := range p.Values() {
			vals[Fields[j]] = v
		}
		for j, h := range FormHeaders {
			v := vals[h[1]]
			switch h[1] {
			case "":
				v = t0.Add(time.Duration(i)*7*time.Minute).Format("2006/01/02 3:04:05 PM") + " GMT"
			case "treatment_areas":
				names := make([]string, len(p.Areas))
				for k, a := range p.Areas {
					names[k] = formArea[a]
				}
				v = strings.Join(names, ", ")
			case "goal":
				v = formGoal[v]
			case "diabetes":
				v = formDiabetes[v]
			case "blood_thinner_name":
				v = formThinner[v]
			case "patient_id", "age", "heart_medications", "allergy_details", "medications":
			default:
				v = formYesNo[v]
			}
			row[j] = v
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// FHIR answers, as a forms system writes them.
type fhirAnswer map[string]any

type fhirItem struct {
	LinkID string       `json:"linkId"`
	Text   string       `json:"text,omitempty"`
	Answer []fhirAnswer `json:"answer,omitempty"`
	Item   []fhirItem   `json:"item,omitempty"`
}

// Response builds a QuestionnaireResponse for the Questionnaire of
// "mesoscreen template fhir": items grouped by section, yes/no and choices
// as codings, numbers as integers. Every other patient is named by
// subject.reference rather than by a patient_id item, and the blood
// thinner's name hangs under the blood_thinners answer, as in a form whose
// follow-up questions nest.
func Response(p *Patient, i int) map[string]any {
	coding := func(v string) []fhirAnswer {
		if v == "" {
			return nil
		}
		return []fhirAnswer{{"valueCoding": map[string]string{"system": "urn:mesoscreen:answer", "code": v}}}
	}
	integer := func(v string) []fhirAnswer {
		if v == "" {
			return nil
		}
		n, _ := strconv.Atoi(v)
		return []fhirAnswer{{"valueInteger": n}}
	}
	str := func(v string) []fhirAnswer {
		if v == "" {
			return nil
		}
		return []fhirAnswer{{"valueString": v}}
	}
	item := func(id string, ans []fhirAnswer) fhirItem { return fhirItem{LinkID: id, Answer: ans} }
	var areaAns []fhirAnswer
	for _, a := range p.Areas {
		areaAns = append(areaAns, coding(a)...)
	}
	thinners := coding(p.BloodThinners)
	if p.ThinnerName != "" && len(thinners) > 0 {
		thinners[0]["item"] = []fhirItem{item("blood_thinner_name", coding(p.ThinnerName))}
	}
	allergies := coding(p.Allergies)
	patient := []fhirItem{item("age", integer(p.Age)), item("treatment_areas", areaAns), item("goal", coding(p.Goal))}
	res := map[string]any{
		"resourceType":  "QuestionnaireResponse",
		"id":            fmt.Sprintf("qr-%d", i+1),
		"questionnaire": "urn:mesoscreen:questionnaire:mesotherapy-default",
		"status":        "completed",
		"authored":      "2026-11-20T09:00:00+01:00",
	}
	if i%2 == 0 {
		patient = append([]fhirItem{item("patient_id", str(p.ID))}, patient...)
	} else {
		res["subject"] = map[string]string{"reference": "Patient/" + p.ID}
	}
	groups := []fhirItem{
		{LinkID: "patient", Item: patient},
		{LinkID: "pregnancy", Item: []fhirItem{item("pregnant", coding(p.Pregnant)), item("breastfeeding", coding(p.Breastfeeding))}},
		{LinkID: "blood", Item: []fhirItem{item("clotting_disorder", coding(p.ClottingDisorder)), item("blood_clots", coding(p.BloodClots)),
			item("stroke", coding(p.Stroke)), item("blood_thinners", thinners)}},
		{LinkID: "conditions", Item: []fhirItem{item("recent_cancer", coding(p.RecentCancer)), item("diabetes", coding(p.Diabetes)),
			item("heart_medications", integer(p.HeartMeds))}},
		{LinkID: "skin", Item: []fhirItem{item("active_infection", coding(p.Infection)), item("skin_condition", coding(p.SkinCondition)),
			item("allergies", allergies), item("allergy_details", str(p.AllergyDetails))}},
		{LinkID: "medications", Item: []fhirItem{item("medications", str(p.Medications))}},
	}
	res["item"] = groups
	return res
}

// WriteNDJSON writes one QuestionnaireResponse per line, as a Bulk Data
// export does.
func WriteNDJSON(w io.Writer, ps []Patient) error {
	enc := json.NewEncoder(w)
	for i := range ps {
		if err := enc.Encode(Response(&ps[i], i)); err != nil {
			return err
		}
	}
	return nil
}

// WriteBundle writes one pretty-printed Bundle of QuestionnaireResponses.
func WriteBundle(w io.Writer, ps []Patient) error {
	entries := make([]any, len(ps))
	for i := range ps {
		entries[i] = map[string]any{"fullUrl": fmt.Sprintf("urn:uuid:qr-%d", i+1), "resource": Response(&ps[i], i)}
	}
	b, err := json.MarshalIndent(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": entries}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
