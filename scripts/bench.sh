#!/bin/sh
# bench.sh - rnnkit against PyTorch and numpy on this machine (make bench).
# Speed claims in README.md come from this script's output.
set -eu
cd "$(dirname "$0")/.."
B=bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
have_torch=0; have_numpy=0
$py -c 'import torch' 2>/dev/null && have_torch=1
$py -c 'import numpy' 2>/dev/null && have_numpy=1

echo "== training: lstm, hidden 128, window 50, batch 32, 1 feature, Adam =="
awk 'BEGIN { srand(1); print "x"; for (i = 0; i < 3250; i++) printf "%.6f\n", sin(i / 7.0) + 0.1 * rand() }' > "$tmp/series.csv"
for t in 1 2; do
	$B/rnn-train -q --cell lstm --hidden 128 --window 50 --batch 32 --epochs 3 \
		--threads $t --log "$tmp/log$t.csv" "$tmp/series.csv" > "$tmp/m.gz"
	awk -F, -v t=$t 'NR > 1 { s += $5; n++ } END { printf "rnnkit  threads=%d: %.0f windows/s\n", t, 3200 * n / s }' "$tmp/log$t.csv"
done
if [ $have_torch = 1 ]; then
	$py scripts/bench_torch.py --seconds 3 --threads 1,2 | sed 's/^/  /'
else
	echo "  (PyTorch not installed: apt-get install python3-torch to compare)"
fi

echo "== recall: hebb, n = 1000, m = 50, 2000 probes with 10% noise, sync =="
awk 'BEGIN { srand(2); for (k = 0; k < 50; k++) { for (i = 0; i < 1000; i++) { p[k, i] = rand() < 0.5 ? -1 : 1; printf "%s%d", i ? "," : "", p[k, i] } print "" }
	for (j = 0; j < 2000; j++) { k = j % 50; for (i = 0; i < 1000; i++) { v = p[k, i]; if (rand() < 0.1) v = -v; printf "%s%d", i ? "," : "", v } print "" } }' > "$tmp/all.csv"
head -n 50 "$tmp/all.csv" > "$tmp/pats.csv"
tail -n +51 "$tmp/all.csv" > "$tmp/probes.csv"
s=$(date +%s.%N)
$B/hop-store -q "$tmp/pats.csv" > "$tmp/mem.gz"
m=$(date +%s.%N)
$B/hop-recall -m "$tmp/mem.gz" --stats "$tmp/probes.csv" > "$tmp/rec.csv"
e=$(date +%s.%N)
hits=$(awk -F, '$1003 != "spurious"' "$tmp/rec.csv" | wc -l)
awk -v s="$s" -v m="$m" -v e="$e" -v h="$hits" 'BEGIN { printf "rnnkit: store %.4fs recall %.4fs (whole processes, CSV parsing included); recalled %d\n", m - s, e - m, h }'
if [ $have_numpy = 1 ]; then
	$py scripts/bench_numpy_hopfield.py "$tmp/pats.csv" "$tmp/probes.csv" | sed 's/^/  /'
	echo "  (numpy times exclude loading the CSV files)"
fi
