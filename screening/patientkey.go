package screening

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// PatientKey is what two patient identifiers are compared by: the same
// key is the same patient. Chart numbers are copied between systems that
// each write them their own way: in capitals or not, with a byte order
// mark or a zero-width space picked up from a spreadsheet or a web page,
// with a non-breaking hyphen a word processor put in, with full-width
// letters from a Japanese keyboard. None of that makes another patient,
// so the key is the identifier
//
//   - without its invisible characters (Unicode's format characters, Cf:
//     byte order mark, zero-width space and joiners, soft hyphen, the
//     direction marks);
//   - in compatibility form (NFKC: "Ｄ" is "D", "ﬁ" is "fi", a
//     non-breaking space is a space);
//   - case-folded ("DUP" is "dup", "ß" is "ss");
//   - with every dash (Unicode's dash punctuation, Pd, and the minus
//     sign) as "-": "DUP‑1" with a non-breaking hyphen, "DUP–1" with an
//     en dash and "DUP-1" are one patient; a chart number does not tell
//     patients apart by the length of a dash;
//   - with runs of spaces as one, and none at either end.
//
// The key errs towards calling two identifiers one patient: the cost is a
// record flagged for review that did not need it, never two intakes of
// one patient screened as two people.
func PatientKey(id string) string {
	id = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, id)
	id = norm.NFKC.String(cases.Fold().String(norm.NFKC.String(id)))
	var b strings.Builder
	b.Grow(len(id))
	space := false
	for _, r := range id {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Pd, r) || r == '\u2212': // − minus sign
			r = '-'
		case unicode.Is(unicode.Cf, r): // NFKC or folding can make none, but cheap to be sure
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
