#!/usr/bin/env bats
# Hebb recall on the patterns (W s = X^T (X s) - m s) against recall on W,
# the compact hebb stream, older streams, and --threads: every path must
# give the same bytes.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
	V1="$TESTDATA/v1"
}

# gen N M P SEED: M random +-1 patterns of N values (pats.csv) and P
# probes (probes.csv), each a pattern with 15% of its bits flipped and 10%
# unknown (0)
gen() {
	awk -v n="$1" -v m="$2" -v p="$3" -v seed="$4" 'BEGIN {
		srand(seed)
		for (k = 0; k < m; k++)
			for (i = 0; i < n; i++) {
				x[k, i] = rand() < 0.5 ? -1 : 1
				printf "%s%d", i ? "," : "", x[k, i] > "pats.csv"
				if (i == n - 1) print "" > "pats.csv"
			}
		for (j = 0; j < p; j++) {
			k = int(rand() * m)
			for (i = 0; i < n; i++) {
				v = x[k, i]; r = rand()
				if (r < 0.15) v = -v; else if (r < 0.25) v = 0
				printf "%s%d", i ? "," : "", v > "probes.csv"
				if (i == n - 1) print "" > "probes.csv"
			}
		}
	}'
}

@test "hebb recall on the patterns and on W give the same bytes, unknown bits too" {
	# m < n/2 (patterns are cheaper), m > n/2 (W is), m = 1
	for c in "64 6 20 1" "50 40 20 2" "97 1 10 3"; do
		set -- $c
		gen $1 $2 $3 $4
		hop-store -q pats.csv > m.gz
		hop-store -q --no-patterns pats.csv > w.gz
		# a trace of every flip is long: three probes
		head -3 probes.csv > few.csv
		for mode in sync async seq; do
			RNNKIT_HOP_KERNEL=patterns hop-recall -q -m m.gz --stats \
				--mode $mode probes.csv > p.out
			RNNKIT_HOP_KERNEL=weights hop-recall -q -m m.gz --stats \
				--mode $mode probes.csv > w.out
			cmp p.out w.out || fail "n=$1 m=$2 $mode: outputs differ"
			# popcount and the gemm without AVX: the same exact sums
			RNNKIT_CPU=baseline hop-recall -q -m m.gz --stats \
				--mode $mode probes.csv > b.out
			cmp p.out b.out || fail "n=$1 m=$2 $mode: baseline differs"
			RNNKIT_HOP_KERNEL=patterns hop-recall -q -m m.gz --trace \
				--mode $mode few.csv > /dev/null 2> p.err
			RNNKIT_HOP_KERNEL=weights hop-recall -q -m m.gz --trace \
				--mode $mode few.csv > /dev/null 2> w.err
			cmp p.err w.err || fail "n=$1 m=$2 $mode: traces differ"
			# and the W in the stream of --no-patterns
			hop-recall -q -m w.gz --stats --mode $mode probes.csv > nw.out
			cut -d, -f1-$(($1 + 3)) p.out | cmp - nw.out ||
				fail "n=$1 m=$2 $mode: W stream differs"
		done
	done
	# the probes had unknown bits
	grep -q ',0,' probes.csv
}

@test "a stream written before hebb streams lost W recalls as it did then" {
	# written and recalled by hop-store/hop-recall of rnnkit 1.0.0 (fdda860)
	for mode in sync async seq; do
		hop-recall -m "$V1/hebb-n100-m20.gz" --stats --mode $mode \
			"$R/n100-m20-p10.csv" > old.out
		cmp "$V1/hebb-n100-m20-p10-$mode.out" old.out
		hop-store -q "$R/n100-m20.csv" > new.gz
		hop-recall -m new.gz --stats --mode $mode "$R/n100-m20-p10.csv" > new.out
		cmp "$V1/hebb-n100-m20-p10-$mode.out" new.out
		hop-recall -m "$V1/hebb-nopat-n100-m20.gz" --stats --mode $mode \
			"$R/n100-m20-p10.csv" > nopat.out
		cut -d, -f1-103 old.out | cmp - nopat.out
	done
}

@test "patterns added to an older hebb stream recall as if stored at once" {
	head -12 "$R/n100-m20.csv" > a.csv
	tail -8 "$R/n100-m20.csv" > b.csv
	# the older stream holds 20 patterns: 28 after adding b
	hop-store -q -m "$V1/hebb-n100-m20.gz" b.csv > old28.gz
	cat "$R/n100-m20.csv" b.csv > all.csv
	hop-store -q all.csv > new28.gz
	run -0 ws_header old28.gz
	assert_line "tensor: W f64 100x100"
	hop-recall -m old28.gz --stats "$R/n100-m20-p10.csv" > a
	hop-recall -m new28.gz --stats "$R/n100-m20-p10.csv" > b
	cmp a b
}

@test "--threads 1, 2 and 3 give the same bytes, every rule and mode" {
	gen 80 7 25 5
	for rule in hebb storkey pinv; do
		# W (hebb: --no-patterns) split by rows
		hop-store -q --threads 1 --rule $rule --no-patterns pats.csv > n1.gz
		for t in 2 3; do
			hop-store -q --threads $t --rule $rule --no-patterns pats.csv > n$t.gz
			cmp n1.gz n$t.gz
		done
		hop-store -q --rule $rule pats.csv > m1.gz
		for mode in sync async seq; do
			hop-recall -q -m m1.gz --stats --mode $mode --threads 1 probes.csv > r1
			for t in 2 3; do
				hop-recall -q -m m1.gz --stats --mode $mode --threads $t \
					probes.csv > r$t
				cmp r1 r$t || fail "$rule $mode: --threads $t differs"
			done
		done
	done
}

@test "--threads takes 0 to 256 (64)" {
	usage_fails "hop-recall: --threads must be between 0 and 256 (got 257)" \
		hop-recall --threads 257 -m x.gz "$R/n100-m5-p5.csv"
	usage_fails "hop-recall: --threads must be between 0 and 256 (got -1)" \
		hop-recall --threads=-1 -m x.gz "$R/n100-m5-p5.csv"
	usage_fails "hop-store: invalid number for --threads: 'two'" \
		hop-store --threads two "$R/n100-m5.csv"
}

@test "a hebb stream without W needs patterns-kept: yes and its patterns (65)" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	gzip -dc m.gz | head -c -17 | sed 's/^patterns-kept: yes$/patterns-kept: no/' > body
	ws_seal body > nokept.raw
	run --separate-stderr -65 hop-recall -m nokept.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: nokept.raw: weight stream lacks tensor 'W'"
	printf 'rnnkit-weights 1.0\nkind: hopfield\nneurons: 100\nrule: hebb\npatterns: 20\npatterns-kept: yes\nend\n' > body
	ws_seal body > nopat.raw
	run --separate-stderr -65 hop-recall -m nopat.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: nopat.raw: weight stream lacks tensor 'patterns'"
}

@test "a hebb stream of n = 4096, m = 400 is at most 1 MB (its patterns)" {
	n=4096 m=400
	[ -z "${RNNKIT_SANITIZED:-}" ] || { n=1024; m=100; }
	awk -v n=$n -v m=$m 'BEGIN { srand(7); split("-1,1", v, ",")
		for (k = 0; k < m; k++) {
			for (i = 1; i < n; i++) printf "%s,", v[1 + (rand() < 0.5)]
			print v[1 + (rand() < 0.5)] } }' > big.csv
	hop-store -q big.csv > big.gz
	size=$(wc -c < big.gz)
	# the bits, n m / 8 bytes, and a header (gzip cannot shrink random bits)
	(( size <= 1048576 && size < n * m / 8 + 2048 )) || fail "stream of $size bytes"
	run -0 ws_header big.gz
	assert_line "tensor: patterns bits ${m}x${n}"
	refute_line --partial "tensor: W"
}
