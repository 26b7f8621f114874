#!/usr/bin/env bash
# Builds the release tools at the versions tools/go.mod pins (goreleaser,
# go-licenses, cyclonedx-gomod; or those named: scripts/tools.sh
# goreleaser) into build/tools, and prints that folder.
# They come from the Go module proxy, as every module does; nothing is
# downloaded from elsewhere. The first build takes minutes (goreleaser is
# large); later ones come from Go's build cache.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/build/tools
mkdir -p "$out"
declare -A pkgs=(
	[goreleaser]=github.com/goreleaser/goreleaser/v2
	[go-licenses]=github.com/google/go-licenses/v2
	[cyclonedx-gomod]=github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(goreleaser go-licenses cyclonedx-gomod)
build=()
for n in "${names[@]}"; do
	build+=("${pkgs[$n]:?no tool $n; expected goreleaser, go-licenses or cyclonedx-gomod}")
done
(cd tools && go build -o "$out/" "${build[@]}") >&2
echo "$out"
