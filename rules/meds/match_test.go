package meds_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules/meds"
)

func lexicon(t testing.TB) *meds.Lexicon {
	t.Helper()
	lx, err := meds.Default()
	require.NoError(t, err)
	return lx
}

// classesOf lists the classes of the medicines the text says are taken,
// sorted, space separated.
func classesOf(lx *meds.Lexicon, text string) string {
	var cs []string
	for _, m := range lx.Recognised(text) {
		for _, c := range m.Entry.Classes {
			if !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
	}
	slices.Sort(cs)
	return strings.Join(cs, " ")
}

const (
	antico = "anticoagulant"
	hep    = "anticoagulant heparin"
	antipl = "antiplatelet"
	nsaid  = "nsaid"
	supp   = "bleeding_supplement"
	ins    = "insulin"
	diab   = "antidiabetic"
	glp1   = "antidiabetic glp1_agonist"
	sglt2  = "antidiabetic sglt2_inhibitor"
	beta   = "beta_blocker heart"
	ace    = "ace_inhibitor heart"
	arb    = "arb heart"
	ccb    = "calcium_channel_blocker heart"
	statin = "heart statin"
	nitr   = "heart nitrate"
	iso    = "isotretinoin"
	immuno = "immunosuppressant"
	cort   = "corticosteroid"
	diur   = "diuretic heart"
	lipid  = "heart lipid_modifying"
	cancer = "cancer_treatment"
	anaes  = "local_anaesthetic"
)

func TestRecognisedClasses(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		text string
		want string
	}{
		// Anticoagulants, by generic and brand, with doses.
		{"warfarin", antico},
		{"Warfarin 5 mg daily", antico},
		{"Coumadin", antico},
		{"jantoven 3mg", antico},
		{"Eliquis 5mg bid", antico},
		{"apixaban 2.5 mg twice a day", antico},
		{"XARELTO 20MG", antico},
		{"rivaroxaban", antico},
		{"Pradaxa 150mg", antico},
		{"dabigatran etexilate", antico},
		{"Lixiana", antico},
		{"Savaysa 60 mg", antico},
		{"edoxaban", antico},
		{"heparin injections", hep},
		{"Lovenox 40mg sc", hep},
		{"Clexane", hep},
		{"enoxaparin", hep},
		{"Fragmin", hep},
		{"dalteparin 5000 units", hep},
		// Misspellings of one letter, in names of 5 or more letters.
		{"warfrin", antico},
		{"wafarin 2mg", antico},
		{"eliqius", antico},
		{"xarleto", antico},
		{"clopidogrl", antipl},
		{"clopidogrel", antipl},
		{"asprin", antipl},
		{"ibuprofin", nsaid},
		{"metfromin", diab},
		// Antiplatelets, aspirin at any dose and in combinations.
		{"Plavix 75mg", antipl},
		{"prasugrel", antipl},
		{"Effient", antipl},
		{"Brilinta 90 mg bd", antipl},
		{"ticagrelor", antipl},
		{"dipyridamole", antipl},
		{"aspirin", antipl},
		{"Aspirin 81mg", antipl},
		{"low-dose aspirin", antipl},
		{"low dose aspirin daily", antipl},
		{"baby aspirin", antipl},
		{"ASA 81", antipl},
		{"acetylsalicylic acid", antipl},
		{"Disprin", antipl},
		{"Aggrenox", antipl},
		{"Excedrin for migraines", antipl + " " + nsaid},
		{"aspirin/dipyridamole", antipl},
		// NSAIDs.
		{"ibuprofen 400mg prn", nsaid},
		{"Advil", nsaid},
		{"motrin", nsaid},
		{"Nurofen", nsaid},
		{"naproxen", nsaid},
		{"Aleve", nsaid},
		{"diclofenac", nsaid},
		{"Voltaren gel", nsaid},
		{"Celebrex 200", nsaid},
		{"celecoxib", nsaid},
		{"meloxicam 15mg", nsaid},
		// Bleeding-risk supplements, multi-word names included.
		{"fish oil", supp},
		{"Fish Oil 1000mg", supp},
		{"omega-3", supp},
		{"omega 3 capsules", supp},
		{"omega3", supp},
		{"vitamin E", supp},
		{"Vitamin E 400 IU", supp},
		{"ginkgo biloba", supp},
		{"garlic supplements", supp},
		{"garlic tablets", supp},
		{"St John's wort", "photosensitising"},
		{"St. John's Wort", "photosensitising"},
		{"st johns wort", "photosensitising"},
		{"turmeric", supp},
		{"curcumin", supp},
		// Insulins.
		{"insulin", ins},
		{"Lantus 20 units at night", ins},
		{"insulin glargine", ins},
		{"Toujeo", ins},
		{"Basaglar", ins},
		{"Humalog", ins},
		{"lispro", ins},
		{"NovoRapid", ins},
		{"NovoLog", ins},
		{"Fiasp", ins},
		{"Levemir", ins},
		{"Tresiba", ins},
		{"NPH insulin", ins},
		{"Humulin N", ins},
		{"Novolin R", ins},
		// Other diabetes medicines.
		{"metformin 500mg bd", diab},
		{"Glucophage", diab},
		{"Ozempic", glp1},
		{"semaglutide", glp1},
		{"Wegovy", glp1},
		{"liraglutide", glp1},
		{"Mounjaro", glp1},
		{"tirzepatide", glp1},
		{"Jardiance", sglt2},
		{"dapagliflozin", sglt2},
		// Heart medicines.
		{"metoprolol", beta},
		{"bisoprolol 5mg", beta},
		{"atenolol", beta},
		{"propranolol", beta},
		{"lisinopril 10mg", ace},
		{"ramipril", ace},
		{"losartan", arb},
		{"valsartan", arb},
		{"amlodipine 5mg", ccb},
		{"diltiazem", ccb},
		{"digoxin", "cardiac_glycoside heart"},
		{"Lanoxin", "cardiac_glycoside heart"},
		{"amiodarone", "antiarrhythmic heart"},
		{"GTN spray", nitr},
		{"isosorbide mononitrate", nitr},
		{"Lipitor", statin},
		{"atorvastatin 40", statin},
		{"simvastatin", statin},
		{"rosuvastatin (Crestor)", statin},
		// Isotretinoin and immunosuppressants.
		{"Accutane", iso},
		{"Roaccutane", iso},
		{"Absorica", iso},
		{"Claravis", iso},
		{"isotretinoin 20mg", iso},
		{"methotrexate weekly", immuno},
		{"Humira", immuno},
		{"tacrolimus", immuno},
		{"prednisone 5mg", cort},
		{"prednisolone", cort},
		// Lists with every separator.
		{"Eliquis, metformin", antico + " " + diab},
		{"Eliquis; metformin", antico + " " + diab},
		{"Eliquis and metformin", antico + " " + diab},
		{"Eliquis/metformin", antico + " " + diab},
		{"Eliquis\nmetformin\nLipitor", antico + " " + diab + " " + statin},
		{"fish oil & vitamin e + turmeric", supp},
		// Negatives: nothing listed.
		{"", ""},
		{"none", ""},
		{"None.", ""},
		{"n/a", ""},
		{"-", ""},
		{"nothing", ""},
		{"paracetamol", ""},
		{"Tylenol 500mg", ""},
		{"vitamin D", ""},
		{"vitamin B12", ""},
		{"multivitamin", ""},
		{"levothyroxine 50mcg", ""},
		{"omeprazole", ""},
		{"the pill", ""},
		{"calcium", ""},
		// Negatives: lookalike words and substrings.
		{"aspirin-free", ""},
		{"aspirin free painkiller", ""},
		{"aspiring actor", ""},
		{"alive and well", ""},
		{"iodine", ""},
		{"apart from that nothing", ""},
		{"warfarinish", ""},
		{"heparinoid cream", ""},
		{"insulinoma", ""},
		{"Lipitorx5", statin}, // a dose stuck to the name is still the name
		{"plavixx", antipl},   // one extra letter
		{"oil", ""},
		{"fish", ""},
		{"vitamin", ""},
		{"e", ""},
		{"garlicky food", ""},
		// Negatives: negations that say so.
		{"no aspirin", ""},
		{"No Aspirin.", ""},
		{"not taking aspirin", ""},
		{"never taken Eliquis", ""},
		{"quit fish oil", ""},
		{"stopped ibuprofen", ""},
		{"no longer on naproxen", ""},
		// A blood thinner the patient reacted to was taken, perhaps
		// lately: it counts, as possibly stopped.
		{"allergic to aspirin", antipl},
		{"aspirin allergy", antipl},
		{"allergic to ibuprofen", ""},
		{"non-aspirin painkillers", ""},
		{"I don't take aspirin", ""},
		{"doesn’t use warfarin", ""},
		{"no aspirin, Eliquis 5mg", antico},
		// A word that says no governs its own clause only: not across a
		// colon, a dash between spaces or a bracket, nor past a dose.
		{"Nil: warfarin 5mg", antico},
		{"None - Eliquis 5mg bid", antico},
		{"None – Eliquis", antico},
		{"no: clopidogrel 75 mg", antipl},
		{"none (Xarelto 20mg)", antico},
		{"no aspirin 75mg warfarin 5mg", antico},
		{"None: bisoprolol 2.5mg", beta},
		{"Nil - Lantus 10 units", ins},
		{"got a rash on Eliquis but still taking it", antico},
		{"stopped warfarin but still on aspirin", antico + " " + antipl},
		{"stopped warfarin, started Eliquis", antico},
		// Stopped isotretinoin still counts: the course matters. So do
		// blood thinners, which only the prescriber may stop, and cancer
		// treatment, which the cancer question asks about for years.
		{"stopped Accutane in May", iso},
		{"finished Roaccutane last year", iso},
		{"no accutane", ""},
		{"aspirin - not taking", antipl},
		{"stopped warfarin", antico},
		{"warfarin stopped 2 weeks ago", antico},
		{"warfarin 5mg discontinued", antico},
		{"no longer on clopidogrel", antipl},
		{"used to take Plavix", antipl},
		{"off warfarin since March", antico},
		{"aspirin - stopped last week for this treatment", antipl},
		{"Eliquis paused by me", antico},
		{"finished tamoxifen last year", cancer},
		// Diuretics and the other heart medicines.
		{"furosemide 40mg", diur},
		{"Lasix", diur},
		{"frusemide", diur},
		{"spironolactone 25mg", diur},
		{"hydrochlorothiazide", diur},
		{"HCTZ 12.5", diur},
		{"indapamide", diur},
		{"bumetanide", diur},
		{"eplerenone", diur},
		{"bendroflumethiazide 2.5mg", diur},
		{"ivabradine", "antianginal heart"},
		{"ranolazine", "antianginal heart"},
		{"hydralazine", "heart vasodilator"},
		{"doxazosin 4mg", "alpha_blocker heart"},
		{"ezetimibe", lipid},
		{"Vascepa 2 caps bd", lipid},
		{"icosapent ethyl", lipid},
		{"Lovaza", lipid},
		// Cancer treatment.
		{"tamoxifen 20mg", cancer},
		{"letrozole", cancer},
		{"Arimidex", cancer},
		{"exemestane", cancer},
		{"capecitabine", cancer},
		{"Glivec", cancer},
		{"Ibrance", cancer},
		{"Revlimid", cancer + " " + immuno},
		// Local anaesthetics.
		{"lidocaine", anaes},
		{"EMLA cream", anaes},
		{"numbing cream", anaes},
		{"local anaesthetic cream", anaes},
		{"Ametop gel", anaes},
		{"benzocaine", anaes},
		{"Novocaine at the dentist", anaes},
		// Short forms and misspellings people write.
		{"ginko", supp},
		{"Vit E", supp},
		{"vit. E 400iu", supp},
		{"Cartia", ccb},
		{"fishoil", supp},
		{"asprin", antipl},
		{"ibuprofin", nsaid},
		// Hydrocortisone named as a cream is not the systemic steroid.
		{"hydrocortisone cream", "topical_corticosteroid"},
		{"hydrocortisone 10mg", cort},
		// Taken when needed is taken.
		{"Ibuprofen 400mg when needed", nsaid},
		// An allergy is not a medicine taken.
		{"allergic to lidocaine", ""},
		{"EMLA reaction", ""},
		{"rash after lidocaine", ""},
		{"anaphylaxis to lidocaine", ""},
		{"hydrocortisone cream for an allergic rash", "topical_corticosteroid"},
	}
	require.GreaterOrEqual(t, len(tests), 100)
	for _, tt := range tests {
		assert.Equal(t, tt.want, classesOf(lx, tt.text), "text %q", tt.text)
	}
}

func TestMatchDetails(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		text            string
		written         string
		generic         string
		how             meds.How
		negated         string
		possiblyStopped string
	}{
		{"Eliquis 5mg bid", "Eliquis", "apixaban", meds.Brand, "", ""},
		{"warfarin", "warfarin", "warfarin", meds.Exact, "", ""},
		{"warfrin", "warfrin", "warfarin", meds.Misspelling, "", ""},
		{"clopidogrl", "clopidogrl", "clopidogrel", meds.Misspelling, "", ""},
		{"St. John's Wort", "St. John's Wort", "st john's wort", meds.Exact, "", ""},
		{"take fish oil daily", "fish oil", "omega-3 fatty acids", meds.Exact, "", ""},
		{"no aspirin", "aspirin", "aspirin", meds.Exact, "no", ""},
		{"stopped warfarin", "warfarin", "warfarin", meds.Exact, "", "stopped"},
		{"stopped ibuprofen", "ibuprofen", "ibuprofen", meds.Exact, "stopped", ""},
		{"aspirin-free", "aspirin", "aspirin", meds.Exact, "free", ""},
		{"not taking aspirin", "aspirin", "aspirin", meds.Exact, "not", ""},
		// Where it cannot be told for sure, the match stands, marked.
		{"Eliquis (paused)", "Eliquis", "apixaban", meds.Brand, "", "paused"},
		{"Eliquis on hold", "Eliquis", "apixaban", meds.Brand, "", "on hold"},
		{"Eliquis; not taking", "Eliquis", "apixaban", meds.Brand, "", "not"},
		{"no change to warfarin dose", "warfarin", "warfarin", meds.Exact, "", "no"},
		{"was on warfarin until March", "warfarin", "warfarin", meds.Exact, "", "was"},
		{"stopped Accutane in May", "Accutane", "isotretinoin", meds.Brand, "", "stopped"},
		{"Humulin N 10 units", "Humulin N", "insulin isophane", meds.Brand, "", ""},
		{"no medicines except Eliquis", "Eliquis", "apixaban", meds.Brand, "", ""},
		{"nothing other than aspirin", "aspirin", "aspirin", meds.Exact, "", ""},
		{"insulin glargine", "insulin glargine", "insulin glargine", meds.Exact, "", ""},
		// Doses taken on demand are not stops.
		{"Ibuprofen 400mg when needed", "Ibuprofen", "ibuprofen", meds.Exact, "", ""},
		{"ibuprofen as needed", "ibuprofen", "ibuprofen", meds.Exact, "", ""},
		{"ibuprofen prn", "ibuprofen", "ibuprofen", meds.Exact, "", ""},
		{"ibuprofen if needed", "ibuprofen", "ibuprofen", meds.Exact, "", ""},
		{"naproxen when required", "naproxen", "naproxen", meds.Exact, "", ""},
		{"ibuprofen as and when needed", "ibuprofen", "ibuprofen", meds.Exact, "", ""},
		{"aspirin when I had a cold", "aspirin", "aspirin", meds.Exact, "", "when"},
		// A no in another clause is not about the name.
		{"Nil: warfarin 5mg", "warfarin", "warfarin", meds.Exact, "", ""},
		{"None - Eliquis 5mg bid", "Eliquis", "apixaban", meds.Brand, "", ""},
		// A reaction leaves a blood thinner counted, but unsure; still
		// taking it settles it.
		{"got a rash on Eliquis", "Eliquis", "apixaban", meds.Brand, "", "rash"},
		{"got a rash on Eliquis but still taking it", "Eliquis", "apixaban", meds.Brand, "", ""},
		{"lidocaine (hives)", "lidocaine", "lidocaine", meds.Exact, "", "hives"},
	}
	// Twice: the second time, the corrections of misspelt words are
	// the ones kept from the first.
	for _, tt := range append(tests, tests...) {
		ms := lx.Find(tt.text)
		require.Len(t, ms, 1, "text %q", tt.text)
		m := ms[0]
		assert.Equal(t, tt.written, m.Written, "text %q: written", tt.text)
		assert.Equal(t, tt.written, tt.text[m.Start:m.End], "text %q: offsets", tt.text)
		assert.Equal(t, tt.generic, m.Entry.Generic, "text %q: generic", tt.text)
		assert.Equal(t, tt.how, m.How, "text %q: how", tt.text)
		assert.Equal(t, tt.negated, m.Negated, "text %q: negated", tt.text)
		assert.Equal(t, tt.possiblyStopped, m.PossiblyStopped, "text %q: possibly stopped", tt.text)
	}
}

func TestAllergyMentions(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		text, written string
		allergy       bool
		// taken is whether it still counts: a blood thinner the patient
		// reacted to may be taken lately, and so may any medicine whose
		// reaction is told apart from its name ("lidocaine (hives)").
		taken bool
	}{
		{"allergic to lidocaine", "lidocaine", true, false},
		{"Allergy to EMLA", "EMLA", true, false},
		{"EMLA reaction", "EMLA", true, false},
		{"lidocaine cream - allergic", "lidocaine", true, false},
		{"rash after lidocaine", "lidocaine", true, false},
		{"anaphylaxis to lidocaine", "lidocaine", true, false},
		{"reacted to numbing cream", "numbing cream", true, false},
		{"aspirin allergy", "aspirin", true, true},
		{"lidocaine (hives)", "lidocaine", true, true},
		{"EMLA - swelling", "EMLA", true, true},
		{"lidocaine made my lips swell", "lidocaine", true, true},
		{"my lips swelled up with lidocaine", "lidocaine", true, true},
		{"EMLA: itchy rash", "EMLA", true, true},
		{"lidocaína me dio urticaria", "lidocaína", true, true},
		{"EMLA : gonflement", "EMLA", true, true},
		{"got a rash on Eliquis", "Eliquis", true, true},
		{"got a rash on Eliquis but still taking it", "Eliquis", true, true},
		{"no aspirin", "aspirin", false, false},
		{"stopped ibuprofen", "ibuprofen", false, false},
		{"hydrocortisone cream for an allergic rash", "hydrocortisone cream", false, true},
		{"hydrocortisone 10mg for hives", "hydrocortisone", false, true},
	}
	for _, tt := range tests {
		ms := lx.Find(tt.text)
		require.Len(t, ms, 1, "text %q", tt.text)
		assert.Equal(t, tt.written, ms[0].Written, "text %q", tt.text)
		assert.Equal(t, tt.allergy, ms[0].Allergy, "text %q: allergy", tt.text)
		assert.Equal(t, tt.taken, ms[0].Taken(), "text %q: taken", tt.text)
	}
}

// Ordinary words of a medication list never match anything.
func TestCommonWordsDoNotMatch(t *testing.T) {
	lx := lexicon(t)
	words := strings.Fields(`daily morning evening night tablet tablets capsule capsules twice weekly
		vitamin vitamins calcium magnesium probiotic multivitamin supplement supplements pressure
		cholesterol thyroid inhaler contraceptive contraception patch cream drops spray stopped taking
		tylenol paracetamol acetaminophen levothyroxine omeprazole sertraline zinc iron biotin collagen
		allergy allergies doctor prescribed unknown unsure several blood thinner thinners heart sugar
		diabetes pills water tea coffee herbal melatonin cetirizine loratadine
		below local apart iodine aspiring alive proven actor prior program vocal discover reflex placid foliate`)
	for _, w := range words {
		assert.Empty(t, lx.Find(w), "word %q", w)
	}
}

// FuzzFind checks that any text is read without panicking and that every
// match points at the text as written.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"Eliquis 5mg bid", "St. John's wort; no aspirin", "warfrin/clopidogrl\nstopped",
		"ω-3 🐟 oil", "a.b.c.", "'''", "and and and", "aspirin-free", "Lipitorx5", "st.", "e.g. fish oil"} {
		f.Add(s)
	}
	lx, err := meds.Default()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range lx.Find(text) {
			require.True(t, m.Start >= 0 && m.Start < m.End && m.End <= len(text), "%q: %d..%d", text, m.Start, m.End)
			require.Equal(t, text[m.Start:m.End], m.Written)
			require.NotNil(t, m.Entry)
		}
	})
}

// TestMatchItem: each medicine keeps the item of the list it was written
// in, as written, for a prescriber who must know the dose: from the start
// of its clause to the end of the item, a closing bracket and a dose after
// "and" included.
func TestMatchItem(t *testing.T) {
	lx := lexicon(t)
	tests := []struct{ text, written, item string }{
		{"Eliquis 5 mg twice a day", "Eliquis", "Eliquis 5 mg twice a day"},
		{"Eliquis 5 mg twice a day, bisoprolol 2.5 mg", "bisoprolol", "bisoprolol 2.5 mg"},
		{"Meds: Eliquis 5mg", "Eliquis", "Eliquis 5mg"},
		{"Eliquis 5 mg (twice a day)", "Eliquis", "Eliquis 5 mg (twice a day)"},
		{"Eliquis 5 mg (twice a day) ", "Eliquis", "Eliquis 5 mg (twice a day)"},
		{"warfarin 5mg mornings and 2.5 mg evenings", "warfarin", "warfarin 5mg mornings and 2.5 mg evenings"},
		{"warfarin 5mg and aspirin 75mg", "warfarin", "warfarin 5mg"},
		{"warfarin 5mg and aspirin 75mg", "aspirin", "aspirin 75mg"},
		{"Sintrom 4 mg; Adiro 100", "Adiro", "Adiro 100"},
		{"  Kardégic 75 mg/j  ", "Kardégic", "Kardégic 75 mg"},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range lx.Find(tt.text) {
			if m.Written == tt.written {
				got = append(got, m.Item)
			}
		}
		assert.Equal(t, []string{tt.item}, got, "text %q", tt.text)
	}
}
