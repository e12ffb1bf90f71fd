#!/usr/bin/env bats
# scripts/rnnkit-parallel: one model per series with GNU parallel
# (rnnkit(7), "MANY SERIES"): every model written, each the model of a
# sequential rnn-train run byte for byte, forecasts likewise, failures
# listed with their status, --retry-failed.

load test_helper

RP="$REPO/scripts/rnnkit-parallel"
TRAIN=(--ensemble 1 --cell elman --hidden 4 --window 5 --val 0.2 --seed 3)

setup() {
	command -v parallel > /dev/null || skip "GNU parallel is not installed"
	cd "$BATS_TEST_TMPDIR"
	mkdir data
	N=20 EPOCHS=3
	if [[ -n "${RNNKIT_SANITIZED:-}" ]]; then N=6 EPOCHS=1; fi
	for i in $(seq 1 $N); do
		awk -v k=$i 'BEGIN { print "x"; for (t = 1; t <= 60; t++) printf "%.4f\n", sin(t / (1 + k / 4)) + k * t / 100 }' > data/s$i.csv
	done
}

# few: 4 series instead of N, for the tests of failures
few() {
	rm -f data/s[5-9].csv data/s[1-9][0-9].csv
	N=4
}

@test "every model is written, the one a sequential rnn-train run gives" {
	run --separate-stderr -0 "$RP" train -j 2 out data/*.csv -- "${TRAIN[@]}" --epochs $EPOCHS
	assert_equal "$stderr" "rnnkit-parallel: train: $N of $N series done, 0 failed"
	# -q: the jobs said nothing, so no .err files are kept
	[[ ! -e out/s1.train.err ]] || fail "$(cat out/s1.train.err)"
	for i in $(seq 1 $N); do
		rnn-train -q --threads 1 "${TRAIN[@]}" --epochs $EPOCHS -o s$i.gz data/s$i.csv
		cmp s$i.gz out/s$i.gz
	done
	# forecasts the same way, with the tool's options after --
	run --separate-stderr -0 "$RP" forecast -q -j 2 out data/*.csv -- --forecast 3
	assert_equal "$stderr" ""
	for i in $(seq 1 $N); do
		rnn-predict -m s$i.gz --forecast 3 data/s$i.csv > f$i.csv
		cmp f$i.csv out/s$i.forecast.csv
	done
	[[ $(wc -l < out/s1.forecast.csv) == 4 ]] || fail "$(cat out/s1.forecast.csv)"
}

@test "a bad series is reported with its status and message; --retry-failed runs it again" {
	few
	printf 'x\n1\n2\nfoo\n' > data/bad.csv
	run --separate-stderr -1 "$RP" train out data/*.csv -- "${TRAIN[@]}" --epochs 1
	assert_equal "${stderr_lines[0]}" "rnnkit-parallel: train: $N of $((N + 1)) series done, 1 failed"
	assert_equal "${stderr_lines[1]}" "  data/bad.csv: status 65, bad data or model, or a diverged loss: rnn-train: data/bad.csv:4:1: not a number (found 'foo')"
	[[ ! -e out/bad.gz ]] || fail "a model for bad.csv"
	[[ -s out/s$N.gz ]] || fail "no model for s$N.csv"
	# the same summary from the joblog alone
	run --separate-stderr -1 "$RP" report out train
	assert_equal "${stderr_lines[1]}" "  data/bad.csv: status 65, bad data or model, or a diverged loss: rnn-train: data/bad.csv:4:1: not a number (found 'foo')"
	# a missing model: status 66 at forecast time
	run --separate-stderr -1 "$RP" forecast out data/bad.csv data/s1.csv
	assert_equal "${stderr_lines[0]}" "rnnkit-parallel: forecast: 1 of 2 series done, 1 failed"
	[[ "${stderr_lines[1]}" == "  data/bad.csv: status 66, cannot open the input: rnn-predict: cannot open 'out/bad.gz'"* ]] ||
		fail "${stderr_lines[1]}"
	# fixed, only the failed job runs again
	cp data/s1.csv data/bad.csv
	touch -d '2000-01-01' out/s1.gz
	run --separate-stderr -0 "$RP" train --retry-failed out
	assert_equal "$stderr" "rnnkit-parallel: train: $((N + 1)) of $((N + 1)) series done, 0 failed"
	[[ -s out/bad.gz ]] || fail "no model for bad.csv"
	[[ $(stat -c %Y out/s1.gz) -lt 1000000000 ]] || fail "s1.gz was trained again"
}

@test "usage errors: two series of one name, no series, an unknown option" {
	mkdir other
	cp data/s1.csv other/s1.csv
	run --separate-stderr -64 "$RP" train out data/s1.csv other/s1.csv
	assert_equal "${stderr_lines[0]}" "rnnkit-parallel: two series are called 's1': their models would be one file"
	[[ ! -e out/train.series ]] || fail "train.series written"
	run --separate-stderr -64 "$RP" train out
	run --separate-stderr -64 "$RP" train --bogus out data/s1.csv
	assert_equal "${stderr_lines[0]}" "rnnkit-parallel: unknown option '--bogus'"
	run --separate-stderr -64 "$RP" report out
}

@test "the recipe of rnnkit(7), MANY SERIES, as printed: models, forecasts, the failures" {
	few
	printf 'x\n1\n2\nfoo\n' > data/bad.csv
	mkdir -p models
	run parallel --joblog train.log rnn-train -q --threads 1 --ensemble 1 \
		--epochs 1 -o models/{/.}.gz {} ::: data/*.csv
	assert_equal "$status" 1    # parallel: the number of failed jobs
	run -1 parallel --joblog forecast.log rnn-predict -m models/{/.}.gz \
		--forecast 12 -o models/{/.}.forecast.csv {} ::: data/*.csv
	[[ -s models/s$N.gz && -s models/s$N.forecast.csv ]] || fail "no model or forecast for s$N"
	[[ $(wc -l < models/s1.forecast.csv) == 13 ]] || fail "$(cat models/s1.forecast.csv)"
	run -0 awk -F'\t' 'NR > 1 && $7 != 0 { print $7, $NF }' train.log
	assert_output "65 rnn-train -q --threads 1 --ensemble 1 --epochs 1 -o models/bad.gz data/bad.csv"
	run -0 awk -F'\t' 'NR > 1 && $7 != 0 { print $7, $NF }' forecast.log
	assert_output "66 rnn-predict -m models/bad.gz --forecast 12 -o models/bad.forecast.csv data/bad.csv"
	# fixed, --retry-failed runs the failed job alone
	cp data/s1.csv data/bad.csv
	run -0 parallel --joblog train.log --retry-failed
	# the weights of s1's model (the header names another source)
	ws_data models/s1.gz > a.bin
	ws_data models/bad.gz > b.bin
	cmp a.bin b.bin
}
