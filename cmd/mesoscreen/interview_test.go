package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/prompt"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// answerOrder is the order the default rule set asks its questions in; a
// follow-up is only asked after a yes (1) to its trigger.
var answerOrder = []string{
	"patient_id", "age", "treatment_areas", "goal",
	"pregnant", "breastfeeding",
	"clotting_disorder", "blood_clots", "stroke", "blood_thinners", "blood_thinner_name",
	"recent_cancer", "diabetes", "heart_medications",
	"active_infection", "skin_condition", "allergies", "allergy_details",
	"medications",
}

var followUpOf = map[string]string{"blood_thinner_name": "blood_thinners", "allergy_details": "allergies"}

// healthyLines are the typed answers of a healthy patient: numbers pick
// options (1 Yes, 2 No, 3 Not sure).
var healthyLines = map[string]string{
	"patient_id": "MS-2001", "age": "34", "treatment_areas": "1", "goal": "1",
	"pregnant": "2", "breastfeeding": "2", "clotting_disorder": "2", "blood_clots": "2",
	"stroke": "2", "blood_thinners": "2", "blood_thinner_name": "1", "recent_cancer": "2",
	"diabetes": "1", "heart_medications": "0", "active_infection": "2", "skin_condition": "2",
	"allergies": "2", "allergy_details": "hives after lidocaine", "medications": "",
}

// typedAnswers is the stdin of an accessible interview, ending with Enter
// at the review.
func typedAnswers(over ...string) string {
	m := map[string]string{}
	for k, v := range healthyLines {
		m[k] = v
	}
	for i := 0; i < len(over); i += 2 {
		m[over[i]] = over[i+1]
	}
	var b strings.Builder
	for _, id := range answerOrder {
		if trig, ok := followUpOf[id]; ok && m[trig] != "1" {
			continue
		}
		b.WriteString(m[id] + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

type runResult struct {
	code     int
	out, err string
}

func runMain(t *testing.T, stdin string, env map[string]string, args ...string) runResult {
	t.Helper()
	s, out, errb := iostreams.Test(stdin)
	s.Getenv = testEnv(args, env)
	code := Main(args, s)
	return runResult{code, out.String(), errb.String()}
}

func TestInterviewAccessibleEndToEnd(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		env      map[string]string
		args     []string
		code     int
		contains []string
		absent   []string
	}{
		{
			name: "healthy patient is eligible, with the instructions", input: typedAnswers(),
			args: []string{"--accessible"}, code: 0,
			contains: []string{"VERDICT: ELIGIBLE (eligible)", "Patient: MS-2001", "Before treatment", "Aftercare", "Course of treatment", "Have a meal rich in protein"},
		},
		{
			name: "pregnant is not eligible", input: typedAnswers("pregnant", "1"),
			args: []string{"--accessible"}, code: 1,
			contains: []string{"VERDICT: NOT ELIGIBLE (not_eligible)", "Pregnant or possibly pregnant", "Why: Both clinic documents", "Source: 002, 004", "No instructions"},
			absent:   []string{"Aftercare"},
		},
		{
			name: "not sure needs review", input: typedAnswers("stroke", "3"),
			args: []string{"--accessible"}, code: 1,
			contains: []string{"VERDICT: NEEDS REVIEW (needs_review)", `Stroke or TIA: not sure`},
		},
		{
			name: "ACCESSIBLE=1 turns on the line prompts", input: typedAnswers(),
			env: map[string]string{"ACCESSIBLE": "1"}, code: 0,
			contains: []string{"VERDICT: ELIGIBLE"},
		},
		{
			name: "TERM=dumb turns on the line prompts", input: typedAnswers("skin_condition", "1"),
			env: map[string]string{"TERM": "dumb"}, code: 1,
			contains: []string{"VERDICT: DEFER (defer)"},
		},
		{
			name: "typed words and a retry after a bad answer", input: strings.Replace(typedAnswers(), "34\n", "150\nthirty\n34\n", 1),
			args: []string{"--accessible"}, code: 0,
			contains: []string{"VERDICT: ELIGIBLE"},
		},
		{
			name: "--patient-id pre-fills the id", input: strings.TrimPrefix(typedAnswers(), "MS-2001\n"),
			args: []string{"--accessible", "--patient-id", "MS-77"}, code: 0,
			contains: []string{"Patient: MS-77"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, tc.input, tc.env, append([]string{"interview"}, tc.args...)...)
			assert.Equal(t, tc.code, r.code, "stderr:\n%s", r.err)
			for _, s := range tc.contains {
				assert.Contains(t, r.out, s)
			}
			for _, s := range tc.absent {
				assert.NotContains(t, r.out, s)
			}
			assert.NotContains(t, r.out, "Type a number", "prompts go to stderr, not stdout")
		})
	}
}

func TestInterviewFollowUpOnlyAfterTrigger(t *testing.T) {
	const followUp = "Which blood thinner?"
	r := runMain(t, typedAnswers(), nil, "interview", "--accessible")
	require.Equal(t, 0, r.code, r.err)
	assert.NotContains(t, r.err, followUp)

	r = runMain(t, typedAnswers("blood_thinners", "1", "blood_thinner_name", "2"), nil, "interview", "--accessible", "--format", "json")
	require.Equal(t, 1, r.code, r.err)
	trigger := strings.Index(r.err, "Does the patient take or inject a blood thinner?")
	require.GreaterOrEqual(t, trigger, 0)
	assert.Greater(t, strings.Index(r.err, followUp), trigger)
	var res screening.Result
	require.NoError(t, json.Unmarshal([]byte(r.out), &res))
	assert.Equal(t, rules.NeedsReview, res.Verdict)
	assert.Equal(t, "blood-thinners", res.Findings[0].Rule)
	assert.Contains(t, res.PreTreatment[len(res.PreTreatment)-2], "blood thinner")
}

func TestInterviewEndOfInputSavesNothing(t *testing.T) {
	full := typedAnswers()
	lines := strings.SplitAfter(full, "\n")
	for _, n := range []int{0, 1, 5, len(lines) - 2} {
		dir := t.TempDir()
		path := filepath.Join(dir, "record.json")
		r := runMain(t, strings.Join(lines[:n], ""), nil, "interview", "--accessible", "--save", path)
		assert.Equal(t, 2, r.code, "after %d lines", n)
		assert.Contains(t, r.err, "interview incomplete")
		assert.NotContains(t, r.out, "VERDICT", "no verdict from a partial form")
		assert.Empty(t, r.out)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing written, no temporary file left")
	}
}

func TestInterviewNeedsATerminal(t *testing.T) {
	r := runMain(t, typedAnswers(), nil, "interview")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "--accessible")
	assert.Contains(t, r.err, "mesoscreen check")
	assert.Empty(t, r.out)
}

func TestInterviewSaveAndCheckAgain(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		verdict rules.Level
		code    int
	}{
		{"eligible", typedAnswers(), rules.Eligible, 0},
		{"with precautions", typedAnswers("medications", "fish oil", "treatment_areas", "1,2,3"), rules.EligibleWithPrecautions, 0},
		{"needs review, with a follow-up", typedAnswers("allergies", "1", "allergy_details", "hives"), rules.NeedsReview, 1},
		{"not sure", typedAnswers("pregnant", "3"), rules.NeedsReview, 1},
		{"not eligible", typedAnswers("diabetes", "3"), rules.NotEligible, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "MS-2001.json")
			r := runMain(t, tc.input, nil, "interview", "--accessible", "--save", path, "--clinician", "Dr Lind")
			require.Equal(t, tc.code, r.code, r.err)
			assert.Contains(t, r.err, "saved the record to "+path)

			st, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.ElementsMatch(t, []string{filepath.Base(path), journalFile}, names, "the record and the clinic's journal; no temporary file left")

			var rec map[string]any
			data, _ := os.ReadFile(path)
			require.NoError(t, json.Unmarshal(data, &rec))
			assert.Equal(t, "mesoscreen.record", rec["kind"])
			assert.Equal(t, "Dr Lind", rec["clinician"])
			assert.Equal(t, string(tc.verdict), rec["result"].(map[string]any)["verdict"])
			_, err = time.Parse(time.RFC3339, rec["screened_at"].(string))
			assert.NoError(t, err)
			rsRef := rec["rule_set"].(map[string]any)
			assert.Equal(t, "mesotherapy-default", rsRef["name"])
			assert.Len(t, rsRef["sha256"], 64)
			assert.NotEmpty(t, rec["tool_version"])

			c := runMain(t, "", nil, "check", "--format", "jsonl", path)
			assert.Equal(t, tc.code, c.code, c.err)
			var again screening.Result
			require.NoError(t, json.Unmarshal([]byte(c.out), &again))
			assert.Equal(t, tc.verdict, again.Verdict, "check screens the saved record to the same verdict")
		})
	}
}

func TestInterviewSaveRefusesAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	r := runMain(t, typedAnswers(), nil, "interview", "--accessible", "--save", path)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "already exists; use --force")
	assert.NotContains(t, r.err, "Type", "refused before any question")
	data, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(data))

	r = runMain(t, typedAnswers(), nil, "interview", "--accessible", "--save", path, "--force")
	assert.Equal(t, 0, r.code, r.err)
	data, _ = os.ReadFile(path)
	assert.Contains(t, string(data), "mesoscreen.record")
}

func TestInterviewFrom(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "online.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"patient_id":"WEB-5","age":29,"pregnant":"no","breastfeeding":"no",
		"clotting_disorder":"no","blood_clots":"no","stroke":"no","blood_thinners":"not sure","recent_cancer":"no",
		"diabetes":"none","heart_medications":0,"active_infection":"no","skin_condition":"no","allergies":"no",
		"treatment_areas":["face"],"goal":"pores"}`), 0o600))
	// Asked: blood_thinners (unsure), medications (missing); then the review.
	r := runMain(t, "2\n\n\n", nil, "interview", "--accessible", "--from", path)
	assert.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.err, "Answers already given (16)")
	assert.Contains(t, r.err, "How old is the patient, in years?: 29")
	assert.Equal(t, 1, strings.Count(r.err, "Does the patient take or inject a blood thinner?\n"), "the unsure answer is asked")
	assert.NotContains(t, r.err, "How old is the patient, in years?\n", "a given answer is not asked")
	assert.Contains(t, r.out, "Patient: WEB-5")
	assert.Contains(t, r.out, "VERDICT: ELIGIBLE")

	two := filepath.Join(dir, "two.jsonl")
	require.NoError(t, os.WriteFile(two, []byte("{\"age\":1}\n{\"age\":2}\n"), 0o600))
	r = runMain(t, "", nil, "interview", "--accessible", "--from", two)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "holds 2 records; expected one patient")

	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte("  \n"), 0o600))
	r = runMain(t, "", nil, "interview", "--accessible", "--from", empty)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.err, "holds no records")
}

func TestInterviewReviewChangesAnAnswer(t *testing.T) {
	// Yes to blood thinners, warfarin; at the review change it (item 10) to No:
	// the follow-up is cleared, and the patient is eligible.
	in := strings.TrimSuffix(typedAnswers("blood_thinners", "1", "blood_thinner_name", "1"), "\n") + "10\n2\n\n"
	r := runMain(t, in, nil, "interview", "--accessible", "--format", "json")
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.err, "== Change an answer: Blood and circulation ==")
	var res screening.Result
	require.NoError(t, json.Unmarshal([]byte(r.out), &res))
	assert.Equal(t, rules.Eligible, res.Verdict)
	review := r.err[strings.LastIndex(r.err, "== Review the answers =="):]
	assert.NotContains(t, review, "Which blood thinner?")
}

func TestInterviewResultScreenGolden(t *testing.T) {
	tests := []struct {
		name  string
		input string
		tty   bool
	}{
		{"eligible-plain", typedAnswers(), false},
		{"not-eligible-plain", typedAnswers("pregnant", "1", "blood_thinners", "3"), false},
		{"precautions-tty-nocolor", typedAnswers("medications", "retinol cream", "goal", "8", "treatment_areas", "6,7,9"), true},
		{"needs-review-tty-nocolor", typedAnswers("heart_medications", "1", "allergies", "1", "allergy_details", "swelling"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, out, errb := iostreams.Test(tc.input)
			s.OutTTY = tc.tty
			s.Getenv = func(k string) string {
				if k == "NO_COLOR" {
					return "1"
				}
				return ""
			}
			// On a terminal, the answers are typed as lines but the
			// interview is not in accessible mode, which would show the
			// verdict as plain lines (TestAccessibleVerdictIsPlain).
			cmd := NewCmdInterview(&Factory{IO: s}, func(o *InterviewOptions) error {
				o.Prompter = prompt.NewAccessible(s.In, s.Err)
				return runInterview(o)
			})
			cmd.SetArgs([]string{})
			cmd.SetErr(s.Err)
			_ = cmd.Execute()
			require.NotContains(t, errb.String(), "mesoscreen:", errb.String())
			assert.NotContains(t, out.String(), "\x1b[", "no colour codes with NO_COLOR")
			golden(t, out.String(), "interview", tc.name+".golden")
		})
	}
}

// TestAccessibleVerdictIsPlain: --accessible, ACCESSIBLE=1 and TERM=dumb
// show the verdict as a plain line on a colour terminal too: no box, no
// colour.
func TestAccessibleVerdictIsPlain(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"--accessible", []string{"--accessible"}, nil},
		{"ACCESSIBLE=1", nil, map[string]string{"ACCESSIBLE": "1"}},
		{"TERM=dumb", nil, map[string]string{"TERM": "dumb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out, errb := iostreams.Test(typedAnswers("heart_medications", "1"))
			s.OutTTY, s.OutWidth = true, 80
			env := map[string]string{"TERM": "xterm-256color"}
			for k, v := range tc.env {
				env[k] = v
			}
			s.Getenv = func(k string) string { return env[k] }
			code := Main(append([]string{"interview"}, tc.args...), s)
			require.Equal(t, exitFindings, code, errb.String())
			assert.True(t, strings.HasPrefix(out.String(), "VERDICT: NEEDS REVIEW (needs_review)\n"), out.String())
			assert.NotContains(t, out.String(), "\x1b", "no colour")
			assert.NotContains(t, out.String(), "┃", "no box")
		})
	}
}

// TestInterviewUsesTheClinicsFiles: --rules is named once on stderr, and
// --meds reads the medication list with the clinic's lexicon, as check does.
func TestInterviewUsesTheClinicsFiles(t *testing.T) {
	in := typedAnswers("medications", "Thinnex 2 mg")
	root := filepath.Join("..", "..")
	lexicon := filepath.Join(root, "testdata", "meds", "clinic.yaml")
	rulesFile := filepath.Join(t.TempDir(), "clinic.yaml")
	require.NoError(t, os.WriteFile(rulesFile, []byte(strings.Replace(string(rules.DefaultSource()),
		"name: mesotherapy-default", "name: clinic-own", 1)), 0o600))

	r := runMain(t, in, nil, "--meds", lexicon, "--rules", rulesFile, "interview", "--accessible", "--format", "json")
	assert.Equal(t, exitFindings, r.code, r.err)
	assert.Contains(t, r.out, "Lists Thinnex (housethinner, anticoagulant) but did not answer yes to blood thinners (answered no)")
	assert.Equal(t, 1, strings.Count(r.err, "using rule set clinic-own version 1 from "+rulesFile))

	r = runMain(t, in, nil, "interview", "--accessible", "--format", "json")
	assert.NotContains(t, r.out, "Thinnex (housethinner", "the built-in lexicon does not know the clinic's own entry")
	assert.Contains(t, r.err, builtIn(t))
	assert.NotContains(t, r.err, "using rule set clinic-own")
	r = runMain(t, in, nil, "interview", "-q", "--accessible", "--format", "json")
	assert.NotContains(t, r.err, "using", "-q silences the announcement")
}

// The details after a verdict (findings, instructions, course, sources)
// run past a terminal's height: the interview's last line is the verdict
// again, with the patient, whatever comes before it.
func TestInterviewEndsOnTheVerdict(t *testing.T) {
	for _, tt := range []struct {
		name  string
		input string
		want  string
	}{
		{"eligible", typedAnswers(), "VERDICT: ELIGIBLE (eligible)  Patient: MS-2001"},
		{"needs review", typedAnswers("heart_medications", "1"), "VERDICT: NEEDS REVIEW (needs_review)  Patient: MS-2001"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			save := filepath.Join(t.TempDir(), "rec.json")
			r := runMain(t, tt.input, nil, "interview", "--accessible", "--save", save)
			require.Contains(t, []int{exitOK, exitFindings}, r.code, r.err)
			lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
			require.Greater(t, len(lines), 24, "the result runs past a 24-line screen")
			assert.Equal(t, tt.want, lines[len(lines)-1])
			assert.Contains(t, r.err, "saved the record to "+save)
		})
	}
}
