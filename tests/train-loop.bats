#!/usr/bin/env bats
# rnn-train's training loop (lib/nets/fit.c) as a cron job sees it: Ctrl-C keeps
# the work, outputs are checked before the first epoch, --epochs is the
# total (resumes are exact, early stopping included), the log can be
# followed. Issue 6, points 4, 8, 9 and 10.

load test_helper

# with_sigint CMD...: exec CMD with SIGINT at its default action (a
# background job of a non-interactive shell starts with it ignored), so
# that $! of `with_sigint ... &` is the pid of CMD itself
with_sigint() {
	exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' "$@"
}

# wait_for PATTERN FILE: until a line of FILE matches (at most 60 s)
wait_for() {
	local i
	for i in $(seq 600); do
		grep -q -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$1' in $2" >&2
	return 1
}

# stop_at PID SIGNAL PATTERN FILE: once a line of FILE matches PATTERN,
# send SIGNAL to PID and wait for it; rc is its exit status
stop_at() {
	wait_for "$3" "$4"
	kill -"$2" "$1"
	rc=0
	wait "$1" || rc=$?
}

long_run() {
	with_sigint rnn-train --ensemble 1 --cell lstm --hidden 16 --window 12 --epochs 100000 --val 0 "$@" \
		"$TESTDATA/series/elnino.csv"
}

@test "ctrl-c keeps the work: the first SIGINT writes the model of the last complete epoch to -o, exit 130" {
	long_run -o "$BATS_TEST_TMPDIR/m.gz" 2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! INT '^epoch 2/' "$BATS_TEST_TMPDIR/err"
	assert_equal "$rc" 130
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	assert_line "kind: rnn"
	n=$(sed -n 's/^epochs: //p' <<<"$output")
	[[ $n -ge 2 ]] || fail "epochs: $n"
	run tail -n 1 "$BATS_TEST_TMPDIR/err"
	assert_output "rnn-train: interrupted; model after $n epochs written to '$BATS_TEST_TMPDIR/m.gz'"
	# it is the model of a run of n epochs, byte for byte
	rnn-train --ensemble 1 -q --cell lstm --hidden 16 --window 12 --epochs "$n" --val 0 \
		-o "$BATS_TEST_TMPDIR/straight.gz" "$TESTDATA/series/elnino.csv"
	cmp "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/straight.gz"
	# no temporary file is left beside it
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output --partial ".m.gz."
}

@test "ctrl-c keeps the work: to standard output too, and the checkpoint resumes it" {
	long_run --checkpoint "$BATS_TEST_TMPDIR/ck.gz" --every 100000 \
		> "$BATS_TEST_TMPDIR/out.gz" 2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! INT '^epoch 2/' "$BATS_TEST_TMPDIR/err"
	assert_equal "$rc" 130
	run ws_header "$BATS_TEST_TMPDIR/out.gz"
	n=$(sed -n 's/^epochs: //p' <<<"$output")
	[[ $n -ge 2 ]] || fail "epochs: $n"
	grep -qx "rnn-train: interrupted; model after $n epochs written to standard output and to the checkpoint" \
		"$BATS_TEST_TMPDIR/err"
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "epochs: $n"
	assert_line "optimizer-state: adam"
}

@test "ctrl-c keeps the work: a SIGINT before the first epoch ends writes nothing" {
	# an epoch of 600 minibatches of one long window: the signal comes
	# once training has begun (the log's header), long before it ends
	with_sigint rnn-train --transform none --linear none --val 0 --cell lstm --hidden 128 --window 100 --batch 1 --epochs 5 \
		--log "$BATS_TEST_TMPDIR/log.csv" -o "$BATS_TEST_TMPDIR/m.gz" \
		"$TESTDATA/series/elnino.csv" 2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! INT '^epoch,' "$BATS_TEST_TMPDIR/log.csv"
	assert_equal "$rc" 130
	[[ ! -e "$BATS_TEST_TMPDIR/m.gz" ]] || fail "a model was written"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output "rnn-train: interrupted in epoch 1, before it ended; no model written"
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output --partial ".m.gz."
}

@test "ctrl-c keeps the work: a second SIGINT aborts at once" {
	# the model (260 KB) goes to a pipe nobody reads: after the first
	# SIGINT the tool blocks writing it, and only the second one can end it
	mkfifo "$BATS_TEST_TMPDIR/pipe"
	exec 8<> "$BATS_TEST_TMPDIR/pipe"
	with_sigint rnn-train --ensemble 1 --cell elman --hidden 256 --window 3 --epochs 100000 --val 0 \
		"$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/pipe" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	wait_for '^epoch 1/' "$BATS_TEST_TMPDIR/err"
	kill -INT $pid
	sleep 1
	kill -0 $pid || fail "the first SIGINT ended it before the model was written"
	kill -INT $pid
	rc=0
	timeout 10 tail --pid=$pid -f /dev/null || fail "still running after the second SIGINT"
	wait $pid || rc=$?
	exec 8<&-
	assert_equal "$rc" 130
	run grep -c "written" "$BATS_TEST_TMPDIR/err"
	assert_output 0
}

@test "ctrl-c keeps the work: SIGTERM keeps the checkpoint and leaves -o alone" {
	echo "yesterday's model" > "$BATS_TEST_TMPDIR/m.gz"
	long_run --checkpoint "$BATS_TEST_TMPDIR/ck.gz" -o "$BATS_TEST_TMPDIR/m.gz" \
		2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! TERM '^epoch 2/' "$BATS_TEST_TMPDIR/err"
	assert_equal "$rc" 143
	run cat "$BATS_TEST_TMPDIR/m.gz"
	assert_output "yesterday's model"
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "kind: rnn"
}

@test "fail fast: a missing directory for -o, --log or --checkpoint fails before the first epoch" {
	for opt in -o --log --checkpoint; do
		run --separate-stderr timeout 20 rnn-train --window 5 --epochs 100000000 --val 0 \
			$opt "$BATS_TEST_TMPDIR/no/such/dir/f" "$TESTDATA/ramp.csv"
		assert_failure 73
		assert_output ""
		[[ "$stderr" == "rnn-train: cannot create '$BATS_TEST_TMPDIR/no/such/dir/f': No such file or directory" ]] ||
			fail "$opt: $stderr"
	done
}

@test "fail fast: an unwritable directory fails before the first epoch" {
	[[ $EUID -ne 0 ]] || skip "root writes anywhere"
	mkdir "$BATS_TEST_TMPDIR/ro"
	chmod 555 "$BATS_TEST_TMPDIR/ro"
	run --separate-stderr timeout 20 rnn-train --window 5 --epochs 100000000 --val 0 \
		--checkpoint "$BATS_TEST_TMPDIR/ro/ck.gz" "$TESTDATA/ramp.csv"
	assert_failure 73
	[[ "$stderr" == *"Permission denied" ]] || fail "$stderr"
}

@test "--epochs is the total: 30 epochs resumed from a checkpoint of 3 give the model of one run" {
	args=(--cell gru --hidden 4 --window 6 --batch 64 --seed 7 --val 0)
	rnn-train --ensemble 1 -q "${args[@]}" --epochs 30 -o "$BATS_TEST_TMPDIR/one.gz" "$TESTDATA/series/elnino.csv"
	rnn-train --ensemble 1 -q "${args[@]}" --epochs 3 --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		"$TESTDATA/series/elnino.csv" > /dev/null
	# the seed and the rest come from the checkpoint
	rnn-train --ensemble 1 -q --init "$BATS_TEST_TMPDIR/ck.gz" --epochs 30 -o "$BATS_TEST_TMPDIR/two.gz" \
		"$TESTDATA/series/elnino.csv"
	cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
	run ws_header "$BATS_TEST_TMPDIR/two.gz"
	assert_line "epochs: 30"
	# +N: N more
	rnn-train --ensemble 1 -q --init "$BATS_TEST_TMPDIR/ck.gz" --epochs +4 -o "$BATS_TEST_TMPDIR/plus.gz" \
		"$TESTDATA/series/elnino.csv"
	run ws_header "$BATS_TEST_TMPDIR/plus.gz"
	assert_line "epochs: 7"
	# a model that has its epochs already: nothing to train, said once
	run --separate-stderr rnn-train --ensemble 1 --init "$BATS_TEST_TMPDIR/two.gz" --epochs 30 \
		-o "$BATS_TEST_TMPDIR/same.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	assert_equal "$stderr" "rnn-train: '$BATS_TEST_TMPDIR/two.gz' has 30 epochs already; nothing to train (--epochs is the total; --epochs +N trains N more)"
	run ws_header "$BATS_TEST_TMPDIR/same.gz"
	assert_line "epochs: 30"
}

@test "--forecast-blend auto through a checkpoint: the season is kept, the resume is the one run" {
	# a steady season on a steady level: auto takes no difference, and the
	# blend's season (12, from the autocorrelation) is not the
	# transform's; a checkpoint keeps it before any blend is chosen
	awk 'BEGIN { print "x"; for (t = 0; t < 200; t++) printf "%.6g\n", 10 * sin(2 * 3.14159265 * t / 12) + 0.01 * ((t * 7919) % 13) }' > "$BATS_TEST_TMPDIR/st.csv"
	args=(--cell gru --hidden 4 --batch 64 --seed 7 --patience 0 --forecast-blend auto)
	rnn-train --ensemble 1 -q "${args[@]}" --epochs 6 -o "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/st.csv"
	rnn-train --ensemble 1 -q "${args[@]}" --epochs 2 --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		"$BATS_TEST_TMPDIR/st.csv" > /dev/null
	run -0 ws_header "$BATS_TEST_TMPDIR/ck.gz"
	refute_line --partial "transform:"
	assert_line "forecast-period: 12"
	refute_line --partial "forecast-blend:"
	rnn-train --ensemble 1 -q --init "$BATS_TEST_TMPDIR/ck.gz" --forecast-blend auto --epochs 6 \
		-o "$BATS_TEST_TMPDIR/two.gz" "$BATS_TEST_TMPDIR/st.csv"
	run -0 ws_header "$BATS_TEST_TMPDIR/one.gz"
	assert_line "forecast-period: 12"
	assert_line --regexp "^forecast-blend: "
	cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
}

@test "--epochs is the total: the patience count and the best weights are kept in the checkpoint" {
	# lr 0.05 on El Nino: the validation loss stops improving early and
	# training stops at some epoch well before 200
	args=(--cell elman --hidden 16 --window 12 --val 0.2 --patience 4 --lr 0.05)
	run --separate-stderr rnn-train --ensemble 1 "${args[@]}" --epochs 200 -o "$BATS_TEST_TMPDIR/one.gz" \
		"$TESTDATA/series/elnino.csv"
	assert_success
	[[ "$stderr" =~ keeping\ epoch\ ([0-9]+) ]] || fail "$stderr"
	best=${BASH_REMATCH[1]}
	last=$(grep -c '^epoch' <<<"$stderr")
	[[ $last -lt 200 && $last -eq $((best + 4)) ]] || fail "best $best, last $last"
	# stop one epoch after the best, when the count stands at 1 of 4
	stop=$((best + 1))
	rnn-train --ensemble 1 -q "${args[@]}" --epochs "$stop" --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		-o /dev/null "$TESTDATA/series/elnino.csv"
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	assert_line "fit-best-epoch: $best"
	assert_line "fit-since-best: 1"
	assert_line --regexp '^tensor: fit.best f32 [0-9]+x1$'
	run --separate-stderr rnn-train --ensemble 1 --init "$BATS_TEST_TMPDIR/ck.gz" \
		--epochs 200 -o "$BATS_TEST_TMPDIR/two.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	# the resumed run stops at the same epoch, keeping the same one
	assert_equal "$(grep -c '^epoch' <<<"$stderr")" $((last - stop))
	cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
	# the final model keeps none of the fit state
	run ws_header "$BATS_TEST_TMPDIR/two.gz"
	refute_line --partial "fit-"
	assert_line "best-epoch: $best"
}

@test "watching a cron job: --log is written and flushed every epoch" {
	long_run -q --log "$BATS_TEST_TMPDIR/log.csv" > /dev/null &
	pid=$!
	# three epochs logged while training goes on
	wait_for '^3,' "$BATS_TEST_TMPDIR/log.csv"
	kill -0 $pid || fail "training ended"
	kill -TERM $pid
	wait $pid || true
	run cat "$BATS_TEST_TMPDIR/log.csv"
	assert_line --index 0 "epoch,train_loss,val_loss,grad_norm,seconds"
	assert_line --index 3 --regexp '^3,[0-9.e-]+,,[0-9.e-]+,[0-9.]+$'
}

@test "watching a cron job: with --val the last stderr line says which epoch's weights were kept" {
	run --separate-stderr rnn-train --ensemble 1 --cell elman --hidden 4 --window 5 --epochs 6 --val 0.3 \
		"$TESTDATA/ramp.csv"
	assert_success
	last=$(tail -n 1 <<<"$stderr")
	[[ "$last" =~ ^keeping\ epoch\ ([1-6])\ of\ 6:\ the\ best\ validation\ loss\ \(([0-9.e-]+)\)$ ]] ||
		fail "$last"
	best=${BASH_REMATCH[1]}
	# the epoch named is the one with the lowest val loss in the epoch lines
	want=$(grep '^epoch' <<<"$stderr" | awk '{ v = $6 + 0; if (!n++ || v < min) { min = v; e = NR } } END { print e }')
	assert_equal "$best" "$want"
	# -q: silent
	run --separate-stderr rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 5 --epochs 2 --val 0.3 \
		"$TESTDATA/ramp.csv"
	assert_success
	assert_equal "$stderr" ""
}

@test "--threads=0 (all CPUs) trains the model of --threads 1" {
	rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 5 --epochs 1 --threads 0 \
		-o "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/ramp.csv"
	rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 5 --epochs 1 --threads 1 \
		-o "$BATS_TEST_TMPDIR/m1.gz" "$TESTDATA/ramp.csv"
	cmp "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/m1.gz"
	run -0 ws_header "$BATS_TEST_TMPDIR/m.gz"
	refute_line --regexp '^threads:'
}

@test "ctrl-c keeps the work: -q still reports the interruption" {
	long_run -q -o "$BATS_TEST_TMPDIR/m.gz" --log "$BATS_TEST_TMPDIR/log.csv" \
		2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! INT '^2,' "$BATS_TEST_TMPDIR/log.csv"
	assert_equal "$rc" 130
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp "^rnn-train: interrupted; model after [0-9]+ epochs written to '$BATS_TEST_TMPDIR/m.gz'$"
}

@test "--lr-decay: the rate a plateau reached is in the checkpoint, and the resumed run is one run" {
	# lr 0.05 on El Nino: the validation loss stops improving early, so
	# the rate halves several times in 12 epochs
	args=(--cell elman --hidden 16 --window 12 --val 0.2 --patience 0 --lr 0.05 --ensemble 1)
	rnn-train -q "${args[@]}" --epochs 12 -o "$BATS_TEST_TMPDIR/plain.gz" "$TESTDATA/series/elnino.csv"
	rnn-train -q "${args[@]}" --lr-decay 0.5 --epochs 12 -o "$BATS_TEST_TMPDIR/one.gz" \
		"$TESTDATA/series/elnino.csv"
	# the decay changes the run
	run ! cmp -s "$BATS_TEST_TMPDIR/plain.gz" "$BATS_TEST_TMPDIR/one.gz"
	run ws_header "$BATS_TEST_TMPDIR/one.gz"
	assert_line "lr-decay: 0.5"
	rnn-train -q "${args[@]}" --lr-decay 0.5 --epochs 8 --checkpoint "$BATS_TEST_TMPDIR/ck.gz" \
		-o /dev/null "$TESTDATA/series/elnino.csv"
	# the rate after 8 epochs: 0.05 halved once per epoch not the best
	run ws_header "$BATS_TEST_TMPDIR/ck.gz"
	[[ "$output" =~ fit-lr:\ ([0-9.e-]+) ]] || fail "no fit-lr: $output"
	run awk -v r="${BASH_REMATCH[1]}" 'BEGIN { exit !(r < 0.05 && r > 0) }'
	assert_success
	rnn-train -q --init "$BATS_TEST_TMPDIR/ck.gz" --epochs 12 -o "$BATS_TEST_TMPDIR/two.gz" \
		"$TESTDATA/series/elnino.csv"
	cmp "$BATS_TEST_TMPDIR/one.gz" "$BATS_TEST_TMPDIR/two.gz"
	run ws_header "$BATS_TEST_TMPDIR/two.gz"
	refute_line --partial "fit-"
}

@test "--max-time: a window model stops after the minibatch past it, the cut epoch kept and logged" {
	local t0=$SECONDS
	run --separate-stderr rnn-train --hidden 8 --window 12 --epochs 100000 --max-time 0.5 --patience 0 \
		--log "$BATS_TEST_TMPDIR/log.csv" -o "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	(( SECONDS - t0 < 20 )) || fail "ran $((SECONDS - t0)) s"
	[[ "$stderr" =~ --max-time\ 0.5:\ stopped\ in\ epoch\ ([0-9]+)\ after ]] || fail "$stderr"
	n=${BASH_REMATCH[1]}
	[[ "$stderr" == *"epoch $n/100000 (cut by --max-time)"* ]] || fail "$stderr"
	# one net (--max-time makes --ensemble 1 the default), n epochs, the
	# log's last row the cut one
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	assert_line "epochs: $n"
	refute_line --partial "members"
	run awk -F, -v n="$n" 'END { exit !($1 == n && NR == n + 1) }' "$BATS_TEST_TMPDIR/log.csv"
	assert_success
}

@test "--lr-decay needs validation windows: --val auto that finds none is a usage error" {
	seq 1 15 | sed '1i x' > "$BATS_TEST_TMPDIR/short.csv"
	run --separate-stderr rnn-train -q --lr-decay 0.5 --window 3 -o "$BATS_TEST_TMPDIR/m.gz" \
		"$BATS_TEST_TMPDIR/short.csv"
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --lr-decay needs validation windows: none (12 windows; a validation part needs 20)"
	[ ! -e "$BATS_TEST_TMPDIR/m.gz" ]
}

@test "ctrl-c keeps the work with --text too: the model of the last complete epoch, that of a run of as many" {
	gzip -dc "$TESTDATA/text/kjv-gospels-acts.txt.gz" | head -c 40000 > "$BATS_TEST_TMPDIR/t.txt"
	with_sigint rnn-train --text --hidden 16 --epochs 100000 -o "$BATS_TEST_TMPDIR/m.gz" \
		"$BATS_TEST_TMPDIR/t.txt" 2> "$BATS_TEST_TMPDIR/err" &
	stop_at $! INT '^epoch 2/' "$BATS_TEST_TMPDIR/err"
	assert_equal "$rc" 130
	run ws_header "$BATS_TEST_TMPDIR/m.gz"
	n=$(sed -n 's/^epochs: //p' <<<"$output")
	[[ $n -ge 2 ]] || fail "epochs: $n"
	run tail -n 1 "$BATS_TEST_TMPDIR/err"
	assert_output "rnn-train: interrupted; model after $n epochs written to '$BATS_TEST_TMPDIR/m.gz'"
	rnn-train -q --text --hidden 16 --epochs "$n" -o "$BATS_TEST_TMPDIR/straight.gz" \
		"$BATS_TEST_TMPDIR/t.txt"
	cmp "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/straight.gz"
}
