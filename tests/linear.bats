#!/usr/bin/env bats
# rnn-train --linear: a ridge autoregression on the window beside the net
# (arpath.h, rnn-train(1) "The linear path"). The coefficients are checked
# against numpy (scripts/linear_reference.py wrote testdata/linear/), the
# predictions of a model whose net is silenced against awk, and the
# stream, export and errors one by one.

load test_helper
load rnn_helper

LIN="$TESTDATA/linear"

# ws_tensor_f64 STREAM NAME: the f64 tensor NAME as one CSV line, every
# value through od (17 significant digits)
ws_tensor_f64() {
	local off len
	read -r off len < <(tensor_span "$1" "$2")
	[[ -n "$len" ]] || { echo "no tensor $2 in $1" >&2; return 1; }
	ws_data "$1" | tail -c +$((off + 1)) | head -c "$len" |
		od -An -v -tf8 -w"$len" |
		awk '{ for (i = 1; i <= NF; i++) printf "%.17g%s", $i, i < NF ? "," : "\n" }'
}

# tensor_span STREAM NAME: the byte offset of tensor NAME in the data, and
# its length
tensor_span() {
	ws_header "$1" | awk -v name="$2" '
		$1 == "tensor:" {
			split($4, d, "x"); n = d[1] * d[2] * ($3 == "f64" ? 8 : $3 == "f32" ? 4 : 1)
			if ($2 == name) { print off, n; exit }
			off += n
		}'
}

# linear_line: the "linear: " line of the last run's stderr, wherever the
# other choices put it
linear_line() {
	local l
	for l in "${stderr_lines[@]}"; do
		[[ $l == linear:* ]] && { printf '%s' "$l"; return; }
	done
}

# lin_train SERIES OUT [OPTIONS]: the reference's options, one net, 1 epoch
lin_train() {
	local s="$1" o="$2"
	shift 2
	rnn-train --ensemble 1 --epochs 1 --window 4 --scaling none --transform none "$@" -o "$o" "$s"
}

@test "linear: the coefficients are numpy's ridge regression, lambda and the prior (0 or the last value) chosen on the holdout" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr lin_train "$LIN/ar2.csv" m.gz
	assert_success
	assert_equal "$(linear_line)" "linear: an autoregression on the window's 4 values (ridge 0.3 toward the last value: the best on the last 19 training windows, fitted on the first 74)"
	run -0 ws_header m.gz
	assert_line "linear: ar"
	assert_line "tensor: linear.weight f64 1x5"
	ws_tensor_f64 m.gz linear.weight > got.csv
	# the net's inputs are float: about 1e-7 of a value near 10
	assert_csv_close "$LIN/ar2-coef.csv" got.csv 1e-5
	# the reference is not all zeros, so the comparison can fail
	assert_lt 0.4 "$(cut -d, -f4 "$LIN/ar2-coef.csv")" "the lag-1 coefficient"
}

@test "linear: --refit fits it again on every window, validation ones too, with the lambda and prior the holdout chose" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr lin_train "$LIN/ar2.csv" m.gz --refit
	assert_success
	assert_equal "$(linear_line)" "linear: an autoregression on the window's 4 values (ridge 0.3 toward the last value: the best on the last 19 training windows, fitted on the first 74)"
	ws_tensor_f64 m.gz linear.weight > got.csv
	assert_csv_close "$LIN/ar2-refit-coef.csv" got.csv 1e-5
	# not the validation run's: the lag-1 coefficients differ by 0.025
	assert_lt 0.01 "$(awk -F, 'NR == FNR { a = $4; next } { d = $4 - a; print d < 0 ? -d : d }' \
		"$LIN/ar2-coef.csv" got.csv)" "the lag-1 coefficient's change"
}

@test "linear: the last-value prior is the target's own input column; a target that is not an input has 0 only" {
	cd "$BATS_TEST_TMPDIR"
	# b: a random walk a little above a; its last value is a good forecast
	awk 'BEGIN { srand(5); print "a,b"; x = 0
		for (i = 0; i < 200; i++) { x += rand() - 0.45; printf "%.4f,%.4f\n", x, x + rand() } }' > two.csv
	run --separate-stderr lin_train two.csv m.gz --columns b --target b
	assert_success
	assert_regex "$(linear_line)" "^linear: an autoregression on the window's 4 values \(ridge [0-9.e-]+ toward the last value: "
	run --separate-stderr lin_train two.csv n.gz --columns a --target b
	assert_success
	assert_regex "$(linear_line)" "^linear: an autoregression on the window's 4 values \(ridge [0-9.e-]+: "
}

@test "linear: none when the holdout finds none better, and the stream has no key" {
	cd "$BATS_TEST_TMPDIR"
	assert_equal "$(cat "$LIN/noise-coef.csv")" none
	run --separate-stderr lin_train "$LIN/noise.csv" m.gz
	assert_success
	assert_equal "$(linear_line)" "linear: none (no better than none on the last 9 training windows)"
	run -0 ws_header m.gz
	refute_line --regexp "^linear"
}

@test "linear: with the net's output zeroed, --align and --forecast are the autoregression's" {
	cd "$BATS_TEST_TMPDIR"
	lin_train "$LIN/ar2.csv" m.gz 2> /dev/null
	# zero fc.weight and fc.bias (f32, one after the other) in the data
	local h off len
	h=$(ws_header_bytes m.gz)
	read -r off len < <(tensor_span m.gz fc.weight)
	gzip -dc m.gz | head -c -17 > body
	head -c $((len + 4)) /dev/zero | dd of=body bs=1 seek=$((h + off)) conv=notrunc status=none
	ws_seal body > z.raw
	ws_tensor_f64 m.gz linear.weight > coef.csv
	rnn-predict --precision 17 -m z.raw --align "$LIN/ar2.csv" | tail -n +6 | cut -d, -f2 > got.csv
	# by hand: a . (the 4 values before) + b, from row 5 on, and the row
	# after the last
	awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) a[i] = $i; next }
		FNR > 1 { x[++n] = $1 }
		END { for (t = 5; t <= n + 1; t++) {
			s = a[5]; for (j = 1; j <= 4; j++) s += a[j] * x[t - 5 + j]
			printf "%.17g\n", s } }' coef.csv "$LIN/ar2.csv" > want.csv
	assert_csv_close want.csv got.csv 1e-6
	# the forecast feeds each prediction back
	rnn-predict --precision 17 -m z.raw --forecast 3 "$LIN/ar2.csv" > fc.csv
	awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) a[i] = $i; next }
		FNR > 1 { x[++n] = $1 }
		END { print "x"; for (k = 1; k <= 3; k++) {
			s = a[5]; for (j = 1; j <= 4; j++) s += a[j] * x[n - 4 + j]
			x[++n] = s; printf "%.17g\n", s } }' coef.csv "$LIN/ar2.csv" > want-fc.csv
	assert_csv_close want-fc.csv fc.csv 1e-6
	# the trained net's own output is not zero: the model differs
	rnn-predict --precision 17 -m m.gz --forecast 3 "$LIN/ar2.csv" > fc-net.csv
	run cmp -s fc.csv fc-net.csv
	assert_failure
}

@test "linear: auto is ar for one output per target, none for a direct model; none gives none" {
	cd "$BATS_TEST_TMPDIR"
	lin_train "$LIN/ar2.csv" auto.gz --linear auto 2> /dev/null
	run -0 ws_header auto.gz
	assert_line "linear: ar"
	lin_train "$LIN/ar2.csv" none.gz --linear none 2> err
	run -0 ws_header none.gz
	refute_line --regexp "^linear"
	run -0 cat err
	refute_line --regexp "^linear"
	lin_train "$LIN/ar2.csv" direct.gz --horizon 1-3 2> err
	run -0 ws_header direct.gz
	refute_line --regexp "^linear"
}

@test "linear: --export and --import keep it, and the predictions" {
	cd "$BATS_TEST_TMPDIR"
	lin_train "$LIN/ar2.csv" m.gz 2> /dev/null
	rnn-predict -m m.gz --export ex
	run -0 cat ex/config
	assert_line "linear=ar"
	[[ -s ex/linear.weight.csv ]]
	rnn-predict --precision 17 -m m.gz --forecast 5 "$LIN/ar2.csv" > a.csv
	rnn-predict --precision 17 --import ex --forecast 5 "$LIN/ar2.csv" > b.csv
	assert_file_equal a.csv b.csv
	# --init continues with the model's own
	rnn-train -q --init m.gz --epochs 2 -o m2.gz "$LIN/ar2.csv"
	assert_equal "$(ws_tensor_f64 m2.gz linear.weight)" "$(ws_tensor_f64 m.gz linear.weight)"
}

@test "linear: usage errors" {
	cd "$BATS_TEST_TMPDIR"
	usage_fails "rnn-train: unknown linear 'arx' (auto, ar or none)" \
		rnn-train --linear arx "$LIN/ar2.csv"
	usage_fails "rnn-train: --linear=ar goes with --horizon H, not a direct --horizon 1-3" \
		rnn-train --linear ar --horizon 1-3 "$LIN/ar2.csv"
	lin_train "$LIN/ar2.csv" m.gz 2> /dev/null
	usage_fails "rnn-train: --linear comes from the starting model (ar)" \
		rnn-train --init m.gz --linear none "$LIN/ar2.csv"
}

@test "linear: a stream or an export with a bad linear path is refused (65)" {
	cd "$BATS_TEST_TMPDIR"
	lin_train "$LIN/ar2.csv" m.gz 2> /dev/null
	gzip -dc m.gz | head -c -17 > body
	sed 's/^linear: ar$/linear: lasso/' body > b1
	ws_seal b1 > bad1.raw
	fails_with 65 "rnn-predict: bad1.raw: unknown linear 'lasso' (ar)" \
		rnn-predict -m bad1.raw "$LIN/ar2.csv"
	sed 's/^tensor: linear.weight f64 1x5$/tensor: linear.weight f64 1x4/' body > b2
	ws_seal b2 > bad2.raw
	run --separate-stderr rnn-predict -m bad2.raw "$LIN/ar2.csv"
	assert_failure 65
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]%%:*}" "rnn-predict"
	# a NaN coefficient
	local h off len
	h=$(ws_header_bytes m.gz)
	read -r off len < <(tensor_span m.gz linear.weight)
	cp body b3
	printf '\000\000\000\000\000\000\370\177' | dd of=b3 bs=1 seek=$((h + off)) conv=notrunc status=none
	ws_seal b3 > bad3.raw
	run --separate-stderr rnn-predict -m bad3.raw "$LIN/ar2.csv"
	assert_failure 65
	assert_equal "${#stderr_lines[@]}" 1
	# an export's coefficients of the wrong shape, or not finite
	rnn-predict -m m.gz --export ex
	echo 1,2,3 > ex/linear.weight.csv
	fails_with 65 "rnn-predict: ex/linear.weight.csv: tensor linear.weight is 1x3, the config needs 1x5" \
		rnn-predict --import ex "$LIN/ar2.csv"
	echo 1,2,nan,4,5 > ex/linear.weight.csv
	run --separate-stderr rnn-predict --import ex "$LIN/ar2.csv"
	assert_failure 65
	sed -i 's/^linear=ar$/linear=lasso/' ex/config
	fails_with 65 "rnn-predict: ex/config: unknown linear 'lasso' (ar)" \
		rnn-predict --import ex "$LIN/ar2.csv"
}
