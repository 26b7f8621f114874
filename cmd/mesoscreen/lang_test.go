package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/screening"
)

// The language comes from --lang, else MESOSCREEN_LANG, else LANG, and
// is the best of the rule set's: es-MX gets es. One the rule set has
// nothing close to gets English, with a warning. JSON keeps its ids and
// levels in English whatever the language, and says the language.
func TestLanguageChoice(t *testing.T) {
	intake := repoFile("examples", "healthy.json")
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		lang    string
		warning string
		config  string // the config file's text, if any
	}{
		{"default", nil, nil, "en", "", ""},
		{"--lang es", []string{"--lang", "es"}, nil, "es", "", ""},
		{"--lang es-MX", []string{"--lang", "es-MX"}, nil, "es", "", ""},
		{"--lang fr-CA", []string{"--lang", "fr-CA"}, nil, "fr", "", ""},
		{"MESOSCREEN_LANG", nil, map[string]string{"MESOSCREEN_LANG": "fr"}, "fr", "", ""},
		{"LANG", nil, map[string]string{"LANG": "es_ES.UTF-8"}, "es", "", ""},
		{"LANG with a modifier", nil, map[string]string{"LANG": "fr_BE.UTF-8@euro"}, "fr", "", ""},
		{"LANG=C", nil, map[string]string{"LANG": "C.UTF-8"}, "en", "", ""},
		{"MESOSCREEN_LANG before LANG", nil, map[string]string{"MESOSCREEN_LANG": "fr", "LANG": "es_ES.UTF-8"}, "fr", "", ""},
		{"--lang before the environment", []string{"--lang", "en"}, map[string]string{"MESOSCREEN_LANG": "es"}, "en", "", ""},
		{"a language the rule set lacks", []string{"--lang", "pt"}, nil, "en", `warning: the rule set has no texts in "pt" (from --lang); it has en, es, fr, and en is used`, ""},
		// A locale the rule set has no texts in is its own language, in
		// silence; a language asked for by name is not.
		{"LANG the rule set lacks", nil, map[string]string{"LANG": "de_DE.UTF-8"}, "en", "", ""},
		{"LC_ALL the rule set lacks", nil, map[string]string{"LC_ALL": "pt_BR.UTF-8", "LANG": "es_ES.UTF-8"}, "en", "", ""},
		{"MESOSCREEN_LANG the rule set lacks", nil, map[string]string{"MESOSCREEN_LANG": "it"}, "en", `no texts in "it" (from MESOSCREEN_LANG)`, ""},
		// LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them.
		{"LC_ALL before LC_MESSAGES and LANG", nil, map[string]string{"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "es_ES.UTF-8"}, "fr", "", ""},
		{"LC_MESSAGES before LANG", nil, map[string]string{"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "es_ES.UTF-8"}, "fr", "", ""},
		{"LC_ALL=C before LANG", nil, map[string]string{"LC_ALL": "C", "LANG": "es_ES.UTF-8"}, "en", "", ""},
		{"not a language", []string{"--lang", "no-such-thing!"}, nil, "en", `no texts in "no-such-thing!"`, ""},
		{"the config file", nil, nil, "fr", "", "lang: fr\n"},
		{"MESOSCREEN_LANG before the config file", nil, map[string]string{"MESOSCREEN_LANG": "es"}, "es", "", "lang: fr\n"},
		{"the config file before LANG", nil, map[string]string{"LANG": "es_ES.UTF-8"}, "fr", "", "lang: fr\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "-f", "jsonl"}, tt.args...)
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.config != "" {
				home := t.TempDir()
				require.NoError(t, os.MkdirAll(filepath.Join(home, "mesoscreen"), 0o700))
				require.NoError(t, os.WriteFile(filepath.Join(home, "mesoscreen", "config.yaml"), []byte(tt.config), 0o600))
				env["XDG_CONFIG_HOME"] = home
			}
			r := runMain(t, "", env, append(args, intake)...)
			require.Equal(t, exitOK, r.code, r.err)
			var res screening.Result
			require.NoError(t, json.Unmarshal([]byte(r.out), &res))
			assert.Equal(t, tt.lang, res.Lang)
			assert.Equal(t, "eligible", string(res.Verdict), "levels stay in English")
			if tt.warning == "" {
				assert.NotContains(t, r.err, "warning")
			} else {
				assert.Contains(t, r.err, tt.warning)
			}
		})
	}
}

// A Spanish clinic's form export, mapped, with Spanish answers ("Sí",
// "No sé", "Sin diabetes") and "Sintrom" in the medication lists: the
// verdicts are those the answers call for, and the messages are in
// Spanish. The JSON keeps the rule ids and levels in English.
func TestCheckSpanishExport(t *testing.T) {
	args := []string{"check", "--lang", "es", "--map", repoFile("i18n", "export-es-mapping.yaml"), repoFile("i18n", "export-es.csv")}
	r := runMain(t, "", nil, append(args, "-f", "jsonl")...)
	require.Equal(t, exitFindings, r.code, r.err)
	want := map[string]string{
		"ES-0001": "eligible",
		"ES-0002": "needs_review", // Sintrom, declared
		"ES-0003": "needs_review", // Sintrom, not declared as a blood thinner
		"ES-0004": "needs_review", // "No sé" to pregnancy: unsure, never no
		"ES-0005": "not_eligible", // insulin-treated diabetes
		"ES-0006": "needs_review", // "no sé" to diabetes, a reaction to lidocaine
		"ES-0007": "not_eligible", // "Si" to pregnancy
	}
	got := map[string]string{}
	rules := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.out), "\n") {
		var res screening.Result
		require.NoError(t, json.Unmarshal([]byte(line), &res))
		assert.Equal(t, "es", res.Lang)
		got[res.PatientID] = string(res.Verdict)
		for _, f := range res.Findings {
			rules[res.PatientID] = append(rules[res.PatientID], f.Rule)
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"blood-thinners", "medications-listed"}, rules["ES-0002"])
	assert.Contains(t, rules["ES-0003"], "meds-blood-thinner-not-declared")
	assert.Contains(t, rules["ES-0004"], screening.RuleUnsure)
	assert.Contains(t, rules["ES-0006"], "allergy-local-anaesthetic")

	r = runMain(t, "", nil, append(args, "-f", "text")...)
	golden(t, r.out, "i18n", "golden", "check-es.text.golden")
	r = runMain(t, "", nil, append(args, "-f", "json")...)
	golden(t, r.out, "i18n", "golden", "check-es.json.golden")
}

// A canonical CSV of French answers ("oui", "non", "je ne sais pas",
// "Pas de diabète"), with Kardégic and Previscan written as stopped.
func TestCheckFrench(t *testing.T) {
	args := []string{"check", "--lang", "fr", repoFile("i18n", "intakes-fr.csv")}
	r := runMain(t, "", nil, append(args, "-f", "text")...)
	require.Equal(t, exitFindings, r.code, r.err)
	golden(t, r.out, "i18n", "golden", "check-fr.text.golden")
	assert.Contains(t, r.out, "La liste des médicaments mentionne Previscan (fluindione, anticoagulant\u00a0; peut-être arrêté)")
	assert.Contains(t, r.out, "Grossesse\u00a0: ne sait pas")
	r = runMain(t, "", nil, append(args, "-f", "json")...)
	golden(t, r.out, "i18n", "golden", "check-fr.json.golden")
	r = runMain(t, "", nil, append(args, "-f", "csv")...)
	assert.Contains(t, r.out, "FR-0004,"+repoFile("i18n", "intakes-fr.csv")+":5,defer,active-infection|allergies|allergy-local-anaesthetic,")
}

// spanishLines are the answers of a patient on Sintrom, typed in Spanish:
// words, not numbers, and "no sé" to the pregnancy question.
var spanishLines = []string{
	"ES-2001", "47", "9", "celulitis",
	"no sé", "no", // pregnant: not sure, breastfeeding
	"no", "no", "no", "sí", "otro anticoagulante o antiagregante", // blood
	"no", "sin diabetes", "0",
	"no", "no", "no",
	"Sintrom 4 mg, ibuprofeno",
	"", // the review: Enter
}

// The accessible interview asks in Spanish, reads the Spanish answers,
// and ends in the verdict they call for; the saved record holds the
// canonical answers, not the words typed.
func TestInterviewAccessibleInSpanish(t *testing.T) {
	dir := t.TempDir()
	save := filepath.Join(dir, "ES-2001.json")
	s, out, errb := iostreams.Test(strings.Join(spanishLines, "\n") + "\n")
	s.Getenv = testEnv([]string{"--clinician", "Ana Ruiz"}, map[string]string{"LANG": "es_MX.UTF-8"})
	s.Now = func() time.Time { return time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC) }
	code := Main([]string{"interview", "--accessible", "--save", save, "--clinician", "Ana Ruiz"}, s)
	require.Equal(t, exitFindings, code, errb.String())
	prompts := errb.String()
	for _, want := range []string{
		"== Paciente y tratamiento ==",
		"¿Está embarazada, o podría estarlo?",
		"  3) No lo sé",
		"Escriba un número del 1 al 3: ",
		"== Revise las respuestas ==",
		"¿Está embarazada, o podría estarlo?: No lo sé",
		"¿Qué medicamentos, productos sin receta y suplementos toma?: Sintrom 4 mg, ibuprofeno",
	} {
		assert.Contains(t, prompts, want)
	}
	assert.NotContains(t, prompts, "!", "every Spanish answer was read at once")
	golden(t, out.String(), "i18n", "golden", "interview-es.golden")

	b, err := os.ReadFile(save)
	require.NoError(t, err)
	var rec screening.SavedRecord
	require.NoError(t, json.Unmarshal(b, &rec))
	assert.Equal(t, map[string]any{
		"patient_id": "ES-2001", "age": float64(47), "treatment_areas": []any{"thighs"}, "goal": "cellulite",
		"pregnant": "unsure", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no", "stroke": "no",
		"blood_thinners": "yes", "blood_thinner_name": "other", "recent_cancer": "no", "diabetes": "none",
		"heart_medications": float64(0), "active_infection": "no", "skin_condition": "no", "allergies": "no",
		"medications": "Sintrom 4 mg, ibuprofeno",
	}, rec.Answers)
	assert.Equal(t, "needs_review", string(rec.Result.Verdict))
	assert.Equal(t, "es", rec.Result.Lang)

	// The handout from that record is in Spanish without --lang: the
	// patient's language is the record's.
	for _, kind := range []string{"patient", "prescriber"} {
		path := filepath.Join(dir, kind+".html")
		r := runMain(t, "", nil, "handout", save, "-o", path, "--for", kind, "--at", "2026-03-04")
		require.Equal(t, exitOK, r.code, r.err)
		html, err := os.ReadFile(path)
		require.NoError(t, err)
		golden(t, string(html), "i18n", "golden", "handout-es-"+kind+".html.golden")
	}
	// --lang says otherwise.
	path := filepath.Join(dir, "en.html")
	r := runMain(t, "", nil, "handout", save, "-o", path, "--lang", "en", "--at", "2026-03-04")
	require.Equal(t, exitOK, r.code, r.err)
	html, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(html), `<html lang="en">`)
	assert.Contains(t, string(html), "Your mesotherapy screening")
}

// The same patient in French, through the form's French words, to the
// French handout.
func TestInterviewAccessibleInFrench(t *testing.T) {
	dir := t.TempDir()
	save := filepath.Join(dir, "FR-2001.json")
	lines := []string{
		"FR-2001", "52", "cuisses", "cellulite",
		"non", "non",
		"non", "non", "non", "oui", "un autre anticoagulant ou antiagrégant",
		"non", "pas de diabète", "0",
		"non", "non", "non",
		"Previscan 20 mg, Kardégic",
		"",
	}
	s, out, errb := iostreams.Test(strings.Join(lines, "\n") + "\n")
	s.Getenv = testEnv([]string{"--clinician", "Luc Martin"}, nil)
	s.Now = func() time.Time { return time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC) }
	code := Main([]string{"interview", "--accessible", "--lang", "fr", "--save", save, "--clinician", "Luc Martin"}, s)
	require.Equal(t, exitFindings, code, errb.String())
	assert.Contains(t, errb.String(), "Êtes-vous enceinte, ou pourriez-vous l'être\u00a0?")
	assert.NotContains(t, errb.String(), "!", "every French answer was read at once")
	golden(t, out.String(), "i18n", "golden", "interview-fr.golden")
	path := filepath.Join(dir, "patient.html")
	r := runMain(t, "", nil, "handout", save, "-o", path, "--at", "2026-03-04")
	require.Equal(t, exitOK, r.code, r.err)
	html, err := os.ReadFile(path)
	require.NoError(t, err)
	golden(t, string(html), "i18n", "golden", "handout-fr-patient.html.golden")
}

// A clinic's translations: one with a placeholder lost is not used, and
// says where; one that leaves a text untranslated is used, shows that
// text in English, and fails --strict.
func TestClinicTranslations(t *testing.T) {
	file := repoFile("i18n", "clinic", "rules.yaml")
	es := repoFile("i18n", "clinic", "i18n", "es.yaml")
	fr := repoFile("i18n", "clinic", "i18n", "fr.yaml")
	r := runMain(t, "", nil, "rules", "lint", file)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, es+":11:14: rule \"allergies\" message: the placeholders differ from the rule set's text: it lacks {answer:allergy_details}")
	assert.Contains(t, r.err, es+":12:3: warning: rules.alergias.message names rule \"alergias\", which the rule set does not have (did you mean \"allergies\"?)")
	assert.Contains(t, r.err, fr+":1:1: warning: fr: 83%, 1 text missing: rules.allergies.message")
	assert.Contains(t, r.out, fr+": loads, with warnings: fr: 83%, 1 text missing\n")
	assert.Contains(t, r.out, es+": does not load (1 error above), so es is not used")

	intake := filepath.Join(t.TempDir(), "a.csv")
	require.NoError(t, os.WriteFile(intake, []byte("patient_id,pregnant,allergies,allergy_details\nC-1,non,oui,urticaire\n"), 0o600))
	// Spanish: refused, with what is wrong; the rule set is fine in
	// English and French.
	r = runMain(t, "", nil, "--rules", file, "check", "--lang", "es", intake)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "the es translation of rule set clinic-small does not load")
	assert.Contains(t, r.err, "lacks {answer:allergy_details}")
	r = runMain(t, "", nil, "--rules", file, "check", "-f", "text", intake)
	assert.Equal(t, exitFindings, r.code, r.err)
	assert.Contains(t, r.out, `Reacted before: "urticaire"; a clinician reviews it`)
	r = runMain(t, "", nil, "--rules", file, "check", "--lang", "fr", "-f", "text", intake)
	assert.Equal(t, exitFindings, r.code, r.err)
	assert.Contains(t, r.out, "Reacted before: «\u00a0urticaire\u00a0»; a clinician reviews it", "the untranslated message in English, the program's words in French")
	assert.Contains(t, r.out, "À VALIDER")
}

func TestTemplateFHIRLang(t *testing.T) {
	r := runMain(t, "", nil, "template", "fhir", "--lang", "es")
	require.Equal(t, exitOK, r.code, r.err)
	var q map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.out), &q))
	assert.Equal(t, "es", q["language"])
	assert.Equal(t, "Evaluación previa de contraindicaciones para la mesoterapia", q["title"])
	assert.Contains(t, r.out, `"valueCode": "fr"`)
	r = runMain(t, "", map[string]string{"LANG": "fr_FR.UTF-8"}, "template", "fhir")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.out, `"language": "fr"`)
}
