package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one sanitiser of every terminal surface: check's text and table, the
// interview's verdict screen and its accessible prompts, "record show",
// "clear", "rules show" and "rules diff", and the errors on stderr.
//
// It works on the text that comes from data (patient answers and ids,
// notes, file names, the texts of a rule set), before any styling, rather
// than on the bytes on their way out. The colours and borders that
// lipgloss draws are escape sequences too, and once they are mixed with
// the data nothing tells an ESC of ours from a patient's: filtering the
// output would either strip our colours or let through whatever looks like
// a colour. Styled surfaces therefore pass each piece of data through
// Printable before they style it; surfaces that style nothing pass their
// whole text through PrintableLines as they write it.

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

// Printable replaces the characters of s that a terminal would act on
// rather than show (ESC, BEL, the rest of C0 and C1, DEL, and the bidi
// controls that reorder a line) with visible escapes such as \x1b, so
// that patient-supplied text cannot move the cursor, retitle the window
// or hide what follows. Bytes that are not UTF-8 are escaped too: a lone
// 0x9b is CSI to a terminal that reads 8-bit controls. Line breaks and
// tabs are escaped, for text that must stay on its line.
func Printable(s string) string { return escape(s, false) }

// PrintableLines is Printable for a block of text: it keeps line breaks
// and tabs, and escapes the rest, carriage returns included.
func PrintableLines(s string) string { return escape(s, true) }

func escape(s string, lines bool) string {
	act := func(r rune) bool {
		return hidden(r) && (!lines || r != '\n' && r != '\t')
	}
	if utf8.ValidString(s) && !strings.ContainsFunc(s, act) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case act(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
