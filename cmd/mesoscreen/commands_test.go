package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

// TestUnknownCommands: a word that names no subcommand or help topic is a
// usage error (exit 2, SPEC §6) that suggests the nearest names and points
// at the help of the command it was given to, never that command's help
// and success, which would let a misspelt command pass a CI gate.
func TestUnknownCommands(t *testing.T) {
	tests := []struct {
		args    []string
		stderr  []string // in this order
		suggest string   // among the suggestions; "" for none
	}{
		{[]string{"chek"}, []string{`mesoscreen: unknown command "chek" for "mesoscreen"`, "Run 'mesoscreen --help' for usage."}, "check"},
		{[]string{"rules", "lnt", "--strict", "clinic/rules.yaml"}, []string{`unknown command "lnt" for "mesoscreen rules"`, "Run 'mesoscreen rules --help' for usage."}, "lint"},
		{[]string{"meds", "lokup", "warfarin"}, []string{`unknown command "lokup" for "mesoscreen meds"`, "Run 'mesoscreen meds --help'"}, "lookup"},
		{[]string{"record", "verfy", "x.json"}, []string{`unknown command "verfy" for "mesoscreen record"`, "Run 'mesoscreen record --help'"}, "verify"},
		{[]string{"docs", "mann", "dir"}, []string{`unknown command "mann" for "mesoscreen docs"`}, "man"},
		{[]string{"completion", "bsh"}, []string{`unknown command "bsh" for "mesoscreen completion"`, "Run 'mesoscreen completion --help'"}, "bash"},
		{[]string{"help", "nonsuch"}, []string{`unknown help topic "nonsuch" for "mesoscreen"`}, ""},
		{[]string{"help", "chek"}, []string{`unknown help topic "chek" for "mesoscreen"`}, "check"},
		{[]string{"help", "rules", "lnt"}, []string{`unknown help topic "lnt" for "mesoscreen rules"`}, "lint"},
		{[]string{"help", "exit-code"}, []string{`unknown help topic "exit-code"`}, "exit-codes"},
		// A command's wrong arguments point at that command's help.
		{[]string{"rules", "explain"}, []string{"mesoscreen rules explain: accepts 1 arg(s), received 0", "Usage: mesoscreen rules explain RULE-ID [flags]", "Run 'mesoscreen rules explain --help' for more."}, ""},
		{[]string{"check", "--jobs", "abc"}, []string{`mesoscreen: --jobs "abc": expected a whole number`, "Run 'mesoscreen check --help' for usage."}, ""},
		// A malformed date or interval is a usage error, as a malformed
		// number is, before anything is read.
		{[]string{"check", "--at", "2026-13-01", "x.csv"}, []string{`mesoscreen: --at "2026-13-01": expected a date as 2026-03-10, or a time as 2026-03-10T09:30:00+01:00`, "Run 'mesoscreen check --help' for usage."}, ""},
		{[]string{"handout", "r.json", "-o", "x.pdf", "--start", "2026-3-1", "--every", "1w"}, []string{`mesoscreen: --start "2026-3-1": expected a date as 2026-03-10`, "Run 'mesoscreen handout --help' for usage."}, ""},
		{[]string{"record", "show", "r.json", "--at", "tomorrow"}, []string{`--at "tomorrow": expected a date`, "Run 'mesoscreen record show --help' for usage."}, ""},
		// A misspelt flag is named with the nearest the command has,
		// its own or global; none when nothing is near.
		{[]string{"check", "--detials", "x.csv"}, []string{"mesoscreen: unknown flag: --detials (did you mean --details?)", "Run 'mesoscreen check --help' for usage."}, ""},
		{[]string{"interview", "--accesible"}, []string{"unknown flag: --accesible (did you mean --accessible?)"}, ""},
		{[]string{"rules", "lint", "--rule", "x.yaml"}, []string{"unknown flag: --rule (did you mean --rules?)"}, ""},
		{[]string{"check", "--zzzzzzzz", "x.csv"}, []string{"mesoscreen: unknown flag: --zzzzzzzz\n", "Run 'mesoscreen check --help' for usage."}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out, "no help on stdout")
			rest := errOut
			for _, want := range tt.stderr {
				i := strings.Index(rest, want)
				if !assert.GreaterOrEqual(t, i, 0, "%q in order in %q", want, errOut) {
					return
				}
				rest = rest[i+len(want):]
			}
			if tt.suggest == "" {
				assert.NotContains(t, errOut, "Did you mean")
			} else {
				assert.Contains(t, errOut, "Did you mean this?\n")
				assert.Contains(t, errOut, "\t"+tt.suggest+"\n")
			}
		})
	}
}

// TestHelpTopics: "help environment" and "help exit-codes" are topics, as
// gh has them, and a group alone prints its help and succeeds.
func TestHelpTopics(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "environment"}, "MESOSCREEN_CONFIG_DIR"},
		{[]string{"help", "exit-codes"}, "130  The clinician cancelled an interview"},
		{[]string{"help", "rules", "lint"}, "mesoscreen rules lint [FILE] [flags]"},
		{[]string{"rules"}, "mesoscreen rules [command]"},
		{[]string{"completion"}, "mesoscreen completion [command]"},
		{[]string{}, "Additional help topics:"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			assert.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, tt.want)
		})
	}
}

// TestRecordVerify: a broken record is exit 1, a file that is not a
// record at all exit 2 (as "record show" gives), and --format json says
// the same as one document.
func TestRecordVerify(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "MS-1.json")
	r := runMain(t, "\n", nil, "interview", "-q", "--accessible", "--from", repoFile("examples", "course", "MS-1001.json"), "--save", rec)
	require.Equal(t, exitFindings, r.code, r.err)
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	broken := filepath.Join(dir, "broken.json")
	require.NoError(t, os.WriteFile(broken, []byte(strings.Replace(string(data), `"age": 47`, `"age": 74`, 1)), 0o600))
	require.NotEqual(t, string(data), mustRead(t, broken))
	intake := repoFile("examples", "healthy.json")

	for _, tt := range []struct {
		files  []string
		code   int
		status []string
	}{
		{[]string{rec}, exitOK, []string{"ok"}},
		{[]string{rec, broken}, exitFindings, []string{"ok", "broken"}},
		{[]string{intake}, exitError, []string{"not_a_record"}},
		{[]string{broken, intake, rec}, exitError, []string{"broken", "not_a_record", "ok"}},
	} {
		t.Run(strings.Join(tt.status, ","), func(t *testing.T) {
			r := runMain(t, "", nil, append([]string{"record", "verify"}, tt.files...)...)
			assert.Equal(t, tt.code, r.code, r.err)
			r = runMain(t, "", nil, append([]string{"record", "verify", "--format", "json"}, tt.files...)...)
			assert.Equal(t, tt.code, r.code, r.err)
			var got struct {
				Records []struct{ File, Status string }
			}
			require.NoError(t, json.Unmarshal([]byte(r.out), &got), r.out)
			require.Len(t, got.Records, len(tt.files))
			for i, want := range tt.status {
				assert.Equal(t, tt.files[i], got.Records[i].File)
				assert.Equal(t, want, got.Records[i].Status)
			}
		})
	}
	r = runMain(t, "", nil, "record", "show", intake)
	assert.Equal(t, exitError, r.code, "record show says the same")
}

// TestHelpFitsEightyColumns: the help of every command and topic fits 80
// columns when stdout is not a terminal, and a terminal's width when it
// is one.
func TestHelpFitsEightyColumns(t *testing.T) {
	s, _, _ := iostreams.Test("")
	root := NewRootCmd(s)
	var paths [][]string
	for _, c := range allCommands(root) {
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
	}
	paths = append(paths, []string{"environment"}, []string{"exit-codes"})
	widest := func(out string) int {
		w := 0
		for _, line := range strings.Split(out, "\n") {
			w = max(w, utf8.RuneCountInString(strings.ReplaceAll(line, "\t", "        ")))
		}
		return w
	}
	for _, p := range paths {
		t.Run(strings.Join(p, " "), func(t *testing.T) {
			code, out, _ := run(t, "", append([]string{"help"}, p...)...)
			require.Equal(t, exitOK, code)
			assert.LessOrEqual(t, widest(out), 80, out)
		})
	}
	for _, width := range []int{60, 120} {
		s, out, _ := iostreams.Test("")
		s.OutTTY, s.OutWidth = true, width
		s.Getenv = func(string) string { return "" }
		require.Equal(t, exitOK, Main([]string{"check", "--help"}, s))
		// The flags' descriptions fill the terminal; the prose is written
		// for 80 columns.
		assert.LessOrEqual(t, widest(out.String()), max(width, 80), "width %d", width)
		assert.Greater(t, widest(out.String()), width-10, "width %d", width)
	}
}

// TestManPages: the root's page has ENVIRONMENT, FILES and EXIT STATUS;
// the pages carry the version and the SOURCE_DATE_EPOCH date, so that two
// builds of a release write the same bytes; indented lists stay lists.
func TestManPages(t *testing.T) {
	env := map[string]string{"SOURCE_DATE_EPOCH": "1767225600"} // 2026-01-01
	var pages [2]map[string]string
	for i := range pages {
		dir := t.TempDir()
		r := runMain(t, "", env, "docs", "man", dir)
		require.Equal(t, exitOK, r.code, r.err)
		files, err := filepath.Glob(filepath.Join(dir, "*.1"))
		require.NoError(t, err)
		pages[i] = map[string]string{}
		for _, f := range files {
			pages[i][filepath.Base(f)] = mustRead(t, f)
		}
	}
	assert.Equal(t, pages[0], pages[1], "the same bytes twice")
	root := pages[0]["mesoscreen.1"]
	assert.Contains(t, root, `.TH "MESOSCREEN" "1" "Jan 2026" "mesoscreen unknown" "mesoscreen manual"`)
	for _, sec := range []string{".SH ENVIRONMENT", ".SH FILES", ".SH EXIT STATUS"} {
		assert.Contains(t, root, sec)
	}
	assert.Less(t, strings.Index(root, ".SH EXIT STATUS"), strings.Index(root, ".SH SEE ALSO"))
	assert.Contains(t, root, "MESOSCREEN_CONFIG_DIR")
	assert.Contains(t, root, "130  The clinician cancelled")
	// The list of input formats is preformatted, not refilled.
	assert.Regexp(t, `(?s)\.(nf|EX).*\n  csv    a header row of field ids`, pages[0]["mesoscreen-check.1"])

	r := runMain(t, "", map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, "docs", "man", t.TempDir())
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, `SOURCE_DATE_EPOCH="yesterday": expected seconds since 1970-01-01`)
}

// TestColorFlag: --color always colours the table on a pipe, and never
// leaves a terminal plain; a wrong word is a usage error.
func TestColorFlag(t *testing.T) {
	in := repoFile("examples", "intakes.jsonl")
	for _, tt := range []struct {
		args []string
		tty  bool
		env  map[string]string
		want bool
	}{
		{[]string{"--color", "always"}, false, nil, true},
		{[]string{"--color", "never"}, true, nil, false},
		{nil, false, map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{nil, true, map[string]string{"CLICOLOR": "0"}, false},
		{nil, true, nil, true},
	} {
		s, out, errb := iostreams.Test("")
		s.OutTTY, s.OutWidth = tt.tty, 100
		s.Getenv = func(k string) string { return tt.env[k] }
		code := Main(append(append([]string{"check", "-q", "--format", "table"}, tt.args...), in), s)
		require.Equal(t, exitFindings, code, errb.String())
		assert.Equal(t, tt.want, strings.Contains(out.String(), "\x1b["), "%v %v", tt.args, tt.env)
	}
	code, _, errOut := run(t, "", "--color", "sometimes", "version")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, `--color "sometimes" is not one of auto, always, never`)
}
