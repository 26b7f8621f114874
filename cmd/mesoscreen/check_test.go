package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

func TestCheckArgs(t *testing.T) {
	tests := []struct {
		args    []string
		files   []string
		format  string
		details bool
		errText string
	}{
		{args: nil, files: []string{"-"}, format: "text"},
		{args: []string{"a.json", "b.jsonl"}, files: []string{"a.json", "b.jsonl"}, format: "text"},
		{args: []string{"-f", "jsonl", "-"}, files: []string{"-"}, format: "jsonl"},
		{args: []string{"--format", "json", "--details", "x"}, files: []string{"x"}, format: "json", details: true},
		{args: []string{"--format", "xml"}, errText: `--format "xml" is not one of table, text, csv, json, jsonl`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s, _, _ := iostreams.Test("")
			var got *CheckOptions
			cmd := NewCmdCheck(&Factory{IO: s}, func(o *CheckOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			cmd.SetFlagErrorFunc(flagError) // as the root sets it for every command
			err := cmd.Execute()
			if tt.errText != "" {
				require.Error(t, err)
				assert.Equal(t, tt.errText, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.files, got.Files)
			assert.Equal(t, tt.format, got.Format)
			assert.Equal(t, tt.details, got.Details)
		})
	}
}

// TestCheckGolden screens the same mixed file in every output format.
func TestCheckGolden(t *testing.T) {
	in := repoFile("check", "mixed.jsonl")
	for _, format := range []string{"text", "json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := run(t, "", "check", "--format", format, in)
			assert.Equal(t, exitFindings, code)
			golden(t, out, "check", "mixed."+format+".golden")
			assert.Equal(t, builtIn(t)+"note: no question reads \"favourite_colour\", \"shoe_size\"; a record with an answer there has a finding for it (--ignore NAME declares one ignored)\n"+
				"screened 5 records: 1 eligible, 2 needs_review, 1 defer, 1 not_eligible\n", errOut)
		})
	}
}

func TestCheckExamples(t *testing.T) {
	code, out, errOut := run(t, "", "check", "--format", "jsonl", repoFile("examples", "intakes.jsonl"))
	assert.Equal(t, exitFindings, code)
	want := map[string]string{
		"MS-1001": "eligible", "MS-1002": "eligible_with_precautions", "MS-1003": "not_eligible",
		"MS-1004": "needs_review", "MS-1005": "defer", "MS-1006": "needs_review",
		"MS-1007": "not_eligible", "MS-1008": "not_eligible",
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(want))
	for i, line := range lines {
		var r struct {
			PatientID string `json:"patient_id"`
			Verdict   string `json:"verdict"`
			Source    string `json:"source"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		assert.Equal(t, want[r.PatientID], r.Verdict, r.PatientID)
		assert.True(t, strings.HasSuffix(r.Source, ":"+string(rune('1'+i))), r.Source)
	}
	assert.Contains(t, errOut, "screened 8 records")
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	healthy := write("healthy.json", mustRead(t, repoFile("examples", "healthy.json")))
	precaution := write("precaution.json", strings.Replace(mustRead(t, repoFile("examples", "healthy.json")), `"medications": ""`, `"medications": "zinc"`, 1))
	empty := write("empty.jsonl", "\n")
	badRules := write("bad-rules.yaml", "schema: 1\nname: x\nversion: \"1\"\nquestions:\n  - id: age\n    type: yesno\n    ask: a\nrules:\n  - id: r\n    condition: age > 3\n    level: defer\n    message: m\n")

	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"eligible", "", []string{"check", healthy}, exitOK, builtIn(t) + "screened 1 record: 1 eligible\n"},
		{"precautions", "", []string{"check", precaution}, exitOK, builtIn(t) + "screened 1 record: 1 eligible_with_precautions\n"},
		{"findings", "", []string{"check", repoFile("examples", "intakes.jsonl")}, exitFindings, builtIn(t) + "screened 8 records: 1 eligible, 1 eligible_with_precautions, 2 needs_review, 1 defer, 3 not_eligible\n"},
		{"stdin", `{"patient_id": "X"}`, []string{"check"}, exitFindings, ""},
		{"stdin dash", `{"patient_id": "X"}`, []string{"check", "-"}, exitFindings, ""},
		{"empty file", "", []string{"check", empty}, exitOK, builtIn(t) + "note: " + empty + " holds no records\nscreened 0 records\n"},
		{"missing file", "", []string{"check", healthy, filepath.Join(dir, "nope.json")}, exitError, "mesoscreen: " + filepath.Join(dir, "nope.json") + ": no such file\n"},
		{"directory", "", []string{"check", dir}, exitError, "mesoscreen: " + dir + " is a directory; expected an intake file\n"},
		{"bad format", "", []string{"check", "--format", "xml", healthy}, exitError, "mesoscreen: --format \"xml\" is not one of table, text, csv, json, jsonl\nRun 'mesoscreen check --help' for usage.\n"},
		{"unknown flag", "", []string{"check", "--frobnicate"}, exitError, "mesoscreen: unknown flag: --frobnicate\nRun 'mesoscreen check --help' for usage.\n"},
		{"bad rule set", "", []string{"--rules", badRules, "check", healthy}, exitError,
			"mesoscreen: cannot use rule set " + badRules + " (from the --rules flag):\n" + badRules + ":10:20: cannot compare yes/no with a number using >; yes/no answers are tested as true or false, numbers with numbers, choices with quoted values\n"},
		{"missing rule set", "", []string{"--rules", filepath.Join(dir, "none.yaml"), "check", healthy}, exitError,
			"mesoscreen: cannot use rule set " + filepath.Join(dir, "none.yaml") + " (from the --rules flag):\nrule set: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code)
			if tt.stderr != "" {
				assert.Equal(t, tt.stderr, errOut)
			}
			if tt.code == exitError {
				assert.Empty(t, out, "nothing is screened when the command cannot do its job")
			}
		})
	}
}

// TestCheckUnreadableFile reads a file that opens but fails on read.
func TestCheckUnreadableFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses /proc/self/mem, which opens but cannot be read at offset 0")
	}
	code, _, errOut := run(t, "", "check", "/proc/self/mem")
	assert.Equal(t, exitError, code)
	assert.Equal(t, builtIn(t)+"mesoscreen: /proc/self/mem: cannot read: read /proc/self/mem: input/output error\n", errOut)
}

func TestCheckRuleSetOverride(t *testing.T) {
	// A clinic protocol that also defers anyone with a cold sore question
	// answered yes: the override is used for every record.
	src := strings.Replace(string(rules.DefaultSource()), "name: mesotherapy-default", "name: clinic-strict", 1)
	src = strings.Replace(src, "    condition: goal == \"weight_loss\"\n    level: eligible_with_precautions", "    condition: goal == \"weight_loss\"\n    level: not_eligible", 1)
	p := filepath.Join(t.TempDir(), "strict.yaml")
	require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
	in := strings.Replace(mustRead(t, repoFile("examples", "healthy.json")), `"rejuvenation"`, `"weight_loss"`, 1)

	code, out, _ := run(t, in, "--rules", p, "check", "--format", "jsonl")
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, `"verdict":"not_eligible"`)
	assert.Contains(t, out, `"name":"clinic-strict"`)

	code, out, _ = run(t, in, "check", "--format", "jsonl")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, `"verdict":"eligible_with_precautions"`)
}

func TestCheckDetails(t *testing.T) {
	code, out, _ := run(t, "", "check", "--details", repoFile("examples", "healthy.json"))
	assert.Equal(t, exitOK, code)
	golden(t, out, "check", "healthy.details.golden")
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// TestCheckTableFitsTheTerminal: on a terminal the default is a table no
// wider than the terminal; the source column goes first when room is short.
func TestCheckTableFitsTheTerminal(t *testing.T) {
	for _, width := range []int{80, 110, 200} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			s, out, _ := iostreams.Test("")
			s.OutTTY, s.OutWidth = true, width
			code := Main([]string{"check", repoFile("examples", "intakes.jsonl")}, s)
			assert.Equal(t, exitFindings, code)
			lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			require.Greater(t, len(lines), 10)
			assert.Contains(t, lines[1], "FINDINGS", "a table, not text")
			for _, l := range lines {
				assert.LessOrEqual(t, lipgloss.Width(l), width, l)
			}
			assert.Equal(t, width >= 100, strings.Contains(lines[1], "SOURCE"), "the source column depends on the width alone")
		})
	}
}

// TestCheckFormatsOnATerminal keeps each output format, on a terminal of
// 80 columns (with and without NO_COLOR) and piped, in golden files.
func TestCheckFormatsOnATerminal(t *testing.T) {
	in := repoFile("examples", "intakes.jsonl")
	tests := []struct {
		name    string
		tty     bool
		noColor bool
		args    []string
	}{
		{"table-tty", true, false, nil},
		{"table-tty-nocolor", true, true, nil},
		{"table-tty-details", true, true, []string{"--details"}},
		{"text-tty", true, false, []string{"-f", "text"}},
		{"text-tty-details", true, true, []string{"-f", "text", "--details"}},
		{"text-piped", false, false, nil},
		{"csv-piped", false, false, []string{"-f", "csv"}},
		{"csv-tty", true, false, []string{"-f", "csv"}},
		{"jsonl-tty", true, false, []string{"-f", "jsonl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, out, _ := iostreams.Test("")
			if tt.tty {
				s.OutTTY, s.OutWidth = true, 80
			}
			if tt.noColor {
				s.Getenv = func(k string) string {
					if k == "NO_COLOR" {
						return "1"
					}
					return ""
				}
			}
			code := Main(append(append([]string{"check"}, tt.args...), in), s)
			assert.Equal(t, exitFindings, code)
			got := out.String()
			golden(t, got, "check", "formats", tt.name+".golden")
			colored := strings.Contains(got, "\x1b[")
			assert.Equal(t, tt.tty && !tt.noColor && !strings.HasPrefix(tt.name, "csv") && !strings.HasPrefix(tt.name, "jsonl"), colored, "colour only for a person at a terminal that wants it")
			if tt.tty {
				for _, l := range strings.Split(got, "\n") {
					if !strings.HasPrefix(tt.name, "csv") && !strings.HasPrefix(tt.name, "jsonl") {
						assert.LessOrEqual(t, lipgloss.Width(l), 80, l)
					}
				}
			}
		})
	}
}
