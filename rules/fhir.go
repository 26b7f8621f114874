package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// AnswerSystem is the code system of the answer codes in the Questionnaire
// that mesoscreen writes: yes, no, unsure, and the option values.
const AnswerSystem = "urn:mesoscreen:answer"

// FHIR is what a rule set says about FHIR QuestionnaireResponses beyond
// its questions: the Questionnaires, besides its own, whose responses it
// screens, and the linkIds of theirs it reads nothing from.
type FHIR struct {
	// Questionnaires are the canonical URLs of the clinic's own
	// Questionnaires whose linkIds are the rule set's field ids. One
	// written as url|version accepts that version only; one without a
	// version accepts every version.
	Questionnaires []string `yaml:"questionnaires"`
	// Ignore lists the linkIds those Questionnaires answer that screening
	// has no use for (a consent box, a signature): an answer under one is
	// set aside by the clinic's declaration, where any other answer the
	// rule set does not read needs review.
	Ignore []string `yaml:"ignore"`
}

// QuestionnaireURL is the canonical URL of the rule set's own
// Questionnaire, as "mesoscreen template fhir" writes it:
// urn:mesoscreen:questionnaire:<name>, its version beside it.
func (rs *RuleSet) QuestionnaireURL() string {
	return "urn:mesoscreen:questionnaire:" + urnPart(rs.Name)
}

// AnswersQuestionnaire reports whether a response to the Questionnaire of
// canonical url (url|version, or url alone) answers the rule set's
// questions: its own Questionnaire in any version, or one FHIR lists.
func (rs *RuleSet) AnswersQuestionnaire(canonical string) bool {
	url, _, _ := strings.Cut(canonical, "|")
	if url == rs.QuestionnaireURL() {
		return true
	}
	for _, q := range rs.FHIR.Questionnaires {
		// A listed url|version equals only the canonical in full; a
		// listed url, any version of it.
		if q == canonical || q == url {
			return true
		}
	}
	return false
}

// GroupLinkID is the linkId of a section's group in the rule set's own
// Questionnaire. A question's linkId is its field id, which has no "-",
// so the two can never be the same (FHIR rule que-2: every linkId is
// unique).
func GroupLinkID(section string) string { return "section-" + section }

// IgnoresLinkID reports whether an answer under linkId, which is no field
// of the rule set, is set aside by declaration: a linkId under
// fhir.ignore, or that of a section's group in the rule set's own
// Questionnaire (a group holds no answer of its own).
func (rs *RuleSet) IgnoresLinkID(linkID string) bool {
	if slices.Contains(rs.FHIR.Ignore, linkID) {
		return true
	}
	for _, s := range rs.Sections {
		if GroupLinkID(s.ID) == linkID {
			return true
		}
	}
	return false
}

// urnPart makes a rule set's name fit in a URN: no spaces, and nothing
// outside letters, digits and - . _ (each other character becomes -).
func urnPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_') {
			return r
		}
		return '-'
	}, s)
}

// checkFHIR checks the fhir: key: each canonical an absolute URI, said
// once; each linkId to ignore one that is no question of the rule set.
func (ld *loader) checkFHIR() {
	rs := ld.rs
	seen := map[string]bool{}
	for i, q := range rs.FHIR.Questionnaires {
		p := fmt.Sprintf("$.fhir.questionnaires[%d]", i)
		url, version, versioned := strings.Cut(q, "|")
		scheme, rest, _ := strings.Cut(url, ":")
		switch {
		case q == "" || strings.ContainsFunc(q, unicode.IsSpace):
			ld.Errorf(p, "questionnaire %q is not a canonical URL; expected one such as https://clinic.example/fhir/Questionnaire/intake, without spaces", q)
		case scheme == "" || rest == "" || strings.ContainsAny(scheme, "/.?#"):
			ld.Errorf(p, "questionnaire %q is not a canonical URL; expected an absolute one, such as https://clinic.example/fhir/Questionnaire/intake", q)
		case versioned && version == "":
			ld.Errorf(p, "questionnaire %q has a | but no version after it; expected url|version, or the url alone for every version", q)
		case seen[q]:
			ld.Errorf(p, "questionnaire %q is listed twice", q)
		case url == rs.QuestionnaireURL():
			ld.Warnf(p, "questionnaire %q is the rule set's own, which is always accepted; remove it", q)
		}
		seen[q] = true
	}
	ignored := map[string]bool{}
	for i, id := range rs.FHIR.Ignore {
		p := fmt.Sprintf("$.fhir.ignore[%d]", i)
		switch {
		case strings.TrimSpace(id) == "":
			ld.Errorf(p, "an empty linkId; expected the linkId of an item whose answers screening does not need")
		case rs.Index(id) >= 0:
			ld.Errorf(p, "linkId %q is question %q of the rule set, which screening reads; remove it from fhir.ignore", id, id)
		case ignored[id]:
			ld.Errorf(p, "linkId %q is listed twice", id)
		}
		ignored[id] = true
	}
}
