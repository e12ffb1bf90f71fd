#!/usr/bin/env bats
# rnn-predict: predictions, forecasts, streaming, PyTorch equivalence.

load test_helper
load rnn_helper

torch_case() {
	local d="$TESTDATA/torch/$1"
	run --separate-stderr rnn-predict --import "$d" "$d/series.csv"
	assert_success
	echo "$output" > "$BATS_TEST_TMPDIR/pred.csv"
	assert_csv_close "$d/expected.csv" "$BATS_TEST_TMPDIR/pred.csv" 1e-5
}

@test "an imported PyTorch RNN predicts what PyTorch predicts" { torch_case rnn; }
@test "an imported 2-layer relu RNN predicts what PyTorch predicts" { torch_case rnn2-relu; }
@test "an imported PyTorch LSTM predicts what PyTorch predicts" { torch_case lstm; }
@test "an imported 2-layer LSTM predicts what PyTorch predicts" { torch_case lstm2; }
@test "an imported PyTorch GRU predicts what PyTorch predicts" { torch_case gru; }
@test "an imported 2-layer GRU predicts what PyTorch predicts" { torch_case gru2; }

@test "imported models predict what PyTorch predicts on every kernel level" {
	for cpu in baseline avx2; do
		for c in lstm2 gru rnn2-relu; do
			d="$TESTDATA/torch/$c"
			RNNKIT_CPU=$cpu rnn-predict --import "$d" "$d/series.csv" > "$BATS_TEST_TMPDIR/p.csv"
			assert_csv_close "$d/expected.csv" "$BATS_TEST_TMPDIR/p.csv" 1e-5
		done
	done
}

@test "the equivalence check can fail: a perturbed weight changes predictions" {
	cp -r "$TESTDATA/torch/lstm" "$BATS_TEST_TMPDIR/lstm"
	sed -i '1s/^/0.5+/' "$BATS_TEST_TMPDIR/lstm/fc.bias.csv"
	awk -F'+' 'NR == 1 { print $1 + $2; next } { print }' "$BATS_TEST_TMPDIR/lstm/fc.bias.csv" > "$BATS_TEST_TMPDIR/b"
	mv "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/lstm/fc.bias.csv"
	rnn-predict --import "$BATS_TEST_TMPDIR/lstm" "$BATS_TEST_TMPDIR/lstm/series.csv" > "$BATS_TEST_TMPDIR/p.csv"
	run assert_csv_close "$TESTDATA/torch/lstm/expected.csv" "$BATS_TEST_TMPDIR/p.csv" 1e-5
	assert_failure
}

@test "export and import round-trip a trained model" {
	rnn-train --ensemble 1 -q --cell gru-torch --hidden 6 --layers 2 --window 8 --epochs 2 \
		"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --export "$BATS_TEST_TMPDIR/csv"
	run cat "$BATS_TEST_TMPDIR/csv/config"
	assert_line "cell=gru-torch"
	assert_line "layers=2"
	assert_line "scaling=zscore"
	assert_line "targets=1"
	assert_line "column-1=sst"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/a.csv"
	rnn-predict --import "$BATS_TEST_TMPDIR/csv" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/b.csv"
	assert_csv_close "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv" 0
}

@test "prints one prediction per full window, with the target names" {
	rnn-train -q --cell elman --hidden 4 --window 10 --epochs 1 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	assert_line --index 0 "sst"
	# 732 rows, window 10: 723 windows
	assert_equal "${#lines[@]}" 724
	# model on stdin works the same
	run --separate-stderr rnn-predict "$TESTDATA/series/elnino.csv" < "$BATS_TEST_TMPDIR/m.gz"
	assert_equal "${#lines[@]}" 724
}

@test "--forecast K prints K steps after the series" {
	rnn-train -q --cell lstm --hidden 8 --window 12 --epochs 2 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --forecast 24 "$TESTDATA/series/elnino.csv"
	assert_success
	assert_equal "${#lines[@]}" 25
	assert_line --index 0 "sst"
}

@test "--forecast needs a model whose targets are its inputs" {
	printf 'a,b\n' > "$BATS_TEST_TMPDIR/s.csv"
	for i in $(seq 1 20); do echo "$i,$((i * 3))" >> "$BATS_TEST_TMPDIR/s.csv"; done
	rnn-train -q --hidden 3 --window 3 --epochs 1 --target b "$BATS_TEST_TMPDIR/s.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --forecast 3 "$BATS_TEST_TMPDIR/s.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == *"--forecast feeds predictions back as inputs"* ]] || fail "$stderr"
}

@test "--stream gives the same predictions as a whole-file run" {
	rnn-train -q --cell gru --hidden 6 --window 12 --epochs 2 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/a.csv"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --stream < "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/b.csv"
	cmp "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
}

@test "--stream prints each prediction as soon as its row arrives" {
	rnn-train -q --cell elman --hidden 4 --window 3 --epochs 1 "$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/m.gz"
	mkfifo "$BATS_TEST_TMPDIR/in"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --stream "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 7> "$BATS_TEST_TMPDIR/in"
	printf '1\n2\n3\n4\n' >&7
	# the input is still open: two predictions (windows 1-3, 2-4) must come now
	for i in $(seq 50); do
		[[ $(wc -l < "$BATS_TEST_TMPDIR/out") -ge 3 ]] && break
		sleep 0.1
	done
	run wc -l < "$BATS_TEST_TMPDIR/out"
	exec 7>&-
	wait $pid
	assert_output "3"
}

@test "--stream runs in constant memory" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "ulimit -v does not work under AddressSanitizer"
	(ulimit -v 40000) 2>/dev/null || skip "ulimit -v is not available here"
	rnn-train -q --cell elman --hidden 2 --window 2 --epochs 1 "$TESTDATA/ramp.csv" > "$BATS_TEST_TMPDIR/m.gz"
	# 2 million rows through 40 MB of address space
	run bash -c 'set -o pipefail; awk "BEGIN { for (i = 0; i < 2000000; i++) print i % 7 }" |
		(ulimit -v 40000 && rnn-predict -m "$1" --stream) | wc -l' _ "$BATS_TEST_TMPDIR/m.gz"
	assert_success
	assert_output "2000000"
	# the whole-file mode keeps the series and cannot: the limit is real
	run bash -c 'awk "BEGIN { for (i = 0; i < 2000000; i++) print i % 7 }" |
		(ulimit -v 40000 && rnn-predict -m "$1")' _ "$BATS_TEST_TMPDIR/m.gz"
	assert_failure 70
}

@test "gzip-compressed series and output" {
	rnn-train -q --cell elman --hidden 4 --window 10 --epochs 1 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	gzip -c "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/s.csv.gz"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/a.csv"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" -z "$BATS_TEST_TMPDIR/s.csv.gz" > "$BATS_TEST_TMPDIR/b.csv.gz"
	gzip -dc "$BATS_TEST_TMPDIR/b.csv.gz" | cmp - "$BATS_TEST_TMPDIR/a.csv"
}

@test "--align puts each prediction on the row it predicts" {
	rnn-train -q --cell elman --hidden 6 --window 3 --horizon 2 --epochs 5 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/plain.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --align "$TESTDATA/series/elnino.csv"
	assert_success
	assert_line --index 0 "sst,predicted_sst"
	# 732 input rows, then the 2 predictions past the end
	assert_equal "${#lines[@]}" 735
	# rows 1-4 (window 3 + horizon 2 - 1) have no prediction: 23.860 is row 4,
	# printed as read
	assert_line --index 4 "23.860,"
	assert_line --index 5 --regexp '^23.030,[0-9.]+$'
	# the input column is the input, as read; the prediction column the
	# plain output
	printf '%s\n' "${lines[@]}" | cut -d, -f1 | sed -n '2,733p' | cmp - <(tail -n +2 "$TESTDATA/series/elnino.csv")
	printf '%s\n' "${lines[@]}" | cut -d, -f1 | sed -n '2,733p' |
		paste -d, - <(tail -n +2 "$TESTDATA/series/elnino.csv") |
		awk -F, '$1 != $2 + 0 { print "row " NR ": " $0; bad = 1 } END { exit bad }'
	printf '%s\n' "${lines[@]}" | cut -d, -f2 | sed -n '6,$p' > "$BATS_TEST_TMPDIR/pred.csv"
	tail -n +2 "$BATS_TEST_TMPDIR/plain.csv" | cmp - "$BATS_TEST_TMPDIR/pred.csv"
	assert_line --index 734 --regexp '^,[0-9.]+$'
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --align --forecast 3 "$TESTDATA/series/elnino.csv"
	assert_failure 64
}

@test "--threads: the same predictions, byte for byte, at 1, 2 and 3 threads" {
	# 720 windows: three batches of 256, each split between the threads
	rnn-train -q --ensemble 2 --cell gru-torch --layers 2 --hidden 5 --window 12 --epochs 1 \
		--val 0.2 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
	for t in 1 2 3; do
		rnn-predict --threads $t -m "$BATS_TEST_TMPDIR/m.gz" --interval 80 \
			"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/p$t.csv"
		rnn-predict --threads $t -m "$BATS_TEST_TMPDIR/m.gz" --score \
			"$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/s$t.csv"
	done
	[ "$(wc -l < "$BATS_TEST_TMPDIR/p1.csv")" -gt 700 ]
	cmp "$BATS_TEST_TMPDIR/p1.csv" "$BATS_TEST_TMPDIR/p2.csv"
	cmp "$BATS_TEST_TMPDIR/p1.csv" "$BATS_TEST_TMPDIR/p3.csv"
	cmp "$BATS_TEST_TMPDIR/s1.csv" "$BATS_TEST_TMPDIR/s2.csv"
	cmp "$BATS_TEST_TMPDIR/s1.csv" "$BATS_TEST_TMPDIR/s3.csv"
	# and the default (every CPU)
	rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --interval 80 "$TESTDATA/series/elnino.csv" |
		cmp "$BATS_TEST_TMPDIR/p1.csv" -
}

@test "--threads takes 0 to 256" {
	usage_fails "rnn-predict: --threads must be between 0 and 256 (got -1)" \
		rnn-predict --threads -1 -m x.gz s.csv
	usage_fails "rnn-predict: --threads must be between 0 and 256 (got 257)" \
		rnn-predict --threads 257 -m x.gz s.csv
	usage_fails "rnn-predict: invalid number for --threads: 'two'" \
		rnn-predict --threads two -m x.gz s.csv
}
