package prompt

import (
	"slices"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// scrolled is a list of options (huh's select or multiple choice) shown
// whole where the page has room for it, and otherwise as many rows as
// fit with a last line that says how many more are above and below. huh
// scrolls a list too long for its room without a word, and its multiple
// choice sizes its rows as if the title took none of them: a clinician
// saw 7 of 10 areas, or a review without its last answer, and could not
// know there were more.
type scrolled struct {
	huh.Field
	// title and desc are the field's, as it shows them, to count the
	// lines they take; values are its options' values, in order, and
	// labels their labels where huh wraps them (its select does, its
	// multiple choice does not: nil, one line each).
	title, desc string
	values      []string
	labels      []string
	// hovered is the value of the option the cursor is on.
	hovered func() (string, bool)

	theme         huh.Theme
	width, height int // height 0: no limit given
	// lines is the number of lines each option takes; rows is how many
	// lines of options are shown, and top the first of them.
	lines     []int
	rows, top int
	tr        *i18n.Printer
}

func (l *scrolled) styles() *huh.FieldStyles {
	t := l.theme
	if t == nil {
		t = huh.ThemeFunc(huh.ThemeBase16)
	}
	return &t.Theme(true).Focused
}

// header is the number of lines the title and description take, wrapped
// as huh wraps them.
func (l *scrolled) header() int {
	st := l.styles()
	w := l.width - st.Base.GetHorizontalFrameSize()
	wrap := func(s string) string {
		if w <= 0 {
			return s
		}
		return lipgloss.Wrap(s, w, ",.-; ")
	}
	h := 0
	if l.title != "" {
		h += lipgloss.Height(st.Title.Render(wrap(l.title)))
	}
	if l.desc != "" {
		h += lipgloss.Height(st.Description.Render(wrap(l.desc)))
	}
	return h
}

// measure counts the lines of each option, wrapped as huh's select
// wraps them beside its cursor.
func (l *scrolled) measure() int {
	st := l.styles()
	w := l.width - st.Base.GetHorizontalFrameSize() - lipgloss.Width(st.SelectSelector.String())
	l.lines = make([]int, len(l.values))
	total := 0
	for i := range l.values {
		l.lines[i] = 1
		if i < len(l.labels) && w > 0 {
			l.lines[i] = lipgloss.Height(lipgloss.Wrap(l.labels[i], w, ",.-; "))
		}
		total += l.lines[i]
	}
	return total
}

// fit gives the list the height of all its rows, or, where the form has
// less room, the rows that fit beside one line for the hint.
func (l *scrolled) fit() {
	head, n := l.header(), l.measure()
	if l.height <= 0 || l.height >= head+n {
		l.rows = n
	} else {
		l.rows = max(1, l.height-head-1)
	}
	l.Field = l.Field.WithHeight(head + l.rows)
	if l.width > 0 {
		l.Field = l.Field.WithWidth(l.width) // huh's multiple choice sizes its rows here
	}
}

// total is the number of lines of all the options.
func (l *scrolled) total() int {
	n := 0
	for _, h := range l.lines {
		n += h
	}
	return n
}

// follow moves the lines shown as huh does, as little as keeps the
// option under the cursor in sight.
func (l *scrolled) follow() {
	if v, ok := l.hovered(); ok {
		if i := slices.Index(l.values, v); i >= 0 && i < len(l.lines) {
			at := 0
			for _, h := range l.lines[:i] {
				at += h
			}
			if at < l.top {
				l.top = at
			}
			if end := at + l.lines[i]; end > l.top+l.rows {
				l.top = end - l.rows
			}
		}
	}
	l.top = min(max(0, l.top), max(0, l.total()-l.rows))
}

// hint says how many options are wholly or partly out of sight, "" when
// none is.
func (l *scrolled) hint() string {
	l.follow()
	above, below, at := 0, 0, 0
	for _, h := range l.lines {
		if at < l.top {
			above++
		}
		if at+h > l.top+l.rows {
			below++
		}
		at += h
	}
	switch {
	case above > 0 && below > 0:
		return l.tr.T("↑ %d more above, ↓ %d more below", above, below)
	case above > 0:
		return l.tr.T("↑ %d more above", above)
	case below > 0:
		return l.tr.T("↓ %d more below", below)
	}
	return ""
}

func (l *scrolled) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	m, cmd := l.Field.Update(msg)
	l.Field = m.(huh.Field)
	l.follow()
	return l, cmd
}

func (l *scrolled) View() string {
	v := l.Field.View()
	if l.rows >= l.total() {
		return v
	}
	st := l.styles()
	return v + "\n" + st.Base.Render(st.Description.Render(l.hint()))
}

func (l *scrolled) WithTheme(t huh.Theme) huh.Field {
	l.theme = t
	l.Field = l.Field.WithTheme(t)
	l.fit()
	return l
}

func (l *scrolled) WithWidth(w int) huh.Field {
	l.width = w
	l.Field = l.Field.WithWidth(w)
	l.fit()
	return l
}

func (l *scrolled) WithHeight(h int) huh.Field {
	l.height = h
	l.fit()
	return l
}

func (l *scrolled) WithKeyMap(k *huh.KeyMap) huh.Field {
	l.Field = l.Field.WithKeyMap(k)
	return l
}

func (l *scrolled) WithPosition(p huh.FieldPosition) huh.Field {
	l.Field = l.Field.WithPosition(p)
	return l
}
