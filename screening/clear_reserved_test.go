package screening_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Every rule id of mesoscreen's own findings is reserved, so no rule set
// can hold a rule of that id, and no clearance can lift such a finding.
func TestFailSafeRuleIDsAreReserved(t *testing.T) {
	for _, id := range []string{
		screening.RuleMissing, screening.RuleUnsure, screening.RuleInvalid, screening.RuleOutOfRange,
		screening.RuleDuplicated, screening.RuleUnreadable, screening.RuleUndecidable, screening.RuleInstructionUndecidable, screening.RuleDuplicateID,
		screening.RuleContradicted, screening.RuleUnasked, screening.RuleNotCompleted, screening.RuleEnteredInError,
		screening.RuleRescreenDue, screening.RuleRecordAltered, screening.RuleRowSwallowed, screening.RuleDisplayContradicted,
		screening.RuleOtherQuestionnaire, screening.RuleNoQuestionnaire, screening.RuleSubjectConflict,
		screening.RuleLinkIDNearMiss,
	} {
		assert.True(t, rules.ReservedRuleID(id), id)
	}
}
