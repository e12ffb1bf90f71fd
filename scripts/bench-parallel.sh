#!/bin/sh
# bench-parallel.sh - many small series, one model each: a sequential loop
# of rnn-train against scripts/rnnkit-parallel (GNU parallel) on this
# machine's cores, in series/s (make bench; README, "Many series").
#   SERIES=1000 ROWS=500 JOBS=<cores> scripts/bench-parallel.sh
# Models: --ensemble 1, lstm, hidden 16, window 12, 10 epochs, --threads 1.
# Both runs must give the same models, byte for byte.
set -eu
cd "$(dirname "$0")/.."
B=$PWD/bin
n=${SERIES:-1000} rows=${ROWS:-500} jobs=${JOBS:-$(nproc)}
command -v parallel > /dev/null || { echo "bench-parallel: GNU parallel is not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/data" "$tmp/seq"
awk -v n="$n" -v rows="$rows" -v dir="$tmp/data" 'BEGIN {
	srand(1)
	for (k = 1; k <= n; k++) {
		f = sprintf("%s/s%04d.csv", dir, k)
		print "x" > f
		p = 4 + k % 13; a = 0.5 + rand(); s = 0.01 * rand()
		for (t = 1; t <= rows; t++)
			printf "%.5f\n", a * sin(t / p) + s * t + 0.1 * rand() > f
		close(f)
	}
}'
opts="--ensemble 1 --cell lstm --hidden 16 --window 12 --epochs 10"
echo "== many series: $n series of $rows rows, one model each ($opts) =="
s=$(date +%s.%N)
for f in "$tmp"/data/*.csv; do
	b=${f##*/}
	# shellcheck disable=SC2086
	"$B/rnn-train" -q --threads 1 $opts -o "$tmp/seq/${b%.csv}.gz" "$f"
done
m=$(date +%s.%N)
# shellcheck disable=SC2086
PATH="$B:$PATH" scripts/rnnkit-parallel train -q -j "$jobs" "$tmp/par" "$tmp"/data/*.csv -- $opts
e=$(date +%s.%N)
for f in "$tmp"/seq/*.gz; do
	cmp -s "$f" "$tmp/par/${f##*/}" || { echo "bench-parallel: ${f##*/} differs"; exit 1; }
done
awk -v s="$s" -v m="$m" -v e="$e" -v n="$n" -v j="$jobs" 'BEGIN {
	printf "sequential loop:             %6.1f series/s (%.1f s)\n", n / (m - s), m - s
	printf "rnnkit-parallel -j %d:        %6.1f series/s (%.1f s), %.2fx; models identical\n", j, n / (e - m), e - m, (m - s) / (e - m)
}'
