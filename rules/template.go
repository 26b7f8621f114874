package rules

import (
	"fmt"
	"strings"
	"sync"
)

// Message templates. A rule's message, and an instruction's text, may name
// the medicines recognised in the medications answer with a placeholder:
//
//	{meds:anticoagulant,antiplatelet}
//	    the recognised medicines of those classes, as
//	    "Eliquis (apixaban, anticoagulant) and aspirin (antiplatelet)";
//	    nothing when there is none
//	{meds}
//	    every recognised medicine
//	{meds:anticoagulant,antiplatelet|, listed as %s}
//	    the text after | with %s replaced by the list, or nothing when
//	    there is none: a message can name the drug when it was listed and
//	    read as before when it was not
//
// A medicine that may have been stopped says so: "Eliquis (apixaban,
// anticoagulant; may have been stopped)". Braces are otherwise plain text.

// Placeholder is one {meds...} placeholder of a message.
type Placeholder struct {
	// Start and End are its byte offsets in the message.
	Start, End int
	// Classes are the class ids it lists; none means every medicine.
	Classes []string
	// Frame is the text around the list, with %s where the list goes; ""
	// means the list alone.
	Frame string
}

const placeholderOpen = "{meds"

// Placeholders returns the placeholders of a message, or an error saying
// what is wrong with the first bad one.
func Placeholders(msg string) ([]Placeholder, error) {
	var out []Placeholder
	for off := 0; ; {
		i := strings.Index(msg[off:], placeholderOpen)
		if i < 0 {
			return out, nil
		}
		i += off
		rest := msg[i+len(placeholderOpen):]
		if rest != "" && rest[0] != ':' && rest[0] != '}' && rest[0] != '|' {
			off = i + len(placeholderOpen) // "{medsomething}" is text
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			return nil, fmt.Errorf("placeholder at %q is not closed with }", shorten(msg[i:]))
		}
		body := rest[:j]
		p := Placeholder{Start: i, End: i + len(placeholderOpen) + j + 1}
		if k := strings.IndexByte(body, '|'); k >= 0 {
			p.Frame = body[k+1:]
			body = body[:k]
			if strings.Count(p.Frame, "%s") != 1 {
				return nil, fmt.Errorf("placeholder %q: the text after | must hold %%s exactly once, where the list goes", msg[p.Start:p.End])
			}
		}
		if body != "" {
			if body[0] != ':' {
				return nil, fmt.Errorf("placeholder %q: expected {meds:CLASS,CLASS}", msg[p.Start:p.End])
			}
			for _, c := range strings.Split(body[1:], ",") {
				c = strings.TrimSpace(c)
				if !reID.MatchString(c) {
					return nil, fmt.Errorf("placeholder %q: %q is not a class id (lower case letters, digits and _)", msg[p.Start:p.End], c)
				}
				p.Classes = append(p.Classes, c)
			}
		}
		out = append(out, p)
		off = p.End
	}
}

// Expand replaces each placeholder of msg with list(classes), framed as
// the placeholder asks. A message that does not parse is returned as it is;
// the loader has already refused it.
func Expand(msg string, list func(classes []string) string) string {
	if !strings.Contains(msg, placeholderOpen) {
		return msg
	}
	ps := parsedPlaceholders(msg)
	if len(ps) == 0 {
		return msg
	}
	// The lists first, so that the text is written into a builder of its
	// final size.
	lists := make([]string, 0, 4)
	size := len(msg)
	for _, p := range ps {
		s := list(p.Classes)
		if s != "" && p.Frame != "" {
			s = strings.Replace(p.Frame, "%s", s, 1)
		}
		lists = append(lists, s)
		size += len(s)
	}
	var b strings.Builder
	b.Grow(size)
	last := 0
	for i, p := range ps {
		b.WriteString(msg[last:p.Start])
		b.WriteString(lists[i])
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

// checkTemplate reports a malformed placeholder in a message or text.
func (ld *loader) checkTemplate(path, what, text string) {
	if _, err := Placeholders(text); err != nil {
		ld.Errorf(path, "%s: %v", what, err)
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
