package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/config"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/signing"
	"github.com/mesoscreen/mesoscreen/rules"
	"github.com/mesoscreen/mesoscreen/screening"
)

// repoFile returns the path of a file under the repository's testdata.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

// golden compares got with the golden file under testdata, or rewrites it
// with -update.
func golden(t *testing.T, got string, parts ...string) {
	t.Helper()
	assertGolden(t, repoFile(parts...), got)
}

// run executes the command line through Main, as the binary would.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	s, out, errb := iostreams.Test(stdin)
	s.Getenv = testEnv(args, nil)
	code = Main(args, s)
	return code, out.String(), errb.String()
}

// keysBase holds the config folders of the clinicians the tests sign as,
// each its own, and the clinic's trusted keys, which all of them share: a
// record one test clinician saves, another may clear. It is made by
// TestMain, so that no test touches the config folder of whoever runs
// the tests.
var keysBase string

// testClinician is the name a test signs as when it gives none.
const testClinician = "Test Clinician"

// testEnv is the environment of a run of args in the tests: env, and for
// what env does not set, the config folder of the clinician the run
// names with --by or --clinician (testClinician when none), and the
// shared trusted keys.
func testEnv(args []string, env map[string]string) func(string) string {
	name := testClinician
	for i, a := range args {
		for _, fl := range []string{"--by", "--clinician"} {
			if a == fl && i+1 < len(args) {
				name = args[i+1]
			} else if v, ok := strings.CutPrefix(a, fl+"="); ok {
				name = v
			}
		}
	}
	testKey(name)
	return func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case config.EnvSigningKey:
			return filepath.Join(clinicianDir(name), signing.KeyFile)
		case config.EnvKeys:
			return filepath.Join(keysBase, "trusted-keys.yaml")
		case "LOGNAME":
			return name
		}
		return ""
	}
}

// testKey writes the signing key of a test clinician, made from the name
// so that it is the same every run, unless it is there already, and
// trusts it in the clinic's shared list, as the clinic lead would ("key
// trust"). A name no key may be trusted under is left untrusted.
func testKey(name string) {
	path := filepath.Join(clinicianDir(name), signing.KeyFile)
	if _, err := os.Stat(path); err == nil {
		return
	}
	seed := sha256.Sum256([]byte("mesoscreen test key of " + name))
	priv := ed25519.NewKeyFromSeed(seed[:])
	defer func() {
		st := signing.Store{TrustedPath: filepath.Join(keysBase, "trusted-keys.yaml")}
		_, _ = st.Trust(screening.TrustedKey{Name: name, Public: priv.Public().(ed25519.PublicKey)})
	}()
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o700)
	}
	if err == nil {
		err = os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	}
	if err != nil {
		panic(err)
	}
}

// clinicianDir is the config folder of a test clinician, named by a
// hash of the name, which may hold any character.
func clinicianDir(name string) string {
	h := sha256.Sum256([]byte(name))
	return filepath.Join(keysBase, hex.EncodeToString(h[:8]))
}

// testSigner is the signing key of a test clinician, made and trusted the
// first time, as the command would make it.
func testSigner(t *testing.T, name string) screening.Signer {
	t.Helper()
	st := signing.Store{Key: filepath.Join(clinicianDir(name), signing.KeyFile), TrustedPath: filepath.Join(keysBase, "trusted-keys.yaml")}
	testKey(name)
	priv, err := st.Own()
	require.NoError(t, err)
	_, err = st.Trust(screening.TrustedKey{Name: name, Public: priv.Public().(ed25519.PublicKey)})
	require.NoError(t, err)
	return screening.Signer{Name: name, Key: priv}
}

// testKeyring is the keys the test clinicians' clinic trusts.
func testKeyring(t *testing.T) *screening.Keyring {
	t.Helper()
	kr, err := signing.Store{TrustedPath: filepath.Join(keysBase, "trusted-keys.yaml")}.Keyring()
	require.NoError(t, err)
	return kr
}

// builtIn is the line a command that screens writes first on stderr when
// the built-in rule set screens (announce), unless -q is given.
func builtIn(t *testing.T) string {
	t.Helper()
	rs, err := rules.Default()
	require.NoError(t, err)
	return "using the built-in rule set mesotherapy-default version " + rs.Version + " (sha256 " + rs.SHA256[:12] +
		"); --rules FILE, $MESOSCREEN_RULES or rules: in the config file choose a clinic's own\n"
}
