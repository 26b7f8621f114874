package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Handout holds the fixed words of what mesoscreen prints for people
// outside the screening: the handout the patient takes home and the
// letter to a prescriber. The rule set is the one source of every
// sentence they read, so these words live here, beside the instructions
// they frame.
type Handout struct {
	Title string `yaml:"title"`
	// Labels are the headings and field names, by the keys of
	// HandoutLabels.
	Labels map[string]string `yaml:"labels"`
	// Verdicts say each verdict in plain words, for the patient.
	Verdicts map[Level]string `yaml:"verdicts"`
	// NextSteps say what the patient does next when the verdict does not
	// allow treatment yet: for needs_review, defer and not_eligible.
	NextSteps map[Level]string `yaml:"next_steps"`
	// Reasons are the patient's words for a finding, by rule id. A finding
	// without one is shown in its message's words; lint asks for one for
	// every rule whose finding stops treatment.
	Reasons map[string]string `yaml:"reasons"`
	// Steps are what the patient does, or the clinic does, next about a
	// needs_review finding, by rule id: who confirms what. Lint asks for
	// one for every needs_review rule.
	Steps map[string]string `yaml:"steps"`
	// Unsure and UnsureSteps are the reason and the next step for a "not
	// sure" answer, by question id ("find out whether you are pregnant").
	// A question without them gets mesoscreen's general words.
	Unsure      map[string]string `yaml:"unsure"`
	UnsureSteps map[string]string `yaml:"unsure_steps"`
	// WhenToCall lists when the patient should call the clinic.
	WhenToCall []*HandoutItem `yaml:"when_to_call"`
	// Letter is the letter to a prescriber, for the findings that need
	// one's decision.
	Letter *Letter `yaml:"letter"`
}

// HandoutItem is one sentence of the handout, with its sources.
type HandoutItem struct {
	Text   string   `yaml:"text"`
	Source []string `yaml:"source"`
}

// Letter is the letter that asks a prescriber to decide about a finding.
type Letter struct {
	Title string `yaml:"title"`
	// Intro opens the letter; {patient_id} and {clinic} are filled in.
	Intro string `yaml:"intro"`
	// Closing ends it: where to send the reply ({clinic}, {phone}).
	Closing string `yaml:"closing"`
	// Labels are the letter's headings and field names, by the keys of
	// LetterLabels.
	Labels map[string]string `yaml:"labels"`
	// Answers are questions whose answers the letter gives beside the
	// planned course, such as the areas to be treated: what a prescriber
	// weighs a repeated pause against.
	Answers []string `yaml:"answers"`
	// Rules are the findings that need a prescriber's decision, by rule
	// id: what to ask, and the replies to tick.
	Rules map[string]*LetterRule `yaml:"rules"`
}

// LetterRule is what the letter asks about one rule's finding.
type LetterRule struct {
	// Medicines are medication classes: the medicines of these classes
	// that the patient listed are named as written.
	Medicines []string `yaml:"medicines"`
	// Answer is a question whose answer names the medicine, such as the
	// blood thinner chosen, when none is listed.
	Answer string `yaml:"answer"`
	// Ask says what the prescriber is asked to decide.
	Ask string `yaml:"ask"`
	// Replies are the answers the prescriber ticks, each with room to
	// write.
	Replies []string `yaml:"replies"`
}

// HandoutLabels are the keys of handout: labels:, each a heading or a
// field name of the patient handout.
var HandoutLabels = []string{
	"clinic", "phone", "patient", "date", "verdict", "why", "next_steps", "cleared",
	"pre_treatment", "aftercare", "course", "sessions", "session", "when_to_call",
	"signatures", "patient_signature", "clinician_signature", "signature", "name",
}

// LetterLabels are the keys of handout: letter: labels:.
var LetterLabels = []string{
	"to", "patient", "date", "medicine", "not_named", "ask", "why", "source", "reply",
	"prescriber", "signature", "name", "patient_name", "birth_date", "medicines_written", "course", "sessions", "reply_to",
}

// Placeholders the handout and letter texts may name, filled in when they
// are written: {clinic}, {phone}, {patient_id}.
var handoutPlaceholders = []string{"clinic", "phone", "patient_id"}

var reHandoutWord = regexp.MustCompile(`\{([a-z_]+)\}`)

// Label returns the handout label for key, or the key itself when the
// rule set has none (checked at load, so only a rule set without a
// handout: block gives a key back).
func (h *Handout) Label(key string) string {
	if s := h.Labels[key]; s != "" {
		return s
	}
	return key
}

// Label returns the letter label for key; see Handout.Label.
func (l *Letter) Label(key string) string {
	if s := l.Labels[key]; s != "" {
		return s
	}
	return key
}

func (ld *loader) checkHandout() {
	rs := ld.rs
	h := rs.Handout
	if h == nil {
		return
	}
	const p = "$.handout"
	text := func(path, what, s string) {
		if strings.TrimSpace(s) == "" {
			ld.Errorf(path, "the handout has no %s; add it", what)
			return
		}
		ld.checkPlaceholders(path, what, s)
	}
	text(p+".title", "title", h.Title)
	ld.checkLabels(p+".labels", "handout", h.Labels, HandoutLabels)
	for _, l := range Levels {
		text(p+".verdicts", fmt.Sprintf("verdicts: %s (the verdict in the patient's words)", l), h.Verdicts[l])
	}
	for l := range h.Verdicts {
		if !l.Valid() {
			ld.Errorf(p+".verdicts."+string(l), "unknown level %q; expected one of %s", l, levelList())
		}
	}
	for _, l := range []Level{NeedsReview, Defer, NotEligible} {
		text(p+".next_steps", fmt.Sprintf("next_steps: %s (what the patient does next)", l), h.NextSteps[l])
	}
	for l := range h.NextSteps {
		if !l.Valid() || l.AllowsTreatment() {
			ld.Errorf(p+".next_steps."+string(l), "next_steps: %q; expected needs_review, defer or not_eligible, the verdicts that stop treatment", l)
		}
	}
	for id, s := range h.Reasons {
		rp := p + ".reasons." + id
		if _, ok := rs.Rule(id); !ok {
			ld.Errorf(rp+"#key", "handout reason for rule %q, which the rule set does not have%s", id, didYouMean(id, ruleIDs(rs)))
		}
		text(rp, fmt.Sprintf("words for rule %s", id), s)
	}
	for id, s := range h.Steps {
		rp := p + ".steps." + id
		if _, ok := rs.Rule(id); !ok {
			ld.Errorf(rp+"#key", "handout step for rule %q, which the rule set does not have%s", id, didYouMean(id, ruleIDs(rs)))
		}
		text(rp, fmt.Sprintf("next step for rule %s", id), s)
	}
	for _, m := range []struct {
		key  string
		what string
		m    map[string]string
	}{{"unsure", "words for a not-sure answer to", h.Unsure}, {"unsure_steps", "next step for a not-sure answer to", h.UnsureSteps}} {
		for id, s := range m.m {
			rp := p + "." + m.key + "." + id
			if _, ok := rs.Question(id); !ok {
				ld.Errorf(rp+"#key", "handout %s: question %q, which the rule set does not ask", m.key, id)
			}
			text(rp, fmt.Sprintf("%s question %s", m.what, id), s)
		}
	}
	for i, it := range h.WhenToCall {
		text(fmt.Sprintf("%s.when_to_call[%d]", p, i), "text for when to call", it.Text)
	}
	if len(h.WhenToCall) == 0 {
		ld.Errorf(p, "the handout has no when_to_call: list; say when the patient should call the clinic")
	}
	lt := h.Letter
	if lt == nil {
		ld.Errorf(p, "the handout has no letter: for prescribers")
		return
	}
	const lp = p + ".letter"
	text(lp+".title", "letter title", lt.Title)
	text(lp+".intro", "letter intro", lt.Intro)
	text(lp+".closing", "letter closing", lt.Closing)
	ld.checkLabels(lp+".labels", "letter", lt.Labels, LetterLabels)
	for i, id := range lt.Answers {
		if _, ok := rs.Question(id); !ok {
			ld.Errorf(fmt.Sprintf("%s.answers[%d]", lp, i), "letter answers: question %q, which the rule set does not ask%s", id, didYouMean(id, questionIDs(rs)))
		}
	}
	for id, r := range lt.Rules {
		rp := lp + ".rules." + id
		rule, ok := rs.Rule(id)
		if !ok {
			ld.Errorf(rp+"#key", "letter for rule %q, which the rule set does not have%s", id, didYouMean(id, ruleIDs(rs)))
			continue
		}
		if ok, why := rule.CanClear(); !ok {
			ld.Errorf(rp+"#key", "letter for rule %q, whose finding a prescriber cannot clear: %s", id, why)
		}
		if r == nil {
			ld.Errorf(rp, "the letter for rule %q is empty; give ask: and replies:", id)
			continue
		}
		text(rp+".ask", fmt.Sprintf("ask: for rule %s", id), r.Ask)
		if len(r.Replies) == 0 {
			ld.Errorf(rp, "the letter for rule %q has no replies: for the prescriber to tick", id)
		}
		for i, s := range r.Replies {
			text(fmt.Sprintf("%s.replies[%d]", rp, i), "reply", s)
		}
		if r.Answer != "" {
			if _, ok := rs.Question(r.Answer); !ok {
				ld.Errorf(rp+".answer", "the letter for rule %q names question %q, which the rule set does not ask", id, r.Answer)
			}
		}
	}
}

// checkLabels checks that labels has exactly the keys of want.
func (ld *loader) checkLabels(path, what string, labels map[string]string, want []string) {
	var missing []string
	for _, k := range want {
		if strings.TrimSpace(labels[k]) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		ld.Errorf(path, "the %s labels lack %s; expected every one of %s", what, strings.Join(missing, ", "), strings.Join(want, ", "))
	}
	for k := range labels {
		if !slices.Contains(want, k) {
			ld.Errorf(path+"."+k+"#key", "unknown %s label %q%s; expected one of %s", what, k, didYouMean(k, want), strings.Join(want, ", "))
		}
	}
}

// checkPlaceholders refuses a {name} the handout cannot fill in.
func (ld *loader) checkPlaceholders(path, what, s string) {
	for _, m := range reHandoutWord.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(handoutPlaceholders, m[1]) {
			ld.Errorf(path, "%s names {%s}; a handout text can name {clinic}, {phone}, {patient_id} or {params.NAME}", what, m[1])
		}
	}
}

// expandHandout writes the parameters' values into the handout's texts.
func (ld *loader) expandHandout() {
	h := ld.rs.Handout
	if h == nil {
		return
	}
	const p = "$.handout"
	ld.expandText(p+".title", &h.Title)
	expandMap := func(path string, m map[string]string) {
		for k, v := range m {
			ld.expandText(path+"."+k, &v)
			m[k] = v
		}
	}
	for l, v := range h.Verdicts {
		ld.expandText(p+".verdicts."+string(l), &v)
		h.Verdicts[l] = v
	}
	for l, v := range h.NextSteps {
		ld.expandText(p+".next_steps."+string(l), &v)
		h.NextSteps[l] = v
	}
	expandMap(p+".reasons", h.Reasons)
	expandMap(p+".steps", h.Steps)
	expandMap(p+".unsure", h.Unsure)
	expandMap(p+".unsure_steps", h.UnsureSteps)
	for i, it := range h.WhenToCall {
		ld.expandText(fmt.Sprintf("%s.when_to_call[%d].text", p, i), &it.Text)
	}
	lt := h.Letter
	if lt == nil {
		return
	}
	ld.expandText(p+".letter.intro", &lt.Intro)
	ld.expandText(p+".letter.closing", &lt.Closing)
	for id, r := range lt.Rules {
		if r == nil {
			continue
		}
		rp := p + ".letter.rules." + id
		ld.expandText(rp+".ask", &r.Ask)
		for i := range r.Replies {
			ld.expandText(fmt.Sprintf("%s.replies[%d]", rp, i), &r.Replies[i])
		}
	}
}
