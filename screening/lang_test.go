package screening_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

func ruleSetIn(t testing.TB, lang string) *rules.RuleSet {
	t.Helper()
	rs, err := defaultRules(t).In(lang)
	require.NoError(t, err)
	return rs
}

// Answers written in Spanish and French are read as the same canonical
// answers as English ones, whatever language the rule set is shown in.
// "No sé" starts with "no" and is unsure; "si" without its accent is yes.
func TestAnswersInEachLanguage(t *testing.T) {
	rs := defaultRules(t)
	tests := []struct {
		field string
		raw   any
		state screening.State
		text  string
	}{
		{"pregnant", "sí", screening.Given, "yes"},
		{"pregnant", "Si", screening.Given, "yes"},
		{"pregnant", "oui", screening.Given, "yes"},
		{"pregnant", "No", screening.Given, "no"},
		{"pregnant", "non", screening.Given, "no"},
		{"pregnant", "no sé", screening.Unsure, "unsure"},
		{"pregnant", "No se", screening.Unsure, "unsure"},
		{"pregnant", "no estoy segura", screening.Unsure, "unsure"},
		{"pregnant", "je ne sais pas", screening.Unsure, "unsure"},
		{"pregnant", "Ne sais pas", screening.Unsure, "unsure"},
		{"pregnant", "no creo", screening.Invalid, "no creo"},
		{"pregnant", "non applicable", screening.Invalid, "non applicable"},
		// A choice as its label, in any of the rule set's languages.
		{"diabetes", "Sin diabetes", screening.Given, "none"},
		{"diabetes", "diabetes tratada con insulina", screening.Given, "insulin"},
		{"diabetes", "Diabète traité par insuline", screening.Given, "insulin"},
		{"diabetes", "Diabete traite par insuline", screening.Given, "insulin"},
		{"diabetes", "No diabetes", screening.Given, "none"},
		{"diabetes", "no sé", screening.Unsure, "unsure"},
		{"goal", "Celulitis", screening.Given, "cellulite"},
		{"goal", "Perte de poids", screening.Given, "weight_loss"},
		{"treatment_areas", "Cara;Cuello", screening.Given, "face;neck"},
		{"treatment_areas", "Cuisses|Fesses", screening.Given, "thighs;buttocks"},
		{"treatment_areas", "Cara;alas", screening.Invalid, "Cara;alas"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "es", "fr"} {
			rl, err := rs.In(lang)
			require.NoError(t, err)
			q, ok := rl.Question(tt.field)
			require.True(t, ok)
			a := screening.ParseAnswer(q, tt.raw)
			assert.Equal(t, tt.state, a.State, "%s %q read with the rule set in %s", tt.field, tt.raw, lang)
			assert.Equal(t, tt.text, a.Text(), "%s %q in %s", tt.field, tt.raw, lang)
		}
	}
}

// A Spanish-speaking patient on Sintrom who is not sure whether she is
// pregnant: the verdict and the rule ids are those of the English
// screening, the messages are in Spanish and name the medicine in
// Spanish, and the result says its language.
func TestScreeningInSpanish(t *testing.T) {
	answers := with(map[string]any{
		"pregnant": "no sé", "blood_thinners": "sí", "medications": "Sintrom 4 mg, ibuprofeno",
		"diabetes": "Sin diabetes",
	})
	en := screening.Evaluate(screening.Parse(defaultRules(t), answers), screening.Options{Keys: clinicKeys})
	es := screening.Evaluate(screening.Parse(ruleSetIn(t, "es"), answers), screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.NeedsReview, es.Verdict)
	assert.Equal(t, en.Verdict, es.Verdict)
	assert.Equal(t, ruleIDs(en), ruleIDs(es))
	assert.Equal(t, en.Instructions, es.Instructions)
	assert.Equal(t, "es", es.Lang)
	assert.Equal(t, "en", en.Lang)
	assert.NotEmpty(t, es.RuleSet.Translation, "the translation file's sha256 is named")
	assert.Equal(t, en.RuleSet.SHA256, es.RuleSet.SHA256, "the protocol is the same")
	msgs := map[string]string{}
	for _, f := range es.Findings {
		msgs[f.Rule] = f.Message
	}
	assert.Equal(t, "Embarazo: no lo sabe; un profesional debe averiguarlo antes de dar cita", msgs[screening.RuleUnsure])
	assert.Equal(t, "Toma un anticoagulante o antiagregante; la lista de medicamentos incluye Sintrom (acenocumarol, anticoagulante); el médico que lo recetó debe aprobar cualquier interrupción antes del tratamiento", msgs["blood-thinners"])
	assert.Equal(t, "La lista de medicamentos incluye ibuprofeno (AINE), lo que puede aumentar los hematomas; véase la indicación previa sobre interrumpirlos", msgs["meds-bleeding-risk-otc"])
	assert.Contains(t, es.PreTreatment, "Si el médico que se lo recetó o el médico de la clínica están de acuerdo, deje de tomar ibuprofeno (AINE) 7 días antes del tratamiento. No deje nada recetado para el corazón o la sangre sin preguntar al médico que se lo recetó.")
	b, err := json.Marshal(es)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"verdict":"needs_review"`)
	assert.Contains(t, string(b), `"lang":"es"`)
}

func TestScreeningInFrench(t *testing.T) {
	answers := with(map[string]any{
		"blood_thinners": "non", "medications": "Kardégic 75 mg, Previscan arrêté",
	})
	fr := screening.Evaluate(screening.Parse(ruleSetIn(t, "fr"), answers), screening.Options{Keys: clinicKeys})
	assert.Equal(t, rules.NeedsReview, fr.Verdict)
	msgs := map[string]string{}
	for _, f := range fr.Findings {
		msgs[f.Rule] = f.Message
	}
	assert.Equal(t, "La liste des médicaments mentionne Kardégic (acide acétylsalicylique, antiagrégant plaquettaire), mais le patient n'a pas répondu oui à la question sur les médicaments qui fluidifient le sang (a répondu\u00a0: non)\u00a0; le confirmer avec le patient, et le médecin prescripteur doit approuver toute interruption avant le traitement", msgs["meds-blood-thinner-not-declared"])
	assert.Equal(t, "La liste des médicaments mentionne Previscan (fluindione, anticoagulant\u00a0; peut-être arrêté)\u00a0; vérifier qui a approuvé l'arrêt, et quand, avant de donner rendez-vous", msgs["meds-blood-thinner-stopped"])
}

// A clearance given while the record was read in Spanish still holds
// when it is read in English and in French: it is kept in the rule set's
// own words.
func TestClearanceHoldsInEveryLanguage(t *testing.T) {
	rs := defaultRules(t)
	answers := with(map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban", "medications": "Eliquis 5 mg"})
	at := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	es := ruleSetIn(t, "es")
	a := screening.Parse(es, answers)
	res := screening.NewScreener(es, screening.Options{Keys: clinicKeys}).Evaluate(a)
	rec, err := screening.NewSavedRecord(a, res, at, "test", signerOf("Ana"))
	require.NoError(t, err)
	reviewed := screening.NewScreener(es, screening.Options{Keys: clinicKeys}).Review(&rec, at)
	f, reason, err := screening.CheckClearance(es, reviewed, "blood-thinners", "prescriber-approved-pause")
	require.NoError(t, err)
	require.NoError(t, rec.Clear(f, reason, reviewed.RuleSet, "", nil, at.Add(time.Hour), "test", signerOf("Dr Ruiz")))
	assert.Contains(t, rec.Events[1].Message, "Takes a blood thinner", "the record keeps the finding in English")
	for _, lang := range []string{"en", "es", "fr"} {
		rl, err := rs.In(lang)
		require.NoError(t, err)
		got := screening.NewScreener(rl, screening.Options{Keys: clinicKeys}).Review(&rec, at.Add(2*time.Hour))
		assert.Equal(t, rules.EligibleWithPrecautions, got.Verdict, "read in %s", lang)
		require.Len(t, got.Clearances, 1)
		assert.True(t, got.Clearances[0].Applies, "read in %s: %s", lang, got.Clearances[0].NotApplied)
	}
	fr := screening.NewScreener(ruleSetIn(t, "fr"), screening.Options{Keys: clinicKeys}).Review(&rec, at.Add(2*time.Hour))
	assert.Equal(t, "Le médecin prescripteur a approuvé l'interruption de l'anticoagulant ou de l'antiagrégant pour le traitement, et en a précisé la durée.", fr.Clearances[0].ReasonText)
}

// A finding's sources are said in the result's language: the rule set's
// by their translated names, mesoscreen's own fail-safe in the program's
// words. The Source itself keeps the ids.
func TestSourceNames(t *testing.T) {
	res := screening.Evaluate(screening.Parse(defaultRules(t), with(map[string]any{"pregnant": "unsure", "medications": "ibuprofen"})), screening.Options{Keys: clinicKeys})
	sources := map[string]string{}
	for _, f := range res.Findings {
		sources[f.Rule] = f.Source
	}
	failSafe, otc := sources[screening.RuleUnsure], sources["meds-bleeding-risk-otc"]
	require.Equal(t, "003, clinic protocol", otc)
	require.NotEmpty(t, failSafe)
	tests := []struct {
		lang, source, want string
	}{
		{"en", otc, "003, clinic protocol"},
		{"es", otc, "003, norma de la clínica"},
		{"fr", otc, "003, règle de la clinique"},
		{"en", failSafe, "mesoscreen fail-safe"},
		{"es", failSafe, "salvaguarda de mesoscreen"},
		{"fr", failSafe, "garde-fou de mesoscreen"},
		{"es", "000", "000"},
		{"es", "", ""},
		{"es", "a source the rule set does not describe", "a source the rule set does not describe"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.source, func(t *testing.T) {
			assert.Equal(t, tt.want, screening.SourceNames(tt.source, ruleSetIn(t, tt.lang), tt.lang))
		})
	}
	assert.Equal(t, "003, clinic protocol", screening.SourceNames(otc, nil, "es"), "without a rule set, its ids")
	assert.Equal(t, "salvaguarda de mesoscreen", screening.SourceNames(failSafe, nil, "es"))
}
