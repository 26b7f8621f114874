package intake_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// Read an input of any format once, and see what was used of it: here a
// table in Windows-1252 with a column the rule set does not ask.
func ExampleOpen() {
	rs, err := rules.Default()
	if err != nil {
		log.Fatal(err)
	}
	table := "patient_id;age;notes\nMS-1;34;caf\xe9\nMS-2;51;\n"
	in, err := intake.Open("monday.csv", strings.NewReader(table), intake.Options{RuleSet: rs})
	if err != nil {
		log.Fatal(err) // a column that nearly names a field stops here
	}
	for rec, err := range in.Records() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.Source, len(rec.Fields), "answers")
	}
	st := in.Stats()
	fmt.Printf("%s, delimiter %q, %s\n", st.Format, st.Delimiter, st.Encoding)
	for _, c := range st.Columns {
		fmt.Printf("%q gives %q\n", c.Header, c.Field)
	}
	fmt.Println("ignored:", st.Ignored)
	// Output:
	// monday.csv:2 2 answers
	// monday.csv:3 2 answers
	// csv, delimiter ';', Windows-1252 (the bytes are not UTF-8)
	// "patient_id" gives "patient_id"
	// "age" gives "age"
	// "notes" gives ""
	// ignored: [notes]
}
