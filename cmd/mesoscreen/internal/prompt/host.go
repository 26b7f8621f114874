package prompt

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// outcome is how a form ended.
type outcome int

const (
	completed outcome = iota
	cancelled         // Ctrl-C, or Esc on a page of the walk
	back              // Shift+Tab on the first question: the step before
	kept              // Esc on a question opened from the review
	toReview          // Esc on a follow-up of an answer changed at the review
	discard           // Esc on the review: ask before discarding the screening
	declined          // Esc on that question: back to the review
)

// mode says what Esc and Shift+Tab on the first question do.
type mode int

const (
	modeAsk         mode = iota // a page of the walk: Shift+Tab goes back a step
	modeChange                  // a question opened from the review: Esc keeps the old answer
	modeAfterReview             // a follow-up of a change made at the review: Esc goes back to it
	modeReview                  // the review: Esc asks whether to discard the screening
	modeConfirm                 // that question: Esc goes back to the review
	modeOther                   // the answers already given: Esc cancels
)

// onEsc is how a form of each mode ends on Esc.
var onEsc = map[mode]outcome{
	modeAsk:         cancelled,
	modeChange:      kept,
	modeAfterReview: toReview,
	modeReview:      discard,
	modeConfirm:     declined,
	modeOther:       cancelled,
}

// request is one form for the host to show, and where to say how it ended.
type request struct {
	form   *huh.Form
	fields []huh.Field // the form's fields, in order
	mode   mode
	focus  int // the field to start at
	done   chan outcome
	// submitting is set once the last question is answered and every
	// answer is there: keys from then on belong to the next form.
	submitting bool
}

type (
	showMsg     struct{ req *request }
	formDoneMsg struct{ req *request }
	stopMsg     struct{}
)

// host is the one Bubble Tea program of an interview. It shows one form
// at a time, as the walk asks for them, so that keys typed ahead between
// two pages are kept for the next rather than lost between programs, and
// the terminal is set up once.
type host struct {
	req           *request
	queue         []tea.KeyPressMsg // keys that came while no form was shown
	width, height int
}

func (h *host) Init() tea.Cmd { return nil }

func (h *host) View() tea.View {
	if h.req == nil {
		return tea.NewView("")
	}
	return tea.NewView(h.req.form.View())
}

func (h *host) finish(o outcome) {
	if h.req != nil {
		h.req.done <- o
		h.req = nil
	}
}

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case stopMsg:
		return h, tea.Quit
	case showMsg:
		h.req = msg.req
		req := msg.req
		req.form.SubmitCmd = func() tea.Msg { return formDoneMsg{req} }
		req.form.CancelCmd = nil
		cmds := []tea.Cmd{req.form.Init()}
		if h.width > 0 {
			_, c := req.form.Update(h.size())
			cmds = append(cmds, c)
		}
		for i := 0; i < req.focus && i < len(req.fields)-1; i++ {
			_, c := req.form.Update(huh.NextField())
			cmds = append(cmds, c)
		}
		queued := h.queue
		h.queue = nil
		for _, k := range queued {
			if h.req != req {
				h.queue = append(h.queue, k) // the form ended: keep the rest for the next
				continue
			}
			cmds = append(cmds, h.key(k))
		}
		return h, tea.Batch(cmds...)
	case formDoneMsg:
		if msg.req == h.req && h.req.form.State == huh.StateCompleted {
			h.finish(completed)
		}
		return h, nil
	case tea.WindowSizeMsg:
		h.width, h.height = msg.Width, msg.Height
		if h.req != nil {
			_, cmd := h.req.form.Update(h.size())
			return h, cmd
		}
		return h, nil
	case tea.KeyPressMsg:
		if h.req == nil || h.req.submitting {
			if len(h.queue) < 256 {
				h.queue = append(h.queue, msg)
			}
			return h, nil
		}
		return h, h.key(msg)
	}
	if h.req == nil {
		return h, nil
	}
	_, cmd := h.req.form.Update(msg)
	return h, cmd
}

// size is the window size a form is given: two lines less than the
// terminal's, one for the blank line above the help that huh leaves out of
// its sum, one for the line the cursor rests on. A page taller than the
// terminal pushes its title off the screen.
func (h *host) size() tea.WindowSizeMsg {
	return tea.WindowSizeMsg{Width: h.width, Height: max(h.height-2, 1)}
}

// advancer is a field that can ask, after a key, to move on at once.
type advancer interface{ takeAdvance() bool }

// key handles one key. Moving between questions happens here, at once,
// rather than through huh's NextField command, which runs later: a key
// typed right after an answer lands on the next question.
func (h *host) key(k tea.KeyPressMsg) tea.Cmd {
	req := h.req
	f := req.form
	switch k.String() {
	case "ctrl+c":
		h.finish(cancelled)
		return nil
	case "esc":
		h.finish(onEsc[req.mode])
		return nil
	case "shift+tab":
		if len(req.fields) > 0 && f.GetFocusedField() == req.fields[0] {
			if req.mode == modeAsk || req.mode == modeAfterReview {
				h.finish(back)
			}
			return nil
		}
		_, cmd := f.Update(huh.PrevField())
		return cmd
	case "N":
		if _, ok := f.GetFocusedField().(*answerField); ok {
			for _, fl := range req.fields {
				if a, ok := fl.(*answerField); ok {
					a.answerNo()
				}
			}
			return h.advance()
		}
	}
	_, cmd := f.Update(k)
	return tea.Batch(cmd, h.advance())
}

// advance moves focus on for as long as the focused field asks to.
func (h *host) advance() tea.Cmd {
	req := h.req
	var cmds []tea.Cmd
	for range len(req.fields) + 1 {
		focused := req.form.GetFocusedField()
		a, ok := focused.(advancer)
		if !ok || !a.takeAdvance() {
			break
		}
		last := len(req.fields) > 0 && focused == req.fields[len(req.fields)-1]
		_, cmd := req.form.Update(huh.NextField())
		cmds = append(cmds, cmd)
		if !last {
			continue
		}
		// huh submits the page unless a question has no answer (one left
		// with Shift+Tab): go back to that one instead.
		missing := -1
		for i, fl := range req.fields {
			a, ok := fl.(interface{ answered() bool })
			if missing < 0 && (fl.Error() != nil || ok && !a.answered()) {
				missing = i
			}
		}
		if missing < 0 {
			req.submitting = true
			break
		}
		for range len(req.fields) {
			if req.form.GetFocusedField() == req.fields[missing] {
				break
			}
			_, cmd := req.form.Update(huh.PrevField())
			cmds = append(cmds, cmd)
		}
		break
	}
	return tea.Batch(cmds...)
}
