package intake

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// A table's rows after the first are patients', but for two kinds of row
// that are no one's, which are skipped, and counted (CSV.BlankRows,
// CSV.HeaderRows; Stats):
//
//   - A blank row: every cell is empty or white space (a spreadsheet's
//     ",,,,," under its data). It holds nothing to screen.
//
//   - A header row: one a form tool writes under its header (SurveyMonkey's
//     row of "Response" and "Open-Ended Response"; Qualtrics' rows of
//     question wording and of {"ImportId": …}), or a header repeated, as
//     when exports are joined end to end. Read with a rule set only. A row
//     is one when both hold:
//
//     1. it names something: at least one cell is a marker, or header
//     text of its column;
//
//     2. it answers nothing: under every column that gives a field, the
//     cell is empty, a marker, or header text of its column that the
//     field does not read as a valid answer. For a text field (the
//     patient id, the medications), any text but a marker or header
//     text is an answer.
//
//     Cells under columns that give no field may hold anything: a form
//     tool's second row holds choice labels there.
//
// A marker is a text a form tool writes only in those rows, never as an
// answer: SurveyMonkey's "Response", "Open-Ended Response" and "Other
// (please specify)", and Qualtrics' JSON objects with an "ImportId" key
// (headerMarkers). Header text of a column is the text of its first-row
// cell, and, for a column that gives a field, the field's id, label and
// question in any of the rule set's languages; compared with letter case,
// accents, spaces and punctuation left out, so that Qualtrics' "Start
// Date" is header text of its column "StartDate".
//
// So a row that gives a patient id, or any answer a field reads, is never
// skipped as a header row; a row that gives none but an invalid one
// ("maybe") is not either, for an invalid answer is something the patient
// said. The one exception is Qualtrics' row of question wording, which is
// the form's own (unknown here) and holds, under the patient id's column,
// the wording of that question: a row directly between a header row (the
// first, or one skipped) and a row of Qualtrics markers is a header row
// when 1 holds and no cell under a field that is not text is a valid
// answer. No patient's row is ever in that place in an export.

// headerMarkers are the texts form tools write in the header rows under
// their header, lower case; a JSON object with an "ImportId" key
// (Qualtrics) is one too.
var headerMarkers = []string{"response", "open-ended response", "other (please specify)"}

// isMarker reports whether cell, trimmed, is a marker; qualtrics when it is
// a Qualtrics {"ImportId": …}.
func isMarker(cell string) (marker, qualtrics bool) {
	if strings.HasPrefix(cell, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(cell), &m) != nil {
			return false, false
		}
		for k := range m {
			if strings.EqualFold(k, "ImportId") {
				return true, true
			}
		}
		return false, false
	}
	for _, m := range headerMarkers {
		if strings.EqualFold(cell, m) {
			return true, false
		}
	}
	return false, false
}

// loose is s as header texts are compared: folded (rules.Fold), letters
// and digits only.
func loose(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, rules.Fold(s))
}

// blankRow reports whether every cell of row is empty or white space.
func blankRow(row []string) bool {
	for _, cell := range row {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// headerTexts holds, for each column, what header rows are told by: the
// question of the field it gives (nil for none) and its header texts,
// loose.
type headerTexts struct {
	q     []*rules.Question
	texts []map[string]bool
}

// headerTexts notes, once the header row has been read, what header rows
// are told by; nil without a rule set.
func (c *CSV) headerTexts() *headerTexts {
	rs := c.RuleSet
	if rs == nil || c.headerErr != nil {
		return nil
	}
	field := make([]string, len(c.cols))
	for i, col := range c.cols {
		field[i] = col.field
		if col.m != nil && col.m.group != nil {
			field[i] = col.m.group.Field
		}
	}
	for f, cols := range c.repeated {
		for _, i := range cols {
			field[i] = f
		}
	}
	langs := []*rules.RuleSet{rs}
	for _, l := range rs.Languages() {
		if t, err := rs.In(l); err == nil && t != rs {
			langs = append(langs, t)
		}
	}
	h := &headerTexts{q: make([]*rules.Question, len(c.cols)), texts: make([]map[string]bool, len(c.cols))}
	for i := range c.cols {
		texts := map[string]bool{loose(c.Header[i]): true}
		if q, ok := rs.Question(field[i]); ok {
			h.q[i] = q
			texts[loose(q.ID)] = true
			for _, t := range langs {
				if tq, ok := t.Question(q.ID); ok {
					texts[loose(tq.ShortName)] = true
					texts[loose(tq.Ask)] = true
				}
			}
		}
		delete(texts, "")
		h.texts[i] = texts
	}
	return h
}

// headerRow reports whether row is a header row, as the rule above says;
// wording relaxes rule 2 for Qualtrics' row of question wording. qualtrics
// reports whether, besides, every cell that is not empty is a Qualtrics
// marker. The cells under fields come first: a patient's row is told by
// its first answer, most often its patient id.
func (c *CSV) headerRow(h *headerTexts, row []string, wording bool) (header, qualtrics bool) {
	if h == nil || len(row) != len(c.cols) {
		return false, false
	}
	named, qualtrics := false, true
	for i, cell := range row {
		q := h.q[i]
		t := strings.TrimSpace(cell)
		if q == nil || t == "" {
			continue
		}
		marker, qm := isMarker(t)
		qualtrics = qualtrics && qm
		if marker {
			named = true
			continue
		}
		own := h.texts[i][loose(t)]
		named = named || own
		switch {
		case q.Type == rules.Text:
			if !own && !wording {
				return false, false
			}
		case c.answers(q, i, cell):
			return false, false
		case !own && !wording:
			return false, false
		}
	}
	for i, cell := range row {
		t := strings.TrimSpace(cell)
		if h.q[i] != nil || t == "" || named && !qualtrics {
			continue
		}
		marker, qm := isMarker(t)
		qualtrics = qualtrics && qm
		named = named || marker || h.texts[i][loose(t)]
	}
	return named, named && qualtrics
}

// answers reports whether cell, under column i, is a valid answer to q,
// the field the column gives, as the record would read it.
func (c *CSV) answers(q *rules.Question, i int, cell string) bool {
	var v any = cell
	if m := c.cols[i].m; m != nil {
		v = m.translate(cell)
		if m.group != nil {
			if v == nil {
				return false // unticked
			}
			v = []any{v}
		}
	}
	a := screening.ParseAnswer(q, v)
	return a.State == screening.Given || a.State == screening.Unsure
}
