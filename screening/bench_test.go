package screening_test

import (
	"testing"

	"github.com/mesoscreen/mesoscreen/screening"
)

// BenchmarkEvaluate screens one parsed intake; BenchmarkParseEvaluate
// includes parsing the raw record, as a batch check does.
func BenchmarkEvaluate(b *testing.B) {
	rs := defaultRules(b)
	a := screening.Parse(rs, with(map[string]any{"medications": "fish oil", "blood_thinners": "yes"}))
	b.ReportAllocs()
	for b.Loop() {
		screening.Evaluate(a, screening.Options{})
	}
}

func BenchmarkParseEvaluate(b *testing.B) {
	rs := defaultRules(b)
	rec := with(map[string]any{"medications": "fish oil", "blood_thinners": "yes"})
	b.ReportAllocs()
	for b.Loop() {
		screening.Evaluate(screening.Parse(rs, rec), screening.Options{})
	}
}
