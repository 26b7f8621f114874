package batch_test

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/batch"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

func screener(t *testing.T) *screening.Screener {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return screening.NewScreener(rs, screening.Options{FindingsOnly: true})
}

// patient is a complete intake: healthy, or, when n is a multiple of 3,
// pregnant, and when a multiple of 5, on a blood thinner; so that results
// differ from record to record and order shows.
func patient(name, id string, n int) intake.Record {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	fields := map[string]string{
		"patient_id": id, "age": strconv.Itoa(20 + n%50), "pregnant": yes(n%3 == 0), "breastfeeding": "no",
		"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
		"diabetes": "none", "heart_medications": "0", "blood_thinners": yes(n%5 == 0),
		"active_infection": "no", "skin_condition": "no", "allergies": "no", "treatment_areas": "face",
		"goal": "pores",
	}
	rec := intake.Record{Source: fmt.Sprintf("%s:%d", name, n+1)}
	for k, v := range fields {
		rec.Fields = append(rec.Fields, intake.Field{ID: k, Value: v})
	}
	return rec
}

// records yields the given records, then err if it is not nil.
func records(recs []intake.Record, err error) iter.Seq2[intake.Record, error] {
	return func(yield func(intake.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(intake.Record{}, err)
		}
	}
}

// generated makes n records of file name, with patient ids P-0, P-1, ...
func generated(name string, n int) []intake.Record {
	recs := make([]intake.Record, n)
	for i := range recs {
		recs[i] = patient(name, "P-"+strconv.Itoa(i), i)
	}
	return recs
}

func collect(t *testing.T, sc *screening.Screener, files []batch.File, opts batch.Options) ([]screening.Result, error) {
	t.Helper()
	var out []screening.Result
	for r, err := range batch.Screen(sc, files, opts) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// One result per record, in input order, with the record's own verdict,
// whatever the number of workers; each the same as screening the record
// alone.
func TestScreenInOrder(t *testing.T) {
	sc := screener(t)
	recs := generated("a.csv", 1000)
	for _, workers := range []int{0, 1, 3, 8} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			got, err := collect(t, sc, []batch.File{{Name: "a.csv", Records: records(recs, nil)}}, batch.Options{Workers: workers})
			require.NoError(t, err)
			require.Len(t, got, len(recs))
			for i, r := range got {
				want := sc.Evaluate(recs[i].Answers(sc.RuleSet()))
				want.Source = recs[i].Source
				require.Equal(t, want, r, "record %d", i)
			}
		})
	}
}

// A record that could not be read gets a needs_review result in its place;
// the records around it are screened as usual.
func TestScreenUnreadable(t *testing.T) {
	sc := screener(t)
	recs := generated("a.csv", 5)
	recs[2] = intake.Record{Source: "a.csv:3", Err: errors.New("found 2 cells, expected 17")}
	got, err := collect(t, sc, []batch.File{{Name: "a.csv", Records: records(recs, nil)}}, batch.Options{})
	require.NoError(t, err)
	require.Len(t, got, 5)
	assert.Equal(t, rules.NeedsReview, got[2].Verdict)
	require.Len(t, got[2].Findings, 1)
	assert.Equal(t, screening.RuleUnreadable, got[2].Findings[0].Rule)
	assert.Equal(t, "a.csv:3: the record could not be read: found 2 cells, expected 17", got[2].Findings[0].Message)
	assert.Equal(t, "P-3", got[3].PatientID)
}

// A patient id seen earlier in the batch, in the same file or another,
// flags the later record only, naming where the id was first seen.
func TestScreenDuplicatePatients(t *testing.T) {
	sc := screener(t)
	a := generated("a.csv", 10)
	b := generated("b.jsonl", 3) // P-0, P-1, P-2 again
	a[7] = patient("a.csv", " P-4 ", 7)
	got, err := collect(t, sc, []batch.File{
		{Name: "a.csv", Records: records(a, nil)},
		{Name: "b.jsonl", Records: records(b, nil)},
	}, batch.Options{Workers: 2})
	require.NoError(t, err)
	require.Len(t, got, 13)
	dup := func(r screening.Result) *screening.Finding {
		for i, f := range r.Findings {
			if f.Rule == screening.RuleDuplicateID {
				return &r.Findings[i]
			}
		}
		return nil
	}
	for i, r := range got {
		switch i {
		case 7, 10, 11, 12:
			f := dup(r)
			require.NotNil(t, f, "record %d", i)
			assert.GreaterOrEqual(t, r.Verdict.Severity(), rules.NeedsReview.Severity(), "record %d", i)
			assert.Equal(t, "patient_id", f.Field)
		default:
			assert.Nil(t, dup(r), "record %d", i)
		}
	}
	assert.Equal(t, `patient_id "P-4" was already used by record 5 of a.csv; check which intake is this patient's`, dup(got[7]).Message)
	assert.Equal(t, `patient_id "P-0" was already used by record 1 of a.csv; check which intake is this patient's`, dup(got[10]).Message)
	assert.Equal(t, rules.NotEligible, got[10].Verdict, "P-0 is pregnant: the duplicate does not hide that")
	assert.Equal(t, rules.NeedsReview, got[11].Verdict, "a healthy record is needs_review once its id was seen")
	assert.Equal(t, "needs_review", string(got[11].Findings[0].Level))
}

// A failure to read stops the batch after the results of the records read
// before it.
func TestScreenReadError(t *testing.T) {
	sc := screener(t)
	broken := errors.New("b.csv: cannot read: disk on fire")
	got, err := collect(t, sc, []batch.File{
		{Name: "a.csv", Records: records(generated("a.csv", 200), nil)},
		{Name: "b.csv", Records: records(generated("b.csv", 3), broken)},
		{Name: "c.csv", Records: records(generated("c.csv", 3), nil)},
	}, batch.Options{Workers: 3})
	assert.ErrorIs(t, err, broken)
	assert.Len(t, got, 203)
}

// A caller that stops early ends the batch; the workers and the reader end
// too, and what they were given is not read further.
func TestScreenStopsEarly(t *testing.T) {
	sc := screener(t)
	read := 0
	counting := func(yield func(intake.Record, error) bool) {
		for i := 0; i < 100_000; i++ {
			read++
			if !yield(patient("big.csv", "P-"+strconv.Itoa(i), i), nil) {
				return
			}
		}
	}
	n := 0
	for _, err := range batch.Screen(sc, []batch.File{{Name: "big.csv", Records: counting}}, batch.Options{Workers: 2}) {
		require.NoError(t, err)
		if n++; n == 10 {
			break
		}
	}
	assert.Equal(t, 10, n)
	assert.Less(t, read, 100_000, "reading stopped with the caller")
}

// Progress counts the results handed out, and Unknown names each ignored
// field once.
func TestScreenCallbacks(t *testing.T) {
	sc := screener(t)
	recs := generated("a.csv", 300)
	for i := range recs {
		recs[i].Fields = append(recs[i].Fields, intake.Field{ID: "favourite_colour", Value: "blue"})
	}
	var progress []int
	var unknown []string
	got, err := collect(t, sc, []batch.File{{Name: "a.csv", Records: records(recs, nil)}}, batch.Options{
		Progress: func(done int) { progress = append(progress, done) },
		Unknown:  func(f string) { unknown = append(unknown, f) },
	})
	require.NoError(t, err)
	require.Len(t, got, 300)
	require.NotEmpty(t, progress)
	assert.IsIncreasing(t, progress)
	assert.Equal(t, 300, progress[len(progress)-1])
	assert.Equal(t, []string{"favourite_colour"}, unknown)
}

// One patient's identifier written four ways is one patient: the later
// three records are flagged, each naming its identifier as written.
func TestScreenDuplicatePatientsSpelledApart(t *testing.T) {
	sc := screener(t)
	ids := []string{"DUP-1", "dup-1", "\uFEFFDUP-1", "DUP\u20111", "DUP-2"}
	var recs []intake.Record
	for i, id := range ids {
		recs = append(recs, patient("a.csv", id, 1+3*i+1)) // none pregnant
	}
	got, err := collect(t, sc, []batch.File{{Name: "a.csv", Records: records(recs, nil)}}, batch.Options{Workers: 2})
	require.NoError(t, err)
	require.Len(t, got, len(ids))
	for i, r := range got {
		var dup *screening.Finding
		for k, f := range r.Findings {
			if f.Rule == screening.RuleDuplicateID {
				dup = &r.Findings[k]
			}
		}
		if i == 0 || i == 4 {
			assert.Nil(t, dup, "%q", ids[i])
			continue
		}
		if assert.NotNil(t, dup, "%q", ids[i]) {
			assert.Equal(t, ids[i], dup.Value)
			assert.Contains(t, dup.Message, "record 1 of a.csv")
			assert.Equal(t, rules.NeedsReview, r.Verdict)
		}
	}
}
