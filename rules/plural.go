package rules

import (
	"fmt"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// A text that counts something with a parameter writes the words that
// go with the number in each of their plural forms, so that a clinic that
// sets a parameter to 1 does not print "in the last 1 years":
//
//	{params.recent_cancer_years|one:in the last year|other:in the last %s years}
//
// Each form is CATEGORY:WORDS, %s standing for the value. The categories
// are CLDR's (zero, one, two, few, many, other), chosen by the rules of
// the text's language (golang.org/x/text/feature/plural): 1 is "one" in
// English and Spanish, 0 and 1 are in French. other is required, and
// serves every category the text does not give.

// pluralCategories are the CLDR plural categories, by their names.
var pluralCategories = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// pluralForm writes parameter p with the words of forms ("one:...|other:..."),
// the one its value takes in language tag.
func pluralForm(p *Parameter, forms string, tag language.Tag) (string, error) {
	n, ok := p.Value.(int64)
	if !ok {
		return "", fmt.Errorf("plural forms need a whole number, and parameter %q is %q", p.Name, p.Text())
	}
	words := map[plural.Form]string{}
	for _, f := range strings.Split(forms, "|") {
		cat, text, ok := strings.Cut(f, ":")
		cat = strings.TrimSpace(cat)
		form, known := pluralCategories[cat]
		switch {
		case !ok:
			return "", fmt.Errorf("plural form %q has no category; expected CATEGORY:WORDS, as one:in the last year", f)
		case !known:
			return "", fmt.Errorf("plural category %q is not one of %s", cat, strings.Join(pluralCategoryNames(), ", "))
		}
		if _, dup := words[form]; dup {
			return "", fmt.Errorf("plural category %q is given twice", cat)
		}
		if strings.Count(text, "%s") > 1 {
			return "", fmt.Errorf("plural form %q holds %%s more than once; %%s is where the number goes", f)
		}
		words[form] = strings.TrimSpace(text)
	}
	if _, ok := words[plural.Other]; !ok {
		return "", fmt.Errorf("the plural forms lack other:, the form every number without one of its own takes")
	}
	i := n
	if i < 0 {
		i = -i
	}
	text, ok := words[plural.Cardinal.MatchPlural(tag, int(i%10_000_000), 0, 0, 0, 0)]
	if !ok {
		text = words[plural.Other]
	}
	return strings.Replace(text, "%s", p.Text(), 1), nil
}

// pluralCategoryNames lists the categories, in CLDR's order.
func pluralCategoryNames() []string {
	return []string{"zero", "one", "two", "few", "many", "other"}
}
