package buildinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestToolVersion: a saved record names the version, the revision when
// the version does not name the source, and uncommitted changes; a build
// with neither says "unknown", never "devel".
func TestToolVersion(t *testing.T) {
	for _, tt := range []struct {
		info Info
		want string
	}{
		{Info{Version: "v1.2.0", Revision: "0123456789abcdef"}, "v1.2.0"},
		{Info{Version: Unknown, Revision: "0123456789abcdef"}, "unknown+0123456789ab"},
		{Info{Version: Unknown, Revision: "0123456789abcdef", Modified: true}, "unknown+0123456789ab+dirty"},
		{Info{Version: Unknown}, "unknown"},
		{Info{Version: "v0.0.0-20260301000000-0123456789ab+dirty", Modified: true}, "v0.0.0-20260301000000-0123456789ab+dirty"},
	} {
		assert.Equal(t, tt.want, toolVersion(tt.info))
	}
	// This test binary is built with no version: it says so.
	assert.NotEqual(t, "devel", Read().Version)
	assert.NotContains(t, ToolVersion(), "devel")
}
