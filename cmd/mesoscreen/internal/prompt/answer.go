package prompt

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// answerField asks a yes/no or choice question, answered with one key: y,
// n, ? or u for yes/no; the option's number for a choice (n for the
// option that means no, ? or u for not sure where the rule set allows
// it); in a re-screen, k for last time's answer. The arrows and Enter
// work too. Nothing is chosen until the clinician chooses: Enter on a
// question not yet answered says so and stays.
type answerField struct {
	q       *rules.Question
	choices []interview.Choice
	keys    []string // the key that answers each choice, as shown
	inline  bool     // yes/no: the choices on one line
	desc    string
	escHelp string // what Esc does here

	chosen, cursor int // -1: none yet
	err            error
	focused        bool
	// advance asks the host to move on at once: one key answered.
	advance bool
	// passing is set on an answer given by N ("no to the rest of the
	// page"): focus goes past the field, as if the clinician had
	// answered it on the way.
	passing bool
	// last is, in a re-screen, the choice of last time's answer, which k
	// chooses; -1 when there is none to keep.
	last int
	// noRest reports whether N would answer anything on the page; the
	// help offers N only then.
	noRest func() bool
	// long is set when the choices number more than 9: digits typed
	// there, in typed, move the cursor rather than choose.
	long  bool
	typed string

	theme         huh.Theme
	width, height int
	tr            *i18n.Printer
	errChoose     error
}

// newAnswerField asks q in the printer's language. The key that answers
// yes is that language's (s for "sí", o for "oui"), and y too; n is no
// in all of them.
func newAnswerField(tr *i18n.Printer, q *rules.Question, desc string, preset string) *answerField {
	f := &answerField{q: q, choices: printableChoices(interview.ChoicesIn(tr, q)), desc: desc, escHelp: tr.T("cancel"), chosen: -1, cursor: -1, last: -1, inline: q.Type == rules.YesNo,
		tr: tr, errChoose: errors.New(tr.T("choose an answer"))}
	// A digit chooses and moves on. With more than 9 choices that would
	// choose the first of "12" and answer the next question with its 2:
	// there the digits only move the cursor ("1" then "2" to the
	// twelfth), and Enter chooses.
	digits := 0
	for _, c := range f.choices {
		if c.Value != interview.Unsure && q.Type != rules.YesNo {
			digits++
		}
	}
	f.long = digits > 9
	digit := 0
	for _, c := range f.choices {
		var k string
		switch {
		case c.Value == interview.Unsure:
			k = "?"
		case q.Type == rules.YesNo && c.Value == "yes":
			k = tr.YesKey()
		case q.Type == rules.YesNo && c.Value == "no":
			k = "n"
		default:
			digit++
			k = fmt.Sprint(digit)
		}
		f.keys = append(f.keys, k)
	}
	for i, c := range f.choices {
		if preset != "" && c.Value == preset {
			f.chosen, f.cursor = i, i
		}
	}
	return f
}

// keepKey is the key that keeps, in a re-screen, last time's answer; it
// is the same in every language, as n is. A field that is typed into
// takes keepCtrl instead, as k is a letter of the answer there.
const (
	keepKey  = "k"
	keepCtrl = "ctrl+k"
)

// offerLast lets k choose raw, last time's answer; a raw that is none of
// the choices offers nothing.
func (f *answerField) offerLast(raw string) {
	for i, c := range f.choices {
		if raw != "" && c.Value == raw {
			f.last = i
		}
	}
}

// kept reports whether the answer chosen is last time's, chosen with k
// or again by hand.
func (f *answerField) kept() bool { return f.last >= 0 && f.chosen == f.last }

// printableChoices escapes the labels of choices, which come from the
// rule set, for the terminal; the values stay as the rule set has them.
func printableChoices(cs []interview.Choice) []interview.Choice {
	out := make([]interview.Choice, len(cs))
	for i, c := range cs {
		c.Label = render.Printable(c.Label)
		out[i] = c
	}
	return out
}

// noIndex is the choice that answers no, or -1.
func (f *answerField) noIndex() int {
	no := "no"
	if f.q.Type == rules.Choice {
		no = f.q.MeansNo()
	}
	for i, c := range f.choices {
		if no != "" && c.Value == no {
			return i
		}
	}
	return -1
}

// keyIndex is the choice that key s answers, or -1.
func (f *answerField) keyIndex(s string) int {
	if s == "u" {
		s = "?"
	}
	if s == "y" && f.q.Type == rules.YesNo {
		s = f.tr.YesKey()
	}
	if s == "n" {
		if i := f.noIndex(); i >= 0 {
			return i
		}
	}
	for i, k := range f.keys {
		if k != "" && k == s {
			return i
		}
	}
	// A digit on a yes/no question answers nothing: the form offers
	// y, n and ?, and a digit typed for the list before it must not
	// answer a safety question on the way.
	return -1
}

// value is the raw answer chosen, "" if none.
func (f *answerField) value() string {
	if f.chosen < 0 {
		return ""
	}
	return f.choices[f.chosen].Value
}

func (f *answerField) choose(i int) {
	f.chosen, f.cursor, f.err, f.advance = i, i, nil, true
}

// answerNo answers no, for N; it reports whether the field has a no.
func (f *answerField) answerNo() bool {
	if f.chosen >= 0 {
		return false
	}
	i := f.noIndex()
	if i < 0 {
		return false
	}
	f.chosen, f.cursor, f.err, f.passing = i, i, nil, true
	return true
}

func (f *answerField) answered() bool { return f.chosen >= 0 }

// takeAdvance reports, once, whether focus should move on.
func (f *answerField) takeAdvance() bool {
	a := f.advance || f.passing
	f.advance, f.passing = false, false
	return a
}

func (f *answerField) Init() tea.Cmd { return nil }

func (f *answerField) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !f.focused {
		return f, nil
	}
	// j and k do not move: k keeps last time's answer in a re-screen,
	// and means nothing else anywhere, so that it never answers by
	// chance.
	s := k.String()
	if f.long && len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
		f.typeDigit(s)
		return f, nil
	}
	f.typed = ""
	switch s {
	case "up", "left":
		f.cursor = max(0, f.cursor-1)
	case "down", "right":
		f.cursor = min(len(f.choices)-1, f.cursor+1)
	case keepKey, keepCtrl:
		if f.last >= 0 {
			f.choose(f.last)
		}
	case "enter", "tab":
		switch {
		case f.cursor >= 0:
			f.choose(f.cursor)
		case f.chosen >= 0:
			f.advance = true
		default:
			f.err = f.errChoose
		}
	default:
		if i := f.keyIndex(s); i >= 0 {
			f.choose(i)
		}
	}
	return f, nil
}

// typeDigit moves the cursor, on a long list, to the choice the digits
// typed so far number: "1" the first, then "2" the twelfth. A number no
// choice has starts again from the digit.
func (f *answerField) typeDigit(d string) {
	for _, t := range []string{f.typed + d, d} {
		for i, k := range f.keys {
			if k == t {
				f.typed, f.cursor, f.err = t, i, nil
				return
			}
		}
	}
	f.typed = ""
}

func (f *answerField) styles() *huh.FieldStyles {
	st := huh.ThemeFunc(huh.ThemeBase16).Theme(true)
	if f.theme != nil {
		st = f.theme.Theme(true)
	}
	if f.focused {
		return &st.Focused
	}
	return &st.Blurred
}

func (f *answerField) View() string {
	st := f.styles()
	var b strings.Builder
	title := render.Printable(f.q.Ask)
	if f.err != nil {
		title += st.ErrorIndicator.String()
	}
	b.WriteString(st.Title.Render(wrapText(title, f.width-2)))
	if f.desc != "" {
		b.WriteString("\n" + st.Description.Render(wrapText(f.desc, f.width-2)))
	}
	opts := make([]string, len(f.choices))
	for i, c := range f.choices {
		mark, style := "  ", st.UnselectedOption
		if i == f.chosen {
			mark, style = "✓ ", st.SelectedOption
		}
		if f.focused && i == f.cursor && i != f.chosen {
			mark = st.SelectSelector.String()
		}
		k := f.keys[i]
		if k != "" {
			k = lipgloss.NewStyle().Foreground(st.SelectSelector.GetForeground()).Bold(true).Render(k) + " "
		}
		opts[i] = mark + k + style.Render(c.Label)
	}
	if f.inline {
		b.WriteString("\n" + strings.Join(opts, "   "))
	} else {
		b.WriteString("\n" + strings.Join(opts, "\n"))
	}
	return st.Base.Width(f.width).Render(b.String())
}

func wrapText(s string, width int) string {
	if width <= 10 {
		return s
	}
	return lipgloss.Wrap(s, width, "")
}

func (f *answerField) Blur() tea.Cmd {
	f.focused = false
	if f.chosen < 0 {
		f.err = f.errChoose
	}
	return nil
}

func (f *answerField) Focus() tea.Cmd {
	f.focused = true
	return nil
}

func (f *answerField) Error() error { return f.err }

// Run and RunAccessible are not used: the interview runs every form in its
// own program, and accessible mode has its own prompter.
func (f *answerField) Run() error { return errors.New("answerField runs inside a form") }
func (f *answerField) RunAccessible(io.Writer, io.Reader) error {
	return errors.New("answerField runs inside a form")
}
func (f *answerField) Skip() bool                               { return false }
func (f *answerField) Zoom() bool                               { return false }
func (f *answerField) WithTheme(t huh.Theme) huh.Field          { f.theme = t; return f }
func (f *answerField) WithKeyMap(*huh.KeyMap) huh.Field         { return f }
func (f *answerField) WithWidth(w int) huh.Field                { f.width = w; return f }
func (f *answerField) WithHeight(h int) huh.Field               { f.height = h; return f }
func (f *answerField) WithPosition(huh.FieldPosition) huh.Field { return f }
func (f *answerField) GetKey() string                           { return f.q.ID }
func (f *answerField) GetValue() any                            { return f.value() }

func (f *answerField) KeyBinds() []key.Binding {
	bind := func(keys, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, help))
	}
	var binds []key.Binding
	tr := f.tr
	if f.q.Type == rules.YesNo {
		binds = append(binds, bind(tr.YesKey()+"/n/?", tr.T("answer")))
	} else {
		binds = append(binds, bind(fmt.Sprintf("1-%d", min(9, len(f.q.Options))), tr.T("choose")))
		if i := f.noIndex(); i >= 0 {
			binds = append(binds, bind("n", strings.ToLower(f.choices[i].Label)))
		}
		if f.q.AllowsUnsure() {
			binds = append(binds, bind("?", tr.T("not sure")))
		}
	}
	if f.last >= 0 {
		binds = append(binds, bind(keepKey, tr.T("keep last answer")))
	}
	if f.noRest != nil && f.noRest() {
		binds = append(binds, bind("N", tr.T("no to the rest")))
	}
	return append(binds, bind("⇧tab", tr.T("back")), bind("esc", f.escHelp))
}

// takesNo reports whether N would answer the field: it has no answer
// yet, and a choice that means no.
func (f *answerField) takesNo() bool { return f.chosen < 0 && f.noIndex() >= 0 }
