package screening_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// onThinner is a patient who takes apixaban and has nothing else: the
// blood-thinners finding is the only one that stops treatment.
var onThinner = map[string]any{
	"patient_id": "MS-1001", "age": 52, "pregnant": "no", "breastfeeding": "no",
	"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
	"diabetes": "none", "heart_medications": 0, "blood_thinners": "yes",
	"blood_thinner_name": "apixaban", "active_infection": "no", "skin_condition": "no",
	"allergies": "no", "medications": "", "treatment_areas": []any{"face"}, "goal": "rejuvenation",
}

func answersWith(base map[string]any, kv ...any) map[string]any {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

var day0 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

func days(n int) time.Time { return day0.AddDate(0, 0, n) }

func newRecord(t *testing.T, sc *screening.Screener, answers map[string]any) screening.SavedRecord {
	t.Helper()
	a := screening.Parse(sc.RuleSet(), answers)
	rec, err := screening.NewSavedRecord(a, sc.Evaluate(a), day0, "test", signerOf("anna"))
	require.NoError(t, err)
	return rec
}

// reread writes the record and reads it back, as the next command would.
func reread(t *testing.T, rec screening.SavedRecord) screening.SavedRecord {
	t.Helper()
	b, err := rec.Marshal()
	require.NoError(t, err)
	back, err := screening.ReadSavedRecord(b)
	require.NoError(t, err)
	require.NoError(t, back.VerifyFile(clinicKeys), "a record as written verifies")
	return back
}

func clear(t *testing.T, sc *screening.Screener, rec *screening.SavedRecord, rule, reason string, at time.Time) {
	t.Helper()
	f, cr, err := screening.CheckClearance(sc.RuleSet(), sc.Review(rec, at), rule, reason)
	require.NoError(t, err)
	require.NoError(t, rec.Clear(f, cr, screening.Ref(sc.RuleSet()), "reply of 4 March on file", nil, at, "test", signerOf("Dr Ruiz")))
}

// TestRecordCourse follows one patient's record: screened, cleared,
// checked, re-screened, verified, with the effective verdict at each step.
func TestRecordCourse(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	rec := newRecord(t, sc, onThinner)
	rec = reread(t, rec)
	assert.Equal(t, rules.NeedsReview, sc.Review(&rec, days(0)).Verdict, "screened: the blood thinner needs the prescriber")

	clear(t, sc, &rec, "blood-thinners", "prescriber-approved-pause", days(1))
	rec = reread(t, rec)
	res := sc.Review(&rec, days(1))
	assert.Equal(t, rules.Eligible, res.Verdict, "cleared: nothing else stops treatment")
	require.NotNil(t, res.Record)
	assert.Equal(t, rules.NeedsReview, res.Record.VerdictBeforeClearances)
	require.Len(t, res.Clearances, 1)
	c := res.Clearances[0]
	assert.True(t, c.Applies)
	assert.Equal(t, "Dr Ruiz", c.By)
	assert.Equal(t, "prescriber-approved-pause", c.Reason)
	assert.NotEmpty(t, c.ReasonText)
	assert.Equal(t, rs.SHA256, c.RuleSet.SHA256, "a clearance names the rule set it was made under")
	require.NotEmpty(t, res.Findings)
	assert.NotNil(t, res.Findings[len(res.Findings)-1].Cleared, "the cleared finding is kept, and shown as cleared")
	assert.NotEmpty(t, res.PreTreatment, "instructions come with the verdict once cleared")

	// A week later, nothing changed: the clearance still holds.
	a := screening.Parse(rs, rec.LatestAnswers())
	a.SetRaw("session_reaction", "no")
	a.SetRaw("health_changed", "no")
	require.NoError(t, rec.Rescreen(a, sc.Evaluate(a), []string{"session_reaction", "health_changed"}, days(8), "test", signerOf("anna")))
	rec = reread(t, rec)
	assert.Equal(t, rules.Eligible, sc.Review(&rec, days(8)).Verdict, "re-screened, nothing changed")

	// The next week the patient is on warfarin: the clearance was for
	// apixaban, so the finding is back.
	a = screening.Parse(rs, rec.LatestAnswers())
	a.SetRaw("blood_thinner_name", "warfarin")
	require.NoError(t, rec.Rescreen(a, sc.Evaluate(a), []string{"blood_thinner_name"}, days(15), "test", signerOf("anna")))
	rec = reread(t, rec)
	res = sc.Review(&rec, days(15))
	assert.Equal(t, rules.NeedsReview, res.Verdict, "re-screened with another blood thinner")
	require.Len(t, res.Clearances, 1)
	assert.False(t, res.Clearances[0].Applies)
	// The finding names the blood thinner, so its words changed with it.
	assert.Contains(t, res.Clearances[0].NotApplied, "blood thinner: Warfarin;")

	require.NoError(t, rec.VerifyFile(clinicKeys))
	assert.Len(t, rec.Events, 4)
	states, err := rec.States()
	require.NoError(t, err)
	for i := 1; i < len(rec.Events); i++ {
		assert.Equal(t, states[i-1], rec.Events[i].PrevSHA256, "event %d names the record before it", i+1)
	}
	b, _ := rec.Marshal()
	assert.Equal(t, states[len(states)-1], sha(b), "the last state is the file's sha256")
}

func sha(b []byte) string {
	r, _ := screening.ReadSavedRecord(b)
	s, _ := r.States()
	return s[len(s)-1]
}

func TestClearRefuses(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	tests := []struct {
		name    string
		answers map[string]any
		rule    string
		reason  string
		want    string
	}{
		{"not_eligible is never cleared", answersWith(onThinner, "pregnant", "yes"), "pregnant", "physician-cleared", "never cleared"},
		{"defer is lifted by a new screening", answersWith(onThinner, "active_infection", "yes"), "active-infection", "physician-cleared", "only a new screening"},
		{"a precaution has nothing to clear", answersWith(onThinner, "goal", "weight_loss"), "goal-weight-loss", "physician-cleared", "nothing to clear"},
		{"an unsure answer is answered, not cleared", answersWith(onThinner, "stroke", "unsure"), screening.RuleUnsure, "physician-cleared", "get the answer"},
		{"a finding misspelt", answersWith(onThinner, "allergies", "yes"), "alergies", "allergy-assessed", `did you mean "allergies"?`},
		{"a finding the record does not have", onThinner, "allergies", "allergy-assessed", `its findings are blood-thinners (needs_review)`},
		{"a reason the rule set does not declare", onThinner, "blood-thinners", "prescriber-ok", `"prescriber-ok" is not a clearance reason`},
		{"a reason for other findings", onThinner, "blood-thinners", "allergy-assessed", "does not clear rule blood-thinners"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecord(t, sc, tc.answers)
			_, _, err := screening.CheckClearance(rs, sc.Review(&rec, days(0)), tc.rule, tc.reason)
			var ce *screening.ClearError
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("cleared twice", func(t *testing.T) {
		rec := newRecord(t, sc, onThinner)
		clear(t, sc, &rec, "blood-thinners", "prescriber-approved-pause", days(1))
		_, _, err := screening.CheckClearance(rs, sc.Review(&rec, days(1)), "blood-thinners", "physician-cleared")
		assert.ErrorContains(t, err, "cleared already, by Dr Ruiz on 2026-03-04")
	})
}

// TestClearanceUnderAnotherRuleSet: a clearance holds only under the rule
// set it was made under; checked under another, the finding is back.
func TestClearanceUnderAnotherRuleSet(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	rec := newRecord(t, sc, onThinner)
	clear(t, sc, &rec, "blood-thinners", "prescriber-approved-pause", days(1))
	require.Equal(t, rules.Eligible, sc.Review(&rec, days(1)).Verdict)

	other, err := rules.Parse("clinic.yaml", append(rules.DefaultSource(), []byte("\n# the clinic's copy\n")...))
	require.NoError(t, err)
	res := screening.NewScreener(other, screening.Options{Keys: clinicKeys}).Review(&rec, days(1))
	assert.Equal(t, rules.NeedsReview, res.Verdict)
	require.Len(t, res.Clearances, 1)
	assert.False(t, res.Clearances[0].Applies)
	assert.Contains(t, res.Clearances[0].NotApplied, "made under rule set mesotherapy-default version 1 (sha256 "+rs.SHA256[:12])
	for _, f := range res.Findings {
		assert.Nil(t, f.Cleared, f.Rule)
	}
}

func TestValidForDays(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	healthy := answersWith(onThinner, "blood_thinners", "no", "blood_thinner_name", nil)
	rec := newRecord(t, sc, healthy)
	tests := []struct {
		name string
		at   time.Time
		want rules.Level
		msg  string
	}{
		{"the day of the screening", days(0), rules.Eligible, ""},
		{"30 days later still holds", days(30).Add(13 * time.Hour), rules.Eligible, ""},
		{"31 days later needs a re-screen", days(31), rules.NeedsReview, "screened on 2026-03-03, 31 days ago: re-screen before treatment (a screening holds for 30 days)"},
		{"a check for a day before the screening", days(-1), rules.NeedsReview, "after 2026-03-02, the day this check is for"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sc.Review(&rec, tc.at)
			assert.Equal(t, tc.want, res.Verdict)
			if tc.msg == "" {
				for _, f := range res.Findings {
					assert.NotEqual(t, screening.RuleRescreenDue, f.Rule)
				}
				return
			}
			require.NotEmpty(t, res.Findings)
			assert.Equal(t, screening.RuleRescreenDue, res.Findings[0].Rule)
			assert.Contains(t, res.Findings[0].Message, tc.msg)
		})
	}
	t.Run("a re-screen starts the days again", func(t *testing.T) {
		rec := newRecord(t, sc, healthy)
		a := screening.Parse(rs, rec.LatestAnswers())
		require.NoError(t, rec.Rescreen(a, sc.Evaluate(a), nil, days(25), "test", signerOf("anna")))
		assert.Equal(t, rules.Eligible, sc.Review(&rec, days(50)).Verdict)
		assert.Equal(t, rules.NeedsReview, sc.Review(&rec, days(56)).Verdict)
	})
}

// TestEveryEditedByteBreaksVerify changes each byte of a record in turn:
// VerifyFile finds every one, and Verify every one that changes what the
// record holds rather than its layout. The results leave out the
// instructions, to keep the record, and the test, short.
func TestEveryEditedByteBreaksVerify(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{FindingsOnly: true})
	rec := newRecord(t, sc, onThinner)
	clear(t, sc, &rec, "blood-thinners", "prescriber-approved-pause", days(1))
	b, err := rec.Marshal()
	require.NoError(t, err)
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, b))
	for i := range b {
		edited := bytes.Clone(b)
		edited[i] ^= 0x01 // "a" to "`", "1" to "0", a space to "!", "\n" to a control
		back, err := screening.ReadSavedRecord(edited)
		if err != nil {
			continue // no longer a record at all: that is found too
		}
		assert.Error(t, back.VerifyFile(clinicKeys), "byte %d (%q) edited, and VerifyFile did not notice", i, b[i])
		var c bytes.Buffer
		if json.Compact(&c, edited) == nil && !bytes.Equal(c.Bytes(), compact.Bytes()) {
			assert.Error(t, back.Verify(clinicKeys), "byte %d (%q) edited, and Verify did not notice", i, b[i])
		}
	}
}

func TestVerifyNamesTheBreak(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	rec := newRecord(t, sc, onThinner)
	clear(t, sc, &rec, "blood-thinners", "prescriber-approved-pause", days(1))
	a := screening.Parse(rs, rec.LatestAnswers())
	require.NoError(t, rec.Rescreen(a, sc.Evaluate(a), nil, days(8), "test", signerOf("anna")))
	b, err := rec.Marshal()
	require.NoError(t, err)
	tests := []struct {
		name, from, to string
		nth            int // which occurrence of from to edit, from 1
		event          int
		want           string
	}{
		{"the first screening's answers", `"age": 52`, `"age": 25`, 2, 2, "event 2 (cleared"},
		{"who cleared", `"by": "Dr Ruiz"`, `"by": "Dr Ruis"`, 1, 3, "event 3 (rescreened"},
		{"the last event", `"at": "2026-03-11T10:00:00Z"`, `"at": "2026-03-12T10:00:00Z"`, 1, 3, "the record's seal"},
		{"the summary", `"screened_at": "2026-03-11T10:00:00Z"`, `"screened_at": "2026-03-31T10:00:00Z"`, 1, 3, "the summary above the events"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := -1
			for range tc.nth {
				i := bytes.Index(b[at+1:], []byte(tc.from))
				require.GreaterOrEqual(t, i, 0, tc.from)
				at += 1 + i
			}
			edited := append(append(bytes.Clone(b[:at]), tc.to...), b[at+len(tc.from):]...)
			back, err := screening.ReadSavedRecord(edited)
			require.NoError(t, err)
			err = back.VerifyFile(clinicKeys)
			var ce *screening.ChainError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.event, ce.Event)
			assert.Contains(t, err.Error(), tc.want)
			res := sc.Review(&back, days(8))
			assert.Equal(t, rules.NeedsReview, res.Verdict, "a record that does not verify is never cleared")
			assert.Contains(t, ruleIDs(res), screening.RuleRecordAltered)
			require.Len(t, res.Clearances, 1)
			assert.False(t, res.Clearances[0].Applies, "no clearance of a record that does not verify holds")
			assert.Contains(t, res.Clearances[0].NotApplied, "does not verify")
		})
	}
}

// A record saved before records were signed (format 1, no history; or
// format 2, a history without signatures) is not believed: it needs review
// whatever its answers say, and no clearance in it holds, until a
// clinician adopts it. The adoption is signed, and from it on the record
// verifies; a clearance from before it still does not hold.
func TestUnsignedRecordsAreAdopted(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	healthy := answersWith(onThinner, "blood_thinners", "no", "blood_thinner_name", nil)
	a := screening.Parse(rs, healthy)
	old := map[string]any{
		"kind": screening.RecordKind, "answers": a.Canonical(), "result": sc.Evaluate(a),
		"screened_at": day0.Format(time.RFC3339), "rule_set": screening.Ref(rs), "tool_version": "0.9", "clinician": "anna",
	}
	b, err := json.MarshalIndent(old, "", "  ")
	require.NoError(t, err)
	rec, err := screening.ReadSavedRecord(b)
	require.NoError(t, err)
	assert.ErrorIs(t, rec.Verify(clinicKeys), screening.ErrUnsigned)
	res := sc.Review(&rec, days(2))
	assert.Equal(t, rules.NeedsReview, res.Verdict, "a healthy record that nobody signed is not believed")
	assert.Contains(t, ruleIDs(res), screening.RuleRecordAltered)

	require.NoError(t, rec.Adopt(screening.Parse(rs, rec.LatestAnswers()), sc.Evaluate(a), days(2), "test", signerOf("anna")))
	require.Len(t, rec.Events, 2, "the old record becomes the first event, the adoption the second")
	assert.Equal(t, screening.EventAdopted, rec.Events[1].Event)
	assert.Equal(t, "anna", rec.Events[1].By)
	rec = reread(t, rec)
	assert.Equal(t, rules.Eligible, sc.Review(&rec, days(2)).Verdict)
	assert.ErrorContains(t, rec.Verify(trust("Dr Ruiz")), "which the clinic does not trust")
}

// A forger who can write the record file, but holds no trusted key, cannot
// make an edit verify: not by sealing it anew, not by signing it with a
// key of their own, not by stripping the signatures (a downgrade to format
// 2 or 1).
func TestForgedRecordsDoNotVerify(t *testing.T) {
	rs := defaultRules(t)
	sc := screening.NewScreener(rs, screening.Options{Keys: clinicKeys})
	pregnant := answersWith(onThinner, "pregnant", "yes")
	rec := reread(t, newRecord(t, sc, pregnant))
	require.Equal(t, rules.NotEligible, sc.Review(&rec, days(1)).Verdict)

	edit := func(data []byte) screening.SavedRecord {
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m))
		ans := m["answers"].(map[string]any)
		ans["pregnant"] = "no"
		ev := m["events"].([]any)[0].(map[string]any)
		ev["answers"].(map[string]any)["pregnant"] = "no"
		out, err := json.Marshal(m)
		require.NoError(t, err)
		back, err := screening.ReadSavedRecord(out)
		require.NoError(t, err)
		return back
	}
	data, err := rec.Marshal()
	require.NoError(t, err)
	// A new record with the forged answers, signed by a key nobody
	// trusts, and by a trusted name on it.
	a := screening.Parse(rs, answersWith(onThinner, "pregnant", "no"))
	mallory, err := screening.NewSavedRecord(a, sc.Evaluate(a), day0, "test", screening.Signer{Name: "anna", Key: signerOf("mallory").Key})
	require.NoError(t, err)
	// The same with the signatures stripped: format 2, then format 1.
	var stripped map[string]any
	mb, _ := mallory.Marshal()
	require.NoError(t, json.Unmarshal(mb, &stripped))
	stripped["format"] = 2
	for _, e := range stripped["events"].([]any) {
		delete(e.(map[string]any), "key_id")
		delete(e.(map[string]any), "signature")
	}
	s2, _ := json.Marshal(stripped)
	v1 := map[string]any{"kind": screening.RecordKind, "answers": a.Canonical(), "result": sc.Evaluate(a),
		"screened_at": day0.Format(time.RFC3339), "rule_set": screening.Ref(rs), "tool_version": "test", "clinician": "anna"}
	s1, _ := json.Marshal(v1)

	for name, forged := range map[string]func() screening.SavedRecord{
		"answers edited":             func() screening.SavedRecord { return edit(data) },
		"signed by an untrusted key": func() screening.SavedRecord { return mallory },
		"signatures stripped (fmt 2)": func() screening.SavedRecord {
			r, err := screening.ReadSavedRecord(s2)
			require.NoError(t, err)
			return r
		},
		"downgraded to format 1": func() screening.SavedRecord {
			r, err := screening.ReadSavedRecord(s1)
			require.NoError(t, err)
			return r
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := forged()
			assert.Error(t, r.Verify(clinicKeys))
			res := sc.Review(&r, days(1))
			assert.False(t, res.Verdict.AllowsTreatment(), "%s", res.Verdict)
			assert.Contains(t, ruleIDs(res), screening.RuleRecordAltered)
		})
	}
}
