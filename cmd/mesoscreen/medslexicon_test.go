package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lookedUp is one medicine as `meds lookup -f json` gives it.
type lookedUp struct {
	Written         string   `json:"written"`
	Generic         string   `json:"generic"`
	Classes         []string `json:"classes"`
	ATC             []string `json:"atc"`
	Counted         bool     `json:"counted"`
	NegatedBy       string   `json:"negated_by"`
	PossiblyStopped string   `json:"possibly_stopped"`
}

func lookup(t *testing.T, text string) []lookedUp {
	t.Helper()
	code, stdout, stderr := run(t, "", "meds", "lookup", "-f", "json", text)
	require.Equal(t, exitOK, code, stderr)
	var got []lookedUp
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
	return got
}

// The brands and generics that patients write and that say something the
// answers may not (isotretinoin, insulin, blood thinners, an antibiotic,
// a pregnancy supplement, St John's wort): each is read as its medicine,
// with its classes and ATC code.
func TestMedsLookupBrandsOnceMissed(t *testing.T) {
	tests := []struct {
		written, generic string
		classes          []string
		atc              string
	}{
		{"Roacután", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Roacutan", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Dercutane", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Isoacné", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Acnemin", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Mayesta", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Flexresan", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Farmacne", "isotretinoin", []string{"isotretinoin"}, "D10BA01"},
		{"Mixtard", "biphasic insulin human", []string{"insulin"}, "A10AD01"},
		{"Mixtard 30", "biphasic insulin human", []string{"insulin"}, "A10AD01"},
		{"Mixtard 30 Innolet", "biphasic insulin human", []string{"insulin"}, "A10AD01"},
		{"Xultophy", "insulin degludec with liraglutide", []string{"insulin", "glp1_agonist"}, "A10AE56"},
		{"Suliqua", "insulin glargine with lixisenatide", []string{"insulin", "glp1_agonist"}, "A10AE54"},
		{"Ryzodeg", "insulin degludec with insulin aspart", []string{"insulin"}, "A10AD06"},
		{"Tiklid", "ticlopidine", []string{"antiplatelet"}, "B01AC05"},
		{"ticlopidina", "ticlopidine", []string{"antiplatelet"}, "B01AC05"},
		{"HBPM", "low molecular weight heparin", []string{"anticoagulant", "heparin"}, "B01AB"},
		{"Orgaran", "danaparoid", []string{"anticoagulant", "heparin"}, "B01AB09"},
		{"Spifen", "ibuprofen", []string{"nsaid"}, "M01AE01"},
		{"Antarène", "ibuprofen", []string{"nsaid"}, "M01AE01"},
		{"doxycycline", "doxycycline", []string{"antibiotic"}, "J01AA02"},
		{"Tetralysal", "lymecycline", []string{"antibiotic"}, "J01AA04"},
		{"Augmentine", "co-amoxiclav", []string{"antibiotic"}, "J01CR02"},
		{"Clamoxyl", "amoxicillin", []string{"antibiotic"}, "J01CA04"},
		{"folic acid", "folic acid", []string{"prenatal"}, "B03BB01"},
		{"acide folique", "folic acid", []string{"prenatal"}, "B03BB01"},
		{"Speciafoldine", "folic acid", []string{"prenatal"}, "B03BB01"},
		{"millepertuis", "st john's wort", []string{"photosensitising"}, "N06AX25"},
		{"hierba de San Juan", "st john's wort", []string{"photosensitising"}, "N06AX25"},
	}
	for _, tt := range tests {
		t.Run(tt.written, func(t *testing.T) {
			got := lookup(t, tt.written+" 1 al día")
			require.Len(t, got, 1)
			assert.Equal(t, tt.written, got[0].Written)
			assert.Equal(t, tt.generic, got[0].Generic)
			assert.Equal(t, tt.classes, got[0].Classes)
			assert.Contains(t, got[0].ATC, tt.atc)
			assert.True(t, got[0].Counted)
			assert.Empty(t, got[0].PossiblyStopped)
		})
	}
}

// A "no" that is about how a medicine is had ("sin receta": over the
// counter) or that says it was never stopped is no cue: the patient is
// not told they stopped a blood thinner. The words
// that do say it was stopped, or not taken, still do.
func TestMedsLookupNoThatIsNotStopped(t *testing.T) {
	tests := []struct {
		text            string
		counted         bool
		negatedBy       string
		possiblyStopped string
	}{
		{text: "Kardegic sin receta", counted: true},
		{text: "ibuprofeno sin receta", counted: true},
		{text: "Adiro 100, sin prescripción", counted: true},
		{text: "Kardégic sans ordonnance", counted: true},
		{text: "ibuprofène sans ordonnance", counted: true},
		{text: "Kardégic sans interruption", counted: true},
		{text: "Kardégic sans arrêt", counted: true},
		{text: "no he dejado el Sintrom", counted: true},
		{text: "Sintrom, no lo he dejado nunca", counted: true},
		{text: "nunca he suspendido el Sintrom", counted: true},
		{text: "je n'ai pas arrêté le Previscan", counted: true},
		{text: "je ne l'ai jamais arrêté, le Previscan", counted: true},
		{text: "never stopped warfarin", counted: true},
		{text: "warfarin, haven't stopped it", counted: true},
		{text: "aspirin without a prescription", counted: true},
		// Still read as they were.
		{text: "sin Sintrom", negatedBy: "sin"},
		{text: "sans Previscan", negatedBy: "sans"},
		{text: "jamais de Previscan", negatedBy: "jamais"},
		{text: "ibuprofeno no", counted: true, possiblyStopped: "no"},
		{text: "dejé el Sintrom", counted: true, possiblyStopped: "deje"},
		{text: "j'ai arrêté le Kardégic", counted: true, possiblyStopped: "arrete"},
		{text: "Sintrom suspendido, sin receta", counted: true, possiblyStopped: "suspendido"},
		{text: "stopped warfarin", counted: true, possiblyStopped: "stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := lookup(t, tt.text)
			require.Len(t, got, 1)
			assert.Equal(t, tt.counted, got[0].Counted)
			assert.Equal(t, tt.negatedBy, got[0].NegatedBy)
			assert.Equal(t, tt.possiblyStopped, got[0].PossiblyStopped)
		})
	}
}
