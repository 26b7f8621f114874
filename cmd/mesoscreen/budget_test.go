package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMemoryBudget shows the memory limit of a check following both the
// table of patient ids and what else the run keeps alive.
func TestMemoryBudget(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	limit := func() int64 { return debug.SetMemoryLimit(-1) }

	m := newMemoryBudget()
	runtime.GC()
	m.set()
	assert.Equal(t, int64(checkMemoryLimit), m.limit, "a small run keeps the base budget")

	m.table = 100 << 20
	m.set()
	assert.Equal(t, int64(100<<20+checkMemoryRoom), limit(), "room beside a large table of ids")

	m.table = 0
	kept := make([]byte, 64<<20)
	runtime.GC()
	m.set()
	assert.GreaterOrEqual(t, limit(), int64(64<<20+checkLiveRoom), "room above a large live heap")
	runtime.KeepAlive(kept)

	kept = nil
	runtime.GC()
	m.set()
	assert.Less(t, limit(), int64(64<<20), "lowered again once the heap is freed")
}
