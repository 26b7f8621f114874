package prompt

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// syncField is a huh field (an input or a multiple choice) whose Enter or
// Tab, once its answer is valid, asks the host to move on at once. An
// invalid answer goes to huh as it is, which says what is wrong and stays.
type syncField struct {
	huh.Field
	valid   func() bool
	advance bool
	// tried is set once Enter or Tab found the answer invalid: huh's
	// multiple choice checks its answer as soon as it has focus, and
	// should not say "choose at least one" before the clinician could.
	tried bool
	// given is an input's prefilled answer, and shown the same escaped
	// for the terminal, as the input starts with it.
	given, shown string
	// keep, in a re-screen, puts last time's answer in the field, for
	// Ctrl+K; nil when there is none to keep. keepHelp is its help.
	keep     func()
	keepHelp string
	// kept reports whether the field holds last time's answer, put
	// there with Ctrl+K and not changed since.
	kept func() bool
}

// typed is the answer an input holds: the prefilled answer as given
// while the input still shows it unchanged, else what was typed.
func (s *syncField) typed(v string) string {
	if s.shown != "" && v == s.shown {
		return s.given
	}
	return v
}

func (s *syncField) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter", "tab":
			if s.valid() {
				s.advance = true
				return s, nil
			}
			s.tried = true
		case "shift+tab":
			return s, nil // the host goes back; huh's multiple choice would refuse without an answer
		case keepCtrl:
			// Ctrl+K, not k: k may begin the answer typed. huh would take
			// it for deleting to the end of the line, or for up.
			if s.keep != nil {
				s.keep()
				if s.valid() {
					s.advance = true
				}
			}
			return s, nil
		}
	}
	m, cmd := s.Field.Update(msg)
	s.Field = m.(huh.Field)
	return s, cmd
}

func (s *syncField) answered() bool { return s.valid() }

// isKept reports whether the field holds last time's answer.
func (s *syncField) isKept() bool { return s.kept != nil && s.kept() }

// KeyBinds offers Ctrl+K where it keeps last time's answer.
func (s *syncField) KeyBinds() []key.Binding {
	binds := s.Field.KeyBinds()
	if s.keep != nil {
		binds = append([]key.Binding{key.NewBinding(key.WithKeys(keepCtrl), key.WithHelp(keepCtrl, s.keepHelp))}, binds...)
	}
	return binds
}

func (s *syncField) takeAdvance() bool {
	a := s.advance
	s.advance = false
	return a
}

func (s *syncField) WithTheme(t huh.Theme) huh.Field {
	s.Field = s.Field.WithTheme(t)
	return s
}

func (s *syncField) WithKeyMap(k *huh.KeyMap) huh.Field {
	s.Field = s.Field.WithKeyMap(k)
	return s
}

func (s *syncField) WithWidth(w int) huh.Field {
	s.Field = s.Field.WithWidth(w)
	return s
}

func (s *syncField) WithHeight(h int) huh.Field {
	s.Field = s.Field.WithHeight(h)
	return s
}

func (s *syncField) WithPosition(p huh.FieldPosition) huh.Field {
	s.Field = s.Field.WithPosition(p)
	return s
}
