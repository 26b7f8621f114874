package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening"
)

// healthyRow is a healthy adult's answers, in canonicalHeader's order,
// with id as the patient id.
func healthyRow(id string, sep string) string {
	return strings.Join([]string{id, "34", "face", "pores", "no", "no", "no", "no", "no", "no", "no", "none", "0", "no", "no", "no", ""}, sep)
}

// canonicalHeader is the canonical CSV header of the default rule set's
// questions that are always asked.
func canonicalHeader(sep string) string {
	return strings.Join([]string{"patient_id", "age", "treatment_areas", "goal", "pregnant", "breastfeeding", "clotting_disorder", "blood_clots", "stroke",
		"blood_thinners", "recent_cancer", "diabetes", "heart_medications", "active_infection", "skin_condition", "allergies", "medications"}, sep)
}

// checkJSONL runs check on stdin and decodes its JSON Lines results.
func checkJSONL(t *testing.T, stdin string, args ...string) (code int, results []screening.Result, stderr string) {
	t.Helper()
	code, out, errs := run(t, stdin, append([]string{"check", "-f", "jsonl"}, append(args, "-")...)...)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r screening.Result
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		results = append(results, r)
	}
	return code, results, errs
}

func rulesOf(r screening.Result) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}

// One patient's chart number written four ways is one patient, through
// check: the later three are flagged.
func TestCheckDuplicatePatientSpelledApart(t *testing.T) {
	in := canonicalHeader(",") + "\n"
	ids := []string{"DUP-1", "dup-1", "\uFEFFDUP-1", "DUP\u20111", "DUP-2"}
	for _, id := range ids {
		in += healthyRow(id, ",") + "\n"
	}
	code, results, errs := checkJSONL(t, in)
	assert.Equal(t, exitFindings, code, errs)
	require.Len(t, results, len(ids))
	for i, r := range results {
		assert.Equal(t, i >= 1 && i <= 3, strings.Contains(strings.Join(rulesOf(r), " "), screening.RuleDuplicateID), "%q: %v", ids[i], rulesOf(r))
	}
	assert.Equal(t, "eligible", string(results[0].Verdict))
	assert.Equal(t, "eligible", string(results[4].Verdict))
}

// interview --from refuses what check refuses: a key beside a field that
// differs from it only in letter case (and every other near miss check
// stops at) stops the interview with exit 2 before any question, naming
// the key; check and interview read the file through the same code. The
// keys are generated over every field of the rule set, and the answer
// under the near miss is the one that matters: yes.
func TestInterviewFromRefusesWhatCheckRefuses(t *testing.T) {
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	var healthy map[string]any
	require.NoError(t, json.Unmarshal(data, &healthy))
	variants := func(id string) []string {
		return []string{
			strings.ToUpper(id[:1]) + id[1:], // Pregnant
			strings.ToUpper(id),              // PREGNANT
			strings.ReplaceAll(id, "_", " "), // blood thinners
			" " + id,                         // a space before
		}
	}
	n := 0
	for _, field := range []string{"pregnant", "breastfeeding", "blood_thinners", "stroke", "allergies", "active_infection"} {
		for _, key := range variants(field) {
			if key == field {
				continue
			}
			rec := maps.Clone(healthy)
			rec[key] = "yes"
			b, err := json.Marshal(rec)
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "from.json")
			require.NoError(t, os.WriteFile(path, b, 0o600))

			check := runMain(t, "", nil, "check", path)
			require.Equal(t, exitError, check.code, "check refuses %q: %s", key, check.err)

			r := runMain(t, "\n\n\n\n", nil, "interview", "--accessible", "--from", path)
			assert.Equal(t, exitError, r.code, "interview --from refuses %q as check does; stderr: %s", key, r.err)
			assert.Contains(t, r.err, fmt.Sprintf("key %q looks like field %q", key, field))
			assert.NotContains(t, r.out, "VERDICT", "nothing is screened")
			assert.NotContains(t, r.err, "Answers already given", "no question is asked")
			n++
		}
	}
	t.Logf("%d near-miss keys refused by both", n)
}

// An accent an answer word does not have makes it no answer, through
// check: "Ño" and "Nó" under any yes/no question are not "no", and the
// record needs review, naming the answer; "NO" and "No." are no.
func TestCheckAccentedNoIsNotNo(t *testing.T) {
	header := strings.Split(canonicalHeader(","), ",")
	for col := 4; col <= 15; col++ { // pregnant ... allergies, except the counts and choices
		if header[col] == "diabetes" || header[col] == "heart_medications" {
			continue
		}
		for _, given := range []string{"Ño", "Nó", "ño", "NÓ", "no\u0301", "n\u0303o", "NO", "No."} {
			cells := strings.Split(healthyRow("A-1", ","), ",")
			cells[col] = given
			code, results, errs := checkJSONL(t, canonicalHeader(",")+"\n"+strings.Join(cells, ",")+"\n")
			require.Len(t, results, 1, errs)
			r := results[0]
			if strings.EqualFold(strings.TrimSuffix(given, "."), "no") {
				assert.Equal(t, exitOK, code, "%s: %q is no", header[col], given)
				continue
			}
			assert.Equal(t, exitFindings, code, "%s: %q", header[col], given)
			assert.Equal(t, "needs_review", string(r.Verdict), "%s: %q", header[col], given)
			assert.Contains(t, rulesOf(r), screening.RuleInvalid, "%s: %q", header[col], given)
		}
	}
}

// A column or key spelt with a look-alike letter of another script or an
// invisible character stops check with exit 2, naming the character by
// its code; --allow-unknown lets it through with a warning that names it
// too.
func TestCheckLookalikeColumn(t *testing.T) {
	for _, tt := range []struct {
		name, in, code string
	}{
		{"Cyrillic р and е in a CSV column", strings.Replace(canonicalHeader(","), "pregnant", "рrеgnant", 1) + "\n" + healthyRow("A-1", ",") + "\n", "U+0440"},
		{"Greek omicron in a CSV column", strings.Replace(canonicalHeader(","), "stroke", "strοke", 1) + "\n" + healthyRow("A-1", ",") + "\n", "U+03BF"},
		{"a zero-width space in a JSON key", `{"patient_id": "A-1", "pregnant": "no", "preg` + "\u200b" + `nant": "yes"}` + "\n", "U+200B"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.in, "check", "-")
			assert.Equal(t, exitError, code)
			assert.Empty(t, out, "nothing is screened")
			assert.Contains(t, errs, tt.code)
			assert.Contains(t, errs, "looks like field")

			// Let through, its answer is still a finding on the record.
			code, out, errs = run(t, tt.in, "check", "--allow-unknown", "--format", "csv", "-")
			assert.Equal(t, exitFindings, code, errs)
			assert.Contains(t, out, "answer-unasked")
			assert.Contains(t, errs, "warning: let through, as --allow-unknown asks")
			assert.Contains(t, errs, tt.code)
		})
	}
}

// A quote left open in a row's medications swallows the next patient's
// row, pregnant, legally: check flags the row that swallowed it, naming
// the patient and the line, and exits 1; nothing says may be treated for
// it, and the row after is screened as usual.
func TestCheckQuoteSwallowsPregnantPatient(t *testing.T) {
	for _, sep := range []string{",", ";", "\t"} {
		for _, eol := range []string{"\n", "\r\n"} {
			a := strings.Split(healthyRow("A-1", sep), sep)
			b := strings.Split(healthyRow("B-2", sep), sep)
			b[4] = "yes" // pregnant
			a[16] = `"retinol cream`
			b[16] = `"`
			in := canonicalHeader(sep) + eol + strings.Join(a, sep) + eol + strings.Join(b, sep) + eol + healthyRow("C-3", sep) + eol
			code, results, errs := checkJSONL(t, in)
			assert.Equal(t, exitFindings, code, "%q %q: %s", sep, eol, errs)
			require.Len(t, results, 2, "%q %q", sep, eol)
			assert.Equal(t, "A-1", results[0].PatientID)
			assert.Equal(t, "stdin:2", results[0].Source)
			assert.Equal(t, "needs_review", string(results[0].Verdict))
			var msg string
			for _, f := range results[0].Findings {
				if f.Rule == screening.RuleRowSwallowed {
					msg = f.Message
				}
			}
			assert.Contains(t, msg, `line 3, which looks like the row of another patient (patient_id "B-2")`, "%q %q", sep, eol)
			assert.Equal(t, "C-3", results[1].PatientID)
			assert.Equal(t, "stdin:4", results[1].Source)
			assert.Equal(t, "eligible", string(results[1].Verdict))
		}
	}
}

// Header rows after the first (SurveyMonkey's, Qualtrics', a header
// repeated) and blank rows are no patients: check skips them, says so on
// stderr with their lines, and gives one result per other row, in order,
// each with its file:line.
func TestCheckSkipsHeaderAndBlankRows(t *testing.T) {
	header := canonicalHeader(",")
	n := len(strings.Split(header, ","))
	importIDs := make([]string, n)
	for i, f := range strings.Split(header, ",") {
		importIDs[i] = fmt.Sprintf(`"{""ImportId"":""%s""}"`, f)
	}
	responses := strings.Repeat("Response,", n-1) + "Open-Ended Response"
	in := strings.Join([]string{
		header,                            // 1
		strings.Join(importIDs, ","),      // 2: Qualtrics' markers
		responses,                         // 3: SurveyMonkey's second row
		healthyRow("A-1", ","),            // 4
		strings.Repeat(",", n-1),          // 5: blank
		strings.ToUpper(header),           // 6: the header again
		healthyRow("A-2", ","),            // 7
		strings.Repeat(" ,", n-1) + "\t ", // 8: blank
		healthyRow("A-3", ","),            // 9
	}, "\r\n") + "\r\n"
	code, results, errs := checkJSONL(t, in)
	assert.Equal(t, exitOK, code, errs)
	var got []string
	for _, r := range results {
		got = append(got, r.PatientID+"@"+r.Source)
	}
	assert.Equal(t, []string{"A-1@stdin:4", "A-2@stdin:7", "A-3@stdin:9"}, got)
	assert.Contains(t, errs, "note: stdin: skipped 3 header rows after the first (lines 2, 3 and 6) and 2 blank rows (lines 5 and 8), which hold no patient's answers\n")
	assert.Contains(t, errs, "screened 3 records: 3 eligible")

	_, _, errs = checkJSONL(t, in, "-q")
	assert.Empty(t, errs)

	// A row of header text that holds one answer is a patient's, and is
	// screened.
	row := strings.Split(responses, ",")
	row[4] = "yes" // pregnant
	code, results, _ = checkJSONL(t, header+"\n"+strings.Join(row, ",")+"\n")
	assert.Equal(t, exitFindings, code)
	require.Len(t, results, 1)
	assert.Equal(t, "not_eligible", string(results[0].Verdict))
}

func TestLinesOf(t *testing.T) {
	for _, tt := range []struct {
		lines []int
		want  string
	}{
		{[]int{2}, "line 2"},
		{[]int{2, 3}, "lines 2 and 3"},
		{[]int{2, 3, 9}, "lines 2, 3 and 9"},
		{[]int{2, 3, 4, 5, 6}, "lines 2, 3, 4, 5 and 6"},
		{[]int{2, 3, 4, 5, 6, 7, 8}, "lines 2, 3, 4, 5, 6 and 2 more"},
	} {
		assert.Equal(t, tt.want, linesOf("line", tt.lines))
	}
}
