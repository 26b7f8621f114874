package forms_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/screening/forms"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// A draft is a mapping file for any export: it decodes as YAML, and
// either loads or is refused for a TODO it names, never for its syntax.
func FuzzDraft(f *testing.F) {
	for _, name := range []string{"google-forms.csv", "typeform.csv", "excel-semicolon.csv", "google-forms-grid.csv"} {
		b, err := os.ReadFile(exports + name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("a [b],a [c]\nx,\n,y\n"))
	f.Add([]byte("\"q\\\"\",\"\t#: x\"\n1,2\n"))
	rs := defaultRules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := forms.ReadExport("x.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		draft := forms.DraftMapping(rs, exp)
		var any map[string]any
		require.NoError(t, yaml.Unmarshal(draft, &any), "%s", draft)
		_, err = intake.ParseMapping("draft.yaml", draft, func(id string) bool { return rs.Index(id) >= 0 })
		if err != nil {
			msg := err.Error()
			require.True(t, strings.Contains(msg, "fill in") || strings.Contains(msg, "mapped twice") || strings.Contains(msg, "is already given"), "%v\n%s", err, draft)
		}
	})
}
