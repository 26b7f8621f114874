package intake_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// The look-alikes the generated names are spelt with: for each Latin
// letter, the Cyrillic and Greek letters drawn like it.
var lookalikesOf = map[rune][]rune{
	'a': {'а', 'α', 'А', 'Α'}, 'b': {'В', 'Β'}, 'c': {'с', 'С', 'ϲ'}, 'd': {'ԁ'}, 'e': {'е', 'Е', 'Ε'},
	'h': {'һ', 'Н', 'Η'}, 'i': {'і', 'ι', 'І', 'Ι'}, 'j': {'ј', 'Ј', 'ϳ'}, 'k': {'К', 'κ', 'Κ'}, 'm': {'М', 'Μ'},
	'n': {'Ν'}, 'o': {'о', 'ο', 'О', 'Ο'}, 'p': {'р', 'ρ', 'Р', 'Ρ'}, 's': {'ѕ', 'Ѕ'}, 't': {'Т', 'Τ'},
	'u': {'υ'}, 'v': {'ν'}, 'x': {'х', 'χ', 'Х', 'Χ'}, 'y': {'у', 'У', 'Υ'}, 'z': {'Ζ'},
}

var invisibles = []rune{'\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u200E', '\u202E'}

func TestNearMissLookalikes(t *testing.T) {
	rs := defaultRules(t)
	for _, tt := range []struct {
		name, field string
		odd         []rune
	}{
		{"рrеgnant", "pregnant", []rune{'р', 'е'}},
		{"pregnаnt", "pregnant", []rune{'а'}},
		{"stοke", "stroke", []rune{'ο'}}, // Greek omicron, and a letter left out
		{"preg\u200bnant", "pregnant", []rune{'\u200b'}},
		{"\u200bpreg\u200dnant\u2060", "pregnant", []rune{'\u200b', '\u200d', '\u2060'}},
		{"blood\u00a0thinners", "blood_thinners", []rune{'\u00a0'}},
		{"ｐｒｅｇｎａｎｔ", "pregnant", []rune("ｐｒｅｇｎａｔ")}, // full width; each letter once
		{"Аllergies", "allergies", []rune{'А'}},
		{"pregnant", "", nil},
		{"беременна", "", nil}, // Russian for pregnant: another word, not a look-alike
		{"notes", "", nil},
		{"Timestamp", "", nil},
	} {
		field := intake.NearMiss(rs, tt.name)
		assert.Equal(t, tt.field, field, "%q", tt.name)
		if tt.field == "" {
			continue
		}
		_, err := intake.Open("a.csv", strings.NewReader("patient_id,"+tt.name+"\nA,yes\n"), intake.Options{RuleSet: rs})
		var nm *intake.NearMissError
		require.ErrorAs(t, err, &nm, "%q", tt.name)
		assert.Equal(t, tt.odd, nm.Odd, "%q", tt.name)
		for _, r := range tt.odd {
			assert.Contains(t, err.Error(), fmt.Sprintf("U+%04X", r), "%q: the message names the character by its code", tt.name)
		}
	}
	_, err := intake.Open("a.csv", strings.NewReader("patient_id,рrеgnant\nA,yes\n"), intake.Options{RuleSet: rs})
	assert.EqualError(t, err, `a.csv:1: column "рrеgnant" looks like field "pregnant" (it holds U+0440 (Cyrillic small letter er, drawn like p) and U+0435 (Cyrillic small letter ie, drawn like e)); rename it pregnant`)
	_, err = intake.Open("a.csv", strings.NewReader("patient_id,preg\u200bnant\nA,yes\n"), intake.Options{RuleSet: rs})
	assert.EqualError(t, err, `a.csv:1: column "preg\u200bnant" looks like field "pregnant" (it holds U+200B (zero width space, invisible)); rename it pregnant`)
}

// Every field id of the rule set, spelt with look-alike letters of other
// scripts and invisible characters in generated places, is a near miss
// of that field, as a CSV column and as a JSON key, and the message names
// every such character by its code.
func TestNearMissLookalikesGenerated(t *testing.T) {
	rs := defaultRules(t)
	rnd := rand.New(rand.NewPCG(26, 4))
	n := 0
	for _, q := range rs.Questions {
		for range 40 {
			var b strings.Builder
			var odd []rune
			for _, r := range q.ID {
				if alts := lookalikesOf[r]; len(alts) > 0 && rnd.IntN(3) == 0 {
					r = alts[rnd.IntN(len(alts))]
					odd = append(odd, r)
				}
				b.WriteRune(r)
				if rnd.IntN(6) == 0 {
					inv := invisibles[rnd.IntN(len(invisibles))]
					b.WriteRune(inv)
					odd = append(odd, inv)
				}
			}
			name := b.String()
			if len(odd) == 0 {
				continue
			}
			n++
			assert.Equal(t, q.ID, intake.NearMiss(rs, name), "%q", name)

			_, err := intake.Open("a.csv", strings.NewReader("patient_id,"+name+"\nA,1\n"), intake.Options{RuleSet: rs})
			if q.ID == "patient_id" {
				continue // the column is there already: no near miss is needed to read it
			}
			var nm *intake.NearMissError
			if assert.ErrorAs(t, err, &nm, "%q", name) {
				assert.Equal(t, q.ID, nm.Field)
				for _, r := range odd {
					assert.Contains(t, err.Error(), fmt.Sprintf("U+%04X", r), "%q", name)
				}
			}
			in, err := intake.Open("a.json", strings.NewReader(fmt.Sprintf(`{"patient_id": "A", %q: "yes"}`, name)), intake.Options{RuleSet: rs})
			require.NoError(t, err)
			var recErr error
			for _, e := range in.Records() {
				if e != nil {
					recErr = e
				}
			}
			assert.ErrorAs(t, recErr, &nm, "key %q", name)
		}
	}
	t.Logf("%d names spelt with look-alikes or invisible characters", n)
}
