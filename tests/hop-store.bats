#!/usr/bin/env bats
# hop-store: storage rules, the stream it writes, adding to a memory,
# capacity warnings.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
}

# is_symmetric_zero_diag CSV: W[i][j] == W[j][i], W[i][i] == 0
is_symmetric_zero_diag() {
	awk -F, '{ for (j = 1; j <= NF; j++) w[NR, j] = $j; n = NF }
	END {
		for (i = 1; i <= n; i++) {
			if (w[i, i] != 0) { print "w[" i "," i "] = " w[i, i]; bad = 1 }
			for (j = 1; j < i; j++)
				if (w[i, j] != w[j, i]) { print "w[" i "," j "] != w[" j "," i "]"; bad = 1 }
		}
		exit bad
	}' "$1"
}

@test "the default rule is hebb and the header says so" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	run -0 ws_header m.gz
	assert_line -n 0 "rnnkit-weights 1.0"
	assert_line -n 1 "kind: hopfield"
	assert_line "neurons: 100"
	assert_line "rule: hebb"
	assert_line "patterns: 20"
	assert_line "patterns-kept: yes"
	assert_line --regexp '^created-by: hop-store [0-9.]+$'
	assert_line "tensor: patterns bits 20x100"
	# W = X^T X - m I is rebuilt from the patterns (rnnkit-weights(5))
	refute_line --partial "tensor: W"
}

@test "every rule gives a symmetric W with a zero diagonal" {
	for rule in hebb storkey pinv; do
		# hebb writes W only without its patterns
		hop-store -q --rule $rule $([ $rule = hebb ] && echo --no-patterns) \
			"$R/n100-m20.csv" > $rule.gz
		run -0 ws_header $rule.gz
		assert_line "rule: $rule"
		ws_w_csv $rule.gz 100 100 > W.csv
		run -0 is_symmetric_zero_diag W.csv
	done
}

@test "hebb W entries are sums of +-1 products: integers of the parity of m" {
	hop-store -q --no-patterns "$R/n100-m5.csv" > m.gz
	ws_w_csv m.gz 100 100 > W.csv
	run -0 awk -F, '{ for (j = 1; j <= NF; j++) if (j != NR && ($j % 2 == 0 || $j > 5 || $j < -5)) bad++ } END { exit bad > 0 }' W.csv
}

@test "pinv W projects onto the patterns: each is a fixed point" {
	hop-store -q --rule pinv "$R/n100-m25.csv" > m.gz
	run --separate-stderr -0 hop-recall -m m.gz --stats "$R/n100-m25.csv"
	for i in $(seq 0 24); do
		[[ "${lines[i]}" == *",1,stable,"*",$((i + 1)),0" ]] || fail "row $i: ${lines[i]}"
	done
}

@test "-m old.gz more.csv equals storing everything at once, for every rule" {
	head -12 "$R/n100-m20.csv" > a.csv
	tail -8 "$R/n100-m20.csv" > b.csv
	for rule in hebb storkey pinv; do
		hop-store -q --rule $rule "$R/n100-m20.csv" > all.gz
		hop-store -q --rule $rule a.csv > a.gz
		hop-store -q -m a.gz b.csv > ab.gz
		ws_data all.gz > all.bin
		ws_data ab.gz > ab.bin
		cmp all.bin ab.bin
		run -0 ws_header ab.gz
		assert_line "patterns: 20"
		assert_line "rule: $rule"
		assert_line "source: b.csv added to a.gz"
	done
}

@test "-m old.gz more.csv -o old.gz updates the memory in place" {
	head -12 "$R/n100-m20.csv" > a.csv
	tail -8 "$R/n100-m20.csv" > b.csv
	mkdir d
	hop-store -q -o d/mem.gz a.csv
	hop-store -q -m d/mem.gz -o d/mem.gz b.csv
	hop-store -q "$R/n100-m20.csv" > all.gz
	cmp <(ws_data all.gz) <(ws_data d/mem.gz)
	assert_dir_lists d mem.gz
}

@test "-m takes the memory's rule; a different --rule is a usage error" {
	hop-store -q --rule storkey "$R/n100-m5.csv" > s.gz
	run --separate-stderr -64 hop-store -q --rule hebb -m s.gz "$R/n100-m5.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "hop-store: the memory was stored with --rule storkey, not hebb"
}

@test "-m onto a memory without patterns: hebb adds, pinv refuses" {
	hop-store -q --no-patterns "$R/n100-m5.csv" > h.gz
	run --separate-stderr -0 hop-store -q -m h.gz -o h2.gz "$R/n100-m5.csv"
	run ws_header h2.gz
	assert_line "patterns: 10"
	hop-store -q --rule pinv --no-patterns "$R/n100-m5.csv" > p.gz
	run --separate-stderr -65 hop-store -q -m p.gz "$R/n100-m5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-store: p.gz: the pinv rule needs the earlier patterns, but the memory was stored with --no-patterns"
}

@test "-m with a CSV weight matrix adds patterns with hebb" {
	head -2 "$SEED/ex3-patterns.csv" > first.csv
	tail -2 "$SEED/ex3-patterns.csv" > last.csv
	hop-store -q --no-patterns first.csv > first.gz
	ws_w_csv first.gz 6 6 > W2.csv
	hop-store -q -m W2.csv last.csv > all.gz
	ws_w_csv all.gz 6 6 > W.csv
	assert_file_equal "$SEED/ex3-W.csv" W.csv
}

@test "-m with a CSV weight matrix refuses a --rule other than hebb" {
	for rule in storkey pinv dense; do
		run --separate-stderr -64 hop-store -q -m "$SEED/ex3-W.csv" --rule $rule "$SEED/ex3-probe.csv"
		assert_output ""
		assert_equal "${stderr_lines[0]}" "hop-store: $SEED/ex3-W.csv is a weight matrix, taken as hebb, not $rule"
	done
	run --separate-stderr -0 hop-store -q -m "$SEED/ex3-W.csv" --rule hebb "$SEED/ex3-probe.csv"
}

@test "-m with a CSV weight matrix keeps no patterns, so recall claims no match" {
	hop-store -q -m "$SEED/ex3-W.csv" "$SEED/ex3-probe.csv" > m.gz
	run -0 ws_header m.gz
	assert_line "rule: hebb"
	assert_line "patterns: 1"
	assert_line "patterns-kept: no"
	assert_line "tensor: W f64 6x6"
	refute_line --partial "tensor: patterns"
	# W = ex3-W + p p^T - I, p = 1,-1,1,-1,1,1: the four stored states of
	# ex3-W stay stable (fields by hand: x1 11,-11,11,-11,11,-3, E = -29;
	# x3 9,5,-5,-9,9,9, E = -23), and none is called spurious
	run --separate-stderr -0 hop-recall -m m.gz --stats "$SEED/ex3-patterns.csv"
	assert_equal "$output" "1,-1,1,-1,1,-1,1,stable,-29
-1,1,-1,1,-1,1,1,stable,-29
1,1,-1,-1,1,1,1,stable,-23
-1,-1,1,1,-1,-1,1,stable,-23"
}

@test "pinv with patterns spanning all n dimensions gives W = 0 exactly" {
	printf '1,1,1,-1,1\n1,-1,1,1,-1\n-1,1,1,1,1\n1,1,-1,1,-1\n1,-1,-1,-1,1\n' > r5.csv
	hop-store -q --rule pinv r5.csv > p.gz
	ws_w_csv p.gz 5 5 > W.csv
	# the projection is I, its diagonal zeroed (was noise of 1e-16)
	assert_equal "$(tr ',' '\n' < W.csv | sort -u)" "0"
	assert_equal "$(wc -l < W.csv)" 5
}

@test "-m with a CSV matrix says it zeroes a non-zero diagonal, unless -q" {
	printf '2,1\n1,3\n' > W.csv
	echo 1,-1 > p.csv
	run --separate-stderr -0 hop-store -m W.csv -o m.gz p.csv
	assert_equal "${stderr_lines[0]}" "hop-store: warning: W.csv: 2 non-zero diagonal weights set to 0 (hebb has w_ii = 0)"
	# W = [2,1;1,3] + p p^T with w_ii = 0: 0, 0; 0, 0
	assert_equal "$(ws_w_csv m.gz 2 2)" "0,0
0,0"
	run --separate-stderr -0 hop-store -q -m W.csv -o m.gz p.csv
	assert_equal "$stderr" ""
}

@test "the storkey warning gives its 32.95-pattern limit as 32.95, not 33" {
	awk 'BEGIN { srand(7); for (k = 0; k < 33; k++) { for (i = 1; i <= 100; i++) printf "%s%d", (i > 1 ? "," : ""), (rand() < 0.5 ? 1 : -1); print "" } }' > s33.csv
	run --separate-stderr -0 hop-store --rule storkey -o s.gz s33.csv
	# n/sqrt(2 ln n) = 100/sqrt(2 ln 100) = 32.951
	assert_equal "$stderr" "hop-store: warning: load m/n = 33/100 = 0.33 passes n/sqrt(2 ln n), the capacity of the storkey rule (32.95 patterns)"
}

@test "--no-patterns leaves the patterns out and the stream is smaller" {
	# storkey: hebb with its patterns holds no W (smaller still)
	hop-store -q --rule storkey "$R/n100-m20.csv" > with.gz
	hop-store -q --rule storkey --no-patterns "$R/n100-m20.csv" > without.gz
	run -0 ws_header without.gz
	assert_line "patterns-kept: no"
	refute_line --partial "tensor: patterns"
	(( $(wc -c < without.gz) < $(wc -c < with.gz) ))
	cmp <(ws_data with.gz | head -c 80000) <(ws_data without.gz)
}

@test "patterns come from stdin when no file is given, or -" {
	hop-store -q "$R/n100-m5.csv" > file.gz
	hop-store -q < "$R/n100-m5.csv" > stdin.gz
	hop-store -q - < "$R/n100-m5.csv" > dash.gz
	cmp <(ws_data file.gz) <(ws_data stdin.gz)
	cmp <(ws_data file.gz) <(ws_data dash.gz)
	run -0 ws_header stdin.gz
	assert_line "source: <stdin>"
}

@test "no warning at m = 5, n = 100 (below n/(4 ln n) = 5.43)" {
	run --separate-stderr -0 hop-store "$R/n100-m5.csv"
	assert_equal "$stderr" ""
}

@test "hebb warns at each capacity limit, giving load and limit" {
	head -6 "$R/n100-m20.csv" > m6.csv
	head -11 "$R/n100-m20.csv" > m11.csv
	run --separate-stderr -0 hop-store -o m.gz m6.csv
	assert_equal "$stderr" "hop-store: warning: load m/n = 6/100 = 0.06 passes n/(4 ln n), beyond which hebb no longer recalls every pattern exactly (5.43 patterns)"
	run --separate-stderr -0 hop-store -o m.gz m11.csv
	assert_equal "$stderr" "hop-store: warning: load m/n = 11/100 = 0.11 passes n/(2 ln n), beyond which hebb no longer recalls most patterns exactly (10.9 patterns)"
	run --separate-stderr -0 hop-store -o m.gz "$R/n100-m20.csv"
	assert_equal "$stderr" "hop-store: warning: load m/n = 20/100 = 0.2 passes 0.138 n, beyond which hebb recall fails with many errors (13.8 patterns)"
}

@test "storkey and pinv hold m = 25 without a warning" {
	run --separate-stderr -0 hop-store --rule storkey -o s.gz "$R/n100-m25.csv"
	assert_equal "$stderr" ""
	run --separate-stderr -0 hop-store --rule pinv -o p.gz "$R/n100-m25.csv"
	assert_equal "$stderr" ""
}

@test "-q silences the capacity warning" {
	run --separate-stderr -0 hop-store -q -o m.gz "$R/n100-m20.csv"
	assert_equal "$stderr" ""
}

@test "the warning goes to stderr, the stream to stdout is intact" {
	run --separate-stderr -0 bash -c 'set -o pipefail; hop-store "$1" | gzip -dc | sed -n 1p' _ "$R/n100-m20.csv"
	assert_output "rnnkit-weights 1.0"
	assert_equal "${#stderr_lines[@]}" 1
}

@test "hop-store refuses to write compressed data to a terminal" {
	command -v script > /dev/null || skip "script(1) not installed"
	run script -qec "hop-store -q $SEED/ex3-patterns.csv" /dev/null
	assert_output --partial "refusing to write compressed data to a terminal"
}

@test "--help prints the usage on stdout and exits 0" {
	run --separate-stderr -0 hop-store --help
	assert_line -n 0 "Usage: hop-store [OPTIONS] [PATTERNS.csv] > memory.gz"
	assert_output --partial "--rule=RULE"
	assert_output --partial "--no-patterns"
	assert_equal "$stderr" ""
}

@test "--version prints the version and exits 0" {
	run --separate-stderr -0 hop-store --version
	assert_output --regexp '^hop-store \(rnnkit\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "-z is accepted and changes nothing: the stream is always gzip" {
	hop-store -q "$SEED/ex3-patterns.csv" > plain.gz
	hop-store -q -z "$SEED/ex3-patterns.csv" > z.gz
	cmp plain.gz z.gz
	gzip -t z.gz
}
