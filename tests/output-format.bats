#!/usr/bin/env bats
# --precision=N prints reals with N significant digits; --export DIR makes
# DIR and its parents.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	LSTM="$TESTDATA/torch/lstm"
}

@test "consistency: rnn-predict --precision 3: three significant digits, header unchanged" {
	run --separate-stderr rnn-predict --precision 3 --import "$LSTM" "$LSTM/series.csv"
	assert_success
	assert_equal "${lines[0]}" "x1,x2"
	assert_equal "${lines[1]}" "-0.133,-0.0592"
	assert_equal "${lines[2]}" "-0.219,-0.0545"
	# every line is the default output rounded to 3 digits
	rnn-predict --import "$LSTM" "$LSTM/series.csv" |
		awk -F, -v OFS=, 'NR > 1 { for (i = 1; i <= NF; i++) $i = sprintf("%.3g", $i) } 1' > want
	printf '%s\n' "${lines[@]}" > got
	assert_file_equal want got
	# the default keeps more digits
	run rnn-predict --import "$LSTM" "$LSTM/series.csv"
	assert_equal "${lines[1]}" "-0.1330979,-0.059249338"
}

@test "consistency: rnn-predict --precision applies to --align's predictions, not its input cells (printed as read), and to --forecast" {
	run rnn-predict --precision 2 --align --import "$LSTM" "$LSTM/series.csv"
	assert_success
	assert_equal "${lines[0]}" "x1,x2,x3,predicted_x1,predicted_x2"
	assert_equal "${lines[1]}" "$(sed -n 2p "$LSTM/series.csv"),,"
	assert_equal "${lines[7]}" "$(sed -n 8p "$LSTM/series.csv"),-0.13,-0.059"
	printf '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n' > ramp.csv
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 2 ramp.csv > m.gz
	run rnn-predict -m m.gz --precision 1 --forecast 3 ramp.csv
	assert_success
	assert_equal "${#lines[@]}" 4
	for l in "${lines[@]:1}"; do
		[[ "$l" =~ ^-?[0-9](e[+-][0-9]+)?$ ]] || fail "not one digit: $l"
	done
}

@test "consistency: hop-recall --precision sets the digits of energies, in output and trace" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	run --separate-stderr hop-recall -m m.gz --stats --trace --precision 1 "$SEED/ex3-probe.csv"
	assert_success
	assert_equal "$output" "1,-1,1,-1,1,-1,2,stable,-2e+01,1,0"
	assert_equal "${stderr_lines[1]}" "probe 1 step 1: 1,-1,1,-1,1,-1 energy -2e+01"
	run hop-recall -m m.gz --stats --precision 2 "$SEED/ex3-probe.csv"
	assert_output "1,-1,1,-1,1,-1,2,stable,-24,1,0"
}

@test "consistency: bam-pair recall --precision sets the digits of energies" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	run --separate-stderr bam-pair recall -m b.gz --stats --precision 1 "$SEED/ex4-probe.csv"
	assert_success
	assert_equal "$output" "1,-1,1,-1,1,2,stable,-1e+01,1"
	run --separate-stderr bam-pair store --split 3 --precision 3 "$SEED/ex4-pairs.csv"
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "bam-pair: --precision is an option of recall, not store"
}

@test "consistency: --precision takes 1 to 17 digits; not with --export" {
	run --separate-stderr hop-recall --precision 0 x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "hop-recall: --precision must be between 1 and 17 (got 0)"
	run --separate-stderr rnn-predict --precision 18 x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --precision must be between 1 and 17 (got 18)"
	run --separate-stderr rnn-predict --import "$LSTM" --precision 3 --export w
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --precision is for printed predictions; --export writes every value exactly"
	[[ ! -e w ]]
}

@test "consistency: --export a/b/c makes the directories, mode 0777 less the umask" {
	umask 022
	run rnn-predict --import "$LSTM" --export a/b/c
	assert_success
	assert_equal "$(stat -c %a a a/b a/b/c | tr '\n' ' ')" "755 755 755 "
	umask 077
	run rnn-predict --import "$LSTM" --export a/x/y/
	assert_success
	assert_equal "$(stat -c %a a a/x a/x/y | tr '\n' ' ')" "755 700 700 "
	# what was exported reads back as the same model
	rnn-predict --import "$LSTM" "$LSTM/series.csv" > want
	rnn-predict --import a/x/y "$LSTM/series.csv" > got
	assert_file_equal want got
	run --separate-stderr rnn-predict --import "$LSTM" --export "$BATS_TEST_TMPDIR/abs/dir"
	assert_success
	[[ -f abs/dir/config ]]
}
