package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// The table of patients of testdata/clinical/patients.json, which
// screening/clinical_test.go runs through the library, run through check:
// one JSON Lines file on stdin, one result per patient in order.
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
}

func TestClinicalTableThroughCheck(t *testing.T) {
	data, err := os.ReadFile(repoFile("clinical", "patients.json"))
	require.NoError(t, err)
	var tab struct {
		Base     map[string]any    `json:"base"`
		Patients []clinicalPatient `json:"patients"`
	}
	require.NoError(t, json.Unmarshal(data, &tab))
	require.GreaterOrEqual(t, len(tab.Patients), 40)

	var in strings.Builder
	for i, p := range tab.Patients {
		rec := maps.Clone(tab.Base)
		rec["patient_id"] = fmt.Sprintf("T-%03d", i+1)
		for k, v := range p.Answers {
			if v == nil {
				delete(rec, k)
				continue
			}
			rec[k] = v
		}
		line, err := json.Marshal(rec)
		require.NoError(t, err)
		in.Write(line)
		in.WriteString("\n")
	}
	code, out, stderr := run(t, in.String(), "check", "--format", "jsonl", "-")
	assert.Equal(t, exitFindings, code, stderr)

	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	var results []screening.Result
	for sc.Scan() {
		var res screening.Result
		require.NoError(t, json.Unmarshal(sc.Bytes(), &res))
		results = append(results, res)
	}
	require.Len(t, results, len(tab.Patients))
	for i, p := range tab.Patients {
		res := results[i]
		t.Run(p.Name, func(t *testing.T) {
			assert.Equal(t, fmt.Sprintf("T-%03d", i+1), res.PatientID)
			assert.Equal(t, fmt.Sprintf("stdin:%d", i+1), res.Source)
			fired := map[string]string{}
			for _, f := range res.Findings {
				fired[f.Rule] = f.Message
			}
			assert.Equal(t, p.Verdict, res.Verdict, "findings %v", fired)
			for _, id := range p.Fires {
				assert.Contains(t, fired, id)
			}
			for _, id := range p.NotFires {
				assert.NotContains(t, fired, id)
			}
			for _, id := range p.Instructions {
				assert.Contains(t, res.Instructions, id)
			}
			for _, id := range p.NotInstructions {
				assert.NotContains(t, res.Instructions, id)
			}
			for id, words := range p.Messages {
				for _, w := range words {
					assert.Contains(t, fired[id], w, "message of %s", id)
				}
			}
			texts := strings.Join(append(slices.Clone(res.PreTreatment), res.Aftercare...), "\n")
			for _, w := range p.Texts {
				assert.Contains(t, texts, w)
			}
			for _, w := range p.NotTexts {
				assert.NotContains(t, texts, w)
			}
			if med, ok := p.Answers["medications"].(string); ok {
				assert.Equal(t, med, res.MedicationsWritten)
			}
		})
	}
}
