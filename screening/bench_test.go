package screening_test

import (
	"testing"

	"github.com/mesoscreen/mesoscreen/screening"
)

// BenchmarkEvaluate screens one parsed intake with a kept screener, as a
// batch does; BenchmarkParseEvaluate includes parsing the raw record.
func BenchmarkEvaluate(b *testing.B) {
	rs := defaultRules(b)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	a := screening.Parse(rs, with(map[string]any{"medications": "fish oil", "blood_thinners": "yes"}))
	b.ReportAllocs()
	for b.Loop() {
		sc.Evaluate(a)
	}
}

func BenchmarkParseEvaluate(b *testing.B) {
	rs := defaultRules(b)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	rec := with(map[string]any{"medications": "fish oil", "blood_thinners": "yes"})
	b.ReportAllocs()
	for b.Loop() {
		sc.Evaluate(screening.Parse(rs, rec))
	}
}

// BenchmarkEvaluateHealthy screens an intake no rule fires on, with the
// findings only, as check --format csv does.
func BenchmarkEvaluateHealthy(b *testing.B) {
	rs := defaultRules(b)
	sc := screening.NewScreener(rs, screening.Options{FindingsOnly: true})
	a := screening.Parse(rs, healthy())
	b.ReportAllocs()
	for b.Loop() {
		sc.Evaluate(a)
	}
}
