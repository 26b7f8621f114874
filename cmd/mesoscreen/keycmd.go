package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/render"
	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/signing"
	"github.com/mesoscreen/mesoscreen/screening"
)

// NewCmdKey builds "mesoscreen key": the signing key and the trusted keys.
func NewCmdKey(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Show your signing key, and trust a colleague's",
		Long:  helpText("key"),
		Example: `  mesoscreen key show > okafor.pub
  mesoscreen key trust okafor.pub --name "Dr Sam Okafor" --role prescriber`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCmdKeyShow(f, nil), newCmdKeyTrust(f, nil))
	return cmd
}

// KeyShowOptions are the inputs of "mesoscreen key show".
type KeyShowOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	Format  string // text (the PEM) or json
}

func newCmdKeyShow(f *Factory, runF func(*KeyShowOptions) error) *cobra.Command {
	opts := &KeyShowOptions{Streams: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print your public key, to give to colleagues (made now if you have none)",
		Example: `  mesoscreen key show > okafor.pub
  mesoscreen key show --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runKeyShow(opts)
		},
	}
	addEnumFlag(cmd, &opts.Format, "format", "f", "text", "output `format`: text (the public key as PEM) or json", "text", "json")
	return cmd
}

// keyJSON is "key show --format json": the key, its id, and the name the
// clinic trusts it as ("" when it does not yet).
type keyJSON struct {
	ID        string `json:"key_id"`
	TrustedAs string `json:"trusted_as"`
	PublicKey string `json:"public_key"`
}

func runKeyShow(opts *KeyShowOptions) error {
	st, err := opts.Factory.keyStore()
	if err != nil {
		return err
	}
	priv, err := st.Own()
	if errors.Is(err, signing.ErrNoKey) {
		// A colleague gives the clinic lead their key before they sign
		// anything: it is made now.
		if priv, err = st.Create(); err == nil {
			fmt.Fprint(opts.Streams.Err, render.PrintableLines(fmt.Sprintf("made your signing key in %s\n", st.KeyPath())))
		}
	}
	if err != nil {
		return failf("%w", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	id := screening.KeyIDOf(pub)
	trusted, err := st.Trusted()
	if err != nil {
		return failf("%w", err)
	}
	var as string
	for _, k := range trusted {
		if screening.KeyIDOf(k.Public) == id {
			as = k.Name
		}
	}
	if opts.Format == "json" {
		return writeJSON(opts.Streams, keyJSON{ID: id, TrustedAs: as, PublicKey: signing.PEMPublic(pub)})
	}
	name := "not trusted by this clinic yet"
	if as != "" {
		name = "trusted as " + as
	}
	opts.Streams.Info("key %s, %s\n", id, render.Printable(name))
	_, err = fmt.Fprint(opts.Streams.Out, signing.PEMPublic(pub))
	return err
}

// KeyTrustOptions are the inputs of "mesoscreen key trust".
type KeyTrustOptions struct {
	Streams *iostreams.Streams
	Factory *Factory
	File    string
	Name    string
	Role    string
}

func newCmdKeyTrust(f *Factory, runF func(*KeyTrustOptions) error) *cobra.Command {
	opts := &KeyTrustOptions{Streams: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "trust FILE",
		Short: "Trust a colleague's public key, under their name",
		Example: `  mesoscreen key trust okafor.pub --name "Dr Sam Okafor" --role prescriber
  mesoscreen key trust - --name "Ana Ruiz" < ruiz.pub`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: extCompletion("pub", "pem"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if strings.TrimSpace(opts.Name) == "" {
				return flagError(cmd, errors.New("--name is required: the name events signed with the key will carry"))
			}
			if runF != nil {
				return runF(opts)
			}
			return runKeyTrust(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "the colleague's `NAME`, which the events they sign carry")
	cmd.Flags().StringVar(&opts.Role, "role", "", "their `ROLE` (clinician, prescriber, …)")
	completeFlag(cmd, "name", noCompletion)
	completeFlag(cmd, "role", noCompletion)
	return cmd
}

func runKeyTrust(opts *KeyTrustOptions) error {
	var data []byte
	var err error
	if opts.File == "-" {
		data, err = io.ReadAll(io.LimitReader(opts.Streams.In, 64<<10))
	} else {
		data, err = os.ReadFile(opts.File)
	}
	if err != nil {
		return failf("%s: cannot read: %w", opts.File, err)
	}
	pub, err := signing.ParsePublic(string(data))
	if err != nil {
		return failf("%s: %w; expected the output of \"mesoscreen key show\"", opts.File, err)
	}
	st, err := opts.Factory.keyStore()
	if err != nil {
		return err
	}
	added, err := st.Trust(screening.TrustedKey{Name: opts.Name, Role: opts.Role, Public: pub})
	if err != nil {
		return failf("%w", err)
	}
	what := "trusted"
	if !added {
		what = "already trusted"
	}
	fmt.Fprint(opts.Streams.Err, render.PrintableLines(fmt.Sprintf("%s key %s as %q in %s\n", what, screening.KeyIDOf(pub), opts.Name, st.TrustedPath)))
	return nil
}
