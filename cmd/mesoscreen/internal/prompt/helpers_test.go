package prompt_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

func defaultRules(t *testing.T) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return rs
}

// healthyItems lists, as the review does, the answers of a healthy adult:
// every question in page order but the follow-ups, which do not apply.
func healthyItems(rs *rules.RuleSet) []interview.Item {
	a := screening.Parse(rs, map[string]any{
		"patient_id": "T-1", "age": "40", "treatment_areas": []string{"face"}, "goal": "rejuvenation",
		"pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no", "blood_clots": "no",
		"stroke": "no", "blood_thinners": "no", "recent_cancer": "no", "diabetes": "none",
		"heart_medications": "0", "active_infection": "no", "skin_condition": "no", "allergies": "no",
		"medications": "",
	})
	var items []interview.Item
	for _, p := range interview.Pages(rs) {
		for _, q := range p.Questions {
			if q.When == "" {
				items = append(items, interview.Item{Question: q, Section: p.Section, Answer: a.Get(q.ID)})
			}
		}
	}
	return items
}
