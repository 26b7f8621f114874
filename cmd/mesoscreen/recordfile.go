package main

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
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

// readTrustedRecord reads a record that is to get a new event: one whose
// history does not verify is refused, as a new event would vouch for
// what was changed in it.
func readTrustedRecord(path string) (screening.SavedRecord, []byte, error) {
	rec, data, err := readRecord(path)
	if err != nil {
		return rec, nil, err
	}
	if err := rec.Verify(); err != nil && err != screening.ErrNoHistory {
		return rec, nil, failf("%s: the record's history does not verify, so nothing is added to it: %w\nCheck it with \"mesoscreen record verify %s\"; screen the patient anew if it was changed.", path, err, path)
	}
	return rec, data, nil
}

// writeRecord replaces the record file at path with rec, atomically and at
// mode 0600, unless the file is no longer the one read (read): another
// clinician's event would be lost.
func writeRecord(errOut io.Writer, path string, rec screening.SavedRecord, read []byte) error {
	b, err := rec.Marshal()
	if err != nil {
		return failf("%s: %w", path, err)
	}
	var mu sync.Mutex
	var f *atomicfile.File
	stop := onInterrupt(errOut, func() {
		mu.Lock()
		defer mu.Unlock()
		if f != nil {
			f.Abort()
		}
	})
	defer stop()
	mu.Lock()
	f, err = atomicfile.Create(path, true)
	mu.Unlock()
	if err != nil {
		return failf("%s: %w", path, err)
	}
	defer f.Abort()
	if _, err := f.Write(b); err != nil {
		return failf("%s: %w", path, err)
	}
	if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, read) {
		return failf("%s changed while this command ran (another clinician?); nothing was written: run the command again", path)
	}
	if err := f.Commit(); err != nil {
		return failf("%s: %w", path, err)
	}
	return nil
}

// parseAt reads --at: a date (the whole of that day counts) or an RFC
// 3339 time.
func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, failf("--at %q: expected a date as 2026-03-10, or a time as 2026-03-10T09:30:00+01:00", s)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, time.Local), nil
}

// atFlag is the "today" of a command that reads saved records: --at, or
// the clock.
func atFlag(at string, now time.Time) (time.Time, error) {
	if at == "" {
		return now, nil
	}
	return parseAt(at)
}

func plainDate(t time.Time) string { return t.Format(time.DateOnly) }
