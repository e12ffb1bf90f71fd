#!/usr/bin/env bats
# rnn-train --weight-decay: AdamW's decoupled decay with adam, torch.optim.SGD's
# weight_decay with sgd (the step itself: tests/unit/test_rnn.c,
# test_weight_decay); 0 is the old model, byte for byte; recorded in the
# header and kept by a resume.

load test_helper
load rnn_helper

# the first 240 months of El Nino
setup() {
	head -n 241 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/el.csv"
}

wd_model() {
	rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 4 --seed 3 "$@" \
		"$BATS_TEST_TMPDIR/el.csv"
}

@test "weight decay: --weight-decay 0 gives the model of no option, byte for byte" {
	for opt in adam sgd; do
		wd_model --optimizer $opt > "$BATS_TEST_TMPDIR/none.gz"
		wd_model --optimizer $opt --weight-decay 0 > "$BATS_TEST_TMPDIR/zero.gz"
		wd_model --optimizer $opt --weight-decay=0.0 > "$BATS_TEST_TMPDIR/zero2.gz"
		cmp "$BATS_TEST_TMPDIR/none.gz" "$BATS_TEST_TMPDIR/zero.gz"
		cmp "$BATS_TEST_TMPDIR/none.gz" "$BATS_TEST_TMPDIR/zero2.gz"
		run -0 ws_header "$BATS_TEST_TMPDIR/zero.gz"
		refute_line --partial "weight-decay"
	done
}

@test "weight decay: a non-zero value changes the model and is in its header" {
	for opt in adam sgd; do
		wd_model --optimizer $opt > "$BATS_TEST_TMPDIR/none.gz"
		wd_model --optimizer $opt --weight-decay 0.1 > "$BATS_TEST_TMPDIR/wd.gz"
		run cmp -s "$BATS_TEST_TMPDIR/none.gz" "$BATS_TEST_TMPDIR/wd.gz"
		assert_failure
		run -0 ws_header "$BATS_TEST_TMPDIR/wd.gz"
		assert_line "weight-decay: 0.1"
		# the same option again: the same model
		wd_model --optimizer $opt --weight-decay 0.1 > "$BATS_TEST_TMPDIR/wd2.gz"
		cmp "$BATS_TEST_TMPDIR/wd.gz" "$BATS_TEST_TMPDIR/wd2.gz"
	done
}

@test "weight decay: decay pulls the weights toward 0" {
	# sum of squares of every weight and bias (rnn-predict --export)
	sumsq() {
		rnn-predict -m "$1" --export "$2"
		cat "$2"/weight_*.csv "$2"/bias_*.csv "$2"/fc.*.csv |
			awk -F, '{ for (i = 1; i <= NF; i++) s += $i * $i } END { printf "%.9g\n", s }'
	}
	wd_model > "$BATS_TEST_TMPDIR/none.gz"
	wd_model --weight-decay 10 > "$BATS_TEST_TMPDIR/wd.gz"
	a=$(sumsq "$BATS_TEST_TMPDIR/none.gz" "$BATS_TEST_TMPDIR/none")
	b=$(sumsq "$BATS_TEST_TMPDIR/wd.gz" "$BATS_TEST_TMPDIR/wd")
	assert_lt "$b" "$a" "sum of squared weights with --weight-decay 10 (without: $a)"
}

@test "weight decay: a resume from a checkpoint keeps it and gives the model of one run" {
	for opt in adam sgd; do
		rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 6 --optimizer $opt --weight-decay 0.05 \
			"$BATS_TEST_TMPDIR/el.csv" > "$BATS_TEST_TMPDIR/one.gz"
		rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 4 --optimizer $opt --weight-decay 0.05 \
			--checkpoint "$BATS_TEST_TMPDIR/ck.gz" "$BATS_TEST_TMPDIR/el.csv" > /dev/null
		run -0 ws_header "$BATS_TEST_TMPDIR/ck.gz"
		assert_line "weight-decay: 0.05"
		assert_line "optimizer-state: $opt"
		# no --weight-decay on the resume: the checkpoint's is taken
		rnn-train --ensemble 1 -q --epochs 6 --init "$BATS_TEST_TMPDIR/ck.gz" "$BATS_TEST_TMPDIR/el.csv" \
			> "$BATS_TEST_TMPDIR/two.gz"
		cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
		run -0 ws_header "$BATS_TEST_TMPDIR/two.gz"
		assert_line "weight-decay: 0.05"
	done
}

@test "weight decay: --weight-decay 0 on a resume turns it off and out of the header" {
	wd_model --weight-decay 0.05 --epochs 2 > "$BATS_TEST_TMPDIR/a.gz"
	rnn-train --ensemble 1 -q --epochs +1 --weight-decay 0 --init "$BATS_TEST_TMPDIR/a.gz" \
		"$BATS_TEST_TMPDIR/el.csv" > "$BATS_TEST_TMPDIR/b.gz"
	run -0 ws_header "$BATS_TEST_TMPDIR/b.gz"
	refute_line --partial "weight-decay"
}

@test "weight decay: bad values are usage errors (64)" {
	for v in -1 -0.5 abc nan inf 1e7 '' 0.1x; do
		run --separate-stderr rnn-train --weight-decay="$v" "$TESTDATA/ramp.csv"
		assert_equal "$status" 64
		assert_equal "$output" ""
		[[ "${stderr_lines[0]}" == "rnn-train: "*"--weight-decay"* ]] || fail "'$v': ${stderr_lines[0]}"
	done
}
