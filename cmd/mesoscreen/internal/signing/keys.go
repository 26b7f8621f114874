// Package signing keeps a clinician's signing key and the clinic's list of
// trusted keys.
//
// A clinician's Ed25519 key pair lives in their own config folder: the
// private key in signing-key.pem (PKCS #8, mode 0600), made the first time
// they save, clear or re-screen a record. The keys the clinic trusts are
// one YAML file, trusted-keys.yaml beside it unless the config file's
// keys: (or MESOSCREEN_KEYS) names another: a clinic shares one such file,
// kept where only the clinic lead can write, so that every workstation
// trusts the same people and a colleague who leaves is removed once. The
// file is not the config file because it changes as people join, and
// mesoscreen writes it ("mesoscreen key trust"); the config file is the
// clinic's to write.
package signing

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/atomicfile"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/filelock"
	"github.com/mesoscreen/mesoscreen/screening"
)

// Store is where a clinician's key and the clinic's trusted keys are.
type Store struct {
	// Key is the clinician's private key file: signing-key.pem in their
	// config folder (mesoscreen's own), unless MESOSCREEN_SIGNING_KEY
	// names another.
	Key string
	// TrustedPath is the trusted keys file.
	TrustedPath string
}

// KeyFile is the private key's file name in the config folder.
const KeyFile = "signing-key.pem"

// KeyPath is the clinician's private key file.
func (s Store) KeyPath() string { return s.Key }

// ErrNoKey is Own's error when the clinician has no key yet.
var ErrNoKey = errors.New("no signing key yet")

// Own reads the clinician's private key.
func (s Store) Own() (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(s.KeyPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the signing key: %w", s.KeyPath(), err)
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s: found no PEM \"PRIVATE KEY\" block; expected the signing key mesoscreen made", s.KeyPath())
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.KeyPath(), err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: the key is %T; expected an Ed25519 key", s.KeyPath(), k)
	}
	return priv, nil
}

// Create makes the clinician's key pair and writes the private key, mode
// 0600, refusing to replace one that exists.
func (s Store) Create() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(s.Key), 0o700); err != nil {
		return nil, fmt.Errorf("cannot make the config folder for the signing key: %w", err)
	}
	f, err := os.OpenFile(s.KeyPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write the signing key: %w", err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(s.KeyPath())
		return nil, fmt.Errorf("%s: %w", s.KeyPath(), werr)
	}
	return priv, nil
}

// trustedFile is the trusted keys file as written.
type trustedFile struct {
	Keys []trustedEntry `yaml:"keys"`
}

type trustedEntry struct {
	Name string `yaml:"name"`
	Role string `yaml:"role,omitempty"`
	// Key is the public key, base64 of its PKIX DER (what "key show"
	// prints inside its PEM block).
	Key string `yaml:"key"`
}

// Trusted reads the trusted keys; a missing file trusts nobody.
func (s Store) Trusted() ([]screening.TrustedKey, error) {
	data, err := os.ReadFile(s.TrustedPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the trusted keys: %w", s.TrustedPath, err)
	}
	var tf trustedFile
	if err := yaml.UnmarshalWithOptions(data, &tf, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("%s: the trusted keys file is not valid (expected keys: with name:, role: and key: each):\n%w", s.TrustedPath, err)
	}
	out := make([]screening.TrustedKey, 0, len(tf.Keys))
	for i, e := range tf.Keys {
		pub, err := ParsePublic(e.Key)
		if err != nil {
			return nil, fmt.Errorf("%s: key %d (%s): %w", s.TrustedPath, i+1, e.Name, err)
		}
		out = append(out, screening.TrustedKey{Name: e.Name, Role: e.Role, Public: pub})
	}
	return out, nil
}

// Keyring is the keyring of the trusted keys.
func (s Store) Keyring() (*screening.Keyring, error) {
	keys, err := s.Trusted()
	if err != nil {
		return nil, err
	}
	kr, err := screening.NewKeyring(keys...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.TrustedPath, err)
	}
	return kr, nil
}

// Trust adds a key to the trusted keys file, one writer at a time (the
// file's lock, held while it is read and written), written whole and in
// place (atomicfile.Replace: through a link, keeping its mode and group).
// A key trusted already under the same name is no change; under another
// name, or a name trusted with another key, it is an error.
func (s Store) Trust(k screening.TrustedKey) (added bool, err error) {
	if err := screening.CheckSignerName(k.Name); err != nil {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(s.TrustedPath), 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(s.TrustedPath, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return false, fmt.Errorf("%s: %w", s.TrustedPath, err)
	}
	_ = f.Close()
	unlock, err := filelock.Lock(s.TrustedPath)
	if err != nil {
		return false, err
	}
	defer unlock()
	keys, err := s.Trusted()
	if err != nil {
		return false, err
	}
	id := screening.KeyIDOf(k.Public)
	for _, old := range keys {
		if screening.KeyIDOf(old.Public) == id && old.Name == k.Name {
			return false, nil
		}
	}
	if _, err := screening.NewKeyring(append(keys, k)...); err != nil {
		return false, fmt.Errorf("%s: %w", s.TrustedPath, err)
	}
	var tf trustedFile
	for _, t := range append(keys, k) {
		tf.Keys = append(tf.Keys, trustedEntry{Name: t.Name, Role: t.Role, Key: EncodePublic(t.Public)})
	}
	body, err := yaml.Marshal(tf)
	if err != nil {
		return false, err
	}
	data := append([]byte("# The keys this clinic trusts: an event of a saved record is believed only\n"+
		"# when one of them signed it. Add one with \"mesoscreen key trust\".\n"), body...)
	tmp, err := atomicfile.Replace(s.TrustedPath, data)
	if err != nil {
		return false, err
	}
	defer tmp.Abort()
	return true, tmp.Commit()
}

// EncodePublic writes a public key as base64 of its PKIX DER.
func EncodePublic(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err) // an Ed25519 key always marshals
	}
	return base64.StdEncoding.EncodeToString(der)
}

// PEMPublic writes a public key as a PEM "PUBLIC KEY" block.
func PEMPublic(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err) // an Ed25519 key always marshals
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// ParsePublic reads a public key written by PEMPublic or EncodePublic.
func ParsePublic(text string) (ed25519.PublicKey, error) {
	der := []byte(nil)
	if b, _ := pem.Decode([]byte(text)); b != nil {
		if b.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("found a PEM %q block; expected a \"PUBLIC KEY\"", b.Type)
		}
		der = b.Bytes
	} else {
		d, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("found neither a PEM block nor base64: %w", err)
		}
		der = d
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the key is %T; expected an Ed25519 public key", k)
	}
	return pub, nil
}
