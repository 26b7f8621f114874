// Package i18n holds mesoscreen's own words in each language it speaks:
// the fail-safe findings, the words placeholders fill in ("and", "yes",
// "may have been stopped"), what the interview says of an answer it
// cannot read, the headings of the reports and the dates of the handout,
// and the words that answer yes, no or not sure in a file. The rule set's
// words come from the rule set and its translation files (rules/i18n.go);
// these are the program's, one catalog per language (es.yaml, fr.yaml),
// keyed by the English text. A part of the program with words that are
// its own alone, the prompter's prompts and key help, keeps them in a
// Catalog of its own, laid over a Printer.
//
// A word that is "no" in one language is never something else in
// another: the answer words of every language are read in every
// language, and a test holds them apart.
//
// # Why not golang.org/x/text/message or go-i18n
//
// The catalogs are YAML read into a map, formatted by fmt, with plurals
// chosen by golang.org/x/text/feature/plural, the CLDR rules. Putting
// Printer on golang.org/x/text/message (a catalog.Builder filled from
// the YAML, plural.Selectf for N) was tried on samples and left: to
// keep every output as it is, it would have to be worked around three
// times.
//
//   - A message.Printer writes numbers in the language's digits:
//     record 12345 is "record 12,345" in English, "12.345" in Spanish,
//     12 345 with a no-break space in French. mesoscreen's numbers are
//     record and line numbers, day counts and the bounds of an answer,
//     which must read the same in every language, in the golden files
//     and in what scripts read; every argument would have to be wrapped
//     in a fmt.Formatter that hands it back to fmt, switching off the
//     one thing message.Printer adds.
//   - plural.Selectf chooses by an argument at a position fixed when the
//     catalog is built (the re-screen finding counts with its third),
//     while N is given its count and each catalog translates the
//     singular and the plural as texts of their own. The YAML would have
//     to pair them and say which argument counts, and English, which has
//     no messages now, would need a catalog for its own plurals.
//   - A message.Printer formats a text that has no arguments ("100%"
//     becomes "100%!(NOVERB)"), where T leaves it as it is, and reads
//     ${name} in a catalog's text as a variable.
//
// What it would bring is plural forms beyond one and other (few, many),
// which x/text's rules give none of en, es and fr. N asks the same CLDR rules; a
// language that has them is the time to give N more forms, or to weigh
// x/text again.
//
// github.com/nicksnyder/go-i18n/v2 fits less well. Its messages are
// text/template with named data ({{.Count}}) under message IDs, so every
// call and every catalog text would change from fmt verbs to template
// fields, the tests that hold a translation to its verbs and find the
// texts in the code would be rewritten, and the module would take a new
// dependency, for what N already does: a plural chosen by a count, by
// the CLDR rules.
package i18n

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/mesoscreen/mesoscreen/rules"
)

//go:embed *.yaml
var files embed.FS

// catalog is one language's words, as its file holds them.
type catalog struct {
	Lang string `yaml:"lang"`
	// Name is the language's name in itself: "español".
	Name string `yaml:"name"`
	// And joins the last two items of a list: "a, b and c"; Or the last
	// two of a choice: "a, b or c".
	And string `yaml:"and"`
	Or  string `yaml:"or"`
	// Months and Weekdays name them, January and Sunday first.
	Months   []string `yaml:"months"`
	Weekdays []string `yaml:"weekdays"`
	// Date and LongDate lay a date out with {day}, {month}, {year} and
	// {weekday}; FirstDay is how the first of a month is written, where
	// it is not "1" ("1er" in French).
	Date     string `yaml:"date"`
	LongDate string `yaml:"long_date"`
	FirstDay string `yaml:"first_day"`
	// Messages translate the program's texts, keyed by the English text,
	// with the same fmt verbs.
	Messages map[string]string `yaml:"messages"`
}

type answerWords struct {
	Yes    []string `yaml:"yes"`
	No     []string `yaml:"no"`
	Unsure []string `yaml:"unsure"`
	// Hedges are words that answer nothing ("maybe"), which a mapping
	// draft reads as not sure (Hedge).
	Hedges []string `yaml:"hedges"`
}

// answersFile holds the answer words of every language; the catalogs
// are one file each, read when a language is first used, so that a run
// in English reads none but its own.
const answersFile = "answers.yaml"

// langs are the languages of the catalog files, by their names.
var langs = sync.OnceValue(func() []string {
	names, _ := files.ReadDir(".")
	var out []string
	for _, n := range names {
		if n.Name() != answersFile {
			out = append(out, strings.TrimSuffix(n.Name(), ".yaml"))
		}
	}
	return out
})

var (
	catalogMu sync.Mutex
	loaded    = map[string]*catalog{}
)

func decode(name string, v any) {
	data, err := files.ReadFile(name)
	if err == nil {
		err = yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField())
	}
	if err != nil {
		// The catalogs are embedded and tested; a build whose own files
		// do not load cannot speak at all.
		panic("i18n: " + name + ": " + err.Error())
	}
}

// catalogOf returns the catalog of language lang, read once; nil for a
// language mesoscreen does not speak.
func catalogOf(lang string) *catalog {
	if !slices.Contains(langs(), lang) {
		return nil
	}
	catalogMu.Lock()
	defer catalogMu.Unlock()
	if c, ok := loaded[lang]; ok {
		return c
	}
	var c catalog
	decode(lang+".yaml", &c)
	if c.Lang != lang {
		panic(fmt.Sprintf("i18n: %s.yaml: lang is %q", lang, c.Lang))
	}
	loaded[lang] = &c
	return &c
}

// Langs lists the languages mesoscreen speaks, English first.
func Langs() []string {
	var out []string
	for _, l := range langs() {
		if l != "en" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return append([]string{"en"}, out...)
}

// Printer says the program's words in one language. The nil Printer, and
// one for a language mesoscreen does not speak, says them in English.
type Printer struct {
	lang string
	c    *catalog
	en   *catalog
	// over are the catalogs of other parts of the program laid over c
	// (Catalog.Over), the last laid first: a text is looked up in them
	// before c.
	over []*words
}

// For returns the printer of language lang (a rule set's Lang), English
// when mesoscreen does not speak it. A language with a region (es-MX) is
// spoken as the language rules.MatchLang matches it to, the one matcher
// of languages, when there is no catalog of its own.
func For(lang string) *Printer {
	c := catalogOf(lang)
	if c == nil {
		if l, ok := rules.MatchLang(lang, Langs()); ok && lang != "" {
			c = catalogOf(l)
		}
	}
	if c == nil {
		return nil
	}
	if c.Lang == "en" {
		return &Printer{lang: "en", c: c, en: c}
	}
	return &Printer{lang: c.Lang, c: c, en: catalogOf("en")}
}

// Lang is the printer's language.
func (p *Printer) Lang() string {
	if p == nil {
		return "en"
	}
	return p.lang
}

// Name is the language's name in itself: "español", "français".
func (p *Printer) Name() string { return p.cat().Name }

func (p *Printer) cat() *catalog {
	if p == nil {
		return catalogOf("en")
	}
	return p.c
}

// T translates msg, an English text of the program, and formats it with
// args as fmt.Sprintf does. A text the catalog does not hold is said in
// English. Without args, msg is not formatted: a % in it stays.
func (p *Printer) T(msg string, args ...any) string { return p.format(msg, args) }

func (p *Printer) format(msg string, args []any) string {
	if p != nil && p.c != p.en {
		msg = p.translate(msg)
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// translate is the catalogs' text for msg: the first catalog laid over
// the printer's that holds it, else its own; msg itself if none does.
func (p *Printer) translate(msg string) string {
	for _, w := range p.over {
		if s, ok := w.Messages[msg]; ok {
			return s
		}
	}
	if s, ok := p.c.Messages[msg]; ok {
		return s
	}
	return msg
}

// N translates and formats a text that counts n things: one, the English
// text for a count the language says in the singular, or other for the
// rest, chosen by the language's plural rule (French says "1 jour" and
// "0 jour", English "0 days"). The text a catalog translates is the one
// chosen: a catalog holds both.
func (p *Printer) N(n int, one, other string, args ...any) string {
	msg := other
	if n >= 0 && plural.Cardinal.MatchPlural(language.Make(p.Lang()), n, 0, 0, 0, 0) == plural.One {
		msg = one
	}
	return p.format(msg, args)
}

// Join joins a list as a sentence does: "a", "a and b", "a, b and c".
func (p *Printer) Join(items []string) string { return p.join(items, p.cat().And) }

// JoinOr joins choices as a sentence does: "a, b or c".
func (p *Printer) JoinOr(items []string) string { return p.join(items, p.cat().Or) }

func (p *Printer) join(items []string, word string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	last := items[len(items)-1]
	if p.Lang() == "es" {
		word = spanishConjunction(word, last)
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + last
}

// spanishConjunction is "y" as "e" before the sound i ("aspirina e
// ibuprofeno"), and "o" as "u" before the sound o ("Sintrom u
// Omacor").
func spanishConjunction(word, next string) string {
	f := rules.Fold(next)
	switch {
	case word == "y" && (strings.HasPrefix(f, "i") || strings.HasPrefix(f, "hi")) && !strings.HasPrefix(f, "hia") && !strings.HasPrefix(f, "hie") && !strings.HasPrefix(f, "hio") && !strings.HasPrefix(f, "hiu"):
		return "e"
	case word == "o" && (strings.HasPrefix(f, "o") || strings.HasPrefix(f, "ho")):
		return "u"
	}
	return word
}

// Date writes a date in words: "2 March 2026", "2 de marzo de 2026".
func (p *Printer) Date(t time.Time) string { return p.date(p.cat().Date, t) }

// LongDate writes a date with its weekday: "Monday 2 March 2026",
// "lunes, 2 de marzo de 2026".
func (p *Printer) LongDate(t time.Time) string { return p.date(p.cat().LongDate, t) }

func (p *Printer) date(layout string, t time.Time) string {
	c := p.cat()
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 && c.FirstDay != "" {
		day = c.FirstDay
	}
	return strings.NewReplacer(
		"{day}", day,
		"{month}", c.Months[t.Month()-1],
		"{year}", fmt.Sprint(t.Year()),
		"{weekday}", c.Weekdays[t.Weekday()],
	).Replace(layout)
}

// Word is what a written answer to a yes/no question says.
type Word uint8

// The answer words.
const (
	Other Word = iota
	Yes
	No
	Unsure
)

var answers = sync.OnceValue(func() map[string]answerWords {
	var out map[string]answerWords
	decode(answersFile, &out)
	return out
})

// spelt is an answer word as its catalog writes it, and what it says.
type spelt struct {
	word string
	says Word
}

// answerIndex holds the answer words of every language by their folded
// form (rules.Fold), for AnswerWord to find the few a text may be, and
// then to tell by their accents (rules.WrittenAs) whether it is one.
var answerIndex = sync.OnceValue(func() map[string][]spelt {
	m := map[string][]spelt{}
	for _, l := range Langs() {
		a := answers()[l]
		for _, set := range []struct {
			words []string
			w     Word
		}{{a.Yes, Yes}, {a.No, No}, {a.Unsure, Unsure}} {
			for _, s := range set.words {
				k := rules.Fold(s)
				m[k] = append(m[k], spelt{word: s, says: set.w})
			}
		}
	}
	return m
})

// AnswerWord says what a written answer says in any of mesoscreen's
// languages: yes ("yes", "sí", "oui", "1"), no ("no", "non", "0") or not
// sure ("not sure", "no sé", "je ne sais pas"). Letter case, spaces at the
// ends and a full stop are ignored, and so are the accents a word has
// ("si" is "sí", "no se" is "no sé"); an accent it does not have is not:
// "Ño" and "Nó" are not "no" (rules.WrittenAs). Anything else, a
// sentence that starts with "no" above all, is Other.
//
// Should two words that say different things ever be written alike
// (answers_test holds the catalogs apart), a text that is both is read
// as neither, which needs review.
func AnswerWord(s string) Word {
	m := answerIndex()
	cands, ok := m[s]
	if !ok {
		cands = m[rules.Fold(s)]
	}
	says := Other
	for _, c := range cands {
		if !rules.WrittenAs(s, c.word) {
			continue
		}
		if says != Other && says != c.says {
			return Other
		}
		says = c.says
	}
	return says
}

// AnswerWordAnyAccents says what s says when the accents of both s and
// the answer words are left out, as rules.Fold compares them: "Nó" and
// "Sì" say no and yes here. It misses no word a patient or a form may
// have meant, and so is for checks that must let none through, such as a
// mapping that would read "Sì" as no; it is never how an answer is read,
// for there an accent a word does not have makes another word
// (AnswerWord).
func AnswerWordAnyAccents(s string) Word {
	says := Other
	for i, c := range answerIndex()[rules.Fold(s)] {
		if i > 0 && c.says != says {
			return Other
		}
		says = c.says
	}
	return says
}

var hedgeIndex = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range Langs() {
		for _, s := range answers()[l].Hedges {
			m[rules.Fold(s)] = true
		}
	}
	return m
})

// Hedge reports whether s, in any of mesoscreen's languages, is a hedge
// that answers nothing ("maybe", "no idea", "?"), as AnswerWord folds
// it. Screening reads a hedge as no answer; a mapping drafted from a
// form's export proposes not sure for it, for the clinic to confirm.
func Hedge(s string) bool { return hedgeIndex()[rules.Fold(s)] }

// AnswerWords lists the words of language lang that say w, as its catalog
// writes them.
func AnswerWords(lang string, w Word) []string {
	a := answers()[lang]
	switch w {
	case Yes:
		return a.Yes
	case No:
		return a.No
	case Unsure:
		return a.Unsure
	}
	return nil
}

// Expected says what answers question q takes, in the printer's language,
// for a message about an answer that is not one: q.Expected in English;
// in another language the options by their labels, which a file may use
// too.
func (p *Printer) Expected(q *rules.Question) string {
	if p.Lang() == "en" {
		return q.Expected()
	}
	labels := func() []string {
		out := make([]string, len(q.Options))
		for i, o := range q.Options {
			out[i] = q.Label(o.Value)
		}
		return out
	}
	switch q.Type {
	case rules.YesNo:
		return p.T("yes, no or unsure")
	case rules.Choice:
		ls := labels()
		if q.AllowsUnsure() {
			ls = append(ls, p.T("Not sure"))
		}
		return p.T("one of: %s", p.JoinOr(ls))
	case rules.Integer:
		return p.T("a whole number from %d to %d", q.MinValue(), q.MaxValue())
	case rules.List:
		return p.T("one or more of: %s", p.Join(labels()))
	}
	return p.T("text")
}
