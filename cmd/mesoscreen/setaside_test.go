package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// healthyLine is one healthy intake as a JSON Lines record, with changes.
func healthyLine(t *testing.T, id string, changes map[string]any) string {
	t.Helper()
	m := map[string]any{
		"patient_id": id, "age": 34, "pregnant": "no", "breastfeeding": "no", "clotting_disorder": "no",
		"blood_clots": "no", "stroke": "no", "recent_cancer": "no", "diabetes": "none", "heart_medications": 0,
		"blood_thinners": "no", "active_infection": "no", "skin_condition": "no", "allergies": "no",
		"medications": "", "treatment_areas": []string{"face"}, "goal": "rejuvenation",
	}
	maps.Copy(m, changes)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

// checkedResult is what the check's JSON Lines output says of a record.
type checkedResult struct {
	Verdict      string
	Findings     []struct{ Rule string }
	Instructions []string `json:"instruction_ids"`
}

func (r checkedResult) rules() []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}

// The repros of "nothing the patient said is set aside", through check as
// a clinic runs it: each piece of information that was dropped on the
// way now gives a named result that does not permit treatment, and an
// anaesthetic allergy never comes with the numbing cream.
func TestCheckSetsNothingAside(t *testing.T) {
	tests := []struct {
		name        string
		changes     map[string]any
		verdict     string
		fires       []string
		noNumbing   bool
		numbingSeen bool
	}{
		{"1: allergy details under allergies no", map[string]any{"allergy_details": "Anaphylaxis to lidocaine cream"},
			"needs_review", []string{"answer-contradicted", "allergy-local-anaesthetic"}, true, false},
		{"1: blood thinner named under blood thinners no", map[string]any{"blood_thinner_name": "warfarin"},
			"needs_review", []string{"answer-contradicted"}, false, true},
		{"1: reaction details under no reaction", map[string]any{"session_reaction": "no", "session_reaction_details": "lumps and pus"},
			"needs_review", []string{"answer-contradicted"}, false, true},
		{"2: lidocaine (hives)", map[string]any{"medications": "lidocaine (hives)"},
			"needs_review", []string{"allergy-local-anaesthetic"}, true, false},
		{"2: EMLA - swelling", map[string]any{"medications": "EMLA - swelling"},
			"needs_review", []string{"allergy-local-anaesthetic"}, true, false},
		{"2: lidocaine made my lips swell", map[string]any{"medications": "lidocaine made my lips swell"},
			"needs_review", []string{"allergy-local-anaesthetic"}, true, false},
		{"3: Nil: warfarin 5mg", map[string]any{"medications": "Nil: warfarin 5mg"},
			"needs_review", []string{"meds-blood-thinner-not-declared"}, false, true},
		{"3: None - Eliquis 5mg bid", map[string]any{"medications": "None - Eliquis 5mg bid"},
			"needs_review", []string{"meds-blood-thinner-not-declared"}, false, true},
		{"3: no: clopidogrel 75 mg", map[string]any{"medications": "no: clopidogrel 75 mg"},
			"needs_review", []string{"meds-blood-thinner-not-declared"}, false, true},
		{"3: a rash on Eliquis, still taken", map[string]any{"medications": "got a rash on Eliquis but still taking it"},
			"needs_review", []string{"meds-blood-thinner-not-declared"}, false, true},
		{"4: one heart medicine listed, none counted", map[string]any{"medications": "bisoprolol 2.5mg"},
			"needs_review", []string{"meds-heart-medicines-not-declared"}, false, true},
		{"5: an age just under 18, written as a decimal", map[string]any{"age": json.Number("17.9999999999999999")},
			"needs_review", []string{"answer-invalid"}, false, false},
		{"5: an age in exponent form that is whole", map[string]any{"age": json.Number("1.7e1")},
			"not_eligible", []string{"minor"}, false, false},
		{"a notes key that no question reads", map[string]any{"notes": "12 weeks pregnant"},
			"needs_review", []string{"answer-unasked"}, false, true},
	}
	var lines []string
	for i, tt := range tests {
		lines = append(lines, healthyLine(t, "R-"+string(rune('A'+i)), tt.changes))
	}
	code, out, errs := run(t, strings.Join(lines, "\n")+"\n", "check", "--format", "jsonl", "--details", "--input", "jsonl", "-")
	assert.Equal(t, 1, code, errs)
	outLines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, outLines, len(tests), "one result per record")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r checkedResult
			require.NoError(t, json.Unmarshal([]byte(outLines[i]), &r))
			assert.Equal(t, tt.verdict, r.Verdict, "%v", r.rules())
			for _, id := range tt.fires {
				assert.Contains(t, r.rules(), id)
			}
			if tt.noNumbing {
				assert.NotContains(t, r.Instructions, "numbing-cream")
				assert.Contains(t, r.Instructions, "numbing-cream-withheld")
			}
			if tt.numbingSeen {
				assert.Contains(t, r.Instructions, "numbing-cream", "nothing here is about an anaesthetic")
			}
		})
	}
}

// Repros 6, 7, 12 and 14: what cannot be read as configured stops the
// run before anything is screened, with exit 2 and a message that names
// it; a rule set that could defeat the fail-safe is refused or warned of.
func TestCheckRefusesWhatWouldBeSetAside(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	export := write("export.csv", "Chart number,How old are you?\nP-1,30\n")
	reworded := write("reworded.yaml", "kind: mesoscreen.mapping\ncolumns:\n  - {header: Chart number, field: patient_id}\n  - {header: Your age, field: age}\n")
	opposite := write("opposite.yaml", "kind: mesoscreen.mapping\nvalues: {\"Yes\": \"no\"}\ncolumns:\n  - {header: Chart number, field: patient_id}\n")
	unsureNo := write("unsure.yaml", "kind: mesoscreen.mapping\nvalues: {\"Not sure\": \"no\"}\ncolumns:\n  - {header: Chart number, field: patient_id}\n")
	noHeader := write("noheader.csv", "P-1,34,no,no\nP-2,40,yes,no\n")
	reserved := write("reserved.yaml", strings.Replace(string(readRepo(t, "rules", "default.yaml")), "  - id: pregnant\n    condition:", "  - id: answer-unsure\n    condition:", 1))
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"6: a mapped column the export lacks", []string{"check", "--map", reworded, export}, 2,
			[]string{`"Your age"`, `"How old are you?"`}},
		{"7: Yes mapped to no", []string{"check", "--map", opposite, export}, 2, []string{`"Yes"`}},
		{"7: Not sure mapped to no", []string{"check", "--map", unsureNo, export}, 2, []string{`"Not sure"`}},
		{"12: a table without a header", []string{"check", noHeader}, 2, []string{"noheader.csv:1"}},
		{"14: a rule id mesoscreen keeps for its own findings", []string{"rules", "lint", reserved}, 2, []string{"answer-unsure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			assert.Equal(t, tt.code, code, "%s%s", out, errs)
			if tt.args[0] == "check" {
				assert.Empty(t, out, "nothing is screened")
			}
			for _, w := range tt.want {
				assert.Contains(t, errs+out, w)
			}
		})
	}
}

func readRepo(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", ".."}, parts...)...))
	require.NoError(t, err)
	return b
}
