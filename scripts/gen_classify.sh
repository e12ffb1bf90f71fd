#!/bin/sh
# gen_classify.sh - the classification test files of testdata/classify/
# (testdata/README.md): x is random noise of +-1, and label is 1 when the
# sum of the last 5 x (this row's and the 4 before) is positive, else 0.
# The noise comes from a 32-bit linear congruential (69069 s + 1, exact in an awk double) generator written
# out here, so any awk gives the same files. Deterministic; rerun from
# anywhere: sh scripts/gen_classify.sh
set -eu
dir=$(dirname "$0")/../testdata/classify

# gen SEED ROWS: the header, then ROWS rows of x,label (the first 4 rows
# have fewer than 5 x before them: their sum is over those there are)
gen() {
	awk -v seed="$1" -v rows="$2" 'BEGIN {
		s = seed
		print "x,label"
		for (i = 0; i < rows; i++) {
			s = (69069 * s + 1) % 4294967296
			x[i] = int(s / 65536) % 2 ? 1 : -1
			sum = 0
			for (j = i - 4; j <= i; j++)
				if (j >= 0)
					sum += x[j]
			printf "%d,%d\n", x[i], (sum > 0)
		}
	}'
}
gen 1 1500 > "$dir/train.csv"
gen 2 400 > "$dir/test.csv"
