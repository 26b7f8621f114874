package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// DefaultLang is the language of a rule set that does not say (lang:).
const DefaultLang = "en"

// translations are the translation files of a loaded rule set, shared by
// the rule set and its localized copies.
type translations struct {
	base  string   // the language the rule set is written in
	orig  *RuleSet // the rule set in it
	files map[string]*Translation
	mu    sync.Mutex
	done  map[string]*RuleSet // the localized copies made so far
}

// BaseLang is the language the rule set is written in (its lang:, else
// English); Lang is that of this copy's texts.
func (rs *RuleSet) BaseLang() string {
	if rs.tr == nil {
		return rs.Lang
	}
	return rs.tr.base
}

// Languages lists the languages the rule set can be shown in: its own
// first, then one for each translation file, sorted.
func (rs *RuleSet) Languages() []string {
	out := []string{rs.BaseLang()}
	if rs.tr != nil {
		var more []string
		for l := range rs.tr.files {
			more = append(more, l)
		}
		slices.Sort(more)
		out = append(out, more...)
	}
	return out
}

// Translation returns the loaded translation file of a language.
func (rs *RuleSet) Translation(lang string) (*Translation, bool) {
	if rs.tr == nil {
		return nil, false
	}
	t, ok := rs.tr.files[lang]
	return t, ok
}

// Translations lists the loaded translation files, by language.
func (rs *RuleSet) Translations() []*Translation {
	var out []*Translation
	for _, l := range rs.Languages()[1:] {
		out = append(out, rs.tr.files[l])
	}
	return out
}

// TranslationSHA256 is the hex digest of the translation file this copy's
// texts come from, "" for the rule set's own language.
func (rs *RuleSet) TranslationSHA256() string {
	if t, ok := rs.Translation(rs.Lang); ok && rs.Lang != rs.BaseLang() {
		return t.SHA256
	}
	return ""
}

// In returns the rule set with its texts in language lang, one of
// Languages: its conditions, levels and ids are the same, only the words
// differ. A translation file with errors is not used: In returns them.
// The copy is made once per language and shared.
func (rs *RuleSet) In(lang string) (*RuleSet, error) {
	if lang == rs.Lang {
		return rs, nil
	}
	noSuch := fmt.Errorf("the rule set %s has no texts in %s; it has %s", rs.Name, lang, strings.Join(rs.Languages(), ", "))
	if rs.tr == nil {
		return nil, noSuch
	}
	if lang == rs.tr.base {
		return rs.tr.orig, nil
	}
	t, ok := rs.tr.files[lang]
	if !ok {
		return nil, noSuch
	}
	if errs := t.Problems.Errors(); len(errs) > 0 {
		return nil, fmt.Errorf("the %s translation of rule set %s does not load:\n%w", lang, rs.Name, errs)
	}
	rs.tr.mu.Lock()
	defer rs.tr.mu.Unlock()
	if c, ok := rs.tr.done[lang]; ok {
		return c, nil
	}
	c := localized(rs.tr.orig, lang, t.texts)
	rs.tr.done[lang] = c
	return c, nil
}

// LangMatch is the language MatchLanguage chose for a request.
type LangMatch struct {
	// Lang is the language chosen, one of the rule set's Languages.
	Lang string
	// Exact is false when the rule set has nothing close to what was
	// asked for, and its own language was chosen instead.
	Exact bool
}

// MatchLanguage picks the language of the rule set that best suits a
// requested BCP 47 tag: es-MX and es-419 get es, fr-CA gets fr, and a
// language the rule set has nothing close to gets its own language, with
// Exact false. An empty request is the rule set's own language.
func (rs *RuleSet) MatchLanguage(requested string) LangMatch {
	langs := rs.Languages()
	if strings.TrimSpace(requested) == "" {
		return LangMatch{Lang: langs[0], Exact: true}
	}
	want, err := language.Parse(strings.TrimSpace(requested))
	if err != nil {
		return LangMatch{Lang: langs[0]}
	}
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = language.Make(l)
	}
	_, i, conf := language.NewMatcher(tags).Match(want)
	if conf == language.No {
		return LangMatch{Lang: langs[0]}
	}
	return LangMatch{Lang: langs[i], Exact: true}
}

// checkLang reads the rule set's lang:, the language it is written in.
func (ld *loader) checkLang() {
	rs := ld.rs
	if rs.Lang == "" {
		rs.Lang = DefaultLang
	}
	tag, err := language.Parse(rs.Lang)
	if err != nil || !reLangFile.MatchString(rs.Lang) {
		ld.Errorf("$.lang", "lang: %q is not a language tag; expected the language the texts are written in, as en or es", rs.Lang)
		tag = language.English
	}
	rs.Lang = tag.String()
	ld.baseTag = tag
}

// loadTranslations loads the translation files of the rule set, and lets
// its choice questions be answered with their options' labels in every
// language that loads.
func (ld *loader) loadTranslations(files []TranslationFile) {
	rs := ld.rs
	tr := &translations{base: rs.Lang, orig: rs, files: map[string]*Translation{}, done: map[string]*RuleSet{}}
	rs.tr = tr
	keys, raw := ld.rawKeys, ld.rawTexts
	for _, f := range files {
		t := ld.loadTranslation(f, raw, keys)
		if prev, dup := tr.files[t.Lang]; dup {
			t.Problems = append(t.Problems, Problem{File: t.File, Severity: Error,
				Msg: fmt.Sprintf("a second translation into %s; %s is the first", t.Lang, prev.File)})
			continue
		}
		tr.files[t.Lang] = t
		if len(t.Problems.Errors()) == 0 {
			for id, terms := range t.match {
				q, _ := rs.Question(id)
				for _, term := range terms {
					// The same word in two languages ("ait", "diabet*")
					// is one term.
					key := strings.Join(MatchWords(term), " ")
					if !slices.ContainsFunc(append(slices.Clip(q.Match), q.matchLocal...), func(m string) bool { return strings.Join(MatchWords(m), " ") == key }) {
						q.matchLocal = append(q.matchLocal, term)
					}
				}
			}
		}
	}
	ld.answerLabels()
}

// answerLabels indexes, for each choice and list question, the labels of
// its options in the rule set's language and in each translation that
// loads, folded (fold.go), so that an answer may be written as its label
// in any of them ("Sin diabetes", "Cellulite", "Cuello"). A label that
// would stand for two options is not indexed: such an answer is not read,
// and so needs review. lint warns about it.
func (ld *loader) answerLabels() {
	rs := ld.rs
	for _, q := range rs.Questions {
		if len(q.Options) == 0 {
			continue
		}
		q.labels = map[string]string{}
		ambiguous := map[string]bool{}
		add := func(label, value string) {
			k := Fold(label)
			if k == "" {
				return
			}
			if v, ok := q.labels[k]; ok && v != value || q.HasOption(k) && k != value {
				ambiguous[k] = true
				return
			}
			q.labels[k] = value
		}
		for _, o := range q.Options {
			add(o.Label, o.Value)
		}
		for _, l := range rs.Languages()[1:] {
			t := rs.tr.files[l]
			if len(t.Problems.Errors()) > 0 {
				continue
			}
			for _, o := range q.Options {
				if s, ok := t.texts["questions."+q.ID+".options."+o.Value]; ok {
					add(s, o.Value)
				}
			}
		}
		for k := range ambiguous {
			delete(q.labels, k)
		}
		q.ambiguous = ambiguous
	}
}

// OptionValue reads an answer to a choice or list question: an option's
// value in any letter case, or its label in any of the rule set's
// languages, accents or none.
func (q *Question) OptionValue(s string) (string, bool) {
	v := strings.ToLower(strings.TrimSpace(s))
	if q.HasOption(v) {
		return v, true
	}
	if q.labels == nil {
		return "", false
	}
	v, ok := q.labels[Fold(s)]
	return v, ok
}

// lintLabels warns about option labels that stand for two options in the
// rule set's languages: an answer written as such a label is not read.
func lintLabels(rs *RuleSet) Problems {
	var out Problems
	for _, q := range rs.Questions {
		for _, k := range slices.Sorted(maps.Keys(q.ambiguous)) {
			out = append(out, Problem{File: rs.File, Pos: q.pos, Severity: Warning,
				Msg: fmt.Sprintf("question %q: the label %q (in one of its languages) stands for two of its options, or is another option's value; an answer written so is not read, and needs review", q.ID, k)})
		}
	}
	return out
}
