package screening

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// ChainError says where a record's history breaks.
type ChainError struct {
	// Event is the event (from 1) at which the break shows.
	Event int
	Msg   string
}

func (e *ChainError) Error() string { return e.Msg }

// Verify checks that the record is the one its history makes: each
// event's prev_sha256 is the sha256 of the record as it was before that
// event, the seal matches the last event, and the record as read holds
// the same as the record the events make. A record laid out anew
// (indented differently, or kept in a JSON array) still verifies; see
// VerifyFile for the file as written.
//
// Every event from the last adoption on (from the first, for a record
// that was never adopted) must be signed with a key keys trusts, under
// the name the key is trusted as: a record saved before records were
// signed is ErrUnsigned, and one signed by a key the clinic does not
// trust does not verify either.
func (r *SavedRecord) Verify(keys *Keyring) error {
	_, err := r.verify(keys)
	return err
}

// VerifyHistory checks what Verify does but the signatures: that the
// record is the one its hash chain makes. A record of format 1 has no
// history to check, and passes. It says whether a record saved before
// records were signed may be adopted (Adopt): one whose history was
// changed may not.
func (r *SavedRecord) VerifyHistory() error {
	if r.Format < unsignedFormat {
		return nil
	}
	data := r.data()
	full, err := r.verifyChain()
	if err != nil {
		return err
	}
	var a, b bytes.Buffer
	if json.Compact(&a, full) != nil || json.Compact(&b, data) != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		return &ChainError{Event: len(r.Events), Msg: "the summary above the events does not match the latest screening in the history: it was changed after the record was written"}
	}
	return nil
}

// Signers names who signed the events, in order, each once.
func (r *SavedRecord) Signers() []string {
	var out []string
	for _, e := range r.Events {
		if e.Signature != "" && !slices.Contains(out, e.By) {
			out = append(out, e.By)
		}
	}
	return out
}

// verify is Verify, returning the record the events make.
func (r *SavedRecord) verify(keys *Keyring) ([]byte, error) {
	data := r.data()
	full, err := r.verifyChain()
	if err != nil {
		return nil, err
	}
	if r.Format < RecordFormat {
		return nil, ErrUnsigned
	}
	if err := r.checkSignatures(keys); err != nil {
		return nil, err
	}
	var a, b bytes.Buffer
	if json.Compact(&a, full) != nil || json.Compact(&b, data) != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		return nil, &ChainError{Event: len(r.Events), Msg: "the summary above the events (answers, result, screened_at, rule_set, tool_version, clinician) does not match the latest screening in the history: it was changed after the record was written"}
	}
	return full, nil
}

// VerifyFile is Verify, and also that data is byte for byte the file
// mesoscreen wrote: any byte changed, even a space, breaks it.
func (r *SavedRecord) VerifyFile(keys *Keyring) error {
	data := r.data()
	full, err := r.verify(keys)
	if err != nil {
		return err
	}
	if !bytes.Equal(full, data) {
		line := 1 + bytes.Count(data[:firstDiff(full, data)], []byte("\n"))
		return &ChainError{Event: len(r.Events), Msg: fmt.Sprintf("line %d: the file holds what its history says, but not as mesoscreen wrote it (spaces or line ends changed); an edited file cannot be told from a reformatted one", line)}
	}
	return nil
}

// data is the record as read, or as it would be written.
func (r *SavedRecord) data() []byte {
	if r.read != nil {
		return r.read
	}
	b, _ := r.Marshal()
	return b
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// verifyChain checks the prev_sha256 of every event and the seal, and
// returns the record the events make.
func (r *SavedRecord) verifyChain() ([]byte, error) {
	if r.Format < unsignedFormat {
		return nil, ErrUnsigned
	}
	for k := 1; k < len(r.raw); k++ {
		before, err := sealed(r.raw[:k])
		if err != nil {
			return nil, &ChainError{Event: k, Msg: fmt.Sprintf("event %d: %v", k, err)}
		}
		if got, want := r.Events[k].PrevSHA256, sum(before); got != want {
			e := r.Events[k]
			return nil, &ChainError{Event: k + 1, Msg: fmt.Sprintf(
				"event %d (%s %s by %s) names the record before it as sha256 %s, but events 1 to %d make sha256 %s: one of them was changed after event %d was added, or that sha256 was",
				k+1, e.Event, e.At, e.By, short(got), k, short(want), k+1)}
		}
	}
	unsealed, err := encode(r.raw, "")
	if err != nil {
		return nil, &ChainError{Event: len(r.raw), Msg: err.Error()}
	}
	if want := sealOf(unsealed); r.SHA256 != want {
		n := len(r.Events)
		return nil, &ChainError{Event: n, Msg: fmt.Sprintf(
			"the record's seal (sha256 %s) does not match its events (sha256 %s): the last event (%d, %s %s) or the seal was changed after it was written",
			short(r.SHA256), short(want), n, r.Events[n-1].Event, r.Events[n-1].At)}
	}
	return encode(r.raw, r.SHA256)
}

// States returns the sha256 of the record after each event, as the file
// was then, so that a copy kept elsewhere can be matched with sha256sum.
func (r *SavedRecord) States() ([]string, error) {
	if r.Format < unsignedFormat {
		return nil, ErrUnsigned
	}
	out := make([]string, len(r.raw))
	for k := 1; k <= len(r.raw); k++ {
		b, err := sealed(r.raw[:k])
		if err != nil {
			return nil, err
		}
		out[k-1] = sum(b)
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	if s == "" {
		return "(none)"
	}
	return s
}
