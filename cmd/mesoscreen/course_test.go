package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

// course runs commands as one clinic would over a patient's course: in
// a folder of its own, with the clinic's config file, at the day given.
type course struct {
	t   *testing.T
	dir string
	env map[string]string
}

func newCourse(t *testing.T) *course {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config", "mesoscreen")
	require.NoError(t, os.MkdirAll(cfg, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(cfg, "config.yaml"), []byte("clinic:\n  name: Clinique Lumière\n  phone: +33 1 42 00 00 00\n"), 0o644))
	return &course{t: t, dir: dir, env: map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "config")}}
}

var courseDay0 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

func (c *course) path(name string) string { return filepath.Join(c.dir, name) }

// run runs mesoscreen on day (from courseDay0) with stdin.
func (c *course) run(day int, stdin string, args ...string) runResult {
	c.t.Helper()
	s, out, errb := iostreams.Test(stdin)
	s.Getenv = testEnv(args, c.env)
	s.Now = func() time.Time { return courseDay0.AddDate(0, 0, day) }
	code := Main(args, s)
	return runResult{code, out.String(), errb.String()}
}

func (c *course) read(name string) []byte {
	c.t.Helper()
	b, err := os.ReadFile(c.path(name))
	require.NoError(c.t, err)
	return b
}

// TestCourseClearCheckRescreenVerify follows one record through clear,
// check, a re-screen and verify, with the effective verdict at each step.
func TestCourseClearCheckRescreenVerify(t *testing.T) {
	c := newCourse(t)
	rec := c.path("MS-1001.json")
	r := c.run(0, typedAnswers("patient_id", "MS-1001", "blood_thinners", "1", "blood_thinner_name", "2"),
		"interview", "--accessible", "--save", rec, "--clinician", "anna")
	require.Equal(t, 1, r.code, r.err)

	r = c.run(0, "", "check", rec)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.out, "MS-1001  NEEDS REVIEW")

	r = c.run(1, "", "clear", rec, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr A. Ruiz", "--note", "letter of 4 March on file")
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.out, "MS-1001  ELIGIBLE")
	st, err := os.Stat(rec)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the record is written again at 0600")

	for _, format := range []string{"text", "table", "json", "csv"} {
		r = c.run(1, "", "check", "-f", format, rec)
		assert.Equal(t, 0, r.code, format)
		// A table wraps its cells: read its words, without the borders.
		words := strings.Join(strings.FieldsFunc(r.out, func(c rune) bool {
			return unicode.IsSpace(c) || strings.ContainsRune("│╭╮╰╯─┬┴┼├┤", c)
		}), " ")
		assert.Contains(t, words, "Dr A. Ruiz", "%s shows who cleared it", format)
		assert.Contains(t, words, "2026-03-04", "%s shows when", format)
		assert.Contains(t, words, "The prescriber approved pausing", "%s shows why", format)
	}
	r = c.run(1, "", "check", "-f", "json", rec)
	var results []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.out), &results))
	require.Len(t, results, 1)
	assert.Equal(t, "eligible", results[0]["verdict"])
	assert.Equal(t, "needs_review", results[0]["record"].(map[string]any)["verdict_before_clearances"])

	// Under another rule set the clearance does not apply.
	other := c.path("clinic.yaml")
	require.NoError(t, os.WriteFile(other, append(rules.DefaultSource(), "\n# the clinic's copy\n"...), 0o644))
	r = c.run(1, "", "--rules", other, "check", rec)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.out, "NEEDS REVIEW")
	assert.Contains(t, r.out, "does not apply: it was made under rule set mesotherapy-default version 1")

	// A week later, the short re-screen: nothing has changed. Each answer
	// is kept with k, Enter alone keeping none, and the two questions
	// about the time since the last session are answered No.
	r = c.run(8, strings.Repeat("k\n", 8)+"2\n2\n\n", "interview", "--accessible", "--recheck", rec, "--clinician", "anna")
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.out, "VERDICT: ELIGIBLE")
	assert.Contains(t, r.err, "added the re-screen to "+rec+" (changed: session_reaction, health_changed)")
	assert.Contains(t, r.err, "Last time: Apixaban")

	r = c.run(8, "", "record", "verify", rec)
	assert.Equal(t, 0, r.code, r.out)
	assert.Contains(t, r.out, "OK, 3 events signed by anna, Dr A. Ruiz, keys the clinic trusts; the chain holds")

	r = c.run(8, "", "record", "show", rec)
	require.Equal(t, 0, r.code, r.err)
	for _, s := range []string{"1  2026-03-03 10:00  screened    by anna (key ed25519:", "2  2026-03-04 10:00  cleared     by Dr A. Ruiz (key ed25519:", "): blood-thinners", "3  2026-03-11 10:00  rescreened  by anna (key ed25519:", "changed: session_reaction, health_changed", "the chain holds"} {
		assert.Contains(t, r.out, s)
	}
	// The history with its signers, as the clinic's auditor reads it; the
	// keys are the test clinicians', the same every run. The sha256 of
	// the file changes with the tool version the events carry.
	show := strings.ReplaceAll(r.out, c.dir, "DIR")
	show = regexp.MustCompile(`sha256 of the file [0-9a-f]{64}`).ReplaceAllString(show, "sha256 of the file SHA256")
	golden(t, show, "record", "show-signed.golden")

	// One byte edited: who cleared it.
	b := c.read("MS-1001.json")
	require.NoError(t, os.WriteFile(rec, []byte(strings.Replace(string(b), "Dr A. Ruiz", "Dr A. Ruiy", 1)), 0o600))
	r = c.run(8, "", "record", "verify", rec)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.out, "BROKEN: event 3 (rescreened")
	r = c.run(8, "", "check", rec)
	assert.Equal(t, 1, r.code, "a record that does not verify is never cleared")
	assert.Contains(t, r.out, "the record's history does not verify")
	r = c.run(8, "", "clear", rec, "--finding", "blood-thinners", "--reason", "physician-cleared", "--by", "Dr B")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "does not verify, so nothing is added to it")
}

func TestCourseClearRefuses(t *testing.T) {
	c := newCourse(t)
	rec := c.path("MS-1002.json")
	r := c.run(0, typedAnswers("patient_id", "MS-1002", "pregnant", "1", "active_infection", "1", "allergies", "1", "allergy_details", "hives"),
		"interview", "--accessible", "--save", rec)
	require.Equal(t, 1, r.code, r.err)
	before := c.read("MS-1002.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not_eligible", []string{"--finding", "pregnant", "--reason", "physician-cleared", "--by", "Dr A"}, "finding pregnant cannot be cleared: rule pregnant is not_eligible, which is never cleared"},
		{"defer", []string{"--finding", "active-infection", "--reason", "physician-cleared", "--by", "Dr A"}, "only a new screening lifts"},
		{"no such reason", []string{"--finding", "allergies", "--reason", "alergy-assessed", "--by", "Dr A"}, `(did you mean "allergy-assessed"?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(1, "", append([]string{"clear", rec}, tc.args...)...)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.err, tc.want)
			assert.Equal(t, before, c.read("MS-1002.json"), "nothing is written")
		})
	}
	// The allergy may be cleared, but the verdict stays not_eligible.
	r = c.run(1, "", "clear", rec, "--finding", "allergies", "--reason", "allergy-assessed", "--by", "Dr A")
	assert.Equal(t, 1, r.code, r.err)
	assert.Contains(t, r.out, "NOT ELIGIBLE")
}

// TestCourseValidForDays: a record older than valid_for_days (30) needs a
// re-screen when checked; a fresh one does not.
func TestCourseValidForDays(t *testing.T) {
	c := newCourse(t)
	rec := c.path("MS-1003.json")
	require.Equal(t, 0, c.run(0, typedAnswers("patient_id", "MS-1003"), "interview", "--accessible", "--save", rec).code)
	tests := []struct {
		at   string
		code int
		want string
	}{
		{"2026-03-03", 0, "ELIGIBLE"},
		{"2026-04-02", 0, "ELIGIBLE"},
		{"2026-04-03", 1, "screened on 2026-03-03, 31 days ago: re-screen before treatment"},
	}
	for _, tc := range tests {
		t.Run(tc.at, func(t *testing.T) {
			r := c.run(0, "", "check", "--at", tc.at, rec)
			assert.Equal(t, tc.code, r.code, r.out)
			assert.Contains(t, r.out, tc.want)
			if tc.code == 0 {
				assert.NotContains(t, r.out, "re-screen before treatment")
			}
		})
	}
	r := c.run(0, "", "check", "--at", "3 April", rec)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, `--at "3 April": expected a date as 2026-03-10`)
}
