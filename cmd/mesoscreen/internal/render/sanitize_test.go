package render

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		`@SUM(1+1)*cmd|'/C calc'!A0`: `'@SUM(1+1)*cmd|'/C calc'!A0`,
		"+1":                         "'+1",
		"-2":                         "'-2",
		"\tx":                        "'\tx",
		"\rx":                        "'\rx",
		"MS-1001":                    "MS-1001",
		"":                           "",
	} {
		assert.Equal(t, want, csvCell(in), "%q", in)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain, with é and “quotes”":    "plain, with é and “quotes”",
		"\x1b[2J\x1b]0;title\x07":       `\x1b[2J\x1b]0;title\a`,
		"a\nb\tc\x7f\u009b":             `a\nb\tc\x7f\u009b`,
		"evil\u202egnp.exe":             `evil\u202egnp.exe`,
		`pregnant: "maybe" is not "no"`: `pregnant: "maybe" is not "no"`,
		"\x9b2J and \xc2":               `\x9b2J and \xc2`, // not UTF-8: CSI to an 8-bit terminal
	} {
		assert.Equal(t, want, Printable(in), "%q", in)
	}
}

func TestPrintableLines(t *testing.T) {
	for in, want := range map[string]string{
		"two\nlines\tand a tab":   "two\nlines\tand a tab",
		"over\rwritten\x1b[2K\n":  `over\rwritten\x1b[2K` + "\n",
		"\u009d0;title\u009c\x9b": `\u009d0;title\u009c\x9b`,
		"\u2067isolated\u2069":    `\u2067isolated\u2069`,
	} {
		assert.Equal(t, want, PrintableLines(in), "%q", in)
	}
}

// Through the writers: a hostile patient id and answer reach text and
// table output escaped, CSV output neutralised, and JSON as it was.
func TestWritersSanitize(t *testing.T) {
	res := screening.Result{
		PatientID: "=HYPERLINK(\"http://evil\")\x1b[31m",
		Source:    "in.csv:2",
		Verdict:   rules.NeedsReview,
		Findings: []screening.Finding{{Rule: "answer-invalid", Level: rules.NeedsReview,
			Message: "pregnant: \"\x1b]0;pwned\x07\" is not yes, no or unsure"}},
	}
	for _, format := range []string{"text", "table", "csv", "json"} {
		var b bytes.Buffer
		w := New(format, &b, Options{})
		require.NoError(t, w.Write(res))
		require.NoError(t, w.Close())
		out := b.String()
		switch format {
		case "csv":
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(rows[1][0], "'="), rows[1][0])
		case "json":
			assert.Contains(t, out, `\u001b[31m`)
		default:
			assert.NotContains(t, out, "\x1b", format)
			assert.NotContains(t, out, "\x07", format)
			assert.Contains(t, out, `\x1b]0;pwned\a`, format)
		}
	}
}
