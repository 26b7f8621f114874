package rules

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// A rule set's texts in another language live beside it, one file per
// language: i18n/es.yaml, i18n/fr.yaml next to the rule-set file, keyed by
// the rule set's own ids (texts.go). They hold words only: the questions,
// rules and conditions are the rule set's, so a translation cannot change
// a verdict. A text the file does not translate is shown as the rule set
// writes it.

//go:embed i18n/*.yaml
var defaultI18n embed.FS

// TranslationDir is the folder, beside a rule-set file, that holds its
// translation files, one <language>.yaml each.
const TranslationDir = "i18n"

// TranslationFile is one translation file as read: its name, for
// messages, and its bytes.
type TranslationFile struct {
	Name string
	Data []byte
	// Err is why the file could not be read; the translation then has it
	// as its one problem.
	Err error
}

// DefaultTranslations returns the translation files of the embedded rule
// set, for clinics that start their own protocol from it.
func DefaultTranslations() []TranslationFile {
	names, _ := fs.Glob(defaultI18n, "i18n/*.yaml")
	out := make([]TranslationFile, 0, len(names))
	for _, n := range names {
		data, _ := defaultI18n.ReadFile(n)
		out = append(out, TranslationFile{Name: n + " (embedded)", Data: data})
	}
	return out
}

// ReadTranslations reads the translation files beside the rule-set file at
// rulesPath: TranslationDir/*.yaml. A rule set without that folder has
// none. A file that cannot be read comes with its Err.
func ReadTranslations(rulesPath string) []TranslationFile {
	dir := filepath.Join(filepath.Dir(rulesPath), TranslationDir)
	names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	sort.Strings(names)
	var out []TranslationFile
	for _, n := range names {
		data, err := ReadFile(n, TranslationFileKind)
		var pe *fs.PathError
		if errors.As(err, &pe) && errors.Is(pe.Err, os.ErrNotExist) {
			continue // gone since the folder was listed
		}
		out = append(out, TranslationFile{Name: n, Data: data, Err: err})
	}
	return out
}

// translation is a translation file as it decodes.
type translation struct {
	Lang             string                    `yaml:"lang"`
	Title            string                    `yaml:"title"`
	Description      string                    `yaml:"description"`
	Sources          map[string]string         `yaml:"sources"`
	SourceNames      map[string]string         `yaml:"source_names"`
	Sections         map[string]*sectionText   `yaml:"sections"`
	Questions        map[string]*questionText  `yaml:"questions"`
	Rules            map[string]*ruleText      `yaml:"rules"`
	Instructions     map[string]string         `yaml:"instructions"`
	ClearanceReasons map[string]string         `yaml:"clearance_reasons"`
	Handout          *handoutText              `yaml:"handout"`
	Parameters       map[string]*parameterText `yaml:"parameters"`
}

type sectionText struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
}

type questionText struct {
	Label   string            `yaml:"label"`
	Ask     string            `yaml:"ask"`
	Help    string            `yaml:"help"`
	Options map[string]string `yaml:"options"`
	// Match are the words a form export's header in this language holds
	// for the question (the question's match:, match.go); they are added
	// to the rule set's own, as an export may be in any language.
	Match []string `yaml:"match"`
}

type ruleText struct {
	Message   string `yaml:"message"`
	Rationale string `yaml:"rationale"`
}

// parameterText is refused with a message: a parameter is a number of the
// protocol, the same in every language.
type parameterText struct{}

type handoutText struct {
	Title       string            `yaml:"title"`
	Labels      map[string]string `yaml:"labels"`
	Verdicts    map[string]string `yaml:"verdicts"`
	NextSteps   map[string]string `yaml:"next_steps"`
	Reasons     map[string]string `yaml:"reasons"`
	Steps       map[string]string `yaml:"steps"`
	Unsure      map[string]string `yaml:"unsure"`
	UnsureSteps map[string]string `yaml:"unsure_steps"`
	WhenToCall  []string          `yaml:"when_to_call"`
	Letter      *letterText       `yaml:"letter"`
}

type letterText struct {
	Title   string                     `yaml:"title"`
	Intro   string                     `yaml:"intro"`
	Closing string                     `yaml:"closing"`
	Labels  map[string]string          `yaml:"labels"`
	Rules   map[string]*letterRuleText `yaml:"rules"`
}

type letterRuleText struct {
	Ask     string   `yaml:"ask"`
	Replies []string `yaml:"replies"`
}

// texts flattens the file into its texts by key, the keys of eachText.
func (t *translation) texts() map[string]string {
	out := map[string]string{}
	put := func(key, s string) {
		if strings.TrimSpace(s) != "" {
			out[key] = s
		}
	}
	put("title", t.Title)
	put("description", t.Description)
	for id, s := range t.Sources {
		put("sources."+id, s)
	}
	for id, s := range t.SourceNames {
		put("source_names."+id, s)
	}
	for id, s := range t.Sections {
		if s != nil {
			put("sections."+id+".title", s.Title)
			put("sections."+id+".description", s.Description)
		}
	}
	for id, q := range t.Questions {
		if q == nil {
			continue
		}
		p := "questions." + id
		put(p+".label", q.Label)
		put(p+".ask", q.Ask)
		put(p+".help", q.Help)
		for v, s := range q.Options {
			put(p+".options."+v, s)
		}
	}
	for id, r := range t.Rules {
		if r != nil {
			put("rules."+id+".message", r.Message)
			put("rules."+id+".rationale", r.Rationale)
		}
	}
	for id, s := range t.Instructions {
		put("instructions."+id, s)
	}
	for id, s := range t.ClearanceReasons {
		put("clearance_reasons."+id, s)
	}
	if h := t.Handout; h != nil {
		put("handout.title", h.Title)
		for _, m := range []struct {
			p string
			m map[string]string
		}{{"labels", h.Labels}, {"verdicts", h.Verdicts}, {"next_steps", h.NextSteps}, {"reasons", h.Reasons},
			{"steps", h.Steps}, {"unsure", h.Unsure}, {"unsure_steps", h.UnsureSteps}} {
			for k, s := range m.m {
				put("handout."+m.p+"."+k, s)
			}
		}
		for i, s := range h.WhenToCall {
			put(fmt.Sprintf("handout.when_to_call[%d]", i), s)
		}
		if lt := h.Letter; lt != nil {
			put("handout.letter.title", lt.Title)
			put("handout.letter.intro", lt.Intro)
			put("handout.letter.closing", lt.Closing)
			for k, s := range lt.Labels {
				put("handout.letter.labels."+k, s)
			}
			for id, r := range lt.Rules {
				if r == nil {
					continue
				}
				p := "handout.letter.rules." + id
				put(p+".ask", r.Ask)
				for i, s := range r.Replies {
					put(fmt.Sprintf("%s.replies[%d]", p, i), s)
				}
			}
		}
	}
	return out
}

// Translation is a loaded translation file: the texts of the rule set in
// one language, and what is wrong with them.
type Translation struct {
	// Lang is the language, as its file names it (es, fr, pt-BR).
	Lang string
	// File is the name the file was read from; SHA256 the hex digest of
	// its bytes.
	File, SHA256 string
	// Problems are the file's errors and warnings, in file order. A file
	// with errors is not used: asking for its language is an error.
	Problems Problems
	// Total counts the rule set's texts, Missing lists the keys of those
	// the file does not translate, in rule-set order.
	Total   int
	Missing []string

	texts map[string]string   // by key, the parameters' values filled in
	match map[string][]string // match: terms, by question id
}

// Coverage is the share of the rule set's texts the file translates, in
// whole percent, rounded down: 100 only when none is missing.
func (t *Translation) Coverage() int {
	if t.Total == 0 {
		return 100
	}
	return (t.Total - len(t.Missing)) * 100 / t.Total
}

// CoverageText says the coverage as lint does: "es: 96%, 3 texts
// missing".
func (t *Translation) CoverageText() string {
	switch n := len(t.Missing); n {
	case 0:
		return fmt.Sprintf("%s: %d%%, every one of %d texts translated", t.Lang, t.Coverage(), t.Total)
	case 1:
		return fmt.Sprintf("%s: %d%%, 1 text missing", t.Lang, t.Coverage())
	default:
		return fmt.Sprintf("%s: %d%%, %d texts missing", t.Lang, t.Coverage(), n)
	}
}

var reLangFile = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// loadTranslation reads one translation file of the loaded rule set. Its
// problems are its own: a broken translation leaves the rule set, and
// every other language, as they are.
func (ld *loader) loadTranslation(tf TranslationFile, raw map[string]string, keys []string) *Translation {
	rs := ld.rs
	// This loader writes nothing into the rule set: it may run while
	// others screen with it.
	name := strings.TrimSuffix(path.Base(filepath.ToSlash(strings.TrimSuffix(tf.Name, " (embedded)"))), ".yaml")
	sum := sha256.Sum256(tf.Data)
	out := &Translation{Lang: name, File: tf.Name, SHA256: hex.EncodeToString(sum[:]), Total: len(keys)}
	if tf.Err != nil {
		var ps Problems
		if errors.As(tf.Err, &ps) {
			out.Problems = ps
		} else {
			out.Problems = Problems{{File: tf.Name, Severity: Error, Msg: fmt.Sprintf("cannot read: %v", tf.Err)}}
		}
		return out
	}
	pos, err := IndexYAMLKind(tf.Name, tf.Data, TranslationFileKind)
	if err != nil {
		out.Problems = err.(Problems)
		return out
	}
	tl := &loader{Positions: pos, rs: rs, env: rs.env}
	var t translation
	if ps := tl.Decode(tf.Data, &t); ps != nil {
		out.Problems = ps
		return out
	}
	tag, err := language.Parse(name)
	switch {
	case !reLangFile.MatchString(name) || err != nil:
		tl.Errorf("$", "the file name %q is not a language tag; name a translation file for its language, as es.yaml or pt-BR.yaml", name+".yaml")
	case t.Lang == "":
		tl.Errorf("$", "the translation has no lang:; add lang: %s to the top of the file", name)
	case !strings.EqualFold(t.Lang, name):
		tl.Errorf("$.lang", "lang: is %q but the file is %s.yaml; a translation file is named for its language", t.Lang, name)
	case tag.String() == ld.baseTag.String():
		tl.Errorf("$.lang", "the rule set is written in %s already; a translation file is for another language", tag)
	}
	if err == nil {
		out.Lang = tag.String()
	}
	out.match = map[string][]string{}
	for id, q := range t.Questions {
		if q == nil || len(q.Match) == 0 {
			continue
		}
		if _, ok := rs.Question(id); ok {
			out.match[id] = q.Match
		}
	}
	for name := range t.Parameters {
		tl.Errorf("$.parameters."+name+"#key", "parameters are numbers of the protocol, the same in every language; translate the texts that name {params.%s} instead", name)
	}
	texts := t.texts()
	known := map[string]bool{}
	for _, k := range keys {
		known[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(texts)) {
		p := "$." + k
		if !known[k] {
			msg, at := ld.unknownText(k)
			tl.Warnf(at, "%s", msg)
			delete(texts, k)
			continue
		}
		s := texts[k]
		if err := checkTranslatedPlaceholders(k, raw[k], s); err != "" {
			tl.Errorf(p, "%s: %s", textName(k), err)
			continue
		}
		texts[k] = tl.expandTranslated(p, s, tag)
	}
	for _, k := range keys {
		if _, ok := texts[k]; !ok {
			out.Missing = append(out.Missing, k)
		}
	}
	if n := len(out.Missing); n > 0 {
		list := out.Missing
		more := ""
		if len(list) > 5 {
			list, more = list[:5], fmt.Sprintf(" and %d more", n-5)
		}
		tl.Warnf("$", "%s: %s%s; they are shown as the rule set writes them", out.CoverageText(), strings.Join(list, ", "), more)
	}
	out.texts = texts
	out.Problems = tl.Sorted()
	return out
}

// textName names the text of a key in a message: rule "minor" message,
// question "age" ask.
func textName(key string) string {
	parts := strings.Split(key, ".")
	switch {
	case len(parts) == 3 && (parts[0] == "questions" || parts[0] == "rules" || parts[0] == "sections"):
		return fmt.Sprintf("%s %q %s", strings.TrimSuffix(parts[0], "s"), parts[1], parts[2])
	case len(parts) == 4 && parts[0] == "questions":
		return fmt.Sprintf("question %q option %s", parts[1], parts[3])
	case len(parts) == 2 && parts[0] == "instructions":
		return fmt.Sprintf("instruction %q", parts[1])
	case len(parts) == 2 && parts[0] == "clearance_reasons":
		return fmt.Sprintf("clearance reason %q", parts[1])
	}
	return key
}

// unknownText says what a translated key names that the rule set does
// not have, with a suggestion, and the path of what to point at: the id
// the rule set lacks, or the key of the text.
func (ld *loader) unknownText(key string) (string, string) {
	rs := ld.rs
	parts := strings.SplitN(key, ".", 3)
	if len(parts) >= 2 {
		id := strings.SplitN(parts[1], "[", 2)[0]
		var ids []string
		what := ""
		switch parts[0] {
		case "questions":
			what = "question"
			for _, q := range rs.Questions {
				ids = append(ids, q.ID)
			}
			if q, ok := rs.Question(id); ok && len(parts) == 3 && strings.HasPrefix(parts[2], "options.") {
				v := strings.TrimPrefix(parts[2], "options.")
				if !q.HasOption(v) {
					return fmt.Sprintf("%s names option %q of question %q, which has no such option%s", key, v, id, didYouMean(v, q.OptionValues())), "$." + key + "#key"
				}
			}
		case "rules":
			what = "rule"
			ids = ruleIDs(rs)
		case "sections":
			what = "section"
			for _, s := range rs.Sections {
				ids = append(ids, s.ID)
			}
		case "sources", "source_names":
			what = "source"
			for _, s := range rs.Sources {
				ids = append(ids, s.ID)
			}
		case "instructions":
			what = "instruction"
			for _, l := range ld.instructionLists() {
				for _, x := range l.list {
					ids = append(ids, x.ID)
				}
			}
		case "clearance_reasons":
			what = "clearance reason"
			for _, c := range rs.ClearanceReasons {
				ids = append(ids, c.ID)
			}
		}
		if what != "" && !slices.Contains(ids, id) {
			return fmt.Sprintf("%s names %s %q, which the rule set does not have%s", key, what, id, didYouMean(id, ids)), "$." + parts[0] + "." + id + "#key"
		}
	}
	return fmt.Sprintf("%s names no text of the rule set (it has none there to translate)", key), "$." + key + "#key"
}

// placeholderSignature lists the placeholders of a text that must be the
// same in every language, each as written without the words around it:
// {meds:anticoagulant,antiplatelet}, {answer:allergy_details},
// {params.min_age}, {clinic}. The order may change from one language to
// another; what is named may not.
func placeholderSignature(key, s string) ([]string, error) {
	var out []string
	if strings.HasPrefix(key, "rules.") && strings.HasSuffix(key, ".message") || strings.HasPrefix(key, "instructions.") {
		ps, err := Placeholders(s)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.Kind == AnswerPlaceholder {
				out = append(out, "{answer:"+p.Field+"}")
				continue
			}
			cs := slices.Sorted(slices.Values(p.Classes))
			if len(cs) == 0 {
				out = append(out, "{"+string(p.Kind)+"}")
			} else {
				out = append(out, "{"+string(p.Kind)+":"+strings.Join(cs, ",")+"}")
			}
		}
	}
	for _, m := range reParamRef.FindAllStringSubmatch(s, -1) {
		out = append(out, "{params."+m[1]+"}")
	}
	if strings.HasPrefix(key, "handout.") {
		for _, m := range reHandoutWord.FindAllStringSubmatch(s, -1) {
			out = append(out, "{"+m[1]+"}")
		}
	}
	slices.Sort(out)
	return out, nil
}

// checkTranslatedPlaceholders says how the placeholders of a translation
// differ from those of the text it translates, "" when they do not: a
// message that loses {meds:...} in one language would hide from that
// language's readers which medicine it is about.
func checkTranslatedPlaceholders(key, orig, tr string) string {
	want, _ := placeholderSignature(key, orig)
	got, err := placeholderSignature(key, tr)
	if err != nil {
		return err.Error()
	}
	if slices.Equal(want, got) {
		return ""
	}
	var lacks, adds []string
	rest := slices.Clone(got)
	for _, w := range want {
		if i := slices.Index(rest, w); i >= 0 {
			rest = slices.Delete(rest, i, i+1)
		} else {
			lacks = append(lacks, w)
		}
	}
	adds = rest
	var parts []string
	if len(lacks) > 0 {
		parts = append(parts, "it lacks "+strings.Join(lacks, ", "))
	}
	if len(adds) > 0 {
		parts = append(parts, "it adds "+strings.Join(adds, ", "))
	}
	return "the placeholders differ from the rule set's text: " + strings.Join(parts, "; ") + "; a translation names what the original names"
}

// expandTranslated writes the parameters' values into a translated text,
// as expandText does for the rule set's, in the translation's language,
// without noting the parameters used: lint counts the rule set's own
// texts.
func (ld *loader) expandTranslated(path, s string, tag language.Tag) string {
	return ld.writeParams(path, s, tag, false)
}
