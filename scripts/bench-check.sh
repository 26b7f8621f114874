#!/bin/sh
# Measures "mesoscreen check --format csv" against the floor (a plain
# encoding/csv read of the same file) on generated canonical CSV files of
# 100,000 and 1,000,000 rows: wall time, CPU time and peak RSS of each, and
# the ratio of wall times, with the results written to stdout (which goes
# to /dev/null) and with --output (a file, synced before it is renamed).
# Needs GNU time (/usr/bin/time) and bc. Files go to $BENCH_DIR (default:
# a temporary folder, removed at the end).
#
#   scripts/bench-check.sh            # 100k and 1M rows
#   ROWS="1000000" scripts/bench-check.sh
#   MEDS=varied scripts/bench-check.sh   # medication lists rarely repeated
set -eu
ROWS=${ROWS:-"100000 1000000"}
RUNS=${RUNS:-3}
MEDS=${MEDS:-few}
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
go build -o "$dir/mesoscreen" ./cmd/mesoscreen
go build -o "$dir/csv-floor" ./cmd/csv-floor
go build -o "$dir/gen-intakes" ./cmd/gen-intakes
measure() { # label command...: best wall time of $RUNS runs, and its CPU and RSS
	label=$1; shift
	best=""
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %U %S %M" -o "$dir/t" "$@" >/dev/null 2>&1 || true
		line=$(cat "$dir/t" | tail -1)
		wall=${line%% *}
		if [ -z "$best" ] || [ "$(echo "$wall < ${best%% *}" | bc)" = 1 ]; then best=$line; fi
	done
	set -- $best
	printf '%-28s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB\n' "$label" "$1" "$(echo "$2 + $3" | bc)" "$(echo "$4 / 1024" | bc -l)"
	echo "$1" >"$dir/last"
}
for n in $ROWS; do
	f="$dir/intakes-$n.csv"
	[ "$MEDS" = few ] || f="$dir/intakes-$n-$MEDS.csv"
	[ -f "$f" ] || "$dir/gen-intakes" -n "$n" -format csv -meds "$MEDS" -o "$f"
	echo "== $n rows ($(du -h "$f" | cut -f1))"
	measure "floor (encoding/csv)" "$dir/csv-floor" "$f"
	floor=$(cat "$dir/last")
	measure "check --format csv" "$dir/mesoscreen" check --format csv --quiet "$f"
	check=$(cat "$dir/last")
	printf 'ratio check/floor: %.2f (results to stdout, on to /dev/null)\n' "$(echo "$check / $floor" | bc -l)"
	measure "check --format csv --output" "$dir/mesoscreen" check --format csv --quiet --output "$dir/out.csv" "$f"
	check=$(cat "$dir/last")
	printf 'ratio check/floor: %.2f (results to a file, synced and renamed)\n' "$(echo "$check / $floor" | bc -l)"
done
