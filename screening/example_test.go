package screening_test

import (
	"fmt"
	"log"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Load the built-in rule set and screen one intake, given as a decoded
// JSON object would be.
func Example() {
	rs, err := rules.Default()
	if err != nil {
		log.Fatal(err)
	}
	sc := screening.NewScreener(rs, screening.Options{})
	res := sc.Evaluate(screening.Parse(rs, map[string]any{
		"patient_id": "MS-2001", "age": 52, "pregnant": "no", "breastfeeding": "no",
		"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
		"diabetes": "none", "heart_medications": 0, "blood_thinners": "yes",
		"blood_thinner_name": "apixaban", "active_infection": "no", "skin_condition": "no",
		"allergies": "no", "medications": "Eliquis 5mg twice a day",
		"treatment_areas": []any{"face"}, "goal": "rejuvenation",
	}))
	fmt.Println(res.PatientID, res.Verdict)
	// Output: MS-2001 needs_review
}

// Read a result's findings: most severe first, each with the rule that
// found it, its level, the message for the clinician and the documents it
// comes from. An answer that cannot be used is a fail-safe finding that
// names the field.
func ExampleResult_findings() {
	rs, err := rules.Default()
	if err != nil {
		log.Fatal(err)
	}
	res := screening.Evaluate(screening.Parse(rs, map[string]any{
		"patient_id": "MS-2002", "age": 34, "pregnant": "not sure", "breastfeeding": "no",
		"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
		"diabetes": "none", "heart_medications": 0, "blood_thinners": "no",
		"active_infection": "no", "skin_condition": "no", "allergies": "no",
		"treatment_areas": []any{"face", "neck", "scalp"}, "goal": "rejuvenation",
	}), screening.Options{})
	fmt.Println(res.Verdict)
	for _, f := range res.Findings {
		fmt.Printf("%s %s [%s] %s\n", f.Level, f.Rule, f.Source, f.Message)
	}
	// Output:
	// needs_review
	// needs_review answer-unsure [mesoscreen fail-safe] Pregnancy: not sure; a clinician must find out before booking
	// eligible_with_precautions too-many-areas [004] More than 2 areas chosen; plan at most 2 areas per session
}
