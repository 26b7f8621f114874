package intake

// SetMaxRow sets the most bytes a record may take, and returns a function
// that puts it back.
func SetMaxRow(n int) (restore func()) {
	old := maxRow
	maxRow = n
	return func() { maxRow = old }
}
