package screening_test

import (
	"testing"

	"github.com/mesoscreen/mesoscreen/screening"
)

// FuzzSavedRecord reads any bytes as a saved record: reading never panics,
// and a record whose history does not verify has no clearance that
// counts, so an edited file can never clear a finding.
func FuzzSavedRecord(f *testing.F) {
	rs := defaultRules(f)
	sc := screening.NewScreener(rs, screening.Options{FindingsOnly: true})
	a := screening.Parse(rs, onThinner)
	rec, err := screening.NewSavedRecord(a, sc.Evaluate(a), day0, "test", signerOf("anna"))
	if err != nil {
		f.Fatal(err)
	}
	res := sc.Review(&rec, days(1))
	fd, cr, err := screening.CheckClearance(rs, res, "blood-thinners", "prescriber-approved-pause")
	if err != nil {
		f.Fatal(err)
	}
	if err := rec.Clear(fd, cr, screening.Ref(rs), "", nil, days(1), "test", signerOf("Dr Ruiz")); err != nil {
		f.Fatal(err)
	}
	b, err := rec.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"kind": "mesoscreen.record", "answers": {}, "result": {}}`))
	f.Add([]byte(`{"kind": "mesoscreen.record", "format": 2, "answers": {}, "events": [{"event": "cleared"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := screening.ReadSavedRecord(data)
		if err != nil {
			return
		}
		res := sc.Review(&rec, days(2))
		if rec.Verify(clinicKeys) == nil {
			return
		}
		for _, c := range res.Clearances {
			if c.Applies {
				t.Fatalf("a record that does not verify clears %s", c.Finding)
			}
		}
		for _, fd := range res.Findings {
			if fd.Cleared != nil {
				t.Fatalf("a record that does not verify shows %s as cleared", fd.Rule)
			}
		}
	})
}
