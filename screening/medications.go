package screening

import (
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// MedicationsField is the question whose free text is read with the
// medication lexicon.
const MedicationsField = rules.MedicationsQuestion

// AllergyDetailsField is the question whose free text says what the
// patient reacted to; the medicines it names are read with the lexicon
// into allergy_classes.
const AllergyDetailsField = rules.AllergyDetailsQuestion

// RuleLexicon is the rule id of the finding given when the medication
// lexicon cannot be used.
const RuleLexicon = "medications-unread"

// Medication is one medicine recognised in the medications answer. A
// medicine named twice ("Lipitor (atorvastatin)") is listed once, as first
// written.
type Medication struct {
	Written string `json:"written"`
	// Item is the item of the medication list it was written in, dose
	// and all ("Eliquis 5 mg twice a day"); empty when that is Written
	// alone.
	Item    string   `json:"item,omitempty"`
	Generic string   `json:"generic"`
	Classes []string `json:"classes"`
	ATC     []string `json:"atc,omitempty"`
	How     meds.How `json:"how"`
	// PossiblyStopped holds the words that suggest the patient may have
	// stopped it; empty when nothing does.
	PossiblyStopped string `json:"possibly_stopped,omitempty"`

	// label is the label of its first class and name its generic name,
	// in the language of the screener that recognised it, for messages;
	// stopped is how that language says it may have been stopped,
	// with what comes before it.
	label, name, stopped string
	entry                *meds.Entry
}

// Describe names the medicine for a message, in the language of the
// screener that recognised it: "Eliquis (apixaban, anticoagulant)",
// "aspirin (antiplatelet)", with "; may have been stopped" when it may
// have been; "Sintrom (acenocumarol, anticoagulante)" in Spanish.
func (m Medication) Describe() string {
	name, label, stopped := m.name, m.label, m.stopped
	if name == "" {
		name = m.Generic
	}
	if stopped == "" {
		stopped = "; may have been stopped"
	}
	var b strings.Builder
	b.Grow(len(m.Written) + len(name) + len(label) + len(stopped) + 7)
	b.WriteString(m.Written)
	b.WriteString(" (")
	generic := !rules.SameWords(m.Written, name)
	if generic {
		b.WriteString(name)
	}
	if !rules.SameWords(label, name) || !generic {
		if generic {
			b.WriteString(", ")
		}
		b.WriteString(label)
	}
	if m.PossiblyStopped != "" {
		b.WriteString(stopped)
	}
	b.WriteString(")")
	return b.String()
}

// Name is the medicine's generic name in the language of the screener
// that recognised it: "acenocumarol" in Spanish.
func (m Medication) Name() string {
	if m.name == "" {
		return m.Generic
	}
	return m.name
}

// in returns the medicine as a screener in language lang names it.
func (m Medication) in(lx *meds.Lexicon, lang string, tr *i18n.Printer) Medication {
	m.label = lx.ClassLabelIn(m.Classes[0], lang)
	m.name = m.Generic
	if m.entry != nil {
		m.name = m.entry.GenericIn(lang)
	}
	m.stopped = tr.T("; may have been stopped")
	return m
}

// medInfo is what one medications answer holds, read once with the
// lexicon: the medicines recognised, those the patient reacted to, whether
// it says that nothing is taken, and the values of the derived fields that
// conditions read. It does not change once made, so intakes that write the
// same list share it.
type medInfo struct {
	list      []Medication
	allergies []string  // classes of the medicines named with an allergy word
	findings  []Finding // when the list cannot be read
	// nothing is set when the text says that nothing is taken ("no
	// meds"); conditions then read the answer as "".
	nothing bool

	classesVal, recognisedVal, allergiesVal ref.Val
}

// medCache keeps what the lexicon found in medication lists, by their
// text: a clinic's lists repeat ("none", "vitamin D", "the pill"), and
// reading a list costs more than screening the rest of an intake. It is
// exact, for a list's medicines depend on nothing but its text and the
// screener's lexicon. It keeps up to maxCachedMeds texts of at most
// maxCachedLen bytes, so that a file of all-different lists cannot grow
// it without bound.
type medCache struct {
	mu    sync.Mutex
	texts map[string]*medInfo
}

const (
	maxCachedMeds = 4096
	maxCachedLen  = 256
)

// medications reads the medications answer a (the zero Answer when the
// rule set has no such question).
func (s *Screener) medications(a Answer) *medInfo {
	var text string
	if s.medsIdx >= 0 && a.State == Given {
		text, _ = a.Value.(string)
	}
	text = strings.TrimSpace(text)
	if text != "" && s.lxErr != nil {
		return newMedInfo(nil, []Finding{{
			Rule: RuleLexicon, Level: rules.NeedsReview, Source: failSafeSource, Field: MedicationsField,
			Message: s.tr.T("medications: the medication lexicon does not load (%v); a clinician must read the list", s.lxErr),
		}})
	}
	c := &s.meds
	c.mu.Lock()
	m, ok := c.texts[text]
	c.mu.Unlock()
	if ok {
		return m
	}
	var ms []meds.Match
	if text != "" {
		ms = s.lx.Find(text)
	}
	m = newMedInfo(recognise(s.lx, ms, s.rs.Lang, s.tr), nil)
	m.nothing = meds.SaysNothing(text)
	for _, x := range ms {
		if x.Allergy {
			m.allergies = addClasses(m.allergies, x.Entry.Classes)
		}
	}
	if len(m.allergies) > 0 {
		m.allergiesVal = types.NewStringList(types.DefaultTypeAdapter, m.allergies)
	}
	if len(text) <= maxCachedLen {
		c.mu.Lock()
		if c.texts == nil {
			c.texts = map[string]*medInfo{}
		}
		if len(c.texts) < maxCachedMeds {
			// A medicine's Written quotes the text; the kept copy must
			// not hold on to the buffer the text was read into.
			c.texts[strings.Clone(text)] = m
		}
		c.mu.Unlock()
	}
	return m
}

func newMedInfo(list []Medication, findings []Finding) *medInfo {
	m := &medInfo{list: list, findings: findings}
	classes := []string{}
	recognised := make([]ref.Val, 0, len(list))
	for _, med := range list {
		classes = addClasses(classes, med.Classes)
		recognised = append(recognised, types.DefaultTypeAdapter.NativeToValue(map[string]any{
			"written":          med.Written,
			"generic":          med.Generic,
			"classes":          med.Classes,
			"atc":              med.ATC,
			"how":              string(med.How),
			"possibly_stopped": med.PossiblyStopped != "",
		}))
	}
	m.classesVal = types.NewStringList(types.DefaultTypeAdapter, classes)
	m.allergiesVal = noStrings
	m.recognisedVal = types.NewRefValList(types.DefaultTypeAdapter, recognised)
	return m
}

// noStrings is the value of an empty list of strings, shared.
var noStrings = types.NewStringList(types.DefaultTypeAdapter, []string{})

// addClasses adds to list the classes it does not hold yet, keeping it
// sorted.
func addClasses(list, classes []string) []string {
	for _, c := range classes {
		if i, found := slices.BinarySearch(list, c); !found {
			list = slices.Insert(list, i, c)
		}
	}
	return list
}

// hasClass reports whether the medicine has one of the classes; every
// medicine has one of none, as a placeholder without classes asks for
// every medicine.
func (med Medication) hasClass(classes []string) bool {
	return len(classes) == 0 || slices.ContainsFunc(med.Classes, func(c string) bool { return slices.Contains(classes, c) })
}

// medicines names the medicines of the list that have one of the
// classes, for a {meds}, {stopped} or {taken} placeholder
// (rules/template.go), each as describe says it, joined as join does.
func (m *medInfo) medicines(classes []string, kind rules.PlaceholderKind, describe func(Medication) string, join func([]string) string) string {
	var names []string
	for _, med := range m.list {
		stopped := med.PossiblyStopped != ""
		switch {
		case !med.hasClass(classes),
			kind == rules.StoppedPlaceholder && !stopped,
			kind == rules.TakenPlaceholder && stopped:
			continue
		}
		names = append(names, describe(med))
	}
	return join(names)
}

// Recognise lists the medicines the lexicon finds in text that the patient
// takes, once per generic name, in the order written.
func Recognise(lx *meds.Lexicon, text string) []Medication {
	return recognise(lx, lx.Find(text), "en", nil)
}

// recognise lists the medicines of the matches that the patient takes,
// once per generic name, named in language lang.
func recognise(lx *meds.Lexicon, ms []meds.Match, lang string, tr *i18n.Printer) []Medication {
	var out []Medication
	var at []*meds.Entry // the entry of each of out
	for _, m := range ms {
		if !m.Taken() {
			continue
		}
		if i := slices.Index(at, m.Entry); i >= 0 {
			// Named twice: it is stopped only if every mention says so.
			if m.PossiblyStopped == "" {
				out[i].PossiblyStopped = ""
			}
			continue
		}
		at = append(at, m.Entry)
		if m.Item == m.Written {
			m.Item = ""
		}
		out = append(out, Medication{
			Written: m.Written, Item: m.Item, Generic: m.Entry.Generic,
			Classes: m.Entry.Classes, ATC: m.Entry.ATC, How: m.How,
			PossiblyStopped: m.PossiblyStopped, entry: m.Entry,
		}.in(lx, lang, tr))
	}
	return out
}
