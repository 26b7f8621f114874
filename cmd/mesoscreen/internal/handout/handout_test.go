package handout

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

var patient = map[string]any{
	"patient_id": "MS-1001", "age": 52, "pregnant": "no", "breastfeeding": "no",
	"clotting_disorder": "no", "blood_clots": "no", "stroke": "no", "recent_cancer": "no",
	"diabetes": "none", "heart_medications": 0, "blood_thinners": "no",
	"active_infection": "no", "skin_condition": "no", "allergies": "no",
	"medications": "fish oil", "treatment_areas": []any{"thighs"}, "goal": "cellulite",
}

func with(kv ...any) map[string]any {
	m := map[string]any{}
	for k, v := range patient {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

var clinic = Clinic{Name: "Clinique Lumière – Rive Gauche", Phone: "+33 1 42 00 00 00"}

func input(t *testing.T, answers map[string]any) Input {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	a := screening.Parse(rs, answers)
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	return Input{Result: screening.NewScreener(rs, screening.Options{}).Evaluate(a), Answers: a, RuleSet: rs,
		Clinic: clinic, Date: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), Sessions: Sessions(start, 7*24*time.Hour, 6)}
}

// pdfText reads back the text of an uncompressed PDF that fpdf wrote with
// a UTF-8 font: each string shown (Tj) is UTF-16BE, with ( ) and \
// escaped. Lines are joined with spaces, so that wrapped text reads as
// written.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var words []string
	for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`).FindAllSubmatch(pdf, -1) {
		var raw []byte
		s := m[1]
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'r':
					raw = append(raw, '\r')
				case 'n':
					raw = append(raw, '\n')
				default:
					raw = append(raw, s[i])
				}
				continue
			}
			raw = append(raw, s[i])
		}
		require.Zero(t, len(raw)%2, "UTF-16 text has an even length")
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		words = append(words, string(utf16.Decode(u)))
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}

var reTag = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]+>`)

// htmlText is the text an HTML page shows, its spaces run together.
func htmlText(page []byte) string {
	return strings.Join(strings.Fields(html.UnescapeString(reTag.ReplaceAllString(string(page), " "))), " ")
}

func normal(s string) string { return strings.Join(strings.Fields(s), " ") }

// rendered gives the text of a handout as the PDF and as the HTML shows
// it.
func rendered(t *testing.T, pages []Page, date time.Time) map[string]string {
	t.Helper()
	var p, h bytes.Buffer
	require.NoError(t, writePDF(&p, pages, date, false))
	require.NoError(t, HTML(&h, "en", pages))
	return map[string]string{"pdf": pdfText(t, p.Bytes()), "html": htmlText(h.Bytes())}
}

func allInstructions(rs *rules.RuleSet) []string {
	var out []string
	in := rs.Instructions
	for _, l := range [][]*rules.Instruction{in.PreTreatment, in.Aftercare, in.Course} {
		for _, x := range l {
			if !strings.Contains(x.Text, "{") {
				out = append(out, x.Text)
			}
		}
	}
	return out
}

// TestPatientHandoutHoldsTheResult reads the handout back from the PDF
// and the HTML: it holds the record's own instructions, and nothing of
// another verdict.
func TestPatientHandoutHoldsTheResult(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]any
		verdict rules.Level
		holds   []string // besides the result's instructions
	}{
		{"eligible with precautions", with(), rules.EligibleWithPrecautions,
			[]string{"You can go ahead with mesotherapy.", "Session 6 Tuesday 14 April 2026", "Before each session", "After each session"}},
		{"needs review", with("blood_thinners", "yes", "blood_thinner_name", "apixaban"), rules.NeedsReview,
			[]string{"You take a blood thinner. Only its prescriber can say", "The clinic will contact you once this has been checked."}},
		{"defer", with("active_infection", "yes"), rules.Defer,
			[]string{"Your treatment has to wait for now.", "You have an infection at the moment.", "Call the clinic when the problem has cleared up"}},
		{"not eligible", with("pregnant", "yes"), rules.NotEligible,
			[]string{"Mesotherapy is not a safe treatment for you", "Mesotherapy is not given during pregnancy", "other treatments that may suit you"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, tc.answers)
			require.Equal(t, tc.verdict, in.Result.Verdict)
			p, err := Patient(in)
			require.NoError(t, err)
			own := append(append([]string{}, in.Result.PreTreatment...), tc.holds...)
			if tc.verdict.AllowsTreatment() {
				own = append(own, in.Result.Aftercare...)
			}
			for _, s := range in.Result.Course {
				own = append(own, s.Text)
			}
			for format, text := range rendered(t, []Page{p}, in.Date) {
				for _, s := range own {
					assert.Contains(t, text, normal(s), "%s lacks %q", format, s)
				}
				for _, s := range []string{"Clinique Lumière – Rive Gauche", "+33 1 42 00 00 00", "MS-1001", "3 March 2026", "Signature"} {
					assert.Contains(t, text, s, format)
				}
				// After a session only for a patient who may have one now:
				// not one who waits for a check, nor one who will not be
				// treated.
				after := []string{"After each session", "When to call the clinic", "You become pregnant", "after a session"}
				for _, s := range after {
					if !tc.verdict.AllowsTreatment() {
						assert.NotContains(t, text, s, "%s: nothing about a session that is not booked", format)
					} else {
						assert.Contains(t, text, s, format)
					}
				}
				// Nothing the result does not give: no other instruction,
				// no other verdict's words.
				for _, s := range allInstructions(in.RuleSet) {
					if !contains(own, s) {
						assert.NotContains(t, text, normal(s), "%s holds an instruction the result does not give", format)
					}
				}
				mine := in.RuleSet.Handout.Verdicts[tc.verdict]
				for l, words := range in.RuleSet.Handout.Verdicts {
					if l != tc.verdict && !strings.Contains(mine, words) {
						assert.NotContains(t, text, normal(words), "%s holds the words of verdict %s", format, l)
					}
				}
				if !tc.verdict.AllowsTreatment() && tc.verdict != rules.NeedsReview {
					assert.NotContains(t, text, "Session 1", format)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if normal(x) == normal(s) {
			return true
		}
	}
	return false
}

func TestPrescriberLetter(t *testing.T) {
	in := input(t, with("blood_thinners", "yes", "blood_thinner_name", "apixaban", "medications", "Eliquis 5mg twice a day"))
	letters, err := Letters(in)
	require.NoError(t, err)
	require.Len(t, letters, 1)
	for format, text := range rendered(t, letters, in.Date) {
		for _, s := range []string{
			"Request for your decision before mesotherapy", "To the prescriber of Eliquis (apixaban)",
			"Whether the patient may pause this medicine before each session",
			"only the prescriber can decide whether that is safe", "003: Clinic Q&A on mesotherapy for fat loss and cellulite",
			"The patient may pause it ____ days before each session", "The patient must not pause it.",
			"Please return this letter to Clinique Lumière – Rive Gauche, phone +33 1 42 00 00 00",
		} {
			assert.Contains(t, text, s, format)
		}
	}

	t.Run("the medicine as answered when none is listed", func(t *testing.T) {
		in := input(t, with("blood_thinners", "yes", "blood_thinner_name", "warfarin", "medications", ""))
		letters, err := Letters(in)
		require.NoError(t, err)
		require.Len(t, letters, 1)
		assert.Equal(t, "Warfarin", letters[0].Fields[0].Value)
	})
	t.Run("no letter for a finding already cleared", func(t *testing.T) {
		in := input(t, with("blood_thinners", "yes", "blood_thinner_name", "warfarin"))
		for i := range in.Result.Findings {
			if in.Result.Findings[i].Rule == "blood-thinners" {
				in.Result.Findings[i].Cleared = &screening.Clearance{By: "Dr A"}
			}
		}
		letters, err := Letters(in)
		require.NoError(t, err)
		assert.Empty(t, letters)
	})
	t.Run("no letter where no prescriber decides", func(t *testing.T) {
		letters, err := Letters(input(t, with("allergies", "yes")))
		require.NoError(t, err)
		assert.Empty(t, letters)
	})
}

// Each needs_review finding gets a reason and a next step that fit it:
// one that involves no medicine says nothing of a
// prescriber, and a patient who may be pregnant is told to find out.
func TestPatientHandoutReasonAndStepPerFinding(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]any
		stale   bool
		why     string
		next    string
	}{
		{name: "pregnancy not sure", answers: with("pregnant", "unsure"),
			why:  "You were not sure whether you could be pregnant.",
			next: "Find out whether you are pregnant (a pregnancy test, or your doctor), and tell the clinic the result"},
		{name: "a reaction to a numbing medicine", answers: with("allergies", "yes", "allergy_details", "hives after lidocaine"),
			why:  "You have reacted before to a numbing medicine",
			next: "check that nothing to be injected contains a numbing medicine"},
		{name: "a record too old", answers: with(), stale: true,
			why:  "Your screening was some time ago, so its questions have to be asked again.",
			next: "Answer the screening questions again at the clinic before your next session."},
		{name: "not sure of another answer", answers: with("stroke", "unsure"),
			why:  "You were not sure of one answer (Stroke",
			next: "The clinic will go through that question with you before your treatment is booked."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, tc.answers)
			if tc.stale {
				in.Result.Findings = append(in.Result.Findings, screening.Finding{Rule: screening.RuleRescreenDue, Level: rules.NeedsReview,
					Message: "screened 45 days ago, more than the 30 days a screening holds; re-screen before treatment"})
				in.Result.Verdict = rules.NeedsReview
			}
			require.Equal(t, rules.NeedsReview, in.Result.Verdict)
			p, err := Patient(in)
			require.NoError(t, err)
			for format, text := range rendered(t, []Page{p}, in.Date) {
				assert.Contains(t, text, tc.why, format)
				assert.Contains(t, text, tc.next, format)
				assert.Contains(t, text, "The clinic will contact you once this has been checked.", format)
			}
			// The verdict, why and what next: no medicine's prescriber,
			// and not the clinician's words.
			said := []string{p.Verdict}
			for _, b := range p.Blocks[:2] {
				said = append(append(said, b.Text...), b.Items...)
			}
			for _, s := range []string{"prescriber", "prescribed", "a clinician must", "before booking"} {
				assert.NotContains(t, strings.Join(said, " "), s)
			}
		})
	}
}

// A patient who takes a heart medicine or a water tablet may be
// fluid-restricted: the instructions do not tell them to drink 2 litres a
// day, but to ask how much. Such a patient waits for the prescriber
// (needs review), so the handout holds the aftercare only once that is
// cleared; the instructions the result carries for then are checked.
func TestPatientHandoutWaterForTheHeart(t *testing.T) {
	tests := []struct {
		name       string
		answers    map[string]any
		restricted bool
	}{
		{"no heart medicine", with(), false},
		{"a loop diuretic listed", with("medications", "furosemide 40 mg"), true},
		{"one heart medicine answered", with("heart_medications", 1), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, tc.answers)
			p, err := Patient(in)
			require.NoError(t, err)
			texts := rendered(t, []Page{p}, in.Date)
			if tc.restricted {
				texts = map[string]string{"result": strings.Join(append(in.Result.PreTreatment, in.Result.Aftercare...), " ")}
			}
			for format, text := range texts {
				if tc.restricted {
					assert.NotContains(t, text, "Drink at least 2 litres", format)
					assert.NotContains(t, text, "Drink plenty of water", format)
					assert.Contains(t, text, "Ask the doctor who treats you how much to drink after each session", format)
				} else {
					assert.Contains(t, text, "Drink at least 2 litres", format)
					assert.NotContains(t, text, "how much to drink", format)
				}
			}
		})
	}
}
