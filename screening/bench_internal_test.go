package screening

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// BenchmarkScreenRow parses and screens one CSV row into a reused result,
// the work done per record of a large file besides reading and writing
// it.
func BenchmarkScreenRow(b *testing.B) {
	rs, err := rules.Default()
	require.NoError(b, err)
	ids := []string{"patient_id", "age", "treatment_areas", "goal", "pregnant", "breastfeeding",
		"clotting_disorder", "blood_clots", "stroke", "blood_thinners", "blood_thinner_name",
		"recent_cancer", "diabetes", "heart_medications", "active_infection", "skin_condition",
		"allergies", "allergy_details", "medications"}
	row := []string{"MS-000001", "37", "neck;face", "hair_loss", "no", "no", "no", "no", "no", "yes", "warfarin",
		"no", "none", "0", "no", "no", "no", "", "fish oil, multivitamin"}
	cols := NewColumns(rs, ids)
	buf := NewAnswers(rs)
	sc := NewScreener(rs, Options{})
	var res Result
	b.ReportAllocs()
	for b.Loop() {
		sc.EvaluateInto(cols.ParseInto(buf, row), &res)
	}
}
