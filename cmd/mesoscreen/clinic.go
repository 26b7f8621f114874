package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
)

// config is the user's config file, mesoscreen/config.yaml in their config
// folder, read once per command.
type config struct {
	// path is the file's path, "" when there is no config folder.
	path string
	// Rules is the clinic's rule set, relative to the file's folder.
	Rules string `yaml:"rules"`
	// Clinic names the clinic on handouts and letters.
	Clinic handout.Clinic `yaml:"clinic"`
}

// getenv reads the environment the streams supply.
func (g *globalOptions) getenv(key string) string {
	if g.streams != nil && g.streams.Getenv != nil {
		return g.streams.Getenv(key)
	}
	return os.Getenv(key)
}

// config reads the config file, once. A missing file or key gives an
// empty setting; a file that cannot be read is an error rather than a
// silent fall back to the defaults: the clinic would screen with a
// protocol it did not choose.
func (g *globalOptions) config() (config, error) {
	if g.cfgRead {
		return g.cfg, g.cfgErr
	}
	g.cfgRead = true
	dir := userConfigDir(g.getenv)
	if dir == "" {
		return g.cfg, nil
	}
	g.cfg.path = filepath.Join(dir, "mesoscreen", "config.yaml")
	data, err := os.ReadFile(g.cfg.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return g.cfg, nil
	case err != nil:
		g.cfgErr = failf("%s: cannot read the config file: %v", g.cfg.path, errors.Unwrap(err))
	default:
		if err := yaml.Unmarshal(data, &g.cfg); err != nil {
			g.cfgErr = failf("%s: the config file is not valid YAML: %v", g.cfg.path, err)
		}
	}
	return g.cfg, g.cfgErr
}

// clinic is the clinic's name and phone from the config file, for
// handouts and letters, and the config file's path.
func (g *globalOptions) clinic() (handout.Clinic, string, error) {
	cfg, err := g.config()
	return cfg.Clinic, cfg.path, err
}
