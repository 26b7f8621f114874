//go:build unix

package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The form on a terminal in Spanish: s answers sí (and y still does), n
// no, and the page shows its questions and keys in Spanish.
func TestInterviewKeystrokesInSpanish(t *testing.T) {
	for _, yes := range []string{"s", "y"} {
		t.Run(yes, func(t *testing.T) {
			save := filepath.Join(t.TempDir(), "record.json")
			p := startOnTerminal(t, false, []string{"TERM=xterm-256color"}, "interview", "--lang", "es", "--save", save, "--clinician", "T")
			p.typeKeys(t, keys(patientPage,
				"N", "n", "n", "n", yes, "2", keyEnter, // a blood thinner: sí, apixabán
				"N", "0", keyEnter, "N", keyEnter, keyEnter,
			))
			assert.Equal(t, exitFindings, p.wait(t), "terminal:\n%s", p.term.written())
			answers, verdict := savedAnswers(t, save)
			assert.Equal(t, "needs_review", verdict)
			assert.Equal(t, "yes", answers["blood_thinners"])
			assert.Equal(t, "apixaban", answers["blood_thinner_name"])
			screen := p.term.written()
			assert.Contains(t, screen, "¿Toma, o se inyecta, algún medicamento para hacer la sangre más líquida")
			assert.Contains(t, screen, "s/n/?")
			assert.Contains(t, p.out.String(), "RESULTADO: ")
		})
	}
}
