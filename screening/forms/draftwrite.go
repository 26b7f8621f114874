package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// write renders the draft as a mapping file.
func (d *drafter) write() []byte {
	var b strings.Builder
	exp := d.exp
	fmt.Fprintf(&b, "# A mapping from the form export %s to mesoscreen fields, drafted by\n", exp.Name)
	b.WriteString("# \"mesoscreen template mapping\" from its header and the answers in its\n")
	rows := fmt.Sprintf("%d rows", exp.Rows)
	if exp.Sheet != "" {
		rows += fmt.Sprintf(" of sheet %q", exp.Sheet)
	}
	fmt.Fprintf(&b, "# first %s. Check every column before use. A column marked TODO\n", rows)
	b.WriteString("# could not be matched for sure: give it the field it holds, or move its\n")
	b.WriteString("# header to ignore:. An answer not listed under a column's values is read\n")
	b.WriteString("# as written, so one that is no valid answer is flagged needs_review.\n")
	fmt.Fprintf(&b, "kind: %s\n", intake.MappingKind)
	if exp.HeaderRows > 1 {
		fmt.Fprintf(&b, "header_rows: %d  # each column is named by its cells in the first %d rows, as \"Question: Choice\"\n", exp.HeaderRows, exp.HeaderRows)
	}
	b.WriteString("ignore:")
	ignored := 0
	for i, c := range d.col {
		if c.ignore != "" {
			if ignored == 0 {
				b.WriteString("\n")
			}
			ignored++
			fmt.Fprintf(&b, "  - %s  # %s\n", strconv.Quote(exp.Header[i]), c.ignore)
		}
	}
	if ignored == 0 {
		b.WriteString(" []\n")
	}
	b.WriteString("columns:\n")
	unmapped := d.unmapped()
	written := map[*draftGroup]bool{}
	for i, c := range d.col {
		switch {
		case c.ignore != "":
		case c.group != nil:
			if !written[c.group] {
				written[c.group] = true
				d.writeGroup(&b, c.group)
			}
		case c.q == nil:
			fmt.Fprintf(&b, "  - header: %s%s\n", strconv.Quote(exp.Header[i]), d.asks(i))
			fmt.Fprintf(&b, "    # TODO: %s.\n", c.todo)
			fmt.Fprintf(&b, "    # Fields no column gives yet: %s.\n", unmapped)
			b.WriteString("    field: \"\"\n")
		default:
			d.writeColumn(&b, i)
		}
	}
	var missing []string
	for _, q := range d.rs.Questions {
		if q.Required && d.given[q.ID] == 0 {
			missing = append(missing, q.ID)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "# No column gives these required fields, so every record will need\n# review until one does: %s.\n", strings.Join(missing, ", "))
	}
	return []byte(b.String())
}

func (d *drafter) writeColumn(b *strings.Builder, i int) {
	c := d.col[i]
	q := c.q
	answers := d.exp.Answers[i]
	fmt.Fprintf(b, "  - header: %s%s\n", strconv.Quote(d.exp.Header[i]), d.asks(i))
	fmt.Fprintf(b, "    field: %s  # matched %s %s\n", q.ID, strconv.Quote(q.Ask), c.why)
	if q.Type == rules.Text {
		return
	}
	if q.Type == rules.List {
		// The answers are its parts, once the separator is known.
		found := separatorsIn(answers)
		if len(found) == 0 {
			b.WriteString("    # No answer holds more than one choice; if the form allows several,\n    # add the separator it joins them with.\n")
		} else {
			sep := found[0].Text
			fmt.Fprintf(b, "    separator: %s  # found in the answers: %s\n", strconv.Quote(sep), separatorsText(found))
			answers = splitAnswers(q, answers, sep)
		}
	}
	d.writeValues(b, q, answers, d.exp.More[i])
}

// asks is the comment that says what a column asks, where the export
// says it in words of its own (Qualtrics): "" otherwise.
func (d *drafter) asks(i int) string {
	if i < len(d.exp.Wording) && d.exp.Wording[i] != "" {
		return "  # asks " + strconv.Quote(d.exp.Wording[i])
	}
	return ""
}

// splitAnswers lists the parts of a list column's answers, each once; a
// part that is an option's label holding the separator is kept whole.
func splitAnswers(q *rules.Question, answers []ExportAnswer, sep string) []ExportAnswer {
	isLabel := func(text string) bool {
		return slices.ContainsFunc(q.Options, func(o rules.Option) bool { return key(o.Label) == key(text) })
	}
	most := 1
	for _, o := range q.Options {
		most = max(most, strings.Count(o.Label, sep)+1)
	}
	var out []ExportAnswer
	for _, a := range answers {
		for _, p := range intake.SplitCell(a.Text, sep, most, isLabel) {
			p = strings.TrimSpace(p)
			if k := slices.IndexFunc(out, func(x ExportAnswer) bool { return x.Text == p }); k >= 0 {
				out[k].Count += a.Count
			} else {
				out = append(out, ExportAnswer{Text: p, Count: a.Count})
			}
		}
	}
	return out
}

// key is how the mapping compares an answer with a label: letter case
// and the spaces around it aside.
func key(text string) string { return strings.ToLower(strings.TrimSpace(text)) }

// writeValues lists each answer with the value it is read as, and the
// answers the draft cannot read as TODO comments. Numbers that are the
// form's codes for its choices are never read by their order: a form may
// list No before Yes. They stay TODO, unless the export says what they
// mean (its answers are labels, as REDCap's and Qualtrics' exports of
// choice text are).
func (d *drafter) writeValues(b *strings.Builder, q *rules.Question, answers []ExportAnswer, more int) {
	codes := d.codes(q, answers)
	var known, todo, coded, numbers []ExportAnswer
	var vals []string
	for _, a := range answers {
		if codes && isCode(a.Text) {
			coded = append(coded, a)
			continue
		}
		if v, ok := proposeValue(q, a.Text); ok {
			if q.Type == rules.Integer && v == strings.ToLower(strings.TrimSpace(a.Text)) {
				numbers = append(numbers, a)
				continue
			}
			known = append(known, a)
			vals = append(vals, v)
		} else {
			todo = append(todo, a)
		}
	}
	if len(numbers) > 0 {
		fmt.Fprintf(b, "    # A number is read as it is: %s.\n", answersText(numbers))
	}
	if len(known)+len(todo)+len(coded) == 0 {
		return
	}
	b.WriteString("    values:")
	if len(known) > 0 {
		b.WriteString("  # the answers found, and what each is read as\n")
		for k, a := range known {
			fmt.Fprintf(b, "      %s: %s\n", strconv.Quote(a.Text), strconv.Quote(vals[k]))
		}
	} else {
		b.WriteString("\n")
	}
	if len(coded) > 0 {
		fmt.Fprintf(b, "      # TODO: these answers are the form's codes for its choices, and the export does\n")
		fmt.Fprintf(b, "      # not say what each means (a form may list No first). Fill in the value of\n")
		fmt.Fprintf(b, "      # each from the form (%s); one left out is read as written:\n", expectedValue(q))
		for _, a := range coded {
			fmt.Fprintf(b, "      # %s: \"\"  (%s)\n", strconv.Quote(a.Text), rowsText(a.Count))
		}
	}
	if len(todo) > 0 {
		fmt.Fprintf(b, "      # TODO: these answers match no value of %s. Fill in the value of each\n", q.ID)
		fmt.Fprintf(b, "      # (%s), or leave it out to have it flagged needs_review:\n", expectedValue(q))
		for _, a := range todo {
			if !typedByOne(a) {
				fmt.Fprintf(b, "      # %s: \"\"  (%s)\n", strconv.Quote(a.Text), rowsText(a.Count))
			}
		}
		for _, a := range todo {
			if typedByOne(a) {
				fmt.Fprintf(b, "      # (%s, in 1 row: not copied here, as one patient alone wrote it)\n", textKind(a.Text))
			}
		}
	}
	if more > 0 {
		fmt.Fprintf(b, "      # ... and %d more answers, too many or too long to list.\n", more)
	}
}

// codes reports whether a column's numbers are the form's codes for its
// choices: in an export that numbers every choice (Qualtrics' numeric
// values: the export has a row of wording, Export.Wording), and in a
// yes/no column that holds numbers but 0 and 1 (which read as no and
// yes everywhere); choices and lists are never numbers. A number
// question's numbers are read as they are, and listed (writeValues).
func (d *drafter) codes(q *rules.Question, answers []ExportAnswer) bool {
	if q.Type == rules.Text || q.Type == rules.Integer {
		return false
	}
	if d.exp.Wording != nil {
		return true
	}
	switch q.Type {
	case rules.YesNo:
		return slices.ContainsFunc(answers, func(a ExportAnswer) bool {
			t := strings.TrimSpace(a.Text)
			return isCode(t) && t != "0" && t != "1"
		})
	case rules.Choice, rules.List:
		return true
	}
	return false
}

// isCode reports whether an answer is a number a form may code a choice
// with: digits only.
func isCode(text string) bool {
	t := strings.TrimSpace(text)
	return t != "" && strings.Trim(t, "0123456789") == ""
}

// answersText lists answers with their rows, the first few: "\"0\" (10
// rows), \"1\" (1 row)", "... and 9 more".
func answersText(answers []ExportAnswer) string {
	const most = 6
	parts := make([]string, 0, most+1)
	for _, a := range answers[:min(len(answers), most)] {
		parts = append(parts, fmt.Sprintf("%s (%s)", strconv.Quote(a.Text), rowsText(a.Count)))
	}
	if len(answers) > most {
		parts = append(parts, fmt.Sprintf("and %d more", len(answers)-most))
	}
	return strings.Join(parts, ", ")
}

func rowsText(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// expectedValue says which values a column's answers can be read as.
func expectedValue(q *rules.Question) string {
	switch q.Type {
	case rules.YesNo:
		return "yes, no or unsure"
	case rules.Integer:
		return fmt.Sprintf("a number from %d to %d, or unsure", q.MinValue(), q.MaxValue())
	case rules.Choice:
		return "one of " + strings.Join(q.OptionValues(), ", ") + ", or unsure"
	}
	return "any of " + strings.Join(q.OptionValues(), ", ") + ", or unsure"
}

func (d *drafter) writeGroup(b *strings.Builder, g *draftGroup) {
	q := g.q
	fmt.Fprintf(b, "  - field: %s  # matched %s: %s\n", q.ID, strconv.Quote(q.Ask), g.shape)
	if g.ticked == "" {
		b.WriteString("    # TODO: no answer was found that ticks a choice; fill in the one that\n    # does, or any for any answer at all.\n")
	}
	fmt.Fprintf(b, "    ticked: %s\n", strconv.Quote(g.ticked))
	if len(g.untick) > 0 {
		quoted := make([]string, len(g.untick))
		for i, u := range g.untick {
			quoted[i] = strconv.Quote(u)
		}
		fmt.Fprintf(b, "    unticked: [%s]\n", strings.Join(quoted, ", "))
	}
	if len(g.other) > 0 {
		quoted := make([]string, len(g.other))
		for i, u := range g.other {
			quoted[i] = strconv.Quote(u)
		}
		fmt.Fprintf(b, "    # TODO: these answers neither tick nor untick a choice, and are flagged\n    # needs_review where given; add them to unticked: if they mean no: %s\n", strings.Join(quoted, ", "))
	}
	b.WriteString("    choices:\n")
	todo := false
	defer func() {
		if todo {
			fmt.Fprintf(b, "    # TODO: fill in the value each choice marked TODO ticks (one of %s),\n", strings.Join(q.OptionValues(), ", "))
			b.WriteString("    # or drop it from choices: and move its header to ignore:.\n")
		}
	}()
	for _, i := range g.cols {
		v := d.col[i].value
		if d.col[i].other {
			fmt.Fprintf(b, "      - {header: %s, other: true}  # the patient's own words, read as written: one no option matches needs review\n", strconv.Quote(d.exp.Header[i]))
			continue
		}
		fmt.Fprintf(b, "      - {header: %s, value: %s}", strconv.Quote(d.exp.Header[i]), strconv.Quote(v))
		switch {
		case v == "" && g.codes:
			b.WriteString("  # TODO: a code of the form; the export does not say which choice it is")
			todo = true
		case v == "":
			b.WriteString("  # TODO: no value matched")
			todo = true
		}
		b.WriteString("\n")
	}
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "or": true, "and": true, "of": true, "in": true, "to": true,
	"do": true, "does": true, "you": true, "your": true, "is": true, "are": true, "has": true,
	"have": true, "had": true, "patient": true, "any": true, "be": true, "could": true, "for": true,
	"it": true, "she": true, "they": true, "ever": true, "what": true, "which": true, "how": true,
	"take": true, "takes": true, "like": true, "would": true, "there": true, "at": true, "now": true,
	"if": true, "yes": true, "no": true, "i": true, "my": true, "we": true, "please": true, "with": true,
	"e": true, "g": true, "eg": true, "did": true, "was": true, "were": true, "this": true, "that": true,
}

// words splits a text into its content words, for comparing a header
// with a question's ask.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if stopWords[w] {
			continue
		}
		out[stem(w)] = true
	}
	return out
}

// stem folds simple English endings so that "areas" meets "area".
func stem(w string) string {
	for _, suf := range []string{"ing", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

// typedByOne reports whether an answer looks typed by one patient rather
// than chosen from the form's answers: seen in one row only, with four
// digits or more (a date of birth, a phone or chart number; a form's
// answers hold few: "3 or more", "type 2") or longer than a form's answer
// runs (a sentence). The draft is a file the clinic passes around; such a
// text is said by its length and kind, not its words, and check flags the
// row that holds it.
func typedByOne(a ExportAnswer) bool {
	digits := 0
	for _, r := range a.Text {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return a.Count < 2 && (digits >= 4 || utf8.RuneCountInString(a.Text) > 40)
}

// textKind says what a text is without its words: "a 24-character text
// with digits".
func textKind(text string) string {
	n := utf8.RuneCountInString(text)
	digits := strings.IndexFunc(text, unicode.IsDigit) >= 0
	letters := strings.IndexFunc(text, unicode.IsLetter) >= 0
	switch {
	case digits && !letters:
		return fmt.Sprintf("a %d-character text of digits", n)
	case digits:
		return fmt.Sprintf("a %d-character text with digits", n)
	}
	return fmt.Sprintf("a %d-character text", n)
}
