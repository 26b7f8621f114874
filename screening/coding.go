package screening

import (
	"fmt"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// Coding is an answer given as a code of a code system, with the text
// shown for it, as a FHIR valueCoding holds it. A reader returns it as it
// is found; ParseAnswer decides what it says.
type Coding struct {
	System  string
	Code    string
	Display string
}

// String says the coding as it was given: the code, its display in
// brackets, and its system unless that is none or mesoscreen's own:
// "0 (Yes, pregnant), system http://example.org/clinic-ordinal". (Not
// FHIR's token notation, system|code: a CSV output writes | as /.)
func (c Coding) String() string {
	s := c.Code
	if c.Display != "" {
		s += " (" + c.Display + ")"
	}
	if c.System != "" && c.System != rules.AnswerSystem {
		s += ", system " + c.System
	}
	return s
}

// The code systems mesoscreen reads answers from, besides its own and
// none: HL7's yes/no tables, and the data-absent reasons that say the
// patient did not know (the ValueSet yesnodontknow). The R4 URLs and those
// of DSTU2 and STU3, which exports still carry.
const (
	systemYesNo        = "http://terminology.hl7.org/CodeSystem/v2-0136"
	systemYesNoOld     = "http://hl7.org/fhir/v2/0136"
	systemYesNoExt     = "http://terminology.hl7.org/CodeSystem/v2-0532"
	systemAbsentReason = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
	systemAbsentOld    = "http://hl7.org/fhir/data-absent-reason"
)

// codeText returns what a coding answers, as a file would write it: the
// code, for mesoscreen's own system or none; yes, no or unsure for the
// codes of HL7's yes/no and data-absent-reason systems that say so. It
// returns false for any other: a code of another system can mean anything
// ("0" may be a clinic's code for yes), so it is never read as the word
// it happens to spell.
func codeText(c Coding) (string, bool) {
	switch c.System {
	case "", rules.AnswerSystem:
		return c.Code, true
	case systemYesNo, systemYesNoOld, systemYesNoExt:
		switch c.Code {
		case "Y":
			return "yes", true
		case "N":
			return "no", true
		case "UNK", "ASKU":
			if c.System == systemYesNoExt {
				return "unsure", true
			}
		}
	case systemAbsentReason:
		if c.Code == "asked-unknown" || c.Code == "unknown" {
			return "unsure", true
		}
	case systemAbsentOld:
		if c.Code == "asked" || c.Code == "unknown" {
			return "unsure", true
		}
	}
	return "", false
}

// readCodings replaces a coding, or each coding of a list, by what it
// answers (codeText). A coding it cannot read gives ok false and that
// coding.
func readCodings(raw any) (v any, codings []Coding, bad Coding, ok bool) {
	switch x := raw.(type) {
	case Coding:
		t, ok := codeText(x)
		if !ok {
			return nil, nil, x, false
		}
		return t, []Coding{x}, Coding{}, true
	case []any:
		var out []any
		for i, e := range x {
			c, isCoding := e.(Coding)
			if !isCoding {
				continue
			}
			t, ok := codeText(c)
			if !ok {
				return nil, nil, c, false
			}
			if out == nil {
				out = append([]any(nil), x...)
			}
			out[i] = t
			codings = append(codings, c)
		}
		if out == nil {
			return raw, nil, Coding{}, true
		}
		return out, codings, Coding{}, true
	}
	return raw, nil, Coding{}, true
}

// contradicted returns the first of the codings of an answer to q whose
// display is itself a word that answers yes, no or not sure, in any of
// mesoscreen's languages, and says something else than its code: code
// "N", display "Yes". A display that is one of q's option labels, in any
// language, agrees with that option's code.
func contradicted(q *rules.Question, codings []Coding) (Coding, bool) {
	for _, c := range codings {
		shown := i18n.AnswerWord(c.Display)
		if shown == i18n.Other {
			continue
		}
		if v, ok := q.OptionValue(c.Display); ok && (q.Type == rules.Choice || q.Type == rules.List) {
			if code, _ := codeText(c); v == code {
				continue
			}
		}
		code, _ := codeText(c)
		says := i18n.AnswerWord(code)
		if q.Type == rules.Choice && code != "" && code == q.MeansNo() {
			says = i18n.No
		}
		if says != shown {
			return c, true
		}
	}
	return Coding{}, false
}

// parseCoded is ParseAnswer for a raw answer that holds codings.
func parseCoded(q *rules.Question, raw any) (Answer, bool) {
	v, codings, bad, ok := readCodings(raw)
	if !ok {
		return Answer{State: Invalid, Given: bad.String()}, true
	}
	if len(codings) == 0 {
		return Answer{}, false
	}
	a := ParseAnswer(q, v)
	if a.State != Given && a.State != Unsure {
		return a, true
	}
	if c, bad := contradicted(q, codings); bad {
		return Answer{State: Contradictory, Value: c, Given: fmt.Sprintf("code %q, display %q", c.Code, c.Display)}, true
	}
	return a, true
}
