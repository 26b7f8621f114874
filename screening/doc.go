// Package screening screens one intake against a rule set: it reads raw
// answers into typed ones, turns an answer that cannot be used into a
// needs_review finding, and lets the rule set's CEL conditions decide the
// rest. It touches no terminal and no file, and a Screener is safe to
// share between goroutines.
package screening
