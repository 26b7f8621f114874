// Package prompt asks an interview's questions in a terminal: huh forms
// in one Bubble Tea program, or plain numbered line prompts for screen
// readers and scripts (accessible mode). Both implement
// interview.Prompter.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// TUI asks through huh forms, one per step, built when the step is
// reached and shown by one program that runs from the first form to
// Close. It draws on its output (stderr in the command), so that stdout
// carries only the result.
type TUI struct {
	in   io.Reader
	out  io.Writer
	opts []tea.ProgramOption

	mu      sync.Mutex
	program *tea.Program
	exited  chan error
}

// NewTUI asks through huh forms reading keys from in and drawing on out.
// opts are added to the program's (tests give it a window size).
func NewTUI(in io.Reader, out io.Writer, opts ...tea.ProgramOption) *TUI {
	return &TUI{in: in, out: out, opts: opts}
}

func (t *TUI) start() {
	if t.program != nil {
		return
	}
	opts := append([]tea.ProgramOption{tea.WithInput(t.in), tea.WithOutput(t.out)}, t.opts...)
	t.program = tea.NewProgram(&host{}, opts...)
	t.exited = make(chan error, 1)
	go func() {
		_, err := t.program.Run()
		t.exited <- err
	}()
}

// Close ends the program and gives the terminal back. The verdict is
// written after it, on a terminal in its usual state.
func (t *TUI) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.program == nil {
		return nil
	}
	t.program.Send(stopMsg{})
	err := <-t.exited
	t.program = nil
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}

func (t *TUI) form(groups ...*huh.Group) *huh.Form {
	km := huh.NewDefaultKeyMap()
	// The host handles Esc and Ctrl-C; a filter on a short list helps no one.
	km.Quit = key.NewBinding()
	km.Select.Filter = key.NewBinding()
	km.MultiSelect.Filter = key.NewBinding()
	return huh.NewForm(groups...).WithKeyMap(km).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase16))
}

// show runs one form and says how it ended.
func (t *TUI) show(ctx context.Context, f *huh.Form, fields []huh.Field, m mode, focus int) (outcome, error) {
	t.mu.Lock()
	t.start()
	p, exited := t.program, t.exited
	t.mu.Unlock()
	req := &request{form: f, fields: fields, mode: m, focus: focus, done: make(chan outcome, 1)}
	p.Send(showMsg{req})
	select {
	case o := <-req.done:
		if o == cancelled {
			return o, interview.ErrCancelled
		}
		return o, nil
	case <-ctx.Done():
		p.Kill()
		return cancelled, interview.ErrCancelled
	case err := <-exited:
		exited <- err // for Close
		if err == nil || errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
			return cancelled, interview.ErrCancelled
		}
		return cancelled, fmt.Errorf("the interview form stopped: %w", err)
	}
}

// Prefilled shows the answers that came with the intake on a page of its
// own.
func (t *TUI) Prefilled(ctx context.Context, items []interview.Item) error {
	var b strings.Builder
	for _, l := range itemLines(items) {
		b.WriteString(l.text + "\n")
	}
	tr := itemsPrinter(items)
	note := huh.NewNote().
		Title(tr.T("Answers already given (%d)", len(items))).
		Description(b.String() + "\n" + tr.T("Only questions without a usable answer (missing, not sure or unreadable) are asked now; every answer can be changed at the review.")).
		Next(true).NextLabel(tr.T("Continue"))
	_, err := t.show(ctx, t.form(huh.NewGroup(note)), nil, modeOther, 0)
	return err
}

// Ask asks the questions of one step on one page. Every text of the rule
// set and every answer goes through the sanitiser before huh draws it, as
// in the accessible prompter: a title or an option label holding ESC would
// otherwise reach the terminal as it is.
func (t *TUI) Ask(ctx context.Context, step interview.Step) ([]screening.Answer, error) {
	raws := make([]*string, len(step.Questions))
	lists := make([]*[]string, len(step.Questions))
	fields := make([]huh.Field, 0, len(step.Questions))
	for i, q := range step.Questions {
		raws[i], lists[i] = new(string), new([]string)
		var prev *screening.Answer
		if p, ok := previousAnswer(step, i); ok {
			prev = &p
		}
		fields = append(fields, t.field(q, step.Current[i], prev, step, raws[i], lists[i]))
	}
	tr := say(step.Tr)
	title := render.Printable(step.Section.Title)
	desc := render.PrintableLines(step.Section.Description)
	switch {
	case step.Change:
		title, desc = tr.T("Change an answer"), render.Printable(step.Section.Title)+"\n"+tr.T("Esc keeps the answer as it was.")
	case step.Part > 0:
		desc = tr.T("A follow-up to the answer just given; Shift+Tab goes back to it.")
	}
	if !step.Change && step.Pages > 0 {
		title = tr.T("%s  (page %d of %d)", title, step.Page, step.Pages)
	}
	if step.Page == 1 && step.Part == 0 && !step.Change {
		desc = strings.TrimSpace(desc + "\n" + tr.T("Esc or Ctrl-C cancels the screening; nothing is saved."))
	}
	g := huh.NewGroup(fields...).Title(title).Description(desc)
	m := modeAsk
	if step.Change {
		m = modeChange
	}
	focus := 0
	for i, q := range step.Questions {
		if q.ID == step.Focus {
			focus = i
		}
	}
	o, err := t.show(ctx, t.form(g), fields, m, focus)
	switch {
	case err != nil:
		return nil, err
	case o == back:
		return nil, interview.ErrBack
	case o == kept:
		return step.Current, nil
	}
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		var problem string
		switch f := fields[i].(type) {
		case *answerField:
			out[i], problem = interview.ParseTypedIn(tr, q, f.value(), interview.ChoicesIn(tr, q))
		default:
			if q.Type == rules.List {
				out[i], problem = listAnswer(tr, q, *lists[i])
			} else {
				raw := *raws[i]
				if sf, ok := f.(*syncField); ok {
					raw = sf.typed(raw)
				}
				out[i], problem = interview.ParseTypedIn(tr, q, raw, nil)
			}
		}
		if problem != "" {
			// The form's own validation should have caught this; never
			// screen on an answer that is not one.
			return nil, fmt.Errorf("%s: %s", q.ID, problem)
		}
	}
	return out, nil
}

func listAnswer(tr *i18n.Printer, q *rules.Question, vals []string) (screening.Answer, string) {
	if len(vals) == 0 {
		if q.Required {
			return screening.Answer{}, tr.T("choose at least one")
		}
		return screening.Answer{}, ""
	}
	return screening.ParseAnswer(q, vals), ""
}

// field asks question q. prev is, in a re-screen, the answer of the last
// screening: the field starts on it, marked as last time's, so that Enter
// keeps it.
func (t *TUI) field(q *rules.Question, cur screening.Answer, prev *screening.Answer, step interview.Step, raw *string, list *[]string) huh.Field {
	tr := say(step.Tr)
	ask := render.Printable(q.Ask)
	desc := render.PrintableLines(q.Help)
	if step.Change {
		desc = strings.TrimSpace(desc + "\n" + tr.T("Now: %s", render.Printable(interview.AnswerTextIn(tr, q, cur))))
	}
	// Back at a step already answered (Shift+Tab), its answers are shown
	// as given; a question never answered, or opened from the review,
	// starts with nothing chosen.
	keep := step.Revisit && (cur.State == screening.Given || cur.State == screening.Unsure)
	if prev != nil && !keep && prev.State != screening.Missing {
		cur, keep = *prev, true
		desc = strings.TrimSpace(desc + "\n" + tr.T("Last time: %s. Enter keeps it.", render.Printable(interview.AnswerTextIn(tr, q, *prev))))
		if q.Type == rules.Text {
			desc += " " + tr.T("Type \"none\" if there is none now.")
		}
	}
	switch q.Type {
	case rules.YesNo, rules.Choice:
		preset := ""
		if keep {
			preset = rawOf(cur)
		}
		f := newAnswerField(tr, q, desc, preset)
		if step.Change {
			f.escHelp = tr.T("keep the answer")
		}
		return f
	case rules.List:
		opts := make([]huh.Option[string], 0, len(q.Options))
		for _, c := range interview.ChoicesIn(tr, q) {
			opts = append(opts, huh.NewOption(render.Printable(c.Label), c.Value))
		}
		if v, ok := cur.Value.([]string); ok && cur.State == screening.Given {
			*list = append([]string(nil), v...)
		}
		sf := &syncField{valid: func() bool { return !q.Required || len(*list) > 0 }}
		ms := huh.NewMultiSelect[string]().Key(q.ID).Title(ask).
			Description(strings.TrimSpace(desc + "\n" + tr.T("Space or x marks a choice; Enter goes on."))).
			Options(opts...).Value(list).Filterable(false).
			Validate(func(v []string) error {
				if q.Required && len(v) == 0 && sf.tried {
					return errors.New(tr.T("choose at least one"))
				}
				return nil
			})
		sf.Field = ms
		return sf
	}
	sf := &syncField{}
	if cur.State != screening.Missing && (q.Type == rules.Text || keep) {
		given := cur.Given
		if prev != nil && cur.Given == "" {
			given = prev.Text() // a saved record keeps the canonical answer only
		}
		// The answer is the patient's, edited here and saved. The field
		// shows it escaped: the same text unless it holds controls (huh's
		// input would drop those silently, and show a bidi override as it
		// is). Left as shown, the answer saved is the one given, controls
		// and all, as the record held it; edited, it is what was typed.
		*raw = render.Printable(given)
		sf.given, sf.shown = given, *raw
	}
	in := huh.NewInput().Key(q.ID).Title(ask).Description(desc).Value(raw).
		Validate(func(s string) error {
			if _, problem := interview.ParseTypedIn(tr, q, s, nil); problem != "" {
				return errors.New(problem)
			}
			return nil
		})
	switch {
	case q.Type == rules.Integer && q.AllowsUnsure():
		in.Placeholder(tr.T("%d to %d, or ? if not sure", q.MinValue(), q.MaxValue()))
	case q.Type == rules.Integer:
		in.Placeholder(tr.T("%d to %d", q.MinValue(), q.MaxValue()))
	case len(q.NoneWords) > 0:
		in.Placeholder(tr.T("leave empty if none"))
	case !interview.TextRequired(q):
		in.Placeholder(tr.T("may be left empty"))
	}
	sf.Field = in
	sf.valid = func() bool {
		_, problem := interview.ParseTypedIn(tr, q, *raw, nil)
		return problem == ""
	}
	return sf
}

// rawOf is the raw answer that picks cur among a question's choices: its
// canonical spelling, or the prompters' own for not sure.
func rawOf(cur screening.Answer) string {
	switch cur.State {
	case screening.Unsure:
		return interview.Unsure
	case screening.Given:
		return cur.Text()
	}
	return ""
}

// confirm is the review's answer that goes on to the verdict.
const confirm = "\x00confirm"

// Review lists every answer as a choice; choosing one changes it.
func (t *TUI) Review(ctx context.Context, items []interview.Item) (string, error) {
	tr := itemsPrinter(items)
	opts := []huh.Option[string]{huh.NewOption(tr.T("✔ All correct: show the verdict"), confirm)}
	for _, l := range itemLines(items) {
		opts = append(opts, huh.NewOption(l.text, l.id))
	}
	choice := confirm
	sel := huh.NewSelect[string]().Title(tr.T("Review the answers")).
		Description(tr.T("Check every answer with the patient. Choose one to change it.")).
		Options(opts...).Value(&choice)
	if _, err := t.show(ctx, t.form(huh.NewGroup(sel)), []huh.Field{sel}, modeOther, 0); err != nil {
		return "", err
	}
	if choice == confirm {
		return "", nil
	}
	return choice, nil
}

type itemLine struct{ id, text string }

// itemLines lays answers out in two columns: the question, named in
// words, and the answer, both escaped for the terminal.
func itemLines(items []interview.Item) []itemLine {
	names := make([]string, len(items))
	width := 0
	for i, it := range items {
		names[i] = render.Printable(it.Question.Name())
		width = max(width, len([]rune(names[i])))
	}
	out := make([]itemLine, len(items))
	for i, it := range items {
		pad := strings.Repeat(" ", width-len([]rune(names[i])))
		out[i] = itemLine{it.Question.ID, names[i] + pad + "  " + render.Printable(it.Text()+wasText(it))}
	}
	return out
}
