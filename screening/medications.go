package screening

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
)

// MedicationsField is the question whose free text is read with the
// medication lexicon.
const MedicationsField = "medications"

// RuleLexicon is the rule id of the finding given when the medication
// lexicon cannot be used.
const RuleLexicon = "medications-unread"

// Medication is one medicine recognised in the medications answer. A
// medicine named twice ("Lipitor (atorvastatin)") is listed once, as first
// written.
type Medication struct {
	Written string   `json:"written"`
	Generic string   `json:"generic"`
	Classes []string `json:"classes"`
	ATC     []string `json:"atc,omitempty"`
	How     meds.How `json:"how"`
	// PossiblyStopped holds the words that suggest the patient may have
	// stopped it; empty when nothing does.
	PossiblyStopped string `json:"possibly_stopped,omitempty"`

	label string // the label of its first class, for messages
}

// Describe names the medicine for a message: "Eliquis (apixaban,
// anticoagulant)", "aspirin (antiplatelet)", with "; may have been
// stopped" when it may have been.
func (m Medication) Describe() string {
	const stopped = "; may have been stopped"
	var b strings.Builder
	b.Grow(len(m.Written) + len(m.Generic) + len(m.label) + len(stopped) + 5)
	b.WriteString(m.Written)
	b.WriteString(" (")
	generic := !strings.EqualFold(m.Written, m.Generic)
	if generic {
		b.WriteString(m.Generic)
	}
	if !strings.EqualFold(m.label, m.Generic) || !generic {
		if generic {
			b.WriteString(", ")
		}
		b.WriteString(m.label)
	}
	if m.PossiblyStopped != "" {
		b.WriteString(stopped)
	}
	b.WriteString(")")
	return b.String()
}

// medInfo is what one medications answer holds, read once with the
// lexicon and shared by every intake that writes the list the same way.
// It does not change once made.
type medInfo struct {
	list     []Medication
	classes  []string  // the class ids of list, sorted, each once
	findings []Finding // when the list cannot be read
	// texts are the screener's {meds} templates, expanded for list.
	texts []string

	derivedOnce sync.Once
	derivedVals map[string]ref.Val
}

// maxCachedMeds bounds how many different medication texts a screener
// keeps, and maxCachedLen how long a text it keeps can be: a clinic's
// lists repeat ("none", "vitamin D", "the pill"), and the bound keeps a
// file of all-different lists from growing memory.
const (
	maxCachedMeds = 4096
	maxCachedLen  = 256
)

// medications reads the medications answer in vals.
func (s *Screener) medications(vals []Answer) *medInfo {
	if s.medsIdx < 0 {
		return s.noMeds
	}
	v := vals[s.medsIdx]
	text, _ := v.Value.(string)
	if v.State != Given || strings.TrimSpace(text) == "" {
		return s.noMeds
	}
	if s.lxErr != nil {
		return &medInfo{findings: []Finding{{
			Rule: RuleLexicon, Level: rules.NeedsReview, Source: failSafeSource, Field: MedicationsField,
			Message: fmt.Sprintf("medications: the medication lexicon does not load (%v); a clinician must read the list", s.lxErr),
		}}, texts: s.noMeds.texts}
	}
	if m, ok := s.medCache.Load(text); ok {
		return m.(*medInfo)
	}
	keep := len(text) <= maxCachedLen && s.cached.Load() < maxCachedMeds
	if keep {
		// The medicines found quote the text. A kept one must not quote
		// the buffer the text is part of (a CSV cell is part of a block
		// of the input file), or it would keep that whole buffer alive.
		text = strings.Clone(text)
	}
	m := s.newMedInfo(Recognise(s.lx, text), nil)
	if keep {
		if _, loaded := s.medCache.LoadOrStore(text, m); !loaded {
			s.cached.Add(1)
		}
	}
	return m
}

func (s *Screener) newMedInfo(list []Medication, findings []Finding) *medInfo {
	m := &medInfo{list: slices.Clip(list), classes: []string{}, findings: findings}
	for _, med := range list {
		for _, c := range med.Classes {
			if !slices.Contains(m.classes, c) {
				m.classes = append(m.classes, c)
			}
		}
	}
	slices.Sort(m.classes)
	m.classes = slices.Clip(m.classes)
	// A template that names none of the listed medicines reads as it does
	// for an empty list, so the texts of noMeds serve again and only the
	// others are expanded. Most lists name no medicine a template asks
	// for, and in a file of lists all written differently each list is
	// new.
	if s.noMeds == nil {
		m.texts = make([]string, len(s.templates))
		for i, t := range s.templates {
			m.texts[i] = m.expand(t)
		}
		return m
	}
	m.texts = s.noMeds.texts
	own := false
	for i, t := range s.templates {
		if !s.names(i, list) {
			continue
		}
		if !own {
			m.texts, own = slices.Clone(s.noMeds.texts), true
		}
		m.texts[i] = m.expand(t)
	}
	return m
}

// names reports whether template i would name a medicine of list: one
// with a class that a placeholder of the template asks for.
func (s *Screener) names(i int, list []Medication) bool {
	for _, p := range s.placeholders[i] {
		if slices.ContainsFunc(list, func(med Medication) bool { return med.hasClass(p.Classes) }) {
			return true
		}
	}
	return false
}

// hasClass reports whether the medicine has one of the classes; every
// medicine has one of none, as a placeholder without classes asks for
// every medicine.
func (med Medication) hasClass(classes []string) bool {
	return len(classes) == 0 || slices.ContainsFunc(med.Classes, func(c string) bool { return slices.Contains(classes, c) })
}

// text is template t expanded for these medicines, or plain when t is -1.
func (m *medInfo) text(t int, plain string) string {
	if t < 0 {
		return plain
	}
	return m.texts[t]
}

// derived returns the values of the derived fields (rules/derived.go),
// for the conditions that go through CEL.
func (m *medInfo) derived() map[string]ref.Val {
	m.derivedOnce.Do(func() {
		recognised := make([]ref.Val, 0, len(m.list))
		for _, med := range m.list {
			recognised = append(recognised, types.DefaultTypeAdapter.NativeToValue(map[string]any{
				"written":          med.Written,
				"generic":          med.Generic,
				"classes":          med.Classes,
				"atc":              med.ATC,
				"how":              string(med.How),
				"possibly_stopped": med.PossiblyStopped != "",
			}))
		}
		m.derivedVals = map[string]ref.Val{
			rules.FieldMedicationClasses:     rules.ListVal(m.classes),
			rules.FieldMedicationsRecognised: types.NewRefValList(types.DefaultTypeAdapter, recognised),
		}
	})
	return m.derivedVals
}

// expand fills the {meds...} placeholders of a message (rules/template.go).
func (m *medInfo) expand(msg string) string {
	return rules.Expand(msg, func(classes []string) string {
		var names []string
		for _, med := range m.list {
			if med.hasClass(classes) {
				names = append(names, med.Describe())
			}
		}
		return joinAnd(names)
	})
}

// Recognise lists the medicines the lexicon finds in text that the patient
// takes, once per generic name, in the order written.
func Recognise(lx *meds.Lexicon, text string) []Medication {
	ms := lx.Recognised(text)
	if len(ms) == 0 {
		return nil
	}
	out := make([]Medication, 0, len(ms))
	at := make([]*meds.Entry, 0, len(ms)) // the entry of each of out
	for _, m := range ms {
		if i := slices.Index(at, m.Entry); i >= 0 {
			// Named twice: it is stopped only if every mention says so.
			if m.PossiblyStopped == "" {
				out[i].PossiblyStopped = ""
			}
			continue
		}
		at = append(at, m.Entry)
		out = append(out, Medication{
			Written: m.Written, Generic: m.Entry.Generic,
			Classes: m.Entry.Classes, ATC: m.Entry.ATC, How: m.How,
			PossiblyStopped: m.PossiblyStopped,
			label:           lx.ClassLabel(m.Entry.Classes[0]),
		})
	}
	return out
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
