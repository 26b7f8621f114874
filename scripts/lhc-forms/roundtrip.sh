#!/usr/bin/env bash
# The round trip through the real LHC-Forms renderer (the NLM's FHIR form
# widget), in headless Chromium: "mesoscreen template fhir" is loaded into
# LHC-Forms, each QuestionnaireResponse of testdata/fhir/lhc-forms is read
# into the form and exported again by LHC-Forms, and "mesoscreen check"
# must give the exports the verdicts it gives the fixtures. It also takes a
# screenshot of the empty form (radio buttons, check boxes).
#
# Needs npm (the lforms package is fetched with npm pack into a temporary
# folder, nothing is installed), python3 and chromium. Not part of
# .ci/run, which has no browser; the fixtures it checks are.
#
# usage: scripts/lhc-forms/roundtrip.sh [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
version=40.1.3
work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && npm pack --silent "lforms@$version" >/dev/null && tar xzf "lforms-$version.tgz" && mv package/dist/lforms lforms)
go build -o "$work/mesoscreen" ./cmd/mesoscreen
"$work/mesoscreen" template fhir >"$work/questionnaire.json"
python3 scripts/lhc-forms/harness.py "$work/questionnaire.json" "$work/index.html" testdata/fhir/lhc-forms/*.json

port=$((20000 + RANDOM % 20000))
(cd "$work" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1
browse() {
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$work/profile" --virtual-time-budget=60000 "$@" 2>/dev/null
}
browse --dump-dom "http://127.0.0.1:$port/index.html" >"$work/dom.html"
mkdir "$work/exported"
python3 - "$work" <<'PY'
import html, json, re, sys
work = sys.argv[1]
dom = open(work + "/dom.html").read()
err = html.unescape(re.search(r'<pre id="err">(.*?)</pre>', dom, re.S).group(1))
if err.strip():
    sys.exit("LHC-Forms failed: " + err)
for i, qr in enumerate(json.loads(html.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1)))):
    json.dump(qr, open("%s/exported/%02d.json" % (work, i), "w"), indent=2)
PY
# check exits 1 when a record needs review; 2 would be a failure.
verdicts() {
	local code=0
	"$work/mesoscreen" check -q -f csv "$@" >"$work/out.csv" || code=$?
	if [ "$code" -gt 1 ]; then
		echo "check failed on $*" >&2
		exit 1
	fi
	tail -n +2 "$work/out.csv" | cut -d, -f1,3,4
}
verdicts testdata/fhir/lhc-forms/*.json >"$work/want"
verdicts "$work"/exported/*.json >"$work/got"
if [ "$(wc -l <"$work/want")" -ne "$(ls testdata/fhir/lhc-forms/*.json | wc -l)" ] || ! diff "$work/want" "$work/got"; then
	echo "LHC-Forms' exports get other verdicts than the fixtures" >&2
	exit 1
fi
echo "$(ls "$work"/exported | wc -l) responses through LHC-Forms $version: the same verdicts"
if [ $# -gt 0 ]; then
	browse --screenshot="$repo/$1" --window-size=1200,1200 "http://127.0.0.1:$port/index.html?render=1" >/dev/null
	echo "screenshot of the form in $1"
fi
