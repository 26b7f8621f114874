package intakegen_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/internal/intakegen"
)

// Varied medication lists are rarely written the same way twice, and the
// rest of each patient is what the same seed gives without them.
func TestVariedMedications(t *testing.T) {
	few := intakegen.New(3).Patients(2000)
	g := intakegen.New(3)
	g.VariedMedications = true
	varied := g.Patients(2000)

	lists, texts := 0, map[string]bool{}
	for i := range varied {
		f, v := few[i], varied[i]
		switch f.Medications {
		case "", "none":
			assert.Equal(t, f.Medications, v.Medications, "patient %d", i)
		default:
			lists++
			texts[v.Medications] = true
			n := len(strings.Split(v.Medications, ", "))
			assert.True(t, n >= 1 && n <= 3, "patient %d: %q", i, v.Medications)
		}
		f.Medications, v.Medications = "", ""
		require.Equal(t, f, v, "patient %d", i)
	}
	require.Greater(t, lists, 1000)
	assert.Greater(t, len(texts), lists*3/4, "%d different texts among %d lists", len(texts), lists)
}
