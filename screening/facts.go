package screening

import (
	"slices"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Rule ids of the findings of what a FHIR QuestionnaireResponse says of
// itself.
const (
	RuleNotCompleted   = "response-not-completed"
	RuleEnteredInError = "response-entered-in-error"
	// RuleOtherQuestionnaire is a response to a Questionnaire the rule
	// set does not declare: its linkIds may mean something else there.
	RuleOtherQuestionnaire = "response-questionnaire-unknown"
	// RuleNoQuestionnaire is a response that does not say which
	// Questionnaire it answers.
	RuleNoQuestionnaire = "response-questionnaire-absent"
	// RuleSubjectConflict is a patient_id item that names another patient
	// than the response's subject.
	RuleSubjectConflict = "response-subject-conflict"
	// RuleLinkIDNearMiss is an answer under a linkId that nearly names a
	// field: "medication" for "medications".
	RuleLinkIDNearMiss = "response-linkid-near-miss"
)

// Facts are what a reader found about a record as a whole, beside its
// answers. A reader says what the input held; FactFindings says what that
// means for the screening, in the result's language.
type Facts struct {
	// Journal is set when the clinic's journal does not confirm a saved
	// record (Journal.Check): a later event exists, or the journal is
	// broken.
	Journal error
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
	// Questionnaire holds every value its "questionnaire" was given, as
	// read: the canonical URL (url|version) of the Questionnaire it
	// answers; none when it does not say.
	Questionnaire []any
	// PatientItem is the answer of its patient_id item, as read; nil when
	// it has none.
	PatientItem any
	// Subject lists the patient ids its subject names, each once: the
	// Reference's identifier, the identifiers of the contained Patient it
	// points to (#id), the id of a Patient/<id> reference.
	Subject []string
	// Unread are its answers under linkIds that are no field of the rule
	// set but nearly name one, in the order found: read as a slip, they
	// would be set aside. (An answer under any other linkId that is no
	// field is the record's to report, as any unasked answer is.) The
	// reader does not know the rule set: intake.Open sets them.
	Unread []UnreadItem
}

// UnreadItem is an answer under a linkId that is no field of the rule set.
type UnreadItem struct {
	LinkID string
	// Value is the answer as read.
	Value any
	// Like is the field that LinkID looks like a slip for ("medications"
	// for "medication").
	Like string
}

// FactFindings are the findings of what a reader found about a record,
// in the screener's language; none for a record with nothing to say.
//
// Only a completed (or amended) FHIR response is a finished intake: one
// in progress or stopped may lack answers or change, and one entered in
// error is no intake at all. Its linkIds are the rule set's field ids
// only in a response to the rule set's own Questionnaire or one it
// lists: in a response to another, "pregnant" may ask about a pregnancy
// in the family. A response that does not say which it answers is
// screened, with a note. A patient_id item and a subject that name two
// patients, an answer under a linkId that nearly names a field, and
// answers the rule set does not read are never set aside in silence. A
// table's row is flagged as tableFindings says.
func (s *Screener) FactFindings(f Facts) []Finding {
	out := append(s.responseFindings(f), s.tableFindings(f.Table)...)
	if f.Journal != nil {
		out = append(out, s.JournalFinding(f.Journal))
	}
	return out
}

// responseFindings are the findings of what a FHIR response says of
// itself.
func (s *Screener) responseFindings(f Facts) []Finding {
	r := f.Response
	if r == nil {
		return nil
	}
	var out []Finding
	if fd, ok := s.statusFinding(r.Status); ok {
		out = append(out, fd)
	}
	if fd, ok := s.questionnaireFinding(r.Questionnaire); ok {
		out = append(out, fd)
	}
	if fd, ok := s.subjectFinding(r); ok {
		out = append(out, fd)
	}
	return append(out, s.unreadFindings(r.Unread)...)
}

func (s *Screener) statusFinding(status []any) (Finding, bool) {
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
		return Finding{}, false
	default:
		st, _ := status[0].(string)
		fd.Value = st
		fd.Message = s.tr.T("the response's status is %q, not completed: answers may be missing or still change; a clinician must check it before booking", st)
	}
	return fd, true
}

// questionnaireFinding judges the Questionnaire a response says it
// answers. One that says none is screened as the rule set's, with a
// finding at eligible_with_precautions: the mildest level that is not
// eligible, so that the clinician sees it and no verdict is made worse
// than its answers make it.
func (s *Screener) questionnaireFinding(qs []any) (Finding, bool) {
	fd := Finding{Level: rules.NeedsReview, Rule: RuleOtherQuestionnaire, Source: failSafeSource, Field: "questionnaire"}
	own := s.rs.QuestionnaireURL()
	switch {
	case len(qs) == 0:
		fd.Level, fd.Rule = rules.EligibleWithPrecautions, RuleNoQuestionnaire
		fd.Message = s.tr.T("the response does not say which Questionnaire it answers; its linkIds were read as the rule set's fields (%s): check that it is a response to the clinic's form", own)
	case len(qs) > 1:
		fd.Value = Conflict(qs).String()
		fd.Message = s.tr.T("the response's questionnaire is given %d times (%s); expected it once; a clinician must check which form it answers before booking", len(qs), fd.Value)
	default:
		url, ok := qs[0].(string)
		if ok && s.rs.AnswersQuestionnaire(url) {
			return Finding{}, false
		}
		fd.Value, _ = rawText(qs[0])
		fd.Message = s.tr.T("the response answers Questionnaire %q, which is neither the rule set's (%s) nor one it lists under fhir.questionnaires: its linkIds may mean something else there; a clinician must check it before booking", fd.Value, own)
	}
	return fd, true
}

// subjectFinding compares a response's patient_id item with the patient
// its subject names: the two must agree (letter case and spaces aside).
func (s *Screener) subjectFinding(r *ResponseFacts) (Finding, bool) {
	if s.idIdx < 0 || r.PatientItem == nil || len(r.Subject) == 0 {
		return Finding{}, false
	}
	q := s.rs.Questions[s.idIdx]
	a := ParseAnswer(q, r.PatientItem)
	id, _ := a.Value.(string)
	if a.State != Given || strings.TrimSpace(id) == "" {
		return Finding{}, false // a finding of its own already
	}
	quoted := make([]string, len(r.Subject))
	for i, sid := range r.Subject {
		if strings.EqualFold(strings.TrimSpace(sid), strings.TrimSpace(id)) {
			return Finding{}, false
		}
		quoted[i] = s.tr.T(`"%s"`, sid)
	}
	return Finding{
		Rule: RuleSubjectConflict, Level: rules.NeedsReview, Source: failSafeSource,
		Field: q.ID, Value: Conflict{id, r.Subject[0]}.String(),
		Message: s.tr.T("%s: the item says %q but the response's subject is %s; a clinician must find out whose response this is before booking", q.Name(), id, s.tr.JoinOr(quoted)),
	}, true
}

// unreadFindings are a finding for each answer under a linkId that nearly
// names a field, and one for the other answers the rule set does not
// read.
func (s *Screener) unreadFindings(items []UnreadItem) []Finding {
	var out []Finding
	for _, it := range items {
		out = append(out, Finding{
			Rule: RuleLinkIDNearMiss, Level: rules.NeedsReview, Source: failSafeSource, Field: it.LinkID, Value: unreadValue(it.Value),
			Message: s.tr.T("linkId %q is no field of the rule set but looks like %q, so its answer (%s) was not read; a clinician must read it before booking, and the form's linkId be corrected", it.LinkID, it.Like, s.quoteUnread(it.Value)),
		})
	}
	return out
}

// quoteUnread quotes an unread answer as a message does, each of its
// values when it was given more than once.
func (s *Screener) quoteUnread(v any) string {
	c, ok := v.(Conflict)
	if !ok {
		c = Conflict{v}
	}
	quoted := make([]string, len(c))
	for i, x := range c {
		quoted[i] = s.tr.T(`"%s"`, unreadValue(x))
	}
	return strings.Join(quoted, ", ")
}

// maxUnreadValue is the most runes of an unread answer a finding quotes:
// enough to say what it is; the file holds the rest.
const maxUnreadValue = 80

// unreadValue is an unread answer as a finding quotes it: on one line, cut
// at maxUnreadValue runes.
func unreadValue(v any) string {
	t, _ := rawText(v)
	return cutShort(oneLine(t))
}

// cutShort cuts a text that a message quotes to maxUnreadValue letters.
func cutShort(t string) string {
	if r := []rune(t); len(r) > maxUnreadValue {
		t = string(r[:maxUnreadValue]) + "…"
	}
	return t
}
