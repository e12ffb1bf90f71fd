#!/usr/bin/env bats
# rnn-train --mode seq (issue 10, "Many-to-many (stateful) training"): each
# series one sequence, the state carried from chunk to chunk of --bptt
# rows, a loss at every row; the model records mode seq; the same model
# for any --threads and after a resume; window-only options are usage
# errors.

load test_helper

setup_file() {
	local d="$BATS_FILE_TMPDIR"
	head -n 201 "$TESTDATA/series/elnino.csv" > "$d/e.csv"
	rnn-train -q --mode seq --hidden 6 --epochs 3 --bptt 8 --batch 20 \
		--seed 3 -o "$d/seq.gz" "$d/e.csv"
}

@test "--mode seq trains and records mode seq, no window, its bptt" {
	run ws_header "$BATS_FILE_TMPDIR/seq.gz"
	assert_line "mode: seq"
	assert_line "bptt: 8"
	assert_line "horizon: 1"
	refute_line --partial "window:"
	refute_line --partial "linear"
	refute_line --partial "interval"
}

@test "--mode seq: the same model for --threads 1, 2 and 3" {
	local d="$BATS_FILE_TMPDIR" t
	for t in 2 3; do
		rnn-train -q --mode seq --hidden 6 --epochs 3 --bptt 8 \
			--batch 20 --seed 3 --threads $t -o "$d/t$t.gz" "$d/e.csv"
		cmp "$d/seq.gz" "$d/t$t.gz"
	done
}

@test "--mode seq: stopped after epoch 2 and resumed = one run" {
	local d="$BATS_FILE_TMPDIR"
	rnn-train -q --mode seq --hidden 6 --epochs 2 --bptt 8 --batch 20 \
		--seed 3 --checkpoint "$d/ck.gz" -o /dev/null "$d/e.csv"
	run ws_header "$d/ck.gz"
	assert_line "mode: seq"
	rnn-train -q --init "$d/ck.gz" --epochs 3 -o "$d/res.gz" "$d/e.csv"
	cmp "$d/seq.gz" "$d/res.gz"
}

@test "--mode seq: the loss goes down, training and validation" {
	local d="$BATS_FILE_TMPDIR"
	rnn-train -q --mode seq --hidden 8 --epochs 15 --bptt 10 --batch 8 \
		--lr 0.01 --log "$d/log.csv" -o /dev/null "$d/e.csv"
	run awk -F, 'NR == 2 { t1 = $2; v1 = $3 } END { print (($2 < t1 / 2 && $3 < v1 / 2) ? "down" : "not: " t1 " " $2 " " v1 " " $3) }' "$d/log.csv"
	assert_output "down"
}

@test "--mode seq: window-only options are usage errors" {
	local e="$BATS_FILE_TMPDIR/e.csv"
	fails_with 64 "rnn-train: --window is for --mode window: --bptt K sets the rows of a chunk
Try 'rnn-train --help' for more information." rnn-train --mode seq --window 5 "$e"
	run --separate-stderr rnn-train --mode seq --transform diff "$e"
	assert_failure 64
	[[ "$stderr" == *"--transform=diff is for --mode window"* ]]
	for o in "--normalize window" "--linear ar" "--horizon 1-3" "--ensemble 3" "--refit" "--period 12"; do
		run --separate-stderr rnn-train --mode seq $o "$e"
		assert_failure 64
		[[ "$stderr" == *"is for --mode window"* ]]
	done
	run --separate-stderr rnn-train --mode nope "$e"
	assert_failure 64
	[[ "$stderr" == *"unknown mode 'nope' (window or seq)"* ]]
}

@test "--init: the mode is the starting model's" {
	local d="$BATS_FILE_TMPDIR"
	rnn-train -q --window 4 --ensemble 1 --epochs 1 -o "$d/w.gz" "$d/e.csv"
	run --separate-stderr rnn-train --mode seq --init "$d/w.gz" "$d/e.csv"
	assert_failure 64
	[[ "$stderr" == *"--mode comes from the starting model (window)"* ]]
	run --separate-stderr rnn-train --mode window --init "$d/seq.gz" "$d/e.csv"
	assert_failure 64
	[[ "$stderr" == *"--mode comes from the starting model (seq)"* ]]
}
