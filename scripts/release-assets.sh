#!/usr/bin/env bash
# Makes what every release archive and package carries beside the binary,
# into build/release: the man pages (with the release's version, dated by
# the commit so that two builds are the same byte for byte; compressed for
# the packages), the shell
# completions, and THIRD_PARTY_NOTICES. goreleaser's before hook runs it:
#   scripts/release-assets.sh VERSION COMMIT_TIMESTAMP
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: scripts/release-assets.sh VERSION COMMIT_TIMESTAMP}
epoch=${2:?usage: scripts/release-assets.sh VERSION COMMIT_TIMESTAMP}
out=build/release
rm -rf "$out"
mkdir -p "$out/man" "$out/man-gz" "$out/completions"
pkg=github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/buildinfo
go build -trimpath -ldflags "-X $pkg.version=$version" -o "$out/mesoscreen" ./cmd/mesoscreen
SOURCE_DATE_EPOCH=$epoch "$out/mesoscreen" -q docs man "$out/man" 2>/dev/null
# Packages install man pages compressed, as Debian policy asks; -n keeps
# the name and time out of the file, so that it repeats.
for m in "$out"/man/*.1; do
	gzip -9nc "$m" >"$out/man-gz/$(basename "$m").gz"
done
"$out/mesoscreen" completion bash >"$out/completions/mesoscreen.bash"
"$out/mesoscreen" completion zsh >"$out/completions/_mesoscreen"
"$out/mesoscreen" completion fish >"$out/completions/mesoscreen.fish"
"$out/mesoscreen" completion powershell >"$out/completions/mesoscreen.ps1"
rm "$out/mesoscreen"
scripts/third-party-notices.sh >"$out/THIRD_PARTY_NOTICES"
