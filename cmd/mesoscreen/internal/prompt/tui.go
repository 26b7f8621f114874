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
	"reflect"
	"slices"
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

func (t *TUI) form(tr *i18n.Printer, groups ...*huh.Group) *huh.Form {
	km := huh.NewDefaultKeyMap()
	// The host handles Esc and Ctrl-C; a filter on a short list helps no one.
	km.Quit = key.NewBinding()
	km.Select.Filter = key.NewBinding()
	km.MultiSelect.Filter = key.NewBinding()
	// A yes to a confirm is the language's yes key too, as on a question.
	km.Confirm.Accept = key.NewBinding(key.WithKeys("y", "Y", tr.YesKey(), strings.ToUpper(tr.YesKey())), key.WithHelp("y", "Yes"))
	sayHelp(reflect.ValueOf(km).Elem(), tr)
	return huh.NewForm(groups...).WithKeyMap(km).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase16))
}

// sayHelp puts the help of every key binding in v, a huh key map or one
// of its parts, into tr's language: the help bar under a Spanish form
// says "intro siguiente", not "enter next". The keys stay as the
// terminal names them.
func sayHelp(v reflect.Value, tr *i18n.Printer) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch b := f.Addr().Interface().(type) {
		case *key.Binding:
			if h := b.Help(); h.Desc != "" {
				b.SetHelp(h.Key, huhWord(tr, h.Desc))
			}
		default:
			if f.Kind() == reflect.Struct {
				sayHelp(f, tr)
			}
		}
	}
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
	_, err := t.show(ctx, t.form(tr, huh.NewGroup(note)), nil, modeOther, 0)
	return err
}

// Ask asks the questions of one step on one page. Every text of the rule
// set and every answer goes through the sanitiser before huh draws it, as
// in the accessible prompter: a title or an option label holding ESC would
// otherwise reach the terminal as it is.
func (t *TUI) Ask(ctx context.Context, step interview.Step) ([]screening.Answer, error) {
	raws := make([]*string, len(step.Questions))
	lists := make([]*[]string, len(step.Questions))
	prevs := make([]*screening.Answer, len(step.Questions))
	fields := make([]huh.Field, 0, len(step.Questions))
	for i, q := range step.Questions {
		raws[i], lists[i] = new(string), new([]string)
		if p, ok := previousAnswer(step, i); ok {
			prevs[i] = &p
		}
		fields = append(fields, t.field(q, step.Current[i], prevs[i], step, raws[i], lists[i]))
	}
	// N is offered where it answers something: a question on the page
	// with no answer yet and a choice that means no.
	noRest := func() bool {
		return slices.ContainsFunc(fields, func(f huh.Field) bool {
			a, ok := f.(*answerField)
			return ok && a.takesNo()
		})
	}
	for _, f := range fields {
		if a, ok := f.(*answerField); ok {
			a.noRest = noRest
		}
	}
	tr := say(step.Tr)
	title := render.Printable(step.Section.Title)
	desc := render.PrintableLines(step.Section.Description)
	switch {
	case step.Change:
		title, desc = tr.T("Change an answer"), render.Printable(step.Section.Title)+"\n"+tr.T("Esc keeps the answer as it was.")
	case step.AfterReview:
		desc = tr.T("Asked because of the answer changed at the review; Esc goes back to the review, and undoes the change if nothing was answered after it.")
	case step.Part > 0:
		desc = tr.T("A follow-up to the answer just given; Shift+Tab goes back to it.")
	}
	if step.Opened && !step.Change {
		desc = strings.TrimSpace(tr.T("Asked again: the patient's health may have changed since the last session.") + "\n" + desc)
	}
	if !step.Change && step.Pages > 0 {
		title = tr.T("%s  (page %d of %d)", title, step.Page, step.Pages)
	}
	if step.Page == 1 && step.Part == 0 && !step.Change && !step.AfterReview {
		desc = strings.TrimSpace(desc + "\n" + tr.T("Esc or Ctrl-C cancels the screening; nothing is saved."))
	}
	g := huh.NewGroup(fields...).Title(title).Description(desc)
	m := modeAsk
	switch {
	case step.Change:
		m = modeChange
	case step.AfterReview:
		m = modeAfterReview
	}
	focus := 0
	for i, q := range step.Questions {
		if q.ID == step.Focus {
			focus = i
		}
	}
	o, err := t.show(ctx, t.form(tr, g), fields, m, focus)
	switch {
	case err != nil:
		return nil, err
	case o == back:
		return nil, interview.ErrBack
	case o == toReview:
		return nil, interview.ErrReview
	case o == kept:
		return step.Current, nil
	}
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		if prevs[i] != nil && keptLast(fields[i]) {
			out[i] = *prevs[i] // as the record holds it
			continue
		}
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

// keptLast reports whether a field holds last time's answer, kept with
// its key.
func keptLast(f huh.Field) bool {
	switch f := f.(type) {
	case *answerField:
		return f.kept()
	case *syncField:
		return f.isKept()
	}
	return false
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
// screening: shown, and kept with one key (k, or Ctrl+K where the answer
// is typed), but never chosen in advance, so that Enter alone answers
// nothing.
func (t *TUI) field(q *rules.Question, cur screening.Answer, prev *screening.Answer, step interview.Step, raw *string, list *[]string) huh.Field {
	tr := say(step.Tr)
	ask := render.Printable(q.Ask)
	desc := render.PrintableLines(q.Help)
	if step.Change {
		desc = strings.TrimSpace(desc + "\n" + tr.T("Now: %s", render.Printable(interview.AnswerTextIn(tr, q, cur))))
	}
	// Back at a step already answered (Shift+Tab), its answers are shown
	// as given; a question never answered, opened from the review, or
	// asked again in a re-screen starts with nothing chosen.
	keep := step.Revisit && (cur.State == screening.Given || cur.State == screening.Unsure)
	rescreen := step.Previous != nil && !step.Change
	if prev != nil {
		last := render.Printable(interview.AnswerTextIn(tr, q, *prev))
		switch q.Type {
		case rules.YesNo, rules.Choice:
			desc = strings.TrimSpace(desc + "\n" + tr.T("Last time: %s. k keeps it.", last))
		case rules.List:
			desc = strings.TrimSpace(desc + "\n" + tr.T("Last time: %s", last))
		default:
			desc = strings.TrimSpace(desc + "\n" + tr.T("Last time: %s. Ctrl+K keeps it.", last))
			if q.Type == rules.Text {
				desc += " " + tr.T("Type \"none\" if there is none now.")
			}
		}
	}
	switch q.Type {
	case rules.YesNo, rules.Choice:
		preset := ""
		if keep {
			preset = rawOf(cur)
		}
		f := newAnswerField(tr, q, desc, preset)
		if prev != nil {
			f.offerLast(rawOf(*prev))
		}
		switch {
		case step.Change:
			f.escHelp = tr.T("keep the answer")
		case step.AfterReview:
			f.escHelp = tr.T("back to the review")
		}
		return f
	case rules.List:
		// A list has no keep key: its choices are marked one by one, and
		// last time's are said in the description.
		opts := make([]huh.Option[string], 0, len(q.Options))
		values := make([]string, 0, len(q.Options))
		for _, c := range interview.ChoicesIn(tr, q) {
			opts = append(opts, huh.NewOption(render.Printable(c.Label), c.Value))
			values = append(values, c.Value)
		}
		if v, ok := cur.Value.([]string); ok && cur.State == screening.Given && (keep || !rescreen) {
			*list = append([]string(nil), v...)
		}
		sf := &syncField{valid: func() bool { return !q.Required || len(*list) > 0 }}
		listDesc := strings.TrimSpace(desc + "\n" + tr.T("Space or x marks a choice; Enter goes on."))
		ms := huh.NewMultiSelect[string]().Key(q.ID).Title(ask).
			Description(listDesc).
			Options(opts...).Value(list).Filterable(false).
			Validate(func(v []string) error {
				if q.Required && len(v) == 0 && sf.tried {
					return errors.New(tr.T("choose at least one"))
				}
				return nil
			})
		sf.Field = &scrolled{Field: ms, title: ask, desc: listDesc, values: values, hovered: ms.Hovered, tr: tr}
		return sf
	}
	sf := &syncField{}
	if cur.State != screening.Missing && (keep || q.Type == rules.Text && !rescreen) {
		// The answer is the patient's, edited here and saved. The field
		// shows it escaped: the same text unless it holds controls (huh's
		// input would drop those silently, and show a bidi override as it
		// is). Left as shown, the answer saved is the one given, controls
		// and all, as the record held it; edited, it is what was typed.
		*raw = render.Printable(givenText(cur))
		sf.given, sf.shown = givenText(cur), *raw
	}
	needed := errors.New(tr.T("an answer is needed: type it, or Ctrl+K for last time's"))
	if q.Type == rules.Text {
		needed = errors.New(tr.T("an answer is needed: type it (\"none\" if there is none now), or Ctrl+K for last time's"))
	}
	validate := func(s string) error {
		// In a re-screen an empty line is no answer, not even "none":
		// that is typed, or last time's kept.
		if prev != nil && strings.TrimSpace(s) == "" && !sf.isKept() {
			return needed
		}
		if _, problem := interview.ParseTypedIn(tr, q, sf.typed(s), nil); problem != "" {
			return errors.New(problem)
		}
		return nil
	}
	in := huh.NewInput().Key(q.ID).Title(ask).Description(desc).Value(raw).Validate(validate)
	switch {
	case q.Type == rules.Integer && q.AllowsUnsure():
		in.Placeholder(tr.T("%d to %d, or ? if not sure", q.MinValue(), q.MaxValue()))
	case q.Type == rules.Integer:
		in.Placeholder(tr.T("%d to %d", q.MinValue(), q.MaxValue()))
	case prev != nil:
		in.Placeholder(tr.T("type \"none\" if none"))
	case len(q.NoneWords) > 0:
		in.Placeholder(tr.T("leave empty if none"))
	case !interview.TextRequired(q):
		in.Placeholder(tr.T("may be left empty"))
	}
	if prev != nil {
		last := *prev
		shown, kept := "", false
		sf.keep = func() {
			*raw = render.Printable(givenText(last))
			in.Value(raw)
			sf.given, sf.shown = givenText(last), *raw
			shown, kept = *raw, true
		}
		sf.kept = func() bool { return kept && *raw == shown }
		sf.keepHelp = tr.T("keep last answer")
	}
	sf.Field = in
	sf.valid = func() bool { return validate(*raw) == nil }
	return sf
}

// givenText is an answer as typed, for an input to show: as given, or,
// where a saved record kept only the canonical answer, that; "not sure"
// for an unsure one.
func givenText(a screening.Answer) string {
	switch {
	case a.Given != "":
		return a.Given
	case a.State == screening.Unsure:
		return interview.Unsure
	case a.State == screening.Given:
		return a.Text()
	}
	return ""
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

// Review lists every answer as a choice; choosing one changes it. Esc asks
// before it discards the screening: everything asked so far would be
// lost.
func (t *TUI) Review(ctx context.Context, items []interview.Item) (string, error) {
	tr := itemsPrinter(items)
	title, desc := tr.T("Review the answers"), tr.T("Check every answer with the patient. Choose one to change it.")
	choice := confirm
	for {
		all := tr.T("✔ All correct: show the verdict")
		opts := []huh.Option[string]{huh.NewOption(all, confirm)}
		values, labels := []string{confirm}, []string{all}
		for _, l := range itemLines(items) {
			opts = append(opts, huh.NewOption(l.text, l.id))
			values, labels = append(values, l.id), append(labels, l.text)
		}
		sel := huh.NewSelect[string]().Title(title).Description(desc).Options(opts...).Value(&choice)
		list := &scrolled{Field: sel, title: title, desc: desc, values: values, labels: labels, hovered: sel.Hovered, tr: tr}
		o, err := t.show(ctx, t.form(tr, huh.NewGroup(list)), []huh.Field{list}, modeReview, 0)
		if err != nil {
			return "", err
		}
		if o == discard {
			sure, err := t.discard(ctx, tr)
			if err != nil {
				return "", err
			}
			if sure {
				return "", interview.ErrCancelled
			}
			continue
		}
		if choice == confirm {
			return "", nil
		}
		return choice, nil
	}
}

// discard asks whether to discard the screening, from the review. Only a
// yes does: Enter, n and Esc go back to the review.
func (t *TUI) discard(ctx context.Context, tr *i18n.Printer) (bool, error) {
	sure := false
	c := huh.NewConfirm().Title(tr.T("Discard this screening?")).
		Description(tr.T("Nothing is saved, and every answer given is lost.")).
		Affirmative(tr.T("Discard")).Negative(tr.T("Back to the review")).Value(&sure)
	o, err := t.show(ctx, t.form(tr, huh.NewGroup(c)), []huh.Field{c}, modeConfirm, 0)
	if err != nil || o != completed {
		return false, err
	}
	return sure, nil
}

// huhWord says the help of one of huh's keys in tr's language. Each is
// said with its English text itself, so that the catalogs' test sees
// every one; a help huh adds later is said as huh says it.
func huhWord(tr *i18n.Printer, desc string) string {
	switch desc {
	case "No":
		return tr.T("No")
	case "Yes":
		return tr.T("Yes")
	case "back":
		return tr.T("back")
	case "clear filter":
		return tr.T("clear filter")
	case "close":
		return tr.T("close")
	case "complete":
		return tr.T("complete")
	case "confirm":
		return tr.T("confirm")
	case "down":
		return tr.T("down")
	case "filter":
		return tr.T("filter")
	case "first":
		return tr.T("first")
	case "go to end":
		return tr.T("go to end")
	case "go to start":
		return tr.T("go to start")
	case "last":
		return tr.T("last")
	case "left":
		return tr.T("left")
	case "new line":
		return tr.T("new line")
	case "next":
		return tr.T("next")
	case "open":
		return tr.T("open")
	case "open editor":
		return tr.T("open editor")
	case "page down":
		return tr.T("page down")
	case "page up":
		return tr.T("page up")
	case "right":
		return tr.T("right")
	case "select":
		return tr.T("select")
	case "select all":
		return tr.T("select all")
	case "select none":
		return tr.T("select none")
	case "set filter":
		return tr.T("set filter")
	case "submit":
		return tr.T("submit")
	case "toggle":
		return tr.T("toggle")
	case "up":
		return tr.T("up")
	case "½ page down":
		return tr.T("½ page down")
	case "½ page up":
		return tr.T("½ page up")
	}
	return desc
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
