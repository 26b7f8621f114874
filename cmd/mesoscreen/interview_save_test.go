package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// A saved record is filed under the patient's id: the interview asks for
// it again when it was left empty, and saves a record without one only
// with --no-patient-id. check of a saved record gives the verdict the
// interview gave.
func TestInterviewSaveNeedsAPatientID(t *testing.T) {
	readRecord := func(t *testing.T, path string) map[string]any {
		t.Helper()
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var rec map[string]any
		require.NoError(t, json.Unmarshal(data, &rec))
		return rec
	}
	checkAgain := func(t *testing.T, path string) screening.Result {
		t.Helper()
		c := runMain(t, "", nil, "check", "--format", "jsonl", path)
		var res screening.Result
		require.NoError(t, json.Unmarshal([]byte(c.out), &res), c.err)
		return res
	}

	t.Run("asked again at the end", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "r.json")
		// The id left empty on the first page, the review confirmed, then
		// an empty line and the id at the question asked again.
		r := runMain(t, typedAnswers("patient_id", "")+"\nMS-77\n", nil, "interview", "--accessible", "--save", path)
		require.Equal(t, 0, r.code, r.err)
		assert.Equal(t, 2, strings.Count(r.err, "The saved record needs the patient's chart number"), "asked until given")
		rec := readRecord(t, path)
		assert.Equal(t, "MS-77", rec["answers"].(map[string]any)["patient_id"])
		assert.NotContains(t, rec, "no_patient_id")
		res := checkAgain(t, path)
		assert.Equal(t, rules.Eligible, res.Verdict)
		assert.Equal(t, "MS-77", res.PatientID)
	})

	t.Run("input ends before the id", func(t *testing.T) {
		dir := t.TempDir()
		r := runMain(t, typedAnswers("patient_id", ""), nil, "interview", "--accessible", "--save", filepath.Join(dir, "r.json"))
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.err, "interview incomplete")
		assert.Empty(t, r.out, "no verdict without a record")
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing saved")
	})

	t.Run("saved without one on purpose", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			input   string
			verdict rules.Level
			code    int
		}{
			{"eligible", typedAnswers("patient_id", ""), rules.Eligible, 0},
			{"needs review", typedAnswers("patient_id", "", "pregnant", "3"), rules.NeedsReview, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "r.json")
				r := runMain(t, tc.input, nil, "interview", "--accessible", "--save", path, "--no-patient-id", "--format", "json")
				require.Equal(t, tc.code, r.code, r.err)
				assert.NotContains(t, r.err, "needs the patient's chart number")
				var first screening.Result
				require.NoError(t, json.Unmarshal([]byte(r.out), &first))
				assert.Equal(t, tc.verdict, first.Verdict)
				assert.Equal(t, true, readRecord(t, path)["no_patient_id"])

				res := checkAgain(t, path)
				assert.Equal(t, first.Verdict, res.Verdict, "check gives the interview's verdict")
				assert.Equal(t, findingRules(first), findingRules(res))
			})
		}
	})

	t.Run("an id given keeps no waiver", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "r.json")
		r := runMain(t, typedAnswers(), nil, "interview", "--accessible", "--save", path, "--no-patient-id")
		require.Equal(t, 0, r.code, r.err)
		assert.NotContains(t, readRecord(t, path), "no_patient_id")
	})

	t.Run("flags that contradict", func(t *testing.T) {
		for _, args := range [][]string{
			{"--no-patient-id"},
			{"--no-patient-id", "--save", "r.json", "--patient-id", "MS-1"},
		} {
			r := runMain(t, "", nil, append([]string{"interview", "--accessible"}, args...)...)
			assert.Equal(t, exitError, r.code, "%v", args)
			assert.Contains(t, r.err, "--no-patient-id", "%v", args)
		}
	})
}

func findingRules(r screening.Result) []string {
	ids := []string{}
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}
