package intake

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// maxHeaderRows is the most rows a header may take (Mapping.HeaderRows).
const maxHeaderRows = 5

// formHeader reads the header rows under the first: c.Depth of them in
// all, merged into the header; or, with Sniff, as many as a form tool's
// export shows it writes. Rows read that are no header rows are held, to
// be read as rows.
func (c *CSV) formHeader(rows tableRows) error {
	want := max(c.Depth, 1) - 1
	if c.Sniff && want == 0 {
		want = 2 // SurveyMonkey writes one more, Qualtrics two
	}
	var more []*rowRead
	for len(more) < want {
		row, line, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		r := &rowRead{row: row, line: line, cellLine: rows.cellLine}
		more = append(more, r.hold())
	}
	merge := 0
	switch {
	case c.Depth > 1:
		merge = len(more)
	case c.Sniff && len(more) > 0 && surveyMonkeyRow(c.Header, more[0].row):
		merge, c.Depth = 1, 2
	case c.Sniff && len(more) > 1 && qualtricsRow(more[1].row):
		c.Wording = make([]string, len(c.Header))
		for i := range c.Wording {
			if i < len(more[0].row) {
				c.Wording[i] = strings.TrimSpace(more[0].row[i])
			}
		}
		c.HeaderRows = append(c.HeaderRows, more[0].line, more[1].line)
		c.held = more[2:]
		return nil
	}
	parts := [][]string{c.Header}
	for _, r := range more[:merge] {
		parts = append(parts, r.row)
		c.HeaderRows = append(c.HeaderRows, r.line)
	}
	c.Header = mergeHeader(parts)
	c.held = more[merge:]
	return nil
}

// mergeHeader names each column by its cells in the header rows, joined
// with ": ". An empty cell of the first row takes the one to its left:
// SurveyMonkey names a checkbox question over its first choice's column
// only. The rows' words for "the answer" (Response, Open-Ended Response)
// and Qualtrics' ImportIds name nothing, and are left out.
func mergeHeader(rows [][]string) []string {
	out := make([]string, len(rows[0]))
	above := ""
	for i, h := range rows[0] {
		h = strings.TrimSpace(h)
		if h != "" {
			above = h
		} else {
			h = above
		}
		parts := []string{}
		if h != "" {
			parts = append(parts, h)
		}
		for _, r := range rows[1:] {
			if i >= len(r) {
				continue
			}
			t := strings.TrimSpace(r[i])
			if t == "" || answerWord(t) {
				continue
			}
			parts = append(parts, t)
		}
		out[i] = strings.Join(parts, ": ")
	}
	return out
}

// answerWord reports whether a header row's cell says only "the answer
// is here": SurveyMonkey's Response and Open-Ended Response, or a
// Qualtrics ImportId.
func answerWord(cell string) bool {
	if strings.EqualFold(cell, "response") || strings.EqualFold(cell, "open-ended response") {
		return true
	}
	_, qualtrics := isMarker(cell)
	return qualtrics
}

// surveyMonkeyRow reports whether row, under header, is SurveyMonkey's
// second header row: it holds its word Response or Open-Ended Response,
// and every cell that is not empty is under a first-row cell left empty
// (a choice of the question to its left) or is such a word or the
// label of a choice.
func surveyMonkeyRow(header, row []string) bool {
	said := false
	for _, cell := range row {
		t := strings.TrimSpace(cell)
		if strings.EqualFold(t, "response") || strings.EqualFold(t, "open-ended response") {
			said = true
		}
	}
	return said && len(row) == len(header)
}

// qualtricsRow reports whether row is Qualtrics' row of ImportIds: every
// cell that is not empty is one, and one is.
func qualtricsRow(row []string) bool {
	n := 0
	for _, cell := range row {
		t := strings.TrimSpace(cell)
		if t == "" {
			continue
		}
		if _, q := isMarker(t); !q {
			return false
		}
		n++
	}
	return n > 0
}

// CodeColumn is a mapped column of a yes/no, choice or list field whose
// cells held numbers the mapping does not translate: most likely the
// form's codes for its choices ("1" for its first), read as written. A
// "1" is then yes, whatever the form's first choice was.
type CodeColumn struct {
	Header, Field string
	// Values are the numbers found, each once, in the order first found
	// (at most maxCodes of them).
	Values []string
}

// maxCodes is how many numbers a CodeColumn keeps.
const maxCodes = 10

// noteCode notes a cell of mapped column i that holds a number its
// mapping does not translate, for a field that is no number or text.
func (c *CSV) noteCode(i int, cell string) {
	col := c.cols[i]
	t := strings.TrimSpace(cell)
	if col.m.group != nil || c.RuleSet == nil || t == "" || strings.Trim(t, "0123456789") != "" {
		return
	}
	if _, listed := col.m.values[key(t)]; listed {
		return
	}
	q, ok := c.RuleSet.Question(col.field)
	if !ok || q.Type == rules.Integer || q.Type == rules.Text {
		return
	}
	k := slices.IndexFunc(c.Codes, func(cc CodeColumn) bool { return cc.Header == c.Header[i] })
	if k < 0 {
		c.Codes = append(c.Codes, CodeColumn{Header: c.Header[i], Field: col.field})
		k = len(c.Codes) - 1
	}
	if cc := &c.Codes[k]; len(cc.Values) < maxCodes && !slices.Contains(cc.Values, t) {
		cc.Values = append(cc.Values, t)
	}
}
