package intake

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// lookalike is a letter of another script that is drawn like a Latin one.
type lookalike struct {
	latin rune
	name  string
}

// lookalikes are the Cyrillic and Greek letters that are drawn like a
// Latin letter in the fonts spreadsheets and editors use, each with the
// Latin letter (lower case, as field ids are written) and its name. A
// header typed on a Cyrillic or Greek keyboard, or pasted from a
// translated form, can spell "pregnant" with a Cyrillic р and е and look
// right on screen. Only the common look-alikes are listed: letters that
// merely resemble one (Greek ε, Cyrillic к) are not.
var lookalikes = map[rune]lookalike{
	// Cyrillic, small.
	'а': {'a', "Cyrillic small letter a"}, 'е': {'e', "Cyrillic small letter ie"}, 'о': {'o', "Cyrillic small letter o"},
	'р': {'p', "Cyrillic small letter er"}, 'с': {'c', "Cyrillic small letter es"}, 'у': {'y', "Cyrillic small letter u"},
	'х': {'x', "Cyrillic small letter ha"}, 'і': {'i', "Cyrillic small letter Byelorussian-Ukrainian i"},
	'ј': {'j', "Cyrillic small letter je"}, 'ѕ': {'s', "Cyrillic small letter dze"}, 'һ': {'h', "Cyrillic small letter shha"},
	'ԁ': {'d', "Cyrillic small letter komi de"}, 'ԛ': {'q', "Cyrillic small letter qa"}, 'ԝ': {'w', "Cyrillic small letter we"},
	// Cyrillic, capital.
	'А': {'a', "Cyrillic capital letter a"}, 'В': {'b', "Cyrillic capital letter ve"}, 'Е': {'e', "Cyrillic capital letter ie"},
	'К': {'k', "Cyrillic capital letter ka"}, 'М': {'m', "Cyrillic capital letter em"}, 'Н': {'h', "Cyrillic capital letter en"},
	'О': {'o', "Cyrillic capital letter o"}, 'Р': {'p', "Cyrillic capital letter er"}, 'С': {'c', "Cyrillic capital letter es"},
	'Т': {'t', "Cyrillic capital letter te"}, 'Х': {'x', "Cyrillic capital letter ha"}, 'У': {'y', "Cyrillic capital letter u"},
	'Ѕ': {'s', "Cyrillic capital letter dze"}, 'І': {'i', "Cyrillic capital letter Byelorussian-Ukrainian i"},
	'Ј': {'j', "Cyrillic capital letter je"},
	// Greek, small.
	'α': {'a', "Greek small letter alpha"}, 'ο': {'o', "Greek small letter omicron"}, 'ρ': {'p', "Greek small letter rho"},
	'ν': {'v', "Greek small letter nu"}, 'ι': {'i', "Greek small letter iota"}, 'κ': {'k', "Greek small letter kappa"},
	'υ': {'u', "Greek small letter upsilon"}, 'χ': {'x', "Greek small letter chi"}, 'ϲ': {'c', "Greek lunate sigma symbol"},
	'ϳ': {'j', "Greek letter yot"},
	// Greek, capital.
	'Α': {'a', "Greek capital letter alpha"}, 'Β': {'b', "Greek capital letter beta"}, 'Ε': {'e', "Greek capital letter epsilon"},
	'Ζ': {'z', "Greek capital letter zeta"}, 'Η': {'h', "Greek capital letter eta"}, 'Ι': {'i', "Greek capital letter iota"},
	'Κ': {'k', "Greek capital letter kappa"}, 'Μ': {'m', "Greek capital letter mu"}, 'Ν': {'n', "Greek capital letter nu"},
	'Ο': {'o', "Greek capital letter omicron"}, 'Ρ': {'p', "Greek capital letter rho"}, 'Τ': {'t', "Greek capital letter tau"},
	'Υ': {'y', "Greek capital letter upsilon"}, 'Χ': {'x', "Greek capital letter chi"},
}

// invisibleNames names the invisible characters most often picked up by
// copying text; any other format character (Unicode's Cf) is "an
// invisible formatting character".
var invisibleNames = map[rune]string{
	'\u00AD': "soft hyphen", '\u180E': "Mongolian vowel separator", '\u200B': "zero width space",
	'\u200C': "zero width non-joiner", '\u200D': "zero width joiner", '\u200E': "left-to-right mark",
	'\u200F': "right-to-left mark", '\u2060': "word joiner", '\uFEFF': "byte order mark (zero width no-break space)",
	'\u202A': "left-to-right embedding", '\u202B': "right-to-left embedding", '\u202C': "pop directional formatting",
	'\u202D': "left-to-right override", '\u202E': "right-to-left override", '\u2066': "left-to-right isolate",
	'\u2067': "right-to-left isolate", '\u2068': "first strong isolate", '\u2069': "pop directional isolate",
}

// skeleton is name as it looks: without its invisible characters, each
// look-alike letter of another script as the Latin letter it looks like,
// and full-width or other compatibility forms as their plain ones (NFKC).
// odd lists, once each and in order, the characters it took out or
// changed.
func skeleton(name string) (skel string, odd []rune) {
	var b strings.Builder
	note := func(r rune) {
		for _, o := range odd {
			if o == r {
				return
			}
		}
		odd = append(odd, r)
	}
	for _, r := range name {
		if l, ok := lookalikes[r]; ok {
			note(r)
			b.WriteRune(l.latin)
			continue
		}
		if unicode.Is(unicode.Cf, r) {
			note(r)
			continue
		}
		if s := norm.NFKC.String(string(r)); s != string(r) && r > unicode.MaxASCII {
			note(r)
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), odd
}

// describeRune names a character that skeleton took out or changed:
// "U+0440 (Cyrillic small letter er, drawn like p)", "U+200B (zero width
// space, invisible)".
func describeRune(r rune) string {
	if l, ok := lookalikes[r]; ok {
		return fmt.Sprintf("U+%04X (%s, drawn like %c)", r, l.name, l.latin)
	}
	if unicode.Is(unicode.Cf, r) {
		name := invisibleNames[r]
		if name == "" {
			name = "an invisible formatting character"
		}
		return fmt.Sprintf("U+%04X (%s, invisible)", r, name)
	}
	return fmt.Sprintf("U+%04X (a compatibility form of %q)", r, norm.NFKC.String(string(r)))
}
