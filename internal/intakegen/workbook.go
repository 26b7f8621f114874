package intakegen

import (
	"bytes"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet of a workbook Workbook writes.
type Sheet struct {
	Name string
	// Rows are the sheet's rows from row 1: a string, an int, a float64,
	// a bool (a TRUE/FALSE cell) or a time.Time (a date, in the
	// day/month/year format a European clinic's sheet shows; with a
	// time of day when it has one). A nil cell is left empty.
	Rows [][]any
	// Merged are the ranges merged, as "A1:F1".
	Merged []string
	// Formats gives cells a number format of their own ("B3": "0.0").
	Formats map[string]string
}

// Workbook writes an .xlsx workbook of the sheets, in order, as Excel
// would save it.
func Workbook(sheets ...Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err != nil {
		return nil, err
	}
	stamp, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy hh:mm")})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		for y, row := range s.Rows {
			for x, v := range row {
				if v == nil {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(x+1, y+1)
				if err != nil {
					return nil, err
				}
				if err := f.SetCellValue(s.Name, cell, v); err != nil {
					return nil, err
				}
				if t, ok := v.(time.Time); ok {
					style := date
					if t.Hour() != 0 || t.Minute() != 0 {
						style = stamp
					}
					if err := f.SetCellStyle(s.Name, cell, cell, style); err != nil {
						return nil, err
					}
				}
			}
		}
		for cell, code := range s.Formats {
			st, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(code)})
			if err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(s.Name, cell, cell, st); err != nil {
				return nil, err
			}
		}
		for _, m := range s.Merged {
			from, to, _ := bytes.Cut([]byte(m), []byte(":"))
			if err := f.MergeCell(s.Name, string(from), string(to)); err != nil {
				return nil, err
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func ptr(s string) *string { return &s }
