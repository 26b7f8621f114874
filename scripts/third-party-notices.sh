#!/usr/bin/env bash
# Writes THIRD_PARTY_NOTICES to stdout: the licence and NOTICE files of
# every module built into mesoscreen, as go-licenses (pinned in
# tools/go.mod) finds them in the module graph. MIT and BSD licences
# require their text to go with the binary; Apache-2.0 modules' NOTICE
# files too.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(scripts/tools.sh go-licenses)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The module graph differs by system (the Windows build has
# inconshreveable/mousetrap, for one): every system a release is built
# for is read, and the notices of all of them go into the one file.
mkdir -p "$tmp/licenses"
for os in linux darwin windows; do
	GOOS=$os "$tools/go-licenses" save ./cmd/mesoscreen --save_path="$tmp/$os" \
		--ignore github.com/mesoscreen/mesoscreen 2>/dev/null
	cp -R "$tmp/$os/." "$tmp/licenses/"
	GOOS=$os "$tools/go-licenses" report ./cmd/mesoscreen \
		--ignore github.com/mesoscreen/mesoscreen 2>/dev/null >>"$tmp/all.csv"
done
LC_ALL=C sort -u "$tmp/all.csv" >"$tmp/report.csv"

echo "mesoscreen is built with the following third-party Go modules. Their"
echo "licences and notices follow, as each requires."
echo
while IFS=, read -r pkg url licence; do
	printf '  %-60s %s\n' "$pkg" "$licence"
done <"$tmp/report.csv"
(cd "$tmp/licenses" && find . -type f | LC_ALL=C sort) | while read -r f; do
	f=${f#./}
	echo
	echo "================================================================================"
	echo "$(dirname "$f"): $(basename "$f")"
	echo "================================================================================"
	echo
	cat "$tmp/licenses/$f"
done
