#!/usr/bin/env bats
# rnn-train --dropout=P: inverted dropout between stacked layers while
# training (the gradient of the masked net against central differences:
# tests/unit/test_rnn.c, test_dropout); 0 is the old model, byte for
# byte; the masks depend on the seed, the epoch and the windows, not on
# --threads; recorded in the header and kept by a resume.

load test_helper
load rnn_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	head -201 "$TESTDATA/series/elnino.csv" > s.csv
}

dm() {
	rnn-train -q --ensemble 1 --cell gru --layers 2 --hidden 6 --window 8 --epochs 3 \
		--transform none "$@" s.csv
}

@test "dropout: --dropout 0 gives the model of no option, byte for byte" {
	dm > none.gz
	dm --dropout 0 > zero.gz
	cmp none.gz zero.gz
	run -0 ws_header zero.gz
	refute_line --partial "dropout"
}

@test "dropout: a non-zero value changes the model and is in its header" {
	dm > none.gz
	dm --dropout 0.3 > d.gz
	run cmp -s none.gz d.gz
	assert_failure
	run -0 ws_header d.gz
	assert_line "dropout: 0.3"
	dm --dropout 0.3 > d2.gz
	cmp d.gz d2.gz
}

@test "dropout: the masks do not depend on --threads" {
	# one window per minibatch: 2 threads compute exactly what 1 does
	# (the window goes to the second thread), so the weights are equal
	# only if the masks are the same
	for t in 1 2; do
		dm --batch 1 --dropout 0.3 --threads $t > t$t.gz
		rnn-predict -m t$t.gz --export w$t
	done
	assert_file_equal w1/weight_ih_l1.csv w2/weight_ih_l1.csv
	assert_file_equal w1/fc.weight.csv w2/fc.weight.csv
	# while another seed, other masks, other weights
	dm --batch 1 --dropout 0.3 --seed 2 > s2.gz
	dm --batch 1 --seed 2 > s2none.gz
	rnn-predict -m s2.gz --export w3
	rnn-predict -m s2none.gz --export w4
	run cmp -s w3/fc.weight.csv w4/fc.weight.csv
	assert_failure
}

@test "dropout: predictions and grad-check use the whole net" {
	dm --dropout 0.5 > d.gz
	# the same predictions from the model and from its tensors without
	# the header's training keys
	rnn-predict -m d.gz --precision 9 s.csv > a.csv
	rnn-predict -m d.gz --export w
	rnn-predict --import w --precision 9 s.csv > b.csv
	assert_file_equal a.csv b.csv
	# grad-check checks the net without dropout: it passes
	run -0 grad-check -m d.gz --batch 4 s.csv
}

@test "dropout: a resume from a checkpoint keeps it and gives the model of one run" {
	dm --dropout 0.2 --epochs 4 > one.gz
	dm --dropout 0.2 --epochs 2 --checkpoint ck.gz > /dev/null
	rnn-train -q --init ck.gz --epochs 4 s.csv > two.gz
	cmp one.gz two.gz
}

@test "dropout: errors" {
	fails_with 64 "rnn-train: --dropout 0.3 acts between stacked layers: it needs --layers 2 or more
Try 'rnn-train --help' for more information." \
		rnn-train --dropout 0.3 s.csv
	fails_with 64 "rnn-train: --dropout must be between 0 and 0.9 (got 1)
Try 'rnn-train --help' for more information." \
		rnn-train --layers 2 --dropout 1 s.csv
	# a one-layer model to resume
	rnn-train -q --hidden 4 --window 8 --epochs 1 --checkpoint ck.gz s.csv > /dev/null
	fails_with 64 "rnn-train: --dropout 0.1 acts between stacked layers: it needs --layers 2 or more
Try 'rnn-train --help' for more information." \
		rnn-train --init ck.gz --epochs 2 --dropout 0.1 s.csv
}
