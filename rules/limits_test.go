package rules_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/rules/meds"
	"github.com/mesoscreen/mesoscreen/screening/intake"
	"github.com/mesoscreen/mesoscreen/screening/ruletest"
)

// TestHostileYAML feeds each loader a file built to exhaust it. Every one
// must be refused with a message that says where and why, having
// allocated little: a billion-laughs file that reached the decoder used to
// take seconds and gigabytes.
func TestHostileYAML(t *testing.T) {
	dir := filepath.Join("..", "testdata", "rules")
	bomb := filepath.Join(dir, "alias-bomb.yaml")
	mapBomb := filepath.Join(dir, "alias-bomb.mapping.yaml")
	anchors := filepath.Join(dir, "anchors.yaml")
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return b
	}
	// A sparse file: as large as it says, without writing 9.5 MiB.
	big := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(19<<19))
	require.NoError(t, f.Close())
	def, err := rules.Default()
	require.NoError(t, err)
	known := func(string) bool { return true }
	lint := func(file string, data []byte) error {
		if _, ps := rules.Lint(file, data); len(ps) > 0 {
			return ps
		}
		return nil
	}
	const bombMsg = "the aliases in this file expand to more than 100000 nodes; expected a plain %s (anchors and aliases may only repeat small parts)"

	tests := []struct {
		name string
		load func() error
		want string // "" when the file must load
	}{
		{"alias bomb as a rule set",
			func() error { _, err := rules.Parse(bomb, read(bomb)); return err },
			bomb + ":12:14: " + strings.Replace(bombMsg, "%s", "rule set", 1)},
		{"alias bomb as a rule set, from its file",
			func() error { _, err := rules.Load(bomb); return err },
			bomb + ":12:14: " + strings.Replace(bombMsg, "%s", "rule set", 1)},
		{"alias bomb as a rule set, linted",
			func() error { return lint(bomb, read(bomb)) },
			bomb + ":12:14: " + strings.Replace(bombMsg, "%s", "rule set", 1)},
		{"alias bomb as a mapping",
			func() error { _, err := intake.ParseMapping(mapBomb, read(mapBomb), known); return err },
			mapBomb + ":8:14: " + strings.Replace(bombMsg, "%s", "mapping", 1)},
		{"alias bomb as a mapping, from its file",
			func() error { _, err := intake.LoadMapping(mapBomb, known); return err },
			mapBomb + ":8:14: " + strings.Replace(bombMsg, "%s", "mapping", 1)},
		{"alias bomb as a medication lexicon",
			func() error { _, err := meds.Parse(bomb, read(bomb)); return err },
			bomb + ":12:14: " + strings.Replace(bombMsg, "%s", "medication lexicon", 1)},
		{"alias bomb as a rule-test file",
			func() error { _, err := ruletest.Parse(bomb, read(bomb), def); return err },
			bomb + ":12:14: " + strings.Replace(bombMsg, "%s", "rule-test file", 1)},
		{"flow collections nested 20,000 deep",
			func() error {
				_, err := rules.Parse("deep.yaml", []byte("schema: 1\nx: "+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n"))
				return err
			},
			"deep.yaml:2:104: [ and { are nested more than 100 deep here; expected a plain rule set (a few levels of [...] and {...})"},
		{"over-large rule set, from its file",
			func() error { _, err := rules.Load(big); return err },
			big + ": the rule set is 9.5 MiB; expected at most 1 MiB"},
		{"over-large mapping, from its file",
			func() error { _, err := intake.LoadMapping(big, known); return err },
			big + ": the mapping is 9.5 MiB; expected at most 1 MiB"},
		{"over-large medication lexicon, from its file",
			func() error { _, err := meds.Load(big); return err },
			big + ": the medication lexicon is 9.5 MiB; expected at most 1 MiB"},
		{"over-large rule set, given as bytes",
			func() error { _, err := rules.Parse("big.yaml", make([]byte, rules.MaxFileBytes+1)); return err },
			"big.yaml: the rule set is 1.1 MiB; expected at most 1 MiB"},
		{"a small rule set with an anchor and aliases",
			func() error { return lint(anchors, read(anchors)) },
			""},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		// A device has no size to check first: this is the limited read.
		tests = append(tests, struct {
			name string
			load func() error
			want string
		}{"endless rule set",
			func() error { _, err := rules.Load("/dev/zero"); return err },
			"/dev/zero: the rule set is more than 1 MiB; expected at most 1 MiB"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := tt.load()
			runtime.ReadMemStats(&after)
			if tt.want == "" {
				assert.NoError(t, err)
			} else if assert.Error(t, err) {
				assert.Equal(t, tt.want, err.Error())
			}
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(100<<20), "bytes allocated")
		})
	}
}

func TestAnchorsAreExpanded(t *testing.T) {
	rs, err := rules.Load(filepath.Join("..", "testdata", "rules", "anchors.yaml"))
	require.NoError(t, err)
	require.Len(t, rs.Rules, 2)
	for _, r := range rs.Rules {
		assert.Equal(t, rules.NotEligible, r.Level, r.ID)
		assert.Equal(t, []string{"002", "004"}, r.Source, r.ID)
	}
}

// TestDefaultsWithinLimits checks that the files shipped are far from the
// limits, so that a clinic's copy of them has room to grow.
func TestDefaultsWithinLimits(t *testing.T) {
	for name, data := range map[string][]byte{
		"rule set": rules.DefaultSource(), "rule tests": rules.DefaultTestsSource(), "lexicon": meds.DefaultSource(),
	} {
		assert.Less(t, len(data), rules.MaxFileBytes/10, name)
	}
}
