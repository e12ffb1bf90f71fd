#!/usr/bin/env bats
# hop-recall: recall quality on random patterns, the --stats columns, modes,
# output conventions. Data: testdata/recall/ (scripts/gen_patterns.py): n =
# 100, probe j of NAME-pK.csv is pattern j / PER + 1 with K % of its bits
# flipped (PER = 20 for m5, 5 for m20, 4 for m25).

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
}

# correct OUT PER: how many rows report the right pattern in `match`
correct() {
	awk -F, -v per="$2" '$(NF-1) == int((NR-1)/per) + 1 { c++ } END { print c + 0 }' "$1"
}

# spurious OUT: how many rows report `spurious`
spurious() {
	awk -F, '$(NF-1) == "spurious" { c++ } END { print c + 0 }' "$1"
}

# check_truth PATTERNS OUT N: every match and hamming column is the truth:
# k means the state is pattern k, -k its negation, spurious neither; hamming
# is the distance to the nearest pattern or negation. Prints bad rows.
check_truth() {
	awk -F, -v n="$3" '
	NR == FNR { for (i = 1; i <= n; i++) p[FNR, i] = $i; m = FNR; next }
	{
		want = "spurious"; best = n; neg = ""
		for (k = 1; k <= m; k++) {
			d = 0
			for (i = 1; i <= n; i++) d += ($i != p[k, i])
			if (d == 0 && want == "spurious") want = k
			if (d == n && neg == "") neg = -k
			if (n - d < d) d = n - d
			if (d < best) best = d
		}
		if (want == "spurious" && neg != "") want = neg
		if ($(n + 4) != want || $(n + 5) != best) {
			print "row " FNR ": match " $(n + 4) " hamming " $(n + 5) \
			      ", truth " want " " best; bad++
		}
	}
	END { exit bad > 0 }' "$1" "$2"
}

@test "hebb at m = 5, n = 100 recalls every probe with 5% noise" {
	hop-store -q "$R/n100-m5.csv" > m.gz
	hop-recall -m m.gz --stats "$R/n100-m5-p5.csv" > out
	assert_equal "$(wc -l < out)" 100
	assert_equal "$(correct out 20)" 100
	# and the states are the stored patterns themselves
	awk -F, '{ NF = 100; print }' OFS=, out > states
	awk '{ for (i = 0; i < 20; i++) print }' "$R/n100-m5.csv" > want
	cmp want states
}

@test "hebb at m = 5 recalls every probe in async and seq mode too" {
	hop-store -q "$R/n100-m5.csv" > m.gz
	for mode in async seq; do
		hop-recall -m m.gz --mode $mode --stats "$R/n100-m5-p5.csv" > out
		assert_equal "$(correct out 20)" 100
	done
}

@test "hebb at m = 20, n = 100 recalls fewer and calls the rest spurious" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	hop-recall -m m.gz --stats "$R/n100-m20-p5.csv" > out
	assert_equal "$(correct out 5)" 26
	assert_equal "$(spurious out)" 74
}

@test "hebb at m = 20: every reported match and hamming is the truth" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	for p in 5 10; do
		hop-recall -m m.gz --stats "$R/n100-m20-p$p.csv" > out
		run -0 check_truth "$R/n100-m20.csv" out 100
	done
	hop-recall -m m.gz --mode async --stats "$R/n100-m20-p10.csv" > out
	run -0 check_truth "$R/n100-m20.csv" out 100
}

@test "a spurious result is never reported as its probe's pattern" {
	hop-store -q "$R/n100-m25.csv" > m.gz
	hop-recall -m m.gz --stats "$R/n100-m25-p10.csv" > out
	run -0 check_truth "$R/n100-m25.csv" out 100
	assert_equal "$(spurious out)" 89
}

@test "storkey and pinv recall more than hebb at m = 20, 10% noise" {
	for rule in hebb storkey pinv; do
		hop-store -q --rule $rule "$R/n100-m20.csv" > $rule.gz
		hop-recall -m $rule.gz --stats "$R/n100-m20-p10.csv" > $rule.out
		run -0 check_truth "$R/n100-m20.csv" $rule.out 100
	done
	hebb=$(correct hebb.out 5)
	storkey=$(correct storkey.out 5)
	pinv=$(correct pinv.out 5)
	assert_equal "$hebb" 21
	assert_equal "$storkey" 100
	assert_equal "$pinv" 100
	(( storkey > hebb + 50 && pinv > hebb + 50 ))
}

@test "storkey and pinv recall more than hebb at m = 25, 10% noise" {
	for rule in hebb storkey pinv; do
		hop-store -q --rule $rule "$R/n100-m25.csv" > $rule.gz
		hop-recall -m $rule.gz --stats "$R/n100-m25-p10.csv" > $rule.out
	done
	assert_equal "$(correct hebb.out 4)" 11
	assert_equal "$(correct storkey.out 4)" 100
	assert_equal "$(correct pinv.out 4)" 100
}

@test "--stats adds iters,status,energy,match,hamming in that order" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	printf 'a,b,c,d,e,f\n1,-1,1,-1,1,1\n' > probe.csv
	run --separate-stderr -0 hop-recall -m m.gz --stats probe.csv
	assert_line -n 0 "a,b,c,d,e,f,iters,status,energy,match,hamming"
	assert_line -n 1 "1,-1,1,-1,1,-1,2,stable,-24,1,0"
}

@test "--stats without stored patterns has three columns" {
	hop-store -q --no-patterns "$SEED/ex3-patterns.csv" > m.gz
	printf 'a,b,c,d,e,f\n1,-1,1,-1,1,1\n' > probe.csv
	run --separate-stderr -0 hop-recall -m m.gz --stats probe.csv
	assert_line -n 0 "a,b,c,d,e,f,iters,status,energy"
	assert_line -n 1 "1,-1,1,-1,1,-1,2,stable,-24"
}

@test "a 2-cycling probe does not keep the other probes iterating" {
	# probe 1 cycles (example 1); probe 2 is stable at once
	printf '1,-1,1,-1\n-1,-1,-1,-1\n' > probes.csv
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" --stats probes.csv
	assert_line -n 0 "1,-1,1,-1,2,cycle:2,2"
	assert_line -n 1 "-1,-1,-1,-1,1,stable,-2"
}

@test "output rows match probe rows one to one, in order" {
	hop-store -q "$R/n100-m5.csv" > m.gz
	cat "$R/n100-m5-p5.csv" "$R/n100-m5-p5.csv" > probes.csv
	hop-recall -m m.gz probes.csv > out
	assert_equal "$(wc -l < out)" 200
	hop-recall -m m.gz "$R/n100-m5-p5.csv" > half
	cat half half | cmp - out
}

@test "probes in 0/1 are read as -1/+1 and the output is +-1" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	printf '1,0,1,0,1,1\n' > probe01.csv
	run --separate-stderr -0 hop-recall -m m.gz probe01.csv
	assert_output "1,-1,1,-1,1,-1"
}

@test "async order depends on --seed and is the same for the same seed" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	hop-recall -m m.gz --mode async --seed 7 --stats "$R/n100-m20-p10.csv" > a
	hop-recall -m m.gz --mode async --seed 7 --stats "$R/n100-m20-p10.csv" > b
	cmp a b
	hop-recall -m m.gz --mode async --stats "$R/n100-m20-p10.csv" > d1
	hop-recall -m m.gz --mode async --seed 1 --stats "$R/n100-m20-p10.csv" > d2
	cmp d1 d2
	hop-recall -m m.gz --mode async --seed 8 --stats "$R/n100-m20-p10.csv" > c
	! cmp -s a c
}

@test "--show with 8x8 grids needs 64 neurons" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	run --separate-stderr -64 hop-recall -m m.gz --show 8x8 "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "hop-recall: --show 8x8 needs 64 neurons, the memory has 6"
}

@test "--show draws a spurious result as spurious" {
	hop-store -q "$R/n100-m20.csv" > m.gz
	head -1 "$R/n100-m20-p5.csv" > probe.csv
	hop-recall -m m.gz --stats --show 10x10 probe.csv > out 2> show
	assert_equal "$(cut -d, -f104 out)" spurious
	assert_equal "$(head -1 show)" "probe 1            stable, spurious"
	assert_equal "$(wc -l < show)" 12
}

@test "-z compresses the output" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	hop-recall -m m.gz -z "$SEED/ex3-probe.csv" > out.gz
	assert_equal "$(gzip -dc out.gz)" "1,-1,1,-1,1,-1"
}

@test "-o FILE writes the file and nothing on stdout" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	mkdir d
	run --separate-stderr -0 hop-recall -m m.gz -o d/res.csv "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$(cat d/res.csv)" "1,-1,1,-1,1,-1"
	assert_dir_lists d res.csv
}

@test "--help prints the usage on stdout and exits 0" {
	run --separate-stderr -0 hop-recall --help
	assert_line -n 0 --partial "Usage: hop-store < patterns.csv | hop-recall"
	assert_output --partial "--mode=MODE"
	assert_output --partial "--stats"
	assert_equal "$stderr" ""
}

@test "--version prints the version and exits 0" {
	run --separate-stderr -0 hop-recall --version
	assert_output --regexp '^hop-recall \(rnnkit\) [0-9]+\.[0-9]+\.[0-9]+$'
}

# Incomplete probes: 0 is an unknown bit. With the example 3 memory
# (W = 2 x1 x1^T + 2 x3 x3^T - 4I), s = (1,0,0,0,0,0): W s = 2 x1 + 2 x3 -
# 4 s = (0,0,0,-4,4,0), so sync step 1 gives (1,0,0,-1,1,0); then x1.s = 3,
# x3.s = 3, W s = 6 (x1 + x3) - 4 s = (8,0,0,-8,8,0): nothing changes, and
# neurons 2, 3, 6 (where x1 and x3 disagree) keep a field of 0 and stay
# unknown. E = -1/2 (8 + 8 + 8) = -12. The distance to x1, x3 and their
# negations is 3 (each unknown bit counts as a mismatch), no match.
# seq and async set neuron 4, then 5, and end in the same state.
@test "incomplete probes: an unknown bit whose field stays 0 stays unknown: unknown:K, spurious" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	printf '1,0,0,0,0,0\n0,0,0,0,0,0\n' > probes.csv
	for mode in sync seq async; do
		run --separate-stderr -0 hop-recall -m m.gz --mode $mode --encoding pm1 --stats probes.csv
		assert_line -n 0 "1,0,0,-1,1,0,2,unknown:3,-12,spurious,3"
		assert_line -n 1 "0,0,0,0,0,0,1,unknown:6,0,spurious,6"
		assert_equal "$stderr" "hop-recall: warning: 2 probes ended with unknown neurons (0 in the output)"
	done
}

@test "incomplete probes: an unknown bit is a mismatch: an all-unknown state is no negation" {
	# 6 unknowns differ from x1 in 6 places, but they are not -x1
	hop-store -q --no-patterns "$SEED/ex3-patterns.csv" > np.gz
	printf '0,0,0,0,0,0\n' > zero.csv
	run --separate-stderr -0 hop-recall -m np.gz --encoding pm1 --stats zero.csv
	assert_output "0,0,0,0,0,0,1,unknown:6,0"
}

@test "incomplete probes: a probe file with a -1 reads its 0s as unknown; one without, as 0/1" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	# 0/1 (no -1 anywhere): 1,0,0,0,0,0 is s = 1,-1,-1,-1,-1,-1; x1.s = 2,
	# x3.s = 0, W s = 4 x1 - 4 s = (0,0,8,0,8,0): x1
	printf '1,0,0,0,0,0\n' > a.csv
	run --separate-stderr -0 hop-recall -m m.gz a.csv
	assert_output "1,-1,1,-1,1,-1"
	# the same row beside a row with a -1: unknowns
	printf '1,0,0,0,0,0\n1,-1,1,-1,1,1\n' > b.csv
	run --separate-stderr -0 hop-recall -m m.gz -q b.csv
	assert_line -n 0 "1,0,0,-1,1,0"
	assert_line -n 1 "1,-1,1,-1,1,-1"
	assert_equal "$stderr" ""
	# --encoding forces either reading
	run --separate-stderr -0 hop-recall -m m.gz -q --encoding pm1 a.csv
	assert_output "1,0,0,-1,1,0"
	run --separate-stderr -0 hop-recall -m m.gz --encoding 01 a.csv
	assert_output "1,-1,1,-1,1,-1"
	run --separate-stderr -0 hop-recall -m m.gz --encoding auto a.csv
	assert_output "1,-1,1,-1,1,-1"
}

@test "incomplete probes: -q silences the unknown-neuron warning, not the output" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	printf '1,0,0,0,0,0\n1,-1,1,-1,1,1\n' > p.csv
	run --separate-stderr -0 hop-recall -m m.gz p.csv
	assert_equal "$stderr" "hop-recall: warning: 1 probe ended with unknown neurons (0 in the output)"
	run --separate-stderr -0 hop-recall -m m.gz -q p.csv
	assert_equal "$stderr" ""
	assert_line -n 0 "1,0,0,-1,1,0"
}

@test "incomplete probes: --show draws an unknown bit as ?" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	printf '1,0,0,0,0,0\n' > p.csv
	hop-recall -m m.gz -q --encoding pm1 --show 2x3 p.csv > out 2> show
	printf '%s\n' "probe 1               unknown:3, spurious" "#??                   #??" \
		"???                   .#?" "" > want
	assert_file_equal want show
}

@test "incomplete probes: --trace and the match column with an incomplete probe in a pinv memory" {
	hop-store -q --rule pinv "$SEED/ex3-patterns.csv" > p.gz
	printf '1,-1,1,0,0,0\n' > inc.csv
	run --separate-stderr -0 hop-recall -m p.gz --stats inc.csv
	assert_output --regexp '^1,-1,1,-1,1,-1,2,stable,[-0-9.]+,1,0$'
}

# Energies are written to the resolution the computation carries. pinv:
# W = P - diag(P) for the projection P onto the span of the r = 20 stored
# patterns, so a stored x (P x = x, x.x = n) has
# E = -1/2 (x^T P x - sum_i P_ii x_i^2) = -1/2 (n - trace P) = -1/2 (100 - 20)
# = -40. The sums in double give -39.99999999999999 and the like for some
# rows (6 of the 20 here); the tolerance (n + m) eps sum|w_ij| is about
# 1e-11, so every row reads -40.
@test "pinv energies are rounded to their resolution: -40, not -39.99999999999999" {
	hop-store -q --rule pinv "$R/n100-m20.csv" > p.gz
	hop-recall -m p.gz --stats "$R/n100-m20.csv" > out
	assert_equal "$(cut -d, -f103 out | sort | uniq -c | sed 's/^ *//')" "20 -40"
	hop-recall -m p.gz --mode seq --stats "$R/n100-m20.csv" > out
	assert_equal "$(cut -d, -f103 out | sort | uniq -c | sed 's/^ *//')" "20 -40"
	head -1 "$R/n100-m20.csv" > one.csv
	run --separate-stderr -0 hop-recall -m p.gz --trace one.csv
	assert_equal "${stderr_lines[0]##* }" "-40"
}

@test "storkey energies keep the digits they are known to" {
	hop-store -q --rule storkey "$R/n100-m20.csv" > s.gz
	head -2 "$R/n100-m20.csv" > two.csv
	run --separate-stderr -0 hop-recall -m s.gz --stats two.csv
	assert_line -n 0 --regexp ',1,stable,-47\.82109591024,1,0$'
	assert_line -n 1 --regexp ',1,stable,-49\.29155089586,2,0$'
}

# A real CSV matrix: with s = (1,1,1) the row sums are 0.1 + 0.2 =
# 0.30000000000000004, 0.4 and 0.5, so the computed energy is
# -0.6000000000000001; exact weights given, t = 3 eps 1.2, it reads -0.6.
# Integer weights stay exact (-24 in example 3, -6 in example 2).
@test "an asymmetric W: seq reports cycle:2 (sweep ends), async runs to --max-iter" {
	printf '0,1\n-1,0\n' > W.csv
	echo 1,-1 > p.csv
	# seq: sweep 1 gives -1,1 (fields -1, then +1), sweep 2 1,-1 again;
	# E = -1/2 (w12 s1 s2 + w21 s2 s1) = 0 for every state
	run --separate-stderr -0 hop-recall -m W.csv --mode seq -s p.csv
	assert_output "1,-1,2,cycle:2,0"
	# async draws a new order each sweep: no cycle is reported
	run --separate-stderr -0 hop-recall -m W.csv --mode async --max-iter 50 -s p.csv
	assert_output --regexp '^-?1,-?1,50,limit,0$'
}

@test "a CSV weight matrix with a header row is a matrix, not a weight stream" {
	(echo a,b,c,d; cat "$SEED/ex1-W.csv") > Wh.csv
	gzip -c Wh.csv > Wh.csv.gz
	for m in Wh.csv Wh.csv.gz; do
		run --separate-stderr -0 hop-recall -m $m -s "$SEED/ex1-probe.csv"
		assert_output "$(cat "$SEED/ex1-sync.out")"
	done
	# --header applies to both files: a probe file with a header too
	(echo a,b,c,d; cat "$SEED/ex1-probe.csv") > ph.csv
	run --separate-stderr -0 hop-recall -m Wh.csv -s --header ph.csv
	assert_output "a,b,c,d,iters,status,energy
$(cat "$SEED/ex1-sync.out")"
	# hop-store -m and bam-pair take it too
	run --separate-stderr -0 hop-store -q -m Wh.csv -o m.gz "$SEED/ex1-probe.csv"
	(echo x,y; printf '1,-1\n-1,1\n') > Bh.csv
	echo 1,-1 > a.csv
	run --separate-stderr -0 bam-pair recall -m Bh.csv a.csv
	assert_output "1,-1,1,-1"
}

@test "a real weight matrix: energy -0.6, not -0.6000000000000001" {
	printf '0,0.1,0.2\n0.1,0,0.3\n0.2,0.3,0\n' > W.csv
	printf '1,1,1\n' > p.csv
	run --separate-stderr -0 hop-recall -m W.csv --stats --trace p.csv
	assert_output "1,1,1,1,stable,-0.6"
	assert_equal "${stderr_lines[0]}" "probe 1 step 0: 1,1,1 energy -0.6"
}
