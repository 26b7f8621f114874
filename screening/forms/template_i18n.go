package forms

import (
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// The Questionnaire is written in the language of the rule set it is
// made from (its "language"), and carries every other language of the
// rule set in the FHIR translation extension on each text, as SDC form
// renderers read it to show a form in the device's language: the item
// text in _text, an answer's display in _display, the title and the
// description in _title and _description.

// extTranslation is the FHIR core extension that holds one text in
// another language: its "lang" and its "content".
const extTranslation = "http://hl7.org/fhir/StructureDefinition/translation"

// qElement is the element beside a primitive (FHIR JSON's _text), with
// its extensions.
type qElement struct {
	Extension []qTranslation `json:"extension"`
}

type qTranslation struct {
	URL       string     `json:"url"`
	Extension []qLangExt `json:"extension"`
}

type qLangExt struct {
	URL         string `json:"url"`
	ValueCode   string `json:"valueCode,omitempty"`
	ValueString string `json:"valueString,omitempty"`
}

// addText adds the translation of a text into lang to e, and returns it;
// an empty or an unchanged text adds nothing.
func addText(e *qElement, lang, orig, text string) *qElement {
	if text == "" || text == orig {
		return e
	}
	if e == nil {
		e = &qElement{}
	}
	e.Extension = append(e.Extension, qTranslation{URL: extTranslation, Extension: []qLangExt{
		{URL: "lang", ValueCode: lang},
		{URL: "content", ValueString: text},
	}})
	return e
}

// translate sets the Questionnaire's language and adds the texts of every
// other language of rs that loads. The items are matched to what they
// were made from: a question by its linkId, a group by its text, the
// title of its section.
func translate(rs *rules.RuleSet, q *questionnaire) {
	q.Language = rs.Lang
	yesNoWords(rs, q.Item)
	for _, lang := range rs.Languages() {
		if lang == rs.Lang {
			continue
		}
		other, err := rs.In(lang)
		if err != nil {
			continue // a translation that does not load: rules lint says why
		}
		q.TitleExt = addText(q.TitleExt, lang, q.Title, other.Title)
		q.DescriptionExt = addText(q.DescriptionExt, lang, q.Description, strings.TrimSpace(other.Description))
		translateItems(rs, other, q.Item)
	}
}

func translateItems(rs, other *rules.RuleSet, items []*qItem) {
	tr := i18n.For(other.Lang)
	for _, it := range items {
		if it.Type == "group" {
			for i, s := range rs.Sections {
				if s.Title == it.Text {
					it.TextExt = addText(it.TextExt, other.Lang, it.Text, other.Sections[i].Title)
					break
				}
			}
			translateItems(rs, other, it.Item)
			continue
		}
		if id, ok := strings.CutSuffix(it.LinkID, helpSuffix); ok && it.Type == "display" {
			if q, ok := other.Question(id); ok {
				it.TextExt = addText(it.TextExt, other.Lang, it.Text, q.Help)
			}
			continue
		}
		q, ok := other.Question(it.LinkID)
		if !ok {
			continue
		}
		it.TextExt = addText(it.TextExt, other.Lang, it.Text, q.Ask)
		for j := range it.AnswerOption {
			c := &it.AnswerOption[j].ValueCoding
			var display string
			switch {
			case q.Type == rules.YesNo:
				display = yesNoWord(tr, c.Code)
			case q.HasOption(c.Code):
				display = q.Label(c.Code)
			case c.Code == unsureCode:
				display = yesNoWord(tr, c.Code)
			}
			c.DisplayExt = addText(c.DisplayExt, other.Lang, c.Display, display)
		}
		translateItems(rs, other, it.Item)
	}
}

// yesNoWord is the display of a yes/no answer code in the printer's
// language.
func yesNoWord(tr *i18n.Printer, code string) string {
	switch code {
	case "yes":
		return tr.T("Yes")
	case "no":
		return tr.T("No")
	case "unsure":
		return tr.T("Not sure")
	}
	return ""
}

// yesNoWords writes the answers of yes/no questions, and the "not sure"
// of a choice, in the rule set's language: the rule set holds no words
// for them, the program does.
func yesNoWords(rs *rules.RuleSet, items []*qItem) {
	tr := i18n.For(rs.Lang)
	for _, it := range items {
		if q, ok := rs.Question(it.LinkID); ok {
			for j := range it.AnswerOption {
				c := &it.AnswerOption[j].ValueCoding
				if q.Type != rules.YesNo && (c.Code != unsureCode || q.HasOption(c.Code)) {
					continue
				}
				if w := yesNoWord(tr, c.Code); w != "" {
					c.Display = w
				}
			}
		}
		yesNoWords(rs, it.Item)
	}
}
