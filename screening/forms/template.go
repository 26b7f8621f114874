package forms

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/mesoscreen/mesoscreen/rules"
)

// AnswerSystem is the code system of the answer codes in the Questionnaire
// that mesoscreen writes: yes, no, unsure, and the option values. It is
// rules.AnswerSystem, where screening reads it back.
const AnswerSystem = rules.AnswerSystem

// CSVHeader is the header row of the canonical CSV: the field ids, in the
// rule set's order.
func CSVHeader(rs *rules.RuleSet) []string {
	out := make([]string, len(rs.Questions))
	for i, q := range rs.Questions {
		out[i] = q.ID
	}
	return out
}

type qCoding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
	// DisplayExt carries the display in the rule set's other languages
	// (template_i18n.go).
	DisplayExt *qElement `json:"_display,omitempty"`
}

type qOption struct {
	Extension   []qExtension `json:"extension,omitempty"`
	ValueCoding qCoding      `json:"valueCoding"`
}

// unsureCode is the code of "not sure" in AnswerSystem.
const unsureCode = "unsure"

// qExtension is one extension of an item; exactly one value is set.
type qExtension struct {
	URL                  string            `json:"url"`
	ValueInteger         *int64            `json:"valueInteger,omitempty"`
	ValueBoolean         *bool             `json:"valueBoolean,omitempty"`
	ValueCode            string            `json:"valueCode,omitempty"`
	ValueCodeableConcept *qCodeableConcept `json:"valueCodeableConcept,omitempty"`
}

type qCodeableConcept struct {
	Coding []qCoding `json:"coding"`
	Text   string    `json:"text,omitempty"`
}

// The extensions items carry: the range of a number, the widget a
// renderer is to draw, where its own choice would be wrong (a drop-down
// that hides "Not sure", a single pick for the areas), and an answer that
// excludes the others of a list.
const (
	extMinValue          = "http://hl7.org/fhir/StructureDefinition/minValue"
	extMaxValue          = "http://hl7.org/fhir/StructureDefinition/maxValue"
	extItemControl       = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
	extChoiceOrientation = "http://hl7.org/fhir/StructureDefinition/questionnaire-choiceOrientation"
	extOptionExclusive   = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
	itemControlSystem    = "http://hl7.org/fhir/questionnaire-item-control"
)

// GroupLinkID is the linkId of a section's group: rules.GroupLinkID,
// which a response's reader knows as no answer to set aside.
func GroupLinkID(section string) string { return rules.GroupLinkID(section) }

// helpSuffix ends the linkId of a question's help: "pregnant.help". A
// question's id has no ".", and a group's linkId none either, so it is
// the linkId of no other item.
const helpSuffix = ".help"

// helpItem is a question's help text, as SDC renderers show it: a display
// item under the question, drawn as a help button (the itemControl
// "help"), so that a patient who fills the form in alone reads what the
// interview would show.
func helpItem(q *rules.Question) *qItem {
	return &qItem{
		Extension: []qExtension{itemControl("help", "Help-Button")},
		LinkID:    q.ID + helpSuffix,
		Text:      q.Help,
		Type:      "display",
	}
}

func itemControl(code, display string) qExtension {
	return qExtension{URL: extItemControl, ValueCodeableConcept: &qCodeableConcept{
		Coding: []qCoding{{System: itemControlSystem, Code: code, Display: display}},
		Text:   display,
	}}
}

type qEnableWhen struct {
	Question      string   `json:"question"`
	Operator      string   `json:"operator"`
	AnswerCoding  *qCoding `json:"answerCoding,omitempty"`
	AnswerInteger *int64   `json:"answerInteger,omitempty"`
}

type qItem struct {
	Extension    []qExtension  `json:"extension,omitempty"`
	LinkID       string        `json:"linkId"`
	Text         string        `json:"text,omitempty"`
	Type         string        `json:"type"`
	Required     bool          `json:"required,omitempty"`
	Repeats      bool          `json:"repeats,omitempty"`
	EnableWhen   []qEnableWhen `json:"enableWhen,omitempty"`
	EnableBehav  string        `json:"enableBehavior,omitempty"`
	AnswerOption []qOption     `json:"answerOption,omitempty"`
	Item         []*qItem      `json:"item,omitempty"`
	TextExt      *qElement     `json:"_text,omitempty"`
}

type questionnaire struct {
	ResourceType string   `json:"resourceType"`
	Language     string   `json:"language,omitempty"`
	URL          string   `json:"url"`
	Version      string   `json:"version,omitempty"`
	Name         string   `json:"name,omitempty"`
	Title        string   `json:"title,omitempty"`
	Status       string   `json:"status"`
	Description  string   `json:"description,omitempty"`
	Item         []*qItem `json:"item"`
	// TitleExt and DescriptionExt carry the title and the description
	// in the rule set's other languages.
	TitleExt       *qElement `json:"_title,omitempty"`
	DescriptionExt *qElement `json:"_description,omitempty"`
}

// Questionnaire writes the rule set's questions as a FHIR R4
// Questionnaire: one group per section (linkId GroupLinkID), each
// question's linkId its field id. Yes/no and choice questions are drawn
// as radio buttons and list questions as check boxes (the SDC
// itemControl extension), so that every answer, Not sure included, is
// in sight. Yes/no questions are choices of yes, no and unsure (never a boolean,
// which could not say "not sure"), and a choice or a list whose question
// allows unsure offers it too. A question's help is a display item under
// it, drawn as a help button. A follow-up's when: condition becomes
// enableWhen when it is a plain test of one answer (blood_thinners,
// !x, x == "value", x >= 2); a follow-up with any other condition is
// always shown, and screening ignores its answer when it does not apply.
func Questionnaire(rs *rules.RuleSet) ([]byte, error) {
	q := questionnaire{
		ResourceType: "Questionnaire",
		URL:          rs.QuestionnaireURL(),
		Version:      rs.Version,
		Name:         fhirName(rs.Name),
		Title:        rs.Title,
		Status:       "active",
		Description:  strings.TrimSpace(rs.Description),
	}
	groups := map[string]*qItem{}
	for _, s := range rs.Sections {
		g := &qItem{LinkID: GroupLinkID(s.ID), Text: s.Title, Type: "group"}
		groups[s.ID] = g
		q.Item = append(q.Item, g)
	}
	for _, qu := range rs.Questions {
		it := questionItem(rs, qu)
		if g := groups[qu.Section]; g != nil {
			g.Item = append(g.Item, it)
		} else {
			q.Item = append(q.Item, it)
		}
	}
	// A group left empty is not valid FHIR.
	items := q.Item[:0]
	for _, it := range q.Item {
		if it.Type != "group" || len(it.Item) > 0 {
			items = append(items, it)
		}
	}
	q.Item = items
	translate(rs, &q)
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// fhirName turns a rule set's name into a name a machine can use (FHIR
// rule que-0): an upper-case ASCII letter, then at most 254 ASCII letters,
// digits and _.
func fhirName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		ok := r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if !ok {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	name := b.String()
	if name == "" || name[0] < 'A' || name[0] > 'Z' {
		name = "Q" + name
	}
	return name[:min(len(name), 255)]
}

func questionItem(rs *rules.RuleSet, q *rules.Question) *qItem {
	it := &qItem{LinkID: q.ID, Text: q.Ask, Required: q.Required && q.When == ""}
	switch q.Type {
	case rules.YesNo:
		it.Type = "choice"
		for _, o := range [][2]string{{"yes", "Yes"}, {"no", "No"}, {"unsure", "Not sure"}} {
			it.AnswerOption = append(it.AnswerOption, qOption{ValueCoding: qCoding{System: AnswerSystem, Code: o[0], Display: o[1]}})
		}
		it.Extension = append(it.Extension, itemControl("radio-button", "Radio Button"),
			qExtension{URL: extChoiceOrientation, ValueCode: "horizontal"})
	case rules.Integer:
		it.Type = "integer"
		if q.Min != nil {
			it.Extension = append(it.Extension, qExtension{URL: extMinValue, ValueInteger: q.Min})
		}
		if q.Max != nil {
			it.Extension = append(it.Extension, qExtension{URL: extMaxValue, ValueInteger: q.Max})
		}
	case rules.Choice, rules.List:
		it.Type = "choice"
		it.Repeats = q.Type == rules.List
		for _, o := range q.Options {
			it.AnswerOption = append(it.AnswerOption, qOption{ValueCoding: qCoding{System: AnswerSystem, Code: o.Value, Display: o.Label}})
		}
		// "Not sure", where the rule set allows it, is offered as the
		// interview offers it; screening reads it as unsure, never as no.
		if q.AllowsUnsure() && !q.HasOption(unsureCode) {
			o := qOption{ValueCoding: qCoding{System: AnswerSystem, Code: unsureCode, Display: "Not sure"}}
			if it.Repeats {
				// Not sure ticked beside an area says nothing: a renderer
				// clears the others when it is ticked.
				o.Extension = []qExtension{{URL: extOptionExclusive, ValueBoolean: new(true)}}
			}
			it.AnswerOption = append(it.AnswerOption, o)
		}
		if it.Repeats {
			it.Extension = append(it.Extension, itemControl("check-box", "Check-box"))
		} else {
			it.Extension = append(it.Extension, itemControl("radio-button", "Radio Button"))
		}
	default:
		it.Type = "text"
		if q.IsIdentifier() {
			it.Type = "string"
		}
	}
	if q.When != "" {
		if ew, ok := enableWhen(rs, q.When); ok {
			it.EnableWhen = []qEnableWhen{ew}
		}
	}
	if q.Help != "" {
		it.Item = append(it.Item, helpItem(q))
	}
	return it
}

var (
	reBare    = regexp.MustCompile(`^\s*(!\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	reCompare = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|>=|<=|>|<)\s*("([^"\\]*)"|'([^'\\]*)'|-?[0-9]+)\s*$`)
)

// enableWhen expresses a simple when: condition, if it is one.
func enableWhen(rs *rules.RuleSet, when string) (qEnableWhen, bool) {
	if m := reBare.FindStringSubmatch(when); m != nil {
		q, ok := rs.Question(m[2])
		if !ok || q.Type != rules.YesNo {
			return qEnableWhen{}, false
		}
		code := "yes"
		if m[1] != "" {
			code = "no"
		}
		return qEnableWhen{Question: q.ID, Operator: "=", AnswerCoding: &qCoding{System: AnswerSystem, Code: code}}, true
	}
	m := reCompare.FindStringSubmatch(when)
	if m == nil {
		return qEnableWhen{}, false
	}
	q, ok := rs.Question(m[1])
	if !ok {
		return qEnableWhen{}, false
	}
	op := m[2]
	if op == "==" {
		op = "="
	}
	switch {
	case q.Type == rules.Choice && (op == "=" || op == "!=") && strings.ContainsAny(m[3][:1], `"'`):
		return qEnableWhen{Question: q.ID, Operator: op, AnswerCoding: &qCoding{System: AnswerSystem, Code: m[4] + m[5]}}, true
	case q.Type == rules.Integer && !strings.ContainsAny(m[3][:1], `"'`):
		n, err := strconv.ParseInt(m[3], 10, 64)
		if err != nil {
			return qEnableWhen{}, false
		}
		return qEnableWhen{Question: q.ID, Operator: op, AnswerInteger: &n}, true
	}
	return qEnableWhen{}, false
}
