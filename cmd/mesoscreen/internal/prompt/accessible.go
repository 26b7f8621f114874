package prompt

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/i18n"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// Accessible asks one question at a time in plain lines, for screen
// readers and scripts: numbered options, the question asked again after an
// answer it cannot use, and the end of input reported as ErrIncomplete,
// never taken as an answer.
type Accessible struct {
	out   io.Writer
	lines chan lineOrErr
	in    *bufio.Reader
	// reading is set while a read is under way in the background.
	reading bool
}

type lineOrErr struct {
	line string
	err  error
}

// NewAccessible reads answers from in and writes prompts to out.
func NewAccessible(in io.Reader, out io.Writer) *Accessible {
	return &Accessible{out: out, in: bufio.NewReader(in), lines: make(chan lineOrErr, 1)}
}

// readLine reads one line. The read runs in the background so that a
// cancelled context (Ctrl-C) ends the interview at once, even while the
// terminal waits for a line.
func (p *Accessible) readLine(ctx context.Context) (string, error) {
	if !p.reading {
		p.reading = true
		go func() {
			s, err := p.in.ReadString('\n')
			if err == io.EOF && s != "" {
				err = nil // a last line without a newline is still a line
			}
			p.lines <- lineOrErr{s, err}
		}()
	}
	select {
	case <-ctx.Done():
		return "", interview.ErrCancelled
	case l := <-p.lines:
		p.reading = false
		if l.err == io.EOF {
			return "", interview.ErrIncomplete
		}
		if l.err != nil {
			return "", fmt.Errorf("reading the answers: %w", l.err)
		}
		return strings.TrimRight(l.line, "\r\n"), nil
	}
}

// printf writes every line of the accessible interview. The questions come
// from the rule set and the answers from the intake or the keyboard, and
// nothing here is styled, so the whole text goes through the one
// sanitiser: a control character in a patient's answer reaches a screen
// reader or a terminal as a visible escape, never as a command.
func (p *Accessible) printf(format string, args ...any) {
	_, _ = io.WriteString(p.out, render.PrintableLines(fmt.Sprintf(format, args...))) // a terminal gone away leaves no one to tell; the next read fails
}

// Prefilled lists the answers that came with the intake.
func (p *Accessible) Prefilled(_ context.Context, items []interview.Item) error {
	tr := itemsPrinter(items)
	p.printf("%s\n", tr.T("Answers already given (%d); questions without a usable answer (missing, Not sure or unreadable) are asked now:", len(items)))
	for _, it := range items {
		p.printf("  %s: %s\n", it.Question.Ask, it.Text())
	}
	p.printf("\n")
	return nil
}

// Ask asks the questions of a step one by one.
func (p *Accessible) Ask(ctx context.Context, step interview.Step) ([]screening.Answer, error) {
	tr := say(step.Tr)
	title := step.Section.Title
	if step.Change {
		title = tr.T("Change an answer: %s", title)
	}
	if step.Part == 0 || step.Change {
		p.printf("== %s ==\n", title)
		if step.Section.Description != "" && !step.Change {
			p.printf("%s\n", step.Section.Description)
		}
		if step.Opened && !step.Change {
			p.printf("%s\n", tr.T("Asked again: the patient's health may have changed since the last session."))
		}
		p.printf("\n")
	}
	out := make([]screening.Answer, len(step.Questions))
	for i, q := range step.Questions {
		if prev, ok := previousAnswer(step, i); ok {
			a, err := p.askAgain(ctx, tr, q, prev)
			if err != nil {
				return nil, err
			}
			out[i] = a
			continue
		}
		a, err := p.askOne(ctx, tr, q, step.Current[i], step.Change)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func (p *Accessible) askOne(ctx context.Context, tr *i18n.Printer, q *rules.Question, cur screening.Answer, change bool) (screening.Answer, error) {
	choices := interview.ChoicesIn(tr, q)
	for {
		p.printf("%s\n", q.Ask)
		if q.Help != "" {
			p.printf("  %s\n", q.Help)
		}
		if change {
			p.printf("  %s\n", tr.T("Now: %s", interview.AnswerTextIn(tr, q, cur)))
		}
		for i, c := range choices {
			p.printf("  %d) %s\n", i+1, c.Label)
		}
		p.printf("%s: ", hint(tr, q, len(choices)))
		line, err := p.readLine(ctx)
		if err != nil {
			p.printf("\n")
			return screening.Answer{}, err
		}
		a, problem := interview.ParseTypedIn(tr, q, line, choices)
		if problem == "" {
			p.printf("\n")
			return a, nil
		}
		p.printf("  ! %s\n\n", problem)
	}
}

// askAgain asks a question of a re-screen: k keeps the previous answer,
// anything else is read as a new one, and an empty line is no answer, as
// Enter alone is none in the form: a re-screen is never a row of Enters.
func (p *Accessible) askAgain(ctx context.Context, tr *i18n.Printer, q *rules.Question, prev screening.Answer) (screening.Answer, error) {
	choices := interview.ChoicesIn(tr, q)
	for {
		p.printf("%s\n", q.Ask)
		if q.Help != "" {
			p.printf("  %s\n", q.Help)
		}
		p.printf("  %s\n", tr.T("Last time: %s", interview.AnswerTextIn(tr, q, prev)))
		for i, c := range choices {
			p.printf("  %d) %s\n", i+1, c.Label)
		}
		h := tr.T("Type k to keep it, or a number for a new answer")
		switch q.Type {
		case rules.Text:
			h = tr.T("Type k to keep it, or the new answer (\"none\" if none now)")
		case rules.Integer:
			h = tr.T("Type k to keep it, or a whole number from %d to %d, or \"not sure\"", q.MinValue(), q.MaxValue())
		case rules.List:
			h = tr.T("Type k to keep it, or numbers separated by commas")
		}
		p.printf("%s: ", h)
		line, err := p.readLine(ctx)
		if err != nil {
			p.printf("\n")
			return screening.Answer{}, err
		}
		switch s := strings.TrimSpace(line); {
		case strings.EqualFold(s, keepKey):
			p.printf("\n")
			return prev, nil
		case s == "":
			p.printf("  ! %s\n\n", tr.T("an answer is needed; type k to keep last time's"))
			continue
		}
		a, problem := interview.ParseTypedIn(tr, q, line, choices)
		if problem == "" {
			p.printf("\n")
			return a, nil
		}
		p.printf("  ! %s\n\n", problem)
	}
}

// previousAnswer returns the previous answer to question i of a
// re-screen's step, when there is one to show and keep: an answer given
// or not sure, or, for a list typed in words such as the medicines, none
// listed. A question about the time since the last session has none
// (Step.Previous says so), nor has a question changed at the review.
func previousAnswer(step interview.Step, i int) (screening.Answer, bool) {
	if step.Previous == nil || step.Change {
		return screening.Answer{}, false
	}
	q, prev := step.Questions[i], step.Previous[i]
	switch prev.State {
	case screening.Given, screening.Unsure:
		return prev, true
	case screening.Missing:
		// Nothing listed last time is an answer to keep; a follow-up with
		// no answer did not apply then, and has none.
		return prev, q.Type == rules.Text && q.Cond() == nil && !q.RecheckOnly() && !interview.TextRequired(q)
	}
	return screening.Answer{}, false
}

// hint says how to answer, at the prompt.
func hint(tr *i18n.Printer, q *rules.Question, n int) string {
	switch q.Type {
	case rules.YesNo, rules.Choice:
		return tr.T("Type a number from 1 to %d", n)
	case rules.List:
		if q.Required {
			return tr.T("Type one or more numbers, separated by commas")
		}
		return tr.T("Type numbers separated by commas, or press Enter for none")
	case rules.Integer:
		return tr.T("Type a whole number from %d to %d, or \"not sure\"", q.MinValue(), q.MaxValue())
	}
	if interview.TextRequired(q) {
		return tr.T("Type the answer")
	}
	return tr.T("Type the answer, or press Enter to leave it empty")
}

// itemsPrinter is the language of the answers listed, with the
// prompter's words laid over it.
func itemsPrinter(items []interview.Item) *i18n.Printer {
	if len(items) == 0 {
		return nil
	}
	return say(items[0].Tr)
}

// Review lists the answers and asks whether to change one.
func (p *Accessible) Review(ctx context.Context, items []interview.Item) (string, error) {
	tr := itemsPrinter(items)
	for {
		p.printf("== %s ==\n", tr.T("Review the answers"))
		for i, it := range items {
			p.printf("  %d) %s: %s%s\n", i+1, it.Question.Ask, it.Text(), wasText(it))
		}
		p.printf("%s", tr.T("Press Enter to screen with these answers, or type the number of an answer to change it: "))
		line, err := p.readLine(ctx)
		if err != nil {
			p.printf("\n")
			return "", err
		}
		s := strings.TrimSpace(line)
		if s == "" {
			p.printf("\n")
			return "", nil
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(items) {
			p.printf("\n")
			return items[n-1].Question.ID, nil
		}
		p.printf("  ! %s\n\n", tr.T("%q is not the number of an answer; type 1 to %d, or press Enter", s, len(items)))
	}
}

// wasText marks, at a re-screen's review, an answer that changed.
func wasText(it interview.Item) string {
	if it.Previous == nil {
		return ""
	}
	if it.Previous.State == screening.Missing {
		return " " + say(it.Tr).T("(new)")
	}
	was := interview.AnswerTextIn(it.Tr, it.Question, *it.Previous)
	if was == it.Text() {
		return ""
	}
	return " " + say(it.Tr).T("(was: %s)", was)
}
