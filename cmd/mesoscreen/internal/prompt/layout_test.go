package prompt

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// TestPageTitleStaysOnScreen draws every page of the default rule set, all
// its questions at once, on a terminal of 80 by 24: the page fits, so its
// title is the first line and stays on screen.
func TestPageTitleStaysOnScreen(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	tu := NewTUI(nil, nil)
	pages := interview.Pages(rs)
	for n, p := range pages {
		t.Run(p.Section.ID, func(t *testing.T) {
			step := interview.Step{Section: p.Section, Page: n + 1, Pages: len(pages), Questions: p.Questions, Current: make([]screening.Answer, len(p.Questions))}
			var fields []huh.Field
			for i, q := range step.Questions {
				fields = append(fields, tu.field(q, step.Current[i], nil, step, new(string), new([]string)))
			}
			title := p.Section.Title + "  (page"
			f := tu.form(say(i18n.For("en")), huh.NewGroup(fields...).Title(title).Description(p.Section.Description))
			h := &host{}
			h.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			h.Update(showMsg{&request{form: f, fields: fields, done: make(chan outcome, 1)}})
			// Answer question by question, as the clinician does, and look
			// at the page at each.
			press := func(code rune, text string) { h.Update(tea.KeyPressMsg{Code: code, Text: text}) }
			for i, fl := range fields {
				lines := strings.Split(f.View(), "\n")
				assert.LessOrEqual(t, len(lines), 23, "at question %d: one line is left for the cursor", i+1)
				assert.Contains(t, lines[0], title, "at question %d", i+1)
				for _, l := range lines {
					assert.LessOrEqual(t, lipgloss.Width(l), 80, l)
				}
				switch q := step.Questions[i]; q.Type {
				case rules.YesNo:
					press('n', "n")
				case rules.Choice:
					press('1', "1")
					if len(q.Options) > 9 { // a long list moves, and Enter chooses
						press(tea.KeyEnter, "")
					}
				case rules.List:
					press('x', "x")
					press(tea.KeyEnter, "")
				default:
					press('1', "1")
					press(tea.KeyEnter, "")
				}
				_ = fl
			}
		})
	}
}
