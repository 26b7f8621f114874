package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
)

//go:embed report.html.tmpl
var pageText string

var pageTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"join": func(ss []string) string {
		out := ""
		for i, s := range ss {
			if i > 0 {
				out += " · "
			}
			out += s
		}
		return out
	},
	"add":   func(a, b int) int { return a + b },
	"y":     func(i int) int { return i * 26 },
	"lines": func(n int) int { return n*26 + 4 },
}).Parse(pageText))

// Write renders the report as one HTML page that needs nothing from the
// network: its styles are inline and its charts are SVG drawn in the page.
func (r *Report) Write(w io.Writer) error {
	return pageTmpl.Execute(w, r.page())
}

func formatFloat(x float64) string  { return strconv.FormatFloat(x, 'f', 1, 64) }
func formatFloat0(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }
