package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configDirs makes a user's and a machine's config folder with the given
// config files ("" for none) and returns the environment that points at
// them.
func configDirs(t *testing.T, user, machine string) (env map[string]string, userFile, machineFile string) {
	t.Helper()
	root := t.TempDir()
	userFile = filepath.Join(root, "home", "mesoscreen", "config.yaml")
	machineFile = filepath.Join(root, "xdg", "mesoscreen", "config.yaml")
	for file, text := range map[string]string{userFile: user, machineFile: machine} {
		if text != "" {
			require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
			require.NoError(t, os.WriteFile(file, []byte(text), 0o600))
		}
	}
	return map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(root, "home"),
		// A folder that does not hold one comes first: the first that does
		// is the machine's.
		"XDG_CONFIG_DIRS": filepath.Join(root, "none") + string(os.PathListSeparator) + filepath.Join(root, "xdg"),
	}, userFile, machineFile
}

// TestConfigList: every setting in force, with where it came from: a
// flag, the environment, the user's file, the machine's (clinic IT's),
// the default; the user's file overrides the machine's key by key.
func TestConfigList(t *testing.T) {
	env, user, machine := configDirs(t,
		"clinic:\n  name: Front desk 2\n",
		"rules: clinic.yaml\nclinic:\n  name: Riverside Aesthetics\n  phone: 020 7946 0123\n")
	r := runMain(t, "", env, "config", "list")
	require.Equal(t, exitOK, r.code, r.err)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	require.Len(t, lines, 10, r.out)
	assert.Regexp(t, `^KEY +VALUE +FROM$`, lines[0])
	assert.Regexp(t, `^rules +`+regexp.QuoteMeta(filepath.Join(filepath.Dir(machine), "clinic.yaml"))+` +machine config `+regexp.QuoteMeta(machine)+`$`, lines[1])
	assert.Regexp(t, `^lang +- +default \(the rule set's own language\)$`, lines[2])
	assert.Regexp(t, `^clinic.name +Front desk 2 +user config `+regexp.QuoteMeta(user)+`$`, lines[3])
	assert.Regexp(t, `^clinic.phone +020 7946 0123 +machine config `+regexp.QuoteMeta(machine)+`$`, lines[4])

	env["MESOSCREEN_LANG"], env["LANG"] = "fr", "es_ES.UTF-8"
	r = runMain(t, "", env, "--rules", "own.yaml", "config", "list")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Regexp(t, `(?m)^rules +own.yaml +flag --rules$`, r.out)
	assert.Regexp(t, `(?m)^lang +fr +environment MESOSCREEN_LANG$`, r.out)
	delete(env, "MESOSCREEN_LANG")
	r = runMain(t, "", env, "config", "list")
	assert.Regexp(t, `(?m)^lang +es-ES +environment LANG$`, r.out)

	r = runMain(t, "", env, "config", "get", "clinic.name")
	assert.Equal(t, exitOK, r.code, r.err)
	assert.Equal(t, "Front desk 2\n", r.out)

	r = runMain(t, "", env, "config", "get", "clinc.name")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, `no setting "clinc.name" (did you mean "clinic.name"?)`)

	r = runMain(t, "", env, "config", "path")
	assert.Equal(t, exitOK, r.code, r.err)
	assert.Equal(t, user+"\n", r.out)
}

// TestConfigDir: MESOSCREEN_CONFIG_DIR names the one config file read,
// instead of the user's and the machine's.
func TestConfigDir(t *testing.T) {
	env, _, _ := configDirs(t, "lang: es\n", "clinic:\n  name: Riverside Aesthetics\n")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("lang: fr\n"), 0o600))
	env["MESOSCREEN_CONFIG_DIR"] = dir
	r := runMain(t, "", env, "config", "list")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Regexp(t, `(?m)^lang +fr +MESOSCREEN_CONFIG_DIR `+regexp.QuoteMeta(filepath.Join(dir, "config.yaml"))+`$`, r.out)
	assert.Regexp(t, `(?m)^clinic.name +- +not set$`, r.out, "the machine's file is not read")
	r = runMain(t, "", env, "config", "path")
	assert.Equal(t, filepath.Join(dir, "config.yaml")+"\n", r.out)
}

// TestConfigMisspeltKey: a key a config file may not hold stops every
// command (exit 2), with the key that was meant, rather than screening
// with the built-in rule set in silence.
func TestConfigMisspeltKey(t *testing.T) {
	for _, tt := range []struct {
		name, user, machine, want string
	}{
		{"rule: in the user's file", "rule: clinic/rules.yaml\n", "", `config.yaml:1:1: unknown key rule: (did you mean rules:?)`},
		{"lnag: in the machine's file", "", "lnag: es\n", `config.yaml:1:1: unknown key lnag: (did you mean lang:?)`},
		{"clinic: nme:", "clinic:\n  nme: Riverside\n", "", `config.yaml:2:3: unknown key nme: (did you mean name:?)`},
		{"clnic:", "clnic:\n  name: Riverside\n", "", `unknown key clnic: (did you mean clinic:?)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, _, _ := configDirs(t, tt.user, tt.machine)
			for _, args := range [][]string{
				{"check", repoFile("examples", "healthy.json")},
				{"config", "list"},
			} {
				r := runMain(t, "", env, args...)
				assert.Equal(t, exitError, r.code, args)
				assert.Contains(t, r.err, tt.want, args)
				assert.Empty(t, r.out, args)
			}
		})
	}
}
