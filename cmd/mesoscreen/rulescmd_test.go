package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestRulesShow(t *testing.T) {
	code, out, _ := run(t, "", "rules", "show")
	assert.Equal(t, exitOK, code)
	golden(t, out, "rules", "show.golden")
}

func TestRulesLint(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	require.NoError(t, os.WriteFile(good, rules.DefaultSource(), 0o600))
	typo := filepath.Join(dir, "typo.yaml")
	src := string(rules.DefaultSource())
	require.NoError(t, os.WriteFile(typo, []byte(replaceOnce(t, src, "condition: blood_clots\n", "condition: blod_clots\n")), 0o600))

	rs, err := rules.Default()
	require.NoError(t, err)
	in := rs.Instructions
	counts := fmt.Sprintf("ok: mesotherapy-default version 1, %d questions, %d rules, %d instructions\n",
		len(rs.Questions), len(rs.Rules), len(in.PreTreatment)+len(in.Aftercare)+len(in.Course))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"default", []string{"rules", "lint"}, exitOK, "default.yaml (embedded): " + counts +
			"i18n/es.yaml (embedded): ok: es: 100%, every one of 298 texts translated\n" +
			"i18n/fr.yaml (embedded): ok: fr: 100%, every one of 298 texts translated\n", ""},
		{"file", []string{"rules", "lint", good}, exitOK, good + ": " + counts, ""},
		{"--rules", []string{"--rules", good, "rules", "lint"}, exitOK, good + ": " + counts, ""},
		{"typo", []string{"rules", "lint", typo}, exitError, "",
			typo + ":" + strconv.Itoa(lineOf(t, src, "condition: blood_clots\n")) + ":16: unknown field \"blod_clots\" (did you mean \"blood_clots\"?); a condition can only read the questions of the rule set\n" +
				"mesoscreen: " + typo + ": the rule set does not load (1 problem)\n"},
		{"missing", []string{"rules", "lint", filepath.Join(dir, "nope.yaml")}, exitError, "",
			"mesoscreen: " + filepath.Join(dir, "nope.yaml") + ": cannot read: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stdout, out)
			assert.Equal(t, tt.stderr, errOut)
		})
	}
}

func TestVersion(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tests := []struct {
		name string
		args []string
	}{{"command", []string{"version"}}, {"flag", []string{"--version"}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := run(t, "", tt.args...)
			assert.Equal(t, exitOK, code)
			assert.Regexp(t, `^mesoscreen \S+\n(revision:  \S+( \(with uncommitted changes\))?\n)?(built:     \S+\n)?go:        go\S+\nrule set:  mesotherapy-default version 1 \(built in\)\nsha256:    `+rs.SHA256+`\n$`, out)
			assert.LessOrEqual(t, strings.Count(out, "revision"), 1, "the revision once")
		})
	}
	code, out, _ := run(t, "", "version", "--format", "json")
	assert.Equal(t, exitOK, code)
	var b struct {
		Version, Go string
		RuleSet     struct{ Name, SHA256 string } `json:"rule_set"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &b), out)
	assert.NotEmpty(t, b.Version)
	assert.Equal(t, runtime.Version(), b.Go)
	assert.Equal(t, rs.SHA256, b.RuleSet.SHA256)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

// lineOf returns the line number on which sub first appears in s.
func lineOf(t *testing.T, s, sub string) int {
	t.Helper()
	i := strings.Index(s, sub)
	require.GreaterOrEqual(t, i, 0, "text %q not found", sub)
	return strings.Count(s[:i], "\n") + 1
}
