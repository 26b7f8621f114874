// Package meds reads the free-text medication list of an intake with a
// lexicon of medicines (brand names, classes, WHO ATC codes), shipped as
// data beside the rule set. A loaded Lexicon is safe to share.
package meds

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/mesoscreen/mesoscreen/rules"
)

// SchemaVersion is the lexicon format version this build reads.
const SchemaVersion = 1

//go:embed lexicon.yaml
var defaultYAML []byte

// DefaultFile is the name the embedded lexicon goes by in messages.
const DefaultFile = "lexicon.yaml (embedded)"

var loadDefault = sync.OnceValues(func() (*Lexicon, error) {
	return Parse(DefaultFile, defaultYAML)
})

// Default returns the embedded lexicon. It is loaded once.
func Default() (*Lexicon, error) { return loadDefault() }

// DefaultSource returns the embedded lexicon as YAML, for clinics that start
// their own from it.
func DefaultSource() []byte { return bytes.Clone(defaultYAML) }

// Lexicon is a loaded medication lexicon with its match index.
type Lexicon struct {
	Schema     int      `yaml:"schema" json:"schema,omitempty"`
	Name       string   `yaml:"name" json:"name,omitempty"`
	Version    string   `yaml:"version" json:"version,omitempty"`
	Sources    []Source `yaml:"sources" json:"sources,omitempty"`
	Classes    []Class  `yaml:"classes" json:"classes"`
	Lookalikes []string `yaml:"lookalikes" json:"lookalikes,omitempty"`
	Entries    []*Entry `yaml:"entries"`

	// File is the name the lexicon was loaded from; SHA256 the digest of
	// its bytes.
	File   string `yaml:"-"`
	SHA256 string `yaml:"-"`

	classByID map[string]int
	idx       *index
}

// Source is a document entries cite.
type Source struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title,omitempty"`
}

// Class is a group of medicines that rules refer to by id.
type Class struct {
	ID          string `yaml:"id" json:"id"`
	Label       string `yaml:"label" json:"label"`
	Description string `yaml:"description" json:"description,omitempty"`
	// RecentUseCounts marks classes whose past use still matters, such as
	// isotretinoin: "stopped" does not take the match away, it only marks
	// it possibly stopped.
	RecentUseCounts bool `yaml:"recent_use_counts" json:"recent_use_counts,omitempty"`
	// Labels name the class in other languages, by language: messages in
	// Spanish say "anticoagulante".
	Labels map[string]string `yaml:"labels" json:"labels,omitempty"`
}

// Brands are an entry's brand names by market: the United States, the
// United Kingdom, the European Union at large, and Spain and France,
// whose own brands (Sintrom, Adiro, Previscan, Kardégic) patients there
// write.
type Brands struct {
	US []string `yaml:"us" json:"us,omitempty"`
	UK []string `yaml:"uk" json:"uk,omitempty"`
	EU []string `yaml:"eu" json:"eu,omitempty"`
	ES []string `yaml:"es" json:"es,omitempty"`
	FR []string `yaml:"fr" json:"fr,omitempty"`
}

// markets lists the brands by market, in the order All gives them.
func (b Brands) markets() []struct {
	key  string
	list []string
} {
	return []struct {
		key  string
		list []string
	}{{"us", b.US}, {"uk", b.UK}, {"eu", b.EU}, {"es", b.ES}, {"fr", b.FR}}
}

// All returns every brand name once, US first.
func (b Brands) All() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range b.markets() {
		l := m.list
		for _, n := range l {
			if k := strings.ToLower(n); !seen[k] {
				seen[k] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// Entry is one medicine (or fixed combination).
type Entry struct {
	Generic string   `yaml:"generic" json:"generic"`
	Names   []string `yaml:"names" json:"names,omitempty"`
	// Local are the names the medicine goes by in other languages, by
	// language: the generic name as that language spells it first
	// ("acenocumarol"), which messages in it use, then other words for it
	// ("aspirina", "hierba de San Juan"). Every one is matched as a name.
	Local   map[string][]string `yaml:"local" json:"local,omitempty"`
	Brands  Brands              `yaml:"brands" json:"brands,omitempty"`
	Classes []string            `yaml:"classes" json:"classes"`
	ATC     []string            `yaml:"atc" json:"atc,omitempty"`
	Source  []string            `yaml:"source" json:"source,omitempty"`
	Note    string              `yaml:"note" json:"note,omitempty"`

	pos rules.Pos
}

// Pos returns where the entry is declared.
func (e *Entry) Pos() rules.Pos { return e.pos }

// Class returns the class with the given id.
func (lx *Lexicon) Class(id string) (Class, bool) {
	i, ok := lx.classByID[id]
	if !ok {
		return Class{}, false
	}
	return lx.Classes[i], true
}

// ClassLabel returns the label of class id, or the id if it has none.
func (lx *Lexicon) ClassLabel(id string) string {
	if c, ok := lx.Class(id); ok && c.Label != "" {
		return c.Label
	}
	return id
}

// ClassLabelIn returns the label of class id in language lang, its
// English label where the lexicon has none in that language.
func (lx *Lexicon) ClassLabelIn(id, lang string) string {
	if c, ok := lx.Class(id); ok {
		if s := labelIn(c.Labels, lang); s != "" {
			return s
		}
	}
	return lx.ClassLabel(id)
}

// GenericIn returns the generic name of the entry as language lang spells
// it, its Generic where the lexicon gives none.
func (e *Entry) GenericIn(lang string) string {
	if names := e.Local[lang]; len(names) > 0 {
		return names[0]
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		if names := e.Local[base]; len(names) > 0 {
			return names[0]
		}
	}
	return e.Generic
}

// labelIn is the text of a map by language, trying the base language of
// a tag with a region (es for es-MX).
func labelIn(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		return m[base]
	}
	return ""
}

// ClassIDs lists the class ids in declaration order.
func (lx *Lexicon) ClassIDs() []string {
	out := make([]string, len(lx.Classes))
	for i, c := range lx.Classes {
		out[i] = c.ID
	}
	return out
}

// Load reads the lexicon in the file at path.
func Load(path string) (*Lexicon, error) {
	data, err := rules.ReadFile(path, rules.LexiconFile)
	if ps, ok := err.(rules.Problems); ok {
		return nil, ps
	}
	if err != nil {
		return nil, fmt.Errorf("medication lexicon: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes, checks and indexes a lexicon. file names it in messages. A
// lexicon with errors returns them all as rules.Problems.
func Parse(file string, data []byte) (*Lexicon, error) {
	lx, ps := Lint(file, data)
	if errs := ps.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return lx, nil
}

// Lint checks a lexicon and returns every problem, warnings included. The
// lexicon is nil if any problem is an error.
func Lint(file string, data []byte) (*Lexicon, rules.Problems) {
	pos, err := rules.IndexYAMLKind(file, data, rules.LexiconFile)
	if err != nil {
		return nil, err.(rules.Problems)
	}
	ld := &loader{Positions: pos}
	lx := &Lexicon{File: file}
	if ps := ld.Decode(data, lx); ps != nil {
		return nil, ps
	}
	sum := sha256.Sum256(data)
	lx.SHA256 = hex.EncodeToString(sum[:])
	ld.check(lx)
	ps := ld.Sorted()
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	lx.idx = buildIndex(lx)
	return lx, ps
}

type loader struct {
	*rules.Positions
}

var (
	reClassID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// reATC accepts a WHO ATC code at any of its five levels: A, A10,
	// A10B, A10BA, A10BA02.
	reATC = regexp.MustCompile(`^[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?$`)
)

func (ld *loader) check(lx *Lexicon) {
	if lx.Schema != SchemaVersion {
		ld.Errorf("$.schema", "schema is %d; this version of mesoscreen reads lexicon schema %d", lx.Schema, SchemaVersion)
	}
	if lx.Name == "" {
		ld.Errorf("$.name", "the lexicon has no name; add name: to the top of the file")
	}
	if lx.Version == "" {
		ld.Errorf("$.version", "the lexicon has no version; add version: to the top of the file")
	}
	sources := map[string]bool{}
	for i, s := range lx.Sources {
		if s.ID == "" {
			ld.Errorf(fmt.Sprintf("$.sources[%d]", i), "source %d has no id", i+1)
		}
		sources[s.ID] = true
	}
	lx.classByID = map[string]int{}
	for i, c := range lx.Classes {
		p := fmt.Sprintf("$.classes[%d]", i)
		switch {
		case !reClassID.MatchString(c.ID):
			ld.Errorf(p+".id", "class id %q must be lower case letters, digits and _ (starting with a letter)", c.ID)
		default:
			if first, dup := lx.classByID[c.ID]; dup {
				ld.Errorf(p+".id", "duplicate class id %q (first declared at line %d)", c.ID, ld.At(fmt.Sprintf("$.classes[%d]", first)).Line)
			} else {
				lx.classByID[c.ID] = i
			}
		}
		if c.Label == "" {
			ld.Errorf(p, "class %q has no label; messages name the class by it", c.ID)
		}
		for _, lang := range slices.Sorted(maps.Keys(c.Labels)) {
			if !langTag(lang) {
				ld.Errorf(p+".labels."+lang+"#key", "class %q has a label for %q, which is not a language tag; expected one such as es or fr", c.ID, lang)
			}
		}
	}
	// A class named in one language is named in every language the
	// lexicon speaks, or a message in that language names it in English.
	langs := map[string]bool{}
	for _, c := range lx.Classes {
		for l := range c.Labels {
			langs[l] = true
		}
	}
	for _, l := range slices.Sorted(maps.Keys(langs)) {
		for i, c := range lx.Classes {
			if c.Labels[l] == "" {
				ld.Warnf(fmt.Sprintf("$.classes[%d]", i), "class %q has no label in %s, which other classes have; messages in %s name it in English", c.ID, l, l)
			}
		}
	}
	used := map[string]bool{}
	names := map[string]nameAt{}
	for i, e := range lx.Entries {
		p := fmt.Sprintf("$.entries[%d]", i)
		e.pos = ld.At(p)
		if strings.TrimSpace(e.Generic) == "" {
			ld.Errorf(p, "entry %d has no generic name", i+1)
			continue
		}
		if len(e.Classes) == 0 {
			ld.Errorf(p, "entry %q has no class; give it classes: with at least one class id", e.Generic)
		}
		for j, c := range e.Classes {
			if _, ok := lx.classByID[c]; !ok {
				msg := fmt.Sprintf("entry %q has class %q, which is not declared under classes:", e.Generic, c)
				if best := rules.Closest(c, lx.ClassIDs()); best != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", best)
				}
				ld.Errorf(fmt.Sprintf("%s.classes[%d]", p, j), "%s", msg)
			}
			used[c] = true
		}
		for j, code := range e.ATC {
			if !reATC.MatchString(code) {
				ld.Errorf(fmt.Sprintf("%s.atc[%d]", p, j), "entry %q has ATC code %q; expected a WHO ATC code such as B01AF02 (letter, 2 digits, 2 letters, 2 digits) or one of its groups such as B01A", e.Generic, code)
			}
		}
		if len(e.ATC) == 0 && e.Note == "" {
			ld.Warnf(p, "entry %q has no ATC code; add atc:, or a note: saying why it has none", e.Generic)
		}
		if len(e.Source) == 0 {
			ld.Errorf(p, "entry %q names no source; add source: (who-atc for the ATC code)", e.Generic)
		}
		for j, s := range e.Source {
			if !sources[s] {
				ld.Errorf(fmt.Sprintf("%s.source[%d]", p, j), "entry %q cites source %q, which is not declared under sources:", e.Generic, s)
			}
		}
		// Every name an entry goes by must lead to it alone.
		seenHere := map[string]bool{}
		check := func(path, name string) {
			key, ok := normalizeName(name)
			if !ok {
				ld.Errorf(path, "name %q of %q holds a separator (, ; / & + \"and\" or a new line); a name must be read as one item", name, e.Generic)
				return
			}
			if key == "" {
				ld.Errorf(path, "entry %q has an empty name", e.Generic)
				return
			}
			if seenHere[key] {
				return
			}
			seenHere[key] = true
			if prev, dup := names[key]; dup {
				ld.Errorf(path, "name %q of %q is also a name of %q (line %d); a name must lead to one entry", name, e.Generic, prev.generic, prev.line)
				return
			}
			names[key] = nameAt{generic: e.Generic, line: ld.At(path).Line}
		}
		check(p+".generic", e.Generic)
		for j, n := range e.Names {
			check(fmt.Sprintf("%s.names[%d]", p, j), n)
		}
		for _, lang := range slices.Sorted(maps.Keys(e.Local)) {
			if !langTag(lang) {
				ld.Errorf(p+".local."+lang+"#key", "entry %q has names for %q, which is not a language tag; expected one such as es or fr", e.Generic, lang)
			}
			for j, n := range e.Local[lang] {
				check(fmt.Sprintf("%s.local.%s[%d]", p, lang, j), n)
			}
		}
		for _, m := range e.Brands.markets() {
			for j, n := range m.list {
				check(fmt.Sprintf("%s.brands.%s[%d]", p, m.key, j), n)
			}
		}
	}
	for i, c := range lx.Classes {
		if c.ID != "" && !used[c.ID] {
			ld.Warnf(fmt.Sprintf("$.classes[%d]", i), "class %q has no entries; a rule reading it can never fire", c.ID)
		}
	}
	for i, w := range lx.Lookalikes {
		key, _ := normalizeName(w)
		if prev, ok := names[key]; ok {
			ld.Errorf(fmt.Sprintf("$.lookalikes[%d]", i), "lookalike %q is a name of %q; a lookalike must be an ordinary word", w, prev.generic)
		}
	}
}

// langTag reports whether s is a language tag: es, fr, pt-BR.
func langTag(s string) bool {
	_, err := language.Parse(s)
	return err == nil && reLangTag.MatchString(s)
}

var reLangTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

type nameAt struct {
	generic string
	line    int
}
