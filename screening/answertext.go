package screening

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// Form is where an answer's words stand: on their own, as the review and
// the prompts show an answer, or in a sentence, as a rule's message
// quotes it.
type Form uint8

const (
	// Alone says every answer, capitalised: "Yes", "Not sure", a list's
	// labels with commas, "(no answer)", an answer that cannot be used
	// with what was expected.
	Alone Form = iota
	// InSentence says an answer that can be used, in lower case: "yes",
	// "unsure", a list's labels joined as a sentence joins them ("a, b
	// and c"), a text in quotes on one line; an answer that cannot be
	// used is the subject of a fail-safe finding of its own, and says
	// nothing here.
	InSentence
)

// TextIn says the answer to question q in words, in tr's language (q is
// the question in that language): a choice and the items of a list by
// their labels. Text is the canonical spelling, for files; TextIn is for
// people.
func (a Answer) TextIn(tr *i18n.Printer, q *rules.Question, form Form) string {
	alone := form == Alone
	switch a.State {
	case Given:
	case Unsure:
		if alone {
			return tr.T("Not sure")
		}
		return tr.T("unsure")
	case Missing:
		if !alone {
			return ""
		}
		if !q.Required {
			return tr.T("(none)")
		}
		return tr.T("(no answer)")
	case Invalid:
		if alone {
			return tr.T("%q (not %s)", a.Given, tr.Expected(q))
		}
		return ""
	case OutOfRange:
		if alone {
			return tr.T("%s (outside %s)", strings.TrimSpace(a.Given), tr.Expected(q))
		}
		return ""
	case Duplicated:
		if alone {
			return tr.T("%s (given more than once)", a.Given)
		}
		return ""
	case Contradictory:
		if alone {
			return tr.T("%s (they disagree)", a.Given)
		}
		return ""
	}
	switch v := a.Value.(type) {
	case bool:
		switch {
		case v && alone:
			return tr.T("Yes")
		case alone:
			return tr.T("No")
		case v:
			return tr.T("yes")
		}
		return tr.T("no")
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		if q.Type == rules.Choice {
			return q.Label(v)
		}
		if alone {
			if v == "" {
				return tr.T("(none)")
			}
			return v
		}
		text := oneLine(a.Given)
		if text == "" {
			return ""
		}
		return tr.T(`"%s"`, text)
	case []string:
		labels := make([]string, len(v))
		for i, x := range v {
			labels[i] = q.Label(x)
		}
		if alone {
			return strings.Join(labels, ", ")
		}
		return tr.Join(labels)
	}
	if alone {
		return a.Text()
	}
	return ""
}

// oneLine joins the lines of a text with spaces and drops control
// characters, so that a quoted answer cannot break the line of a message
// it is quoted in.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}
