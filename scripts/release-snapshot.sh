#!/usr/bin/env bash
# Builds a snapshot release with goreleaser (pinned in tools/go.mod) into
# dist/, nothing published, and lists what each archive and package holds.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(scripts/tools.sh)
export PATH=$tools:$PATH # the SBOM step runs cyclonedx-gomod
goreleaser release --snapshot --clean --skip=publish
for a in dist/*.tar.gz; do
	echo "== $a"
	tar -tvzf "$a" --numeric-owner
done
for a in dist/*.zip; do
	echo "== $a"
	unzip -l "$a"
done
for p in dist/*.deb; do
	[ -e "$p" ] || continue
	echo "== $p"
	dpkg-deb -c "$p"
done
for p in dist/*.rpm; do
	[ -e "$p" ] || continue
	echo "== $p"
	if command -v rpm >/dev/null; then rpm -qlpv "$p"; else echo "(rpm is not installed to list it)"; fi
done
echo "== dist/checksums.txt"
cat dist/checksums.txt
