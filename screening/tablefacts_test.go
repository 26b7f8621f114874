package screening_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// A row swallowed by a quoted cell is a needs_review finding on the row
// that swallowed it, naming the line and the patient, in every language.
func TestTableFindings(t *testing.T) {
	one := screening.RunOn{Field: "medications", Column: "medications", Lines: []int{5}, IDs: []string{"B-2"}, Text: "B-2,34,yes"}
	noID := screening.RunOn{Field: "medications", Column: "medications", Lines: []int{5}, Text: ",34,yes"}
	two := screening.RunOn{Field: "medications", Column: "medications", Lines: []int{5, 6}, IDs: []string{"B-2", "C-3"}, Text: "B-2,34,yes"}
	twoNoID := screening.RunOn{Column: "Notes", Lines: []int{5, 6}, Text: ",34,yes"}
	tests := []struct {
		ro    screening.RunOn
		field string
		want  string
	}{
		{one, "medications", `Medicines and supplements: a quoted cell runs on into line 5, which looks like the row of another patient (patient_id "B-2"): a closing quote is most likely missing, so that patient was read into this cell and not screened; correct the file and check it again`},
		{noID, "medications", `Medicines and supplements: a quoted cell runs on into line 5, which looks like another patient's row: a closing quote is most likely missing, so that row was read into this cell and not screened; correct the file and check it again`},
		{two, "medications", `Medicines and supplements: a quoted cell runs on into 2 lines from line 5 that look like other patients' rows (patient_id "B-2" and "C-3"): a closing quote is most likely missing, so those rows were read into this cell and not screened; correct the file and check it again`},
		{twoNoID, "Notes", `column "Notes": a quoted cell runs on into 2 lines from line 5 that look like other patients' rows: a closing quote is most likely missing, so those rows were read into this cell and not screened; correct the file and check it again`},
	}
	rs := defaultRules(t)
	for _, tt := range tests {
		fs := screening.NewScreener(rs, screening.Options{Keys: clinicKeys}).FactFindings(screening.Facts{Table: &screening.TableFacts{RunsOn: []screening.RunOn{tt.ro}}})
		require.Len(t, fs, 1)
		f := fs[0]
		assert.Equal(t, screening.RuleRowSwallowed, f.Rule)
		assert.Equal(t, rules.NeedsReview, f.Level)
		assert.Equal(t, tt.field, f.Field)
		assert.Equal(t, tt.ro.Text, f.Value)
		assert.Equal(t, tt.want, f.Message)
		for _, lang := range []string{"es", "fr"} {
			rl, err := rs.In(lang)
			require.NoError(t, err)
			fl := screening.NewScreener(rl, screening.Options{Keys: clinicKeys}).FactFindings(screening.Facts{Table: &screening.TableFacts{RunsOn: []screening.RunOn{tt.ro}}})
			require.Len(t, fl, 1)
			assert.NotEqual(t, tt.want, fl[0].Message, lang)
			assert.Contains(t, fl[0].Message, "5", lang)
		}
	}
	assert.Empty(t, screening.NewScreener(rs, screening.Options{Keys: clinicKeys}).FactFindings(screening.Facts{}))
}
