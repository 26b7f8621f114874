package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// savedIntake screens the JSON intake changes make of healthy.json and
// saves it signed by anna, as interview --save does.
func savedIntake(t *testing.T, dir string, changes map[string]any) string {
	t.Helper()
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(data, &fields))
	for k, v := range changes {
		fields[k] = v
	}
	from := filepath.Join(dir, "intake.json")
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(from, b, 0o600))
	rec := filepath.Join(dir, "MS-1001.json")
	r := runMain(t, strings.Repeat("\n", 4), nil, "interview", "--accessible", "--from", from, "--save", rec, "--clinician", "anna")
	require.Contains(t, []int{exitOK, exitFindings}, r.code, r.err)
	return rec
}

// A clinician's signature is what makes a record believed. Someone who
// can write the file but holds no trusted key cannot make an edit pass:
// not by writing a new, well-formed history (what a script that
// recomputes every hash makes) under a trusted name, not by adding a
// clearance signed with a key of their own, not by stripping the
// signatures. Each is refused by record verify, naming the event, and
// screened by check and handout as needing review, never as the answers
// say.
func TestForgedRecordsAreNotBelieved(t *testing.T) {
	dir := t.TempDir()
	pregnant := savedIntake(t, dir, map[string]any{"pregnant": "yes"})
	thinner := savedIntake(t, t.TempDir(), map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban"})
	rs, err := rules.Default()
	require.NoError(t, err)
	sc := screening.NewScreener(rs, screening.Options{})
	_, mallory, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)

	forge := map[string]func() []byte{
		"a new history under a trusted name": func() []byte {
			var fields map[string]any
			data, _ := os.ReadFile(repoFile("examples", "healthy.json"))
			require.NoError(t, json.Unmarshal(data, &fields))
			a := screening.Parse(rs, fields)
			rec, err := screening.NewSavedRecord(a, sc.Evaluate(a), time.Now(), "test", screening.Signer{Name: "anna", Key: mallory})
			require.NoError(t, err)
			b, err := rec.Marshal()
			require.NoError(t, err)
			return b
		},
		"a clearance signed by an untrusted key": func() []byte {
			data, err := os.ReadFile(thinner)
			require.NoError(t, err)
			rec, err := screening.ReadSavedRecord(data)
			require.NoError(t, err)
			f, cr, err := screening.CheckClearance(rs, sc.Review(&rec, time.Now()), "blood-thinners", "prescriber-approved-pause")
			require.NoError(t, err)
			require.NoError(t, rec.Clear(f, cr, screening.Ref(rs), "", nil, time.Now(), "test", screening.Signer{Name: "Dr Forged Prescriber", Key: mallory}))
			b, err := rec.Marshal()
			require.NoError(t, err)
			return b
		},
		"the signatures stripped, pregnant made no (format 1)": func() []byte {
			data, err := os.ReadFile(pregnant)
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(data, &m))
			delete(m, "format")
			delete(m, "events")
			delete(m, "sha256")
			m["answers"].(map[string]any)["pregnant"] = "no"
			b, err := json.Marshal(m)
			require.NoError(t, err)
			return b
		},
	}
	for name, make := range forge {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "forged.json")
			require.NoError(t, os.WriteFile(path, make(), 0o600))

			r := runMain(t, "", nil, "record", "verify", path)
			assert.Equal(t, exitFindings, r.code, r.out+r.err)
			assert.Contains(t, r.out, "BROKEN")
			assert.Regexp(t, `event \d|before records were signed`, r.out, "names the event")

			r = runMain(t, "", nil, "check", "--format", "csv", path)
			assert.Equal(t, exitFindings, r.code, r.err)
			assert.Contains(t, r.out, "record-altered")
			assert.NotContains(t, r.out, ",eligible,")

			out := filepath.Join(t.TempDir(), "handout.html")
			r = runMain(t, "", nil, "handout", path, "-o", out)
			if r.code == exitOK || r.code == exitFindings {
				b, err := os.ReadFile(out)
				require.NoError(t, err)
				assert.NotContains(t, string(b), "You can go ahead")
			}

			r = runMain(t, "", nil, "clear", path, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr A. Ruiz")
			assert.Equal(t, exitError, r.code, "nothing is added to a record that does not verify")
			assert.Contains(t, r.err, "does not verify")
		})
	}
}

// A record saved before records were signed is adopted: re-screened and
// signed by the adopting clinician, after which it verifies; a changed
// one is refused.
func TestRecordAdopt(t *testing.T) {
	dir := t.TempDir()
	rec := savedIntake(t, dir, nil)
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	delete(m, "format")
	delete(m, "events")
	delete(m, "sha256")
	old, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rec, old, 0o600))

	r := runMain(t, "", nil, "check", rec)
	assert.Equal(t, exitFindings, r.code)
	assert.Contains(t, r.out, "NEEDS REVIEW")

	r = runMain(t, "", nil, "record", "adopt", rec, "--by", "Dr A. Ruiz")
	assert.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.err, "adopted "+rec+", signed by Dr A. Ruiz")
	assert.Contains(t, r.out, "ELIGIBLE")

	r = runMain(t, "", nil, "record", "verify", rec)
	assert.Equal(t, exitOK, r.code, r.out)
	assert.Contains(t, r.out, "OK, 2 events signed by Dr A. Ruiz")

	r = runMain(t, "", nil, "record", "adopt", rec, "--by", "Dr A. Ruiz")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "nothing to adopt")
}

// Two clinicians clear two findings of one record at the same moment, 50
// times, each through the binary in a process of its own: every clearance
// is in the record afterwards, and the record verifies.
func TestSimultaneousClearsLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("100 processes")
	}
	env := func(name string) []string {
		getenv := testEnv([]string{"--by", name}, nil)
		return append(os.Environ(), "MESOSCREEN_TEST_MAIN=1",
			"MESOSCREEN_SIGNING_KEY="+getenv("MESOSCREEN_SIGNING_KEY"), "MESOSCREEN_KEYS="+getenv("MESOSCREEN_KEYS"))
	}
	// Trust both keys first, so that neither run writes the trusted keys.
	testSigner(t, "Dr A. Ruiz")
	testSigner(t, "Dr B. Okafor")
	clear := func(rec, finding, reason, by string) error {
		cmd := exec.Command(os.Args[0], "clear", rec, "--finding", finding, "--reason", reason, "--by", by)
		cmd.Env = env(by)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == exitFindings {
			return nil // cleared; another finding still needs review
		}
		if err != nil {
			return fmt.Errorf("%s: %w: %s", finding, err, out)
		}
		return nil
	}
	for i := range 50 {
		rec := savedIntake(t, t.TempDir(), map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban",
			"allergies": "yes", "allergy_details": "a rash after a previous session"})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs[0] = clear(rec, "blood-thinners", "prescriber-approved-pause", "Dr A. Ruiz")
		}()
		go func() { defer wg.Done(); errs[1] = clear(rec, "allergies", "allergy-assessed", "Dr B. Okafor") }()
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err, "pair %d", i)
		}
		data, err := os.ReadFile(rec)
		require.NoError(t, err)
		got, err := screening.ReadSavedRecord(data)
		require.NoError(t, err)
		var cleared []string
		for _, e := range got.Events {
			if e.Event == screening.EventCleared {
				cleared = append(cleared, e.Finding+" by "+e.By)
			}
		}
		require.ElementsMatch(t, []string{"blood-thinners by Dr A. Ruiz", "allergies by Dr B. Okafor"}, cleared, "pair %d", i)
		require.NoError(t, got.VerifyFile(testKeyring(t)), "pair %d", i)
	}
}

// The first signature makes the clinician's key and trusts it in their
// own list; a colleague's key is trusted with "key trust" from what "key
// show" printed; a name that is not the one the key is trusted as is
// refused; with the clinic's shared list, a key nobody trusted is refused,
// not trusted by itself.
func TestKeysFirstUseShowTrust(t *testing.T) {
	home := t.TempDir()
	own := map[string]string{"XDG_CONFIG_HOME": home, "MESOSCREEN_SIGNING_KEY": "", "MESOSCREEN_KEYS": ""}
	dir := t.TempDir()
	from := filepath.Join(dir, "intake.json")
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(from, data, 0o600))
	rec := filepath.Join(dir, "rec.json")

	r := runMain(t, strings.Repeat("\n", 4), own, "interview", "--accessible", "--from", from, "--save", rec, "--clinician", "Anna Berg")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.err, "which signs your records:\n"+filepath.Join(home, "mesoscreen", "signing-key.pem"))
	assert.Contains(t, r.err, `as "Anna Berg" in `+filepath.Join(home, "mesoscreen", "trusted-keys.yaml"))
	st, err := os.Stat(filepath.Join(home, "mesoscreen", "signing-key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	r = runMain(t, "", own, "record", "verify", rec)
	assert.Equal(t, exitOK, r.code, r.out)
	assert.Contains(t, r.out, "signed by Anna Berg")

	r = runMain(t, "", own, "clear", rec, "--finding", "x", "--reason", "y", "--by", "Someone Else")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, `is trusted as "Anna Berg", not "Someone Else"`)

	// Dr Okafor, on her own account, makes her key and gives it.
	okafor := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "MESOSCREEN_SIGNING_KEY": "", "MESOSCREEN_KEYS": ""}
	r = runMain(t, "", okafor, "key", "show")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.out, "-----BEGIN PUBLIC KEY-----")
	assert.Contains(t, r.err, "not trusted by this clinic yet")
	j := runMain(t, "", okafor, "key", "show", "--format", "json")
	require.Equal(t, exitOK, j.code, j.err)
	var shown struct {
		ID        string `json:"key_id"`
		TrustedAs string `json:"trusted_as"`
		PublicKey string `json:"public_key"`
	}
	require.NoError(t, json.Unmarshal([]byte(j.out), &shown), j.out)
	assert.Equal(t, r.out, shown.PublicKey, "the same key as the text")
	assert.Regexp(t, `^ed25519:[0-9a-f]{16}$`, shown.ID)
	assert.Empty(t, shown.TrustedAs)
	pub := filepath.Join(dir, "okafor.pub")
	require.NoError(t, os.WriteFile(pub, []byte(r.out), 0o600))

	r = runMain(t, "", own, "key", "trust", pub, "--name", "Dr Sam Okafor", "--role", "prescriber")
	require.Equal(t, exitOK, r.code, r.err)
	assert.Contains(t, r.err, `trusted key ed25519:`)
	r = runMain(t, "", own, "key", "trust", pub, "--name", "Dr S. Okafor")
	assert.Equal(t, exitError, r.code, "one name per key")

	// With a shared list, a key the clinic lead did not add is refused.
	shared := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "MESOSCREEN_SIGNING_KEY": "",
		"MESOSCREEN_KEYS": filepath.Join(home, "mesoscreen", "trusted-keys.yaml")}
	r = runMain(t, "", shared, "record", "adopt", rec, "--by", "Mallory")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "is not among the keys the clinic trusts")
}

// The --report page is for whoever fixes the intake form: an answer it
// could not read may be anything a patient typed, so it says only its
// length and kind, never its words.
func TestReportCopiesNoUnreadText(t *testing.T) {
	line := healthyLine(t, "P-1", map[string]any{"age": "Jane Doe 1985-04-03", "pregnant": "Jane's sister", "goal": "call 07700 900123"})
	report := filepath.Join(t.TempDir(), "report.html")
	r := runMain(t, line+"\n", nil, "check", "--input", "jsonl", "--report", report, "-")
	require.Equal(t, exitFindings, r.code, r.err)
	page, err := os.ReadFile(report)
	require.NoError(t, err)
	for _, secret := range []string{"Jane", "1985", "sister", "07700"} {
		assert.NotContains(t, string(page), secret)
	}
	assert.Contains(t, string(page), "a 19-character text with digits that is not a whole number")
}

// A copy of a record put back from before a later event verifies on its
// own; the clinic's journal beside it says a later event exists, and the
// record is not believed: a re-screen that found a pregnancy cannot be
// undone by restoring the earlier file.
func TestRollbackIsDetected(t *testing.T) {
	dir := t.TempDir()
	rec := savedIntake(t, dir, nil)
	r := runMain(t, "", nil, "check", rec)
	require.Equal(t, exitOK, r.code, r.out+r.err)
	backup, err := os.ReadFile(rec)
	require.NoError(t, err)

	// The re-screen: pregnant now (1), the rest kept (k), no reaction and
	// no other change in health (2, 2).
	r = runMain(t, "1\n"+strings.Repeat("k\n", 6)+"2\n2\n\n", nil, "interview", "--accessible", "--recheck", rec, "--clinician", "anna")
	require.Equal(t, exitFindings, r.code, r.err)
	r = runMain(t, "", nil, "check", "--format", "csv", rec)
	require.Contains(t, r.out, "not_eligible")

	require.NoError(t, os.WriteFile(rec, backup, 0o600))
	r = runMain(t, "", nil, "check", "--format", "csv", rec)
	assert.Equal(t, exitFindings, r.code)
	assert.Contains(t, r.out, "needs_review")
	assert.Contains(t, r.out, "record-altered")
	assert.Contains(t, r.out, "a later event exists: rescreened")

	r = runMain(t, "", nil, "record", "verify", rec)
	assert.Equal(t, exitFindings, r.code)
	assert.Contains(t, r.out, "BROKEN: a later event exists")

	out := filepath.Join(t.TempDir(), "handout.html")
	r = runMain(t, "", nil, "handout", rec, "-o", out)
	require.Contains(t, []int{exitOK, exitFindings}, r.code, r.err)
	page, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.NotContains(t, string(page), "You can go ahead")

	r = runMain(t, "", nil, "clear", rec, "--finding", "x", "--reason", "y", "--by", "anna")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.err, "a later event exists")

	// A journal line changed breaks the journal: every record it names
	// needs review.
	jp := filepath.Join(dir, journalFile)
	j, err := os.ReadFile(jp)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(jp, []byte(strings.Replace(string(j), `"events":2`, `"events":1`, 1)), 0o600))
	r = runMain(t, "", nil, "record", "verify", rec)
	assert.Equal(t, exitFindings, r.code)
	assert.Contains(t, r.out, "journal line")
}

// The mapping draft is a file the clinic passes around: an answer one
// patient typed (a name with a date of birth, a phone number, a sentence)
// is said by its length and kind, never copied; the form's own answers,
// and short ones such as "3 or more", are listed to be mapped.
func TestMappingDraftCopiesNoTypedText(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export.csv")
	require.NoError(t, os.WriteFile(export, []byte("Patient ID,Are you pregnant?,How many heart medicines?\n"+
		"P-1,No,0\nP-2,Yes,3 or more\nP-3,Jane Doe born 1985-04-03,0\nP-4,ring me on 07700 900123,0\n"+
		"P-5,I am not sure whether this counts as a pregnancy question really,0\nP-6,Trying for a baby,0\n"), 0o600))
	r := runMain(t, "", nil, "template", "mapping", export)
	require.Equal(t, exitOK, r.code, r.err)
	for _, secret := range []string{"Jane", "1985", "07700", "whether this counts"} {
		assert.NotContains(t, r.out, secret)
	}
	assert.Contains(t, r.out, "a 24-character text with digits, in 1 row: not copied here")
	assert.Contains(t, r.out, `"Trying for a baby": ""`, "a short answer is listed to be mapped")
	assert.Contains(t, r.out, `"3 or more": ""`)
}

// The config file's journal: keeps one journal for records in any
// folder: it gets the lines, and still finds a record put back.
func TestJournalFromTheConfigFile(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "mesoscreen"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, "mesoscreen", "config.yaml"), []byte("journal: clinic-journal.jsonl\n"), 0o600))
	env := map[string]string{"XDG_CONFIG_HOME": home}
	dir := t.TempDir()
	data, err := os.ReadFile(repoFile("examples", "healthy.json"))
	require.NoError(t, err)
	from := filepath.Join(dir, "intake.json")
	require.NoError(t, os.WriteFile(from, data, 0o600))
	rec := filepath.Join(dir, "rec.json")
	r := runMain(t, strings.Repeat("\n", 4), env, "interview", "--accessible", "--from", from, "--save", rec, "--clinician", "anna")
	require.Equal(t, exitOK, r.code, r.err)
	backup, err := os.ReadFile(rec)
	require.NoError(t, err)
	r = runMain(t, "1\n"+strings.Repeat("k\n", 6)+"2\n2\n\n", env, "interview", "--accessible", "--recheck", rec, "--clinician", "anna")
	require.Equal(t, exitFindings, r.code, r.err)

	assert.NoFileExists(t, filepath.Join(dir, journalFile))
	j, err := os.ReadFile(filepath.Join(home, "mesoscreen", "clinic-journal.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(j), "\n"), "one line per event")

	require.NoError(t, os.WriteFile(rec, backup, 0o600))
	r = runMain(t, "", env, "check", "--format", "csv", rec)
	assert.Contains(t, r.out, "a later event exists")
}

// The pause a prescriber approved reaches the patient: the clearance
// carries it, signed, and the handout says how long, in the patient's
// language; flags that make no pause are refused.
func TestClearancePauseReachesTheHandout(t *testing.T) {
	dir := t.TempDir()
	rec := savedIntake(t, dir, map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban"})
	for _, bad := range [][]string{{"--pause-days", "-1"}, {"--pause-days", "61"}, {"--restart-after", "24"}, {"--pause-days", "2", "--restart-after", "200"}} {
		r := runMain(t, "", nil, append([]string{"clear", rec, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause", "--by", "Dr A. Ruiz"}, bad...)...)
		assert.Equal(t, exitError, r.code, "%v", bad)
	}
	r := runMain(t, "", nil, "clear", rec, "--finding", "blood-thinners", "--reason", "prescriber-approved-pause",
		"--pause-days", "2", "--restart-after", "24", "--by", "Dr A. Ruiz")
	require.Equal(t, exitOK, r.code, r.err)
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"pause": {`)
	r = runMain(t, "", nil, "record", "verify", rec)
	assert.Equal(t, exitOK, r.code, r.out)

	for lang, want := range map[string]string{
		"en": "Stop it 2 days before each session. Start it again 24 hours after the session.",
		"es": "Deje de tomarlo 2 días antes de cada sesión. Vuelva a tomarlo 24 horas después de la sesión.",
		"fr": "Arrêtez-le 2 jours avant chaque séance. Reprenez-le 24 heures après la séance.",
	} {
		out := filepath.Join(t.TempDir(), "handout.html")
		r = runMain(t, "", nil, "handout", rec, "--lang", lang, "-o", out)
		require.Equal(t, exitOK, r.code, r.err)
		page, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Contains(t, html.UnescapeString(string(page)), want, lang)
	}
}

// record show of a copy put back from before a later event says so, in
// its history line and in the verdict.
func TestRecordShowFindsARollback(t *testing.T) {
	dir := t.TempDir()
	rec := savedIntake(t, dir, nil)
	backup, err := os.ReadFile(rec)
	require.NoError(t, err)
	r := runMain(t, "1\n"+strings.Repeat("k\n", 6)+"2\n2\n\n", nil, "interview", "--accessible", "--recheck", rec, "--clinician", "anna")
	require.Equal(t, exitFindings, r.code, r.err)
	require.NoError(t, os.WriteFile(rec, backup, 0o600))
	r = runMain(t, "", nil, "record", "show", rec)
	assert.Contains(t, r.out, "History: BROKEN: a later event exists")
	assert.Contains(t, r.out, "NEEDS REVIEW")
}

// A saved record read from stdin has no folder, so no journal can say
// whether a later event exists: it is not believed.
func TestSavedRecordFromAStreamIsNotBelieved(t *testing.T) {
	rec := savedIntake(t, t.TempDir(), nil)
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	r := runMain(t, "", nil, "check", "--format", "csv", rec)
	require.Equal(t, exitOK, r.code, r.out+r.err)
	r = runMain(t, string(data), nil, "check", "--format", "csv", "--input", "json", "-")
	assert.Equal(t, exitFindings, r.code)
	assert.Contains(t, r.out, "record-altered")
	assert.Contains(t, r.out, "read from a stream")
}

// The prescriber's letter gives what a prescriber needs to answer: lines
// for the patient's name and date of birth (which the record does not
// hold), every medicine with its dose as written, the planned course, and
// where to reply (the clinic's address, e-mail and fax from the config),
// in each language; the PDF holds all of it, on two pages at most.
func TestPrescriberLetterCanBeAnswered(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "mesoscreen"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, "mesoscreen", "config.yaml"), []byte("clinic:\n  name: Riverside Aesthetics\n  phone: 020 7946 0123\n"+
		"  address: 12 River Street, London\n  email: doctors@riverside.example\n  fax: 020 7946 0999\n"), 0o600))
	env := map[string]string{"XDG_CONFIG_HOME": home}
	rec := savedIntake(t, t.TempDir(), map[string]any{"blood_thinners": "yes", "blood_thinner_name": "apixaban",
		"medications": "Eliquis 5 mg twice a day, vitamin D 1000 IU", "goal": "cellulite"})
	for lang, want := range map[string][]string{
		"en": {"Patient's name", "Date of birth", "Eliquis 5 mg twice a day, vitamin D 1000 IU", "Planned course", "sessions",
			"Reply to", "12 River Street, London", "doctors@riverside.example", "fax 020 7946 0999"},
		"es": {"Nombre", "Fecha de nacimiento", "Eliquis 5 mg twice a day", "Tratamiento previsto", "Responder a"},
		"fr": {"Nom", "Date de naissance", "Eliquis 5 mg twice a day", "Traitement prévu", "Répondre à"},
	} {
		out := filepath.Join(t.TempDir(), "letter.html")
		r := runMain(t, "", env, "handout", rec, "--for", "prescriber", "--lang", lang, "-o", out)
		require.Equal(t, exitOK, r.code, r.err)
		page, err := os.ReadFile(out)
		require.NoError(t, err)
		for _, w := range want {
			assert.Contains(t, html.UnescapeString(string(page)), w, lang)
		}
		pdf := filepath.Join(t.TempDir(), "letter.pdf")
		r = runMain(t, "", env, "handout", rec, "--for", "prescriber", "--lang", lang, "-o", pdf)
		require.Equal(t, exitOK, r.code, r.err)
		b, err := os.ReadFile(pdf)
		require.NoError(t, err)
		pages := strings.Count(string(b), "/Type /Page") - strings.Count(string(b), "/Type /Pages")
		assert.LessOrEqual(t, pages, 2, "%s: the letter is two pages at most", lang)
		assert.Contains(t, string(b), "%PDF")
	}
}
