package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
)

// terminalControls are the characters a terminal acts on rather than
// shows: C0 (ESC, BEL, BS, CR and NUL among them), DEL, C1 (CSI, OSC, NEL)
// and the bidi controls that reorder a line.
var terminalControls = []struct {
	name string
	r    rune
}{
	{"NUL", 0x00}, {"BEL", 0x07}, {"BS", 0x08}, {"CR", 0x0d}, {"ESC", 0x1b}, {"US", 0x1f},
	{"DEL", 0x7f},
	{"NEL", 0x85}, {"CSI", 0x9b}, {"OSC", 0x9d}, {"ST", 0x9c},
	{"RLM", 0x200f}, {"RLO", 0x202e}, {"RLI", 0x2067}, {"ALM", 0x061c},
}

// hostileTexts are the texts a hostile intake carries: each control
// character inside an escape sequence that would retitle the window, and
// the sequence of the report as it came.
func hostileTexts() map[string]string {
	out := map[string]string{"report": "A\x1b]0;pwned\x07\x1b[2J"}
	for _, c := range terminalControls {
		out[c.name] = "MS-" + string(c.r) + "]0;pwned" + string(c.r) + "[2J"
	}
	return out
}

// ownStyling is what lipgloss writes for our own colours: SGR sequences
// only.
var ownStyling = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// assertNothingActs fails when out holds a byte or character a terminal
// would act on: anything but a line break or a tab among the controls,
// and no byte that is not UTF-8 (a lone 0x9b is CSI to some terminals).
// With colour, the SGR sequences of our own styling are allowed, and
// nothing else that starts with ESC.
func assertNothingActs(t *testing.T, out string, colour bool) {
	t.Helper()
	if colour {
		out = ownStyling.ReplaceAllString(out, "")
	}
	require.True(t, utf8.ValidString(out), "output is not UTF-8: %q", out)
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			assert.Failf(t, "a control character reached the terminal", "%U at byte %d: %q", r, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
}

// hostileIntake writes an intake of one patient whose id is id and who
// takes warfarin, so that the record has a finding to clear.
func hostileIntake(t *testing.T, dir, id string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"patient_id": id, "age": 34, "pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no",
		"blood_clots": "no", "stroke": "no", "recent_cancer": "no", "diabetes": "none", "heart_medications": 0,
		"blood_thinners": "yes", "blood_thinner_name": "warfarin", "active_infection": "no", "skin_condition": "no",
		"allergies": "no", "medications": "warfarin\x1b[8m hidden", "treatment_areas": []string{"face"}, "goal": "rejuvenation",
	})
	require.NoError(t, err)
	path := filepath.Join(dir, "intake.json")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}

// A patient id, an answer, a note and a name full of terminal controls
// reach every surface that shows them as visible escapes: the accessible
// interview and its verdict, the saved record's history, clear, and
// check's text and table. The record is saved by the interview itself.
func TestHostileTextDoesNotReachTheTerminal(t *testing.T) {
	for name, id := range hostileTexts() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			from := hostileIntake(t, dir, id)
			rec := filepath.Join(dir, "rec.json")

			// Every answer is given: Enter at the review screens them.
			// A signer's name full of controls is refused, and said
			// escaped; the clinician signs under a plain one.
			r := runMain(t, "\n", nil, "interview", "--accessible", "--from", from, "--save", rec, "--clinician", "Dr "+id)
			require.Equal(t, exitError, r.code, r.err)
			assert.Contains(t, r.err, "a control or format character")
			assertNothingActs(t, r.err, false)
			r = runMain(t, "\n", nil, "interview", "--accessible", "--from", from, "--save", rec, "--clinician", "Dr Hostile")
			require.Equal(t, exitFindings, r.code, r.err)
			assert.Contains(t, r.out, "NEEDS REVIEW", "the verdict screen was shown")
			assert.Contains(t, r.out, "]0;pwned", "the id was shown, escaped")
			assertNothingActs(t, r.out, false)
			assertNothingActs(t, r.err, false)
			require.FileExists(t, rec)

			r = runMain(t, "", nil, "clear", rec, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr Hostile", "--note", id)
			require.Equal(t, exitOK, r.code, r.err)
			assert.Contains(t, r.err, "cleared blood-thinners")
			assertNothingActs(t, r.out, false)
			assertNothingActs(t, r.err, false)

			r = runMain(t, "", nil, "record", "show", rec)
			require.Equal(t, exitOK, r.code, r.err)
			assert.Contains(t, r.out, "note: "+render.Printable(id), "the note was shown, escaped")
			assertNothingActs(t, r.out, false)
			assertNothingActs(t, r.err, false)

			for _, format := range []string{"text", "table"} {
				r = runMain(t, "", nil, "check", "--format", format, "--details", from)
				require.Equal(t, exitFindings, r.code, r.err)
				assert.Contains(t, r.out, render.Printable(id), format)
				assertNothingActs(t, r.out, false)
				assertNothingActs(t, r.err, false)
			}
		})
	}
}

// On a terminal with colour, the verdict screen and check's table keep
// our colours and nothing else that starts with ESC.
func TestHostileTextOnAColourTerminal(t *testing.T) {
	id := hostileTexts()["report"]
	from := hostileIntake(t, t.TempDir(), id)
	for _, args := range [][]string{
		{"check", "--format", "table", from},
		{"check", "--format", "text", from},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			s, out, errb := iostreams.Test("\n")
			s.OutTTY, s.OutWidth = true, 100
			s.Getenv = func(k string) string { return map[string]string{"TERM": "xterm-256color"}[k] }
			require.True(t, s.ColorEnabled())
			code := Main(args, s)
			require.Equal(t, exitFindings, code, errb.String())
			require.True(t, ownStyling.MatchString(out.String()), "colour is on: %q", out.String())
			assert.Contains(t, out.String(), `\x1b]0;pwned\a`)
			assertNothingActs(t, out.String(), true)
			assertNothingActs(t, errb.String(), false)
		})
	}
}

// The texts of a rule set reach "rules show" and "rules diff" escaped.
func TestHostileRuleSetTexts(t *testing.T) {
	def, err := os.ReadFile(filepath.Join("..", "..", "rules", "default.yaml"))
	require.NoError(t, err)
	for _, c := range terminalControls {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			// A double-quoted YAML string says any character as \U.
			esc := fmt.Sprintf(`\U%08x]0;pwned\U%08x`, c.r, c.r)
			hostile := strings.Replace(string(def), "\n    ask: Which blood thinner?\n", "\n    ask: \"Which blood thinner?"+esc+"\"\n", 1)
			require.NotEqual(t, string(def), hostile, "the question to change is in the default rule set")
			path := filepath.Join(dir, "hostile.yaml")
			require.NoError(t, os.WriteFile(path, []byte(hostile), 0o600))
			base := filepath.Join(dir, "default.yaml")
			require.NoError(t, os.WriteFile(base, def, 0o600))

			for _, tt := range []struct {
				args []string
				code int
			}{
				{[]string{"rules", "show", "--rules", path}, exitOK},
				{[]string{"rules", "diff", base, path}, exitFindings}, // they differ
			} {
				args := tt.args
				r := runMain(t, "", nil, args...)
				require.Equal(t, tt.code, r.code, r.err)
				assert.Contains(t, r.out, "]0;pwned", args[1])
				assert.Contains(t, r.out, "Which blood thinner?", args[1])
				assertNothingActs(t, r.out, false)
				assertNothingActs(t, r.err, false)
			}
		})
	}
}

// A record saved under a file name full of terminal controls (a Linux
// file name may hold any byte but / and NUL) is named escaped by "record
// verify", whether it holds or is broken.
func TestRecordVerifyHostileFileName(t *testing.T) {
	dir := t.TempDir()
	from := hostileIntake(t, dir, "MS-1")
	saved := filepath.Join(dir, "MS-1\x1b]0;pwned\x07\x1b[2J.json")
	r := runMain(t, "\n", nil, "interview", "--accessible", "--from", from, "--save", saved)
	require.Equal(t, exitFindings, r.code, r.err)
	data, err := os.ReadFile(saved)
	require.NoError(t, err)

	names := map[string]string{"report": saved, "byte 0x9b": filepath.Join(dir, "MS-\x9b2J.json")}
	for _, c := range terminalControls {
		if c.r != 0 { // NUL ends a file name
			names[c.name] = filepath.Join(dir, "MS-"+string(c.r)+"]0;pwned"+string(c.r)+"[2J.json")
		}
	}
	for name, path := range names {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(path, data, 0o600))
			r := runMain(t, "", nil, "record", "verify", path)
			require.Equal(t, exitOK, r.code, r.err)
			assert.Contains(t, r.out, render.Printable(path)+": OK")
			assertNothingActs(t, r.out, false)
			assertNothingActs(t, r.err, false)

			for what, broken := range map[string][]byte{
				"edited":       append(append([]byte(nil), data...), ' '),
				"not a record": []byte("not json"),
			} {
				require.NoError(t, os.WriteFile(path, broken, 0o600))
				r = runMain(t, "", nil, "record", "verify", path)
				if what == "not a record" {
					require.Equal(t, exitError, r.code, what+": "+r.err)
					assert.Contains(t, r.err, render.Printable(path)+" is not a saved record", what)
				} else {
					require.Equal(t, exitFindings, r.code, what+": "+r.err)
					assert.Contains(t, r.out, render.Printable(path)+": BROKEN: ", what)
				}
				assertNothingActs(t, r.out, false)
				assertNothingActs(t, r.err, false)
			}
		})
	}
}

// "rules show" names a config file full of terminal controls escaped in
// its "chosen by" line.
func TestRulesShowHostileConfigPath(t *testing.T) {
	def, err := os.ReadFile(filepath.Join("..", "..", "rules", "default.yaml"))
	require.NoError(t, err)
	cfgHome := filepath.Join(t.TempDir(), "cfg\x1b]0;pwned\x07\u202e")
	require.NoError(t, os.MkdirAll(filepath.Join(cfgHome, "mesoscreen"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(cfgHome, "mesoscreen", "clinic.yaml"), def, 0o600))
	cfgFile := filepath.Join(cfgHome, "mesoscreen", "config.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte("rules: clinic.yaml\n"), 0o600))

	r := runMain(t, "", map[string]string{"XDG_CONFIG_HOME": cfgHome, "HOME": t.TempDir()}, "rules", "show")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.out, "\nchosen by the config file "+render.Printable(cfgFile)+"\n")
	assertNothingActs(t, r.out, false)
	assertNothingActs(t, r.err, false)
}
