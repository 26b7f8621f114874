package screening

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Rule ids of the findings a saved record's history adds.
const (
	// RuleRescreenDue: the record was screened longer ago than the rule
	// set's valid_for_days, or its date cannot be used.
	RuleRescreenDue = "rescreen-due"
	// RuleRecordAltered: the record's history does not verify.
	RuleRecordAltered = "record-altered"
)

// Clearance is a clearance of one finding, as a saved record holds it,
// and whether it holds for the result it is shown with (SPEC §7).
type Clearance struct {
	Finding    string      `json:"finding"`
	Level      rules.Level `json:"level"`
	Reason     string      `json:"reason"`
	ReasonText string      `json:"reason_text"`
	By         string      `json:"by"`
	At         string      `json:"at"`
	Note       string      `json:"note,omitempty"`
	Pause      *Pause      `json:"pause,omitempty"`
	RuleSet    RuleSetRef  `json:"rule_set"`
	// Applies is false when the clearance does not hold for this result;
	// NotApplied says why, and the finding then counts.
	Applies    bool   `json:"applies"`
	NotApplied string `json:"not_applied,omitempty"`
}

// RecordStatus describes the saved record a result was screened from.
type RecordStatus struct {
	// ScreenedAt is when the answers were last screened.
	ScreenedAt string `json:"screened_at"`
	// Events counts the events of the history; 0 for a record of format 1.
	Events int `json:"events"`
	// VerdictBeforeClearances is the verdict the findings give with no
	// clearance; set only when a clearance changes it.
	VerdictBeforeClearances rules.Level `json:"verdict_before_clearances,omitempty"`
}

// recordCheck is a saved record to apply to the screening of its answers,
// and the day it is checked on.
type recordCheck struct {
	rec *SavedRecord
	at  time.Time
}

// EvaluateSaved screens a saved record's latest answers, a, as Evaluate
// does, then applies its history as of at: the findings the record's
// clearances still clear no longer count, a needs_review finding comes
// when the screening is older than the rule set's valid_for_days, and
// another when the record, as read, does not verify (its clearances then
// count for nothing).
func (s *Screener) EvaluateSaved(a *Answers, rec *SavedRecord, at time.Time, extra ...Finding) Result {
	return s.evaluate(a, nil, extra, &recordCheck{rec: rec, at: at})
}

// EvaluateSaved is Screener.EvaluateSaved through the evaluator's memo.
func (e *Evaluator) EvaluateSaved(a *Answers, rec *SavedRecord, at time.Time, extra ...Finding) Result {
	return e.s.evaluate(a, e, extra, &recordCheck{rec: rec, at: at})
}

// Review screens a saved record again as of at: its latest answers, read
// for the screener's rule set, with its history applied (EvaluateSaved).
func (s *Screener) Review(rec *SavedRecord, at time.Time) Result {
	return s.EvaluateSaved(Parse(s.rs, rec.LatestAnswers()), rec, at)
}

// apply adds the record's findings to res and sets its verdict, before
// the instructions are chosen for that verdict.
func (rc *recordCheck) apply(s *Screener, res *Result) {
	rec := rc.rec
	res.Record = &RecordStatus{ScreenedAt: rec.ScreenedAt, Events: len(rec.Events)}
	// A record is believed only when its history verifies and is signed
	// with keys the clinic trusts; otherwise its clearances count for
	// nothing, and it needs review whatever its answers say.
	trusted := true
	if err := rec.Verify(s.opts.Keys); err != nil {
		trusted = false
		res.Findings = append(res.Findings, Finding{
			Rule: RuleRecordAltered, Level: rules.NeedsReview, Source: failSafeSource,
			Message: s.tr.T("the record's history does not verify (%v); check it with \"mesoscreen record verify\" and screen the patient again", err),
		})
	}
	if f, ok := rc.validity(s); ok {
		res.Findings = append(res.Findings, f)
	}
	res.Clearances = nil
	active := map[string]int{} // finding -> the clearance that holds for it
	for i, e := range rec.Events {
		if e.Event != EventCleared {
			continue
		}
		c := Clearance{Finding: e.Finding, Level: e.Level, Reason: e.Reason, ReasonText: e.ReasonText,
			By: e.By, At: e.At, Note: e.Note, Pause: e.Pause, RuleSet: e.RuleSet}
		if cr, ok := s.rs.ClearanceReason(e.Reason); ok && s.base != nil {
			// The reason in the words of the language read in; the record
			// keeps them in the rule set's own.
			c.ReasonText = cr.Text
		}
		j := slices.IndexFunc(res.Findings, func(f Finding) bool { return f.Rule == e.Finding })
		if c.NotApplied = rc.notApplied(s, res, i, j, trusted); c.NotApplied == "" {
			c.Applies = true
			if k, ok := active[c.Finding]; ok {
				res.Clearances[k].Applies = false
				res.Clearances[k].NotApplied = s.tr.T("a later clearance of the same finding takes its place")
			}
			active[c.Finding] = len(res.Clearances)
		}
		res.Clearances = append(res.Clearances, c)
	}
	for i, f := range res.Findings {
		if f.Source == failSafeSource {
			continue // mesoscreen's own findings are never cleared
		}
		if k, ok := active[f.Rule]; ok {
			c := res.Clearances[k]
			res.Findings[i].Cleared = &c
		}
	}
	// Findings that count, most severe first; then those cleared.
	slices.SortStableFunc(res.Findings, func(x, y Finding) int {
		if (x.Cleared == nil) != (y.Cleared == nil) {
			if x.Cleared == nil {
				return -1
			}
			return 1
		}
		return y.Level.Severity() - x.Level.Severity()
	})
	res.Verdict = rules.Eligible
	if len(res.Findings) > 0 && res.Findings[0].Cleared == nil {
		res.Verdict = res.Findings[0].Level
	}
	uncleared := rules.Eligible
	for _, f := range res.Findings {
		if f.Level.Severity() > uncleared.Severity() {
			uncleared = f.Level
		}
	}
	if uncleared != res.Verdict {
		res.Record.VerdictBeforeClearances = uncleared
	}
}

// notApplied says why the clearance of event i does not hold for res,
// whose finding j it names (-1 if none), or "" when it holds. A
// clearance holds while the record verifies, under the rule set it was
// made under, for the same finding in the same words, on the same
// answers: a re-screen that changed an answer the rule reads (or a
// follow-up of one) needs the finding cleared again.
func (rc *recordCheck) notApplied(s *Screener, res *Result, i, j int, trusted bool) string {
	rec, e := rc.rec, rc.rec.Events[i]
	tr := s.tr
	if !trusted {
		return tr.T("the record's history does not verify, so no clearance in it can be trusted")
	}
	if i < rec.signedFrom() {
		return tr.T("it was made before the record was adopted, and is not signed")
	}
	if t, err := e.Time(); err != nil || t.After(rc.at) {
		if err != nil {
			return tr.T("its time %q cannot be read", e.At)
		}
		return tr.T("it was made after %s, the day this check is for", rc.at.Format(time.DateOnly))
	}
	if e.RuleSet.SHA256 != s.ref.SHA256 {
		return tr.T("it was made under rule set %s version %s (sha256 %s); this check uses %s version %s (sha256 %s)",
			e.RuleSet.Name, e.RuleSet.Version, short(e.RuleSet.SHA256), s.ref.Name, s.ref.Version, short(s.ref.SHA256))
	}
	if j < 0 {
		return tr.T("the record's latest screening has no such finding")
	}
	f := res.Findings[j]
	if f.Level != e.Level || f.baseMessage() != e.Message {
		return tr.T("the finding has changed since it was cleared: now %s, %q", f.Level, f.Message)
	}
	if r, ok := s.rs.Rule(f.Rule); !ok {
		return tr.T("the rule set has no rule %s", f.Rule)
	} else if ok, why := r.CanClear(); !ok {
		return why
	}
	// The screening it cleared, and the latest.
	cleared, latest := -1, rec.LastScreening()
	for k := i - 1; k >= 0; k-- {
		if rec.Events[k].IsScreening() {
			cleared = k
			break
		}
	}
	if cleared < 0 {
		return tr.T("no screening comes before it")
	}
	if cleared != latest {
		r, _ := s.rs.Rule(f.Rule)
		old := Parse(s.rs, rec.Events[cleared].Answers).Canonical()
		now := Parse(s.rs, rec.Events[latest].Answers).Canonical()
		var changed []string
		for _, id := range restsOn(s.rs, r) {
			if !reflect.DeepEqual(old[id], now[id]) {
				changed = append(changed, id)
			}
		}
		if len(changed) > 0 {
			return tr.T("the re-screen of %s changed %s, which the finding rests on", dateOf(rec.Events[latest].At), strings.Join(changed, ", "))
		}
	}
	return ""
}

// restsOn lists the answers a rule's finding rests on: those its condition
// reads (the medications answer for a derived field), and their
// follow-ups.
func restsOn(rs *rules.RuleSet, r *rules.Rule) []string {
	ids := map[string]bool{}
	for _, id := range r.Cond().Reads() {
		if rules.IsDerived(id) {
			id = MedicationsField
		}
		ids[id] = true
	}
	var out []string
	for _, q := range rs.Questions {
		follows := false
		if c := q.Cond(); c != nil {
			for _, id := range c.Reads() {
				follows = follows || ids[id]
			}
		}
		if ids[q.ID] || follows {
			ids[q.ID] = true
			out = append(out, q.ID)
		}
	}
	return out
}

// validity returns the needs_review finding of a record screened longer
// ago than the rule set's valid_for_days, counted in calendar days up to
// the day of the check.
func (rc *recordCheck) validity(s *Screener) (Finding, bool) {
	rs, tr := s.rs, s.tr
	days := rs.ValidForDays()
	f := Finding{Rule: RuleRescreenDue, Level: rules.NeedsReview, Source: "clinic protocol"}
	if p, ok := rs.Param(rules.ParamValidForDays); ok && len(p.Source) > 0 {
		f.Source = strings.Join(p.Source, ", ")
	}
	at, err := time.Parse(time.RFC3339, rc.rec.ScreenedAt)
	if err != nil {
		f.Message = tr.T("the record's screening date %q cannot be read; re-screen before treatment", rc.rec.ScreenedAt)
		return f, true
	}
	ago := civilDays(at, rc.at)
	switch {
	case ago < 0:
		f.Message = tr.T("screened on %s, after %s, the day this check is for; check it for a later day", dateOf(rc.rec.ScreenedAt), rc.at.Format(time.DateOnly))
		return f, true
	case ago > days:
		// days is 1 or more, so ago is 2 or more: only days may be one.
		f.Message = tr.N(days, "screened on %s, %d days ago: re-screen before treatment (a screening holds for %d day)",
			"screened on %s, %d days ago: re-screen before treatment (a screening holds for %d days)", dateOf(rc.rec.ScreenedAt), ago, days)
		return f, true
	}
	return Finding{}, false
}

// civilDays counts the calendar days from a to b, each on the calendar of
// its own time zone as written.
func civilDays(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// dateOf is the date of an RFC 3339 time, as written.
func dateOf(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.DateOnly)
	}
	return s
}
