package batch_test

import (
	"fmt"
	"log"
	"os"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// Screen a CSV file of intakes in order, on every core, with the built-in
// rule set: one result per row.
func Example() {
	rs, err := rules.Default()
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("../../testdata/examples/intakes.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	in, err := intake.Open("intakes.csv", f, intake.Options{RuleSet: rs})
	if err != nil {
		log.Fatal(err)
	}
	sc := screening.NewScreener(rs, screening.Options{})
	for res, err := range batch.Screen(sc, []batch.File{{Name: "intakes.csv", Records: in.Records()}}, batch.Options{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Source, res.PatientID, res.Verdict)
	}
	// Output:
	// intakes.csv:2 MS-1001 eligible
	// intakes.csv:3 MS-1002 eligible_with_precautions
	// intakes.csv:4 MS-1003 not_eligible
	// intakes.csv:5 MS-1004 needs_review
	// intakes.csv:6 MS-1005 defer
	// intakes.csv:7 MS-1006 needs_review
	// intakes.csv:8 MS-1007 not_eligible
	// intakes.csv:9 MS-1008 not_eligible
}
