package iostreams

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestColorEnabled: --color decides; else NO_COLOR turns colour off,
// CLICOLOR_FORCE keeps it on a pipe, CLICOLOR=0 turns it off on a
// terminal, and a dumb or accessible terminal has none.
func TestColorEnabled(t *testing.T) {
	for _, tt := range []struct {
		name string
		tty  bool
		mode string
		env  map[string]string
		want bool
	}{
		{"terminal", true, "", nil, true},
		{"pipe", false, "", nil, false},
		{"auto is the same", true, "auto", nil, true},
		{"NO_COLOR", true, "", map[string]string{"NO_COLOR": "1"}, false},
		{"CLICOLOR=0", true, "", map[string]string{"CLICOLOR": "0"}, false},
		{"CLICOLOR=1 on a pipe", false, "", map[string]string{"CLICOLOR": "1"}, false},
		{"CLICOLOR_FORCE on a pipe", false, "", map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{"CLICOLOR_FORCE=0", false, "", map[string]string{"CLICOLOR_FORCE": "0"}, false},
		{"CLICOLOR_FORCE over CLICOLOR=0", true, "", map[string]string{"CLICOLOR": "0", "CLICOLOR_FORCE": "1"}, true},
		{"NO_COLOR over CLICOLOR_FORCE", false, "", map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}, false},
		{"TERM=dumb", true, "", map[string]string{"TERM": "dumb"}, false},
		{"ACCESSIBLE=1", true, "", map[string]string{"ACCESSIBLE": "1"}, false},
		{"ACCESSIBLE=0", true, "", map[string]string{"ACCESSIBLE": "0"}, true},
		{"--color always on a pipe, NO_COLOR", false, "always", map[string]string{"NO_COLOR": "1"}, true},
		{"--color never on a terminal", true, "never", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := Test("")
			s.OutTTY, s.ColorMode = tt.tty, tt.mode
			s.Getenv = func(k string) string { return tt.env[k] }
			assert.Equal(t, tt.want, s.ColorEnabled())
		})
	}
}
