package screening

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/rules"
)

// What a script with write access to the file does: edit an answer of
// the first event, then make every hash and the seal match again, as
// mesoscreen would write them. The chain holds; the signature, which the
// script cannot make, does not, and Verify names the event.
func TestResealedEditIsCaught(t *testing.T) {
	rs, err := rules.Default()
	require.NoError(t, err)
	seed := sha256.Sum256([]byte("anna"))
	anna := Signer{Name: "anna", Key: ed25519.NewKeyFromSeed(seed[:])}
	keys, err := NewKeyring(TrustedKey{Name: "anna", Public: anna.Key.Public().(ed25519.PublicKey)})
	require.NoError(t, err)
	sc := NewScreener(rs, Options{Keys: keys})
	a := Parse(rs, map[string]any{"patient_id": "P-1", "age": 30, "pregnant": "yes"})
	rec, err := NewSavedRecord(a, sc.Evaluate(a), time.Now(), "test", anna)
	require.NoError(t, err)
	require.NoError(t, rec.Rescreen(a, sc.Evaluate(a), nil, time.Now(), "test", anna), "a second event, so that a prev_sha256 is recomputed too")

	// The script: pregnant yes -> no in the first event, then the second
	// event's prev_sha256, then the seal.
	raw := make([]json.RawMessage, len(rec.raw))
	copy(raw, rec.raw)
	raw[0] = bytes.Replace(raw[0], []byte(`"pregnant":"yes"`), []byte(`"pregnant":"no"`), 1)
	require.NotEqual(t, rec.raw[0], raw[0], "the edit took")
	before, err := sealed(raw[:1])
	require.NoError(t, err)
	var second map[string]any
	require.NoError(t, json.Unmarshal(raw[1], &second))
	oldPrev := second["prev_sha256"].(string)
	raw[1] = bytes.Replace(raw[1], []byte(oldPrev), []byte(sum(before)), 1)
	raw[1] = bytes.Replace(raw[1], []byte(`"pregnant":"yes"`), []byte(`"pregnant":"no"`), 1)
	forged, err := sealed(raw)
	require.NoError(t, err)

	back, err := ReadSavedRecord(forged)
	require.NoError(t, err)
	_, chainErr := back.verifyChain()
	require.NoError(t, chainErr, "the script made the chain and the seal hold")
	err = back.Verify(keys)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "event 1 (screened")
	assert.Contains(t, err.Error(), "the signature does not match")
	got := sc.Review(&back, time.Now())
	assert.False(t, got.Verdict.AllowsTreatment(), "%s", got.Verdict)
}
