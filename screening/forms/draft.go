package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening/intake"
)

// DraftMapping drafts a mapping for an export. It matches a header to a
// question only on enough evidence, one of:
//
//   - the header is the field id;
//   - it holds one of the question's match: terms (see rules.MatchTerm),
//     and clearly more of them than of any other question's;
//   - it shares three or more words with the question's ask, making most
//     of the header's words.
//
// A header that matches nothing, or two questions alike, gets an empty
// field and a TODO naming the fields no column gives yet, and so does a
// column none of whose answers its field could read. Metadata columns
// (timestamps, e-mail, the respondent's name, response ids, consent) are
// drafted under ignore:. Each column's answers found in the export are
// listed with the value each is read as, and those that match no value
// are left as TODO comments. One column per choice (Typeform, a Google
// Forms grid) is drafted as choices of the list field.
func DraftMapping(rs *rules.RuleSet, exp *Export) []byte {
	d := &drafter{rs: rs, exp: exp, col: make([]draftCol, len(exp.Header)), given: map[string]int{}}
	d.metadata()
	d.grids()
	d.perChoiceRuns()
	d.match()
	d.checkAnswers()
	return d.write()
}

// draftCol is what the draft says about one column.
type draftCol struct {
	ignore string // why the column is metadata; "" if it is not
	q      *rules.Question
	why    string // what matched
	todo   string // why the column has no field
	group  *draftGroup
	value  string // the option a choice column ticks, "" for a TODO
	other  bool   // a choice column of the patient's own words (other: true)
}

// draftGroup is a list field given one column per choice.
type draftGroup struct {
	q      *rules.Question
	cols   []int
	shape  string
	ticked string
	untick []string
	other  []string // answers that neither tick nor untick
	codes  bool     // the choices are named by the form's codes
}

type drafter struct {
	rs    *rules.RuleSet
	exp   *Export
	col   []draftCol
	given map[string]int // field -> the first column or group that gives it
}

// metadataHeaders are the columns form tools add around the answers.
var metadataHeaders = map[string]string{
	"timestamp":             "when the form was sent",
	"zeitstempel":           "when the form was sent",
	"horodateur":            "when the form was sent",
	"marca temporal":        "when the form was sent",
	"submitted at":          "when the form was sent",
	"submission time":       "when the form was sent",
	"date":                  "the date of the entry",
	"email":                 "the respondent's e-mail, not an answer",
	"e-mail":                "the respondent's e-mail, not an answer",
	"email address":         "the respondent's e-mail, not an answer",
	"name":                  "the respondent's name; patient_id is the chart number",
	"full name":             "the respondent's name; patient_id is the chart number",
	"first name":            "the respondent's name; patient_id is the chart number",
	"last name":             "the respondent's name; patient_id is the chart number",
	"surname":               "the respondent's name; patient_id is the chart number",
	"id":                    "the form tool's count of responses (1, 2, 3...), not the patient's chart number",
	"#":                     "the form tool's response token, not the patient's chart number",
	"response id":           "the form tool's response id, not the patient's chart number",
	"respondent id":         "the form tool's respondent id, not the patient's chart number",
	"token":                 "the form tool's response token, not the patient's chart number",
	"start time":            "when the respondent opened the form",
	"completion time":       "when the form was sent",
	"last modified time":    "when the response was last changed",
	"start date (utc)":      "when the respondent opened the form",
	"submit date (utc)":     "when the form was sent",
	"stage date (utc)":      "when the form was sent",
	"network id":            "the form tool's id of the respondent's network",
	"ip address":            "the respondent's network address",
	"tags":                  "the form tool's tags",
	"entered by":            "who typed the row in",
	"respondent":            "the respondent's name or e-mail, not an answer",
	"total points":          "a quiz score the form tool adds",
	"score":                 "a quiz score the form tool adds",
	"responder":             "the respondent's name or e-mail, not an answer",
	"language":              "the language the form was shown in",
	"user agent":            "the respondent's browser",
	"completion date":       "when the form was sent",
	"date submitted":        "when the form was sent",
	"last page":             "how far the respondent got",
	"start language":        "the language the form was shown in",
	"seed":                  "the form tool's randomisation seed",
	"referer":               "the page the respondent came from",
	"ip":                    "the respondent's network address",
	"created":               "when the response was made",
	"updated":               "when the response was last changed",
	"submission id":         "the form tool's response id, not the patient's chart number",
	"submission date":       "when the form was sent",
	"submitted":             "when the form was sent",
	"time":                  "when the form was sent",
	"duration":              "how long the form took",
	"duration (in seconds)": "how long the form took",
	"start date":            "when the respondent opened the form",
	"end date":              "when the form was sent",
	"recorded date":         "when the form was sent",
	"response type":         "the form tool's kind of response",
	"progress":              "how far the respondent got",
	"finished":              "whether the respondent finished",
	"distribution channel":  "how the form was sent",
	"user language":         "the language the form was shown in",
	"collector id":          "the form tool's collector, not an answer",
	"custom data 1":         "the form tool's custom data",
	"record id":             "the form tool's record id, not the patient's chart number",
	"record_id":             "the form tool's record id, not the patient's chart number",
	"complete?":             "the form tool's status of the form",
	"submission ip":         "the respondent's network address",
}

// name is what a column is matched by: the question it asks, where the
// export says it in words (Qualtrics' second row), else its header.
func (d *drafter) name(i int) string {
	if i < len(d.exp.Wording) && d.exp.Wording[i] != "" {
		return d.exp.Wording[i]
	}
	return d.exp.Header[i]
}

func (d *drafter) metadata() {
	for i := range d.exp.Header {
		h := d.name(i)
		k := strings.ToLower(strings.TrimSpace(h))
		if k == "" {
			d.col[i].ignore = fmt.Sprintf("column %d has no header, so no mapping can name it; give it one in the export if it holds answers", i+1)
			continue
		}
		if why, ok := metadataHeaders[k]; ok {
			d.col[i].ignore = why
		} else if strings.HasSuffix(k, "_complete") || strings.HasPrefix(k, "redcap_") {
			d.col[i].ignore = "REDCap's own data on the record (its event, its form's status), not an answer"
		} else if slices.ContainsFunc(rules.MatchWords(h), func(w string) bool { return strings.HasPrefix(w, "consent") }) {
			d.col[i].ignore = "the respondent's consent, not a screening answer"
		}
	}
}

// choiceHeaders are the ways form tools head one column per choice of a
// question: each splits a header into the question and the choice.
var choiceHeaders = []struct {
	re    *regexp.Regexp
	shape string
	// merged is set for a shape only a merged header has (Export.HeaderRows).
	merged bool
	// codes is set where the choice is named by the form's code, which
	// the draft never reads a meaning into.
	codes bool
	// any is set where a ticked choice's cell holds its own label.
	any bool
}{
	{re: regexp.MustCompile(`^(.*\S)\s*\[([^\[\]]+)\]$`), shape: "a Google Forms grid, one row per choice"},
	{re: regexp.MustCompile(`^(.*\S)\s*\(choice=([^()]*)\)$`), shape: "REDCap's labels, one checkbox column per choice"},
	{re: regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*?)___([A-Za-z0-9_]+)$`), shape: "REDCap's raw data, one checkbox column per choice code", codes: true},
	{re: regexp.MustCompile(`^(.*\S): (.+)$`), shape: "SurveyMonkey's two header rows, one column per choice", merged: true, any: true},
}

// isOther reports whether a choice's column holds the patient's own
// words: "Other (please specify)", "Other".
func isOther(choice string) bool {
	w := rules.MatchWords(choice)
	return len(w) > 0 && w[0] == "other"
}

// grids finds the columns of a list question given one per choice, as
// choiceHeaders name them: each column is one choice.
func (d *drafter) grids() {
	for _, shape := range choiceHeaders {
		if shape.merged && d.exp.HeaderRows < 2 {
			continue
		}
		byPrefix := map[string][]int{}
		var prefixes []string
		for i, h := range d.exp.Header {
			if d.col[i].ignore != "" || d.col[i].group != nil {
				continue
			}
			if m := shape.re.FindStringSubmatch(h); m != nil {
				if byPrefix[m[1]] == nil {
					prefixes = append(prefixes, m[1])
				}
				byPrefix[m[1]] = append(byPrefix[m[1]], i)
			}
		}
		for _, p := range prefixes {
			cols := byPrefix[p]
			if len(cols) < 2 {
				continue
			}
			q, why, _ := d.best(p)
			if q == nil || q.Type != rules.List || d.given[q.ID] != 0 {
				continue
			}
			g := &draftGroup{q: q, cols: cols, shape: fmt.Sprintf("%s: %q %s", shape.shape, p, why), codes: shape.codes}
			for _, i := range cols {
				choice := shape.re.FindStringSubmatch(d.exp.Header[i])[2]
				d.col[i].group = g
				switch {
				case isOther(choice):
					d.col[i].other = true
				case !shape.codes:
					d.col[i].value, _ = optionFor(q, choice)
				}
			}
			if shape.any {
				g.ticked = intake.TickedAny
			} else {
				d.tickedAnswers(g)
			}
			d.given[q.ID] = cols[0] + 1
		}
	}
}

// perChoiceRuns finds Typeform's shape: columns side by side, each headed
// by a choice, whose answer is that choice when it is ticked.
func (d *drafter) perChoiceRuns() {
	shaped := func(i int) bool {
		if d.col[i].ignore != "" || d.col[i].group != nil || len(d.exp.Answers[i]) == 0 {
			return false
		}
		for _, a := range d.exp.Answers[i] {
			if !strings.EqualFold(a.Text, strings.TrimSpace(d.exp.Header[i])) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(d.exp.Header); {
		j := i
		for j < len(d.exp.Header) && shaped(j) {
			j++
		}
		if j-i < 2 {
			i = max(j, i+1)
			continue
		}
		d.runOfChoices(i, j)
		i = j
	}
}

// runOfChoices drafts columns i to j as choices of the list question most
// of whose options they name, if there is one and at least two name it.
func (d *drafter) runOfChoices(i, j int) {
	var best *rules.Question
	bestN, tie := 0, false
	for _, q := range d.rs.Questions {
		if q.Type != rules.List || d.given[q.ID] != 0 {
			continue
		}
		n := 0
		for k := i; k < j; k++ {
			if _, ok := optionFor(q, d.exp.Header[k]); ok {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = q, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if best == nil || bestN < 2 || tie {
		return
	}
	g := &draftGroup{q: best, shape: "one column per choice, each answered with its choice when ticked (as Typeform exports it)", ticked: intake.TickedAny}
	for k := i; k < j; k++ {
		g.cols = append(g.cols, k)
		d.col[k].group = g
		d.col[k].value, _ = optionFor(best, d.exp.Header[k])
	}
	d.given[best.ID] = i + 1
}

// tickedAnswers works out which answer ticks a grid row: the one answer
// all rows give, or the yes among yes and no.
func (d *drafter) tickedAnswers(g *draftGroup) {
	var seen []string
	for _, i := range g.cols {
		if d.col[i].other {
			continue // the patient's own words
		}
		for _, a := range d.exp.Answers[i] {
			if !slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, a.Text) }) {
				seen = append(seen, a.Text)
			}
		}
	}
	if len(seen) == 1 {
		g.ticked = seen[0]
		return
	}
	for _, s := range seen {
		v, _ := yesNoFor(s)
		switch strings.ToLower(s) {
		case "checked":
			v = "yes"
		case "unchecked":
			v = "no"
		}
		switch {
		case v == "yes" && g.ticked == "":
			g.ticked = s
		case v == "no":
			g.untick = append(g.untick, s)
		default:
			g.other = append(g.other, s)
		}
	}
}

// evidence is how well a header matches one question.
type evidence struct {
	q      *rules.Question
	exact  bool
	terms  []string // the match terms found
	weight int      // their words
	words  int      // header words the question's ask shares
	score  int
}

func (e evidence) enough(headerWords int) bool {
	return e.exact || e.weight > 0 || e.words >= 3 && e.words*5 >= headerWords*3
}

func (e evidence) String() string {
	switch {
	case e.exact:
		return "(the field id)"
	case len(e.terms) > 0:
		return "by " + strings.Join(e.terms, ", ")
	}
	return fmt.Sprintf("by %d words of its question", e.words)
}

// best returns the question a header matches, with what matched; or nil,
// with why none does.
func (d *drafter) best(header string) (*rules.Question, string, string) {
	ev := d.evidence(header)
	if len(ev) == 0 || !ev[0].enough(len(words(header))) {
		return nil, "", "no question matched this header"
	}
	if len(ev) > 1 && ev[1].score >= 3 && 2*ev[1].score > ev[0].score {
		return nil, "", fmt.Sprintf("the header matches both %s (%s) and %s (%s); a column gives one field", ev[0].q.ID, ev[0], ev[1].q.ID, ev[1])
	}
	return ev[0].q, ev[0].String(), ""
}

// evidence scores header against every question, best first; questions
// with no evidence at all are left out.
func (d *drafter) evidence(header string) []evidence {
	hw := rules.MatchWords(header)
	type hit struct {
		q          int
		term       rules.MatchTerm
		start, end int
	}
	var hits []hit
	for i, q := range d.rs.Questions {
		for _, t := range q.MatchTerms() {
			if at := t.Find(hw); at >= 0 {
				hits = append(hits, hit{i, t, at, at + len(t)})
			}
		}
	}
	content := words(header)
	var out []evidence
	for i, q := range d.rs.Questions {
		e := evidence{q: q, exact: strings.EqualFold(strings.TrimSpace(header), q.ID)}
		for _, h := range hits {
			if h.q != i {
				continue
			}
			// A term inside a longer term of another question is that
			// question's: "blood thinner" in "which blood thinner".
			inside := slices.ContainsFunc(hits, func(o hit) bool {
				return o.q != i && o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start
			})
			if !inside {
				e.terms = append(e.terms, h.term.String())
				e.weight += len(h.term)
			}
		}
		ask := words(q.Ask + " " + q.ShortName)
		for w := range content {
			if ask[w] {
				e.words++
			}
		}
		e.score = 10*e.weight + e.words
		if e.exact {
			e.score = 1000
		}
		if e.score > 0 {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b evidence) int { return b.score - a.score })
	return out
}

// match gives each remaining column its question, where the evidence is
// enough and no other column has more of it for the same question.
func (d *drafter) match() {
	type claim struct {
		col   int
		score int
	}
	claims := map[string][]claim{}
	for i := range d.exp.Header {
		h := d.name(i)
		c := &d.col[i]
		if c.ignore != "" || c.group != nil {
			continue
		}
		q, why, todo := d.best(h)
		if q == nil {
			c.todo = todo
			continue
		}
		if at := d.given[q.ID]; at != 0 {
			c.todo = fmt.Sprintf("the header matches %s (%s), but the choice columns from %q give it", q.ID, why, d.exp.Header[at-1])
			continue
		}
		c.q, c.why = q, why
		claims[q.ID] = append(claims[q.ID], claim{i, d.evidence(h)[0].score})
	}
	for id, cs := range claims {
		slices.SortStableFunc(cs, func(a, b claim) int { return b.score - a.score })
		winner := cs[0].col
		if len(cs) > 1 && cs[1].score == cs[0].score {
			winner = -1
		}
		for _, c := range cs {
			if c.col == winner {
				continue
			}
			col := &d.col[c.col]
			if winner < 0 {
				col.todo = fmt.Sprintf("the header matches %s (%s), and so do other columns as well; a field comes from one column", id, col.why)
			} else {
				col.todo = fmt.Sprintf("the header matches %s (%s), but column %q matches it better", id, col.why, d.exp.Header[winner])
			}
			col.q, col.why = nil, ""
		}
		if winner >= 0 {
			d.given[id] = winner + 1
		}
	}
}

// checkAnswers takes the field away from a column whose answers say the
// header misled: a yes/no or number column none of whose answers can be
// read as one, or a free-text column answered only yes or no ("Are you
// taking any medication for blood pressure?" is not the list of
// medicines).
func (d *drafter) checkAnswers() {
	for i := range d.col {
		c := &d.col[i]
		answers := d.exp.Answers[i]
		if c.q == nil || len(answers) == 0 {
			continue
		}
		var misled bool
		var expected string
		switch c.q.Type {
		case rules.YesNo, rules.Integer:
			misled = !slices.ContainsFunc(answers, func(a ExportAnswer) bool { _, ok := proposeValue(c.q, a.Text); return ok })
			expected = "is " + c.q.Expected()
		case rules.Text:
			misled = !c.q.IsIdentifier() && !slices.ContainsFunc(answers, func(a ExportAnswer) bool {
				_, yesNo := yesNoFor(a.Text)
				return !yesNo && !saysUnsure(a.Text)
			})
			expected = "is more than yes or no"
		}
		if !misled {
			continue
		}
		var shown []string
		for _, a := range answers[:min(3, len(answers))] {
			shown = append(shown, strconv.Quote(a.Text))
		}
		c.todo = fmt.Sprintf("the header looks like %s (%s), but none of its answers (%s) %s", c.q.ID, c.why, strings.Join(shown, ", "), expected)
		delete(d.given, c.q.ID)
		c.q, c.why = nil, ""
	}
}

// unmapped lists the questions no column gives, required ones marked.
func (d *drafter) unmapped() string {
	var out []string
	for _, q := range d.rs.Questions {
		// A question asked only in the re-screen before a session is on
		// no intake form.
		if d.given[q.ID] == 0 && q.Recheck != "only" {
			if q.Required {
				out = append(out, q.ID+" (required)")
			} else {
				out = append(out, q.ID)
			}
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
