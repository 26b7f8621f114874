package rules_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// The default rule set is translated whole into Spanish and French: lint
// reports 100% for both, and no problem in either file.
func TestDefaultTranslationsCoverEverything(t *testing.T) {
	rs, ps := rules.Lint(rules.DefaultFile, rules.DefaultSource(), rules.DefaultTranslations()...)
	require.NotNil(t, rs)
	assert.Empty(t, ps, "lint of the default rule set and its translations")
	assert.Equal(t, []string{"en", "es", "fr"}, rs.Languages())
	for _, tr := range rs.Translations() {
		assert.Equal(t, 100, tr.Coverage(), tr.Lang)
		assert.Empty(t, tr.Missing, tr.Lang)
		assert.Greater(t, tr.Total, 250, "every text of the rule set is counted")
		assert.Equal(t, tr.Lang+": 100%, every one of 298 texts translated", tr.CoverageText())
	}
}

const small = `schema: 1
name: small
version: "1"
parameters:
  min_age: {value: 18, description: Youngest age.}
sections:
  - {id: about, title: About you}
questions:
  - {id: age, section: about, type: integer, min: 0, max: 120, required: true, ask: "Age?", help: "From {params.min_age}."}
  - {id: areas, section: about, type: list, required: true, ask: Areas?, options: [{value: face, label: Face}, {value: neck, label: Neck}]}
  - {id: allergies, section: about, type: yesno, required: true, ask: Allergies?}
  - {id: allergy_details, section: about, type: text, when: allergies, ask: Which?}
rules:
  - {id: minor, condition: age < params.min_age, level: not_eligible, message: "Under {params.min_age}", source: [x]}
  - {id: many, condition: size(areas) > 1, level: eligible_with_precautions, message: "Two areas", source: [x]}
  - {id: allergies, condition: allergies, level: needs_review, message: "Allergic{answer:allergy_details|: %s}", source: [x]}
`

func translation(name, body string) rules.TranslationFile {
	return rules.TranslationFile{Name: "clinic/i18n/" + name, Data: []byte(body)}
}

func lintWith(t *testing.T, files ...rules.TranslationFile) (*rules.RuleSet, []string) {
	t.Helper()
	rs, ps := rules.Lint("clinic/rules.yaml", []byte(small), files...)
	require.NotNil(t, rs, "%v", ps)
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return rs, out
}

func TestTranslationProblems(t *testing.T) {
	full := `lang: es
sections: {about: {title: Sobre usted}}
questions:
  age: {ask: ¿Edad?, help: "Desde {params.min_age}."}
  areas: {ask: ¿Zonas?, options: {face: Cara, neck: Cuello}}
  allergies: {ask: ¿Alergias?}
  allergy_details: {ask: ¿Cuáles?}
rules:
  minor: {message: "Menor de {params.min_age}"}
  many: {message: Dos zonas}
  allergies: {message: "Alérgico{answer:allergy_details|: %s}"}
`
	tests := []struct {
		name string
		file rules.TranslationFile
		want []string // problems, in order; "" for none
		used bool     // the language can be used
	}{
		{"complete", translation("es.yaml", full), nil, true},
		{"a text left out", translation("es.yaml", strings.Replace(full, "  allergy_details: {ask: ¿Cuáles?}\n", "", 1)),
			[]string{"clinic/i18n/es.yaml:1:1: warning: es: 90%, 1 text missing: questions.allergy_details.ask; they are shown as the rule set writes them"}, true},
		{"a placeholder lost", translation("es.yaml", strings.Replace(full, `"Alérgico{answer:allergy_details|: %s}"`, "Alérgico", 1)),
			[]string{`clinic/i18n/es.yaml:11:24: rule "allergies" message: the placeholders differ from the rule set's text: it lacks {answer:allergy_details}; a translation names what the original names`}, false},
		{"a parameter named wrong", translation("es.yaml", strings.Replace(full, "Menor de {params.min_age}", "Menor de {params.min_agee}", 1)),
			[]string{`clinic/i18n/es.yaml:9:20: rule "minor" message: the placeholders differ from the rule set's text: it lacks {params.min_age}; it adds {params.min_agee}; a translation names what the original names`}, false},
		{"a malformed placeholder", translation("es.yaml", strings.Replace(full, `|: %s}`, `|: %s %s}`, 1)),
			[]string{`clinic/i18n/es.yaml:11:24: rule "allergies" message: placeholder "{answer:allergy_details|: %s %s}": the text after | must hold %s exactly once, where the answer goes`}, false},
		{"a question the rule set does not ask", translation("es.yaml", strings.Replace(full, "rules:\n", "  agee: {ask: ¿Edad?}\nrules:\n", 1)),
			[]string{`clinic/i18n/es.yaml:8:3: warning: questions.agee.ask names question "agee", which the rule set does not have (did you mean "age"?)`}, true},
		{"an option the question does not have", translation("es.yaml", strings.Replace(full, "neck: Cuello", "neck: Cuello, nek: Cuelo", 1)),
			[]string{`clinic/i18n/es.yaml:5:61: warning: questions.areas.options.nek names option "nek" of question "areas", which has no such option (did you mean "neck"?)`}, true},
		{"a text the rule set has none of", translation("es.yaml", strings.Replace(full, "allergies: {ask: ¿Alergias?}", "allergies: {ask: ¿Alergias?, help: Cualquiera.}", 1)),
			[]string{`clinic/i18n/es.yaml:6:32: warning: questions.allergies.help names no text of the rule set (it has none there to translate)`}, true},
		{"an unknown key", translation("es.yaml", strings.Replace(full, "rules:", "rulez:", 1)),
			[]string{`clinic/i18n/es.yaml:8:1: unknown field "rulez"`}, false},
		{"a parameter translated", translation("es.yaml", full+"parameters:\n  min_age: {}\n"),
			[]string{`clinic/i18n/es.yaml:13:3: parameters are numbers of the protocol, the same in every language; translate the texts that name {params.min_age} instead`}, false},
		{"lang: not the file's", translation("es.yaml", strings.Replace(full, "lang: es", "lang: fr", 1)),
			[]string{`clinic/i18n/es.yaml:1:7: lang: is "fr" but the file is es.yaml; a translation file is named for its language`}, false},
		{"the rule set's own language", translation("en.yaml", strings.Replace(full, "lang: es", "lang: en", 1)),
			[]string{`clinic/i18n/en.yaml:1:7: the rule set is written in en already; a translation file is for another language`}, true /* English is the rule set's own */},
		{"a file name that is no language", translation("spanish-copy.yaml", full),
			[]string{`clinic/i18n/spanish-copy.yaml:1:1: the file name "spanish-copy.yaml" is not a language tag; name a translation file for its language, as es.yaml or pt-BR.yaml`}, true /* no language: English */},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, got := lintWith(t, tt.file)
			assert.Equal(t, tt.want, got)
			if tt.name == "the rule set's own language" || tt.name == "a file name that is no language" {
				assert.Equal(t, []string{"en"}, rs.Languages(), "a file that is no translation gives no language")
			}
			lang := rs.Languages()[len(rs.Languages())-1]
			_, err := rs.In(lang)
			assert.Equal(t, tt.used, err == nil, "%s usable: %v", lang, err)
			// Whatever the translation, the rule set loads, and so does
			// its own language.
			_, err = rules.Parse("clinic/rules.yaml", []byte(small), tt.file)
			assert.NoError(t, err)
			_, err = rs.In("en")
			assert.NoError(t, err)
		})
	}
}

func TestLocalizedCopy(t *testing.T) {
	rs, err := rules.Parse("clinic/rules.yaml", []byte(small), translation("es.yaml", `lang: es
questions:
  age: {ask: ¿Edad?, help: "Desde {params.min_age}."}
  areas: {options: {face: Cara}}
rules:
  minor: {message: "Menor de {params.min_age}"}
`))
	require.NoError(t, err)
	es, err := rs.In("es")
	require.NoError(t, err)
	again, err := rs.In("es")
	require.NoError(t, err)
	assert.Same(t, es, again, "the copy is made once")
	back, err := es.In("en")
	require.NoError(t, err)
	assert.Same(t, rs, back)

	age, _ := es.Question("age")
	assert.Equal(t, "¿Edad?", age.Ask)
	assert.Equal(t, "Desde 18.", age.Help, "the parameter's value is written in")
	areas, _ := es.Question("areas")
	assert.Equal(t, "Cara", areas.Label("face"))
	assert.Equal(t, "Neck", areas.Label("neck"), "a label left out stays as the rule set writes it")
	minor, _ := es.Rule("minor")
	assert.Equal(t, "Menor de 18", minor.Message)
	allergies, _ := es.Rule("allergies")
	assert.Equal(t, "Allergic{answer:allergy_details|: %s}", allergies.Message)
	assert.Same(t, minor.Cond(), func() *rules.Condition { r, _ := rs.Rule("minor"); return r.Cond() }(), "the conditions are the rule set's")
	// The rule set itself is untouched.
	enAge, _ := rs.Question("age")
	assert.Equal(t, "Age?", enAge.Ask)
	assert.Equal(t, "es", es.Lang)
	assert.Equal(t, "en", es.BaseLang())
	assert.NotEmpty(t, es.TranslationSHA256())
	assert.Empty(t, rs.TranslationSHA256())

	_, err = rs.In("fr")
	assert.EqualError(t, err, "the rule set small has no texts in fr; it has en, es")
}

func TestMatchLanguage(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tests := []struct {
		req, lang string
		exact     bool
	}{
		{"", "en", true}, {"en", "en", true}, {"en-GB", "en", true}, {"es", "es", true}, {"es-MX", "es", true},
		{"es-419", "es", true}, {"fr-CA", "fr", true}, {"fr-BE", "fr", true},
		{"pt-BR", "en", false}, {"de", "en", false}, {"zz", "en", false}, {"not a tag", "en", false},
	}
	for _, tt := range tests {
		m := rs.MatchLanguage(tt.req)
		assert.Equal(t, tt.lang, m.Lang, "%q", tt.req)
		assert.Equal(t, tt.exact, m.Exact, "%q", tt.req)
	}
}

// An option may be answered with its label in any of the rule set's
// languages, but never with a label that stands for two options.
func TestOptionLabelsInEveryLanguage(t *testing.T) {
	rs, ps := lintWith(t, translation("es.yaml", `lang: es
questions:
  areas: {options: {face: Cara, neck: Cara}}
`), translation("fr.yaml", `lang: fr
questions:
  areas: {options: {face: Visage, neck: Cou}}
`))
	assert.Contains(t, ps, `clinic/rules.yaml:10:6: warning: question "areas": the label "cara" (in one of its languages) stands for two of its options, or is another option's value; an answer written so is not read, and needs review`)
	q, _ := rs.Question("areas")
	for in, want := range map[string]string{"face": "face", "FACE": "face", "Face": "face", "Visage": "face", "cou": "neck", "Neck": "neck"} {
		v, ok := q.OptionValue(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, v, in)
	}
	_, ok := q.OptionValue("Cara")
	assert.False(t, ok, "an ambiguous label is read as nothing")

	// Read by many at once, as a batch does: the files are read once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := q.OptionValue("Visage")
			assert.Equal(t, "face", v)
			_, err := rs.In("fr")
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
}

// An option's label is read with its own accents or none, in any of the
// rule set's languages; an accent it does not have makes another word
// ("Ño diabetes" is not "No diabetes"), and is read as nothing.
func TestOptionLabelsAccents(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	diabetes, _ := rs.Question("diabetes")
	areas, _ := rs.Question("treatment_areas")
	for _, tt := range []struct {
		q    *rules.Question
		in   string
		want string // "" when it is no answer
	}{
		{diabetes, "No diabetes", "none"}, {diabetes, "no diabetes.", "none"}, {diabetes, "Sin diabetes", "none"},
		{diabetes, "Ño diabetes", ""}, {diabetes, "Nó diabetes", ""}, {diabetes, "Sín diabetes", ""},
		{diabetes, "Diabetes tratada con insulina", "insulin"}, {diabetes, "Diabétes tratada con insulina", ""},
		{areas, "Glúteos", "buttocks"}, {areas, "gluteos", "buttocks"}, {areas, "Glúteós", ""}, {areas, "Cuéllo", ""},
	} {
		v, ok := tt.q.OptionValue(tt.in)
		assert.Equal(t, tt.want != "", ok, "%q", tt.in)
		assert.Equal(t, tt.want, v, "%q", tt.in)
	}
}
