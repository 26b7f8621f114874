package screening

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Rows parsed one after the other into the same answers, as a worker of
// "check" parses them, give what each row gives on its own, although list
// answers come from the answers' cache after their first time.
func TestParseIntoReusedAnswers(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	ids := []string{"patient_id", "treatment_areas", "goal", "age", "pregnant"}
	rows := [][]string{
		{"P-1", "face;neck", "pores", "30", "no"},
		{"P-2", "face;neck", "pores", "30", "yes"},
		{"P-3", "Face; Neck", "rejuvenation", "", ""},
		{"P-4", "not sure", "pores", "forty", "maybe"},
		{"P-5", "face;elbow", "pores", "30", "no"},
		{"P-6", "", "pores", "30", "no"},
		{"P-7", "face;neck", "", "130", "no"},
		{"P-8", "Face; Neck", "pores", "30", "no"},
	}
	cols := NewColumns(rs, ids)
	buf := NewAnswers(rs)
	for round := range 2 {
		for _, row := range rows {
			want := ParseCells(rs, ids, row)
			got := cols.ParseInto(buf, row)
			assert.Equal(t, want.vals, got.vals, "round %d, %v", round, row)
		}
	}
	assert.Equal(t, 4, len(buf.lists), "one entry per list cell text")

	// The cache is bounded: a file of all-different lists does not grow it.
	for i := range 2 * maxCachedLists {
		cols.ParseInto(buf, []string{"P", "face;" + strconv.Itoa(i), "pores", "30", "no"})
	}
	assert.Equal(t, maxCachedLists, len(buf.lists))
}
