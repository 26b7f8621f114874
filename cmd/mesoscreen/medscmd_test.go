package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/rules"
)

func TestMedsFlags(t *testing.T) {
	tests := []struct {
		args   []string
		text   string
		format string
		err    string
	}{
		{args: []string{"lookup", "Eliquis 5mg"}, text: "Eliquis 5mg", format: "text"},
		{args: []string{"lookup", "Eliquis", "no aspirin"}, text: "Eliquis\nno aspirin", format: "text"},
		{args: []string{"lookup", "-f", "json", "warfarin"}, text: "warfarin", format: "json"},
		{args: []string{"lookup", "--format", "yaml", "warfarin"}, err: `"yaml" is not one of text, json`},
		{args: []string{"lookup"}, err: "requires at least 1 arg"},
	}
	for _, tt := range tests {
		s, _, _ := iostreams.Test("")
		var got *MedsOptions
		cmd := NewCmdMedsLookup(&Factory{IO: s}, func(o *MedsOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args[1:])
		cmd.SetOut(s.Out)
		cmd.SetErr(s.Err)
		err := cmd.Execute()
		if tt.err != "" {
			require.Error(t, err, "%v", tt.args)
			assert.Contains(t, err.Error(), tt.err)
			continue
		}
		require.NoError(t, err, "%v", tt.args)
		assert.Equal(t, tt.text, got.Text)
		assert.Equal(t, tt.format, got.Format)
	}
}

func TestMedsCommands(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string // stdout compared with testdata/meds/<golden>
		stdout string // or stdout must contain this
		stderr string // stderr must contain this
	}{
		{name: "lookup text", args: []string{"meds", "lookup", "Eliquis 5mg bid, warfrin; no aspirin\nSt. John's wort (paused) and clopidogrl"},
			golden: "lookup.txt"},
		{name: "lookup json", args: []string{"meds", "lookup", "-f", "json", "Eliquis 5mg bid, aspirin-free"},
			golden: "lookup.json"},
		{name: "lookup nothing", args: []string{"meds", "lookup", "none"}, stdout: "no medicine recognised\n"},
		{name: "lookup a reaction", args: []string{"meds", "lookup", "-f", "json", "allergic to lidocaine"},
			stdout: `"negated_by": "allergic",` + "\n" + `    "allergy": true`},
		{name: "list one class", args: []string{"meds", "list", "--class", "isotretinoin"},
			stdout: "  isotretinoin                 D10BA01           [who-atc]\n                               also: 13-cis-retinoic acid\n"},
		{name: "list a clinic lexicon", args: []string{"--meds", "testdata/meds/clinic.yaml", "meds", "list"}, golden: "list-clinic.txt"},
		{name: "list unknown class", args: []string{"meds", "list", "--class", "anticoagulent"}, code: exitError,
			stderr: `--class "anticoagulent" is not a class of the lexicon`},
		{name: "list everything", args: []string{"meds", "list"}, stdout: "anticoagulant: anticoagulant (17)"},
		{name: "list json", args: []string{"meds", "list", "-f", "json", "--class", "insulin"}, stdout: `"generic": "insulin glargine"`},
		{name: "lint default", args: []string{"meds", "lint"}, stdout: "lexicon.yaml (embedded): ok: mesoscreen-medications version 1"},
		{name: "lint bad", args: []string{"meds", "lint", "testdata/meds/bad.yaml"}, code: exitError,
			stderr: `testdata/meds/bad.yaml:9:11: entry "warfarin" has ATC code "b01aa03"`},
		{name: "lint missing", args: []string{"meds", "lint", "testdata/meds/none.yaml"}, code: exitError,
			stderr: "testdata/meds/none.yaml: cannot read"},
		{name: "custom lexicon", args: []string{"--meds", "testdata/meds/clinic.yaml", "meds", "lookup", "Thinnex, Eliquis"},
			stdout: "Thinnex  housethinner  anticoagulant  -    brand"},
		{name: "bad lexicon refused", args: []string{"--meds", "testdata/meds/bad.yaml", "meds", "lookup", "warfarin"}, code: exitError,
			stderr: "cannot use medication lexicon testdata/meds/bad.yaml:\ntestdata/meds/bad.yaml:9:11:"},
		{name: "check with custom lexicon", args: []string{"--meds", "testdata/meds/clinic.yaml", "check", "-f", "jsonl", "testdata/meds/intake.json"},
			code: exitFindings, stdout: `"message":"Lists Thinnex (housethinner, anticoagulant) but did not answer yes to blood thinners (answered no)`},
		{name: "check with bad lexicon", args: []string{"--meds", "testdata/meds/bad.yaml", "check", "testdata/meds/intake.json"},
			code: exitError, stderr: "cannot use medication lexicon"},
	}
	// Paths in the table are from the repository's root.
	t.Chdir(filepath.Join("..", ".."))
	for _, tt := range tests {
		s, out, errb := iostreams.Test("")
		code := Main(tt.args, s)
		assert.Equal(t, tt.code, code, "%s: stderr %s", tt.name, errb)
		if tt.golden != "" {
			assertGolden(t, filepath.Join("testdata", "meds", tt.golden), out.String())
		}
		if tt.stdout != "" {
			assert.Contains(t, out.String(), tt.stdout, tt.name)
		}
		if tt.stderr != "" {
			assert.Contains(t, errb.String(), tt.stderr, tt.name)
		}
	}
}

// meds lint checks the rule set in use against the lexicon.
func TestMedsLintChecksRuleSet(t *testing.T) {
	src := strings.Replace(string(rules.DefaultSource()), `"isotretinoin" in medication_classes`, `"isotretinoine" in medication_classes`, 1)
	src = strings.Replace(src, `Lists {meds:insulin} but`, `Lists {meds:insulins} but`, 1)
	path := filepath.Join(t.TempDir(), "rules.yaml")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	s, _, errb := iostreams.Test("")
	code := Main([]string{"--rules", path, "meds", "lint"}, s)
	assert.Equal(t, exitOK, code, errb.String())
	assert.Contains(t, errb.String(), `warning: rule meds-insulin-not-declared (line `)
	assert.Contains(t, errb.String(), `names class "insulins" in a {meds} placeholder, but the lexicon mesoscreen-medications has no such class (did you mean "insulin"?)`)
	assert.Contains(t, errb.String(), `reads "isotretinoine", which is neither a class of the lexicon mesoscreen-medications nor an answer value (did you mean "isotretinoin"?)`)
}
