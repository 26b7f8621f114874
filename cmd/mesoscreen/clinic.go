package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/handout"
)

// configFile is the path of mesoscreen/config.yaml in the user's config
// folder, or "" when there is no such folder.
func (g *globalOptions) configFile() string {
	getenv := os.Getenv
	if g.streams != nil && g.streams.Getenv != nil {
		getenv = g.streams.Getenv
	}
	dir := userConfigDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "mesoscreen", "config.yaml")
}

// clinic reads the clinic's name and phone from clinic: in the config
// file, for handouts and letters, and the config file's path. A missing
// file or key gives an empty clinic; an unreadable file is an error.
func (g *globalOptions) clinic() (handout.Clinic, string, error) {
	path := g.configFile()
	if path == "" {
		return handout.Clinic{}, "", nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return handout.Clinic{}, path, nil
	}
	if err != nil {
		return handout.Clinic{}, path, failf("%s: cannot read the config file: %v", path, errors.Unwrap(err))
	}
	var cfg struct {
		Clinic handout.Clinic `yaml:"clinic"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return handout.Clinic{}, path, failf("%s: the config file is not valid YAML: %v", path, err)
	}
	return cfg.Clinic, path, nil
}
