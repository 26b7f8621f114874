package rules

import (
	"fmt"

	"cel.dev/cel-go/cel"
)

// The questions that screening reads with the medication lexicon, by
// their ids: a rule set that asks them gets the derived fields made from
// them.
const (
	// MedicationsQuestion is the free-text list of what the patient
	// takes.
	MedicationsQuestion = "medications"
	// AllergyDetailsQuestion is the free-text account of a past reaction.
	AllergyDetailsQuestion = "allergy_details"
)

// Derived fields are values that screening computes from the answers before
// the rules run. Conditions read them like answers, and the loader
// type-checks them like answers. They are always present: an empty or
// missing answer gives empty lists.
const (
	// FieldMedicationClasses is the list of class ids (from the medication
	// lexicon) of the medicines recognised in the medications answer:
	// "anticoagulant" in medication_classes.
	FieldMedicationClasses = "medication_classes"
	// FieldMedicationsRecognised is the list of medicines recognised, one
	// per generic name, each a map with the keys written (as the patient
	// wrote it), generic, classes (list of class ids), atc (list), how
	// (exact, brand or misspelling) and possibly_stopped (yes/no):
	// size(medications_recognised.filter(m, "heart" in m.classes)) >= 2.
	FieldMedicationsRecognised = "medications_recognised"
	// FieldAllergyClasses is the list of class ids of the medicines the
	// patient is said to have reacted to: every medicine named in the
	// allergy_details answer, and each one the medications answer, or an
	// answer no question reads (a "Notes" column), names with an allergy
	// or reaction word ("allergic to lidocaine", "EMLA reaction"):
	// "local_anaesthetic" in allergy_classes.
	FieldAllergyClasses = "allergy_classes"
	// FieldUnanswered is the list of the ids of the questions whose answer
	// cannot be used: missing, unsure, unreadable or out of range, and
	// follow-ups that do not apply. Such an answer is absent to every
	// other condition, which cannot then be decided; this field lets a
	// condition say what to do when it is: "blood_thinners" in unanswered.
	FieldUnanswered = "unanswered"
)

// DerivedField describes one derived field for documentation, lint and
// the screening memo.
type DerivedField struct {
	ID   string
	Type *cel.Type
	Doc  string
	// From lists the questions its value is made from, AllAnswers says
	// that it is made from whether each answer can be used, and Unasked
	// that it reads the answers no question reads too.
	From       []string
	AllAnswers bool
	Unasked    bool
}

// DerivedFields lists the derived fields every rule set can read.
func DerivedFields() []DerivedField {
	return []DerivedField{
		{ID: FieldMedicationClasses, Type: cel.ListType(cel.StringType),
			Doc:  "class ids of the medicines recognised in the medications answer",
			From: []string{MedicationsQuestion}},
		{ID: FieldMedicationsRecognised, Type: cel.ListType(cel.MapType(cel.StringType, cel.DynType)),
			Doc:  "the medicines recognised, one per generic name: written, generic, classes, atc, how, possibly_stopped",
			From: []string{MedicationsQuestion}},
		{ID: FieldAllergyClasses, Type: cel.ListType(cel.StringType),
			Doc:  "class ids of the medicines named in allergy_details, or named with an allergy word in medications or in an answer no question reads",
			From: []string{MedicationsQuestion, AllergyDetailsQuestion}, Unasked: true},
		{ID: FieldUnanswered, Type: cel.ListType(cel.StringType),
			Doc:        "ids of the questions whose answer is missing, unsure, unreadable or out of range",
			AllAnswers: true},
	}
}

// derivedDecls declares the derived fields to CEL.
func derivedDecls() []cel.EnvOption {
	var opts []cel.EnvOption
	for _, d := range DerivedFields() {
		opts = append(opts, cel.Variable(d.ID, d.Type))
	}
	return opts
}

// Derived returns the derived field with the given id.
func Derived(id string) (DerivedField, bool) {
	for _, d := range DerivedFields() {
		if d.ID == id {
			return d, true
		}
	}
	return DerivedField{}, false
}

// IsDerived reports whether id names a derived field.
func IsDerived(id string) bool {
	_, ok := Derived(id)
	return ok
}

// checkDerived refuses a question that would hide a derived field.
func (ld *loader) checkDerived() {
	for i, q := range ld.rs.Questions {
		if IsDerived(q.ID) {
			ld.Errorf(fmt.Sprintf("$.questions[%d].id", i), "question id %q is a derived field that screening fills in from the answers; choose another id", q.ID)
		}
	}
}
