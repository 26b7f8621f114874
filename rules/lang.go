package rules

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// DefaultLang is the language of a rule set that does not say (lang:).
const DefaultLang = "en"

// translations are the translation files of a loaded rule set, shared by
// the rule set and its localized copies. A file is read when it is first
// needed, not when the rule set loads: a command in English pays nothing
// for the languages it does not use, and an answer given as a label is
// looked up in the other languages only when it is no label of the rule
// set's own.
type translations struct {
	base  string   // the language the rule set is written in
	orig  *RuleSet // the rule set in it
	files map[string]*pending
	mu    sync.Mutex
	done  map[string]*RuleSet // the localized copies made so far
	// What the translations are checked against (i18n.go).
	baseTag  language.Tag
	rawKeys  []string
	rawTexts map[string]string

	// index is made once every file is read: the labels of every
	// option in every language, by question id, and the match: terms
	// the translations add.
	index  sync.Once
	labels map[string]map[string]string
	// spelt holds, by question id and folded label, the labels as
	// written: an answer is read as a label only when written with the
	// label's accents or none (WrittenAs).
	spelt     map[string]map[string][]string
	ambiguous map[string]map[string]bool
	match     map[string][]string
}

// pending is a translation file, read and checked on first use.
type pending struct {
	file TranslationFile
	once sync.Once
	t    *Translation
	dup  string // the file of the first translation into the same language
}

// get reads and checks the file of language lang, once.
func (tr *translations) get(lang string) *Translation {
	p := tr.files[lang]
	p.once.Do(func() {
		ld := &loader{rs: tr.orig, env: tr.orig.env, baseTag: tr.baseTag}
		p.t = ld.loadTranslation(p.file, tr.rawTexts, tr.rawKeys)
		if p.dup != "" {
			p.t.Problems = append(p.t.Problems, Problem{File: p.t.File, Severity: Error,
				Msg: fmt.Sprintf("a second translation into %s; %s is the first, and this one is not used", lang, p.dup)})
		}
	})
	return p.t
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
// first, then one for each translation file, by its name, sorted.
func (rs *RuleSet) Languages() []string {
	out := []string{rs.BaseLang()}
	if rs.tr != nil {
		for _, l := range slices.Sorted(maps.Keys(rs.tr.files)) {
			if !strings.Contains(l, "#") { // a second file of one language is none
				out = append(out, l)
			}
		}
	}
	return out
}

// Translation returns the translation file of a language, read and
// checked.
func (rs *RuleSet) Translation(lang string) (*Translation, bool) {
	if rs.tr == nil || rs.tr.files[lang] == nil {
		return nil, false
	}
	return rs.tr.get(lang), true
}

// Translations lists the translation files, by language, read and
// checked.
func (rs *RuleSet) Translations() []*Translation {
	if rs.tr == nil {
		return nil
	}
	var out []*Translation
	for _, l := range slices.Sorted(maps.Keys(rs.tr.files)) {
		out = append(out, rs.tr.get(l))
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
	if rs.tr.files[lang] == nil {
		return nil, noSuch
	}
	t := rs.tr.get(lang)
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
	lang, exact := MatchLang(requested, rs.Languages())
	return LangMatch{Lang: lang, Exact: exact}
}

// MatchLang picks among langs, the first of which is the default, the
// language that best suits a requested BCP 47 tag, as
// golang.org/x/text/language matches them: es-MX and es-419 get es,
// fr-CA gets fr. A request that is no tag ("es_ES.UTF-8", "C"), or a
// language none of langs is close to, gets the default, with exact
// false; an empty one gets the default, exact. It is the one matcher of
// languages: the rule set's (MatchLanguage) and the program's own words'
// (screening/i18n.For).
func MatchLang(requested string, langs []string) (lang string, exact bool) {
	requested = strings.TrimSpace(requested)
	if requested == "" {
		return langs[0], true
	}
	want, err := language.Parse(requested)
	if err != nil {
		return langs[0], false
	}
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = language.Make(l)
	}
	_, i, conf := language.NewMatcher(tags).Match(want)
	if conf == language.No {
		return langs[0], false
	}
	return langs[i], true
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

// fileLang is the language a translation file's name says: es for
// i18n/es.yaml, pt-BR for pt_BR.yaml's... name as written when it is no
// language tag (the file then has that for an error).
func fileLang(name string) string {
	name = strings.TrimSuffix(path.Base(filepath.ToSlash(strings.TrimSuffix(name, " (embedded)"))), ".yaml")
	if tag, err := language.Parse(name); err == nil && reLangFile.MatchString(name) {
		return tag.String()
	}
	return name
}

// loadTranslations notes the translation files of the rule set, to be
// read when first needed.
func (ld *loader) loadTranslations(files []TranslationFile) {
	rs := ld.rs
	tr := &translations{base: rs.Lang, orig: rs, files: map[string]*pending{}, done: map[string]*RuleSet{},
		baseTag: ld.baseTag, rawKeys: ld.rawKeys, rawTexts: ld.rawTexts}
	rs.tr = tr
	for _, f := range files {
		lang := fileLang(f.Name)
		prev, dup := tr.files[lang]
		switch {
		case dup:
			// Both are kept apart: the second is reported, under a name
			// of its own, and never used.
			tr.files[lang+"#"+f.Name] = &pending{file: f, dup: prev.file.Name}
		case lang == rs.Lang || !reLangFile.MatchString(lang):
			// Reported when read, and no language of the rule set's.
			tr.files[lang+"#"+f.Name] = &pending{file: f}
		default:
			tr.files[lang] = &pending{file: f}
		}
	}
	for _, q := range rs.Questions {
		q.tr = tr
	}
}

// indexed reads every translation file, once, and indexes for each
// choice and list question the labels of its options in the rule set's
// language and in each translation that loads, folded (fold.go), so that
// an answer may be written as its label in any of them ("Sin diabetes",
// "Cellulite", "Cuello"), and the match: terms the translations add. A
// label that would stand for two options is not indexed: such an answer
// is not read, and so needs review; lint warns about it.
func (tr *translations) indexed() *translations {
	tr.index.Do(func() {
		rs := tr.orig
		tr.labels = map[string]map[string]string{}
		tr.spelt = map[string]map[string][]string{}
		tr.ambiguous = map[string]map[string]bool{}
		tr.match = map[string][]string{}
		var ok []*Translation
		for _, l := range rs.Languages()[1:] {
			if t := tr.get(l); len(t.Problems.Errors()) == 0 {
				ok = append(ok, t)
			}
		}
		for _, q := range rs.Questions {
			for _, t := range ok {
				for _, term := range t.match[q.ID] {
					// The same word in two languages ("ait", "diabet*")
					// is one term.
					key := strings.Join(MatchWords(term), " ")
					if !slices.ContainsFunc(append(slices.Clip(q.Match), tr.match[q.ID]...), func(m string) bool { return strings.Join(MatchWords(m), " ") == key }) {
						tr.match[q.ID] = append(tr.match[q.ID], term)
					}
				}
			}
			if len(q.Options) == 0 {
				continue
			}
			labels := map[string]string{}
			spelt := map[string][]string{}
			ambiguous := map[string]bool{}
			add := func(label, value string) {
				k := Fold(label)
				if k == "" {
					return
				}
				spelt[k] = append(spelt[k], label)
				if v, ok := labels[k]; ok && v != value || q.HasOption(k) && k != value {
					ambiguous[k] = true
					return
				}
				labels[k] = value
			}
			for _, o := range q.Options {
				add(o.Label, o.Value)
			}
			for _, t := range ok {
				for _, o := range q.Options {
					if s, ok := t.texts["questions."+q.ID+".options."+o.Value]; ok {
						add(s, o.Value)
					}
				}
			}
			for k := range ambiguous {
				delete(labels, k)
			}
			tr.labels[q.ID], tr.spelt[q.ID], tr.ambiguous[q.ID] = labels, spelt, ambiguous
		}
	})
	return tr
}

// OptionValue reads an answer to a choice or list question: an option's
// value in any letter case, or its label in any of the rule set's
// languages, with the label's accents or none (WrittenAs: an accent the
// label does not have makes another word).
func (q *Question) OptionValue(s string) (string, bool) {
	v := strings.ToLower(strings.TrimSpace(s))
	if q.HasOption(v) {
		return v, true
	}
	if q.tr == nil {
		for _, o := range q.Options {
			if o.Label != "" && WrittenAs(s, o.Label) {
				return o.Value, true
			}
		}
		return "", false
	}
	idx := q.tr.indexed()
	k := Fold(s)
	v, ok := idx.labels[q.ID][k]
	if !ok || !slices.ContainsFunc(idx.spelt[q.ID][k], func(label string) bool { return WrittenAs(s, label) }) {
		return "", false
	}
	return v, true
}

// matchLocal is the match: terms the translations add to the question's.
func (q *Question) matchLocal() []string {
	if q.tr == nil {
		return nil
	}
	return q.tr.indexed().match[q.ID]
}

// lintLabels warns about option labels that stand for two options in the
// rule set's languages: an answer written as such a label is not read.
func lintLabels(rs *RuleSet) Problems {
	var out Problems
	if rs.tr == nil {
		return nil
	}
	idx := rs.tr.indexed()
	for _, q := range rs.Questions {
		for _, k := range slices.Sorted(maps.Keys(idx.ambiguous[q.ID])) {
			out = append(out, Problem{File: rs.File, Pos: q.pos, Severity: Warning,
				Msg: fmt.Sprintf("question %q: the label %q (in one of its languages) stands for two of its options, or is another option's value; an answer written so is not read, and needs review", q.ID, k)})
		}
	}
	return out
}
