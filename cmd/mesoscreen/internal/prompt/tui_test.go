package prompt_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/prompt"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/interview"
)

// keyDriver feeds a script of keys to each form through its Update, the
// way huh's own tests do, so every key lands on the field that has focus.
// The script is shared by the forms of the interview, one after another.
type keyDriver struct {
	keys []tea.Msg
}

var cmdType = reflect.TypeOf((tea.Cmd)(nil))

// timerWait is how long a command may take before it is taken for a timer.
// huh's own commands answer in microseconds; the cursor blink waits about
// half a second. The margin keeps a loaded CI machine from dropping a real
// command, which would make a scripted test fail (never pass wrongly).
const timerWait = 300 * time.Millisecond

// exec runs a command and feeds its messages back. A command that does not
// answer at once is a timer (the cursor's blink) and is dropped.
func (d *keyDriver) exec(f *huh.Form, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 20 {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(timerWait):
		return
	}
	if msg == nil {
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		// tea.Batch and tea.Sequence
		for i := 0; i < v.Len(); i++ {
			d.exec(f, v.Index(i).Interface().(tea.Cmd), depth+1)
		}
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		return
	}
	_, next := f.Update(msg)
	d.exec(f, next, depth+1)
}

func (d *keyDriver) run(_ context.Context, f *huh.Form) error {
	d.exec(f, f.Init(), 0)
	d.exec(f, func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 40} }, 0)
	for f.State == huh.StateNormal {
		if len(d.keys) == 0 {
			return interview.ErrIncomplete // the script ran out mid-form
		}
		k := d.keys[0]
		d.keys = d.keys[1:]
		_, cmd := f.Update(k)
		d.exec(f, cmd, 0)
	}
	if f.State == huh.StateAborted {
		return huh.ErrUserAborted
	}
	return nil
}

func typed(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	down  = tea.KeyMsg{Type: tea.KeyDown}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
)

// pick moves from the "(choose one)" entry to the n-th option and enters.
func pick(n int) []tea.Msg {
	var ks []tea.Msg
	for range n {
		ks = append(ks, down)
	}
	return append(ks, enter)
}

func script(parts ...any) []tea.Msg {
	var ks []tea.Msg
	for _, p := range parts {
		switch v := p.(type) {
		case tea.Msg:
			if s, ok := v.([]tea.Msg); ok {
				ks = append(ks, s...)
			} else {
				ks = append(ks, v)
			}
		}
	}
	return ks
}

func runTUI(t *testing.T, keys []tea.Msg) (*screening.Answers, error) {
	t.Helper()
	rs := defaultRules(t)
	d := &keyDriver{keys: keys}
	p := prompt.NewTUI(nil, nil)
	p.Run = d.run
	a := screening.NewAnswers(rs)
	err := interview.Walk(context.Background(), screening.NewScreener(rs, screening.Options{}), a, p)
	return a, err
}

func healthyKeys() []tea.Msg {
	return script(
		typed("T-7"), enter, typed("42"), enter, typed("x"), enter, pick(1), // patient page
		pick(2), pick(2), // pregnancy: No, No
		pick(2), pick(2), pick(2), pick(2), // blood: No x4
		pick(2), pick(1), typed("0"), enter, // cancer No, no diabetes, 0 heart medicines
		pick(2), pick(2), pick(2), // skin: No x3
		enter, // no medications
		enter, // review: all correct
	)
}

// TestTUIHealthyPath shows that the driver reaches a verdict when the
// clinician answers, so that the Enter-only test below can fail.
func TestTUIHealthyPath(t *testing.T) {
	a, err := runTUI(t, healthyKeys())
	require.NoError(t, err)
	res := screening.Evaluate(a, screening.Options{IdentifierOptional: true})
	assert.Equal(t, rules.Eligible, res.Verdict, "%+v", res.Findings)
	assert.Equal(t, "T-7", res.PatientID)
}

// TestTUIEnterOnlyNeverEligible presses Enter and nothing else: no answer is
// chosen in advance, so the form never completes, and no verdict comes out.
func TestTUIEnterOnlyNeverEligible(t *testing.T) {
	keys := make([]tea.Msg, 300)
	for i := range keys {
		keys[i] = enter
	}
	a, err := runTUI(t, keys)
	require.ErrorIs(t, err, interview.ErrIncomplete)
	for _, id := range []string{"age", "treatment_areas", "goal", "pregnant"} {
		assert.NotEqual(t, screening.Given, a.Get(id).State, "%s was answered by Enter alone", id)
	}
	assert.NotEqual(t, rules.Eligible, screening.Evaluate(a, screening.Options{IdentifierOptional: true}).Verdict)
}

// TestTUIEnterOnSelectsStays presses Enter on each select of a filled-in
// page: the "(choose one)" entry is refused, the answer stays unchosen.
func TestTUIEnterOnSelectsStays(t *testing.T) {
	keys := script(typed("T-7"), enter, typed("42"), enter, typed("x"), enter, pick(1),
		enter, enter, enter) // pregnant: Enter on "(choose one)"
	a, err := runTUI(t, keys)
	require.ErrorIs(t, err, interview.ErrIncomplete)
	assert.Equal(t, screening.Missing, a.Get("pregnant").State)
}

func TestTUIEscCancels(t *testing.T) {
	_, err := runTUI(t, script(typed("T-7"), enter, esc))
	assert.ErrorIs(t, err, interview.ErrCancelled)
}

func TestTUIFollowUpAndAgeValidation(t *testing.T) {
	keys := script(
		typed("T-8"), enter, typed("130"), enter, // refused: out of range
		tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace},
		typed("42"), enter, typed("x"), enter, pick(1),
		pick(2), pick(2),
		pick(2), pick(2), pick(2), pick(1), // blood thinner: Yes
		pick(2), // follow-up page: Apixaban
		enter,   // refused on the next page: "(choose one)" is no answer
		pick(2), pick(1), typed("0"), enter,
		pick(2), pick(2), pick(2),
		enter, enter,
	)
	a, err := runTUI(t, keys)
	require.NoError(t, err)
	assert.Equal(t, int64(42), a.Get("age").Value)
	assert.Equal(t, "apixaban", a.Get("blood_thinner_name").Value)
	assert.Equal(t, rules.NeedsReview, screening.Evaluate(a, screening.Options{IdentifierOptional: true}).Verdict)
}

// TestTUIShiftTabLeavesUnanswered goes back from a question that has no
// answer yet to correct the one before it: huh's selects would refuse to
// leave. The question left behind must still be answered before the page
// goes on.
func TestTUIShiftTabLeavesUnanswered(t *testing.T) {
	back := tea.KeyMsg{Type: tea.KeyShiftTab}
	tests := []struct {
		name string
		page []tea.Msg // the pregnancy page
		want bool      // the pregnant answer
	}{
		{"back from an unanswered select", script(pick(1), back, down, enter, pick(2)), false},
		{"back, then Enter on the unanswered one is refused", script(pick(1), back, enter, enter, pick(2)), true},
		{"back on the first question does nothing", script(back, pick(2), pick(2)), false},
		{"no going back", script(pick(2), pick(2)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := script(typed("T-7"), enter, typed("42"), enter, typed("x"), enter, pick(1),
				tt.page,
				pick(2), pick(2), pick(2), pick(2),
				pick(2), pick(1), typed("0"), enter,
				pick(2), pick(2), pick(2),
				enter, enter)
			a, err := runTUI(t, keys)
			require.NoError(t, err)
			assert.Equal(t, tt.want, a.Get("pregnant").Value)
			assert.Equal(t, false, a.Get("breastfeeding").Value)
		})
	}
}

// TestTUIShiftTabLeavesEmptyList goes back from the treatment areas, a
// multiple choice with nothing marked yet, to correct the age.
func TestTUIShiftTabLeavesEmptyList(t *testing.T) {
	back := tea.KeyMsg{Type: tea.KeyShiftTab}
	bs := tea.KeyMsg{Type: tea.KeyBackspace}
	keys := script(typed("T-7"), enter, typed("42"), enter,
		back, bs, bs, typed("43"), enter, // from the areas back to the age
		typed("x"), enter, pick(1),
		pick(2), pick(2),
		pick(2), pick(2), pick(2), pick(2),
		pick(2), pick(1), typed("0"), enter,
		pick(2), pick(2), pick(2),
		enter, enter)
	a, err := runTUI(t, keys)
	require.NoError(t, err)
	assert.Equal(t, int64(43), a.Get("age").Value)
	assert.Equal(t, []string{"face"}, a.Get("treatment_areas").Value)
}
