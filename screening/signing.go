package screening

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A saved record's events are signed by whoever made them, with Ed25519:
// the signature covers the event as written (its answers and result, its
// time, the rule set's sha256, by, reason, note and the sha256 of the
// record before it), so that any change to it shows, and a key the clinic
// trusts says whose it is. A signature proves which key made an event;
// the clinic's list of trusted keys says whose key that is.

// signingContext starts the bytes an event's signature covers, so that a
// signature made for anything else cannot pass for one.
const signingContext = "mesoscreen record event\n"

// Signer is the key that signs the events a clinician makes, and the name
// the clinic trusts it under, which the events carry as "by".
type Signer struct {
	Name string
	Key  ed25519.PrivateKey
}

// KeyID names the signer's public key (see KeyIDOf).
func (s Signer) KeyID() string { return KeyIDOf(s.Key.Public().(ed25519.PublicKey)) }

// KeyIDOf names a public key by its fingerprint: "ed25519:" and the first
// 16 hex digits of its sha256.
func KeyIDOf(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return "ed25519:" + hex.EncodeToString(h[:8])
}

// TrustedKey is a colleague's public key, as the clinic trusts it: the
// name events made with it carry, and their role.
type TrustedKey struct {
	Name   string
	Role   string
	Public ed25519.PublicKey
}

// Keyring is the keys a clinic trusts, by key id. The zero Keyring
// trusts no key.
type Keyring struct {
	keys map[string]TrustedKey
}

// NewKeyring returns the keyring of the keys. A key given twice under two
// names, or two keys under one name, is an error: an event's signer must
// be one person.
func NewKeyring(keys ...TrustedKey) (*Keyring, error) {
	kr := &Keyring{keys: map[string]TrustedKey{}}
	names := map[string]string{}
	for _, k := range keys {
		if len(k.Public) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("the key of %q is %d bytes; expected an Ed25519 public key of %d", k.Name, len(k.Public), ed25519.PublicKeySize)
		}
		if err := CheckSignerName(k.Name); err != nil {
			return nil, fmt.Errorf("key %s: %w", KeyIDOf(k.Public), err)
		}
		id := KeyIDOf(k.Public)
		if old, ok := kr.keys[id]; ok && old.Name != k.Name {
			return nil, fmt.Errorf("key %s is trusted as %q and as %q; expected one name per key", id, old.Name, k.Name)
		}
		if other, ok := names[k.Name]; ok && other != id {
			return nil, fmt.Errorf("%q is trusted with two keys, %s and %s; expected one key per name", k.Name, other, id)
		}
		kr.keys[id], names[k.Name] = k, id
	}
	return kr, nil
}

// CheckSignerName refuses a name a signer cannot carry: an empty one, or
// one with a control or format character, which would print as something
// other than it reads.
func CheckSignerName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("the name is empty; expected the name of the clinician who holds the key")
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(name[i:])
		return fmt.Errorf("the name %q holds U+%04X, a control or format character: a signer's name must print as it reads", name, r)
	}
	return nil
}

// Lookup returns the trusted key of the id.
func (kr *Keyring) Lookup(id string) (TrustedKey, bool) {
	if kr == nil {
		return TrustedKey{}, false
	}
	k, ok := kr.keys[id]
	return k, ok
}

// Len is how many keys are trusted.
func (kr *Keyring) Len() int {
	if kr == nil {
		return 0
	}
	return len(kr.keys)
}

// ErrUnsigned is Verify's error for a record saved before events were
// signed: nothing in it says who made it, so it is not believed until a
// clinician adopts it.
var ErrUnsigned = errors.New(`the record was saved before records were signed, so nothing shows who made it or that it was not changed; a clinician who has checked it adopts it with "mesoscreen record adopt"`)

// signJSON signs the JSON object b (as json.Marshal writes it, the
// "signature" member left out) with key under context, and returns b with
// the signature added as its last member, and the signature.
func signJSON(context string, b []byte, key ed25519.PrivateKey) ([]byte, string) {
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(key, append([]byte(context), b...)))
	return append(b[:len(b)-1:len(b)-1], signatureKey+sig+`"}`...), sig
}

// signatureKey starts the last member of a signed object.
const signatureKey = `,"signature":"`

// checkSigned checks a signed JSON object as written (any layout), whose
// decoded key id, name and signature are keyID, by and sig: the signature
// is its last member, over the rest, by a key keys trusts under the name
// by. A member after the signature (which a decoder would let win) is
// refused. what names the object in errors.
func checkSigned(context string, raw []byte, keyID, by, sig string, keys *Keyring, what string) error {
	var c bytes.Buffer
	if err := json.Compact(&c, raw); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	b := c.Bytes()
	if keyID == "" || sig == "" {
		return fmt.Errorf("%s is not signed", what)
	}
	k := bytes.LastIndex(b, []byte(signatureKey))
	if k < 0 || !bytes.Equal(b[k+len(signatureKey):], []byte(sig+`"}`)) {
		return fmt.Errorf("%s: its signature is not where mesoscreen writes it, the last member", what)
	}
	raw64, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("%s: the signature is not base64: %w", what, err)
	}
	tk, ok := keys.Lookup(keyID)
	if !ok {
		return fmt.Errorf("%s is signed with key %s, which the clinic does not trust", what, keyID)
	}
	if !ed25519.Verify(tk.Public, append(append([]byte(context), b[:k]...), '}'), raw64) {
		return fmt.Errorf("%s: the signature does not match: it was changed after it was signed", what)
	}
	if by != tk.Name {
		return fmt.Errorf("%s says it is by %q, but key %s is trusted as %q", what, by, keyID, tk.Name)
	}
	return nil
}

// signEvent writes e signed by s: the event as JSON with the signer's key
// id and name, and the signature over those bytes as the last member.
func signEvent(e Event, s Signer) (Event, []byte, error) {
	if len(s.Key) != ed25519.PrivateKeySize {
		return Event{}, nil, errors.New("no signing key: every event of a record is signed by the clinician who makes it")
	}
	e.By, e.KeyID, e.Signature = s.Name, s.KeyID(), ""
	b, err := json.Marshal(e)
	if err != nil {
		return Event{}, nil, err
	}
	signed, sig := signJSON(signingContext, b, s.Key)
	e.Signature = sig
	return e, signed, nil
}

// checkSignature checks that event i, as written (raw), is signed by a
// key the keyring trusts, under the name it carries.
func checkSignature(i int, raw []byte, e Event, keys *Keyring) error {
	return checkSigned(signingContext, raw, e.KeyID, e.By, e.Signature, keys, fmt.Sprintf("event %d (%s %s by %s)", i+1, e.Event, e.At, e.By))
}

// signedFrom is the first event that must be signed: the last adoption,
// or the first event.
func (r *SavedRecord) signedFrom() int {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].Event == EventAdopted {
			return i
		}
	}
	return 0
}

// checkSignatures checks every event from the last adoption on.
func (r *SavedRecord) checkSignatures(keys *Keyring) error {
	for i := r.signedFrom(); i < len(r.Events); i++ {
		if err := checkSignature(i, r.raw[i], r.Events[i], keys); err != nil {
			return &ChainError{Event: i + 1, Msg: err.Error()}
		}
	}
	return nil
}
