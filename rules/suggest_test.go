package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"warfarin", "warfarin", 3, 0},
		{"warfrin", "warfarin", 3, 1},      // a letter left out
		{"wrafarin", "warfarin", 3, 1},     // two neighbours swapped: one edit
		{"warfarine", "warfarin", 3, 1},    // one too many
		{"wurfarin", "warfarin", 3, 1},     // one wrong
		{"aspirin", "warfarin", 3, 3},      // stops at max
		{"ibuprofène", "ibuprofene", 3, 1}, // letters, not bytes
		{"", "abc", 2, 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rules.EditDistance(tt.a, tt.b, tt.max), "%q %q", tt.a, tt.b)
	}
}

func TestClosest(t *testing.T) {
	ids := []string{"blood_clots", "blood_thinners", "breastfeeding"}
	assert.Equal(t, "blood_clots", rules.Closest("blod_clots", ids))
	assert.Equal(t, "breastfeeding", rules.Closest("braestfeeding", ids))
	assert.Equal(t, "", rules.Closest("pregnant", ids), "nothing within two edits")
}
