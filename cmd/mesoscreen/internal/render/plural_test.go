package render

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// Counts are said in the form the language's plural rule gives: French
// says 0 and 1 in the singular, English and Spanish only 1.
func TestCountsArePlural(t *testing.T) {
	tests := []struct {
		lang   string
		n      int
		more   string // the table's "and … more" count
		record string // the record line's history length
	}{
		{"en", 0, "0 more findings", ", without a history"},
		{"en", 1, "1 more finding", ", 1 event"},
		{"en", 2, "2 more findings", ", 2 events"},
		{"es", 0, "0 hallazgos más", ", sin historial"},
		{"es", 1, "1 hallazgo más", ", 1 evento"},
		{"es", 2, "2 hallazgos más", ", 2 eventos"},
		{"fr", 0, "0 constat de plus", ", sans historique"},
		{"fr", 1, "1 constat de plus", ", 1 événement"},
		{"fr", 2, "2 constats de plus", ", 2 événements"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			assert.Equal(t, tt.more, moreFindings(i18n.For(tt.lang), tt.n))
			r := screening.Result{Lang: tt.lang, Record: &screening.RecordStatus{ScreenedAt: "2025-05-01T10:00:00Z", Events: tt.n}}
			assert.Contains(t, recordLine(r), "2025-05-01"+tt.record)
		})
	}
}
