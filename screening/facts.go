package screening

import (
	"slices"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Rule ids of the findings a FHIR QuestionnaireResponse's status adds.
const (
	RuleNotCompleted   = "response-not-completed"
	RuleEnteredInError = "response-entered-in-error"
)

// Facts are what a reader found about a record as a whole, beside its
// answers. A reader says what the input held; FactFindings says what that
// means for the screening, in the result's language.
type Facts struct {
	// Response is set for a FHIR QuestionnaireResponse.
	Response *ResponseFacts

	// Table is set for a table's row with something to say (tablefacts.go).
	Table *TableFacts
}

// ResponseFacts are what a FHIR QuestionnaireResponse says of itself.
type ResponseFacts struct {
	// Status holds every value its "status" was given, as read: one
	// string for a well-formed response, none when it has no status, more
	// than one when the key is given more than once.
	Status []any
}

// FactFindings are the findings of what a reader found about a record,
// in the screener's language; none for a record with nothing to say.
// Only a completed (or amended) FHIR response is a finished intake: one
// in progress or stopped may lack answers or change, and one entered in
// error is no intake at all. A table's row is flagged as tableFindings
// says.
func (s *Screener) FactFindings(f Facts) []Finding {
	return append(s.responseFindings(f), s.tableFindings(f.Table)...)
}

// responseFindings are the findings of what a FHIR response says of
// itself.
func (s *Screener) responseFindings(f Facts) []Finding {
	r := f.Response
	if r == nil {
		return nil
	}
	status := r.Status
	fd := Finding{Level: rules.NeedsReview, Rule: RuleNotCompleted, Source: failSafeSource, Field: "status"}
	switch {
	case slices.Contains(status, any("entered-in-error")):
		fd.Level, fd.Rule, fd.Value = rules.NotEligible, RuleEnteredInError, "entered-in-error"
		fd.Message = s.tr.T(`the response's status is "entered-in-error": it was entered in error and is not this patient's intake; do not treat on it, screen a new one`)
	case len(status) == 0:
		fd.Message = s.tr.T("the response has no status; expected completed or amended, a finished response")
	case len(status) > 1:
		fd.Value = Conflict(status).String()
		fd.Message = s.tr.T("the response's status is given %d times (%s); expected it once", len(status), fd.Value)
	case status[0] == "completed" || status[0] == "amended":
		return nil
	default:
		st, _ := status[0].(string)
		fd.Value = st
		fd.Message = s.tr.T("the response's status is %q, not completed: answers may be missing or still change; a clinician must check it before booking", st)
	}
	return []Finding{fd}
}
