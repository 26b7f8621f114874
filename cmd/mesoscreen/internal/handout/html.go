package handout

import (
	_ "embed"
	"html/template"
	"io"

	"github.com/mesoscreen/mesoscreen/rules"
)

//go:embed handout.html.tmpl
var htmlTemplate string

var htmlPages = template.Must(template.New("handout").Funcs(template.FuncMap{
	"tone": tone,
}).Parse(htmlTemplate))

// HTML writes the pages as one self-contained HTML file, each page
// printed on sheets of its own.
func HTML(w io.Writer, lang string, pages []Page) error {
	return htmlPages.Execute(w, struct {
		Lang  string
		Pages []Page
	}{lang, pages})
}

// tone is the colour name of a verdict, for the box around it; the words
// say the verdict, the colour only helps.
func tone(l rules.Level) string {
	switch l {
	case rules.Eligible, rules.EligibleWithPrecautions:
		return "go"
	case rules.NeedsReview, rules.Defer:
		return "wait"
	case rules.NotEligible:
		return "stop"
	}
	return ""
}
