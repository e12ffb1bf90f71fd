#!/usr/bin/env bats
# rnn-train --mode seq (issue 10, "Many-to-many (stateful) training"): each
# series one sequence, the state carried from chunk to chunk of --bptt
# rows, a loss at every row; the model records mode seq; the same model
# for any --threads and after a resume; window-only options are usage
# errors.

load test_helper
load rnn_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

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

# seq_torch CASE: the PyTorch tensors of testdata/torch/CASE run as a
# sequence model (config mode=seq in place of window=W) print what
# PyTorch's many-to-many run over the whole series gives
# (scripts/torch_seq_reference.py wrote expected-seq.csv)
seq_torch() {
	local d="$BATS_TEST_TMPDIR/$1"
	cp -r "$TESTDATA/torch/$1" "$d"
	sed -i 's/^window=.*/mode=seq/' "$d/config"
	run --separate-stderr rnn-predict --import "$d" "$d/series.csv"
	assert_success
	echo "$output" > "$d/pred.csv"
	assert_csv_close "$d/expected-seq.csv" "$d/pred.csv" 1e-5
	# --stream prints the same, and so does a model written by --export
	run --separate-stderr rnn-predict --import "$d" --stream "$d/series.csv"
	assert_success
	assert_equal "$output" "$(cat "$d/pred.csv")"
}

@test "rnn-predict: sequence models predict what PyTorch's carried-state run does" {

	seq_torch rnn
	seq_torch rnn2-relu
	seq_torch lstm2
	seq_torch gru2
}

@test "rnn-predict: a prediction from every row; --forecast goes on from the last" {
	local d="$BATS_FILE_TMPDIR"
	run --separate-stderr rnn-predict -m "$d/seq.gz" "$d/e.csv"
	assert_success
	assert_equal "${#lines[@]}" 201
	assert_line --index 0 "sst"
	local last="${lines[200]}"
	run --separate-stderr rnn-predict -m "$d/seq.gz" --forecast 3 "$d/e.csv"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --index 1 "$last"
	# an export and import give the same model
	rnn-predict -m "$d/seq.gz" --export "$BATS_TEST_TMPDIR/x"
	run grep -c '^mode=seq$' "$BATS_TEST_TMPDIR/x/config"
	assert_output 1
	run --separate-stderr rnn-predict --import "$BATS_TEST_TMPDIR/x" "$d/e.csv"
	assert_equal "${#lines[@]}" 201
	assert_line --index 200 "$last"
}

@test "rnn-predict: --align, --score and --interval are for window models" {
	local d="$BATS_FILE_TMPDIR" o
	for o in --align --score "--interval 80"; do
		run --separate-stderr rnn-predict -m "$d/seq.gz" $o "$d/e.csv"
		assert_failure 64
		[[ "$stderr" == *"is for window models: this is a sequence model"* ]]
	done
}

@test "a model or config of mode seq with a window, or an unknown mode, is refused" {
	local d="$BATS_TEST_TMPDIR"
	{ ws_header "$BATS_FILE_TMPDIR/seq.gz" | sed 's/^mode: seq$/mode: seq\nwindow: 3/'; ws_data "$BATS_FILE_TMPDIR/seq.gz"; } > body
	ws_seal body > "$d/w.gz"
	run --separate-stderr rnn-predict -m "$d/w.gz" "$BATS_FILE_TMPDIR/e.csv"
	assert_failure 65
	[[ "$stderr" == *"a model of mode seq has no window"* ]]
	{ ws_header "$BATS_FILE_TMPDIR/seq.gz" | sed 's/^mode: seq$/mode: tree/'; ws_data "$BATS_FILE_TMPDIR/seq.gz"; } > body
	ws_seal body > "$d/u.gz"
	run --separate-stderr rnn-predict -m "$d/u.gz" "$BATS_FILE_TMPDIR/e.csv"
	assert_failure 65
	[[ "$stderr" == *"unknown mode 'tree' (window or seq)"* ]]
	cp -r "$TESTDATA/torch/lstm" "$d/l"
	echo mode=seq >> "$d/l/config"
	run --separate-stderr rnn-predict --import "$d/l" "$d/l/series.csv"
	assert_failure 65
	[[ "$stderr" == *"config: a model of mode seq has no window"* ]]
	sed -i 's/^window=.*/mode=seq/' "$d/l/config"
	run --separate-stderr rnn-train --import "$d/l" "$d/l/series.csv"
	assert_failure 64
	[[ "$stderr" == *"holds a sequence model (mode=seq)"* ]]
}

@test "rnn-predict: a sequence model's bad row ends the run after the predictions before it" {
	local d="$BATS_FILE_TMPDIR"
	{ head -n 31 "$d/e.csv"; echo oops; tail -n 3 "$d/e.csv"; } > bad.csv
	run --separate-stderr rnn-predict -m "$d/seq.gz" bad.csv
	assert_failure 65
	assert_equal "${#lines[@]}" 31
	assert_equal "$stderr" "rnn-predict: bad.csv:32:1: not a number (found 'oops')"
	rnn-predict -m "$d/seq.gz" "$d/e.csv" | head -n 31 > want.csv
	assert_equal "$output" "$(cat want.csv)"
}

@test "--mode seq: dropout between 2 layers, the same model for --threads 1 and 2" {
	local d="$BATS_FILE_TMPDIR"
	rnn-train -q --mode seq --hidden 5 --layers 2 --dropout 0.3 --epochs 2 \
		--bptt 6 --batch 20 --threads 1 -o t1.gz "$d/e.csv"
	rnn-train -q --mode seq --hidden 5 --layers 2 --dropout 0.3 --epochs 2 \
		--bptt 6 --batch 20 --threads 2 -o t2.gz "$d/e.csv"
	cmp t1.gz t2.gz
	rnn-train -q --mode seq --hidden 5 --layers 2 --epochs 2 \
		--bptt 6 --batch 20 -o t0.gz "$d/e.csv"
	run ! cmp -s t0.gz t1.gz
}

@test "--mode seq: --val auto says steps" {
	run --separate-stderr rnn-train --mode seq --epochs 1 -o /dev/null "$BATS_FILE_TMPDIR/e.csv"
	assert_success
	[[ "$stderr" == *"validation: the last 20% of each series' steps"* ]]
	head -n 15 "$BATS_FILE_TMPDIR/e.csv" > short.csv
	run --separate-stderr rnn-train --mode seq --epochs 1 -o /dev/null short.csv
	assert_success
	[[ "$stderr" == *"validation: none (13 steps; a validation part needs 20)"* ]]
}

@test "--mode seq: a series too short for one step is bad data" {
	printf 'x\n1\n2\n' > short.csv
	fails_with 65 "rnn-train: short.csv: series has 2 rows, too short for a step with --horizon 2 (needs 3)" \
		rnn-train --mode seq --horizon 2 short.csv
}

@test "--mode seq learns to recall the input of 2 rows before, and rnn-predict carries the state to do it" {
	# y at row r is x at row r - 3: predicting y one row ahead needs x
	# two rows back, which a step sees only through the carried state
	awk 'BEGIN { srand(5); print "x,y"; for (i = 0; i < 1200; i++) {
		x[i] = rand() < 0.5 ? -1 : 1; print x[i] "," (i >= 3 ? x[i - 3] : 0) } }' > delay.csv
	rnn-train -q --mode seq --columns x --target y --hidden 12 --bptt 10 \
		--batch 16 --lr 0.01 --epochs 30 --patience 0 --log log.csv -o d.gz delay.csv
	run awk -F, 'END { print ($3 < 0.05 ? "learnt" : "not: val " $3) }' log.csv
	assert_output "learnt"
	# prediction k (from row k) is y of row k + 1: right to 0.25 on every
	# row after the first few
	rnn-predict -m d.gz delay.csv | tail -n +2 > pred.csv
	run awk -F, 'NR == FNR { if (FNR > 1) y[FNR - 1] = $2; next }
		FNR > 5 && FNR < 1200 { d = $1 - y[FNR + 1]; if (d < 0) d = -d; if (d > 0.25) bad++ }
		END { print bad ? bad " rows off" : "all right" }' delay.csv pred.csv
	assert_output "all right"
}

@test "--mode seq --loss ce: a classifier learns the label of each row from one-hot targets at every step" {
	# label = the sign of the row's x; trained on one-hot rows of its
	# class (series_gather_seq) it labels 299 of 300 rows right; the
	# label's index written where the one-hot row belongs (the targets
	# partly unset) gave 157 to 210
	awk 'BEGIN { s = 3; print "x,label"; for (i = 0; i < 300; i++) {
		s = (s * 16807) % 2147483647; v = s / 2147483647 - 0.5
		printf "%.4f,%s\n", v, (v > 0 ? "up" : "down") } }' > sg.csv
	rnn-train -q --mode seq --loss ce --target label --horizon 0 --hidden 8 --epochs 30 --lr 0.02 \
		--batch 8 --bptt 10 --seed 1 -o sg.gz sg.csv
	rnn-predict -m sg.gz sg.csv > p.csv
	run -0 awk -F, 'NR == FNR { if (FNR > 1) want[FNR] = $2; next }
		FNR > 1 && $1 == want[FNR] { n++ } END { print n }' sg.csv p.csv
	(( output >= 290 ))
}

@test "--mode seq --loss ce: the log and the end say the validation accuracy, that of rnn-predict on those rows" {
	# the last 20% of the 300 steps (60 rows) validate; label = the sign
	# of the row's x, learnt to 100% or near: the accuracy rnn-predict
	# gets on those rows (the state carried from row 1, not from a zero
	# state K rows before) is within a row or two of the log's
	awk 'BEGIN { s = 3; print "x,label"; for (i = 0; i < 300; i++) {
		s = (s * 16807) % 2147483647; v = s / 2147483647 - 0.5
		printf "%.4f,%s\n", v, (v > 0 ? "up" : "down") } }' > sg.csv
	run --separate-stderr rnn-train --mode seq --loss ce --target label --horizon 0 --hidden 8 \
		--epochs 30 --lr 0.02 --batch 8 --bptt 10 --seed 1 --log log.csv -o sg.gz sg.csv
	assert_success
	[[ "$stderr" =~ validation\ accuracy\ of\ epoch\ ([0-9]+):\ ([0-9.]+)% ]] || fail "$stderr"
	local e=${BASH_REMATCH[1]} pct=${BASH_REMATCH[2]}
	run awk -F, -v e="$e" -v p="$pct" 'NR == 1 { ok = $6 == "val_accuracy" }
		$1 == e { d = $6 * 100 - p; ok = ok && d < 0.01 && d > -0.01 }
		NR == 2 { first = $6 } END { exit !(ok && first != "" && first < $6 + 1) }' log.csv
	assert_success
	rnn-predict -m sg.gz sg.csv > p.csv
	run awk -F, -v p="$pct" 'NR == FNR { if (FNR > 1) want[FNR] = $2; next }
		FNR > 241 { n++; if ($1 == want[FNR]) k++ }
		END { d = 100 * k / n - p; exit !(n == 60 && d <= 3.4 && d >= -3.4 && p >= 90) }' sg.csv p.csv
	assert_success
}
