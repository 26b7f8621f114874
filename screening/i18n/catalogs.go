package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/goccy/go-yaml"
)

// A Catalog holds the words of one part of the program that are its own
// (the prompter's key help), apart from mesoscreen's catalog, which holds
// the words of screening. Its files are one per language mesoscreen
// speaks, named for it (es.yaml), keyed by the English text as
// mesoscreen's are; English, the language the texts are written in, has
// none. A language without a file is said as the Printer laid under says
// it.
type Catalog struct {
	files fs.FS

	mu     sync.Mutex
	loaded map[string]*words
}

// words is one language's file of a Catalog.
type words struct {
	Lang string `yaml:"lang"`
	// YesKey is the key that answers yes beside y, where the part has
	// keys to answer with: s for "sí", o for "oui".
	YesKey string `yaml:"yes_key"`
	// Messages translate the part's texts, keyed by the English text,
	// with the same fmt verbs.
	Messages map[string]string `yaml:"messages"`
}

// NewCatalog returns the catalog of the language files in files. A file
// is read when its language is first used; like mesoscreen's own, the
// files are the program's, embedded and tested, so one that does not
// read panics.
func NewCatalog(files fs.FS) *Catalog {
	return &Catalog{files: files, loaded: map[string]*words{}}
}

// Over returns a printer that says the catalog's texts in p's language,
// and every other text as p does.
func (c *Catalog) Over(p *Printer) *Printer {
	w := c.in(p.Lang())
	if w == nil {
		return p
	}
	q := *p
	q.over = append([]*words{w}, p.over...)
	return &q
}

// in is the file of language lang, read once; nil if the catalog has
// none.
func (c *Catalog) in(lang string) *words {
	if lang == "en" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.loaded[lang]; ok {
		return w
	}
	var w *words
	data, err := fs.ReadFile(c.files, lang+".yaml")
	switch {
	case err == nil:
		w = new(words)
		err = yaml.UnmarshalWithOptions(data, w, yaml.DisallowUnknownField())
		if err == nil && w.Lang != lang {
			err = fmt.Errorf("lang is %q", w.Lang)
		}
	case errors.Is(err, fs.ErrNotExist):
		err = nil
	}
	if err != nil {
		panic("i18n: " + lang + ".yaml: " + err.Error())
	}
	c.loaded[lang] = w
	return w
}

// YesKey is the key that answers yes beside y, as the catalogs laid over
// the printer name it (s for "sí", o for "oui"); y itself where none
// does, as in English.
func (p *Printer) YesKey() string {
	if p != nil {
		for _, w := range p.over {
			if w.YesKey != "" {
				return w.YesKey
			}
		}
	}
	return "y"
}
