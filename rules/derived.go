package rules

import (
	"fmt"

	"cel.dev/cel-go/cel"
)

// Derived fields are values that screening computes from the answers before
// the rules run. Conditions read them like answers, and the loader
// type-checks them like answers. They are always present: an empty or
// missing medications answer gives empty lists.
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
)

// DerivedField describes one derived field for documentation and lint.
type DerivedField struct {
	ID   string
	Type *cel.Type
	Doc  string
}

// DerivedFields lists the derived fields every rule set can read.
func DerivedFields() []DerivedField {
	return []DerivedField{
		{FieldMedicationClasses, cel.ListType(cel.StringType),
			"class ids of the medicines recognised in the medications answer"},
		{FieldMedicationsRecognised, cel.ListType(cel.MapType(cel.StringType, cel.DynType)),
			"the medicines recognised, one per generic name: written, generic, classes, atc, how, possibly_stopped"},
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

// IsDerived reports whether id names a derived field.
func IsDerived(id string) bool {
	for _, d := range DerivedFields() {
		if d.ID == id {
			return true
		}
	}
	return false
}

// checkDerived refuses a question that would hide a derived field.
func (ld *loader) checkDerived() {
	for i, q := range ld.rs.Questions {
		if IsDerived(q.ID) {
			ld.Errorf(fmt.Sprintf("$.questions[%d].id", i), "question id %q is a derived field that screening fills in from the medications answer; choose another id", q.ID)
		}
	}
}
