#!/usr/bin/env bats
# The demos of make demo (scripts/demo.sh, demo-text.sh, demo-rnn.sh) and
# their data, testdata/letters*.csv.

load test_helper
load rnn_helper

@test "the demo runs, draws the letters and recalls every noisy copy" {
	run --separate-stderr -0 "$REPO/scripts/demo.sh"
	assert_line "10 of 10 copies recalled to their own letter."
	assert_line "probe 5             stable, pattern 5"
	assert_line "    1,-1,1,-1,1,-1,2,stable,-24,1,0"
	# the dense step: 26 letters, none for hebb, all for async exp
	assert_line "    hebb (W = sum x x^T - m I): 0 of 26 noisy copies"
	assert_line "    async (one neuron at a time, --seed 1): 26 of 26"
	assert_equal "$stderr" ""
}

@test "the letter files are what scripts/gen_letters.py makes" {
	command -v python3 > /dev/null || skip "no python3"
	python3 "$REPO/scripts/gen_letters.py" "$BATS_TEST_TMPDIR"
	cmp "$TESTDATA/letters.csv" "$BATS_TEST_TMPDIR/letters.csv"
	cmp "$TESTDATA/letters-noisy.csv" "$BATS_TEST_TMPDIR/letters-noisy.csv"
	cmp "$TESTDATA/letters26.csv" "$BATS_TEST_TMPDIR/letters26.csv"
	cmp "$TESTDATA/letters26-noisy.csv" "$BATS_TEST_TMPDIR/letters26-noisy.csv"
}

@test "the recall test data are what scripts/gen_patterns.py makes" {
	command -v python3 > /dev/null || skip "no python3"
	python3 "$REPO/scripts/gen_patterns.py" "$BATS_TEST_TMPDIR/recall"
	diff -r "$TESTDATA/recall" "$BATS_TEST_TMPDIR/recall"
}

@test "the text demo trains for the time asked, writes a paragraph, scores it" {
	# scoring 56608 characters twice takes minutes under the sanitizers;
	# tests/text.bats runs the same code on small texts in both builds
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "plain build only (slow under the sanitizers)"
	DEMO_TEXT_SECONDS=0.5 run --separate-stderr -0 "$REPO/scripts/demo-text.sh"
	assert_line --partial "--max-time 0.5: stopped in epoch 1 after"
	assert_line "   chars,bits_per_char"
	assert_line --regexp '^   56607,[0-9.]+$'
	assert_line --partial "   And Jesus said unto them, "
	assert_equal "$stderr" ""
}

@test "the forecasting demo trains with every default, forecasts a year with intervals, scores, traces" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "plain build only (an ensemble of 5 on 700 rows: slow under the sanitizers)"
	run --separate-stderr -0 "$REPO/scripts/demo-rnn.sh"
	assert_line "   period: 12 (the autocorrelation of the changes is 0.82 at lag 12)"
	assert_line --regexp '^   ensemble of 5: validation loss [0-9.]+ '
	assert_line --regexp '^      12  [ 0-9.]+  [ 0-9.]+ \.\. [ 0-9.]+   22\.07       23\.21       23\.21$'
	assert_line --regexp '^   the 80% intervals hold ([0-9]|1[0-2]) of the 12 months$'
	# the model's RMSE over the year, against the naive forecasts'
	rmse=$(printf '%s\n' "${lines[@]}" | awk '$1 == "RMSE" { print $2 }')
	assert_equal "$(printf '%s\n' "${lines[@]}" | awk '$1 == "RMSE" { print $3, $4 }')" "1.442 2.695"
	assert_lt "$rmse" 2.695 "the model's RMSE"
	assert_line "   method,rmse,mae,mase"
	assert_line "   window 1 step 3 layer 1: x 1,1 h 0.64278716,0.6608804"
	assert_equal "$stderr" ""
}
