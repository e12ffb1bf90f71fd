#!/bin/sh
# demo.sh - the associative-memory half of rnnkit at work (run by `make demo`
# after the build): store five 8x8 letters in a Hopfield memory, recall them
# from noisy copies, and draw what happens.
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

say "The seed notes' example 3, step by step (--trace)"
printf '1,-1,1,-1,1,-1\n-1,1,-1,1,-1,1\n1,1,-1,-1,1,1\n-1,-1,1,1,-1,-1\n' |
	hop-store -q > "$tmp/ex3.gz"
echo 1,-1,1,-1,1,1 | hop-recall -m "$tmp/ex3.gz" --trace --stats - 2>&1 |
	sed 's/^/    /'

say "Done. See hop-store(1), hop-recall(1), bam-pair(1) and rnnkit(7)."
