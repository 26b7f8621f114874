package screening_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// clinicalTable is testdata/clinical/patients.json: patients with what a
// prescriber expects of them. cmd/mesoscreen runs the same table through
// check.
type clinicalTable struct {
	Base     map[string]any    `json:"base"`
	Patients []clinicalPatient `json:"patients"`
}

type clinicalPatient struct {
	Name            string              `json:"name"`
	Answers         map[string]any      `json:"answers"`
	Verdict         rules.Level         `json:"verdict"`
	Fires           []string            `json:"fires"`
	NotFires        []string            `json:"not_fires"`
	Instructions    []string            `json:"instructions"`
	NotInstructions []string            `json:"not_instructions"`
	Messages        map[string][]string `json:"messages"`
	Texts           []string            `json:"texts"`
	NotTexts        []string            `json:"not_texts"`
	Recognised      []string            `json:"recognised"`
}

// record is the patient's full intake: base with the patient's answers,
// null removing one.
func (p clinicalPatient) record(base map[string]any, id string) map[string]any {
	rec := maps.Clone(base)
	rec["patient_id"] = id
	for k, v := range p.Answers {
		if v == nil {
			delete(rec, k)
			continue
		}
		rec[k] = v
	}
	return rec
}

func loadClinicalTable(t *testing.T) clinicalTable {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "clinical", "patients.json"))
	require.NoError(t, err)
	var tab clinicalTable
	require.NoError(t, json.Unmarshal(data, &tab))
	require.GreaterOrEqual(t, len(tab.Patients), 40)
	return tab
}

// checkClinical compares a result with what the patient expects.
func checkClinical(t *testing.T, p clinicalPatient, res screening.Result) {
	t.Helper()
	fired := map[string]screening.Finding{}
	for _, f := range res.Findings {
		fired[f.Rule] = f
	}
	assert.Equal(t, p.Verdict, res.Verdict, "verdict; findings %v", slices.Collect(maps.Keys(fired)))
	for _, id := range p.Fires {
		assert.Contains(t, fired, id, "rule %s fires", id)
	}
	for _, id := range p.NotFires {
		assert.NotContains(t, fired, id, "rule %s does not fire", id)
	}
	for _, id := range p.Instructions {
		assert.Contains(t, res.Instructions, id, "instruction %s is given", id)
	}
	for _, id := range p.NotInstructions {
		assert.NotContains(t, res.Instructions, id, "instruction %s is not given", id)
	}
	for id, words := range p.Messages {
		f, ok := fired[id]
		if !assert.True(t, ok, "rule %s fires, for its message", id) {
			continue
		}
		for _, w := range words {
			assert.Contains(t, f.Message, w, "message of %s", id)
		}
	}
	texts := strings.Join(append(slices.Clone(res.PreTreatment), res.Aftercare...), "\n")
	for _, w := range p.Texts {
		assert.Contains(t, texts, w)
	}
	for _, w := range p.NotTexts {
		assert.NotContains(t, texts, w)
	}
	if p.Recognised != nil {
		var generics []string
		for _, m := range res.Medications {
			generics = append(generics, m.Generic)
		}
		assert.ElementsMatch(t, p.Recognised, generics, "medicines recognised")
	}
	if med, ok := p.Answers["medications"].(string); ok {
		assert.Equal(t, med, res.MedicationsWritten, "the medication text as written")
	}
}

// TestClinicalTable screens the table's patients with the default rule set
// through the library, one by one and with an Evaluator, which must agree.
func TestClinicalTable(t *testing.T) {
	tab := loadClinicalTable(t)
	rs, err := rules.Default()
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	ev := sc.NewEvaluator()
	for i, p := range tab.Patients {
		t.Run(p.Name, func(t *testing.T) {
			a := screening.Parse(rs, p.record(tab.Base, fmt.Sprintf("T-%03d", i+1)))
			res := sc.Evaluate(a)
			checkClinical(t, p, res)
			assert.Equal(t, res, ev.Evaluate(a), "the Evaluator agrees")
		})
	}
}

// A clinic that raises heart_medications_limit gets rules and messages
// that follow it: nothing in them is the default's 2 written out.
func TestHeartMedicationsLimitIsFollowed(t *testing.T) {
	src := string(rules.DefaultSource())
	old := "  heart_medications_limit:\n    value: 2\n"
	require.Contains(t, src, old)
	rs, err := rules.Parse("clinic.yaml", []byte(strings.Replace(src, old, "  heart_medications_limit:\n    value: 3\n", 1)))
	require.NoError(t, err)
	tab := loadClinicalTable(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	tests := []struct {
		count    int
		meds     string
		verdict  rules.Level
		fires    []string
		notFires []string
		message  string
	}{
		{0, "bisoprolol, ramipril", rules.NeedsReview, []string{"meds-heart-medicines-not-declared"},
			[]string{"heart-medication-single", "heart-medications-multiple"}, "than the 0 counted; one needs the physician's clearance and 3 or more rule out"},
		{2, "bisoprolol, ramipril", rules.NeedsReview, []string{"heart-medication-single"},
			[]string{"heart-medications-multiple", "meds-heart-medicines-not-declared"}, ""},
		{1, "bisoprolol, ramipril, furosemide", rules.NeedsReview, []string{"heart-medication-single", "meds-heart-medicines-not-declared"},
			nil, "more heart medicines than the 1 counted; one needs the physician's clearance and 3 or more rule out mesotherapy"},
		{3, "bisoprolol, ramipril, furosemide", rules.NotEligible, []string{"heart-medications-multiple"},
			[]string{"meds-heart-medicines-not-declared"}, "Takes 3 or more medicines for heart disease"},
	}
	for _, tt := range tests {
		rec := clinicalPatient{Answers: map[string]any{"heart_medications": tt.count, "medications": tt.meds}}.record(tab.Base, "H-1")
		res := sc.Evaluate(screening.Parse(rs, rec))
		assert.Equal(t, tt.verdict, res.Verdict, "%d counted, %s", tt.count, tt.meds)
		var all []string
		for _, f := range res.Findings {
			all = append(all, f.Message)
			assert.NotContains(t, f.Message, "two or more")
			assert.NotContains(t, f.Message, "2 or more")
		}
		ids := ruleIDs(res)
		for _, id := range tt.fires {
			assert.Contains(t, ids, id, "%d counted, %s", tt.count, tt.meds)
		}
		for _, id := range tt.notFires {
			assert.NotContains(t, ids, id, "%d counted, %s", tt.count, tt.meds)
		}
		if tt.message != "" {
			assert.Contains(t, strings.Join(all, "\n"), tt.message)
		}
	}
}
