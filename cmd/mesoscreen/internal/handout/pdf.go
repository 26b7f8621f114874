package handout

import (
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/mesoscreen/mesoscreen/rules"
)

// PDF writes the pages as an A4 PDF, each page on sheets of its own. The
// Go fonts are embedded, so that "é", "ü" and "–" print the same on every
// machine.
func PDF(w io.Writer, pages []Page, date time.Time) error {
	return writePDF(w, pages, date, true)
}

// Layout, in millimetres and points.
const (
	margin   = 18.0
	lineH    = 5.6 // a line of body text
	bodySize = 11.0
)

// writePDF is PDF; compress false leaves the page streams readable, for
// tests that read the text back.
func writePDF(w io.Writer, pages []Page, date time.Time, compress bool) error {
	pdf := newPDF()
	pdf.SetCompression(compress)
	pdf.SetCreationDate(date)
	pdf.SetCatalogSort(true)
	if len(pages) > 0 {
		pdf.SetTitle(pages[0].Title, true)
	}
	for _, p := range pages {
		k := 1.0
		if p.OnePage {
			k = fitScale(p)
		}
		pdfPage(&pen{pdf, k}, p)
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// newPDF is an A4 document with the Go fonts and the margins.
func newPDF() *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	return pdf
}

// pen draws on a PDF with every size and vertical space scaled by k, so
// that a page that must fit on one sheet can be drawn smaller.
type pen struct {
	*fpdf.Fpdf
	k float64
}

// font sets the font at size points, scaled.
func (pn *pen) font(style string, size float64) { pn.SetFont("go", style, size*pn.k) }

// ln moves down h millimetres, scaled.
func (pn *pen) ln(h float64) { pn.Ln(h * pn.k) }

// lh is a line of body text, scaled.
func (pn *pen) lh() float64 { return lineH * pn.k }

// smallest is the smallest scale a one-page page is drawn at: below it
// the type is too small to read on a fax, so a page that still does not
// fit runs on to a second sheet rather than lose anything.
const smallest = 0.8

// fitScale is the largest scale, from 1 down to smallest, at which page
// p fits on one sheet; smallest when none does.
func fitScale(p Page) float64 {
	for k := 1.0; k > smallest; k -= 0.025 {
		trial := newPDF()
		pdfPage(&pen{trial, k}, p)
		if trial.Error() == nil && trial.PageNo() == 1 {
			return k
		}
	}
	return smallest
}

func pdfPage(pdf *pen, p Page) {
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	width := pageW - 2*margin

	// The clinic, with a line to write on when it is not configured.
	pdf.font("B", 14)
	name := p.Clinic.Name
	if name == "" {
		name = p.ClinicLabel + " ____________________________"
	}
	pdf.CellFormat(width*0.6, 7*pdf.k, name, "", 0, "L", false, 0, "")
	pdf.font("", 10)
	phone := p.Clinic.Phone
	if phone == "" {
		phone = "________________"
	}
	pdf.CellFormat(width*0.4, 7*pdf.k, p.PhoneLabel+" "+phone, "", 1, "R", false, 0, "")
	pdf.SetLineWidth(0.6)
	pdf.Line(margin, pdf.GetY()+1, margin+width, pdf.GetY()+1)
	pdf.ln(6)

	pdf.font("B", 19)
	pdf.MultiCell(width, 9*pdf.k, p.Title, "", "L", false)
	pdf.ln(2)

	for _, f := range p.Fields {
		pdf.font("", 10)
		pdf.SetTextColor(90, 100, 114)
		pdf.CellFormat(48, pdf.lh(), f.Label, "", 0, "L", false, 0, "")
		pdf.SetTextColor(29, 35, 43)
		pdf.font("B", bodySize)
		pdf.MultiCell(width-48, pdf.lh(), f.Value, "", "L", false)
	}
	pdf.ln(3)

	if p.Verdict != "" {
		verdictBox(pdf, p.Verdict, p.VerdictLevel, width)
	}
	for _, b := range p.Blocks {
		pdfBlock(pdf, b, width)
	}
	if len(p.Signatures) > 0 {
		signatures(pdf, p.Signatures, width)
	}
	if p.Closing != "" {
		pdf.ln(4)
		pdf.font("I", bodySize)
		pdf.MultiCell(width, pdf.lh(), p.Closing, "", "L", false)
	}
}

// verdictBox draws the verdict with a coloured bar beside it.
func verdictBox(pdf *pen, text string, l rules.Level, width float64) {
	r, g, b := 90, 100, 114
	switch tone(l) {
	case "go":
		r, g, b = 46, 125, 79
	case "wait":
		r, g, b = 178, 106, 0
	case "stop":
		r, g, b = 179, 38, 30
	}
	pdf.font("B", 13)
	lines := pdf.SplitText(text, width-10)
	h := (float64(len(lines))*6.5 + 6) * pdf.k
	if pdf.GetY()+h > 297-margin {
		pdf.AddPage()
	}
	y := pdf.GetY()
	pdf.SetFillColor(245, 247, 249)
	pdf.Rect(margin, y, width, h, "F")
	pdf.SetFillColor(r, g, b)
	pdf.Rect(margin, y, 2.2, h, "F")
	pdf.SetXY(margin+6, y+3*pdf.k)
	pdf.MultiCell(width-10, 6.5*pdf.k, text, "", "L", false)
	pdf.SetY(y + h + 4*pdf.k)
}

func pdfBlock(pdf *pen, b Block, width float64) {
	if b.Heading != "" {
		// Keep a heading with the first lines under it.
		if pdf.GetY()+pdf.lh()*4 > 297-margin {
			pdf.AddPage()
		}
		pdf.ln(2)
		pdf.font("B", 12.5)
		pdf.CellFormat(width, 7*pdf.k, b.Heading, "", 1, "L", false, 0, "")
		pdf.SetLineWidth(0.2)
		pdf.SetDrawColor(201, 208, 216)
		pdf.Line(margin, pdf.GetY(), margin+width, pdf.GetY())
		pdf.SetDrawColor(0, 0, 0)
		pdf.ln(1.5)
	}
	pdf.font("", bodySize)
	for _, t := range b.Text {
		pdf.MultiCell(width, pdf.lh(), t, "", "L", false)
		pdf.ln(1.5)
	}
	for _, it := range b.Items {
		hanging(pdf, "•", it, width, false)
	}
	for _, c := range b.Checks {
		hanging(pdf, "", c, width, true)
		pdf.ln(1.5)
	}
	for _, r := range b.Rows {
		pdf.CellFormat(28, pdf.lh()+1, r[0], "B", 0, "L", false, 0, "")
		pdf.CellFormat(70, pdf.lh()+1, r[1], "B", 0, "L", false, 0, "")
		pdf.CellFormat(40, pdf.lh()+1, "", "B", 1, "L", false, 0, "")
	}
	pdf.ln(1)
}

// hanging writes an item with a mark before it, or a box to tick, and
// its wrapped lines under its text.
func hanging(pdf *pen, mark, text string, width float64, box bool) {
	const indent = 6.0
	lines := pdf.SplitText(text, width-indent)
	if pdf.GetY()+float64(len(lines))*pdf.lh() > 297-margin {
		pdf.AddPage()
	}
	if box {
		// Drawn, not a glyph: the Go fonts have no ballot box.
		pdf.SetLineWidth(0.3)
		pdf.Rect(margin+0.5, pdf.GetY()+0.9*pdf.k, 3.8*pdf.k, 3.8*pdf.k, "D")
	}
	pdf.SetX(margin)
	pdf.CellFormat(indent, pdf.lh(), mark, "", 0, "L", false, 0, "")
	pdf.MultiCell(width-indent, pdf.lh(), strings.TrimSpace(text), "", "L", false)
	pdf.ln(0.8)
}

// signatures draws a column of lines for each signer.
func signatures(pdf *pen, sigs []Signature, width float64) {
	rows := 0
	for _, s := range sigs {
		rows = max(rows, len(s.Lines))
	}
	need := (12 + float64(rows)*11) * pdf.k
	if pdf.GetY()+need > 297-margin {
		pdf.AddPage()
	}
	pdf.ln(6)
	colW := width / float64(len(sigs))
	top := pdf.GetY()
	for i, s := range sigs {
		x := margin + float64(i)*colW
		pdf.SetXY(x, top)
		pdf.font("B", bodySize)
		pdf.CellFormat(colW, 7*pdf.k, s.Who, "", 2, "L", false, 0, "")
		pdf.font("", 10)
		for _, l := range s.Lines {
			y := pdf.GetY() + 8*pdf.k
			pdf.SetXY(x, y-4.5*pdf.k)
			pdf.SetTextColor(90, 100, 114)
			pdf.CellFormat(22, 5*pdf.k, l, "", 0, "L", false, 0, "")
			pdf.SetTextColor(29, 35, 43)
			pdf.SetLineWidth(0.3)
			pdf.Line(x+22, y, x+colW-8, y)
			pdf.SetXY(x, y+pdf.k)
		}
	}
	pdf.SetY(top + need)
}
