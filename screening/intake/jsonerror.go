package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// syntaxProblem is what is wrong with JSON text where a decoder stopped,
// said in our own words: what was found and what JSON allows there. at is
// the index, in the decoder's unread buffer, of what was found.
type syntaxProblem struct {
	at       int
	found    string
	expected string
	eof      bool // the text ends too early
}

func (p syntaxProblem) Error() string {
	if p.eof {
		return "the JSON ends too early; expected a complete object"
	}
	return fmt.Sprintf("invalid JSON: found %s, expected %s", p.found, p.expected)
}

// Texts of what JSON allows in a place.
const (
	wantValue = "a value (a string in double quotes, a number, true, false, null, an object or an array)"
	wantName  = "a member name in double quotes"
)

// explain says what is wrong with the text a decoder failed on with err:
// it reads on from where the decoder last stood, which its stack says, to
// the first byte JSON does not allow there. It does not depend on the
// decoder's own error text.
func explain(dec *jsontext.Decoder, err error) syntaxProblem {
	b := dec.UnreadBuffer()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return syntaxProblem{at: len(b), eof: true}
	}
	kind, n := dec.StackIndex(dec.StackDepth())
	return scanProblem(b, kind, n, 0)
}

// scanProblem finds the problem in b, which starts just after a token
// read inside a value of kind ('{', '[' or 0 for the top level) of n
// names and values so far.
func scanProblem(b []byte, kind jsontext.Kind, n int64, nested int) syntaxProblem {
	i := skipSpace(b, 0)
	want, closer := wantValue, byte(0)
	switch {
	case kind == '{' && n%2 == 1:
		if i == len(b) {
			return syntaxProblem{at: i, eof: true}
		}
		if b[i] != ':' {
			return syntaxProblem{at: i, found: foundAt(b, i), expected: "':' after the member name"}
		}
		i = skipSpace(b, i+1)
	case kind == '{' && n == 0:
		want, closer = wantName+", or '}'", '}'
	case kind == '[' && n == 0:
		want, closer = wantValue+", or ']'", ']'
	case kind == '{' || kind == '[':
		after, end := "a member", "'}'"
		if kind == '[' {
			after, end = "an element", "']'"
		}
		if i == len(b) {
			return syntaxProblem{at: i, eof: true}
		}
		if b[i] != ',' {
			return syntaxProblem{at: i, found: foundAt(b, i), expected: "',' or " + end + " after " + after}
		}
		i = skipSpace(b, i+1)
		if kind == '{' {
			want = wantName
		}
		if i < len(b) && b[i] == end[1] {
			return syntaxProblem{at: i, found: foundAt(b, i), expected: want + "; JSON allows no ',' before " + end}
		}
	}
	if i == len(b) {
		return syntaxProblem{at: i, eof: true}
	}
	c := b[i]
	isName := want == wantName || closer == '}'
	switch {
	case c == closer && closer != 0:
		// Allowed here: the problem is not in this text.
	case c == '"':
		return scanString(b, i)
	case isName:
		return syntaxProblem{at: i, found: foundAt(b, i), expected: want}
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(b, i)
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		return scanWord(b, i, want)
	case (c == '{' || c == '[') && nested < 2:
		// A whole value the decoder read at once: read it a token at a
		// time to find where it breaks.
		p := scanValue(b[i:], nested+1)
		p.at += i
		return p
	default:
		return syntaxProblem{at: i, found: foundAt(b, i), expected: want}
	}
	return syntaxProblem{at: i, found: "text JSON does not allow here", expected: "valid JSON"}
}

// scanValue finds the problem in a value that starts b.
func scanValue(b []byte, nested int) syntaxProblem {
	dec := jsontext.NewDecoder(bytes.NewReader(b), jsonOptions...)
	for {
		_, err := dec.ReadToken()
		if err == nil {
			continue
		}
		off := int(dec.InputOffset())
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return syntaxProblem{at: len(b), eof: true}
		}
		kind, n := dec.StackIndex(dec.StackDepth())
		p := scanProblem(dec.UnreadBuffer(), kind, n, nested)
		p.at += off
		return p
	}
}

// scanString finds the problem in a string that starts at b[i].
func scanString(b []byte, i int) syntaxProblem {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return syntaxProblem{at: j + 1, found: "text JSON does not allow after a string", expected: "valid JSON"}
		case c == '\\':
			if j+1 == len(b) {
				return syntaxProblem{at: len(b), eof: true}
			}
			e := b[j+1]
			if e == 'u' {
				hex := b[j+2 : min(j+6, len(b))]
				if len(hex) < 4 {
					return syntaxProblem{at: len(b), eof: true}
				}
				if !isHex(hex) {
					esc := `\u` + string(hex)
					if strings.IndexFunc(esc, func(r rune) bool { return r <= ' ' || r >= utf8.RuneSelf }) >= 0 {
						esc = fmt.Sprintf("%q", esc)
					}
					return syntaxProblem{at: j, found: "the escape " + esc + " in a string", expected: `\u and four hexadecimal digits`}
				}
				j += 5
				continue
			}
			if !strings.ContainsRune(`"\/bfnrt`, rune(e)) {
				esc := `\` + string(e)
				if e >= utf8.RuneSelf || e < ' ' {
					esc = fmt.Sprintf(`\ and byte 0x%02x`, e)
				}
				return syntaxProblem{at: j, found: fmt.Sprintf("the escape %s in a string", esc), expected: `one of \" \\ \/ \b \f \n \r \t or \u and four hexadecimal digits`}
			}
			j++
		case c < ' ':
			what := fmt.Sprintf("a control character (byte 0x%02x)", c)
			if c == '\n' || c == '\r' {
				what = "a line break"
			}
			return syntaxProblem{at: j, found: what + " inside a string", expected: `the string closed with " first, or the character written as an escape such as \n`}
		}
	}
	return syntaxProblem{at: len(b), eof: true}
}

func isHex(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// scanNumber finds the problem in a number that starts at b[i].
func scanNumber(b []byte, i int) syntaxProblem {
	j := i
	for j < len(b) && strings.IndexByte("0123456789+-.eE", b[j]) >= 0 {
		j++
	}
	if j == len(b) {
		return syntaxProblem{at: j, eof: true}
	}
	return syntaxProblem{at: i, found: fmt.Sprintf("the number %q", b[i:j]), expected: "a number as JSON writes it, such as 42, -7 or 1.5"}
}

// scanWord finds the problem in a word that starts at b[i]: a literal
// misspelt, or text without quotes.
func scanWord(b []byte, i int, want string) syntaxProblem {
	j := i
	for j < len(b) && (b[j] >= utf8.RuneSelf || b[j] == '_' || 'a' <= b[j] && b[j] <= 'z' || 'A' <= b[j] && b[j] <= 'Z' || '0' <= b[j] && b[j] <= '9') {
		j++
	}
	word := string(b[i:j])
	for _, lit := range []string{"true", "false", "null"} {
		if word != lit && strings.HasPrefix(lit, word) {
			if j == len(b) {
				return syntaxProblem{at: j, eof: true}
			}
			return syntaxProblem{at: i, found: fmt.Sprintf("%q", word), expected: lit}
		}
	}
	return syntaxProblem{at: i, found: fmt.Sprintf("%q, a word without quotes", word), expected: want}
}

// foundAt names the character at b[i].
func foundAt(b []byte, i int) string {
	r, size := utf8.DecodeRune(b[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("byte 0x%02x", b[i])
	case r < ' ' || r == 0x7f:
		return fmt.Sprintf("a control character (byte 0x%02x)", r)
	case r == '\'':
		return `"'"`
	case r == '"':
		return "a string"
	}
	return "'" + string(r) + "'"
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// describeKind names the kind of the JSON value a token starts.
func describeKind(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	return fmt.Sprintf("%q", k.String())
}
