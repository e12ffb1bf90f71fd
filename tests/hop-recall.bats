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
