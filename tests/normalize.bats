#!/usr/bin/env bats
# rnn-train --normalize=window: the net sees each window of scaled values
# minus its last row and predicts relative to that row (series.h,
# rnnm_window_x); every rnn-predict mode adds it back. Checked against a
# hand-set Elman net computed in awk, and by the property it is for: a
# constant added to the whole series moves every prediction by exactly
# that constant, which a model without it does not do.

load test_helper
load rnn_helper

# elman_dir DIR NORMALIZE: a hand-set Elman net, 1 input, 1 hidden unit,
# window 3, h_t = tanh(1 * x_t + 0.5 h_{t-1}), output 1.5 h_2 + 0.25, the
# net seeing (x - 10) / 2 (scaling zscore, shift 10, scale 2)
elman_dir() {
	mkdir -p "$1"
	printf 'cell=elman\nact=tanh\ninput=1\nhidden=1\nlayers=1\noutput=1\nwindow=3\nhorizon=1\nscaling=zscore\nnormalize=%s\ntargets=1\ncolumn-1=x\n' "$2" > "$1/config"
	echo 1 > "$1/weight_ih_l0.csv"
	echo 0.5 > "$1/weight_hh_l0.csv"
	echo 0 > "$1/bias_ih_l0.csv"
	echo 0 > "$1/bias_hh_l0.csv"
	echo 1.5 > "$1/fc.weight.csv"
	echo 0.25 > "$1/fc.bias.csv"
	echo 10,2 > "$1/scale.csv"
}

# elman_awk NORMALIZE < series: the predictions of elman_dir, computed
# here: the inputs z = (x - 10) / 2, minus the window's last z with
# window; the prediction (b + o) * 2 + 10, b that last z or 0
elman_awk() {
	awk -v norm="$1" '
	function tanh(v) { return (exp(2 * v) - 1) / (exp(2 * v) + 1) }
	NR == 1 { print; next }
	{ z[++n] = ($1 - 10) / 2 }
	END {
		for (j = 3; j <= n; j++) {
			b = norm == "window" ? z[j] : 0
			h = 0
			for (t = j - 2; t <= j; t++)
				h = tanh(z[t] - b + 0.5 * h)
			printf "%.17g\n", (b + 1.5 * h + 0.25) * 2 + 10
		}
	}'
}

@test "normalize: a hand-set Elman net's predictions match a computation in awk" {
	cd "$BATS_TEST_TMPDIR"
	printf 'x\n1\n4\n2\n7\n5\n30\n31\n' > s.csv
	for norm in window none; do
		elman_dir "net-$norm" $norm
		elman_awk $norm < s.csv > "want-$norm.csv"
		rnn-predict --precision 17 --import "net-$norm" s.csv > "got-$norm.csv"
		assert_csv_close "want-$norm.csv" "got-$norm.csv" 1e-6
	done
	# the first window, 1 4 2, by hand: inputs -0.5 1 0; with window the
	# prediction is near the last value, 2 + 2 (1.5 h + 0.25) = 3.4370754...
	assert_equal "$(sed -n 2p want-window.csv | cut -c1-10)" "3.43707540"
	# the two forms differ, so the comparison above can fail
	run cmp -s want-window.csv want-none.csv
	assert_failure
}

# shift_model NORMALIZE: a small net on the first 200 rows of elnino.csv
shift_model() {
	head -201 "$TESTDATA/series/elnino.csv" > s.csv
	awk 'NR == 1 { print; next } { printf "%.3f\n", $1 + 1000 }' s.csv > s1000.csv
	rnn-train -q --ensemble 1 --cell gru --hidden 6 --window 8 --epochs 4 --val 0.2 \
		--transform none --normalize "$1" s.csv > "m-$1.gz"
}

# shifted A B C: every number in B is the one in A plus C, within 1e-9
# relative (headers equal); prints the largest relative difference
shifted() {
	paste -d, "$1" "$2" | awk -F, -v c="$3" '
	NR == 1 { next }
	{
		n = NF / 2
		for (i = 1; i <= n; i++) {
			if ($i == "" && $(i + n) == "") continue
			d = $(i + n) - $i - c; if (d < 0) d = -d
			r = d / ($(i + n) < 0 ? -$(i + n) : $(i + n))
			if (r > max) max = r
		}
	}
	END { printf "%g\n", max; exit !(NR > 1 && max <= 1e-9) }'
}

@test "normalize: a constant added to the series moves every prediction by it, in every mode" {
	cd "$BATS_TEST_TMPDIR"
	shift_model window
	p() { rnn-predict -m m-window.gz --precision 17 "$@"; }
	for mode in "" "--interval 80" "--forecast 6" "--forecast 6 --interval 80,95"; do
		p $mode s.csv > a.csv
		p $mode s1000.csv > b.csv
		run shifted a.csv b.csv 1000
		assert_success
	done
	# --align: the input cells move by 1000 too
	p --align s.csv > a.csv
	p --align s1000.csv > b.csv
	run shifted a.csv b.csv 1000
	assert_success
	p --stream < s.csv > a.csv
	p --stream < s1000.csv > b.csv
	run shifted a.csv b.csv 1000
	assert_success
	# the errors, and those of the last value, do not change
	rnn-predict -m m-window.gz --score s.csv > a.csv
	rnn-predict -m m-window.gz --score s1000.csv > b.csv
	assert_file_equal a.csv b.csv
}

@test "normalize: without it a model does not carry a level shift over" {
	cd "$BATS_TEST_TMPDIR"
	shift_model none
	rnn-predict -m m-none.gz --precision 17 s.csv > a.csv
	rnn-predict -m m-none.gz --precision 17 s1000.csv > b.csv
	run shifted a.csv b.csv 1000
	assert_failure
	assert_lt 0.0001 "$output" "largest relative difference"
}

@test "normalize: the header says window; a model without it is as before" {
	cd "$BATS_TEST_TMPDIR"
	shift_model window
	shift_model none
	ws_header m-window.gz > h
	grep -x 'normalize: window' h
	ws_header m-none.gz > h
	run ! grep '^normalize:' h
	# --normalize none is the model of no option, byte for byte
	rnn-train -q --ensemble 1 --cell gru --hidden 6 --window 8 --epochs 4 --val 0.2 \
		--transform none s.csv > m-default.gz
	cmp m-none.gz m-default.gz
}

@test "normalize: export and import keep it, and the predictions" {
	cd "$BATS_TEST_TMPDIR"
	shift_model window
	rnn-predict -m m-window.gz --export csv
	grep -x 'normalize=window' csv/config
	rnn-predict -m m-window.gz --forecast 4 s.csv > a.csv
	rnn-predict --import csv --forecast 4 s.csv > b.csv
	assert_file_equal a.csv b.csv
}

@test "normalize: a resume keeps it and gives the model of one run" {
	cd "$BATS_TEST_TMPDIR"
	head -201 "$TESTDATA/series/elnino.csv" > s.csv
	t() { rnn-train --ensemble 1 -q --cell gru --hidden 6 --window 8 --transform none "$@"; }
	t --normalize window --epochs 4 s.csv > one.gz
	t --normalize window --epochs 2 --checkpoint ck.gz s.csv > /dev/null
	t --init ck.gz --epochs 4 s.csv > two.gz
	cmp one.gz two.gz
	t --init ck.gz --epochs 4 --normalize window s.csv > three.gz
	cmp one.gz three.gz
	fails_with 64 "rnn-train: --normalize comes from the starting model (window)
Try 'rnn-train --help' for more information." \
		t --init ck.gz --epochs 4 --normalize none s.csv
}

@test "normalize: errors" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,b\n1,2\n3,4\n5,6\n2,3\n4,4\n' > s.csv
	fails_with 64 "rnn-train: unknown normalize 'level' (none or window)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 1 --normalize level s.csv
	fails_with 64 "rnn-train: --normalize=window predicts each target relative to its last input value, so every target must be an input ('b' is not)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 1 --normalize window --columns a --target b s.csv
	# a model stream with an unknown value
	rnn-train --ensemble 1 -q --window 2 --hidden 2 --epochs 1 --transform none \
		--normalize window s.csv > m.gz
	gzip -dc m.gz | head -c -17 | sed 's/^normalize: window$/normalize: level/' > body
	ws_seal body > bad.raw
	fails_with 65 "rnn-predict: bad.raw: unknown normalize 'level' (none or window)" \
		rnn-predict -m bad.raw s.csv
	# an imported config with an unknown value, or a target not an input
	rnn-predict -m m.gz --export csv
	sed -i 's/^normalize=window$/normalize=level/' csv/config
	fails_with 65 "rnn-predict: csv/config: unknown normalize 'level' (none or window)" \
		rnn-predict --import csv s.csv
	# a stream or config saying window for a target that is not an input
	rnn-train --ensemble 1 -q --window 2 --hidden 2 --epochs 1 --transform none \
		--columns a --target b s.csv > t.gz
	gzip -dc t.gz | head -c -17 | sed 's/^scaling: zscore$/&\nnormalize: window/' > body
	ws_seal body > t.raw
	fails_with 65 "rnn-predict: t.raw: normalize window with target 2, which is not an input" \
		rnn-predict -m t.raw s.csv
	rnn-predict -m t.gz --export tcsv
	echo normalize=window >> tcsv/config
	fails_with 65 "rnn-predict: tcsv/config: normalize window with target 2, which is not an input" \
		rnn-predict --import tcsv s.csv
}
