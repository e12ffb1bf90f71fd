#!/usr/bin/env bats
# The worked examples of the seed notes (section 000), through the command
# line, with exactly the notes' numbers (testdata/seed/README.md).

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	hop-store -q "$SEED/ex3-patterns.csv" > ex3.gz
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > ex4.gz
}

@test "example 1: sync update from [1,-1,1,-1] is a period-2 cycle" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" --stats "$SEED/ex1-probe.csv"
	assert_output "1,-1,1,-1,2,cycle:2,2"
	assert_equal "$stderr" ""
}

@test "example 1: trace shows o(1) = [-1,1,-1,1] and o(2) = o(0)" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" --stats --trace "$SEED/ex1-probe.csv"
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex1-sync.trace" trace
	printf '%s\n' "$output" > out
	assert_file_equal "$SEED/ex1-sync.out" out
}

@test "example 1: without --stats the output is the last state of the cycle" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" "$SEED/ex1-probe.csv"
	assert_output "1,-1,1,-1"
}

@test "example 1: sequential update settles where sync cycles" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" --mode seq --stats --trace "$SEED/ex1-probe.csv"
	printf '%s\n' "$output" > out
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex1-seq.out" out
	assert_file_equal "$SEED/ex1-seq.trace" trace
}

@test "example 1: --max-iter 1 stops at o(1) with status limit" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex1-W.csv" --max-iter 1 --stats "$SEED/ex1-probe.csv"
	assert_output "-1,1,-1,1,1,limit,2"
}

@test "example 2: [1,-1,1] is stable with energy -6" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex2-W.csv" --stats --trace "$SEED/ex2-probe.csv"
	printf '%s\n' "$output" > out
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex2.out" out
	assert_file_equal "$SEED/ex2.trace" trace
	assert_output "1,-1,1,1,stable,-6"
}

@test "example 2: every mode agrees that [1,-1,1] is stable" {
	for mode in sync async seq; do
		run --separate-stderr -0 hop-recall -m "$SEED/ex2-W.csv" --mode $mode --stats "$SEED/ex2-probe.csv"
		assert_output "1,-1,1,1,stable,-6"
	done
}

@test "example 3: hop-store computes W = sum x x^T - 4I" {
	# W is in the stream without the patterns (with them, they stand for it)
	hop-store -q --no-patterns "$SEED/ex3-patterns.csv" > w3.gz
	ws_w_csv w3.gz 6 6 > W.csv
	assert_file_equal "$SEED/ex3-W.csv" W.csv
}

@test "example 3: the stream header names kind, rule, size and patterns" {
	run -0 ws_header ex3.gz
	assert_line -n 0 "rnnkit-weights 1.0"
	assert_line -n 1 "kind: hopfield"
	assert_line "neurons: 6"
	assert_line "rule: hebb"
	assert_line "patterns: 4"
	assert_line "tensor: patterns bits 4x6"
	refute_line --partial "tensor: W"
	assert_line "end"
}

@test "example 3: the probe is recalled to x1 with energy -24, match 1" {
	run --separate-stderr -0 hop-recall -m ex3.gz --stats "$SEED/ex3-probe.csv"
	printf '%s\n' "$output" > out
	assert_file_equal "$SEED/ex3.out" out
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
}

@test "example 3: the memory can come on stdin" {
	run --separate-stderr -0 bash -c 'hop-recall --stats "$SEED/ex3-probe.csv" < ex3.gz'
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
	run --separate-stderr -0 bash -c 'hop-store -q "$SEED/ex3-patterns.csv" | hop-recall --stats "$SEED/ex3-probe.csv"'
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
}

@test "example 3: trace shows the probe, x1 after one step, then no change" {
	run --separate-stderr -0 hop-recall -m ex3.gz --trace "$SEED/ex3-probe.csv"
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex3.trace" trace
}

@test "example 3: seq mode changes only neuron 6 and reaches x1" {
	run --separate-stderr -0 hop-recall -m ex3.gz --mode seq --stats --trace "$SEED/ex3-probe.csv"
	printf '%s\n' "$output" > out
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex3-seq.out" out
	assert_file_equal "$SEED/ex3-seq.trace" trace
}

@test "example 3: async mode reaches x1 whatever the seed" {
	for seed in 0 1 2 3 12345; do
		run --separate-stderr -0 hop-recall -m ex3.gz --mode async --seed $seed --stats "$SEED/ex3-probe.csv"
		assert_output --regexp '^1,-1,1,-1,1,-1,[0-9]+,stable,-24,1,0$'
	done
}

@test "example 3: --show draws probe and x1 as 2x3 grids on stderr" {
	hop-recall -m ex3.gz --show 2x3 "$SEED/ex3-probe.csv" > out 2> show
	assert_equal "$(cat out)" "1,-1,1,-1,1,-1"
	assert_file_equal "$SEED/ex3.show" show
}

@test "example 3: the W of the notes given as a CSV matrix recalls the same" {
	run --separate-stderr -0 hop-recall -m "$SEED/ex3-W.csv" --stats "$SEED/ex3-probe.csv"
	assert_output "1,-1,1,-1,1,-1,2,stable,-24"
}

@test "example 3: a stored pattern is reported as itself, not as a negation" {
	# x2 = -x1 and x4 = -x3: x4 must be match 4, not -3
	run --separate-stderr -0 hop-recall -m ex3.gz --stats "$SEED/ex3-patterns.csv"
	assert_line -n 0 "1,-1,1,-1,1,-1,1,stable,-24,1,0"
	assert_line -n 1 "-1,1,-1,1,-1,1,1,stable,-24,2,0"
	assert_line -n 2 "1,1,-1,-1,1,1,1,stable,-24,3,0"
	assert_line -n 3 "-1,-1,1,1,-1,-1,1,stable,-24,4,0"
}

@test "example 4: bam-pair store computes W = sum A B^T" {
	ws_w_csv ex4.gz 3 2 > W.csv
	assert_file_equal "$SEED/ex4-W.csv" W.csv
}

@test "example 4: u = [1,-1,1] recalls the pair (A1, B1)" {
	run --separate-stderr -0 bam-pair recall -m ex4.gz --stats --trace "$SEED/ex4-probe.csv"
	printf '%s\n' "$output" > out
	printf '%s\n' "$stderr" > trace
	assert_file_equal "$SEED/ex4.out" out
	assert_file_equal "$SEED/ex4.trace" trace
	assert_output "1,-1,1,-1,1,2,stable,-12,1"
}

@test "example 4: B1 with --from b recalls the pair (A1, B1)" {
	run --separate-stderr -0 bam-pair recall -m ex4.gz --from b --stats "$SEED/ex4-probe-b.csv"
	printf '%s\n' "$output" > out
	assert_file_equal "$SEED/ex4-from-b.out" out
}

@test "example 4: the W of the notes as a CSV matrix recalls (A1, B1)" {
	run --separate-stderr -0 bam-pair recall -m "$SEED/ex4-W.csv" --stats "$SEED/ex4-probe.csv"
	assert_output "1,-1,1,-1,1,2,stable,-12"
}

# Example 3 with an incomplete probe (the notes name "noisy or incomplete"
# probes): x1 with its last three bits unknown, 1,-1,1,0,0,0. By hand, with
# W = 2 x1 x1^T + 2 x3 x3^T - 4I and s = (1,-1,1,0,0,0): x1.s = 3, x3.s = -1,
# so W s = 6 x1 - 2 x3 - 4 s = (0,-4,4,-4,4,-8), and
# E(s) = -1/2 s.(W s) = -1/2 (0 + 4 + 4) = -4.
# sync: neuron 1 has field 0 and keeps its 1, neurons 2 and 3 keep their
# signs, the unknown 4, 5, 6 take -1, 1, -1: x1 after step 1; W x1 = 8 x1, so
# step 2 changes nothing: iters 2, stable, E(x1) = -1/2 x1.(8 x1) = -24,
# match 1, hamming 0.
@test "incomplete probes: example 3, probe 1,-1,1,0,0,0: recalled to x1, exact trace" {
	printf '1,-1,1,0,0,0\n' > inc.csv
	run --separate-stderr -0 hop-recall -m ex3.gz --stats --trace inc.csv
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
	assert_equal "$stderr" "probe 1 step 0: 1,-1,1,0,0,0 energy -4
probe 1 step 1: 1,-1,1,-1,1,-1 energy -24
probe 1 step 2: 1,-1,1,-1,1,-1 energy -24"
}

# seq, neuron by neuron from s = (1,-1,1,0,0,0): neurons 1-3 as above (no
# change); neuron 4: field -4, takes -1: s = (1,-1,1,-1,0,0), x1.s = 4,
# x3.s = 0, W s = 8 x1 - 4 s = (4,-4,4,-4,8,-8), E = -1/2 (4+4+4+4) = -8;
# neuron 5: field 8, takes 1: x1.s = 5, x3.s = 1, W s = 10 x1 + 2 x3 - 4 s =
# (8,-4,4,-8,8,-8), E = -1/2 (8+4+4+8+8) = -16; neuron 6: field -8, takes -1:
# x1, E = -24. The second sweep changes nothing: iters 2.
@test "incomplete probes: example 3, probe: seq mode fills neurons 4, 5, 6 in turn" {
	printf '1,-1,1,0,0,0\n' > inc.csv
	run --separate-stderr -0 hop-recall -m ex3.gz --mode seq --stats --trace inc.csv
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
	assert_equal "$stderr" "probe 1 step 0: 1,-1,1,0,0,0 energy -4
probe 1 step 4 neuron 4: 1,-1,1,-1,0,0 energy -8
probe 1 step 5 neuron 5: 1,-1,1,-1,1,0 energy -16
probe 1 step 6 neuron 6: 1,-1,1,-1,1,-1 energy -24"
}

@test "incomplete probes: example 3, probe: async mode reaches x1 whatever the seed" {
	printf '1,-1,1,0,0,0\n' > inc.csv
	for seed in 0 1 2 3 12345; do
		run --separate-stderr -0 hop-recall -m ex3.gz --mode async --seed $seed --stats inc.csv
		assert_output --regexp '^1,-1,1,-1,1,-1,[0-9]+,stable,-24,1,0$'
		assert_equal "$stderr" ""
	done
}

# Example 4 with unknowns: u = (1,0,0). B starts at (1,1) (the side not
# given), E = -u^T W (1,1) = -u.(0,0,0) = 0. W^T u = (-2,2): B = (-1,1);
# W B = (4,-4,4): A = (1,-1,1), E = -12; the next iteration changes nothing.
@test "incomplete probes: example 4, an A probe 1,0,0 with two unknown bits, recalls (A1, B1)" {
	printf '1,0,0\n' > u.csv
	run --separate-stderr -0 bam-pair recall -m ex4.gz --encoding pm1 --stats --trace u.csv
	assert_output "1,-1,1,-1,1,2,stable,-12,1"
	assert_equal "$stderr" "probe 1 step 0: A 1,0,0 B 1,1 energy 0
probe 1 step 1: A 1,-1,1 B -1,1 energy -12
probe 1 step 2: A 1,-1,1 B -1,1 energy -12"
}

# near A B TOL: |A - B| <= TOL (awk, in double)
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
		fail "$1 is not within $3 of $2"
}

@test "section 002: an Elman net's h1, h2, h3 step by step (--trace), against awk in double" {
	run --separate-stderr rnn-predict --import "$SEED/rnn002" --trace "$SEED/rnn002/x.csv"
	assert_success
	assert_equal "${#lines[@]}" 2
	echo "$stderr" > trace
	assert_equal "$(sed -n 1p trace)" "window 1: rows 1-3"
	assert_equal "$(wc -l < trace)" 5
	# h_t = sigmoid(w x_t + u h_{t-1} + b), h0 = 0, computed again here
	awk 'function f(v) { return 1 / (1 + exp(-v)) }
	BEGIN {
		split("0.5 -0.3 0.2 0.8", w, " "); split("0.1 0.4 -0.6 0.3", u, " ")
		b[1] = 0.1; b[2] = -0.2; h[1] = h[2] = 0
		split("1 0 0 1 1 1", x, " ")
		for (t = 1; t <= 3; t++) {
			for (j = 1; j <= 2; j++)
				a[j] = w[2*j-1] * x[2*t-1] + w[2*j] * x[2*t] + u[2*j-1] * h[1] + u[2*j] * h[2] + b[j]
			h[1] = f(a[1]); h[2] = f(a[2])
			printf "%d %.17g %.17g %s %s\n", t, h[1], h[2], x[2*t-1], x[2*t]
		}
	}' > want
	while read -r t h1 h2 x1 x2; do
		line=$(grep "^window 1 step $t layer 1: " trace)
		read -r _ _ _ _ _ _ _ xs _ hs <<< "$line"
		assert_equal "$xs" "$x1,$x2"
		near "${hs%,*}" "$h1" 1e-6
		near "${hs#*,}" "$h2" 1e-6
	done < want
	read -r _ h1 h2 _ _ < <(tail -n 1 want)
	assert_equal "$(tail -n 1 trace)" "window 1: y $(grep '^window 1 step 3 ' trace | sed 's/.* h //')"
	# the prediction is the identity head's h3
	near "${lines[1]%,*}" "$h1" 1e-6
	near "${lines[1]#*,}" "$h2" 1e-6
}
