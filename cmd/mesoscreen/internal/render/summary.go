package render

import (
	"fmt"
	"strings"

	"github.com/mesoscreen/mesoscreen/rules"
)

// Summary is the line of counts per verdict written to stderr.
func Summary(total int, counts map[rules.Level]int) string {
	noun := "records"
	if total == 1 {
		noun = "record"
	}
	var parts []string
	for _, l := range rules.Levels {
		if counts[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("screened %d %s", total, noun)
	}
	return fmt.Sprintf("screened %d %s: %s", total, noun, strings.Join(parts, ", "))
}
