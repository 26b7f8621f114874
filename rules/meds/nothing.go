package meds

// A medication list that says the patient takes nothing is written in many
// ways: "none", "None.", "no meds", "nothing currently", "Nope", "n/a",
// "–", "I don't take any". Such a text is read word by word, as lists are:
// it says nothing when it has a word that says no, and every other word is
// one that such answers are made of. A text that names anything else, a
// medicine above all ("none except aspirin"), is a list, and so is an item
// that names a kind of product without a no of its own ("nothing
// prescribed, vitamins"). The words are data: nothing, product and
// nothing_filler in cues.yaml.

// SaysNothing reports whether a medication list says that the patient
// takes nothing: words that say no, among words that such answers are made
// of, or no word at all among dashes and dots ("-", "–", "..."). "Not
// sure" and "don't know" are not nothing; they stay a list for a clinician
// to ask about.
func SaysNothing(text string) bool {
	toks := tokenize(text)
	if len(toks) == 0 {
		mark := false
		for _, r := range text {
			switch r {
			case ' ', '\t', '\n', '\r':
			case '-', '–', '—', '‒', '―', '.', '/', '_', '~':
				mark = true
			default:
				return false
			}
		}
		return mark
	}
	c := cues()
	no := false
	for i := 0; i < len(toks); {
		seg := toks[i].seg
		segNo, segProduct := false, false
		for ; i < len(toks) && toks[i].seg == seg; i++ {
			w := toks[i].s
			switch {
			case c.nothing[w], w == "0":
				segNo = true
			case c.product[w]:
				segProduct = true
			case c.nothingFiller[w]:
			default:
				return false
			}
		}
		if segProduct && !segNo {
			return false
		}
		no = no || segNo
	}
	return no
}
