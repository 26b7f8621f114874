package prompt

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// showPage draws the questions of step on a host of the size given, and
// returns the host, the form and its fields.
func showPage(t *testing.T, width, height int, step interview.Step) (*host, *huh.Form, []huh.Field) {
	t.Helper()
	tu := NewTUI(nil, nil)
	var fields []huh.Field
	for i, q := range step.Questions {
		fields = append(fields, tu.field(q, step.Current[i], nil, step, new(string), new([]string)))
	}
	f := tu.form(say(i18n.For("en")), huh.NewGroup(fields...).Title(step.Section.Title).Description(step.Section.Description))
	h := &host{}
	h.Update(tea.WindowSizeMsg{Width: width, Height: height})
	h.Update(showMsg{&request{form: f, fields: fields, done: make(chan outcome, 1)}})
	return h, f, fields
}

// TestAreasAllOnScreen: the ten areas are all shown on the patient page
// at 80 by 24, Legs the last; huh would show 7, with no word of the rest.
func TestAreasAllOnScreen(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	page := interview.Pages(rs)[0]
	step := interview.Step{Section: page.Section, Page: 1, Pages: 6, Questions: page.Questions, Current: make([]screening.Answer, len(page.Questions)), Tr: i18n.For("en")}
	h, f, _ := showPage(t, 80, 24, step)
	press := func(code rune, text string) { h.Update(tea.KeyPressMsg{Code: code, Text: text}) }
	for _, k := range "MS-1" {
		press(k, string(k))
	}
	press(tea.KeyEnter, "")
	press('3', "3")
	press('4', "4")
	press(tea.KeyEnter, "")
	view := ansi.Strip(f.View())
	areas, _ := rs.Question("treatment_areas")
	for _, o := range areas.Options {
		assert.Contains(t, view, "[ ] "+o.Label, "%s is on screen", o.Label)
	}
	assert.NotContains(t, view, "more below")
	assert.LessOrEqual(t, len(strings.Split(view, "\n")), 23)
}

// TestListSaysWhatIsOutOfSight: where a list has fewer lines than it
// needs, it counts the rows below and above, and moves with the cursor
// as huh's list does.
func TestListSaysWhatIsOutOfSight(t *testing.T) {
	tr := say(i18n.For("en"))
	values := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	opts := make([]huh.Option[string], len(values))
	for i, v := range values {
		opts[i] = huh.NewOption("row "+v, v)
	}
	var choice string
	sel := huh.NewSelect[string]().Title("Title").Options(opts...).Value(&choice)
	l := &scrolled{Field: sel, title: "Title", values: values, labels: values, hovered: sel.Hovered, tr: tr}
	f := NewTUI(nil, nil).form(say(i18n.For("en")), huh.NewGroup(l))
	f.Update(tea.WindowSizeMsg{Width: 40, Height: 8})
	f.Init()
	// 8 lines: the title, 5 rows, the hint, and the help below a blank.
	view := f.View()
	assert.Contains(t, view, "row e")
	assert.NotContains(t, view, "row f")
	assert.Contains(t, view, "↓ 3 more below", view)
	for range 7 {
		f.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	view = f.View()
	assert.Contains(t, view, "row h")
	assert.NotContains(t, view, "row c")
	assert.Contains(t, view, "↑ 3 more above", view)
	assert.NotContains(t, view, "below", view)
	for range 5 {
		f.Update(tea.KeyPressMsg{Code: tea.KeyUp})
	}
	view = f.View()
	assert.Contains(t, view, "↑ 2 more above, ↓ 1 more below", view)
	for _, v := range values {
		shown := strings.Contains(view, "row "+v)
		assert.Equal(t, v >= "c" && v <= "g", shown, "row %s: the rows shown are those the hint does not count", v)
	}
}

// TestNoToTheRestOnlyWhereItAnswers: N is offered on a page with a
// question left that has a no; not on a choice without one, nor once
// every question has its answer.
func TestNoToTheRestOnlyWhereItAnswers(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tr := say(i18n.For("en"))
	offersN := func(f *answerField) bool {
		for _, b := range f.KeyBinds() {
			if b.Help().Key == "N" {
				return true
			}
		}
		return false
	}
	q := func(id string) *rules.Question {
		q, ok := rs.Question(id)
		require.True(t, ok)
		return q
	}
	goal := newAnswerField(tr, q("goal"), "", "")
	goal.noRest = func() bool { return goal.takesNo() }
	assert.False(t, offersN(goal), "the goal has no choice that means no")

	preg, feed := newAnswerField(tr, q("pregnant"), "", ""), newAnswerField(tr, q("breastfeeding"), "", "")
	page := func() bool { return preg.takesNo() || feed.takesNo() }
	preg.noRest, feed.noRest = page, page
	assert.True(t, offersN(preg))
	preg.choose(1)
	assert.True(t, offersN(preg), "breastfeeding is still open")
	feed.choose(0)
	assert.False(t, offersN(preg), "every question has its answer")
}

// TestKeepKey: in a re-screen, k chooses last time's answer and nothing
// else does so on its own; the help says so. In a first screening k does
// nothing.
func TestKeepKey(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tr := say(i18n.For("en"))
	q, _ := rs.Question("diabetes")
	key := func(f *answerField, s string) { f.Update(tea.KeyPressMsg{Code: rune(s[0]), Text: s}) }

	f := newAnswerField(tr, q, "", "")
	f.Focus()
	key(f, "k")
	assert.False(t, f.answered(), "no last answer: k does nothing")

	f = newAnswerField(tr, q, "", "")
	f.offerLast("non_insulin")
	f.Focus()
	assert.False(t, f.answered(), "last time's answer is not chosen in advance")
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	assert.False(t, f.answered(), "Enter alone does not choose it")
	key(f, "k")
	assert.Equal(t, "non_insulin", f.value())
	assert.True(t, f.kept())
	key(f, "3")
	assert.False(t, f.kept(), "another answer replaces it")
	var help []string
	for _, b := range f.KeyBinds() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	assert.Contains(t, help, "k keep last answer")
}

// TestDigitsNeverSpillOver: a digit answers nothing on a yes/no question,
// and on a list of more than 9 choices digits only move the cursor until
// Enter, so "12" typed for the twelfth blood thinner never chooses the
// first and answers the next question with the 2.
func TestDigitsNeverSpillOver(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tr := say(i18n.For("en"))
	key := func(f *answerField, s string) { f.Update(tea.KeyPressMsg{Code: rune(s[0]), Text: s}) }

	preg, _ := rs.Question("pregnant")
	f := newAnswerField(tr, preg, "", "")
	f.Focus()
	for _, d := range []string{"1", "2", "3"} {
		key(f, d)
		assert.False(t, f.answered(), "%s on a yes/no question", d)
	}
	key(f, "n")
	assert.Equal(t, "no", f.value())

	which, _ := rs.Question("blood_thinner_name")
	require.Greater(t, len(which.Options), 9, "the fixture is a long list")
	f = newAnswerField(tr, which, "", "")
	f.Focus()
	key(f, "1")
	assert.False(t, f.answered(), "a digit does not choose on a long list")
	assert.False(t, f.takeAdvance(), "nor move on")
	key(f, "2")
	assert.False(t, f.answered())
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	assert.Equal(t, which.Options[11].Value, f.value(), "1 then 2 is the twelfth")
	assert.True(t, f.takeAdvance())

	f = newAnswerField(tr, which, "", "")
	f.Focus()
	key(f, "2")
	key(f, "9") // no 29th: 9 alone
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	assert.Equal(t, which.Options[8].Value, f.value())

	// A short list still chooses with one digit and moves on.
	diabetes, _ := rs.Question("diabetes")
	f = newAnswerField(tr, diabetes, "", "")
	f.Focus()
	key(f, "2")
	assert.Equal(t, diabetes.Options[1].Value, f.value())
	assert.True(t, f.takeAdvance())
}
