package intake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// members must count exactly: an object read whole is trusted to have no
// member given twice only when the count matches its map.
func TestMembers(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{`{}`, 0},
		{`{"a": 1}`, 1},
		{`{"a": 1, "a": 2}`, 2},
		{`{"a:b": ":", "c": "d"}`, 2},
		{`{"a\":": 1, "b": "x\\", "c": "\\\":"}`, 3},
		{`{"a": {"b": 1, "c": [{"d": ":"}]}, "e": [1, {"f": 2}]}`, 2},
		{` { "a" : "}" , "b" : "{" } `, 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, members([]byte(tt.in)), tt.in)
	}
}
