package screening_test

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening"
)

// medsBase is an intake with nothing against treatment.
func medsBase() map[string]any {
	return map[string]any{
		"patient_id": "T-1", "age": 40, "pregnant": "no", "breastfeeding": "no",
		"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
		"diabetes": "none", "heart_medications": 0, "blood_thinners": "no",
		"active_infection": "no", "skin_condition": "no", "allergies": "no",
		"medications": "", "treatment_areas": []any{"face"}, "goal": "pores",
	}
}

func screenMeds(t testing.TB, changes map[string]any) screening.Result {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	rec := medsBase()
	maps.Copy(rec, changes)
	return screening.Evaluate(screening.Parse(rs, rec), screening.Options{Keys: clinicKeys})
}

func finding(res screening.Result, rule string) (screening.Finding, bool) {
	for _, f := range res.Findings {
		if f.Rule == rule {
			return f, true
		}
	}
	return screening.Finding{}, false
}

func TestMedicationRules(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]any
		rule    string
		fires   bool
		message string // checked when the rule fires and this is set
	}{
		// An anticoagulant or antiplatelet listed while blood_thinners is no.
		{"anticoagulant listed, no blood thinner", map[string]any{"medications": "Eliquis 5mg bid", "blood_thinners": "no"},
			"meds-blood-thinner-not-declared", true,
			"Lists Eliquis (apixaban, anticoagulant) but did not answer yes to blood thinners (answered no); confirm with the patient, and the prescriber must approve any pause before treatment"},
		{"antiplatelet misspelt, no blood thinner", map[string]any{"medications": "clopidogrl 75mg, asprin", "blood_thinners": "no"},
			"meds-blood-thinner-not-declared", true,
			"Lists clopidogrl (clopidogrel, antiplatelet) and asprin (aspirin, antiplatelet) but did not answer yes to blood thinners (answered no); confirm with the patient, and the prescriber must approve any pause before treatment"},
		// One written as stopped is a finding of its own.
		{"possibly stopped is not undeclared", map[string]any{"medications": "warfarin (paused)", "blood_thinners": "no"},
			"meds-blood-thinner-not-declared", false, ""},
		{"possibly stopped still counts", map[string]any{"medications": "warfarin (paused)", "blood_thinners": "no"},
			"meds-blood-thinner-stopped", true,
			"Lists warfarin (anticoagulant; may have been stopped); confirm who approved stopping it, and when, before booking"},
		{"stopped is not gone", map[string]any{"medications": "aspirin - stopped last week for this treatment", "blood_thinners": "no"},
			"meds-blood-thinner-stopped", true,
			"Lists aspirin (antiplatelet; may have been stopped); confirm who approved stopping it, and when, before booking"},
		{"only the stopped one is named", map[string]any{"medications": "Eliquis 5mg, stopped Plavix", "blood_thinners": "yes", "blood_thinner_name": "apixaban"},
			"meds-blood-thinner-stopped", true,
			"Lists Plavix (clopidogrel, antiplatelet; may have been stopped); confirm who approved stopping it, and when, before booking"},
		{"one taken is not stopped", map[string]any{"medications": "Eliquis 5mg", "blood_thinners": "yes"},
			"meds-blood-thinner-stopped", false, ""},
		{"anticoagulant listed, blood thinner yes", map[string]any{"medications": "Eliquis", "blood_thinners": "yes"},
			"meds-blood-thinner-not-declared", false, ""},
		{"no aspirin, no blood thinner", map[string]any{"medications": "no aspirin", "blood_thinners": "no"},
			"meds-blood-thinner-not-declared", false, ""},
		{"unsure blood thinner names the one listed", map[string]any{"medications": "Eliquis", "blood_thinners": "unsure"},
			"meds-blood-thinner-not-declared", true,
			"Lists Eliquis (apixaban, anticoagulant) but did not answer yes to blood thinners (answered unsure); confirm with the patient, and the prescriber must approve any pause before treatment"},
		{"only the ones taken are named as undeclared", map[string]any{"medications": "Eliquis 5mg, aspirin stopped last week", "blood_thinners": "unsure"},
			"meds-blood-thinner-not-declared", true,
			"Lists Eliquis (apixaban, anticoagulant) but did not answer yes to blood thinners (answered unsure); confirm with the patient, and the prescriber must approve any pause before treatment"},
		{"missing blood thinner answer names the one listed", map[string]any{"medications": "Eliquis", "blood_thinners": nil},
			"meds-blood-thinner-not-declared", true,
			"Lists Eliquis (apixaban, anticoagulant) but did not answer yes to blood thinners; confirm with the patient, and the prescriber must approve any pause before treatment"},
		// The existing blood-thinner finding names the drug, and reads as before without one.
		{"blood thinner named", map[string]any{"medications": "Xarelto 20mg", "blood_thinners": "yes"},
			"blood-thinners", true,
			"Takes a blood thinner; the medication list names Xarelto (rivaroxaban, anticoagulant); the prescriber must approve any pause before treatment"},
		{"blood thinner chosen and listed", map[string]any{"medications": "Xarelto 20mg", "blood_thinners": "yes", "blood_thinner_name": "rivaroxaban"},
			"blood-thinners", true,
			"Takes a blood thinner: Rivaroxaban; the medication list names Xarelto (rivaroxaban, anticoagulant); the prescriber must approve any pause before treatment"},
		// The blood thinner chosen against the ones listed.
		{"chosen and listed differ", map[string]any{"medications": "warfarin 5mg", "blood_thinners": "yes", "blood_thinner_name": "clopidogrel"},
			"meds-blood-thinner-mismatch", true,
			"Named Clopidogrel as the blood thinner, but the medication list names warfarin (anticoagulant); confirm which the patient takes, perhaps both"},
		{"chosen is among those listed", map[string]any{"medications": "clopidogrel, aspirin 75mg", "blood_thinners": "yes", "blood_thinner_name": "clopidogrel"},
			"meds-blood-thinner-mismatch", false, ""},
		{"chosen is in a combination listed", map[string]any{"medications": "DuoPlavin", "blood_thinners": "yes", "blood_thinner_name": "aspirin"},
			"meds-blood-thinner-mismatch", false, ""},
		{"another one chosen", map[string]any{"medications": "warfarin", "blood_thinners": "yes", "blood_thinner_name": "other"},
			"meds-blood-thinner-mismatch", false, ""},
		{"none listed to differ", map[string]any{"medications": "metformin", "blood_thinners": "yes", "blood_thinner_name": "apixaban"},
			"meds-blood-thinner-mismatch", false, ""},
		{"the one chosen written as stopped", map[string]any{"medications": "stopped warfarin", "blood_thinners": "yes", "blood_thinner_name": "warfarin"},
			"meds-blood-thinner-mismatch", false, ""},
		{"blood thinner not named", map[string]any{"medications": "metformin", "blood_thinners": "yes"},
			"blood-thinners", true,
			"Takes a blood thinner; the prescriber must approve any pause before treatment"},
		{"blood thinner no", map[string]any{"medications": "Xarelto", "blood_thinners": "no"},
			"blood-thinners", false, ""},
		// Insulin listed while diabetes is not insulin.
		{"insulin listed, diabetes without insulin", map[string]any{"medications": "Lantus 20 units, metformin", "diabetes": "non_insulin"},
			"meds-insulin-not-declared", true,
			"Lists Lantus (insulin glargine, insulin) but the diabetes answer is not insulin; insulin-treated diabetes rules out mesotherapy, so confirm before booking"},
		{"insulin listed, no diabetes", map[string]any{"medications": "insulin", "diabetes": "none"},
			"meds-insulin-not-declared", true, ""},
		{"insulin listed, diabetes with insulin", map[string]any{"medications": "Lantus", "diabetes": "insulin"},
			"meds-insulin-not-declared", false, ""},
		{"no insulin listed", map[string]any{"medications": "metformin", "diabetes": "non_insulin"},
			"meds-insulin-not-declared", false, ""},
		// Two or more different heart medicines while heart_medications < 2.
		{"two heart medicines, answered 0", map[string]any{"medications": "metoprolol 50mg, Lipitor", "heart_medications": 0},
			"meds-heart-medicines-not-declared", true,
			"Lists metoprolol (beta blocker) and Lipitor (atorvastatin, statin), more heart medicines than the 0 counted; one needs the physician's clearance and 2 or more rule out mesotherapy, so confirm with the patient or physician"},
		{"two diuretics, answered 0", map[string]any{"medications": "furosemide 40mg, spironolactone 25mg", "heart_medications": 0},
			"meds-heart-medicines-not-declared", true,
			"Lists furosemide (diuretic) and spironolactone (diuretic), more heart medicines than the 0 counted; one needs the physician's clearance and 2 or more rule out mesotherapy, so confirm with the patient or physician"},
		{"two heart medicines, answered 1", map[string]any{"medications": "ramipril and amlodipine", "heart_medications": 1},
			"meds-heart-medicines-not-declared", true, ""},
		{"two heart medicines, answered 2", map[string]any{"medications": "ramipril and amlodipine", "heart_medications": 2},
			"meds-heart-medicines-not-declared", false, ""},
		{"one medicine named twice", map[string]any{"medications": "Lipitor (atorvastatin)", "heart_medications": 1},
			"meds-heart-medicines-not-declared", false, ""},
		{"one heart medicine, answered 1", map[string]any{"medications": "bisoprolol", "heart_medications": 1},
			"meds-heart-medicines-not-declared", false, ""},
		// Isotretinoin, taken or recently stopped.
		{"isotretinoin listed", map[string]any{"medications": "Accutane 20mg"},
			"meds-isotretinoin", true,
			"Lists Accutane (isotretinoin); a clinician must confirm when the course ended, as treatment usually waits until 6 months after it"},
		{"isotretinoin stopped", map[string]any{"medications": "stopped Roaccutane in May"},
			"meds-isotretinoin", true,
			"Lists Roaccutane (isotretinoin; may have been stopped); a clinician must confirm when the course ended, as treatment usually waits until 6 months after it"},
		{"isotretinoin never", map[string]any{"medications": "no accutane"},
			"meds-isotretinoin", false, ""},
		// Cancer treatment listed while the cancer answer is not yes.
		{"cancer drugs, no cancer", map[string]any{"medications": "tamoxifen 20mg, letrozole", "recent_cancer": "no"},
			"meds-cancer-treatment-not-declared", true,
			"Lists tamoxifen (cancer treatment) and letrozole (cancer treatment) but did not answer yes to cancer or its treatment in the last 5 years (answered no); recent cancer rules out mesotherapy, so confirm what it is for"},
		{"cancer drug finished, no cancer", map[string]any{"medications": "finished Arimidex last year", "recent_cancer": "no"},
			"meds-cancer-treatment-not-declared", true, ""},
		{"cancer drug, unsure", map[string]any{"medications": "capecitabine", "recent_cancer": "unsure"},
			"meds-cancer-treatment-not-declared", true, ""},
		{"cancer drug, cancer yes", map[string]any{"medications": "tamoxifen", "recent_cancer": "yes"},
			"meds-cancer-treatment-not-declared", false, ""},
		// Immunosuppressants and systemic steroids.
		{"systemic steroid", map[string]any{"medications": "prednisolone 10mg daily"},
			"meds-immunosuppressant", true,
			"Lists prednisolone (systemic corticosteroid), which lowers resistance to infection and slows healing; a clinician must decide whether injections are safe now"},
		{"immunosuppressant", map[string]any{"medications": "Humira every 2 weeks"}, "meds-immunosuppressant", true, ""},
		{"steroid cream is not systemic", map[string]any{"medications": "hydrocortisone cream"}, "meds-immunosuppressant", false, ""},
		// A reaction to a local anaesthetic, in either text.
		{"anaesthetic allergy in the details", map[string]any{"allergies": "yes", "allergy_details": "anaphylaxis to lidocaine"},
			"allergy-local-anaesthetic", true,
			"Has reacted to a local anaesthetic or numbing cream; no numbing cream, and a clinician must check that nothing to be injected contains one"},
		{"anaesthetic allergy in the list", map[string]any{"allergies": "no", "medications": "allergic to EMLA"},
			"allergy-local-anaesthetic", true, ""},
		{"other allergy", map[string]any{"allergies": "yes", "allergy_details": "hives after vitamin C mesotherapy"},
			"allergy-local-anaesthetic", false, ""},
		{"the details quoted", map[string]any{"allergies": "yes", "allergy_details": "hives after\nvitamin C  mesotherapy"},
			"allergies", true,
			"Has reacted to an injection, numbing cream or earlier mesotherapy: \"hives after vitamin C mesotherapy\"; a clinician must review the reaction"},
		// NSAIDs and bleeding-risk supplements.
		{"NSAID and supplement", map[string]any{"medications": "Advil prn, fish oil"},
			"meds-bleeding-risk-otc", true,
			"Lists Advil (ibuprofen, NSAID) and fish oil (omega-3 fatty acids, supplement that raises bleeding risk), which can increase bruising; see the pre-treatment instruction on pausing them"},
		{"aspirin-free painkiller", map[string]any{"medications": "aspirin-free paracetamol"},
			"meds-bleeding-risk-otc", false, ""},
		{"nothing listed", map[string]any{"medications": "none"},
			"meds-bleeding-risk-otc", false, ""},
	}
	for _, tt := range tests {
		res := screenMeds(t, tt.answers)
		f, fired := finding(res, tt.rule)
		require.Equal(t, tt.fires, fired, "%s: findings %+v", tt.name, res.Findings)
		if fired && tt.message != "" {
			assert.Equal(t, tt.message, f.Message, tt.name)
		}
	}
}

func TestMedicationVerdicts(t *testing.T) {
	// The NSAID rule alone leaves the patient eligible with precautions,
	// with the pause instruction; without NSAIDs there is no such instruction.
	res := screenMeds(t, map[string]any{"medications": "ibuprofen 400mg"})
	assert.Equal(t, rules.EligibleWithPrecautions, res.Verdict)
	assert.Contains(t, res.PreTreatment,
		"If your prescriber or the clinic's doctor agrees, stop ibuprofen (NSAID) 7 days before treatment. Do not stop anything prescribed for your heart or blood without asking the prescriber.")

	res = screenMeds(t, map[string]any{"medications": "vitamin D"})
	assert.Equal(t, rules.EligibleWithPrecautions, res.Verdict)
	for _, p := range res.PreTreatment {
		assert.NotContains(t, p, "7 days")
	}
	assert.Empty(t, res.Medications)

	// A contradiction makes an otherwise eligible patient needs_review.
	res = screenMeds(t, map[string]any{"medications": "Eliquis"})
	assert.Equal(t, rules.NeedsReview, res.Verdict)
	require.Len(t, res.Medications, 1)
	assert.Equal(t, screening.Medication{Written: "Eliquis", Generic: "apixaban", Classes: []string{"anticoagulant"},
		ATC: []string{"B01AF02"}, How: meds.Brand}, withoutLabel(res.Medications[0]))

	// No medications at all: eligible, and the derived fields are empty lists.
	res = screenMeds(t, map[string]any{"medications": nil})
	assert.Equal(t, rules.Eligible, res.Verdict, "%+v", res.Findings)
}

// withoutLabel copies the exported fields, for comparison.
func withoutLabel(m screening.Medication) screening.Medication {
	return screening.Medication{Written: m.Written, Generic: m.Generic, Classes: m.Classes, ATC: m.ATC, How: m.How, PossiblyStopped: m.PossiblyStopped}
}

func TestLexiconOption(t *testing.T) {
	lx, err := meds.Parse("clinic.yaml", []byte(`schema: 1
name: clinic
version: "1"
sources: [{id: clinic protocol, title: house}]
classes: [{id: anticoagulant, label: anticoagulant}]
entries:
  - generic: housethinner
    classes: [anticoagulant]
    source: [clinic protocol]
    note: not a real medicine
`))
	require.NoError(t, err)
	rs, err := rules.Default()
	require.NoError(t, err)
	rec := medsBase()
	rec["medications"] = "housethinner, Eliquis"
	res := screening.Evaluate(screening.Parse(rs, rec), screening.Options{Meds: lx})
	f, ok := finding(res, "meds-blood-thinner-not-declared")
	require.True(t, ok)
	assert.Equal(t, "Lists housethinner (anticoagulant) but did not answer yes to blood thinners (answered no); confirm with the patient, and the prescriber must approve any pause before treatment", f.Message)
}

const benchMeds = "Eliquis 5mg bid, metformin 500mg twice daily; fish oil and vitamin D\nLipitor 20 mg at night, no aspirin"

func BenchmarkEvaluateWithMedications(b *testing.B) {
	rs, err := rules.Default()
	require.NoError(b, err)
	rec := medsBase()
	rec["medications"] = benchMeds
	a := screening.Parse(rs, rec)
	lx, err := meds.Default() // loaded once, before timing
	require.NoError(b, err)
	opts := screening.Options{Meds: lx}
	b.ReportAllocs()
	for b.Loop() {
		screening.Evaluate(a, opts)
	}
}

func BenchmarkEvaluateNoMedications(b *testing.B) {
	rs, err := rules.Default()
	require.NoError(b, err)
	a := screening.Parse(rs, medsBase())
	b.ReportAllocs()
	for b.Loop() {
		screening.Evaluate(a, screening.Options{Keys: clinicKeys})
	}
}

func BenchmarkRecognise(b *testing.B) {
	lx, err := meds.Default()
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		screening.Recognise(lx, benchMeds)
	}
}

// Screening is safe from many goroutines at once, the shared lexicon
// included (run with -race).
func TestEvaluateConcurrently(t *testing.T) {
	want := screenMeds(t, map[string]any{"medications": benchMeds})
	rs, err := rules.Default()
	require.NoError(t, err)
	rec := medsBase()
	rec["medications"] = benchMeds
	done := make(chan screening.Result)
	for range 8 {
		go func() { done <- screening.Evaluate(screening.Parse(rs, rec), screening.Options{Keys: clinicKeys}) }()
	}
	for range 8 {
		assert.Equal(t, want, <-done)
	}
}
