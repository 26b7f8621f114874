package intake

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Format is an input format.
type Format string

// The input formats.
const (
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
	FormatJSONL Format = "jsonl"
	FormatFHIR  Format = "fhir"
)

// Formats lists the input formats by name.
var Formats = []Format{FormatCSV, FormatJSON, FormatJSONL, FormatFHIR}

// Detect tells the format of a file from its name and its first bytes:
// JSON that carries "resourceType" in its first bytes is FHIR, other JSON is
// JSON, and anything else is CSV. The extension decides only when the
// content does not: .csv, .tsv and .txt are tables, .ndjson is FHIR.
func Detect(name string, head []byte) Format {
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
