package intake

// SetBlockSize sets the size of the blocks CSV files are cut into, and
// returns a function that puts it back.
func SetBlockSize(n int) (restore func()) {
	old := blockSize
	blockSize = n
	return func() { blockSize = old }
}
