package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
)

// The rule set is chosen by --rules, then MESOSCREEN_RULES, then the
// config file (relative to its folder), then the built-in default; a
// config file that cannot be read, or holds a key it may not, is an error,
// never a silent fall back to the default.
func TestChooseRules(t *testing.T) {
	for _, tt := range []struct {
		name, flag, env, file string
		want                  config.RulesChoice // Path relative to the config folder's mesoscreen/
		err                   string
	}{
		{name: "nothing", want: config.RulesChoice{Origin: config.OriginDefault}},
		{name: "flag first", flag: "a.yaml", env: "b.yaml", file: "rules: c.yaml\n", want: config.RulesChoice{Path: "a.yaml", Origin: config.OriginFlag}},
		{name: "then the environment", env: "b.yaml", file: "rules: c.yaml\n", want: config.RulesChoice{Path: "b.yaml", Origin: config.OriginEnv}},
		{name: "then the file, relative to it", file: "rules: c.yaml\n", want: config.RulesChoice{Path: "@/c.yaml", Origin: "the config file @/config.yaml"}},
		{name: "a file without rules", file: "clinic:\n  name: Clinica\n", want: config.RulesChoice{Origin: config.OriginDefault}},
		{name: "a misspelt key", file: "rule: c.yaml\n", err: `unknown field "rule"`},
		{name: "not YAML", file: "rules: [\n", err: "not valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			dir := filepath.Join(home, "mesoscreen")
			env := map[string]string{"XDG_CONFIG_HOME": home, config.EnvRules: tt.env}
			getenv := func(k string) string { return env[k] }
			if tt.file != "" {
				require.NoError(t, os.MkdirAll(dir, 0o700))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(tt.file), 0o600))
			}
			cfg, err := config.Read(getenv)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			got := config.ChooseRules(tt.flag, getenv, cfg)
			want := tt.want
			rel := func(s string) string {
				if len(s) > 0 {
					return filepath.FromSlash(replaceAt(s, dir))
				}
				return s
			}
			want.Path, want.Origin = rel(want.Path), replaceAt(want.Origin, dir)
			assert.Equal(t, want, got)
		})
	}
}

func replaceAt(s, dir string) string {
	out := ""
	for _, r := range s {
		if r == '@' {
			out += dir
			continue
		}
		out += string(r)
	}
	return out
}
