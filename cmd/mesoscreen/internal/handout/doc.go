// Package handout writes what a patient takes home after a screening (the
// verdict in plain words, the steps before and after each session, the
// course, when to call, signature lines) and the letter that asks a
// prescriber to decide about a finding, as PDF or as self-contained HTML.
// Every fixed word comes from the rule set (rules.Handout); the
// instructions are the result's, tailored as screening gave them.
package handout

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// Clinic is the clinic the handout comes from.
type Clinic struct {
	Name  string `yaml:"name"`
	Phone string `yaml:"phone"`
	// Address, Email and Fax are where a prescriber's letter asks for
	// the reply.
	Address string `yaml:"address"`
	Email   string `yaml:"email"`
	Fax     string `yaml:"fax"`
}

// replyTo is where a letter asks for the reply: the clinic's name and
// every way the config gives to reach it.
func (c Clinic) replyTo(tr *i18n.Printer) string {
	var parts []string
	for _, p := range []string{c.Name, c.Address, c.Phone, c.Email} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if c.Fax != "" {
		parts = append(parts, tr.T("fax %s", c.Fax))
	}
	return strings.Join(parts, ", ")
}

// Input is what a handout or a letter is made from.
type Input struct {
	Result screening.Result
	// Answers are the answers screened, for a letter to name the medicine
	// as answered when the patient listed none; nil leaves that out.
	Answers *screening.Answers
	RuleSet *rules.RuleSet
	Clinic  Clinic
	Date    time.Time
	// Sessions are the planned session dates, if any.
	Sessions []time.Time
}

// Page is one printed document: a handout, or one letter.
type Page struct {
	Title  string
	Clinic Clinic
	// ClinicLabel and PhoneLabel name the clinic's fields.
	ClinicLabel, PhoneLabel string
	Fields                  []Field
	// Verdict is the verdict in the patient's words, with its level for
	// the colour; empty on a letter.
	Verdict      string
	VerdictLevel rules.Level
	Blocks       []Block
	Signatures   []Signature
	Closing      string
	// OnePage asks for the page to fit on one sheet, in smaller type if
	// it must.
	OnePage bool
}

// Field is a labelled value near the top: the patient, the date.
type Field struct{ Label, Value string }

// Block is a heading and what comes under it.
type Block struct {
	Heading string
	Text    []string // paragraphs
	Items   []string // a bulleted list
	Checks  []string // boxes to tick, each with room to write
	Rows    [][2]string
}

// Signature is a place to sign: who, and the labels of its lines.
type Signature struct {
	Who   string
	Lines []string // "Name", "Signature", "Date"
}

// ErrNoHandout is the error for a rule set that has no handout: words.
var ErrNoHandout = fmt.Errorf("the rule set has no handout: block, so it gives no words for a handout or a letter; copy it from the built-in rule set (mesoscreen rules init)")

// Patient makes the handout the patient takes home.
func Patient(in Input) (Page, error) {
	h := in.RuleSet.Handout
	if h == nil {
		return Page{}, ErrNoHandout
	}
	res := in.Result
	tr := i18n.For(in.RuleSet.Lang)
	p := Page{
		Title: h.Title, Clinic: in.Clinic, ClinicLabel: h.Label("clinic"), PhoneLabel: h.Label("phone"),
		Fields: []Field{
			{h.Label("patient"), res.PatientID},
			{h.Label("date"), longDate(tr, in.Date)},
		},
		Verdict: fill(h.Verdicts[res.Verdict], in), VerdictLevel: res.Verdict,
	}
	if !res.Verdict.AllowsTreatment() {
		var why, next []string
		for _, f := range res.Findings {
			if f.Cleared == nil && f.Level == res.Verdict {
				reason, step := patientWords(in.RuleSet, tr, f)
				why = appendNew(why, fill(reason, in))
				if step != "" {
					next = appendNew(next, fill(step, in))
				}
			}
		}
		p.Blocks = append(p.Blocks,
			Block{Heading: h.Label("why"), Items: why},
			Block{Heading: h.Label("next_steps"), Text: append(next, fill(h.NextSteps[res.Verdict], in))})
	}
	var cleared []string
	for _, f := range res.Findings {
		if c := f.Cleared; c != nil {
			item := fmt.Sprintf("%s (%s, %s)", c.ReasonText, c.By, longDate(tr, parseTime(c.At)))
			// The pause the prescriber approved is the patient's to keep:
			// how long, not only that there is one.
			if p := c.Pause; p != nil {
				item += " " + tr.N(p.DaysBefore, "Stop it %d day before each session.", "Stop it %d days before each session.", p.DaysBefore)
				if p.RestartAfterHours > 0 {
					item += " " + tr.N(p.RestartAfterHours, "Start it again %d hour after the session.", "Start it again %d hours after the session.", p.RestartAfterHours)
				}
			}
			cleared = append(cleared, item)
		}
	}
	if len(cleared) > 0 {
		p.Blocks = append(p.Blocks, Block{Heading: h.Label("cleared"), Items: cleared})
	}
	// The instructions come with the verdicts that allow treatment, at
	// once or once cleared (rules.Instructions.ShowFor): the result has
	// them exactly then.
	if len(res.PreTreatment) > 0 {
		p.Blocks = append(p.Blocks, Block{Heading: h.Label("pre_treatment"), Items: res.PreTreatment})
	}
	// After a session is for a patient who may have one now: one who
	// waits for a check (needs review) is given it once booked, and
	// told so by next_steps.
	if len(res.Aftercare) > 0 && res.Verdict.AllowsTreatment() {
		p.Blocks = append(p.Blocks, Block{Heading: h.Label("aftercare"), Items: res.Aftercare})
	}
	if len(res.Course) > 0 {
		var steps []string
		for _, s := range res.Course {
			steps = append(steps, s.Text)
		}
		p.Blocks = append(p.Blocks, Block{Heading: h.Label("course"), Items: steps})
		if len(in.Sessions) > 0 {
			b := Block{Heading: h.Label("sessions")}
			for i, d := range in.Sessions {
				b.Rows = append(b.Rows, [2]string{fmt.Sprintf("%s %d", h.Label("session"), i+1), tr.LongDate(d)})
			}
			p.Blocks = append(p.Blocks, b)
		}
	}
	// When to call is about a session and the course after it: a patient
	// who will not be treated, or not before a check or a new screening,
	// is told nothing about a session that has not been booked (nor "you
	// become pregnant" when she is, or may be).
	if res.Verdict.AllowsTreatment() {
		var call []string
		for _, it := range h.WhenToCall {
			call = append(call, fill(it.Text, in))
		}
		p.Blocks = append(p.Blocks, Block{Heading: h.Label("when_to_call"), Items: call})
	}
	lines := []string{h.Label("name"), h.Label("signature"), h.Label("date")}
	p.Signatures = []Signature{{h.Label("patient_signature"), lines}, {h.Label("clinician_signature"), lines}}
	return p, nil
}

// patientWords says a finding in the patient's words, and what happens
// next about it: the rule set's handout reason and step for its rule,
// its words for a "not sure" answer to the question, or mesoscreen's own
// words for its fail-safe findings. A rule without a reason (which lint
// warns of) is shown in its message's words.
func patientWords(rs *rules.RuleSet, tr *i18n.Printer, f screening.Finding) (reason, step string) {
	h := rs.Handout
	if _, ok := rs.Rule(f.Rule); ok {
		reason = h.Reasons[f.Rule]
		if reason == "" {
			reason = f.Message
		}
		return reason, h.Steps[f.Rule]
	}
	switch f.Rule {
	case screening.RuleUnsure:
		reason, step = h.Unsure[f.Field], h.UnsureSteps[f.Field]
		if reason == "" {
			name := f.Field
			if q, ok := rs.Question(f.Field); ok {
				name = q.Name()
			}
			reason = tr.T("You were not sure of one answer (%s). The clinic has to find it out with you.", name)
		}
		if step == "" {
			step = tr.T("The clinic will go through that question with you before your treatment is booked.")
		}
		return reason, step
	case screening.RuleRescreenDue:
		return tr.T("Your screening was some time ago, so its questions have to be asked again."),
			tr.T("Answer the screening questions again at the clinic before your next session.")
	}
	return tr.T("Something in your answers or in your record has to be checked by the clinic."),
		tr.T("The clinic will check it with you before your treatment is booked.")
}

// Letters makes one letter for each finding of the result that needs a
// prescriber's decision (the rule set's handout letter rules) and is not
// cleared yet.
func Letters(in Input) ([]Page, error) {
	h := in.RuleSet.Handout
	if h == nil || h.Letter == nil {
		return nil, ErrNoHandout
	}
	lt := h.Letter
	tr := i18n.For(in.RuleSet.Lang)
	var out []Page
	for _, f := range in.Result.Findings {
		lr, ok := lt.Rules[f.Rule]
		if !ok || f.Cleared != nil {
			continue
		}
		name, written := medicineOf(in, lr)
		if name == "" {
			name = lt.Label("not_named") + ": ______________________"
		}
		why := []string{f.Message}
		if r, ok := in.RuleSet.Rule(f.Rule); ok && strings.TrimSpace(r.Rationale) != "" {
			why = append(why, strings.TrimSpace(r.Rationale))
		}
		var sources []string
		for _, id := range strings.Split(f.Source, ", ") {
			if t := in.RuleSet.SourceTitle(id); t != "" {
				sources = append(sources, tr.T("%s: %s", in.RuleSet.SourceName(id), t))
			} else if id != "" {
				sources = append(sources, id)
			}
		}
		// The prescriber knows the patient by name and date of birth,
		// which the record does not hold: lines for the clinic to write
		// them in.
		fields := []Field{
			{lt.Label("to"), name},
			{lt.Label("patient"), in.Result.PatientID},
			{lt.Label("patient_name"), "______________________________"},
			{lt.Label("birth_date"), "______________"},
			{lt.Label("date"), longDate(tr, in.Date)},
		}
		if written != "" {
			fields = append(fields, Field{lt.Label("medicine"), written})
		}
		fields = append(fields, Field{lt.Label("medicines_written"), writtenOrNone(tr, in.Result.MedicationsWritten)})
		fields = append(fields, plannedCourse(in, lt, tr)...)
		if to := in.Clinic.replyTo(tr); to != "" {
			fields = append(fields, Field{lt.Label("reply_to"), to})
		}
		p := Page{
			Title: lt.Title, Clinic: in.Clinic, ClinicLabel: h.Label("clinic"), PhoneLabel: h.Label("phone"),
			Fields: fields,
			Blocks: []Block{
				{Text: []string{fill(lt.Intro, in)}},
				{Heading: lt.Label("ask"), Text: []string{fill(lr.Ask, in)}},
				{Heading: lt.Label("why"), Text: why},
				{Heading: lt.Label("source"), Items: sources},
				{Heading: lt.Label("reply"), Checks: fillAll(lr.Replies, in)},
			},
			Signatures: []Signature{{lt.Label("prescriber"), []string{lt.Label("name"), lt.Label("signature"), lt.Label("date")}}},
			Closing:    fill(lt.Closing, in),
			// A letter is faxed or posted back: its reply, signature and
			// return address have to be on the one sheet.
			OnePage: true,
		}
		out = append(out, p)
	}
	return out, nil
}

// writtenOrNone is the medication list as the patient wrote it, doses
// included, on one line.
func writtenOrNone(tr *i18n.Printer, written string) string {
	if w := strings.Join(strings.Fields(written), " "); w != "" {
		return w
	}
	return tr.T("none listed")
}

// plannedCourse is what a prescriber weighs a pause against: the
// course's first step (how many sessions, how far apart), the session
// dates when they are planned, and the answers the rule set's letter
// names (the areas); nothing when the verdict gives no course yet.
func plannedCourse(in Input, lt *rules.Letter, tr *i18n.Printer) []Field {
	var out []Field
	if len(in.Result.Course) > 0 {
		out = append(out, Field{lt.Label("course"), in.Result.Course[0].Text})
	}
	if n := len(in.Sessions); n > 0 {
		v := longDate(tr, in.Sessions[0])
		if n > 1 {
			days := int(in.Sessions[1].Sub(in.Sessions[0]).Hours()/24 + 0.5)
			every := tr.T("every day")
			if days != 1 {
				every = tr.T("every %d days", days)
			}
			v = tr.T("%d sessions from %s to %s, %s", n, v, longDate(tr, in.Sessions[n-1]), every)
		}
		out = append(out, Field{lt.Label("sessions"), v})
	}
	if in.Answers == nil {
		return out
	}
	for _, id := range lt.Answers {
		q, ok := in.RuleSet.Question(id)
		if !ok {
			continue
		}
		if a := in.Answers.Get(id); a.State == screening.Given {
			out = append(out, Field{q.Name(), a.TextIn(tr, q, screening.Alone)})
		}
	}
	return out
}

// medicineOf names the medicine a letter is about, with what the patient
// wrote of it: those of its classes the patient listed ("Eliquis
// (apixaban)", "Eliquis 5 mg twice a day"), else the answer that names it
// (and nothing written).
func medicineOf(in Input, lr *rules.LetterRule) (name, written string) {
	var names, items []string
	for _, m := range in.Result.Medications {
		if slices.ContainsFunc(m.Classes, func(c string) bool { return slices.Contains(lr.Medicines, c) }) {
			label := m.Written
			// "Eliquis (apixaban)", but "bisoprolol", not "bisoprolol
			// (bisoprolol)".
			if !strings.EqualFold(m.Written, m.Name()) {
				label = fmt.Sprintf("%s (%s)", m.Written, m.Name())
			}
			names = appendNew(names, label)
			item := m.Item
			if item == "" {
				item = m.Written
			}
			items = appendNew(items, item)
		}
	}
	if len(names) > 0 {
		return strings.Join(names, ", "), strings.Join(items, "; ")
	}
	if lr.Answer != "" && in.Answers != nil {
		if q, ok := in.RuleSet.Question(lr.Answer); ok {
			if a := in.Answers.Get(q.ID); a.State == screening.Given {
				if v, ok := a.Value.(string); ok && v != "" && v != "other" {
					return q.Label(v), ""
				}
			}
		}
	}
	return "", ""
}

// fill writes the clinic and the patient into a text's placeholders.
func fill(s string, in Input) string {
	clinic, phone := in.Clinic.Name, in.Clinic.Phone
	if clinic == "" {
		clinic = "______________________"
	}
	if phone == "" {
		phone = "______________"
	}
	return strings.NewReplacer("{clinic}", clinic, "{phone}", phone, "{patient_id}", in.Result.PatientID).Replace(s)
}

func fillAll(ss []string, in Input) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fill(s, in)
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// longDate writes a date in words, in the handout's language.
func longDate(tr *i18n.Printer, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return tr.Date(t)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// Sessions lists n session dates from start, every interval.
func Sessions(start time.Time, every time.Duration, n int) []time.Time {
	out := make([]time.Time, n)
	days := int(every / (24 * time.Hour))
	for i := range n {
		out[i] = start.AddDate(0, 0, i*days)
	}
	return out
}
