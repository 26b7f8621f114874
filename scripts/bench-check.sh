#!/bin/sh
# Measures "mesoscreen check" against the floor of merely reading its
# input (cmd/csv-floor), side by side in one run, on generated files:
# canonical CSV at 100,000 and 1,000,000 rows (results to stdout, and to a
# file with --output), JSON Lines at 1,000,000 records and FHIR NDJSON at
# 200,000 responses. It prints the wall time, CPU time and peak RSS of
# each, the best of $RUNS, and the ratio of check to its floor. Then the
# start-up: the median of 20 runs of "check" on one record, and of the
# time until an accessible interview prints its first question.
#
# Needs GNU time (/usr/bin/time) and bc. Files go to $BENCH_DIR (default:
# a temporary folder, removed at the end).
#
#   scripts/bench-check.sh
#   RUNS=5 BENCH_DIR=/tmp/msbench scripts/bench-check.sh   # keep the files
#   MEDS=varied scripts/bench-check.sh   # medication lists rarely repeated
set -eu
RUNS=${RUNS:-3}
MEDS=${MEDS:-few}
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
go build -o "$dir/mesoscreen" ./cmd/mesoscreen
go build -o "$dir/csv-floor" ./cmd/csv-floor
go build -o "$dir/gen-intakes" ./cmd/gen-intakes

measure() { # label command...: best wall time of $RUNS runs, with its CPU and RSS
	label=$1; shift
	best=""
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %U %S %M" -o "$dir/t" "$@" >/dev/null 2>&1 || true
		line=$(tail -1 "$dir/t")
		wall=${line%% *}
		if [ -z "$best" ] || [ "$(echo "$wall < ${best%% *}" | bc)" = 1 ]; then best=$line; fi
	done
	set -- $best
	printf '%-34s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB\n' "$label" "$1" "$(echo "$2 + $3" | bc)" "$(echo "$4 / 1024" | bc -l)"
	echo "$1" >"$dir/last"
}
ratio() { # what
	printf '  ratio check/floor: %.2f (%s)\n' "$(echo "$(cat "$dir/last") / $floor" | bc -l)" "$1"
}
file() { # rows format: the generated file's path, made once
	f="$dir/intakes-$1-$MEDS.$2"
	[ -f "$f" ] || "$dir/gen-intakes" -n "$1" -format "$2" -meds "$MEDS" -o "$f"
	echo "$f"
}

for n in 100000 1000000; do
	f=$(file "$n" csv)
	echo "== canonical CSV, $n rows ($(du -hL "$f" | cut -f1))"
	measure "floor (encoding/csv)" "$dir/csv-floor" "$f"
	floor=$(cat "$dir/last")
	measure "check --format csv" "$dir/mesoscreen" check --format csv --quiet "$f"
	ratio "results to stdout, on to /dev/null"
	measure "check --format csv --output" "$dir/mesoscreen" check --format csv --quiet --output "$dir/out.csv" "$f"
	ratio "results to a file, synced and renamed"
done

for spec in "1000000 jsonl jsonl JSON Lines" "200000 ndjson fhir FHIR NDJSON"; do
	set -- $spec
	f=$(file "$1" "$2")
	echo "== $4 $5, $1 records ($(du -hL "$f" | cut -f1))"
	measure "floor (json.Valid per line)" "$dir/csv-floor" -lines "$f"
	floor=$(cat "$dir/last")
	measure "check --format csv" "$dir/mesoscreen" check --format csv --quiet --input "$3" "$f"
	ratio "results to stdout"
done

echo "== start-up, median of 20 runs"
head -2 "$(file 100000 csv)" >"$dir/one.csv"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for _ in $(seq 20); do
	/usr/bin/time -f "%e" -o "$dir/t" "$dir/mesoscreen" check --quiet "$dir/one.csv" >/dev/null 2>&1 || true
	tail -1 "$dir/t"
done | median | awk '{printf "check of one record                wall %6.3f s\n", $1}'
# The time until the accessible interview asks its first question, read
# from its stderr as it comes.
for _ in $(seq 20); do
	python3 - "$dir/mesoscreen" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen([sys.argv[1], "interview", "--accessible"], stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
seen = b""
while b"Patient identifier" not in seen:
    b = p.stderr.read1(4096)
    if not b:
        break
    seen += b
print("%.4f" % (time.monotonic() - t0))
p.kill()
PY
done | median | awk '{printf "interview, first question           wall %6.3f s\n", $1}'
