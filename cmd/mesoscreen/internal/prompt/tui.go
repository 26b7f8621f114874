// Package prompt asks an interview's questions in a terminal: huh forms,
// or plain numbered line prompts for screen readers and scripts
// (accessible mode). Both implement interview.Prompter.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// TUI asks through huh forms, one form per step, built when the step is
// reached. It draws on its output (stderr in the command), so that stdout
// carries only the result.
type TUI struct {
	in  io.Reader
	out io.Writer
	// Run runs a built form; tests replace it to drive the form's Update
	// directly.
	Run func(ctx context.Context, f *huh.Form) error
}

// NewTUI asks through huh forms reading keys from in and drawing on out.
func NewTUI(in io.Reader, out io.Writer) *TUI {
	t := &TUI{in: in, out: out}
	t.Run = func(ctx context.Context, f *huh.Form) error {
		return f.WithInput(t.in).WithOutput(t.out).RunWithContext(ctx)
	}
	return t
}

// placeholder is the value of the leading "choose" entry of every select:
// no real answer is chosen until the clinician moves to one.
const placeholder = "\x00choose"

// KeyMap is huh's default, with Esc cancelling too.
func KeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "cancel"))
	// Filtering a list of three answers helps no one, and its Esc would
	// read as cancel.
	// (huh re-enables the binding as it goes, so it gets no key at all.)
	km.Select.Filter = key.NewBinding()
	km.MultiSelect.Filter = key.NewBinding()
	return km
}

func (t *TUI) form(groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).WithKeyMap(KeyMap()).WithShowHelp(true).WithTheme(huh.ThemeBase16())
}

func (t *TUI) run(ctx context.Context, f *huh.Form) error {
	err := t.Run(ctx, f)
	switch {
	case errors.Is(err, huh.ErrUserAborted):
		return interview.ErrCancelled
	case err != nil && ctx.Err() != nil:
		return interview.ErrCancelled
	}
	return err
}

// Prefilled shows the answers that came with the intake on a page of its
// own.
func (t *TUI) Prefilled(ctx context.Context, items []interview.Item) error {
	var b strings.Builder
	for _, l := range itemLines(items) {
		b.WriteString(l.text + "\n")
	}
	note := huh.NewNote().
		Title(fmt.Sprintf("Answers already given (%d)", len(items))).
		Description(b.String() + "\nOnly questions without a usable answer (missing, Not sure or unreadable) are asked now; every answer can be changed at the review.").
		Next(true).NextLabel("Continue")
	return t.run(ctx, t.form(huh.NewGroup(note)))
}

// Ask asks the questions of one step on one page.
func (t *TUI) Ask(ctx context.Context, step interview.Step) ([]screening.Answer, error) {
	raws := make([]*string, len(step.Questions))
	lists := make([]*[]string, len(step.Questions))
	fields := make([]huh.Field, 0, len(step.Questions))
	for i, q := range step.Questions {
		raws[i], lists[i] = new(string), new([]string)
		f := t.field(q, step.Current[i], step.Change, raws[i], lists[i])
		if prev, ok := kept(step, i); ok {
			f = t.keepField(q, prev, raws[i])
		}
		fields = append(fields, f)
	}
	title := step.Section.Title
	desc := step.Section.Description
	switch {
	case step.Change:
		title, desc = "Change an answer", step.Section.Title
	case step.Part > 0:
		desc = "A follow-up to the answer just given."
	}
	if !step.Change && step.Pages > 0 {
		title = fmt.Sprintf("%s  (page %d of %d)", title, step.Page, step.Pages)
	}
	if step.Page == 1 && step.Part == 0 {
		desc = strings.TrimSpace(desc + "\nEsc or Ctrl-C cancels the screening; nothing is saved.")
	}
	g := huh.NewGroup(fields...).Title(title).Description(desc)
	if err := t.run(ctx, t.form(g)); err != nil {
		return nil, err
	}
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		var problem string
		if q.Type == rules.List {
			out[i], problem = listAnswer(q, *lists[i])
		} else {
			out[i], problem = interview.ParseTyped(q, *raws[i], selectChoices(q))
		}
		if problem != "" {
			// The form's own validation should have caught this; never
			// screen on an answer that is not one.
			return nil, fmt.Errorf("%s: %s", q.ID, problem)
		}
	}
	return out, nil
}

// selectChoices are the values a select field returns, which ParseTyped
// reads as option values.
func selectChoices(q *rules.Question) []interview.Choice {
	if q.Type == rules.YesNo || q.Type == rules.Choice {
		return interview.Choices(q)
	}
	return nil
}

func listAnswer(q *rules.Question, vals []string) (screening.Answer, string) {
	if len(vals) == 0 {
		if q.Required {
			return screening.Answer{}, "choose at least one"
		}
		return screening.Answer{}, ""
	}
	return screening.ParseAnswer(q, vals), ""
}

func (t *TUI) field(q *rules.Question, cur screening.Answer, change bool, raw *string, list *[]string) huh.Field {
	desc := q.Help
	if change {
		desc = strings.TrimSpace(desc + "\nNow: " + interview.AnswerText(q, cur))
	}
	switch q.Type {
	case rules.YesNo, rules.Choice:
		opts := []huh.Option[string]{huh.NewOption("(choose one)", placeholder)}
		for _, c := range interview.Choices(q) {
			opts = append(opts, huh.NewOption(c.Label, c.Value))
		}
		*raw = placeholder
		return backable(huh.NewSelect[string]().Key(q.ID).Title(q.Ask).Description(desc).
			Options(opts...).Value(raw).
			Validate(func(v string) error {
				if v == placeholder {
					return errors.New("choose an answer")
				}
				return nil
			}))
	case rules.List:
		opts := make([]huh.Option[string], 0, len(q.Options))
		for _, c := range interview.Choices(q) {
			opts = append(opts, huh.NewOption(c.Label, c.Value))
		}
		if cur.State == screening.Given {
			*list = append([]string(nil), cur.Value.([]string)...)
		}
		return backable(huh.NewMultiSelect[string]().Key(q.ID).Title(q.Ask).
			Description(strings.TrimSpace(desc + "\nSpace or x marks a choice; Enter goes on.")).
			Options(opts...).Value(list).Filterable(false).
			Validate(func(v []string) error {
				if q.Required && len(v) == 0 {
					return errors.New("choose at least one")
				}
				return nil
			}))
	}
	if cur.State != screening.Missing && q.Type == rules.Text {
		*raw = cur.Given
	}
	in := huh.NewInput().Key(q.ID).Title(q.Ask).Description(desc).Value(raw).
		Validate(func(s string) error {
			if _, problem := interview.ParseTyped(q, s, nil); problem != "" {
				return errors.New(problem)
			}
			return nil
		})
	switch {
	case q.Type == rules.Integer:
		in.Placeholder(fmt.Sprintf("%d to %d, or not sure", q.MinValue(), q.MaxValue()))
	case !interview.TextRequired(q):
		in.Placeholder("optional; leave empty if none")
	}
	return in
}

// keepField asks a question of a re-screen with the previous answer
// chosen, and marked as last time's, so that Enter keeps it.
func (t *TUI) keepField(q *rules.Question, prev screening.Answer, raw *string) huh.Field {
	*raw = keepValue(prev)
	desc := strings.TrimSpace(q.Help + "\nLast time: " + interview.AnswerText(q, prev) + ". Enter keeps it.")
	if q.Type == rules.Text {
		return huh.NewInput().Key(q.ID).Title(q.Ask).Description(desc + " Type \"none\" if there is none now.").Value(raw).
			Validate(func(s string) error {
				if _, problem := interview.ParseTyped(q, s, nil); problem != "" {
					return errors.New(problem)
				}
				return nil
			})
	}
	var opts []huh.Option[string]
	for _, c := range interview.Choices(q) {
		label := c.Label
		if c.Value == *raw {
			label += "  (last time)"
		}
		opts = append(opts, huh.NewOption(label, c.Value))
	}
	return backable(huh.NewSelect[string]().Key(q.ID).Title(q.Ask).Description(desc).Options(opts...).Value(raw))
}

// keepValue is the raw answer a field starts with to keep prev.
func keepValue(prev screening.Answer) string {
	if prev.State == screening.Unsure {
		return interview.Unsure
	}
	switch v := prev.Value.(type) {
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		return v
	}
	return prev.Text()
}

// backField lets Shift+Tab leave a select that has no answer yet. huh's
// selects check their answer before going back as well as forward, which
// held the clinician on an unanswered question with no way to correct the
// one before it. Going back still checks the answer on leaving (huh's
// Blur), so the question left behind shows that it needs one, and the
// page cannot be finished until it has.
type backField struct {
	huh.Field
	prev  key.Binding
	first bool // the first field of its form: there is nothing before it
}

func backable(f huh.Field) *backField {
	return &backField{Field: f, prev: huh.NewDefaultKeyMap().Select.Prev}
}

func (b *backField) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && !b.first && key.Matches(k, b.prev) {
		return b, huh.PrevField
	}
	m, cmd := b.Field.Update(msg)
	b.Field = m.(huh.Field)
	return b, cmd
}

func (b *backField) WithPosition(p huh.FieldPosition) huh.Field {
	b.first = p.IsFirst()
	b.Field = b.Field.WithPosition(p)
	return b
}

// confirm is the review's answer that goes on to the verdict.
const confirm = "\x00confirm"

// Review lists every answer as a choice; choosing one changes it.
func (t *TUI) Review(ctx context.Context, items []interview.Item) (string, error) {
	opts := []huh.Option[string]{huh.NewOption("✔ All correct: show the verdict", confirm)}
	for _, l := range itemLines(items) {
		opts = append(opts, huh.NewOption(l.text, l.id))
	}
	choice := confirm
	sel := huh.NewSelect[string]().Title("Review the answers").
		Description("Check every answer with the patient. Choose one to change it.").
		Options(opts...).Value(&choice).Height(len(opts) + 3)
	if err := t.run(ctx, t.form(huh.NewGroup(sel))); err != nil {
		return "", err
	}
	if choice == confirm {
		return "", nil
	}
	return choice, nil
}

type itemLine struct{ id, text string }

// itemLines lays answers out in two columns: the field, in words, and the
// answer.
func itemLines(items []interview.Item) []itemLine {
	width := 0
	for _, it := range items {
		width = max(width, len(it.Question.ID))
	}
	out := make([]itemLine, len(items))
	for i, it := range items {
		name := strings.ReplaceAll(it.Question.ID, "_", " ")
		out[i] = itemLine{it.Question.ID, fmt.Sprintf("%-*s  %s%s", width, name, it.Text(), wasText(it))}
	}
	return out
}
