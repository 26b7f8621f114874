package rules_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		msg     string
		classes [][]string
		frames  []string
		err     string
	}{
		{msg: "no placeholder {at all}"},
		{msg: "Lists {meds:anticoagulant,antiplatelet} today", classes: [][]string{{"anticoagulant", "antiplatelet"}}, frames: []string{""}},
		{msg: "Lists {meds}", classes: [][]string{nil}, frames: []string{""}},
		{msg: "Takes one{meds:anticoagulant|, listed as %s}; ask", classes: [][]string{{"anticoagulant"}}, frames: []string{", listed as %s"}},
		{msg: "{medsomething} is text"},
		{msg: "Lists {meds:anticoagulant", err: "is not closed with }"},
		{msg: "Lists {meds:Anti-Coagulant}", err: `"Anti-Coagulant" is not a class id`},
		{msg: "Lists {meds:a|no list here}", err: "must hold %s exactly once"},
		{msg: "Lists {meds:}", err: `"" is not a class id`},
	}
	for _, tt := range tests {
		ps, err := rules.Placeholders(tt.msg)
		if tt.err != "" {
			require.Error(t, err, tt.msg)
			assert.Contains(t, err.Error(), tt.err, tt.msg)
			continue
		}
		require.NoError(t, err, tt.msg)
		require.Len(t, ps, len(tt.classes), tt.msg)
		for i, p := range ps {
			assert.Equal(t, tt.classes[i], p.Classes, tt.msg)
			assert.Equal(t, tt.frames[i], p.Frame, tt.msg)
		}
	}
}

func TestExpand(t *testing.T) {
	list := func(classes []string) string {
		if len(classes) > 0 && classes[0] == "none" {
			return ""
		}
		return "[" + strings.Join(classes, "+") + "]"
	}
	tests := []struct{ msg, want string }{
		{"plain", "plain"},
		{"Lists {meds:a,b} but no", "Lists [a+b] but no"},
		{"Lists {meds}", "Lists []"},
		{"Takes one{meds:a|, listed as %s}; ask", "Takes one, listed as [a]; ask"},
		{"Takes one{meds:none|, listed as %s}; ask", "Takes one; ask"},
		{"{meds:a} and {meds:b}", "[a] and [b]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rules.Expand(tt.msg, list), tt.msg)
	}
}

// replace edits the default rule set, failing if the text is not there.
func replace(t *testing.T, old, new string) []byte {
	t.Helper()
	src := string(rules.DefaultSource())
	require.Contains(t, src, old)
	return []byte(strings.Replace(src, old, new, 1))
}

func lineOf(t *testing.T, data []byte, text string) int {
	t.Helper()
	i := strings.Index(string(data), text)
	require.GreaterOrEqual(t, i, 0, text)
	return strings.Count(string(data[:i]), "\n") + 1
}

func TestDerivedFieldsInRuleSets(t *testing.T) {
	// The default rule set reads the derived fields and loads.
	rs, err := rules.Default()
	require.NoError(t, err)
	r := findRule(t, rs, "meds-heart-medicines-not-declared")
	assert.Equal(t, []string{"heart_medications", "medications_recognised"}, r.Cond().Reads())

	tests := []struct {
		name, old, new, at, want string
	}{
		{"misspelt derived field", `"insulin" in medication_classes`, `"insulin" in medication_clases`,
			"medication_clases", `unknown field "medication_clases" (did you mean "medication_classes"?)`},
		{"derived field of the wrong type", `"insulin" in medication_classes`, `medication_classes > 1`,
			"medication_classes > 1", "cannot compare a list with a number using >"},
		{"bad placeholder", `Lists {meds:isotretinoin};`, `Lists {meds:isotretinoin;`,
			"Lists {meds:isotretinoin;", `rule "meds-isotretinoin" message: placeholder at "{meds:isotretinoin; a clinicia..." is not closed with }`},
		{"question hiding a derived field", "  - id: allergy_details\n", "  - id: medication_classes\n",
			"medication_classes\n", `question id "medication_classes" is a derived field`},
	}
	for _, tt := range tests {
		data := replace(t, tt.old, tt.new)
		_, err := rules.Parse("test.yaml", data)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
		assert.Contains(t, err.Error(), "test.yaml:"+strconv.Itoa(lineOf(t, data, tt.at))+":", tt.name)
	}
}

func findRule(t *testing.T, rs *rules.RuleSet, id string) *rules.Rule {
	t.Helper()
	for _, r := range rs.Rules {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %q", id)
	return nil
}
