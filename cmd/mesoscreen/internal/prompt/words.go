package prompt

import (
	"embed"
	"io/fs"

	"github.com/mesoscreen/mesoscreen/screening/i18n"
)

// wordFiles are the prompter's own words, its prompts and key help, one
// file per language: no other part of the program says them, so they are
// not in mesoscreen's catalog (screening/i18n).
//
//go:embed i18n/*.yaml
var wordFiles embed.FS

var words = func() *i18n.Catalog {
	files, _ := fs.Sub(wordFiles, "i18n") // a valid directory name: no error
	return i18n.NewCatalog(files)
}()

// say is tr with the prompter's words laid over it. The prompter says
// everything through it, its own words and mesoscreen's, and hands it
// to the interview, which says only mesoscreen's.
func say(tr *i18n.Printer) *i18n.Printer { return words.Over(tr) }
