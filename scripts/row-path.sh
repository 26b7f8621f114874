#!/bin/sh
# Lists the project files one CSV row of "mesoscreen check" passes through,
# with how many more times their code ran: the difference in coverage
# counts between checking the first row of testdata/examples/intakes.csv
# and checking the first two. Start-up, which both runs share, cancels out.
#
#   scripts/row-path.sh          # the second row (a medication list, a precaution)
#   ROW=4 scripts/row-path.sh    # the fourth row instead
set -eu
ROW=${ROW:-2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -cover -covermode=count -coverpkg=./... -o "$dir/mesoscreen" ./cmd/mesoscreen
examples=testdata/examples/intakes.csv
head -1 "$examples" >"$dir/before.csv"
[ "$ROW" -gt 2 ] && sed -n "2,$((ROW - 1))p" "$examples" >>"$dir/before.csv"
cp "$dir/before.csv" "$dir/after.csv"
sed -n "${ROW}p" "$examples" >>"$dir/after.csv"
for run in before after; do
	mkdir "$dir/$run"
	GOCOVERDIR="$dir/$run" "$dir/mesoscreen" check --format csv --quiet "$dir/$run.csv" >/dev/null || true
	go tool covdata textfmt -i="$dir/$run" -o "$dir/$run.txt"
done
# Each line of a profile is "file:block statements count".
awk '
	FNR == 1 { next }
	{ split($1, p, ":"); key = $1; n = $3 }
	FILENAME ~ /before/ { before[key] = n; next }
	n > before[key] { f = p[1]; sub("github.com/mesoscreen/mesoscreen/", "", f); runs[f] += n - before[key] }
	END { for (f in runs) printf "%6d  %s\n", runs[f], f }
' "$dir/before.txt" "$dir/after.txt" | sort -rn
