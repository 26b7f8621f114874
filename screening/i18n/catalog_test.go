package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

func TestCatalogsLoad(t *testing.T) {
	assert.Equal(t, []string{"en", "es", "fr"}, Langs())
	assert.ElementsMatch(t, Langs(), slices.Collect(maps.Keys(answers())), "answers.yaml has every language")
	for _, l := range Langs() {
		c := catalogOf(l)
		require.NotNil(t, c)
		assert.Len(t, c.Months, 12, l)
		assert.Len(t, c.Weekdays, 7, l)
		assert.NotEmpty(t, c.And, l)
		assert.NotEmpty(t, c.Or, l)
		assert.NotEmpty(t, c.Name, l)
		for _, w := range []Word{Yes, No, Unsure} {
			assert.NotEmpty(t, AnswerWords(l, w), "%s has words for %d", l, w)
		}
	}
}

// A word that says no in one language must never say yes or not sure in
// another, nor the other way round: a file is read in every language at
// once, so the word sets of all of them are one.
func TestAnswerWordsNeverCross(t *testing.T) {
	says := map[string]map[Word][]string{} // folded word -> what it says -> in which languages
	for _, l := range Langs() {
		for _, w := range []Word{Yes, No, Unsure} {
			for _, s := range AnswerWords(l, w) {
				k := rules.Fold(s)
				if says[k] == nil {
					says[k] = map[Word][]string{}
				}
				says[k][w] = append(says[k][w], l)
			}
		}
	}
	for k, m := range says {
		assert.Len(t, m, 1, "%q says %v", k, m)
	}
}

func TestAnswerWord(t *testing.T) {
	tests := []struct {
		in   string
		want Word
	}{
		{"yes", Yes}, {"Y", Yes}, {"1", Yes}, {"sí", Yes}, {"Si", Yes}, {"SÍ", Yes}, {"S", Yes}, {"oui", Yes}, {"Oui.", Yes}, {"O", Yes},
		{"no", No}, {"No.", No}, {"N", No}, {"0", No}, {"non", No}, {"NON", No},
		{"not sure", Unsure}, {"don’t know", Unsure}, {"unsure", Unsure},
		// Spanish "no sé" starts with "no" and is never no: written with
		// or without its accent, in any case, with a full stop.
		{"no sé", Unsure}, {"No sé", Unsure}, {"no se", Unsure}, {"NO SE", Unsure}, {"No sé.", Unsure}, {"no  sé", Unsure},
		{"no lo sé", Unsure}, {"no estoy seguro", Unsure}, {"no estoy segura", Unsure}, {"No estoy seguro/a", Unsure},
		{"NS/NC", Unsure}, {"ns", Unsure},
		{"je ne sais pas", Unsure}, {"Je ne sais pas", Unsure}, {"ne sais pas", Unsure}, {"NSP", Unsure}, {"pas sûr", Unsure}, {"pas sure", Unsure},
		// Anything else is no word at all: it needs review, never no.
		{"no, no sé", Other}, {"no creo", Other}, {"non applicable", Other}, {"nope", Other}, {"n/a", Other},
		{"ne", Other}, {"nein", Other}, {"non so", Other}, {"y/n", Other}, {"", Other}, {"maybe", Other}, {"quizás", Other},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, AnswerWord(tt.in), "%q", tt.in)
	}
}

func TestPrinter(t *testing.T) {
	var en *Printer
	assert.Equal(t, "en", en.Lang())
	assert.Equal(t, "a, b and c", en.Join([]string{"a", "b", "c"}))
	es, fr := For("es"), For("fr")
	assert.Equal(t, "a, b y c", es.Join([]string{"a", "b", "c"}))
	assert.Equal(t, "a et b", fr.Join([]string{"a", "b"}))
	assert.Equal(t, "Sintrom (acenocumarol) e ibuprofeno", es.Join([]string{"Sintrom (acenocumarol)", "ibuprofeno"}), "y is e before the sound i")
	assert.Equal(t, "Sintrom y hierro", es.Join([]string{"Sintrom", "hierro"}), "but not before hie")
	assert.Equal(t, "Adiro u Omacor", es.JoinOr([]string{"Adiro", "Omacor"}))
	assert.Equal(t, "es", For("es-MX").Lang(), "a region speaks its language")
	assert.Nil(t, For("de"), "a language without a catalog is English")
	d := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, "1 March 2026", en.Date(d))
	assert.Equal(t, "Sunday 1 March 2026", For("en").LongDate(d))
	assert.Equal(t, "1 de marzo de 2026", es.Date(d))
	assert.Equal(t, "domingo, 1 de marzo de 2026", es.LongDate(d))
	assert.Equal(t, "1er mars 2026", fr.Date(d))
	assert.Equal(t, "lundi 2 mars 2026", fr.LongDate(d.AddDate(0, 0, 1)))
}

// verbs lists the fmt verbs of a format by the argument each formats, %q
// and %s as one (a translation may quote with « » rather than %q).
func verbs(format string) map[int]string {
	out := map[int]string{}
	arg := 0
	re := regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)
	for _, m := range re.FindAllStringSubmatch(format, -1) {
		if m[4] == "%" {
			continue
		}
		if m[2] != "" {
			n, _ := strconv.Atoi(m[2])
			arg = n - 1
		}
		v := m[4]
		if v == "q" {
			v = "s"
		}
		out[arg] = v
		arg++
	}
	return out
}

func TestTranslationsKeepTheVerbs(t *testing.T) {
	for _, l := range Langs()[1:] {
		for k, v := range catalogOf(l).Messages {
			assert.Equal(t, verbs(k), verbs(v), "%s: %q translated as %q", l, k, v)
		}
		for dir, c := range otherCatalogs(t) {
			w := c.in(l)
			require.NotNil(t, w, "%s has no %s.yaml", dir, l)
			for k, v := range w.Messages {
				assert.Equal(t, verbs(k), verbs(v), "%s/%s.yaml: %q translated as %q", dir, l, k, v)
			}
		}
	}
}

// partsWithWords are the parts of the program with a Catalog of their
// own, by the directory of their code, and where it is.
var partsWithWords = map[string]string{
	"cmd/mesoscreen/internal/prompt": "cmd/mesoscreen/internal/prompt/i18n",
}

// otherCatalogs reads the Catalogs of partsWithWords, by the directory of
// the code that says their texts.
func otherCatalogs(t *testing.T) map[string]*Catalog {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	out := map[string]*Catalog{}
	for code, dir := range partsWithWords {
		out[code] = NewCatalog(os.DirFS(filepath.Join(root, dir)))
	}
	return out
}

// messagesInCode lists the English texts the module's code translates,
// each with the places that say it (file:line:col, the file's path from
// the module's root): the first argument of every call of a method T with
// a string literal, the second and third of a method N, and the places
// where either is called with anything else.
func messagesInCode(t *testing.T) (map[string][]string, []string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	msgs := map[string][]string{}
	var dynamic []string
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, filepath.ToSlash(rel), src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "T" && sel.Sel.Name != "N" {
				return true
			}
			texts := call.Args[:1] // T(msg, args...)
			if sel.Sel.Name == "N" {
				if len(call.Args) < 3 {
					return true
				}
				texts = call.Args[1:3] // N(n, one, other, args...)
			}
			for _, arg := range texts {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					dynamic = append(dynamic, fset.Position(call.Pos()).String())
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				msgs[s] = append(msgs[s], fset.Position(call.Pos()).String())
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return msgs, dynamic
}

// partOf is the part of the program whose Catalog a text said at places
// at belongs in: the one of partsWithWords whose code alone says it, or
// "", mesoscreen's catalog, for a text said anywhere else too.
func partOf(at []string) string {
	part := ""
	for i, pos := range at {
		file, _, _ := strings.Cut(pos, ":")
		p := path.Dir(file)
		if _, ok := partsWithWords[p]; !ok {
			return ""
		}
		if i > 0 && p != part {
			return ""
		}
		part = p
	}
	return part
}

// Every text the program translates has its translation in every
// language, in the catalog of the part that says it (partOf), and a
// catalog holds no text that is not its part's to say.
func TestEveryMessageTranslated(t *testing.T) {
	msgs, dynamic := messagesInCode(t)
	require.NotEmpty(t, msgs)
	assert.Empty(t, dynamic, "T must be called with the English text itself, so that this test sees it")
	others := otherCatalogs(t)
	for _, l := range Langs()[1:] {
		held := map[string]map[string]string{"": catalogOf(l).Messages}
		for part, c := range others {
			w := c.in(l)
			require.NotNil(t, w, "%s has no %s.yaml", partsWithWords[part], l)
			held[part] = w.Messages
		}
		for part, texts := range held {
			file := "screening/i18n/" + l + ".yaml"
			if part != "" {
				file = partsWithWords[part] + "/" + l + ".yaml"
			}
			var missing, stale []string
			for m, at := range msgs {
				if _, ok := texts[m]; !ok && partOf(at) == part {
					missing = append(missing, at[0]+": "+strconv.Quote(m))
				}
			}
			for m := range texts {
				if at, ok := msgs[m]; !ok || partOf(at) != part {
					stale = append(stale, strconv.Quote(m))
				}
			}
			slices.Sort(missing)
			slices.Sort(stale)
			assert.Empty(t, missing, "%s lacks these texts", file)
			assert.Empty(t, stale, "%s holds texts that are not its part's to say, or that the program no longer says", file)
		}
	}
}

// A Catalog laid over a printer says its own texts and its yes key in
// the printer's language, and the rest as the printer does; English, and
// a language it has no file for, are left as they are.
func TestCatalogOver(t *testing.T) {
	c := NewCatalog(fstest.MapFS{
		"es.yaml": {Data: []byte("lang: es\nyes_key: s\nmessages:\n  \"back\": \"atrás\"\n  \"Yes\": \"Sí, sí\"\n")},
	})
	es := c.Over(For("es"))
	assert.Equal(t, "atrás", es.T("back"))
	assert.Equal(t, "Sí, sí", es.T("Yes"), "the catalog laid over is read first")
	assert.Equal(t, "No", es.T("No"), "a text it does not hold is the printer's")
	assert.Equal(t, "una de: a o b", es.T("one of: %s", es.JoinOr([]string{"a", "b"})))
	assert.Equal(t, "s", es.YesKey())
	assert.Equal(t, "es", es.Lang())
	assert.Equal(t, "1 de marzo de 2026", es.Date(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "y", For("es").YesKey(), "a printer without a catalog that names a key answers with y")
	assert.Nil(t, c.Over(nil), "English is the texts themselves")
	assert.Equal(t, "back", c.Over(For("en")).T("back"))
	fr := For("fr")
	assert.Same(t, fr, c.Over(fr), "no fr.yaml: the printer as it is")
	assert.Equal(t, "y", c.Over(fr).YesKey())
	bad := NewCatalog(fstest.MapFS{"es.yaml": {Data: []byte("lang: fr\n")}})
	assert.PanicsWithValue(t, `i18n: es.yaml: lang is "fr"`, func() { bad.Over(For("es")) })
}

func TestExpected(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	es, err := rs.In("es")
	require.NoError(t, err)
	d, _ := es.Question("diabetes")
	assert.Equal(t, "una de: Sin diabetes, Diabetes sin insulina, Diabetes tratada con insulina o No lo sé", For("es").Expected(d))
	den, _ := rs.Question("diabetes")
	assert.Equal(t, den.Expected(), For("en").Expected(den))
}

// The French catalog follows French typography as the rule set's French
// texts do (rules/typography_internal_test.go): a no-break space U+00A0,
// never an ordinary one, before : ; ? ! and inside « ».
func TestFrenchCatalogKeepsItsSpaces(t *testing.T) {
	const nbsp = '\u00a0'
	bad := func(s string) []string {
		var out []string
		runes := []rune(s)
		for i, r := range runes {
			switch {
			case strings.ContainsRune(":;?!»", r) && (i == 0 || runes[i-1] != nbsp):
				out = append(out, fmt.Sprintf("no no-break space before %c at %d", r, i))
			case r == '«' && (i == len(runes)-1 || runes[i+1] != nbsp):
				out = append(out, fmt.Sprintf("no no-break space after « at %d", i))
			}
		}
		return out
	}
	assert.Len(t, bad("Allaitez-vous ? « oui »"), 3, "the check can fail")
	fr := catalogOf("fr")
	require.NotNil(t, fr)
	for k, v := range fr.Messages {
		assert.Empty(t, bad(v), "%q translated as %q", k, v)
	}
}
