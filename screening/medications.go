package screening

import (
	"fmt"
	"slices"
	"strings"

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
	var b strings.Builder
	b.WriteString(m.Written)
	b.WriteString(" (")
	parts := []string{}
	if !strings.EqualFold(m.Written, m.Generic) {
		parts = append(parts, m.Generic)
	}
	if !strings.EqualFold(m.label, m.Generic) || len(parts) == 0 {
		parts = append(parts, m.label)
	}
	b.WriteString(strings.Join(parts, ", "))
	if m.PossiblyStopped != "" {
		b.WriteString("; may have been stopped")
	}
	b.WriteString(")")
	return b.String()
}

// medications is what one intake's medications answer holds.
type medications struct {
	list     []Medication
	findings []Finding
}

// readMedications reads the medications answer with the lexicon of opts.
func readMedications(a *Answers, opts Options) medications {
	v := a.Get(MedicationsField)
	text, _ := v.Value.(string)
	if v.State != Given || strings.TrimSpace(text) == "" {
		return medications{}
	}
	lx := opts.Meds
	if lx == nil {
		var err error
		if lx, err = meds.Default(); err != nil {
			return medications{findings: []Finding{{
				Rule: RuleLexicon, Level: rules.NeedsReview, Source: failSafeSource, Field: MedicationsField,
				Message: fmt.Sprintf("medications: the medication lexicon does not load (%v); a clinician must read the list", err),
			}}}
		}
	}
	return medications{list: Recognise(lx, text)}
}

// Recognise lists the medicines the lexicon finds in text that the patient
// takes, once per generic name, in the order written.
func Recognise(lx *meds.Lexicon, text string) []Medication {
	var out []Medication
	at := map[*meds.Entry]int{}
	for _, m := range lx.Recognised(text) {
		if i, seen := at[m.Entry]; seen {
			// Named twice: it is stopped only if every mention says so.
			if m.PossiblyStopped == "" {
				out[i].PossiblyStopped = ""
			}
			continue
		}
		at[m.Entry] = len(out)
		out = append(out, Medication{
			Written: m.Written, Generic: m.Entry.Generic,
			Classes: m.Entry.Classes, ATC: m.Entry.ATC, How: m.How,
			PossiblyStopped: m.PossiblyStopped,
			label:           lx.ClassLabel(m.Entry.Classes[0]),
		})
	}
	return out
}

// derived returns the values of the derived fields (rules/derived.go).
func (md medications) derived() map[string]ref.Val {
	classes := []string{}
	recognised := make([]ref.Val, 0, len(md.list))
	for _, m := range md.list {
		for _, c := range m.Classes {
			if !slices.Contains(classes, c) {
				classes = append(classes, c)
			}
		}
		recognised = append(recognised, types.DefaultTypeAdapter.NativeToValue(map[string]any{
			"written":          m.Written,
			"generic":          m.Generic,
			"classes":          m.Classes,
			"atc":              m.ATC,
			"how":              string(m.How),
			"possibly_stopped": m.PossiblyStopped != "",
		}))
	}
	slices.Sort(classes)
	return map[string]ref.Val{
		rules.FieldMedicationClasses:     rules.ListVal(classes),
		rules.FieldMedicationsRecognised: types.NewRefValList(types.DefaultTypeAdapter, recognised),
	}
}

// expand fills the {meds...} placeholders of a message (rules/template.go).
func (md medications) expand(msg string) string {
	return rules.Expand(msg, func(classes []string) string {
		var names []string
		for _, m := range md.list {
			if len(classes) == 0 || slices.ContainsFunc(m.Classes, func(c string) bool { return slices.Contains(classes, c) }) {
				names = append(names, m.Describe())
			}
		}
		return joinAnd(names)
	})
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
