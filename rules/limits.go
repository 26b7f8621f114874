package rules

import (
	"fmt"
	"io"
	"os"
	"strconv"

	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// FileKind is a kind of YAML file that mesoscreen reads. Every kind is held
// to the same limits; the kind only names the file in their messages.
type FileKind int

// The kinds of YAML file.
const (
	OtherYAMLFile FileKind = iota // a YAML file of none of the kinds below
	RuleSetFile
	MappingFile
	LexiconFile
	RuleTestFile
	TranslationFileKind
)

// String names the kind in messages: "the rule set is 2 MiB".
func (k FileKind) String() string {
	switch k {
	case RuleSetFile:
		return "rule set"
	case MappingFile:
		return "mapping"
	case LexiconFile:
		return "medication lexicon"
	case RuleTestFile:
		return "rule-test file"
	case TranslationFileKind:
		return "translation file"
	}
	return "YAML file"
}

// The limits a YAML file is held to before it is decoded. They are there
// for files that are hostile or broken, not for real ones: the default
// rule set is 20 KB, the medication lexicon 27 KB, and neither uses an
// alias or nests [...] more than once.
const (
	// MaxFileBytes is the size of the largest YAML file read. goccy/go-yaml's
	// parser allocates about 60 bytes per byte of input (a 4 MiB file takes
	// 255 MB), and a rule set of 1 MiB (50 times the default, about 1000
	// rules) loads in 0.4 s; a clinic's protocol that is larger is no longer
	// one a person reviews.
	MaxFileBytes = 1 << 20

	// MaxAliasNodes is how many nodes the aliases of a file may add to it
	// once expanded. An anchor and its aliases repeat a list of sources or
	// a few settings, a few hundred nodes at most; 100,000 is far above
	// that and still cheap (a rule set whose aliases add 90,000 decodes in
	// 35 ms and 27 MB), while a billion-laughs file, which adds hundreds of
	// millions, is refused before the decoder starts. The nodes written out
	// in the file are not counted here: MaxFileBytes bounds them.
	MaxAliasNodes = 100_000

	// MaxFlowDepth is how deeply [...] and {...} may nest. The parser's
	// work grows with the square of the depth (40 KB of "[" takes it 0.3 s
	// and 670 MB), while real files nest them once or twice.
	MaxFlowDepth = 100
)

// ReadFile reads the YAML file at path, refusing one larger than
// MaxFileBytes without reading it whole. A file that is too large gives
// Problems, other failures the error of package os.
func ReadFile(path string, kind FileKind) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileBytes {
		return nil, Problems{tooLarge(path, kind, sizeText(st.Size()))}
	}
	// A pipe or a device has no size to ask for, and a file can grow after
	// Stat: read one byte past the limit to tell.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, Problems{tooLarge(path, kind, "more than "+sizeText(MaxFileBytes))}
	}
	return data, nil
}

func tooLarge(file string, kind FileKind, size string) Problem {
	return Problem{File: file, Severity: Error,
		Msg: fmt.Sprintf("the %s is %s; expected at most %s", kind, size, sizeText(MaxFileBytes))}
}

// sizeText writes a size of a file the way people read one: 9.5 MiB,
// 1 MiB, 12 KiB. It rounds up, so that a file a byte over the limit is
// not said to be the limit.
func sizeText(n int64) string {
	unit := func(size int64, name string) string {
		tenths := (n*10 + size - 1) / size
		return strconv.FormatFloat(float64(tenths)/10, 'f', -1, 64) + " " + name
	}
	switch {
	case n >= 1<<20:
		return unit(1<<20, "MiB")
	case n >= 1<<10:
		return unit(1<<10, "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkFlowDepth finds the first [ or { nested more than MaxFlowDepth deep.
// It reads the tokens, not the text, so brackets in quoted and block
// texts (CEL conditions) are not counted.
func checkFlowDepth(file string, kind FileKind, tokens token.Tokens) *Problem {
	depth := 0
	for _, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
			if depth > MaxFlowDepth {
				return &Problem{File: file, Pos: Pos{tk.Position.Line, tk.Position.Column}, Severity: Error,
					Msg: fmt.Sprintf("[ and { are nested more than %d deep here; expected a plain %s (a few levels of [...] and {...})", MaxFlowDepth, kind)}
			}
		case token.SequenceEndType, token.MappingEndType:
			depth--
		}
	}
	return nil
}

// aliasCounter adds up the nodes that aliases stand for, as the decoder
// would expand them. Each anchor's expanded size is worked out once, where
// the anchor is written, so an alias costs a map lookup however much it
// stands for: counting a billion-laughs file is as quick as parsing it.
type aliasCounter struct {
	anchors map[string]int64 // expanded size of each anchor, as last defined
	added   int64            // nodes added by the aliases so far
	over    *yast.AliasNode  // the alias that took added past MaxAliasNodes
}

// size returns how many nodes n stands for once its aliases are expanded.
// It stops counting once the limit is passed, so no sum can overflow:
// every size is at most the nodes written plus MaxAliasNodes.
func (c *aliasCounter) size(n yast.Node) int64 {
	if n == nil || c.over != nil {
		return 0
	}
	switch n := n.(type) {
	case *yast.AliasNode:
		// An alias to an anchor not (yet) defined adds nothing; the
		// decoder reports it.
		s := c.anchors[n.Value.GetToken().Value]
		c.added += s
		if c.added > MaxAliasNodes {
			c.over = n
		}
		return s
	case *yast.AnchorNode:
		s := c.size(n.Value)
		c.anchors[n.Name.GetToken().Value] = s
		return s
	case *yast.DocumentNode:
		return c.size(n.Body)
	case *yast.TagNode:
		return c.size(n.Value)
	case *yast.MappingValueNode:
		return c.size(n.Key) + c.size(n.Value)
	case *yast.MappingKeyNode:
		return c.size(n.Value)
	case *yast.MappingNode:
		s := int64(1)
		for _, v := range n.Values {
			s += c.size(v)
		}
		return s
	case *yast.SequenceNode:
		s := int64(1)
		for _, v := range n.Values {
			s += c.size(v)
		}
		return s
	}
	return 1
}

// checkAliases refuses a file whose aliases expand to more than
// MaxAliasNodes nodes, at the alias that passes the limit.
func checkAliases(file string, kind FileKind, docs []*yast.DocumentNode) *Problem {
	c := &aliasCounter{anchors: map[string]int64{}}
	for _, d := range docs {
		c.size(d)
	}
	if c.over == nil {
		return nil
	}
	return &Problem{File: file, Pos: tokenPos(c.over), Severity: Error,
		Msg: fmt.Sprintf("the aliases in this file expand to more than %d nodes; expected a plain %s (anchors and aliases may only repeat small parts)", MaxAliasNodes, kind)}
}
