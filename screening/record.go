package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RecordKind is the kind of a saved record, the value of its "kind" key.
const RecordKind = "mesoscreen.record"

// SavedRecord is a screening kept for the patient's chart (SPEC §7): the
// answers in their canonical spelling, the result, when and by whom, and
// which rule set and tool version decided. Screening the record again
// reads its answers.
type SavedRecord struct {
	Kind        string         `json:"kind"`
	Answers     map[string]any `json:"answers"`
	Result      Result         `json:"result"`
	ScreenedAt  string         `json:"screened_at"`
	RuleSet     RuleSetRef     `json:"rule_set"`
	ToolVersion string         `json:"tool_version"`
	Clinician   string         `json:"clinician"`
	// NoPatientID says the clinician saved the record without a patient
	// id on purpose; screening it again does not ask for one
	// (Answers.NoIdentifier).
	NoPatientID bool `json:"no_patient_id,omitempty"`
}

// NewSavedRecord makes the record of one screening.
func NewSavedRecord(a *Answers, res Result, at time.Time, toolVersion, clinician string) SavedRecord {
	return SavedRecord{
		Kind:        RecordKind,
		Answers:     a.Canonical(),
		Result:      res,
		ScreenedAt:  at.Format(time.RFC3339),
		RuleSet:     res.RuleSet,
		ToolVersion: toolVersion,
		Clinician:   clinician,
		NoPatientID: a.NoIdentifier,
	}
}

// Marshal writes the record as indented JSON, ending in a newline.
func (r SavedRecord) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// IsSavedRecord reports whether a decoded JSON object is a saved record.
func IsSavedRecord(fields map[string]any) bool { return fields["kind"] == RecordKind }

// SavedAnswers returns the answers of a decoded saved record, to be
// screened again. Numbers should have been decoded as json.Number, so
// that they stay exact.
func SavedAnswers(fields map[string]any) (map[string]any, error) {
	if !IsSavedRecord(fields) {
		return nil, fmt.Errorf("kind is %v; expected %q", fields["kind"], RecordKind)
	}
	ans, ok := fields["answers"].(map[string]any)
	if !ok {
		return nil, errors.New(`a saved record without "answers"`)
	}
	return ans, nil
}

// ReadSavedRecord decodes a saved record.
func ReadSavedRecord(data []byte) (SavedRecord, error) {
	var r SavedRecord
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return SavedRecord{}, fmt.Errorf("not a saved record: %w", err)
	}
	if r.Kind != RecordKind {
		return SavedRecord{}, fmt.Errorf("kind is %q; expected %q", r.Kind, RecordKind)
	}
	if r.Answers == nil {
		return SavedRecord{}, errors.New(`a saved record without "answers"`)
	}
	return r, nil
}
