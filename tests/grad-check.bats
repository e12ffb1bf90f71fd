#!/usr/bin/env bats
# grad-check: analytic BPTT gradients against central differences.

load test_helper

check() {
	run --separate-stderr grad-check "$@"
	assert_success
	assert_output --partial "fc.weight"
	refute_output --partial "FAIL"
}

@test "elman tanh passes, 1 and 2 layers, full and truncated" {
	check --cell elman
	check --cell elman --layers 2
	check --cell elman --bptt 3
	check --cell elman --layers 2 --bptt 2
}

@test "elman sigmoid passes" {
	check --cell elman --activation sigmoid --layers 2
	check --cell elman --activation sigmoid --bptt 4
}

@test "lstm passes, 1 and 2 layers, full and truncated" {
	check --cell lstm
	check --cell lstm --layers 2
	check --cell lstm --bptt 3
	check --cell lstm --layers 2 --bptt 2
}

@test "gru (seed form) passes, 1 and 2 layers, full and truncated" {
	check --cell gru
	check --cell gru --layers 2
	check --cell gru --bptt 3
	check --cell gru --layers 2 --bptt 2
}

@test "gru-torch passes, 1 and 2 layers, full and truncated" {
	check --cell gru-torch
	check --cell gru-torch --layers 2
	check --cell gru-torch --bptt 3
	check --cell gru-torch --layers 2 --bptt 2
}

@test "table lists every tensor of a 2-layer lstm" {
	run --separate-stderr grad-check --cell lstm --layers 2
	assert_success
	for t in weight_ih_l0 weight_hh_l0 bias_ih_l0 bias_hh_l0 \
	         weight_ih_l1 weight_hh_l1 bias_ih_l1 bias_hh_l1 fc.weight fc.bias; do
		assert_line --regexp "^$t +[0-9.e+-]+ +[0-9.e+-]+ +pass$"
	done
}

@test "fails with exit 1 when the tolerance cannot be met" {
	run --separate-stderr grad-check --cell lstm --tol 1e-15
	assert_failure 1
	assert_output --partial "FAIL"
	[[ "$stderr" == *"tensors fail at tol"* ]]
}

@test "checks a trained model on its data with -m" {
	rnn-train -q --cell gru --hidden 4 --window 5 --epochs 3 "$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr grad-check -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/ramp.csv"
	# the model holds float weights; the check itself runs in double
	assert_success
	refute_output --partial "FAIL"
}

@test "-m on an ensemble checks every member, named m<k>. as in the model" {
	cd "$BATS_TEST_TMPDIR"
	rnn-train -q --cell gru --hidden 4 --window 5 --epochs 3 --ensemble 2 "$TESTDATA/ramp.csv" > e.gz
	# member 2 is what --seed 2 trains alone (ensemble.h)
	rnn-train -q --cell gru --hidden 4 --window 5 --epochs 3 --seed 2 --ensemble 1 --threads 1 "$TESTDATA/ramp.csv" > s2.gz
	run --separate-stderr -0 grad-check -m e.gz "$TESTDATA/ramp.csv"
	assert_line -n 1 "# an ensemble: members 1 to 2, member k's tensors named m<k>. as in the model"
	assert_equal "$(grep -c pass <<< "$output")" 12
	grep '^m2\.' <<< "$output" | awk '{ sub(/^m2\./, "", $1); print $1, $2, $3, $4 }' > m2
	run --separate-stderr -0 grad-check -m s2.gz "$TESTDATA/ramp.csv"
	refute_output --partial "ensemble"
	tail -n +3 <<< "$output" | awk '{ print $1, $2, $3, $4 }' > s2
	assert_equal "$(wc -l < s2)" 6
	diff -u s2 m2
}

@test "--help: -d is the delimiter of the input only, and the synopsis shows -fqz and -o" {
	run --separate-stderr -0 grad-check --help
	assert_line "  -d, --delimiter=C    field delimiter of CSV input (default ,)"
	assert_line "       grad-check -m MODEL DATA.csv [--bptt K] [--tol T] [-fqz] [-o FILE]"
	# grad-check(1)'s SYNOPSIS: both forms take -fqz and -o
	assert_equal "$(grep -c -e '^\.Op Fl fqz$' -e '^\.Op Fl o Ar file$' "$REPO/man/man1/grad-check.1")" 4
}

@test "rejects a bptt longer than the window" {
	run --separate-stderr grad-check --window 4 --bptt 5
	assert_failure 64
	assert_output ""
}

@test "--mode seq passes for every cell, 1 and 2 layers, from a random state" {
	for c in elman lstm gru gru-torch; do
		check --mode seq --cell $c
		check --mode seq --cell $c --layers 2
	done
	check --mode seq --cell elman --activation relu --layers 2
	run --separate-stderr grad-check --mode seq --cell lstm --layers 2
	assert_line --partial "seq: 3 streams of 6 steps from a random state"
	for t in weight_hh_l0 weight_hh_l1 fc.weight fc.bias; do
		assert_line --regexp "^$t +[0-9.e+-]+ +[0-9.e+-]+ +pass$"
	done
}

@test "--mode seq fails with exit 1 when the tolerance cannot be met" {
	run --separate-stderr grad-check --mode seq --tol 1e-15
	assert_failure 1
	assert_output --partial "FAIL"
}

@test "--mode rejects an unknown mode, and --bptt with seq" {
	run --separate-stderr grad-check --mode nope
	assert_failure 64
	[[ "$stderr" == *"unknown mode 'nope' (window or seq)"* ]]
	run --separate-stderr grad-check --mode seq --bptt 2
	assert_failure 64
	[[ "$stderr" == *"--bptt is for --mode window"* ]]
}

@test "checks a trained sequence model on streams of its data with -m" {
	rnn-train -q --mode seq --cell gru --hidden 4 --bptt 5 --epochs 2 "$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/s.gz"
	run --separate-stderr grad-check -m "$BATS_TEST_TMPDIR/s.gz" --batch 2 --window 4 "$TESTDATA/ramp.csv"
	assert_success
	assert_line --index 0 --partial "seq: 2 streams of 4 steps from a zero state"
	refute_output --partial "FAIL"
	run --separate-stderr grad-check -m "$BATS_TEST_TMPDIR/s.gz" --mode window "$TESTDATA/ramp.csv"
	assert_failure 64
	[[ "$stderr" == *"--mode comes from the model (seq)"* ]]
}
