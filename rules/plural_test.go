package rules_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// defaultWith is the default rule set, with its translations, with each
// of the named parameters set to n.
func defaultWith(t *testing.T, n int, params ...string) *rules.RuleSet {
	t.Helper()
	src := string(rules.DefaultSource())
	for _, p := range params {
		re := regexp.MustCompile(`(?m)^(  ` + p + `:\n    value: )\d+$`)
		require.True(t, re.MatchString(src), "parameter %s", p)
		src = re.ReplaceAllString(src, fmt.Sprintf("${1}%d", n))
	}
	rs, err := rules.Parse("default.yaml", []byte(src), rules.DefaultTranslations()...)
	require.NoError(t, err)
	return rs
}

// countingParams are the parameters that count something a text names
// after the number.
var countingParams = []string{"max_areas_per_session", "heart_medications_limit", "recent_cancer_years", "isotretinoin_wait_months", "pause_supplements_days"}

// A clinic that sets a parameter to 1 reads "in the last year", not "in
// the last 1 years", in every language; at 5, the plural.
func TestDefaultTextsAgreeWithTheirNumbers(t *testing.T) {
	type texts map[string]string // language -> text
	tests := []struct {
		n    int
		what string
		get  func(rs *rules.RuleSet) string
		want texts
	}{
		{1, "recent_cancer ask", ask("recent_cancer"), texts{
			"en": "Has the patient had cancer, or treatment for cancer, in the last year?",
			"es": "¿Ha tenido cáncer, o tratamiento contra el cáncer, en el último año?",
			"fr": "Avez-vous eu un cancer, ou un traitement contre un cancer, cette dernière année\u00a0?"}},
		{5, "recent_cancer ask", ask("recent_cancer"), texts{
			"en": "Has the patient had cancer, or treatment for cancer, in the last 5 years?",
			"es": "¿Ha tenido cáncer, o tratamiento contra el cáncer, en los últimos 5 años?",
			"fr": "Avez-vous eu un cancer, ou un traitement contre un cancer, ces 5 dernières années\u00a0?"}},
		{1, "recent_cancer label", label("recent_cancer"), texts{
			"en": "Cancer in the last year", "es": "Cáncer en el último año", "fr": "Cancer cette dernière année"}},
		{5, "recent_cancer label", label("recent_cancer"), texts{
			"en": "Cancer in the last 5 years", "es": "Cáncer en los últimos 5 años", "fr": "Cancer ces 5 dernières années"}},
		{1, "too-many-areas", message("too-many-areas"), texts{
			"en": "More than 1 area chosen; plan at most 1 area per session",
			"es": "Más de 1 zona elegida; planificar como máximo 1 zona por sesión",
			"fr": "Plus de 1 zone choisie\u00a0; prévoir au plus 1 zone par séance"}},
		{5, "too-many-areas", message("too-many-areas"), texts{
			"en": "More than 5 areas chosen; plan at most 5 areas per session",
			"es": "Más de 5 zonas elegidas; planificar como máximo 5 zonas por sesión",
			"fr": "Plus de 5 zones choisies\u00a0; prévoir au plus 5 zones par séance"}},
		{1, "heart-medications-multiple", message("heart-medications-multiple"), texts{
			"en": "Takes 1 or more medicines for heart disease; mesotherapy is not offered",
			"es": "Toma 1 o más medicamentos para el corazón; no se ofrece la mesoterapia",
			"fr": "Prend 1 médicament ou plus pour le cœur\u00a0; la mésothérapie n'est pas proposée"}},
		{5, "heart-medications-multiple", message("heart-medications-multiple"), texts{
			"en": "Takes 5 or more medicines for heart disease; mesotherapy is not offered",
			"es": "Toma 5 o más medicamentos para el corazón; no se ofrece la mesoterapia",
			"fr": "Prend 5 médicaments ou plus pour le cœur\u00a0; la mésothérapie n'est pas proposée"}},
		{1, "meds-isotretinoin", message("meds-isotretinoin"), texts{
			"en": "Lists {meds:isotretinoin}; a clinician must confirm when the course ended, as treatment usually waits until a month after it",
			"es": "La lista de medicamentos incluye {meds:isotretinoin}; un profesional debe confirmar cuándo terminó el tratamiento, ya que normalmente se espera un mes",
			"fr": "La liste des médicaments mentionne {meds:isotretinoin}\u00a0; un professionnel doit confirmer quand le traitement s'est terminé, car on attend en général un mois"}},
		{5, "meds-isotretinoin", message("meds-isotretinoin"), texts{
			"en": "Lists {meds:isotretinoin}; a clinician must confirm when the course ended, as treatment usually waits until 5 months after it",
			"es": "La lista de medicamentos incluye {meds:isotretinoin}; un profesional debe confirmar cuándo terminó el tratamiento, ya que normalmente se espera 5 meses",
			"fr": "La liste des médicaments mentionne {meds:isotretinoin}\u00a0; un professionnel doit confirmer quand le traitement s'est terminé, car on attend en général 5 mois"}},
		{1, "pause-nsaids-supplements", instruction("pause-nsaids-supplements"), texts{
			"en": "If your prescriber or the clinic's doctor agrees, stop {meds:nsaid,bleeding_supplement} a day before treatment.",
			"es": "Si el médico que se lo recetó o el médico de la clínica están de acuerdo, deje de tomar {meds:nsaid,bleeding_supplement} un día antes del tratamiento.",
			"fr": "Si le médecin qui vous les a prescrits ou le médecin de la clinique est d'accord, arrêtez la veille du traitement\u00a0: {meds:nsaid,bleeding_supplement}."}},
		{5, "pause-nsaids-supplements", instruction("pause-nsaids-supplements"), texts{
			"en": "If your prescriber or the clinic's doctor agrees, stop {meds:nsaid,bleeding_supplement} 5 days before treatment.",
			"es": "Si el médico que se lo recetó o el médico de la clínica están de acuerdo, deje de tomar {meds:nsaid,bleeding_supplement} 5 días antes del tratamiento.",
			"fr": "Si le médecin qui vous les a prescrits ou le médecin de la clinique est d'accord, arrêtez 5 jours avant le traitement\u00a0: {meds:nsaid,bleeding_supplement}."}},
		{1, "recent-cancer reason", reason("recent-cancer"), texts{
			"en": "Mesotherapy is not offered within a year of cancer or cancer treatment.",
			"es": "La mesoterapia no se ofrece en el año siguiente a un cáncer o a su tratamiento.",
			"fr": "La mésothérapie n'est pas proposée dans l'année qui suit un cancer ou son traitement."}},
		{5, "recent-cancer reason", reason("recent-cancer"), texts{
			"en": "Mesotherapy is not offered within 5 years of cancer or cancer treatment.",
			"es": "La mesoterapia no se ofrece en los 5 años siguientes a un cáncer o a su tratamiento.",
			"fr": "La mésothérapie n'est pas proposée dans les 5 ans qui suivent un cancer ou son traitement."}},
	}
	for _, tt := range tests {
		rs := defaultWith(t, tt.n, countingParams...)
		for lang, want := range tt.want {
			t.Run(fmt.Sprintf("%s at %d in %s", tt.what, tt.n, lang), func(t *testing.T) {
				rl, err := rs.In(lang)
				require.NoError(t, err)
				got := tt.get(rl)
				// The first sentence is what counts; the rest of a text
				// is held by the golden files.
				if i := strings.Index(got, ". "); i > 0 && !strings.Contains(want, ". ") {
					got = got[:i+1]
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// At 1, no text of the default rule set in any language puts a plural
// noun after the number.
func TestNoPluralAfterOne(t *testing.T) {
	rs := defaultWith(t, 1, countingParams...)
	plural := regexp.MustCompile(`\b1\s(years|areas|months|days|años|zonas|meses|días|ans|zones|mois|jours|médicaments)\b`)
	for _, lang := range rs.Languages() {
		rl, err := rs.In(lang)
		require.NoError(t, err)
		var all []string
		for _, q := range rl.Questions {
			all = append(all, q.ShortName, q.Ask, q.Help)
		}
		for _, r := range rl.Rules {
			all = append(all, r.Message, r.Rationale)
		}
		for _, l := range [][]*rules.Instruction{rl.Instructions.PreTreatment, rl.Instructions.Aftercare, rl.Instructions.Course} {
			for _, x := range l {
				all = append(all, x.Text)
			}
		}
		for _, s := range rl.Handout.Reasons {
			all = append(all, s)
		}
		for _, s := range all {
			assert.NotRegexp(t, plural, s, lang)
		}
	}
}

// A plural form that cannot be read is refused where it is written, and
// one that can is chosen by the rules of the text's language: 0 is
// singular in French, plural in English and Spanish.
func TestPluralForms(t *testing.T) {
	const head = `schema: 1
name: p
version: "1"
parameters:
  n: {value: %d, description: A count.}
  word: {value: two, description: A word.}
sections:
  - {id: s, title: S}
questions:
  - {id: q, section: s, type: yesno, ask: Q?}
rules:
  - {id: r, condition: q, level: needs_review, source: [x], message: "%s"}
`
	tests := []struct {
		n       int
		message string
		want    string // the message, or the error
	}{
		{1, "{params.n|one:a year|other:%s years}", "a year"},
		{5, "{params.n|one:a year|other:%s years}", "5 years"},
		{0, "{params.n|one:a year|other:%s years}", "0 years"},
		{21, "{params.n|one:%s year|other:%s years}", "21 years"},
		{5, "{params.n| one : a year | other : %s years }", "5 years"},
		{1, "{params.n|other:%s times}", "1 times"},
		{1, "{params.n|one:a|two:b|few:c|many:d|zero:e|other:f}", "a"},
		{5, "in {params.n}", "in 5"},
		{1, "{params.n|one:a year}", "t.yaml:12:70: {params.n|one:a year}: the plural forms lack other:, the form every number without one of its own takes"},
		{1, "{params.n|single:a|other:b}", `t.yaml:12:70: {params.n|single:a|other:b}: plural category "single" is not one of zero, one, two, few, many, other`},
		{1, "{params.n|one a|other:b}", `t.yaml:12:70: {params.n|one a|other:b}: plural form "one a" has no category; expected CATEGORY:WORDS, as one:in the last year`},
		{1, "{params.n|one:a|one:b|other:c}", `t.yaml:12:70: {params.n|one:a|one:b|other:c}: plural category "one" is given twice`},
		{1, "{params.n|one:%s %s|other:c}", `t.yaml:12:70: {params.n|one:%s %s|other:c}: plural form "one:%s %s" holds %s more than once; %s is where the number goes`},
		{1, "{params.word|one:a|other:b}", `t.yaml:12:70: {params.word|one:a|other:b}: plural forms need a whole number, and parameter "word" is "two"`},
		{1, "{params.nope|one:a|other:b}", `t.yaml:12:70: text names unknown parameter "nope"; declare it under parameters:`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s at %d", tt.message, tt.n), func(t *testing.T) {
			rs, err := rules.Parse("t.yaml", fmt.Appendf(nil, head, tt.n, tt.message))
			if strings.HasPrefix(tt.want, "t.yaml:") {
				require.Error(t, err)
				assert.Equal(t, tt.want, err.Error())
				return
			}
			require.NoError(t, err)
			r, _ := rs.Rule("r")
			assert.Equal(t, tt.want, r.Message)
		})
	}

	// The same parameter in French and Spanish: 0 and 1 are "one" in
	// French, only 1 in Spanish.
	for _, tc := range []struct {
		n      int
		es, fr string
	}{{0, "0 años", "0 an"}, {1, "1 año", "1 an"}, {2, "2 años", "2 ans"}} {
		src := fmt.Appendf(nil, head, tc.n, "{params.n|one:%s year|other:%s years}")
		rs, err := rules.Parse("t.yaml", src,
			rules.TranslationFile{Name: "i18n/es.yaml", Data: []byte("lang: es\nrules:\n  r: {message: \"{params.n|one:%s año|other:%s años}\"}\n")},
			rules.TranslationFile{Name: "i18n/fr.yaml", Data: []byte("lang: fr\nrules:\n  r: {message: \"{params.n|one:%s an|other:%s ans}\"}\n")})
		require.NoError(t, err)
		for lang, want := range map[string]string{"es": tc.es, "fr": tc.fr} {
			rl, err := rs.In(lang)
			require.NoError(t, err, lang)
			r, _ := rl.Rule("r")
			assert.Equal(t, want, r.Message, "%d in %s", tc.n, lang)
		}
	}
}

func ask(id string) func(*rules.RuleSet) string {
	return func(rs *rules.RuleSet) string { q, _ := rs.Question(id); return q.Ask }
}

func label(id string) func(*rules.RuleSet) string {
	return func(rs *rules.RuleSet) string { q, _ := rs.Question(id); return q.ShortName }
}

func message(id string) func(*rules.RuleSet) string {
	return func(rs *rules.RuleSet) string { r, _ := rs.Rule(id); return r.Message }
}

func reason(id string) func(*rules.RuleSet) string {
	return func(rs *rules.RuleSet) string { return rs.Handout.Reasons[id] }
}

func instruction(id string) func(*rules.RuleSet) string {
	return func(rs *rules.RuleSet) string {
		for _, x := range rs.Instructions.PreTreatment {
			if x.ID == id {
				return x.Text
			}
		}
		return ""
	}
}
