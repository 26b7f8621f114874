package rules

import (
	"fmt"
	"strings"
	"sync"
)

// Message templates. A rule's message, and an instruction's text, may name
// what the patient answered and which medicines were recognised, with a
// placeholder:
//
//	{meds:anticoagulant,antiplatelet}
//	    the recognised medicines of those classes, as
//	    "Eliquis (apixaban, anticoagulant) and aspirin (antiplatelet)";
//	    nothing when there is none
//	{meds}
//	    every recognised medicine
//	{stopped:anticoagulant,antiplatelet}
//	    only those of them that the text says may have been stopped
//	    ("aspirin - stopped last week")
//	{taken:anticoagulant,antiplatelet}
//	    only those of them that the text does not say may have been
//	    stopped
//	{answer:allergy_details}
//	    the answer to a question of the rule set, as the patient gave it: a
//	    text in quotes ("anaphylaxis to lidocaine"), a choice by its label
//	    (Clopidogrel), yes, no or unsure, a number, a list of labels;
//	    nothing when there is no answer
//	{meds:anticoagulant|, listed as %s}, {answer:allergy_details|: %s}
//	    the text after | with %s replaced by what the placeholder gives, or
//	    nothing when it gives nothing: a message can quote the answer when
//	    there was one, and read as before when there was not
//
// A medicine that may have been stopped says so: "Eliquis (apixaban,
// anticoagulant; may have been stopped)". Braces are otherwise plain text.

// PlaceholderKind says what a placeholder is filled with.
type PlaceholderKind string

// The kinds of placeholder.
const (
	MedsPlaceholder    PlaceholderKind = "meds"
	StoppedPlaceholder PlaceholderKind = "stopped"
	TakenPlaceholder   PlaceholderKind = "taken"
	AnswerPlaceholder  PlaceholderKind = "answer"
)

var placeholderKinds = []PlaceholderKind{MedsPlaceholder, StoppedPlaceholder, TakenPlaceholder, AnswerPlaceholder}

// Placeholder is one placeholder of a message.
type Placeholder struct {
	// Start and End are its byte offsets in the message.
	Start, End int
	Kind       PlaceholderKind
	// Classes are the class ids a meds, stopped or taken placeholder
	// lists; none means every medicine.
	Classes []string
	// Field is the question an answer placeholder quotes.
	Field string
	// Frame is the text around what it gives, with %s where that goes; ""
	// means what it gives alone.
	Frame string
}

// kindAt returns the kind of placeholder that starts at msg[i], which is
// a '{', or "" when the brace is plain text ("{medsomething}").
func kindAt(msg string, i int) (PlaceholderKind, int) {
	for _, k := range placeholderKinds {
		open := "{" + string(k)
		if !strings.HasPrefix(msg[i:], open) {
			continue
		}
		rest := msg[i+len(open):]
		if rest == "" || rest[0] == ':' || rest[0] == '}' || rest[0] == '|' {
			return k, len(open)
		}
	}
	return "", 0
}

// Placeholders returns the placeholders of a message, or an error saying
// what is wrong with the first bad one.
func Placeholders(msg string) ([]Placeholder, error) {
	var out []Placeholder
	for off := 0; ; {
		i := strings.IndexByte(msg[off:], '{')
		if i < 0 {
			return out, nil
		}
		i += off
		kind, n := kindAt(msg, i)
		if kind == "" {
			off = i + 1
			continue
		}
		rest := msg[i+n:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			return nil, fmt.Errorf("placeholder at %q is not closed with }", shorten(msg[i:]))
		}
		body := rest[:j]
		p := Placeholder{Start: i, End: i + n + j + 1, Kind: kind}
		text := msg[p.Start:p.End]
		if k := strings.IndexByte(body, '|'); k >= 0 {
			p.Frame = body[k+1:]
			body = body[:k]
			if strings.Count(p.Frame, "%s") != 1 {
				return nil, fmt.Errorf("placeholder %q: the text after | must hold %%s exactly once, where the %s goes", text, kind.gives())
			}
		}
		if body != "" && body[0] != ':' {
			return nil, fmt.Errorf("placeholder %q: expected %s", text, kind.form())
		}
		switch kind {
		case AnswerPlaceholder:
			if body == "" {
				return nil, fmt.Errorf("placeholder %q: expected %s, naming the question whose answer it quotes", text, kind.form())
			}
			p.Field = strings.TrimSpace(body[1:])
			if !reID.MatchString(p.Field) {
				return nil, fmt.Errorf("placeholder %q: %q is not a question id (lower case letters, digits and _)", text, p.Field)
			}
		default:
			if body == "" {
				break
			}
			for _, c := range strings.Split(body[1:], ",") {
				c = strings.TrimSpace(c)
				if !reID.MatchString(c) {
					return nil, fmt.Errorf("placeholder %q: %q is not a class id (lower case letters, digits and _)", text, c)
				}
				p.Classes = append(p.Classes, c)
			}
		}
		out = append(out, p)
		off = p.End
	}
}

func (k PlaceholderKind) form() string {
	if k == AnswerPlaceholder {
		return "{answer:QUESTION}"
	}
	return "{" + string(k) + ":CLASS,CLASS}"
}

func (k PlaceholderKind) gives() string {
	if k == AnswerPlaceholder {
		return "answer"
	}
	return "list"
}

// Filler gives what the placeholders of one screening stand for.
type Filler interface {
	// Medicines names the recognised medicines of the classes (every one
	// when classes is empty): all of them for MedsPlaceholder, only those
	// that may have been stopped for StoppedPlaceholder, only the others
	// for TakenPlaceholder; "" when there is none.
	Medicines(classes []string, kind PlaceholderKind) string
	// Answer gives the answer to question id as the patient gave it, ""
	// when there is none.
	Answer(id string) string
}

// Expand replaces each placeholder of msg with what f gives for it, framed
// as the placeholder asks. A message that does not parse is returned as it
// is; the loader has already refused it.
func Expand(msg string, f Filler) string {
	if !strings.Contains(msg, "{") {
		return msg
	}
	ps := parsedPlaceholders(msg)
	if len(ps) == 0 {
		return msg
	}
	// What they give first, so that the text is written into a builder of
	// its final size.
	fills := make([]string, 0, 4)
	size := len(msg)
	for _, p := range ps {
		var s string
		switch p.Kind {
		case AnswerPlaceholder:
			s = f.Answer(p.Field)
		default:
			s = f.Medicines(p.Classes, p.Kind)
		}
		if s != "" && p.Frame != "" {
			s = strings.Replace(p.Frame, "%s", s, 1)
		}
		fills = append(fills, s)
		size += len(s)
	}
	var b strings.Builder
	b.Grow(size)
	last := 0
	for i, p := range ps {
		b.WriteString(msg[last:p.Start])
		b.WriteString(fills[i])
		last = p.End
	}
	b.WriteString(msg[last:])
	return b.String()
}

// parsed holds the placeholders of each message expanded so far. The
// messages come from loaded rule sets, so the set is small and fixed, and a
// batch would otherwise parse the same few messages for every record.
var parsed sync.Map // string -> []Placeholder

func parsedPlaceholders(msg string) []Placeholder {
	if ps, ok := parsed.Load(msg); ok {
		return ps.([]Placeholder)
	}
	ps, err := Placeholders(msg)
	if err != nil {
		ps = nil // the loader has refused such a message already
	}
	parsed.Store(msg, ps)
	return ps
}

func shorten(s string) string {
	if len(s) > 30 {
		return s[:30] + "..."
	}
	return s
}

// checkTemplate reports a malformed placeholder in a message or text, and
// an answer placeholder that names a question the rule set does not ask.
func (ld *loader) checkTemplate(path, what, text string) {
	ps, err := Placeholders(text)
	if err != nil {
		ld.Errorf(path, "%s: %v", what, err)
		return
	}
	for _, p := range ps {
		if p.Kind != AnswerPlaceholder {
			continue
		}
		if _, ok := ld.rs.Question(p.Field); ok {
			continue
		}
		msg := fmt.Sprintf("%s: placeholder %q quotes the answer to %q, which the rule set does not ask", what, text[p.Start:p.End], p.Field)
		qs := make([]string, 0, len(ld.rs.Questions))
		for _, q := range ld.rs.Questions {
			qs = append(qs, q.ID)
		}
		if best := Closest(p.Field, qs); best != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		ld.Errorf(path, "%s", msg)
	}
}

// PlaceholderClasses lists every class id the rule set's messages and
// instruction texts name in placeholders, with where, for a check against
// the medication lexicon.
func (rs *RuleSet) PlaceholderClasses() map[string][]string {
	out := map[string][]string{}
	add := func(where, text string) {
		ps, _ := Placeholders(text)
		for _, p := range ps {
			for _, c := range p.Classes {
				out[c] = append(out[c], where)
			}
		}
	}
	for _, r := range rs.Rules {
		add(fmt.Sprintf("rule %s (line %d)", r.ID, r.pos.Line), r.Message)
	}
	in := rs.Instructions
	for _, l := range [][]*Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range l {
			add(fmt.Sprintf("instruction %s (line %d)", x.ID, x.pos.Line), x.Text)
		}
	}
	return out
}
