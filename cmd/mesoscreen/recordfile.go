package main

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/filelock"
	"github.com/mesoscreen/mesoscreen/screening"
)

// readRecord reads the saved record in the file at path, with the bytes
// read (to verify it, and to see that nobody changed it before it is
// written again).
func readRecord(path string) (screening.SavedRecord, []byte, error) {
	data, err := readRecordFile(path)
	if err != nil {
		return screening.SavedRecord{}, nil, err
	}
	rec, err := parseRecord(path, data)
	return rec, data, err
}

// readRecordFile reads the bytes of a record's file, opened once.
func readRecordFile(path string) ([]byte, error) {
	fh, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(fh)
	if err != nil {
		return nil, failf("%s: cannot read: %w", path, err)
	}
	return data, nil
}

// parseRecord reads a saved record from the bytes of its file.
func parseRecord(path string, data []byte) (screening.SavedRecord, error) {
	rec, err := screening.ReadSavedRecord(data)
	if err != nil {
		return screening.SavedRecord{}, failf("%s: %w; expected a record saved by \"mesoscreen interview --save\"", path, err)
	}
	return rec, nil
}

// updateRecord adds an event to the record at path, one writer at a
// time: under the record's lock it reads the record as it is now, refuses
// one that does not verify (a new event would vouch for what was changed
// in it), lets add append the event, and writes it in place
// (atomicfile.Replace: through a link, keeping the file's mode and
// group). A clinician who wrote the record in the meantime is kept: the
// event is added to what they wrote. It returns the record as written.
func (f *Factory) updateRecord(errOut io.Writer, path string, signer screening.Signer, add func(rec *screening.SavedRecord) error) (screening.SavedRecord, error) {
	return f.writeRecordEvent(errOut, path, mustVerify, signer, add)
}

// How writeRecordEvent checks the record before the event is added.
const (
	mustVerify = iota // it must verify
	adopting          // add judges it (record adopt)
)

// writeRecordEvent is updateRecord, with the record checked as check says.
//
// The clinic's journal beside the record must confirm the record as read
// (a copy put back from before a later event is refused), and gets the
// line of the new event before the record is put in place.
func (f *Factory) writeRecordEvent(errOut io.Writer, path string, check int, signer screening.Signer, add func(rec *screening.SavedRecord) error) (screening.SavedRecord, error) {
	keys, err := f.keyring()
	if err != nil {
		return screening.SavedRecord{}, err
	}
	target, err := atomicfile.Target(path)
	if err != nil {
		return screening.SavedRecord{}, failf("%s: %w", path, err)
	}
	unlock, err := filelock.Lock(target)
	if err != nil {
		return screening.SavedRecord{}, failf("%w", err)
	}
	defer unlock()
	rec, _, err := readRecord(path)
	if err != nil {
		return rec, err
	}
	verr := rec.Verify(keys)
	switch {
	case verr != nil && check == mustVerify:
		return rec, failf("%s: the record does not verify, so nothing is added to it: %w\nCheck it with \"mesoscreen record verify %s\"; a record saved before records were signed is adopted with \"mesoscreen record adopt %s\".", path, verr, path, path)
	case verr == nil && check == adopting:
		return rec, failf("%s is signed throughout with keys the clinic trusts; there is nothing to adopt", path)
	case check == adopting && !errors.Is(verr, screening.ErrUnsigned):
		// Only a record saved before records were signed is adopted: a
		// signed one that does not verify was changed (or its signer is
		// not trusted yet, which "key trust" settles), and adopting it
		// would sign what was changed.
		return rec, failf("%s: the record does not verify, so it is not adopted: %w; a signer the clinic does not trust yet is added with \"mesoscreen key trust\"", path, verr)
	}
	js := &journals{f: f, keys: keys}
	if err := js.check(path, &rec); err != nil && !errors.Is(err, screening.ErrNoJournalLine) {
		return rec, failf("%s: nothing is added to it: %w", path, err)
	}
	if err := add(&rec); err != nil {
		return rec, err
	}
	b, err := rec.Marshal()
	if err != nil {
		return rec, failf("%s: %w", path, err)
	}
	// The new file is written in full (a read-only record is refused
	// here) before the journal gets its line, and put in place after: a
	// journal line is never for an event the record did not get.
	var mu sync.Mutex
	var tmp *atomicfile.File
	stop := onInterrupt(errOut, func() {
		mu.Lock()
		defer mu.Unlock()
		if tmp != nil {
			tmp.Abort()
		}
	})
	defer stop()
	mu.Lock()
	tmp, err = atomicfile.Replace(path, b)
	mu.Unlock()
	if err != nil {
		return rec, failf("%s: %w", path, err)
	}
	defer tmp.Abort()
	if err := f.appendJournal(path, &rec, signer); err != nil {
		return rec, failf("%s: nothing was added to it: %w", path, err)
	}
	if err := tmp.Commit(); err != nil {
		return rec, failf("%s: %w", path, err)
	}
	return rec, nil
}

// parseAt reads --at: a date (the whole of that day counts) or an RFC
// 3339 time.
func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, errAt
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, time.Local), nil
}

// atFlag is the "today" of a command that reads saved records: --at, or
// the clock.
func atFlag(at string, now time.Time) (time.Time, error) {
	if at == "" {
		return now, nil
	}
	t, err := parseAt(at)
	if err != nil {
		return t, failf("--at %q: %w", at, err)
	}
	return t, nil
}

func plainDate(t time.Time) string { return t.Format(time.DateOnly) }
