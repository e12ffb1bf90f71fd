# rnn_helper.bash - numeric assertions for the recurrent-net tests; load
# after test_helper.

# assert_csv_close EXPECTED ACTUAL TOL: same shape, every number within TOL
# (absolute); the first row is skipped as a header when it is not numeric.
# On failure prints the first differing cell and the max difference.
assert_csv_close() {
	awk -F, -v tol="$3" '
	function num(s) { return s ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/ }
	FNR == 1 && !num($1) { next }
	FILENAME == ARGV[1] { ne++; nf[ne] = NF; for (i = 1; i <= NF; i++) e[ne, i] = $i; next }
	{
		na++
		if (na > ne || NF != nf[na]) { printf "row %d: shape differs\n", na; bad = 1; exit }
		for (i = 1; i <= NF; i++) {
			d = $i - e[na, i]; if (d < 0) d = -d
			if (d > max) max = d
			if (d > tol && !bad) { printf "row %d col %d: expected %s, got %s\n", na, i, e[na, i], $i; bad = 1 }
		}
	}
	END {
		if (!bad && na != ne) { printf "%d rows, expected %d\n", na, ne; bad = 1 }
		printf "max difference %g (tolerance %g)\n", max, tol
		exit bad
	}' "$1" "$2" || fail "$2 does not match $1 within $3"
}

# assert_weights_close OLD NEW TOL: the two models' tensors (rnn-predict
# --export), file by file, every number within TOL
assert_weights_close() {
	local f
	rnn-predict -m "$1" --export "$BATS_TEST_TMPDIR/old"
	rnn-predict -m "$2" --export "$BATS_TEST_TMPDIR/new"
	for f in "$BATS_TEST_TMPDIR"/old/*.csv; do
		assert_csv_close "$f" "$BATS_TEST_TMPDIR/new/${f##*/}" "$3"
	done
}

# csv_field FILE ROW COL: one cell (1-based, header counts as row 1)
csv_field() {
	awk -F, -v r="$2" -v c="$3" 'NR == r { print $c; exit }' "$1"
}

# assert_lt A B [label]: numbers, A < B
assert_lt() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }' ||
		fail "${3:-value}: expected $1 < $2"
}

# ramp N FILE: the values 1..N under the header x
ramp() {
	awk -v n="$1" 'BEGIN { print "x"; for (t = 1; t <= n; t++) print t }' > "$2"
}

# assert_within_pct EXPECTED ACTUAL PCT: two one-column CSVs with headers,
# every value within PCT percent; prints the worst relative error
assert_within_pct() {
	awk -v pct="$3" '
	FNR == 1 { next }
	FILENAME == ARGV[1] { e[++ne] = $1; next }
	{
		a[++na] = $1
		r = ($1 - e[na]) / e[na]; if (r < 0) r = -r
		if (r > max) { max = r; at = na }
	}
	END {
		printf "worst %.4g%% at row %d: expected %s, got %s (limit %g%%)\n", 100 * max, at, e[at], a[at], pct
		exit !(na == ne && na > 0 && 100 * max <= pct)
	}' "$1" "$2" || fail "$2 is not within $3% of $1"
}
