package screening

import (
	"fmt"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// A screener whose rule set is a translation (rules.RuleSet.In) writes
// its findings, instructions and course in that language, and the
// program's own words (the fail-safe findings, "and", "yes") too. The
// verdict, the levels and every id are the same in every language: a
// translation changes words, never what is decided.
//
// A clearance is of a finding in the words it had when it was cleared
// (history.go), so that a finding that changed is not cleared by an old
// clearance. Those words are kept in the rule set's own language, so that
// a patient cleared while the record was read in Spanish stays cleared
// when it is read in English, and the other way round.

// baseLang is the rule set in its own language, for a screener whose
// rule set is a translation of it.
type baseLang struct {
	rs *rules.RuleSet
	tr *i18n.Printer
}

func newBaseLang(rs *rules.RuleSet) *baseLang {
	if rs.Lang == rs.BaseLang() {
		return nil
	}
	b, err := rs.In(rs.BaseLang())
	if err != nil {
		return nil
	}
	return &baseLang{rs: b, tr: i18n.For(b.Lang)}
}

// message is the message of rule i in the rule set's own language, ""
// when the screener's language is that already.
func (b *baseLang) message(act *activation, i int) string {
	if b == nil {
		return ""
	}
	return rules.Expand(b.rs.Rules[i].Message, &filler{act: act, rs: b.rs, tr: b.tr, base: true})
}

// baseMessage is the finding's message in the rule set's own language.
func (f Finding) baseMessage() string {
	if f.base != "" {
		return f.base
	}
	return f.Message
}

// Printer says the program's words in the language of the screener's
// rule set.
func (s *Screener) Printer() *i18n.Printer { return s.tr }

// DuplicatePatient is the finding DuplicatePatient makes, in the
// screener's language: the identifier id was first seen in record rec of
// file.
func (s *Screener) DuplicatePatient(field, id string, rec int, file string) Finding {
	f := DuplicatePatient(field, id, fmt.Sprintf("record %d of %s", rec, file))
	if s.tr.Lang() != "en" {
		f.Message = s.tr.T("%s %q was already used by %s; check which intake is this patient's", field, id, s.tr.T("record %d of %s", rec, file))
	}
	return f
}

// SourceNames says a finding's or a step's Source ("003, clinic
// protocol") in the words of language lang: each source the rule set
// names by its name there (rules.RuleSet.SourceName), mesoscreen's own
// fail-safe findings in the program's words. The Source itself keeps the
// ids, the same in every language, as the record and JSON hold them. rs
// may be nil: the rule set's ids are then said as they are.
func SourceNames(source string, rs *rules.RuleSet, lang string) string {
	if source == "" {
		return ""
	}
	ids := strings.Split(source, ", ")
	for i, id := range ids {
		switch {
		case id == failSafeSource:
			ids[i] = i18n.For(lang).T("mesoscreen fail-safe")
		case rs != nil:
			ids[i] = rs.SourceName(id)
		}
	}
	return strings.Join(ids, ", ")
}
