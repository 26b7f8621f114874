package render

import (
	"strconv"
	"strings"
	"unicode"
)

// csvCell neutralises a cell that a spreadsheet would run as a formula:
// one that begins with =, +, -, @, a tab or a carriage return gets a
// leading ', as OWASP advises for CSV injection. A patient id such as
// "=HYPERLINK(...)" then opens as text.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// printable replaces the characters of s that a terminal would act on
// rather than show (ESC, BEL, the rest of C0 and C1, DEL, and the bidi
// controls that reorder a line) with visible escapes such as \x1b, so
// that patient-supplied text cannot move the cursor, retitle the window
// or hide what follows.
func printable(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
