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
"$tools/go-licenses" save ./cmd/mesoscreen --save_path="$tmp/licenses" \
	--ignore github.com/mesoscreen/mesoscreen 2>/dev/null
"$tools/go-licenses" report ./cmd/mesoscreen \
	--ignore github.com/mesoscreen/mesoscreen 2>/dev/null | LC_ALL=C sort >"$tmp/report.csv"

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
