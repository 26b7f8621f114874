// Package report tallies the results of a check for the clinic lead who
// fixes the intake form: the verdicts, the rules that fired, and how often
// each question came back missing, unsure or unreadable, with the form
// column it came from; and writes them as one self-contained HTML page.
package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// File is one input of the check, as it was read.
type File struct {
	Name      string
	Format    string // csv, json, jsonl or fhir
	Encoding  string
	Delimiter string // of a table: ",", ";" or "tab"
	Records   int
	Ignored   []string // columns that named no field
	// HeaderRows and BlankRows count a table's rows skipped as no
	// patient's: header rows after the first, blank rows.
	HeaderRows, BlankRows int
	// Skipped says which rows of a table were skipped, with where they
	// are ("2 title rows above the header (rows 1 and 2), 1 blank row
	// (row 9)"); "" for none.
	Skipped string
	// Declared are the columns declared ignored, never read.
	Declared []string
	// Codes are the mapped columns holding numbers the mapping does not
	// translate.
	Codes []intake.CodeColumn
}

// Report is the tally of one check.
type Report struct {
	rs     *rules.RuleSet
	column func(field string) []string
	// When the check ran, shown on the page.
	When time.Time

	files      []File
	total      int
	unreadable []string // sources of the records that could not be read at all
	verdicts   map[rules.Level]int
	fired      map[string]int
	questions  map[string]*question
	duplicates int
	undecided  int
}

type question struct {
	missing, unsure, unreadable int
	answers                     map[string]int // unreadable answers as given, of a question that is not free text
}

// New starts the tally for a check with rs. column names the form
// column(s) a field is read from: a mapped export's headers, else the
// field id itself.
func New(rs *rules.RuleSet, column func(field string) []string) *Report {
	return &Report{rs: rs, column: column, verdicts: map[rules.Level]int{}, fired: map[string]int{}, questions: map[string]*question{}}
}

// FileOf is how an input was read, from its Stats.
func FileOf(name string, st intake.Stats) File {
	f := File{Name: name, Format: string(st.Format), Encoding: st.Encoding, Records: st.Records}
	if f.Encoding == "" {
		f.Encoding = "UTF-8"
	}
	if st.BOM {
		f.Encoding += " with byte order mark"
	}
	if st.Format == intake.FormatCSV || st.Format == intake.FormatXLSX {
		switch st.Delimiter {
		case '\t':
			f.Delimiter = "tab"
		case 0:
		default:
			f.Delimiter = string(st.Delimiter)
		}
		f.Ignored = st.Ignored
		f.HeaderRows, f.BlankRows = len(st.HeaderRows), len(st.BlankRows)
		for _, c := range st.Columns {
			if c.Declared {
				f.Declared = append(f.Declared, c.Header)
			}
		}
		f.Codes = st.Codes
	}
	return f
}

// AddFile notes an input once it has been read.
func (r *Report) AddFile(f File) { r.files = append(r.files, f) }

// Add counts one result.
func (r *Report) Add(res screening.Result) {
	r.total++
	r.verdicts[res.Verdict]++
	for _, f := range res.Findings {
		r.fired[f.Rule]++
		switch f.Rule {
		case screening.RuleUnreadable:
			r.unreadable = append(r.unreadable, res.Source)
			continue
		case screening.RuleDuplicateID:
			r.duplicates++
			continue
		case screening.RuleUndecidable:
			r.undecided++
			continue
		}
		if f.Field == "" || !strings.HasPrefix(f.Rule, "answer-") {
			continue
		}
		q := r.questions[f.Field]
		if q == nil {
			q = &question{answers: map[string]int{}}
			r.questions[f.Field] = q
		}
		switch f.Rule {
		case screening.RuleMissing:
			q.missing++
		case screening.RuleUnsure:
			q.unsure++
		default: // invalid, out of range, or any other answer that cannot be read
			q.unreadable++
			if rq, ok := r.rs.Question(f.Field); ok && rq.Type != rules.Text && f.Value != "" {
				q.answers[unreadAnswer(rq, strings.TrimSpace(f.Value))]++
			}
		}
	}
}

// page is what the template shows.
type page struct {
	RuleSet    screening.RuleSetRef
	Title      string
	When       string
	Files      []File
	Reading    []File // the files with something set aside as they were read
	Total      int
	Read       int // records whose answers could be read
	Unreadable []string
	MoreUnread int
	Verdicts   []bar
	Rules      []ruleRow
	Questions  []questionRow
	Worst      []questionRow
	Duplicates int
	Undecided  int
}

// bar is one bar of a chart: Px of the 400 pixels of 100%.
type bar struct {
	Key, Label string
	Count      int
	Percent    string
	Px         int
	Class      string
}

type ruleRow struct {
	bar
	Level   rules.Level
	Message string
	Source  string
}

type questionRow struct {
	ID, Ask                     string
	Columns                     []string
	Missing, Unsure, Unreadable int
	Problems                    int
	Percent                     string
	// The stacked bar, of 200 pixels for 100%: where the unsure and
	// unreadable parts start, and how wide each part is.
	UnsureX, UnreadableX              int
	MissingPx, UnsurePx, UnreadablePx int
	Answers                           []answerCount
}

type answerCount struct {
	Text  string
	Count int
}

// maxSources is how many unreadable records the page names; the rest are
// counted.
const maxSources = 20

func (r *Report) page() page {
	p := page{RuleSet: screening.Ref(r.rs), Title: r.rs.Title, Files: r.files, Total: r.total,
		Read: r.total - len(r.unreadable), Duplicates: r.duplicates, Undecided: r.undecided}
	if !r.When.IsZero() {
		p.When = r.When.Format("2 January 2006, 15:04 MST")
	}
	for _, f := range r.files {
		if f.Skipped != "" || len(f.Declared)+len(f.Ignored)+len(f.Codes) > 0 {
			p.Reading = append(p.Reading, f)
		}
	}
	p.Unreadable = r.unreadable[:min(len(r.unreadable), maxSources)]
	p.MoreUnread = len(r.unreadable) - len(p.Unreadable)
	for _, l := range rules.Levels {
		p.Verdicts = append(p.Verdicts, r.bar(string(l), strings.ReplaceAll(string(l), "_", " "), r.verdicts[l], r.total, "v-"+string(l)))
	}
	for _, rule := range r.rs.Rules {
		p.Rules = append(p.Rules, ruleRow{bar: r.bar(rule.ID, rule.ID, r.fired[rule.ID], r.total, "v-"+string(rule.Level)),
			Level: rule.Level, Message: rule.Message, Source: rule.SourceText()})
	}
	for _, q := range r.rs.Questions {
		if q.Recheck == "only" && r.questions[q.ID] == nil {
			continue // asked only in the re-screen before a session, on no intake form
		}
		row := questionRow{ID: q.ID, Ask: q.Ask, Columns: r.column(q.ID)}
		if t := r.questions[q.ID]; t != nil {
			row.Missing, row.Unsure, row.Unreadable = t.missing, t.unsure, t.unreadable
			for text, n := range t.answers {
				row.Answers = append(row.Answers, answerCount{text, n})
			}
			slices.SortFunc(row.Answers, func(a, b answerCount) int {
				return cmp.Or(b.Count-a.Count, strings.Compare(a.Text, b.Text))
			})
			row.Answers = row.Answers[:min(len(row.Answers), 5)]
		}
		row.Problems = row.Missing + row.Unsure + row.Unreadable
		row.Percent = percent(row.Problems, p.Read)
		if p.Read > 0 {
			row.MissingPx = row.Missing * 200 / p.Read
			row.UnsurePx = row.Unsure * 200 / p.Read
			row.UnreadablePx = row.Unreadable * 200 / p.Read
			row.UnsureX = row.MissingPx
			row.UnreadableX = row.MissingPx + row.UnsurePx
		}
		p.Questions = append(p.Questions, row)
	}
	worst := slices.Clone(p.Questions)
	slices.SortStableFunc(worst, func(a, b questionRow) int { return b.Problems - a.Problems })
	for _, q := range worst[:min(3, len(worst))] {
		if q.Problems > 0 {
			p.Worst = append(p.Worst, q)
		}
	}
	return p
}

func (r *Report) bar(key, label string, n, of int, class string) bar {
	b := bar{Key: key, Label: label, Count: n, Percent: percent(n, of), Class: class}
	if of > 0 {
		b.Px = n * 400 / of
	}
	return b
}

// percent writes n of all as a whole percentage, or with one decimal
// below 10%, so that one record in a few hundred does not show as 0%.
func percent(n, all int) string {
	if all == 0 {
		return "0%"
	}
	x := float64(n) * 100 / float64(all)
	if x > 0 && x < 10 {
		return strings.TrimSuffix(strings.TrimSuffix(formatFloat(x), "0"), ".") + "%"
	}
	return formatFloat0(x) + "%"
}

// unreadAnswer says what an answer the screening could not read was,
// without its words: the page is for whoever fixes the form, and such an
// answer may be anything a patient typed, a name or a date of birth
// among them. Its length and what it is not are enough to find the
// question that invites it.
func unreadAnswer(q *rules.Question, text string) string {
	n := utf8.RuneCountInString(text)
	what := "an answer of the question"
	switch q.Type {
	case rules.YesNo:
		what = "yes, no or not sure"
	case rules.Integer:
		what = "a whole number"
	case rules.Choice:
		what = "one of its choices"
	case rules.List:
		what = "a list of its choices"
	}
	digits := strings.IndexFunc(text, unicode.IsDigit) >= 0
	letters := strings.IndexFunc(text, unicode.IsLetter) >= 0
	kind := "text"
	switch {
	case digits && !letters:
		kind = "text of digits"
	case digits:
		kind = "text with digits"
	}
	return fmt.Sprintf("a %d-character %s that is not %s", n, kind, what)
}
