package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestMatchTermFind(t *testing.T) {
	tests := []struct {
		term, header string
		want         int
	}{
		{"pregnan*", "Are you pregnant, or could you be?", 2},
		{"pregnan*", "Pregnancy", 0},
		{"clot", "Have you ever had a blood clot?", 5},
		{"clot", "Blood clots (DVT)", 1},
		{"clot", "Do you have a clotting disorder?", -1}, // only a * reaches past a plural
		{"blood thin*", "Are you on blood-thinning medication?", 3},
		{"name of blood thin*", "Name of the blood thinner", 0}, // articles are skipped
		{"over counter", "over-the-counter products", 0},
		{"tia", "Stroke/TIA", 1},
		{"tia", "Initial", -1},
		{"heart med*", "Heart meds (count)", 0},
		{"age", "Stage Date (UTC)", -1},
	}
	for _, tt := range tests {
		term := rules.MatchTerm(rules.MatchWords(tt.term))
		assert.Equal(t, tt.want, term.Find(rules.MatchWords(tt.header)), "%q in %q", tt.term, tt.header)
	}
}

func TestMatchTermsLoad(t *testing.T) {
	q := func(match string) string {
		return base + "  - id: pregnant\n    type: yesno\n    ask: Pregnant?\n    match: " + match + "\n" +
			rulesHeader + "  - {id: r, condition: pregnant, level: eligible_with_precautions, message: m, source: [x]}\n"
	}
	for _, tt := range []struct {
		name, match string
		want        []string
	}{
		{"fine", `["pregnan*", expecting a baby]`, nil},
		{"no words", `["pregnan*", "?!"]`, []string{`t.yaml:8:25: match term "?!" of "pregnant" has no words; expected words a header holds, such as "blood clot" or "pregnan*"`}},
		{"star inside a word", `["preg*nant"]`, []string{`t.yaml:8:13: match term "preg*nant" of "pregnant" has a * that ends no word; expected * only at the end of a word, as in "allerg*"`}},
		{"star alone", `["*"]`, []string{`t.yaml:8:13: match term "*" of "pregnant" has a * that ends no word; expected * only at the end of a word, as in "allerg*"`}},
		{"twice", `[Pregnant, pregnant]`, []string{`t.yaml:8:23: match term "pregnant" is declared twice for "pregnant"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, got := lintText(t, q(tt.match))
			assert.Equal(t, tt.want, got)
			if tt.want == nil {
				require.NotNil(t, rs)
				assert.Equal(t, []rules.MatchTerm{{"pregnan*"}, {"expecting", "baby"}}, rs.Questions[0].MatchTerms())
			}
		})
	}
}

func TestMatchTermsShared(t *testing.T) {
	src := base + `  - id: pregnant
    type: yesno
    ask: Pregnant?
    match: ["pregnan*", expecting]
  - id: breastfeeding
    type: yesno
    ask: Breastfeeding?
    match: ["breastfe*", Expecting]
` + rulesHeader + `  - {id: r, condition: pregnant || breastfeeding, level: eligible_with_precautions, message: m, source: [x]}
`
	_, got := lintText(t, src)
	assert.Equal(t, []string{`t.yaml:12:26: warning: match term "expecting" is declared for both "pregnant" and "breastfeeding"; a header with it is evidence for neither`}, got)
}
