package screening

import (
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// RuleRowSwallowed is the rule id of the finding on a table's row whose
// quoted cell runs on into what looks like another patient's row.
const RuleRowSwallowed = "record-row-swallowed"

// TableFacts are what a table's reader found about one of its rows.
type TableFacts struct {
	// RunsOn lists the row's quoted cells that run on, over a line
	// break, into what looks like another row.
	RunsOn []RunOn
}

// RunOn is a quoted cell that holds a line break followed by a row's
// worth of delimiters (one fewer than the table has columns). A closing
// quote left out by a hand edit makes one: the quoted cell then goes on
// over the rows after it, patients of their own, until a quote closes
// it; when the cells still add up, the file reads without an error and
// those patients are never screened. encoding/csv reads it so, as RFC
// 4180 says it must.
type RunOn struct {
	// Field is the field of the cell's column; "" for a column that
	// gives none, then named by Column.
	Field  string
	Column string
	// Lines are the lines of the input, after the line break, that look
	// like rows; IDs the patient ids of those of them where one parses
	// (from the identifier's column), in order.
	Lines []int
	IDs   []string
	// Text is the first of those lines, as read.
	Text string
}

// tableFindings are the findings of what a table's reader found about a
// row: for each cell that runs on into other rows, a needs_review finding
// that names the lines and the patients it swallowed.
func (s *Screener) tableFindings(t *TableFacts) []Finding {
	if t == nil {
		return nil
	}
	var out []Finding
	for _, r := range t.RunsOn {
		where := s.tr.T("column %q", r.Column)
		if q, ok := s.rs.Question(r.Field); ok {
			where = q.Name()
		}
		ids := make([]string, len(r.IDs))
		for i, id := range r.IDs {
			ids[i] = strconv.Quote(id)
		}
		idField := "patient_id"
		if q := s.rs.Identifier(); q != nil {
			idField = q.ID
		}
		var msg string
		switch {
		case len(r.Lines) == 1 && len(ids) == 1:
			msg = s.tr.T("%s: a quoted cell runs on into line %d, which looks like the row of another patient (%s %s): a closing quote is most likely missing, so that patient was read into this cell and not screened; correct the file and check it again", where, r.Lines[0], idField, ids[0])
		case len(r.Lines) == 1:
			msg = s.tr.T("%s: a quoted cell runs on into line %d, which looks like another patient's row: a closing quote is most likely missing, so that row was read into this cell and not screened; correct the file and check it again", where, r.Lines[0])
		case len(ids) > 0:
			msg = s.tr.T("%s: a quoted cell runs on into %d lines from line %d that look like other patients' rows (%s %s): a closing quote is most likely missing, so those rows were read into this cell and not screened; correct the file and check it again", where, len(r.Lines), r.Lines[0], idField, s.tr.Join(ids))
		default:
			msg = s.tr.T("%s: a quoted cell runs on into %d lines from line %d that look like other patients' rows: a closing quote is most likely missing, so those rows were read into this cell and not screened; correct the file and check it again", where, len(r.Lines), r.Lines[0])
		}
		field := r.Field
		if field == "" {
			field = r.Column
		}
		out = append(out, Finding{
			Rule: RuleRowSwallowed, Level: rules.NeedsReview, Source: failSafeSource,
			Field: field, Value: strings.TrimSpace(r.Text), Message: msg,
		})
	}
	return out
}
