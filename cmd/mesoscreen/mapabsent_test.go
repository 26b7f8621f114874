package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A form export whose question was reworded after the mapping was made
// stops check with exit 2 before anything is screened, naming the column
// the mapping reads and the export's column it did not expect.
func TestCheckMappedColumnAbsent(t *testing.T) {
	data, err := os.ReadFile(repoFile("examples", "google-forms-export.csv"))
	require.NoError(t, err)
	export := filepath.Join(t.TempDir(), "export.csv")
	require.NoError(t, os.WriteFile(export, []byte(strings.Replace(string(data), "Your age in years", "How old are you?", 1)), 0o600))
	code, out, errOut := run(t, "", "check", "--map", repoFile("examples", "google-forms-mapping.yaml"), export)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out, "nothing screened")
	assert.Contains(t, errOut, `export.csv:1: the mapping reads column "Your age in years", which the export does not have; the export's columns the mapping neither reads nor ignores are "How old are you?"`)
}
