package intake

import (
	"bytes"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Format is an input format.
type Format string

// The input formats.
const (
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
	FormatJSONL Format = "jsonl"
	FormatFHIR  Format = "fhir"
	// FormatXLSX is an Excel workbook, told by its content only: a ZIP
	// archive (.xlsx, .xlsm) or an OLE2 file (.xls, an encrypted
	// workbook), which is refused with what to do. Its bytes are never
	// read as text, whatever --input says.
	FormatXLSX Format = "xlsx"
)

// Formats lists the input formats by name.
var Formats = []Format{FormatCSV, FormatJSON, FormatJSONL, FormatFHIR}

// Detect tells the format of a file from its name and its first bytes:
// JSON that carries "resourceType" in its first bytes is FHIR, other JSON is
// JSON, and anything else is CSV. The extension decides only when the
// content does not: .csv, .tsv and .txt are tables, .ndjson is FHIR. The
// bytes may be UTF-16 with a byte order mark. A workbook (IsWorkbook) is
// one whatever its name.
func Detect(name string, head []byte) Format {
	if IsWorkbook(head) {
		return FormatXLSX
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		head, _, _ = transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder(), head)
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt":
		return FormatCSV
	}
	if len(trimmed) == 0 {
		if strings.EqualFold(filepath.Ext(name), ".ndjson") {
			return FormatFHIR
		}
		return FormatJSON
	}
	if trimmed[0] != '{' && trimmed[0] != '[' {
		return FormatCSV
	}
	if bytes.Contains(trimmed, []byte(`"resourceType"`)) {
		return FormatFHIR
	}
	return FormatJSON
}
