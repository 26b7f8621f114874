package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

// runCLI runs the command tree with the given environment and returns the
// exit code, stdout and stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	s, out, errb := iostreams.Test("")
	s.Getenv = testEnv(args, env)
	code := Main(args, s)
	return code, out.String(), errb.String()
}

// protocolDir is testdata/protocol from this package.
var protocolDir = filepath.Join("..", "..", "testdata", "protocol")

func TestRulesTestDefault(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "rules", "test", "--coverage", "--fail-under", "100")
	assert.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "FAIL")
	assert.Regexp(t, `(?m)^ok    \d+ of \d+ cases passed \(mesotherapy-default version 1\)$`, out)
	rs, err := rules.Default()
	require.NoError(t, err)
	n := len(rs.Rules)
	assert.Contains(t, out, fmt.Sprintf("coverage: %d of %d rules fired (100.0%%)", n, n))
	assert.NotContains(t, out, "not fired")
}

func TestRulesTestWeakenedDefault(t *testing.T) {
	dir := t.TempDir()
	src := string(rules.DefaultSource())
	weak := strings.Replace(src, "    condition: pregnant\n    level: not_eligible", "    condition: pregnant\n    level: needs_review", 1)
	require.NotEqual(t, src, weak, "the pregnancy rule moved; update this test")
	file := filepath.Join(dir, "weak.yaml")
	require.NoError(t, os.WriteFile(file, []byte(weak), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "weak_test.yaml"), rules.DefaultTestsSource(), 0o644))

	code, out, _ := runCLI(t, nil, "--rules", file, "rules", "test")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL  pregnancy rules treatment out ("+filepath.Join(dir, "weak_test.yaml")+":")
	assert.Regexp(t, `verdict\s+not_eligible\s+needs_review\s+<-`, out)
	assert.Contains(t, out, "PASS  healthy adult is eligible")
	assert.Regexp(t, `(?m)^FAIL  \d+ of \d+ cases failed`, out)
}

func TestRulesTestGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"small-coverage", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test", "--coverage"}, 0, ""},
		{"small-beside", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test"}, 0, ""},
		{"small-weakened", []string{"--rules", "testdata/protocol/small-weakened.yaml", "rules", "test", "testdata/protocol/small_test.yaml"}, 1, ""},
		{"small-fail-under", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test", "--fail-under", "100"}, 1,
			"coverage 66.7% is below --fail-under 100%\n"},
		{"small-fail-under-met", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test", "--fail-under", "66"}, 0, ""},
		{"small-run", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test", "--run", "^preg", "--coverage"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Equal(t, tt.stderr, errOut)
			assertGolden(t, filepath.Join("testdata", "protocol", "golden", "test-"+tt.name+".golden"), out)
		})
	}
}

func TestRulesTestInvalid(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad test file", []string{"--rules", "testdata/protocol/small.yaml", "rules", "test", "testdata/protocol/bad_test.yaml"},
			`testdata/protocol/bad_test.yaml:3:3: answer to "agee", which rule set clinic-small does not ask
testdata/protocol/bad_test.yaml:6:14: case "unknown verdict" expects verdict "fine"; expected one of eligible, eligible_with_precautions, needs_review, defer, not_eligible
testdata/protocol/bad_test.yaml:7:5: case 2 has no name
testdata/protocol/bad_test.yaml:11:13: case "unknown rule" names rule "pregnancy", which rule set clinic-small does not have
testdata/protocol/bad_test.yaml:15:17: case "both ways" lists rule "pregnant" under both fires and not_fires
mesoscreen: the test files are invalid (5 problems)
`},
		{"missing test file", []string{"rules", "test", "testdata/protocol/nothing_test.yaml"},
			"mesoscreen: testdata/protocol/nothing_test.yaml: cannot read: no such file or directory\n"},
		{"no test beside", []string{"--rules", "testdata/protocol/small-weakened.yaml", "rules", "test"},
			"mesoscreen: no test file given, and testdata/protocol/small-weakened.yaml has none beside it (testdata/protocol/small-weakened_test.yaml); name the test files to run\n"},
		{"bad regex", []string{"rules", "test", "--run", "("},
			"mesoscreen: --run \"(\" is not a regular expression: error parsing regexp: missing closing ): `(`\n"},
		{"no match", []string{"rules", "test", "--run", "^zzz"},
			"mesoscreen: no test case matches --run \"^zzz\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, tt.want, errOut)
		})
	}
}

func TestRulesInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "clinic")
	code, out, errOut := runCLI(t, nil, "rules", "init", dir)
	require.Equal(t, 0, code, errOut)
	// The report is for the person, on stderr; stdout stays empty.
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errOut, "wrote "+filepath.Join(dir, "rules.yaml")+"\nwrote "+filepath.Join(dir, "rules_test.yaml")+"\n"+
		"wrote "+filepath.Join(dir, "i18n", "es.yaml")+"\nwrote "+filepath.Join(dir, "i18n", "fr.yaml")+"\n"), errOut)
	// The translations come with the copy, beside it, as they are.
	for _, tf := range rules.DefaultTranslations() {
		got, err := os.ReadFile(filepath.Join(dir, "i18n", filepath.Base(strings.TrimSuffix(tf.Name, " (embedded)"))))
		require.NoError(t, err)
		assert.Equal(t, tf.Data, got)
	}
	code, out, errOut = runCLI(t, nil, "rules", "lint", "--strict", filepath.Join(dir, "rules.yaml"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, filepath.Join(dir, "i18n", "es.yaml")+": ok: es: 100%")
	got, err := os.ReadFile(filepath.Join(dir, "rules.yaml"))
	require.NoError(t, err)
	assert.Equal(t, rules.DefaultSource(), got)
	got, err = os.ReadFile(filepath.Join(dir, "rules_test.yaml"))
	require.NoError(t, err)
	assert.Equal(t, rules.DefaultTestsSource(), got)

	// The copy runs its own tests, found beside it.
	code, out, errOut = runCLI(t, nil, "--rules", filepath.Join(dir, "rules.yaml"), "rules", "test", "--fail-under", "100")
	assert.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "FAIL")

	// Neither file is overwritten, and nothing is written when one exists.
	for _, keep := range []string{"rules.yaml", "rules_test.yaml"} {
		t.Run("refuses "+keep, func(t *testing.T) {
			d := t.TempDir()
			p := filepath.Join(d, keep)
			require.NoError(t, os.WriteFile(p, []byte("mine\n"), 0o644))
			code, out, errOut := runCLI(t, nil, "rules", "init", d)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, "mesoscreen: "+p+" already exists; rules init does not overwrite it (nothing was written)\n", errOut)
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			assert.Equal(t, "mine\n", string(data))
			entries, err := os.ReadDir(d)
			require.NoError(t, err)
			assert.Len(t, entries, 1)
		})
	}
}

func TestRulesDiffGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, tt := range []struct {
		name string
		code int
	}{{"same", 0}, {"stricter", 1}, {"looser", 1}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "protocol", "diff", tt.name)
			code, out, errOut := runCLI(t, nil, "rules", "diff", filepath.Join(dir, "old.yaml"), filepath.Join(dir, "new.yaml"))
			assert.Equal(t, tt.code, code, errOut)
			assert.Empty(t, errOut)
			assertGolden(t, filepath.Join(dir, "diff.golden"), out)
		})
	}
}

func TestRulesDiffAgainstDefault(t *testing.T) {
	dir := t.TempDir()
	same := filepath.Join(dir, "copy.yaml")
	require.NoError(t, os.WriteFile(same, rules.DefaultSource(), 0o644))
	code, out, _ := runCLI(t, nil, "rules", "diff", same)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "no differences")

	changed := filepath.Join(dir, "changed.yaml")
	src := strings.Replace(string(rules.DefaultSource()), "max_areas_per_session:\n    value: 2", "max_areas_per_session:\n    value: 3", 1)
	require.NoError(t, os.WriteFile(changed, []byte(src), 0o644))
	code, out, _ = runCLI(t, nil, "rules", "diff", changed)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "  ~ max_areas_per_session: value 2 -> 3\n")
	assert.Contains(t, out, "      + More than 3 areas chosen; plan at most 3 areas per session\n")

	code, _, errOut := runCLI(t, nil, "rules", "diff", filepath.Join(dir, "none.yaml"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "none.yaml")
}

func TestRulesExplain(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	code, out, errOut := runCLI(t, nil, "rules", "explain", "minor")
	require.Equal(t, 0, code, errOut)
	assertGolden(t, filepath.Join("testdata", "protocol", "golden", "explain-minor.golden"), out)

	// Every rule explains, those that read derived fields too.
	rs, err := rules.Default()
	require.NoError(t, err)
	for _, r := range rs.Rules {
		code, out, errOut = runCLI(t, nil, "rules", "explain", r.ID)
		require.Equal(t, 0, code, "%s: %s", r.ID, errOut)
		assert.Contains(t, out, r.ID+"  ["+string(r.Level)+"]")
	}
	code, out, _ = runCLI(t, nil, "rules", "explain", "allergy-local-anaesthetic")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "allergy_classes (derived): class ids of the medicines named in allergy_details")

	code, out, errOut = runCLI(t, nil, "--rules", "testdata/protocol/small.yaml", "rules", "explain", "nope")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "mesoscreen: rule set clinic-small has no rule \"nope\"; \"mesoscreen rules show\" lists its 3 rules\n", errOut)

	// A misspelt id is a usage error with the id that was meant.
	code, _, errOut = runCLI(t, nil, "rules", "explain", "blod-thinners")
	assert.Equal(t, 2, code)
	assert.Equal(t, "mesoscreen: rule set mesotherapy-default has no rule \"blod-thinners\" (did you mean \"blood-thinners\"?)\n", errOut)
}

// TestRuleSetPrecedence checks the order --rules, MESOSCREEN_RULES, the
// config file, the built-in default, and that rules show names the winner.
func TestRuleSetPrecedence(t *testing.T) {
	dir := t.TempDir()
	small, err := os.ReadFile(filepath.Join(protocolDir, "small.yaml"))
	require.NoError(t, err)
	write := func(name, setName string) string {
		p := filepath.Join(dir, name)
		src := strings.Replace(string(small), "name: clinic-small", "name: "+setName, 1)
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
		return p
	}
	flagFile := write("flag.yaml", "from-flag")
	envFile := write("env.yaml", "from-env")
	cfgHome := filepath.Join(dir, "config")
	require.NoError(t, os.MkdirAll(filepath.Join(cfgHome, "mesoscreen"), 0o755))
	write(filepath.Join("config", "mesoscreen", "clinic.yaml"), "from-config")
	cfgFile := filepath.Join(cfgHome, "mesoscreen", "config.yaml")
	// A relative path in the config file is read from the config folder.
	require.NoError(t, os.WriteFile(cfgFile, []byte("rules: clinic.yaml\n"), 0o644))

	tests := []struct {
		name       string
		flag       bool
		env        bool
		config     bool
		wantName   string
		wantOrigin string
	}{
		{"flag beats env and config", true, true, true, "from-flag", "the --rules flag"},
		{"env beats config", false, true, true, "from-env", "the MESOSCREEN_RULES environment variable"},
		{"config", false, false, true, "from-config", "the config file " + cfgFile},
		{"default", false, false, false, "mesotherapy-default", "the built-in default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": filepath.Join(dir, "nohome")}
			if tt.env {
				env["MESOSCREEN_RULES"] = envFile
			}
			if tt.config {
				env["XDG_CONFIG_HOME"] = cfgHome
			}
			args := []string{"rules", "show"}
			if tt.flag {
				args = append([]string{"--rules", flagFile}, args...)
			}
			code, out, errOut := runCLI(t, env, args...)
			require.Equal(t, 0, code, errOut)
			assert.True(t, strings.HasPrefix(out, tt.wantName+", version "), out[:40])
			assert.True(t, strings.HasSuffix(out, "\nchosen by "+tt.wantOrigin+"\n"), out[len(out)-120:])
		})
	}

	t.Run("unreadable config file", func(t *testing.T) {
		bad := filepath.Join(dir, "bad")
		require.NoError(t, os.MkdirAll(filepath.Join(bad, "mesoscreen", "config.yaml"), 0o755))
		code, _, errOut := runCLI(t, map[string]string{"XDG_CONFIG_HOME": bad}, "rules", "show")
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, filepath.Join(bad, "mesoscreen", "config.yaml")+": cannot read the config file")
	})
	t.Run("config names a missing file", func(t *testing.T) {
		cfg := filepath.Join(dir, "missing")
		require.NoError(t, os.MkdirAll(filepath.Join(cfg, "mesoscreen"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(cfg, "mesoscreen", "config.yaml"), []byte("rules: /nonexistent/rules.yaml\n"), 0o644))
		code, _, errOut := runCLI(t, map[string]string{"XDG_CONFIG_HOME": cfg}, "check", "-")
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "cannot use rule set /nonexistent/rules.yaml (from the config file "+filepath.Join(cfg, "mesoscreen", "config.yaml")+")")
	})
}

func TestCheckAnnouncesRuleSet(t *testing.T) {
	small := filepath.Join(protocolDir, "small.yaml")
	rs, err := rules.Load(small)
	require.NoError(t, err)
	in := `{"patient_id":"A-1","age":40,"pregnant":"no","stroke":"no"}` + "\n" + `{"patient_id":"A-2","age":19,"pregnant":"no","stroke":"no"}` + "\n"

	s, out, errb := iostreams.Test(in)
	s.Getenv = func(k string) string {
		if k == "MESOSCREEN_RULES" {
			return small
		}
		return ""
	}
	code := Main([]string{"check", "-f", "jsonl"}, s)
	assert.Equal(t, 1, code)
	announce := "using rule set clinic-small version 3 from " + small + " (sha256 " + rs.SHA256[:12] + "), chosen by the MESOSCREEN_RULES environment variable\n"
	assert.Equal(t, announce+"screened 2 records: 1 eligible, 1 needs_review\n", errb.String())
	assert.Equal(t, 2, strings.Count(out.String(), `"name":"clinic-small"`))

	// The built-in default is announced too, so that a clinic whose own
	// rule set was not found sees it; -q silences it.
	s, _, errb = iostreams.Test(in)
	Main([]string{"check"}, s)
	assert.Equal(t, 1, strings.Count(errb.String(), builtIn(t)), errb.String())
	s, _, errb = iostreams.Test(in)
	Main([]string{"check", "-q"}, s)
	assert.Empty(t, errb.String())
}

func TestRulesLintStrict(t *testing.T) {
	dir := t.TempDir()
	src := strings.Replace(string(rules.DefaultSource()), "condition: age < params.min_age", "condition: age > 150", 1)
	file := filepath.Join(dir, "dead.yaml")
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"default is clean", []string{"rules", "lint", "--strict"}, 0},
		{"warning passes", []string{"rules", "lint", file}, 0},
		{"warning fails with --strict", []string{"rules", "lint", "--strict", file}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			// "ok" is a file with nothing to say about it; one with
			// warnings loads, with or without --strict failing it.
			warned := strings.Contains(tt.name, "warning")
			assert.Equal(t, !warned, strings.Contains(out, "yaml: ok: ") || strings.Contains(out, "(embedded): ok: "), out)
			assert.Equal(t, warned, strings.Contains(out, "yaml: loads, with warnings: "), out)
			if warned {
				assert.Contains(t, errOut, file+":"+strconv.Itoa(lineOf(t, src, "condition: age > 150"))+`:16: warning: rule "minor" can never fire: age > 150 is never true, as age is from 0 to 120`)
			} else {
				assert.Empty(t, errOut)
			}
		})
	}
}

// A translation that lacks a text loads, with a warning, and is never
// said to be "ok", least of all by the --strict run that fails it.
func TestRulesLintStrictTranslation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "clinic")
	code, _, errOut := runCLI(t, nil, "-q", "rules", "init", dir)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut, "--quiet: nothing but errors and warnings")
	es := filepath.Join(dir, "i18n", "es.yaml")
	b, err := os.ReadFile(es)
	require.NoError(t, err)
	var kept []string
	dropped := 0
	for _, l := range strings.Split(string(b), "\n") {
		if dropped == 0 && strings.HasPrefix(l, "    pregnant: ") {
			dropped++
			continue
		}
		kept = append(kept, l)
	}
	require.Equal(t, 1, dropped, "the fixture names a line of the file")
	require.NoError(t, os.WriteFile(es, []byte(strings.Join(kept, "\n")), 0o600))
	for _, strict := range []bool{false, true} {
		args := []string{"rules", "lint", filepath.Join(dir, "rules.yaml")}
		want := 0
		if strict {
			args, want = append(args, "--strict"), 2
		}
		code, out, errOut := runCLI(t, nil, args...)
		assert.Equal(t, want, code, errOut)
		assert.Contains(t, out, es+": loads, with warnings: es: 99%")
		assert.NotContains(t, out, es+": ok")
	}
}
