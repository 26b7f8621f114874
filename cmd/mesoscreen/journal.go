package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/filelock"
	"github.com/mesoscreen/mesoscreen/screening"
)

// journalFile is the clinic's journal in a folder of records: one line per
// event written to any record there (screening.JournalLine). It sits
// beside the records, where whoever may write them writes it, so that it
// goes wherever the folder goes (a backup, a shared drive); an append to
// one file needs no database.
const journalFile = "mesoscreen-journal.jsonl"

// journalPath is the journal of the record at path: the config file's
// journal: (one for every record, where the clinic keeps records in
// several folders), else the journal of the folder the record (through
// any link) is in.
func (f *Factory) journalPath(path string) string {
	if cfg, err := f.config(); err == nil && config.JournalPath(cfg) != "" {
		return config.JournalPath(cfg)
	}
	if t, err := atomicfile.Target(path); err == nil {
		path = t
	}
	return filepath.Join(filepath.Dir(path), journalFile)
}

// appendJournal adds the line of rec, as it is about to be written, to
// the journal beside path, under the journal's lock. It is called under
// the record's lock, before the record is renamed into place: a record
// is never newer than its journal.
func (f *Factory) appendJournal(path string, rec *screening.SavedRecord, signer screening.Signer) error {
	jp := f.journalPath(path)
	jf, err := os.OpenFile(jp, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("the journal %s: %w", jp, err)
	}
	_ = jf.Close()
	unlock, err := filelock.Lock(jp)
	if err != nil {
		return err
	}
	defer unlock()
	data, err := os.ReadFile(jp)
	if err != nil {
		return fmt.Errorf("the journal %s: %w", jp, err)
	}
	var prev []byte
	if lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")); len(data) > 0 {
		prev = lines[len(lines)-1]
	}
	line, err := screening.JournalLine(rec, prev, signer)
	if err != nil {
		return err
	}
	jf, err = os.OpenFile(jp, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("the journal %s: %w", jp, err)
	}
	if _, err = jf.Write(line); err == nil {
		err = jf.Sync()
	}
	if cerr := jf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("the journal %s: %w", jp, err)
	}
	return nil
}

// errNoJournalForStream is what the journal says of a saved record read
// from a stream.
var errNoJournalForStream = errors.New("it was read from a stream, which has no folder and so no journal to confirm it: check the record's file instead")

// journals reads the journals of record folders, each once.
type journals struct {
	f    *Factory
	keys *screening.Keyring
	read map[string]*screening.Journal // by journal path; nil for none
}

// check is what the journal beside the record at path says of rec: nil
// when it confirms it, or when the folder keeps no journal.
func (js *journals) check(path string, rec *screening.SavedRecord) error {
	jp := js.f.journalPath(path)
	j, ok := js.read[jp]
	if !ok {
		data, err := os.ReadFile(jp)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			j = &screening.Journal{Broken: fmt.Errorf("the journal %s cannot be read: %w", jp, err)}
		default:
			jj := screening.ReadJournal(data, js.keys)
			j = &jj
		}
		if js.read == nil {
			js.read = map[string]*screening.Journal{}
		}
		js.read[jp] = j
	}
	if j == nil {
		return nil
	}
	return j.Check(rec)
}
