package screening_test

import (
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/mesoscreen/mesoscreen/screening"
)

// signerOf is the signing key of a clinician in these tests, the same
// every run: made from the name.
func signerOf(name string) screening.Signer {
	seed := sha256.Sum256([]byte("mesoscreen test key of " + name))
	return screening.Signer{Name: name, Key: ed25519.NewKeyFromSeed(seed[:])}
}

// trust returns the keyring that trusts the clinicians' keys.
func trust(names ...string) *screening.Keyring {
	var keys []screening.TrustedKey
	for _, n := range names {
		s := signerOf(n)
		keys = append(keys, screening.TrustedKey{Name: n, Public: s.Key.Public().(ed25519.PublicKey)})
	}
	kr, err := screening.NewKeyring(keys...)
	if err != nil {
		panic(err)
	}
	return kr
}

// clinicKeys is the keyring of the clinic in these tests.
var clinicKeys = trust("anna", "Ana", "Dr Ruiz")
