package meds

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mesoscreen/mesoscreen/rules"
)

// How says how a name in the text was recognised.
type How string

// The ways a medicine is recognised.
const (
	Exact       How = "exact"       // its generic name or another name it goes by
	Brand       How = "brand"       // one of its brand names
	Misspelling How = "misspelling" // a name with one letter wrong, missing, extra or swapped
)

// MinFuzzyLen is the shortest name, and the shortest word, for which one
// wrong letter is forgiven. Shorter names must be written exactly.
const MinFuzzyLen = 5

// Match is one medicine named in a text.
type Match struct {
	// Written is the text as the patient wrote it, and Start and End its
	// byte offsets.
	Written    string `json:"written"`
	Start, End int    `json:"-"`
	// Item is the item of the list it was written in, as written: the
	// name with its dose and how it is taken ("Eliquis 5 mg twice a
	// day"), for a prescriber who must know which medicine and how much.
	Item  string `json:"item,omitempty"`
	Entry *Entry `json:"-"`
	// Name is the lexicon name it matched, How how.
	Name string `json:"name"`
	How  How    `json:"how"`
	// Negated holds the words that say the patient does not take it ("no",
	// "stopped"). A negated match is not a medicine the patient takes.
	Negated string `json:"negated,omitempty"`
	// Allergy is set when those words say the patient reacted to it
	// ("allergic to lidocaine", "EMLA reaction").
	Allergy bool `json:"allergy,omitempty"`
	// PossiblyStopped holds words nearby that may mean the patient has
	// stopped it ("paused", "until March"); the match stands.
	PossiblyStopped string `json:"possibly_stopped,omitempty"`
}

// Taken reports whether the match counts as a medicine the patient takes.
func (m Match) Taken() bool { return m.Negated == "" }

// phrase is one name of an entry, as words.
type phrase struct {
	words []string
	entry *Entry
	name  string
	how   How
}

// index is built once per lexicon; matching a text only reads it.
type index struct {
	byFirst    map[string][]*phrase // longest first
	vocab      map[string]bool      // every word of every name
	dels       map[string][]string  // a name word with one letter deleted -> the words
	lookalikes map[string]bool
	recentUse  map[*Entry]bool
	cue        *cueSet

	// corrections keeps what correct found for words already looked at,
	// up to maxCorrections of them: looking costs an allocation or more
	// per letter, and a clinic's lists use the same words again.
	corrections sync.Map // word -> correction ("" for none)
	nCorrected  atomic.Int64
}

const maxCorrections = 16384

func buildIndex(lx *Lexicon) *index {
	ix := &index{
		byFirst:    map[string][]*phrase{},
		vocab:      map[string]bool{},
		dels:       map[string][]string{},
		lookalikes: map[string]bool{},
		recentUse:  map[*Entry]bool{},
		cue:        cues(),
	}
	for _, w := range lx.Lookalikes {
		k, _ := normalizeName(w)
		ix.lookalikes[k] = true
	}
	add := func(e *Entry, name string, how How) {
		key, _ := normalizeName(name)
		words := strings.Fields(key)
		if len(words) == 0 {
			return
		}
		ix.byFirst[words[0]] = append(ix.byFirst[words[0]], &phrase{words: words, entry: e, name: name, how: how})
		for _, w := range words {
			ix.vocab[w] = true
		}
	}
	for _, e := range lx.Entries {
		add(e, e.Generic, Exact)
		for _, n := range e.Names {
			add(e, n, Exact)
		}
		for _, names := range e.Local {
			for _, n := range names {
				add(e, n, Exact)
			}
		}
		for _, n := range e.Brands.All() {
			add(e, n, Brand)
		}
		for _, c := range e.Classes {
			if cl, ok := lx.Class(c); ok && cl.RecentUseCounts {
				ix.recentUse[e] = true
			}
		}
	}
	for _, ps := range ix.byFirst {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
	}
	for w := range ix.vocab {
		r := []rune(w)
		if len(r) < MinFuzzyLen {
			continue
		}
		for i := range r {
			d := string(r[:i]) + string(r[i+1:])
			ix.dels[d] = appendOnce(ix.dels[d], w)
		}
	}
	return ix
}

func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

// correct returns the one name word within one edit of w, if there is
// exactly one and w is not an ordinary word that only looks like it.
func (ix *index) correct(w string) (string, bool) {
	if c, ok := ix.corrections.Load(w); ok {
		s := c.(string)
		return s, s != ""
	}
	c, ok := ix.findCorrection(w)
	if ix.nCorrected.Load() < maxCorrections {
		// The word is copied: it is part of the text's words, which the
		// index must not keep alive.
		if _, loaded := ix.corrections.LoadOrStore(strings.Clone(w), c); !loaded {
			ix.nCorrected.Add(1)
		}
	}
	return c, ok
}

func (ix *index) findCorrection(w string) (string, bool) {
	r := []rune(w)
	if len(r) < MinFuzzyLen || ix.lookalikes[w] || ix.cue.dose[w] || isNumber(w) {
		return "", false
	}
	var cands []string
	consider := func(c string) {
		if len([]rune(c)) >= MinFuzzyLen && c != w {
			cands = appendOnce(cands, c)
		}
	}
	for _, c := range ix.dels[w] { // w lacks a letter
		consider(c)
	}
	for i := range r {
		d := string(r[:i]) + string(r[i+1:])
		if ix.vocab[d] { // w has an extra letter
			consider(d)
		}
		for _, c := range ix.dels[d] { // a letter changed, or two swapped
			if rules.EditDistance(w, c, 2) <= 1 {
				consider(c)
			}
		}
	}
	if len(cands) != 1 {
		return "", false
	}
	return cands[0], true
}

// Find returns every medicine named in text, in the order written,
// negated ones included (see Match.Taken).
func (lx *Lexicon) Find(text string) []Match {
	toks := tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	ix := lx.idx
	words := make([]string, len(toks))
	fixed := make([]bool, len(toks))
	for i, t := range toks {
		words[i] = t.s
		if !ix.vocab[t.s] {
			if c, ok := ix.correct(t.s); ok {
				words[i], fixed[i] = c, true
			}
		}
	}
	plain := ix.notCues(toks)
	var out []Match
	var at [][2]int // the tokens of each match
	for i := 0; i < len(toks); {
		p, n := ix.longest(words, fixed, toks, i)
		if p == nil {
			i++
			continue
		}
		m := Match{
			Written: text[toks[i].start:toks[i+n-1].end],
			Start:   toks[i].start, End: toks[i+n-1].end,
			Item:  itemOf(text, toks, i, i+n-1),
			Entry: p.entry, Name: p.name, How: p.how,
		}
		for k := i; k < i+n; k++ {
			if fixed[k] {
				m.How = Misspelling
			}
		}
		ix.negation(&m, toks, plain, i, i+n)
		out = append(out, m)
		at = append(at, [2]int{i, i + n})
		i += n
	}
	ix.reactions(out, at, toks)
	ix.orphanCues(out, toks, plain)
	ix.stillTaken(out, at, toks)
	return out
}

// itemOf is the item of the list that tokens from to to are in, as
// written: from the start of their clause ("Meds: Eliquis 5mg" is
// "Eliquis 5mg") to the end of the item, a closing bracket included
// ("Eliquis 5 mg (twice a day)"), and on over "and" or "plus" to a dose
// ("warfarin 5mg mornings and 2.5 mg evenings").
func itemOf(text string, toks []token, from, to int) string {
	first, last := from, to
	for first > 0 && toks[first-1].seg == toks[from].seg && toks[first-1].clause == toks[from].clause {
		first--
	}
	for {
		for last+1 < len(toks) && toks[last+1].seg == toks[last].seg {
			last++
		}
		if last+1 >= len(toks) || !startsWithDigit(toks[last+1].s) {
			break
		}
		switch strings.ToLower(strings.TrimSpace(text[toks[last].end:toks[last+1].start])) {
		case "and", "plus", "&", "+":
			last++
			continue
		}
		break
	}
	end := toks[last].end
	if rest := strings.TrimLeft(text[end:], " "); rest != "" && (rest[0] == ')' || rest[0] == ']') {
		end = len(text) - len(rest) + 1
	}
	return text[toks[first].start:end]
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// Recognised returns the medicines the text says the patient takes.
func (lx *Lexicon) Recognised(text string) []Match {
	ms := lx.Find(text)
	out := ms[:0] // Find's slice is the caller's own
	for _, m := range ms {
		if m.Taken() {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// longest finds the longest name starting at word i, within one item and
// with at most one corrected word.
func (ix *index) longest(words []string, fixed []bool, toks []token, i int) (*phrase, int) {
next:
	for _, p := range ix.byFirst[words[i]] {
		n := len(p.words)
		if i+n > len(words) {
			continue
		}
		nfixed := 0
		for k, w := range p.words {
			if words[i+k] != w || toks[i+k].seg != toks[i].seg {
				continue next
			}
			if fixed[i+k] {
				nfixed++
			}
		}
		if nfixed <= 1 {
			return p, n
		}
	}
	return nil, 0
}

// dosing reports how many words from toks[k] are a dose, form or
// frequency: 1 for a dose word or a number, 2 for "when needed" and its
// kin, 0 for any other word.
func (c *cueSet) dosing(toks []token, k int) int {
	w := toks[k].s
	if (w == "when" || w == "if" || w == "as") && k+1 < len(toks) && toks[k+1].seg == toks[k].seg && c.asNeeded[toks[k+1].s] {
		return 2
	}
	if c.dose[w] || isNumber(w) {
		return 1
	}
	return 0
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// plainWords marks the words that look like cues but are not: a "no"
// that says a medicine was not stopped ("no he dejado el Sintrom",
// "Kardégic sans interruption") or that it is had over the counter
// ("ibuprofeno sin receta"), with the words it says that of. It is nil
// when the text has none.
type plainWords []bool

func (p plainWords) at(k int) bool { return p != nil && p[k] }

// notCues finds the plain words of a text: a word that says no, the
// helper words after it in its clause, and an unstopped or
// no_prescription word right after those.
func (ix *index) notCues(toks []token) plainWords {
	var plain plainWords
	for k, t := range toks {
		if !ix.cue.absentBefore[t.s] {
			continue
		}
		n := k + 1
		for n < len(toks) && toks[n].clause == t.clause && ix.cue.helper[toks[n].s] {
			n++
		}
		if n == len(toks) || toks[n].clause != t.clause || !ix.cue.unstopped[toks[n].s] && !ix.cue.noPrescription[toks[n].s] {
			continue
		}
		if plain == nil {
			plain = make(plainWords, len(toks))
		}
		for x := k; x <= n; x++ {
			plain[x] = true
		}
	}
	return plain
}

// negation reads the words around a match in [i, j) and marks it negated
// or possibly stopped, or as a reaction the patient had. Plain words are
// no cue.
func (ix *index) negation(m *Match, toks []token, plain plainWords, i, j int) {
	seg, clause := toks[i].seg, toks[i].clause
	recent := ix.recentUse[m.Entry]
	stopped := func(cue string) {
		if recent {
			m.PossiblyStopped = cue
		} else {
			m.Negated = cue
		}
	}
	// An allergy to a medicine whose recent use counts (a blood thinner)
	// says that the patient has taken it, perhaps lately: it stays
	// counted, as possibly stopped. Any other is not taken.
	allergic := func(cue string) {
		m.Allergy = true
		stopped(cue)
	}
	// Right after the name: "aspirin-free", "aspirin allergy".
	if j < len(toks) && toks[j].clause == clause && !plain.at(j) && ix.cue.absentAfter[toks[j].s] {
		m.Negated = toks[j].s
		return
	}
	if j < len(toks) && toks[j].seg == seg && ix.cue.allergyAfter[toks[j].s] {
		allergic(toks[j].s)
		return
	}
	// Before the name, over filler words, in its own clause: "no
	// aspirin", "stopped taking warfarin", "used to take warfarin", "no
	// longer on warfarin"; not "Nil: warfarin" or "None - Eliquis".
	k := i - 1
	for k >= 0 && toks[k].clause == clause && ix.cue.fillerBefore[toks[k].s] && (toks[k].s != "longer" || k == 0 || toks[k-1].s != "no") {
		k--
	}
	if k >= 0 && toks[k].clause == clause && !plain.at(k) {
		w := toks[k].s
		switch {
		case w == "longer" && k > 0 && toks[k-1].s == "no":
			stopped("no longer")
			return
		case w == "no" && k > 0 && toks[k-1].clause == clause && toks[k-1].s == "ya":
			// "ya no tomo Sintrom": no longer, which for a blood thinner
			// is stopped, not never taken.
			stopped("ya no")
			return
		case w == "used" && toks[k+1].s == "to":
			stopped("used to")
			return
		case ix.cue.allergyBefore[w]:
			allergic(w)
			return
		case ix.cue.absentBefore[w]:
			m.Negated = w
			return
		case ix.cue.stoppedBefore[w]:
			stopped(w)
			return
		case ix.cue.uncertainBefore[w]:
			m.PossiblyStopped = w
			return
		case ix.cue.onlyBefore[w]:
			// "no medicines except Eliquis": the "no" is not about it.
			return
		}
	}
	// After the name, over doses and frequencies: "warfarin 5mg stopped",
	// "aspirin not taking", "Eliquis on hold", "EMLA cream reaction". What
	// follows "for" is why it is taken ("hydrocortisone cream for a rash"),
	// not what became of it.
	k = j
	for k < len(toks) && toks[k].seg == seg && !ix.cue.reason[toks[k].s] {
		n := ix.cue.dosing(toks, k)
		if n == 0 {
			break
		}
		k += n
	}
	if k < len(toks) && toks[k].seg == seg && ix.cue.allergyAfter[toks[k].s] {
		allergic(toks[k].s)
		return
	}
	if k < len(toks) && toks[k].seg == seg && !ix.cue.reason[toks[k].s] && !plain.at(k) {
		w := toks[k].s
		nxt := ""
		if k+1 < len(toks) && toks[k+1].seg == seg {
			nxt = toks[k+1].s
		}
		switch {
		case w == "not" && (nxt == "taking" || nxt == "anymore" || nxt == "taken" || nxt == "using"),
			w == "no" && nxt == "longer":
			stopped(w + " " + nxt)
			return
		case ix.cue.stoppedAfter[w]:
			stopped(w)
			return
		case w == "on" && nxt == "hold", ix.cue.uncertainAfter[w]:
			m.PossiblyStopped = w
			if w == "on" {
				m.PossiblyStopped = "on hold"
			}
			return
		}
	}
	// Anywhere else in its clause or after it in the item: the match
	// stands, but may be stopped.
	for k := 0; k < len(toks); k++ {
		if toks[k].seg != seg || toks[k].clause < clause || k >= i && k < j || plain.at(k) {
			continue
		}
		if ix.cue.dosing(toks, k) == 2 {
			k++ // "when needed" is a dose
			continue
		}
		w := toks[k].s
		if ix.cue.absentBefore[w] || ix.cue.stoppedBefore[w] || ix.cue.uncertainBefore[w] || ix.cue.stoppedAfter[w] || ix.cue.uncertainAfter[w] {
			m.PossiblyStopped = w
			return
		}
	}
}

// reactions reads the reaction words of each item that no name's own
// words took ("lidocaine made my lips swell", "EMLA - swelling",
// "lidocaine (hives)"), each about the nearest name in its item (the one
// before it, when two are as near). Such a name is an allergy mention,
// and stays counted as possibly stopped: the patient took it once, and
// may still. Words after "for" say why a medicine is taken ("cream for a
// rash"), not how the patient reacted to it.
func (ix *index) reactions(ms []Match, at [][2]int, toks []token) {
	reason := -1 // the item in which a "for" was seen
	for k, t := range toks {
		if ix.cue.reason[t.s] {
			reason = t.seg
			continue
		}
		if reason == t.seg || !ix.cue.reaction[t.s] || inMatch(at, k) {
			continue
		}
		best, dist := -1, 0
		for n, a := range at {
			if toks[a[0]].seg != t.seg {
				continue
			}
			d := a[0] - k
			if k >= a[1] {
				d = k - a[1] + 1
			}
			if best < 0 || d < dist {
				best, dist = n, d
			}
		}
		if best < 0 || ms[best].Allergy || ms[best].Negated != "" {
			continue
		}
		ms[best].Allergy = true
		if ms[best].PossiblyStopped == "" {
			ms[best].PossiblyStopped = t.s
		}
	}
}

// stillTaken reads the words that say a medicine is taken after all
// ("rash on Eliquis but still taking it", "stopped, still on aspirin"):
// each is about the name right after it, over filler words, else the
// nearest name before it in its item. That name is taken, whatever else
// was said of it; a reaction to it stays an allergy mention.
func (ix *index) stillTaken(ms []Match, at [][2]int, toks []token) {
	for k, t := range toks {
		if !ix.cue.still[t.s] || inMatch(at, k) {
			continue
		}
		target := -1
		n := k + 1
		for n < len(toks) && toks[n].clause == t.clause && ix.cue.fillerBefore[toks[n].s] {
			n++
		}
		for x, a := range at {
			if a[0] == n && toks[n].clause == t.clause {
				target = x
			}
		}
		if target < 0 {
			for x, a := range at {
				if a[1] <= k && toks[a[0]].seg == t.seg {
					target = x
				}
			}
		}
		if target >= 0 {
			ms[target].Negated, ms[target].PossiblyStopped = "", ""
		}
	}
}

// inMatch reports whether token k is part of a name.
func inMatch(at [][2]int, k int) bool {
	for _, a := range at {
		if k >= a[0] && k < a[1] {
			return true
		}
	}
	return false
}

// orphanCues marks matches possibly stopped when the items right after
// them say so without naming a medicine: "Eliquis, not taking now".
func (ix *index) orphanCues(ms []Match, toks []token, plain plainWords) {
	if len(ms) == 0 {
		return
	}
	hasMatch := map[int]bool{}
	segOf := func(off int) int {
		for _, t := range toks {
			if t.start == off {
				return t.seg
			}
		}
		return -1
	}
	matchSeg := make([]int, len(ms))
	for i, m := range ms {
		matchSeg[i] = segOf(m.Start)
		hasMatch[matchSeg[i]] = true
	}
	for k, t := range toks {
		if hasMatch[t.seg] || ix.cue.dosing(toks, k) == 2 || plain.at(k) {
			continue
		}
		if k > 0 && toks[k-1].seg == t.seg && ix.cue.dosing(toks, k-1) == 2 {
			continue
		}
		w := t.s
		cue := w == "not" || ix.cue.stoppedBefore[w] || ix.cue.uncertainBefore[w] || ix.cue.stoppedAfter[w] || ix.cue.uncertainAfter[w]
		if !cue {
			continue
		}
		// The nearest item before it that names a medicine.
		last := -1
		for s := t.seg - 1; s >= 0; s-- {
			if hasMatch[s] {
				last = s
				break
			}
		}
		for i := range ms {
			if matchSeg[i] == last && ms[i].Taken() && ms[i].PossiblyStopped == "" {
				ms[i].PossiblyStopped = w
			}
		}
	}
}
