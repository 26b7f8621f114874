package meds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules/meds"
)

// Medication lists written in Spanish and French: local brands, generic
// names as those languages spell them, with and without their accents,
// and the words around a name that say it is not taken, stopped, or the
// patient reacted to it.
func TestSpanishAndFrenchNames(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		text, generic, atc string
		how                meds.How
	}{
		{"Sintrom 4 mg", "acenocoumarol", "B01AA07", meds.Brand},
		{"acenocumarol", "acenocoumarol", "B01AA07", meds.Exact},
		{"Adiro 100", "aspirin", "B01AC06", meds.Brand},
		{"aspirina", "aspirin", "B01AC06", meds.Exact},
		{"ácido acetilsalicílico", "aspirin", "B01AC06", meds.Exact},
		{"acido acetilsalicilico", "aspirin", "B01AC06", meds.Exact},
		{"Kardégic 75 mg par jour", "aspirin", "B01AC06", meds.Brand},
		{"Kardegic", "aspirin", "B01AC06", meds.Brand},
		{"Karde\u0301gic", "aspirin", "B01AC06", meds.Brand}, // the accent as a combining mark
		{"Previscan", "fluindione", "B01AA12", meds.Brand},
		{"Eliquis 5 mg", "apixaban", "B01AF02", meds.Brand},
		{"apixabán", "apixaban", "B01AF02", meds.Exact},
		{"Xarelto 20", "rivaroxaban", "B01AF01", meds.Brand},
		{"Hibor", "bemiparin", "B01AB12", meds.Brand},
		{"Disgren", "triflusal", "B01AC18", meds.Brand},
		{"ibuprofeno 600", "ibuprofen", "M01AE01", meds.Exact},
		{"ibuprofène", "ibuprofen", "M01AE01", meds.Exact},
		{"Enantyum", "dexketoprofen", "M01AE17", meds.Brand},
		{"omega 3", "omega-3 fatty acids", "C10AX06", meds.Exact},
		{"oméga 3", "omega-3 fatty acids", "C10AX06", meds.Exact},
		{"aceite de pescado", "omega-3 fatty acids", "C10AX06", meds.Exact},
		{"hierba de San Juan", "st john's wort", "N06AX25", meds.Exact},
		{"millepertuis", "st john's wort", "N06AX25", meds.Exact},
		{"insulina glargina", "insulin glargine", "A10AE04", meds.Exact},
		{"Humulina NPH", "insulin isophane", "A10AC01", meds.Brand},
		{"Umuline", "insulin human", "A10AB01", meds.Brand},
		{"Seguril 40", "furosemide", "C03CA01", meds.Brand},
		{"atorvastatina 20", "atorvastatin", "C10AA05", meds.Exact},
		{"isotretinoína", "isotretinoin", "D10BA01", meds.Exact},
		{"Dacortin 30 mg", "prednisone", "H02AB07", meds.Brand},
		{"tamoxifène", "tamoxifen", "L02BA01", meds.Exact},
		// French elision: l', d' are words of their own.
		{"de l'aspirine", "aspirin", "B01AC06", meds.Exact},
		{"prise d'Eliquis", "apixaban", "B01AF02", meds.Brand},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ms := lx.Recognised(tt.text)
			require.Len(t, ms, 1, "%q", tt.text)
			assert.Equal(t, tt.generic, ms[0].Entry.Generic)
			assert.Contains(t, ms[0].Entry.ATC, tt.atc)
			assert.Equal(t, tt.how, ms[0].How)
		})
	}
}

func TestSpanishAndFrenchCues(t *testing.T) {
	lx := lexicon(t)
	tests := []struct {
		text    string
		taken   bool
		stopped bool // possibly stopped
		allergy bool
	}{
		{"sin aspirina", false, false, false},
		{"no tomo aspirina", false, false, false},
		{"pas d'ibuprofène", false, false, false},
		{"sans aspirine", false, false, false},
		// A blood thinner written as stopped is kept, marked: only the
		// prescriber may stop it.
		{"dejé el Sintrom", true, true, false},
		{"ya no tomo Sintrom", true, true, false},
		{"Sintrom suspendido", true, true, false},
		{"j'ai arrêté le Previscan", true, true, false},
		{"Previscan arrêté", true, true, false},
		{"alérgica a la lidocaína", false, false, true},
		{"allergie à la lidocaïne", false, false, true},
		{"lidocaína: alergia", false, false, true},
		{"Sintrom 4 mg al día", true, false, false},
		{"Kardégic 75 mg par jour", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ms := lx.Find(tt.text)
			require.Len(t, ms, 1)
			m := ms[0]
			assert.Equal(t, tt.taken, m.Taken(), "taken (negated by %q)", m.Negated)
			assert.Equal(t, tt.stopped, m.PossiblyStopped != "", "possibly stopped (%q)", m.PossiblyStopped)
			assert.Equal(t, tt.allergy, m.Allergy, "allergy")
		})
	}
}

func TestSpanishAndFrenchNothing(t *testing.T) {
	for _, s := range []string{"ninguno", "Ninguna.", "no tomo nada", "nada", "sin medicamentos", "aucun", "rien", "pas de médicaments", "je ne prends rien"} {
		assert.True(t, meds.SaysNothing(s), "%q says nothing is taken", s)
	}
	// Not knowing is not nothing, nor is a list with a medicine in it.
	for _, s := range []string{"no sé", "no se", "ne sais pas", "ninguno salvo Sintrom", "aucun sauf Kardégic", "sin receta, aspirina"} {
		assert.False(t, meds.SaysNothing(s), "%q is a list", s)
	}
}

// Every class has its label in Spanish and French, and the names of the
// rule set's medicines in those languages are the ones messages use.
func TestLabelsAndGenericsInEachLanguage(t *testing.T) {
	lx := lexicon(t)
	for _, c := range lx.Classes {
		for _, lang := range []string{"es", "fr"} {
			assert.NotEmpty(t, c.Labels[lang], "class %s in %s", c.ID, lang)
		}
	}
	assert.Equal(t, "anticoagulante", lx.ClassLabelIn("anticoagulant", "es"))
	assert.Equal(t, "antiagrégant plaquettaire", lx.ClassLabelIn("antiplatelet", "fr"))
	assert.Equal(t, "anticoagulante", lx.ClassLabelIn("anticoagulant", "es-MX"), "a region falls back to its language")
	assert.Equal(t, "anticoagulant", lx.ClassLabelIn("anticoagulant", "de"), "a language without labels gets English")
	ms := lx.Recognised("Sintrom")
	require.Len(t, ms, 1)
	assert.Equal(t, "acenocumarol", ms[0].Entry.GenericIn("es"))
	assert.Equal(t, "acénocoumarol", ms[0].Entry.GenericIn("fr"))
	assert.Equal(t, "acenocoumarol", ms[0].Entry.GenericIn("en"))
}
