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
		kinds   []rules.PlaceholderKind
		classes [][]string
		fields  []string
		frames  []string
		err     string
	}{
		{msg: "no placeholder {at all}"},
		{msg: "Lists {meds:anticoagulant,antiplatelet} today", kinds: []rules.PlaceholderKind{"meds"},
			classes: [][]string{{"anticoagulant", "antiplatelet"}}, fields: []string{""}, frames: []string{""}},
		{msg: "Lists {meds}", kinds: []rules.PlaceholderKind{"meds"}, classes: [][]string{nil}, fields: []string{""}, frames: []string{""}},
		{msg: "Takes one{meds:anticoagulant|, listed as %s}; ask", kinds: []rules.PlaceholderKind{"meds"},
			classes: [][]string{{"anticoagulant"}}, fields: []string{""}, frames: []string{", listed as %s"}},
		{msg: "Stopped {stopped:anticoagulant}", kinds: []rules.PlaceholderKind{"stopped"},
			classes: [][]string{{"anticoagulant"}}, fields: []string{""}, frames: []string{""}},
		{msg: "Reacted{answer:allergy_details|: %s}; named {answer: blood_thinner_name}", kinds: []rules.PlaceholderKind{"answer", "answer"},
			classes: [][]string{nil, nil}, fields: []string{"allergy_details", "blood_thinner_name"}, frames: []string{": %s", ""}},
		{msg: "Taking {taken:anticoagulant}", kinds: []rules.PlaceholderKind{"taken"},
			classes: [][]string{{"anticoagulant"}}, fields: []string{""}, frames: []string{""}},
		{msg: "{medsomething} and {answers} and {stoppedx} and {takenx} are text"},
		{msg: "Lists {meds:anticoagulant", err: "is not closed with }"},
		{msg: "Lists {meds:Anti-Coagulant}", err: `"Anti-Coagulant" is not a class id`},
		{msg: "Lists {meds:a|no list here}", err: "must hold %s exactly once, where the list goes"},
		{msg: "Lists {meds:}", err: `"" is not a class id`},
		{msg: "Quotes {answer}", err: "expected {answer:QUESTION}, naming the question whose answer it quotes"},
		{msg: "Quotes {answer:Allergy-Details}", err: `"Allergy-Details" is not a question id`},
		{msg: "Quotes {answer:x|no answer here}", err: "must hold %s exactly once, where the answer goes"},
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
			assert.Equal(t, tt.kinds[i], p.Kind, tt.msg)
			assert.Equal(t, tt.classes[i], p.Classes, tt.msg)
			assert.Equal(t, tt.fields[i], p.Field, tt.msg)
			assert.Equal(t, tt.frames[i], p.Frame, tt.msg)
			assert.Equal(t, "{", tt.msg[p.Start:p.Start+1], tt.msg)
			assert.Equal(t, "}", tt.msg[p.End-1:p.End], tt.msg)
		}
	}
}

// testFiller gives a placeholder's classes, or its question id, in
// brackets; the class "none" and the question "unanswered" give nothing.
type testFiller struct{}

func (testFiller) Medicines(classes []string, kind rules.PlaceholderKind) string {
	if len(classes) > 0 && classes[0] == "none" {
		return ""
	}
	if kind != rules.MedsPlaceholder {
		return "[" + string(kind) + " " + strings.Join(classes, "+") + "]"
	}
	return "[" + strings.Join(classes, "+") + "]"
}

func (testFiller) Answer(id string) string {
	if id == "unanswered" {
		return ""
	}
	return "<" + id + ">"
}

func TestExpand(t *testing.T) {
	tests := []struct{ msg, want string }{
		{"plain", "plain"},
		{"Lists {meds:a,b} but no", "Lists [a+b] but no"},
		{"Lists {meds}", "Lists []"},
		{"Takes one{meds:a|, listed as %s}; ask", "Takes one, listed as [a]; ask"},
		{"Takes one{meds:none|, listed as %s}; ask", "Takes one; ask"},
		{"{meds:a} and {meds:b}", "[a] and [b]"},
		{"Stopped {stopped:a,b}", "Stopped [stopped a+b]"},
		{"Taken{taken:a|: %s}", "Taken: [taken a]"},
		{"Reacted{answer:allergy_details|: %s}; ask", "Reacted: <allergy_details>; ask"},
		{"Reacted{answer:unanswered|: %s}; ask", "Reacted; ask"},
		{"Named {answer:blood_thinner_name}, listed {meds:a}", "Named <blood_thinner_name>, listed [a]"},
		{"{braces} stay", "{braces} stay"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rules.Expand(tt.msg, testFiller{}), tt.msg)
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
		{"bad placeholder", `"Lists {meds:isotretinoin}; a clinician`, `"Lists {meds:isotretinoin; a clinician`,
			"Lists {meds:isotretinoin;", `rule "meds-isotretinoin" message: placeholder "{meds:isotretinoin; a clinician must confirm when the course ended, as treatment usually waits until {params.isotretinoin_wait_months|one:a month|other:%s months}": "isotretinoin; a clinician must confirm when the course ended" is not a class id`},
		{"placeholder never closed", `{meds:nsaid,bleeding_supplement}, which can`, `{meds:nsaid,bleeding_supplement, which can`,
			"Lists {meds:nsaid,bleeding_supplement, which", `rule "meds-bleeding-risk-otc" message: placeholder at "{meds:nsaid,bleeding_supplemen..." is not closed with }`},
		{"answer of a question not asked", `{answer:allergy_details|: %s}; a clinician must review`, `{answer:allergy_detail|: %s}; a clinician must review`,
			"Has reacted to an injection", `rule "allergies" message: placeholder "{answer:allergy_detail|: %s}" quotes the answer to "allergy_detail", which the rule set does not ask (did you mean "allergy_details"?)`},
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
