package screening

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mesoscreen/mesoscreen/rules"
)

// RecordKind is the kind of a saved record, the value of its "kind" key.
const RecordKind = "mesoscreen.record"

// RecordFormat is the format of the records this version writes: 3 holds
// the history of events, each signed by whoever made it. Format 2 (a
// history without signatures) and a record without "format" (one
// screening, no history) were written before; they are read, but not
// believed until a clinician adopts them (Adopt).
const RecordFormat = 3

// unsignedFormat is the format of a history without signatures.
const unsignedFormat = 2

// The kinds of event in a saved record's history (SPEC §7).
const (
	EventScreened   = "screened"   // the first screening, an interview
	EventCleared    = "cleared"    // a clinician cleared one finding
	EventRescreened = "rescreened" // the short re-screen before a session
	// EventAdopted is a clinician's screening again of a record saved
	// before records were signed: from it on, the history is signed;
	// what came before is kept, but not believed.
	EventAdopted = "adopted"
)

// SavedRecord is a patient's screening kept for the chart (SPEC §7): an
// append-only history of events (screened, cleared, re-screened), each
// carrying the sha256 of the record as it was before it, so that an edit
// is found by Verify. The fields above Events repeat the latest screening
// (the answers in their canonical spelling, its result, when and by whom,
// which rule set and tool version), so that any reader of saved records
// screens the latest answers again.
type SavedRecord struct {
	Kind        string         `json:"kind"`
	Format      int            `json:"format,omitempty"`
	Answers     map[string]any `json:"answers"`
	Result      Result         `json:"result"`
	ScreenedAt  string         `json:"screened_at"`
	RuleSet     RuleSetRef     `json:"rule_set"`
	ToolVersion string         `json:"tool_version"`
	Clinician   string         `json:"clinician"`
	// NoPatientID says the clinician saved the record without a patient
	// id on purpose; screening it again does not ask for one
	// (Answers.NoIdentifier). The latest screening event says so.
	NoPatientID bool `json:"no_patient_id,omitempty"`
	// Events is the history, oldest first. A record of format 1 has none.
	Events []Event `json:"events,omitempty"`
	// SHA256 seals the record: the sha256 of the record as written with
	// this field empty, so that an edit of the last event shows too.
	SHA256 string `json:"sha256,omitempty"`

	// raw holds each event as written, which is what the hashes cover,
	// so that a field a later version adds is kept as it is.
	raw []json.RawMessage
	// read is the record as read, which Verify checks; nil once an event
	// is added. The first event of a record of format 1 given a history
	// carries its sha256.
	read []byte
}

// Event is one entry of a saved record's history.
type Event struct {
	Event       string     `json:"event"`
	At          string     `json:"at"`
	By          string     `json:"by"`
	ToolVersion string     `json:"tool_version"`
	RuleSet     RuleSetRef `json:"rule_set"`

	// A screening (screened, rescreened): every answer, its result, and
	// for a re-screen the ids of the answers that changed.
	Answers map[string]any `json:"answers,omitempty"`
	Result  *Result        `json:"result,omitempty"`
	Changed []string       `json:"changed,omitempty"`
	// NoPatientID: the screening was saved without a patient id on
	// purpose.
	NoPatientID bool `json:"no_patient_id,omitempty"`

	// A clearance: the finding as it was cleared, the reason declared by
	// the rule set (its id and words) and a note.
	Finding    string      `json:"finding,omitempty"`
	Level      rules.Level `json:"level,omitempty"`
	Message    string      `json:"message,omitempty"`
	Reason     string      `json:"reason,omitempty"`
	ReasonText string      `json:"reason_text,omitempty"`
	Note       string      `json:"note,omitempty"`
	// Pause is the pause of a medicine the prescriber approved with the
	// clearance, for the patient's handout.
	Pause *Pause `json:"pause,omitempty"`

	// PrevSHA256 is the sha256 of the record before this event, as the
	// file was then (what sha256sum printed); empty for the first event
	// of a new record.
	PrevSHA256 string `json:"prev_sha256"`

	// KeyID names the key that signed the event, and Signature is its
	// Ed25519 signature over the event as written without it (signing.go).
	// Signature is always written last.
	KeyID     string `json:"key_id,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// IsScreening reports whether the event screened the patient.
func (e Event) IsScreening() bool {
	return e.Event == EventScreened || e.Event == EventRescreened || e.Event == EventAdopted
}

// Time reads the event's time.
func (e Event) Time() (time.Time, error) { return time.Parse(time.RFC3339, e.At) }

// NewSavedRecord makes the record of a first screening: a history of one
// event, sealed. An error means the record could not be sealed, and there
// is no record to save.
func NewSavedRecord(a *Answers, res Result, at time.Time, toolVersion string, signer Signer) (SavedRecord, error) {
	r := SavedRecord{Kind: RecordKind, Format: RecordFormat}
	if err := r.append(Event{
		Event: EventScreened, At: at.Format(time.RFC3339), ToolVersion: toolVersion,
		RuleSet: res.RuleSet, Answers: a.Canonical(), Result: &res, NoPatientID: a.NoIdentifier,
	}, &signer); err != nil {
		return SavedRecord{}, fmt.Errorf("sealing the record: %w", err)
	}
	return r, nil
}

// Rescreen adds a re-screen: every answer, the ids of those that changed,
// and the result.
func (r *SavedRecord) Rescreen(a *Answers, res Result, changed []string, at time.Time, toolVersion string, signer Signer) error {
	return r.add(Event{
		Event: EventRescreened, At: at.Format(time.RFC3339), ToolVersion: toolVersion,
		RuleSet: res.RuleSet, Answers: a.Canonical(), Result: &res, Changed: changed, NoPatientID: a.NoIdentifier,
	}, signer)
}

// Adopt screens a record saved before records were signed again, as the
// signer: every answer, under the screener's rule set, and the result. The
// history before it is kept as it was, but a clearance in it no longer
// holds: nothing shows who made it. The signer vouches for the answers
// from here on, having checked them with the patient.
func (r *SavedRecord) Adopt(a *Answers, res Result, at time.Time, toolVersion string, signer Signer) error {
	return r.add(Event{
		Event: EventAdopted, At: at.Format(time.RFC3339), ToolVersion: toolVersion,
		RuleSet: res.RuleSet, Answers: a.Canonical(), Result: &res, NoPatientID: a.NoIdentifier,
	}, signer)
}

// Pause is how a prescriber approved pausing a medicine for treatment:
// so many days before each session, restarted so many hours after it.
type Pause struct {
	DaysBefore        int `json:"days_before"`
	RestartAfterHours int `json:"restart_after_hours,omitempty"`
}

// Clear adds a clearance, with the pause the prescriber approved if any
// (nil for none). The caller has checked that the finding may be cleared
// (see CheckClearance).
func (r *SavedRecord) Clear(f Finding, reason *rules.ClearanceReason, rs RuleSetRef, note string, pause *Pause, at time.Time, toolVersion string, signer Signer) error {
	return r.add(Event{
		Event: EventCleared, At: at.Format(time.RFC3339), ToolVersion: toolVersion, RuleSet: rs,
		Finding: f.Rule, Level: f.Level, Message: f.baseMessage(), Reason: reason.ID, ReasonText: reason.Text, Note: note,
		Pause: pause,
	}, signer)
}

// add appends an event, signed, that names the record as it is now.
func (r *SavedRecord) add(e Event, signer Signer) error {
	if err := r.upgrade(); err != nil {
		return err
	}
	now, err := r.Marshal()
	if err != nil {
		return err
	}
	e.PrevSHA256 = sum(now)
	return r.append(e, &signer)
}

// upgrade gives a record of format 1 its history: one screened event made
// of its fields, which carries the sha256 of the old file.
func (r *SavedRecord) upgrade() error {
	if r.Format >= unsignedFormat {
		return nil
	}
	res := r.Result
	e := Event{
		Event: EventScreened, At: r.ScreenedAt, By: r.Clinician, ToolVersion: r.ToolVersion,
		RuleSet: r.RuleSet, Answers: r.Answers, Result: &res, NoPatientID: r.NoPatientID,
	}
	if r.read != nil {
		e.PrevSHA256 = sum(r.read)
	}
	r.Format = unsignedFormat
	return r.append(e, nil)
}

// append adds the event, signed by signer (unsigned only for the history
// a record saved before format 2 is given by upgrade).
func (r *SavedRecord) append(e Event, signer *Signer) error {
	var b []byte
	var err error
	if signer != nil {
		e, b, err = signEvent(e, *signer)
	} else {
		b, err = json.Marshal(e)
	}
	if err != nil {
		return err
	}
	r.raw = append(r.raw, b)
	r.Events = append(r.Events, e)
	r.read = nil
	r.Format = formatOf(r.raw)
	if e.IsScreening() {
		r.Answers, r.ScreenedAt, r.RuleSet, r.ToolVersion, r.Clinician = e.Answers, e.At, e.RuleSet, e.ToolVersion, e.By
		r.Result, r.NoPatientID = *e.Result, e.NoPatientID
	}
	r.SHA256 = ""
	b, err = r.Marshal()
	if err != nil {
		return err
	}
	r.SHA256 = sealOf(b)
	return nil
}

// LastScreening returns the index of the latest screening event, or -1
// for a record without a history.
func (r *SavedRecord) LastScreening() int {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].IsScreening() {
			return i
		}
	}
	return -1
}

// LatestAnswers returns the answers of the latest screening, to be
// screened again: those of the last screening event, or of a record of
// format 1, its answers.
func (r *SavedRecord) LatestAnswers() map[string]any {
	if i := r.LastScreening(); i >= 0 {
		return r.Events[i].Answers
	}
	return r.Answers
}

// recordJSON is a record as written: the summary taken as written from the
// latest screening event, and the events as written.
type recordJSON struct {
	Kind        string            `json:"kind"`
	Format      int               `json:"format"`
	Answers     json.RawMessage   `json:"answers"`
	Result      json.RawMessage   `json:"result"`
	ScreenedAt  json.RawMessage   `json:"screened_at"`
	RuleSet     json.RawMessage   `json:"rule_set"`
	ToolVersion json.RawMessage   `json:"tool_version"`
	Clinician   json.RawMessage   `json:"clinician"`
	NoPatientID bool              `json:"no_patient_id,omitempty"`
	Events      []json.RawMessage `json:"events"`
	SHA256      string            `json:"sha256"`
}

// screeningJSON is the part of a screening event that the summary repeats.
type screeningJSON struct {
	Event       string          `json:"event"`
	At          json.RawMessage `json:"at"`
	By          json.RawMessage `json:"by"`
	ToolVersion json.RawMessage `json:"tool_version"`
	RuleSet     json.RawMessage `json:"rule_set"`
	Answers     json.RawMessage `json:"answers"`
	Result      json.RawMessage `json:"result"`
	NoPatientID bool            `json:"no_patient_id"`
}

// encode writes the record made of the first events, sealed with seal.
// The bytes depend only on the events as written, so that Verify writes
// any earlier state of the record again exactly.
func encode(events []json.RawMessage, seal string) ([]byte, error) {
	out := recordJSON{Kind: RecordKind, Format: formatOf(events), Events: events, SHA256: seal}
	for i := len(events) - 1; i >= 0; i-- {
		var s screeningJSON
		if err := json.Unmarshal(events[i], &s); err != nil {
			return nil, fmt.Errorf("event %d: %w", i+1, err)
		}
		if s.Event == EventScreened || s.Event == EventRescreened || s.Event == EventAdopted {
			out.Answers, out.Result, out.ScreenedAt, out.RuleSet = s.Answers, s.Result, s.At, s.RuleSet
			out.ToolVersion, out.Clinician, out.NoPatientID = s.ToolVersion, s.By, s.NoPatientID
			break
		}
	}
	if out.Answers == nil {
		return nil, errors.New("the record holds no screening")
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// sealed writes the record of the first events with its seal.
func sealed(events []json.RawMessage) ([]byte, error) {
	b, err := encode(events, "")
	if err != nil {
		return nil, err
	}
	return encode(events, sealOf(b))
}

func sealOf(unsealed []byte) string { return sum(unsealed) }

// formatOf is the format of a record made of the events: 3 once one is
// signed, 2 before, so that a record of format 2 writes the same bytes
// again until it is adopted.
func formatOf(events []json.RawMessage) int {
	for _, b := range events {
		var k struct {
			KeyID string `json:"key_id"`
		}
		if json.Unmarshal(b, &k) == nil && k.KeyID != "" {
			return RecordFormat
		}
	}
	return unsignedFormat
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Marshal writes the record as indented JSON, ending in a newline. A
// record with a history is written in the one form its hashes cover.
func (r SavedRecord) Marshal() ([]byte, error) {
	if r.Format < unsignedFormat {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	return encode(r.raw, r.SHA256)
}

// ReadSavedRecord decodes a saved record, of this format or the one
// before. It does not verify the history: Verify does.
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
	switch r.Format {
	case 0:
		if len(r.Events) > 0 {
			return SavedRecord{}, errors.New(`a saved record with events but no "format"; expected format 2`)
		}
		r.read = bytes.Clone(data)
		return r, nil
	case unsignedFormat, RecordFormat:
	default:
		return SavedRecord{}, fmt.Errorf("a saved record of format %d; this version of mesoscreen reads formats 1 to %d", r.Format, RecordFormat)
	}
	var raw struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return SavedRecord{}, fmt.Errorf("not a saved record: %w", err)
	}
	if len(raw.Events) == 0 {
		return SavedRecord{}, fmt.Errorf("a saved record of format %d without events", r.Format)
	}
	r.raw = raw.Events
	// The events were decoded with numbers kept exact, the answers among
	// them.
	r.Events = make([]Event, len(raw.Events))
	for i, b := range raw.Events {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&r.Events[i]); err != nil {
			return SavedRecord{}, fmt.Errorf("event %d: %w", i+1, err)
		}
	}
	if r.LastScreening() < 0 {
		return SavedRecord{}, errors.New("a saved record whose events hold no screening")
	}
	r.read = bytes.Clone(data)
	return r, nil
}
