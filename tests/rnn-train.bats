#!/usr/bin/env bats
# rnn-train: framing, training, determinism, progress, checkpoints.

load test_helper
load rnn_helper

ramp_model() {
	rnn-train --ensemble 1 -q --cell elman --hidden 8 --window 5 --epochs 500 "$@" "$TESTDATA/ramp.csv"
}

@test "seed 004: an elman net trained on a ramp forecasts 6 after 1,2,3,4,5" {
	ramp_model > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --forecast 1 "$TESTDATA/ramp-probe.csv"
	assert_success
	assert_equal "${lines[0]}" "x1"
	# within 0.1 of 6, in the data's own units (scaling undone)
	awk -v y="${lines[1]}" 'BEGIN { exit !(y > 5.9 && y < 6.1) }' || fail "forecast ${lines[1]} is not 6 +- 0.1"
}

@test "same data, options and seed give a byte-identical model" {
	for t in 1 2; do
		rnn-train -q --ensemble 1 --cell lstm --hidden 16 --window 6 --epochs 5 --threads $t --seed 7 \
			"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/a$t.gz"
		rnn-train -q --ensemble 1 --cell lstm --hidden 16 --window 6 --epochs 5 --threads $t --seed 7 \
			"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/b$t.gz"
		cmp "$BATS_TEST_TMPDIR/a$t.gz" "$BATS_TEST_TMPDIR/b$t.gz"
	done
	# and another seed gives another model
	rnn-train -q --ensemble 1 --cell lstm --hidden 16 --window 6 --epochs 5 --seed 8 \
		"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/c.gz"
	! cmp -s "$BATS_TEST_TMPDIR/a1.gz" "$BATS_TEST_TMPDIR/c.gz"
}

@test "the model header tells kind, cell, sizes, framing and columns" {
	rnn-train -q --cell gru --hidden 5 --layers 2 --window 7 --horizon 2 --epochs 1 \
		"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	assert_line "rnnkit-weights 1.0"
	assert_line "kind: rnn"
	assert_line "cell: gru"
	assert_line "hidden: 5"
	assert_line "layers: 2"
	assert_line "window: 7"
	assert_line "horizon: 2"
	assert_line "column-1: sst"
	assert_line "tensor: weight_ih_l1 f32 15x5"
}

@test "prints a line per epoch on stderr, nothing with --quiet" {
	run --separate-stderr rnn-train --ensemble 1 --cell elman --hidden 4 --window 5 --epochs 3 --val 0.2 "$TESTDATA/ramp.csv"
	assert_success
	[[ $(grep -c '^epoch [123]/3  train [0-9.e-]*  val [0-9.e-]*  grad [0-9.e-]*  [0-9.]*s$' <<<"$stderr") == 3 ]] ||
		fail "stderr: $stderr"
	run --separate-stderr rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 5 --epochs 3 "$TESTDATA/ramp.csv"
	assert_success
	assert_equal "$stderr" ""
}

@test "--log writes one CSV row per epoch" {
	rnn-train -q --cell elman --hidden 4 --window 5 --epochs 4 --val 0.3 \
		--log "$BATS_TEST_TMPDIR/log.csv" "$TESTDATA/ramp.csv" > /dev/null
	run cat "$BATS_TEST_TMPDIR/log.csv"
	assert_line --index 0 "epoch,train_loss,val_loss,grad_norm,seconds"
	assert_equal "${#lines[@]}" 5
	assert_line --index 4 --regexp '^4,[0-9.e-]+,[0-9.e-]+,[0-9.e-]+,[0-9.]+$'
}

@test "--patience stops early and keeps the best epoch" {
	# a learning rate this large makes the validation loss worse quickly
	run --separate-stderr rnn-train --cell elman --hidden 8 --window 12 --epochs 200 \
		--val 0.2 --patience 3 --lr 0.2 --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		-o "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	[[ "$stderr" =~ early\ stop:\ no\ better\ validation\ loss\ in\ 3\ epochs\;\ keeping\ epoch\ ([0-9]+) ]] ||
		fail "$stderr"
	best=${BASH_REMATCH[1]}
	last=$(grep -c '^epoch' <<<"$stderr")
	# stopped 3 epochs after the best one, long before 200
	assert_equal "$last" $((best + 3))
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	assert_line "best-epoch: $best"
	assert_line "epochs: $last"
	# the checkpoint is of the last epoch run, with the optimizer state
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "epochs: $last"
	assert_line "optimizer-state: adam"
}

@test "--target picks predicted columns by name and by index" {
	printf 'a,b,c\n' > "$BATS_TEST_TMPDIR/s.csv"
	for i in $(seq 1 30); do echo "$i,$((i * 2)),$((i % 3))" >> "$BATS_TEST_TMPDIR/s.csv"; done
	rnn-train -q --transform none --hidden 4 --window 3 --epochs 2 --target c,1 "$BATS_TEST_TMPDIR/s.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	assert_line "outputs: 2"
	assert_line "target-1: 3"
	assert_line "target-2: 1"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/s.csv"
	assert_success
	assert_line --index 0 "c,a"
	assert_equal "${#lines[@]}" 29
}

@test "--checkpoint is written every epoch and on SIGTERM" {
	rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 5 --epochs 3 \
		--checkpoint "$BATS_TEST_TMPDIR/ck.gz" "$TESTDATA/ramp.csv" > /dev/null
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "epochs: 3"
	# a long run, stopped by SIGTERM: the checkpoint holds the epochs done
	rm -f "$BATS_TEST_TMPDIR/ck.gz"
	rnn-train --ensemble 1 --cell lstm --hidden 16 --window 12 --epochs 100000 --val 0 \
		--checkpoint "$BATS_TEST_TMPDIR/ck.gz" --every 100000 \
		"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/out.gz" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	# stop it once two epochs are done
	for i in $(seq 300); do
		grep -q '^epoch 2/' "$BATS_TEST_TMPDIR/err" && break
		sleep 0.1
	done
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	assert_equal "$rc" 143
	[[ ! -s "$BATS_TEST_TMPDIR/out.gz" ]] || fail "stdout got a model after the signal"
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "kind: rnn"
	# the model after the last complete epoch, and stderr says which
	n=$(sed -n 's/^epochs: //p' <<<"$output")
	[[ $n -ge 2 ]] || fail "epochs: $n"
	grep -q "^rnn-train: interrupted; model after $n epochs written to" "$BATS_TEST_TMPDIR/err"
	# resuming it for one more epoch gives the model of one straight run
	rnn-train --ensemble 1 -q --epochs $((n + 1)) --init "$BATS_TEST_TMPDIR/ck.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/resumed.gz"
	rnn-train --ensemble 1 -q --cell lstm --hidden 16 --window 12 --epochs $((n + 1)) --val 0 \
		"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/straight.gz"
	cmp "$BATS_TEST_TMPDIR/resumed.gz" "$BATS_TEST_TMPDIR/straight.gz"
}

@test "--init continues training from a model" {
	ramp_model --epochs 5 > "$BATS_TEST_TMPDIR/a.gz"
	rnn-train --ensemble 1 -q --epochs +5 --init "$BATS_TEST_TMPDIR/a.gz" "$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/b.gz"
	run ws_header "$BATS_TEST_TMPDIR/b.gz"
	assert_line "cell: elman"
	# --window 5 rows: auto differences the ramp, 1 row of history and 4
	# steps for the net
	assert_line "transform: diff"
	assert_line "window: 4"
	assert_line "epochs: 10"
	run --separate-stderr rnn-train --ensemble 1 -q --epochs 1 --window 6 --init "$BATS_TEST_TMPDIR/a.gz" "$TESTDATA/ramp.csv"
	assert_failure 64
	assert_output ""
}

@test "training in two parts through a checkpoint gives the model of one run" {
	rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 6 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/one.gz"
	rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 4 --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		"$TESTDATA/series/elnino.csv" > /dev/null
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "optimizer-state: adam"
	assert_line --regexp '^tensor: optim.v f32 [0-9]+x1$'
	rnn-train --ensemble 1 -q --epochs 6 --init "$BATS_TEST_TMPDIR/ck.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/two.gz"
	cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
	# the final model carries no optimizer state
	run ws_header "$BATS_TEST_TMPDIR/two.gz"
	refute_line --partial "optimizer-state"
	refute_line --partial "tensor: optim."
	assert_line "epochs: 6"
}

@test "a resume with sgd or --bptt writes the header of one run, byte for byte" {
	for opt in "--optimizer sgd" "--bptt 4"; do
		rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 3 $opt \
			"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/one.gz"
		rnn-train --ensemble 1 -q --cell gru --hidden 8 --window 12 --epochs 2 $opt \
			--checkpoint "$BATS_TEST_TMPDIR/ck.gz" "$TESTDATA/series/elnino.csv" > /dev/null
		rnn-train --ensemble 1 -q --epochs 3 --init "$BATS_TEST_TMPDIR/ck.gz" "$TESTDATA/series/elnino.csv" \
			> "$BATS_TEST_TMPDIR/two.gz"
		cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
	done
}

@test "a loss that turns NaN stops with a clear error and keeps the last checkpoint" {
	# 1e18: within what the net takes once scaled (2^64); lr 1e5 blows
	# the gradient up in epoch 2, after epoch 1's checkpoint
	printf '1\n1e18\n-1e18\n1e18\n-1e18\n1e18\n-1e18\n8\n' > "$BATS_TEST_TMPDIR/wild.csv"
	run --separate-stderr rnn-train -q --cell elman --hidden 4 --window 3 --epochs 50 \
		--scaling none --optimizer sgd --lr 1e5 --clip-norm 0 \
		--checkpoint "$BATS_TEST_TMPDIR/ck.gz" "$BATS_TEST_TMPDIR/wild.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: training diverged: the loss is finite but the gradient is not in epoch 2 (try a smaller --lr or --clip-norm); the last checkpoint is kept"
	# the checkpoint is epoch 1's, whole: rnn-predict reads it
	zcat "$BATS_TEST_TMPDIR/ck.gz" | head -c 4000 | grep -ax 'epochs: 1'
	rnn-predict -m "$BATS_TEST_TMPDIR/ck.gz" "$BATS_TEST_TMPDIR/wild.csv" > /dev/null
}

@test "windows never cross files: two series train one model" {
	head -n 200 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/a.csv"
	{ head -n 1 "$TESTDATA/series/elnino.csv"; tail -n 100 "$TESTDATA/series/elnino.csv"; } > "$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr rnn-train --cell gru --hidden 4 --window 100 --epochs 1 \
		"$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	# b has 100 rows: too short for a window of 100 plus a horizon of 1
	assert_failure 65
	[[ "$stderr" == *"b.csv: series has 100 rows, too short for --window 100"* ]] || fail "$stderr"
	rnn-train -q --cell gru --hidden 4 --window 99 --epochs 1 \
		"$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv" > /dev/null
}

@test "forecast quality: lstm and gru beat the naive forecasts on El Nino" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a quality check, run in the plain build"
	for cell in lstm gru; do
		run --separate-stderr "$REPO/scripts/forecast-eval.sh" "$TESTDATA/series/elnino.csv" 12 \
			--cell "$cell" --epochs 60
		assert_success
		IFS=, read -r onestep seasonal forecast naive <<<"${lines[1]}"
		echo "$cell: one-step $onestep seasonal-naive $seasonal forecast $forecast naive $naive"
		assert_lt "$onestep" "$seasonal" "$cell one-step RMSE vs seasonal naive"
		assert_lt "$forecast" "$naive" "$cell forecast RMSE vs naive"
	done
}

@test "watching a cron job: a live bar with elapsed time and ETA, cleared before each epoch line" {
	command -v script > /dev/null || skip "script(1) not installed"
	run script -qec "rnn-train --ensemble 1 --cell elman --hidden 4 --window 5 --epochs 2 '$TESTDATA/ramp.csv' > '$BATS_TEST_TMPDIR/m.gz'" /dev/null
	assert_success
	[[ "$output" == *$'\repoch 1/2 ['*'] 100%  0:00 elapsed'*$'\r\e[Kepoch 1/2  train '* ]] || fail "$(printf '%q' "$output")"
	# a longer run shows an ETA while an epoch is under way
	run script -qec "rnn-train --ensemble 1 --cell lstm --hidden 16 --window 12 --epochs 3 '$TESTDATA/series/elnino.csv' > /dev/null" /dev/null
	assert_success
	re=$'\r''epoch 1/3 \[#*\.+\] +[0-9]+%  0:0[0-9] elapsed, ETA [0-9]+:[0-9][0-9]'
	[[ "$output" =~ $re ]] || fail "$(printf '%q' "$output")"
}

@test "fail fast: a terminal on stdout refuses the model before the first epoch" {
	command -v script > /dev/null || skip "script(1) not installed"
	run timeout 20 script -qec "rnn-train --window 5 --epochs 100000000 --val 0 '$TESTDATA/ramp.csv'" /dev/null
	assert_failure
	assert_output --partial "refusing to write compressed data to a terminal"
	refute_output --partial "epoch 1/"
}
