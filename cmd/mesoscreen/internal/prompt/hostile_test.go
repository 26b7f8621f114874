package prompt

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// terminalControls are characters a terminal acts on rather than shows:
// C0, DEL, C1 and the bidi controls (as in cmd/mesoscreen/escapes_test.go).
var terminalControls = []struct {
	name string
	r    rune
}{
	{"NUL", 0x00}, {"BEL", 0x07}, {"BS", 0x08}, {"CR", 0x0d}, {"ESC", 0x1b}, {"US", 0x1f},
	{"DEL", 0x7f},
	{"NEL", 0x85}, {"CSI", 0x9b}, {"OSC", 0x9d}, {"ST", 0x9c},
	{"RLM", 0x200f}, {"RLO", 0x202e}, {"RLI", 0x2067}, {"ALM", 0x061c},
}

// ownStyling is what huh and lipgloss write for our own colours.
var ownStyling = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// hostileRuleSet is the default rule set with c inside the texts of its
// blood section, of the blood thinner question (its ask, name, help and
// an option) and of an option of the treatment areas.
func hostileRuleSet(t *testing.T, c rune) *rules.RuleSet {
	t.Helper()
	// A double-quoted YAML string says any character as \U.
	esc := fmt.Sprintf(`\U%08x]0;pwned\U%08x[2J`, c, c)
	src := string(rules.DefaultSource())
	for _, r := range []struct{ old, new string }{
		{"title: Blood and circulation\n", `title: "Blood and circulation` + esc + "\"\n"},
		{"label: Which blood thinner\n", `label: "Which blood thinner` + esc + "\"\n"},
		{"ask: Which blood thinner?\n", `ask: "Which blood thinner?` + esc + "\"\n"},
		{"help: The prescriber of this medicine is the one to ask about pausing it.\n", `help: "The prescriber` + esc + "\"\n"},
		{"label: Daily aspirin}", `label: "Daily aspirin` + esc + "\"}"},
		{"label: Scalp}", `label: "Scalp` + esc + "\"}"},
	} {
		require.Equal(t, 1, strings.Count(src, r.old), r.old)
		src = strings.Replace(src, r.old, r.new, 1)
	}
	rs, err := rules.Parse("hostile.yaml", []byte(src))
	require.NoError(t, err)
	return rs
}

// assertNothingActs fails when view, but for our own colours, holds a
// character a terminal would act on.
func assertNothingActs(t *testing.T, view string) {
	t.Helper()
	view = ownStyling.ReplaceAllString(view, "")
	require.True(t, utf8.ValidString(view), "the view is not UTF-8: %q", view)
	for i, r := range view {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			assert.Failf(t, "a control character reached the form", "%U at byte %d: %q", r, i, view[max(0, i-40):min(len(view), i+40)])
			return
		}
	}
}

// viewOf draws form f, with its fields, as the host shows it on a
// terminal of 160 by 100.
func viewOf(f *huh.Form, fields []huh.Field) string {
	h := &host{}
	h.Update(tea.WindowSizeMsg{Width: 160, Height: 100})
	h.Update(showMsg{&request{form: f, fields: fields, done: make(chan outcome, 1)}})
	return f.View()
}

// The full-screen interview draws the texts of a rule set and the answers
// of a record escaped: a page, a page changing an answer, the answers
// already given and the review.
func TestHostileTextsInTheForm(t *testing.T) {
	for _, c := range terminalControls {
		t.Run(c.name, func(t *testing.T) {
			rs := hostileRuleSet(t, c.r)
			hostile := "warfarin" + string(c.r) + "]0;pwned" + string(c.r) + "[2J"
			tu := NewTUI(nil, nil)
			tr := i18n.For("en")
			blood, ok := rs.Section("blood")
			require.True(t, ok)
			var qs []*rules.Question
			for _, id := range []string{"blood_thinner_name", "treatment_areas", "medications"} {
				q, ok := rs.Question(id)
				require.True(t, ok, id)
				qs = append(qs, q)
			}
			answers := []screening.Answer{
				{State: screening.Given, Value: "aspirin", Given: "aspirin"},
				{State: screening.Given, Value: []string{"scalp"}, Given: "scalp"},
				{State: screening.Given, Value: hostile, Given: hostile},
			}
			for _, change := range []bool{false, true} {
				step := interview.Step{Section: blood, Page: 1, Pages: 3, Questions: qs, Current: answers, Previous: answers, Tr: tr, Change: change}
				var fields []huh.Field
				for i, q := range qs {
					prev := answers[i]
					fields = append(fields, tu.field(q, answers[i], &prev, step, new(string), new([]string)))
				}
				title := render.Printable(blood.Title)
				view := viewOf(tu.form(say(i18n.For("en")), huh.NewGroup(fields...).Title(title)), fields)
				assert.Contains(t, view, "]0;pwned", "the texts were shown, escaped")
				assert.Contains(t, view, render.Printable("Daily aspirin"+string(c.r)), "the option label")
				assertNothingActs(t, view)
			}

			items := make([]interview.Item, len(qs))
			for i, q := range qs {
				items[i] = interview.Item{Question: q, Section: blood, Answer: answers[i], Tr: tr}
			}
			for _, l := range itemLines(items) {
				assert.Equal(t, render.Printable(l.text), l.text)
			}
			sel := huh.NewSelect[string]().Title("Review").Options(huh.NewOption(itemLines(items)[2].text, "medications"))
			view := viewOf(tu.form(say(i18n.For("en")), huh.NewGroup(sel)), []huh.Field{sel})
			assert.Contains(t, view, render.Printable(hostile))
			assertNothingActs(t, view)
		})
	}
}

// A prefilled text answer holding controls shows escaped, and is saved as
// it was given unless the clinician edits it.
func TestPrefilledAnswerSavedAsGiven(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	q, ok := rs.Question("medications")
	require.True(t, ok)
	tr := i18n.For("en")
	step := interview.Step{Questions: []*rules.Question{q}, Tr: tr}
	for _, given := range []string{"warfarin\x1b[8m hidden", "aspirin \u202eevil", "ibuprofen, paracetamol"} {
		t.Run(given, func(t *testing.T) {
			cur := screening.Answer{State: screening.Given, Value: given, Given: given}
			raw := new(string)
			tu := NewTUI(nil, nil)
			f := tu.field(q, cur, nil, step, raw, new([]string))
			sf, ok := f.(*syncField)
			require.True(t, ok)
			assert.Equal(t, render.Printable(given), *raw, "the field shows the answer escaped")

			// Moving the cursor is no edit: huh writes the text it shows
			// back, and the answer given is the one saved.
			form := tu.form(say(i18n.For("en")), huh.NewGroup(f))
			viewOf(form, []huh.Field{f})
			form.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
			assert.Equal(t, render.Printable(given), *raw)
			assert.Equal(t, given, sf.typed(*raw))

			shown := *raw
			form.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
			assert.Equal(t, shown[:len(shown)-1]+"x"+shown[len(shown)-1:], *raw, "typed before the last character")
			assert.Equal(t, *raw, sf.typed(*raw), "an edited answer is saved as typed")
		})
	}
}
