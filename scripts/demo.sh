#!/bin/sh
# demo.sh - the associative-memory half of rnnkit at work (run by `make demo`
# after the build): store five 8x8 letters in a Hopfield memory, recall them
# from noisy copies, and draw what happens; then all 26 letters in a dense
# memory, which holds them where the Hebbian one does not.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
PATH="${RNNKIT_BIN:-$top/bin}:$PATH"
data="$top/testdata"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnnkit-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

say() { printf '\n== %s\n' "$*"; }

say "Five letters, A C H T X, 8x8 pixels each, one per row of letters.csv"
echo "stored with the Hebbian rule W = sum x x^T - m I (hop-store warns when"
echo "the load m/n passes what the rule is known to hold exactly):"
hop-store -o "$tmp/letters.gz" "$data/letters.csv" 2>&1 | sed 's/^/    /'
echo "the memory's header:"
gzip -dc "$tmp/letters.gz" | sed '/^end$/q' | sed 's/^/    /'

say "Recall from copies with 8 of 64 pixels flipped (left: probe, right: result)"
awk 'NR % 2 == 1' "$data/letters-noisy.csv" > "$tmp/one-each.csv"
hop-recall -m "$tmp/letters.gz" --show 8x8 "$tmp/one-each.csv" 2>&1 > /dev/null

say "All ten noisy copies: status, updates, energy and the letter reached"
hop-recall -m "$tmp/letters.gz" --stats "$data/letters-noisy.csv" > "$tmp/recalled.csv"
cut -d, -f65- "$tmp/recalled.csv" | awk -F, '
	BEGIN { split("A C H T X", name, " ") }
	{
		printf "    copy %2d of %s: %s after %d updates, energy %s, letter %s\n",
		       NR, name[int((NR - 1) / 2) + 1], $2, $1, $3,
		       $4 ~ /^[0-9]+$/ ? name[$4] : $4
		ok += $4 == int((NR - 1) / 2) + 1
	}
	END {
		printf "%d of %d copies recalled to their own letter.\n", ok, NR
		exit ok != NR
	}'

say "All 26 letters: far more than a Hebbian memory of 64 neurons holds"
# count OUT: rows whose match column is their own letter
count() { awk -F, '$(NF-1) == NR { c++ } END { print c + 0 }' "$1"; }
hop-store -q "$data/letters26.csv" > "$tmp/hebb26.gz"
hop-recall -m "$tmp/hebb26.gz" --stats "$data/letters26-noisy.csv" > "$tmp/h26.csv"
echo "    hebb (W = sum x x^T - m I): $(count "$tmp/h26.csv") of 26 noisy copies"
echo "    (6 pixels flipped each) recalled to their own letter"
echo "A dense memory keeps the letters themselves (hop-store --rule dense) and"
echo "recalls with the energy E = -sum_mu exp(x_mu . s) (hop-recall --energy exp):"
hop-store --rule dense -o "$tmp/dense26.gz" "$data/letters26.csv"
hop-recall -m "$tmp/dense26.gz" --energy exp --stats \
	"$data/letters26-noisy.csv" > "$tmp/d26.csv"
echo "    sync: $(count "$tmp/d26.csv") of 26 (the copy of Q ends at O, 3 pixels from Q,"
echo "    when all neurons move at once)"
hop-recall -m "$tmp/dense26.gz" --energy exp --mode async --stats \
	--show 8x8 "$data/letters26-noisy.csv" > "$tmp/a26.csv" 2> "$tmp/a26.show"
n=$(count "$tmp/a26.csv")
echo "    async (one neuron at a time, --seed 1): $n of 26"
echo "Q, R and S from that run:"
awk -v RS= 'NR >= 17 && NR <= 19 { print; print "" }' "$tmp/a26.show"
[ "$n" -eq 26 ]

say "The seed notes' example 3, step by step (--trace)"
printf '1,-1,1,-1,1,-1\n-1,1,-1,1,-1,1\n1,1,-1,-1,1,1\n-1,-1,1,1,-1,-1\n' |
	hop-store -q > "$tmp/ex3.gz"
echo 1,-1,1,-1,1,1 | hop-recall -m "$tmp/ex3.gz" --trace --stats - 2>&1 |
	sed 's/^/    /'

say "Done. See hop-store(1), hop-recall(1), bam-pair(1) and rnnkit(7)."
