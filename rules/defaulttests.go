package rules

import (
	"bytes"
	_ "embed"
)

//go:embed default_test.yaml
var defaultTestsYAML []byte

// DefaultTestsFile is the name the embedded default's test cases go by in
// messages.
const DefaultTestsFile = "default_test.yaml (embedded)"

// DefaultTestsSource returns the test cases of the embedded default rule
// set, which fire every one of its rules.
func DefaultTestsSource() []byte { return bytes.Clone(defaultTestsYAML) }
