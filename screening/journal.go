package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mesoscreen/mesoscreen/rules"
)

// A clinic's journal is an append-only log, one line per event written
// to any record in its folder: which record (by the sha256 of its first
// event), how many events it then held, the sha256 of the file, when and
// by whom. The lines are hash-chained and signed, as events are. A record
// put back from before a later event (a backup restored, an earlier copy
// of the file) verifies on its own; the journal says a later event
// exists, and the record is not believed.

// JournalEntry is one line of a journal.
type JournalEntry struct {
	Record string `json:"record"`
	Events int    `json:"events"`
	SHA256 string `json:"sha256"`
	Event  string `json:"event"`
	At     string `json:"at"`
	By     string `json:"by"`
	// Prev is the sha256 of the line before it, as written; "" for the
	// first.
	Prev      string `json:"prev"`
	KeyID     string `json:"key_id"`
	Signature string `json:"signature,omitempty"`
}

// journalContext starts the bytes a journal line's signature covers.
const journalContext = "mesoscreen journal line\n"

// ID names a record for the journal: the sha256 of its first event as
// written, which no later event changes. A record without a history has
// none.
func (r *SavedRecord) ID() string {
	if len(r.raw) == 0 {
		return ""
	}
	var c bytes.Buffer
	if json.Compact(&c, r.raw[0]) != nil {
		return sum(r.raw[0])
	}
	return sum(c.Bytes())
}

// JournalLine writes the journal line of the record as it is now (just
// after its last event), chained to the line whose bytes are prev (nil
// for the first), signed by s.
func JournalLine(rec *SavedRecord, prev []byte, s Signer) ([]byte, error) {
	data, err := rec.Marshal()
	if err != nil {
		return nil, err
	}
	last := rec.Events[len(rec.Events)-1]
	e := JournalEntry{Record: rec.ID(), Events: len(rec.Events), SHA256: sum(data), Event: last.Event, At: last.At,
		By: s.Name, KeyID: s.KeyID()}
	if prev != nil {
		e.Prev = sum(bytes.TrimRight(prev, "\n"))
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	line, _ := signJSON(journalContext, b, s.Key)
	return append(line, '\n'), nil
}

// Journal is a journal as read and checked.
type Journal struct {
	// Latest is the last line for each record.
	Latest map[string]JournalEntry
	// Broken says why the journal cannot be believed: a line changed,
	// removed or not signed by a trusted key. Every record it names then
	// needs review.
	Broken error
}

// ReadJournal reads and checks a journal: each line names the sha256 of
// the line before it and is signed by a key keys trusts.
func ReadJournal(data []byte, keys *Keyring) Journal {
	j := Journal{Latest: map[string]JournalEntry{}}
	prev := ""
	for n, line := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e JournalEntry
		if err := json.Unmarshal(line, &e); err != nil {
			j.Broken = fmt.Errorf("journal line %d: %w", n+1, err)
			return j
		}
		if e.Prev != prev {
			j.Broken = fmt.Errorf("journal line %d does not follow line %d: a line was changed or removed", n+1, n)
			return j
		}
		if err := checkSigned(journalContext, line, e.KeyID, e.By, e.Signature, keys, fmt.Sprintf("journal line %d", n+1)); err != nil {
			j.Broken = err
			return j
		}
		prev = sum(line)
		j.Latest[e.Record] = e
	}
	return j
}

// ErrNoJournalLine is what Check says of a record the journal does not
// name: saved where no journal was kept, or copied in from elsewhere.
var ErrNoJournalLine = errors.New("the clinic's journal holds no line for this record")

// Check says whether the record is the latest the journal knows: an
// error names a later event the record lacks, or another history.
func (j Journal) Check(rec *SavedRecord) error {
	if j.Broken != nil {
		return j.Broken
	}
	e, ok := j.Latest[rec.ID()]
	if !ok {
		return ErrNoJournalLine
	}
	data, err := rec.Marshal()
	if err != nil {
		return err
	}
	switch {
	case e.Events > len(rec.Events):
		return fmt.Errorf("a later event exists: %s %s by %s (event %d; this copy holds %d): an earlier copy of the record was put back", e.Event, e.At, e.By, e.Events, len(rec.Events))
	case e.Events == len(rec.Events) && e.SHA256 != sum(data):
		return fmt.Errorf("the journal's event %d (%s %s by %s) is not this record's: the record was replaced", e.Events, e.Event, e.At, e.By)
	case e.Events < len(rec.Events):
		// Events the journal never saw: the record as it was at the
		// journal's last line must be the one the journal names, or this
		// is another history grown from the same first event.
		states, err := rec.States()
		if err != nil {
			return err
		}
		if states[e.Events-1] != e.SHA256 {
			return fmt.Errorf("the journal's event %d (%s %s by %s) is not this record's: the record was replaced", e.Events, e.Event, e.At, e.By)
		}
		return fmt.Errorf("the record holds %d events the journal never saw, after its event %d (%s %s by %s)", len(rec.Events)-e.Events, e.Events, e.Event, e.At, e.By)
	}
	return nil
}

// JournalFinding is the record-altered finding of a journal's word on a
// record, in the screener's language.
func (s *Screener) JournalFinding(err error) Finding {
	return Finding{Rule: RuleRecordAltered, Level: rules.NeedsReview, Source: failSafeSource,
		Message: s.tr.T("the clinic's journal does not confirm the record (%v); check it with \"mesoscreen record verify\" and screen the patient again", err)}
}
