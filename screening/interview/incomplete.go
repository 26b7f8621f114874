package interview

import (
	"errors"

	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// incompleteError is ErrIncomplete in the words of the interview's
// language: an interview asked in Spanish does not end in English.
type incompleteError struct{ msg string }

func (e *incompleteError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrIncomplete) hold, whatever the language.
func (e *incompleteError) Is(target error) bool { return target == ErrIncomplete }

// inLanguage returns err said by tr where it is ErrIncomplete, and err as
// it is otherwise.
func inLanguage(err error, tr *i18n.Printer) error {
	var said *incompleteError
	if !errors.Is(err, ErrIncomplete) || errors.As(err, &said) {
		return err
	}
	return &incompleteError{msg: tr.T("interview incomplete: the input ended before every question was answered; nothing saved")}
}
