#!/usr/bin/env bats
# rnn-predict --score: RMSE, MAE and MASE of a model beside the last-value
# and seasonal forecasts. Hand-made models (CSV tensors) whose predictions
# are known give numbers checked by hand; a trained model is checked
# against the same scores computed by awk from rnn-predict's predictions.

load test_helper
load rnn_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf 'y\n1\n3\n2\n5\n4\n6\n8\n7\n' > s.csv
}

# const_model DIR VALUE [config lines...]: an Elman net of window 2 with
# every weight 0, so that it predicts VALUE whatever the input (no scaling)
const_model() {
	local d="$1" v="$2" f
	shift 2
	mkdir -p "$d"
	printf 'cell=elman\nact=tanh\ninput=1\nhidden=1\nlayers=1\noutput=1\nwindow=2\n' > "$d/config"
	printf '%s\n' "$@" >> "$d/config"
	for f in weight_ih_l0 weight_hh_l0 bias_ih_l0 bias_hh_l0 fc.weight; do
		echo 0 > "$d/$f.csv"
	done
	echo "$v" > "$d/fc.bias.csv"
}

@test "--score: a constant model beside the naive forecasts, numbers by hand" {
	const_model c 5
	# rows 3..8 (y = 2 5 4 6 8 7): model errors 3 0 1 -1 -3 -2, last value
	# 1 -3 1 -2 -2 1, seasonal (lag 2) -1 -2 -2 -1 -4 -1; the scale is the
	# mean |y[t] - y[t-2]| over t = 3..8 = 11/6
	cat > want <<-'END'
	method,rmse,mae,mase
	model,2,1.66667,0.90909
	last value,1.82574,1.66667,0.90909
	seasonal (2),2.12132,1.83333,1
	END
	run --separate-stderr rnn-predict --import c --score --period 2 s.csv
	assert_success
	echo "$output" > got
	diff -u want got
}

@test "--score without a period: no seasonal row, MASE scaled by the lag-1 error" {
	const_model c 5
	# scale: mean |y[t] - y[t-1]| over t = 2..8 = 12/7; MASE = (10/6)/(12/7)
	cat > want <<-'END'
	method,rmse,mae,mase
	model,2,1.66667,0.97222
	last value,1.82574,1.66667,0.97222
	END
	run --separate-stderr rnn-predict --import c --score s.csv
	assert_success
	echo "$output" > got
	diff -u want got
}

@test "--score with horizon 2: the naive forecasts see only rows up to r-2" {
	const_model c 5 horizon=2
	# rows 4..8 (y = 5 4 6 8 7): model errors 0 1 -1 -3 -2; last value and
	# seasonal (lag 2) are both y[r-2] = 3 2 5 4 6
	cat > want <<-'END'
	method,rmse,mae,mase
	model,1.73205,1.4,0.76364
	last value,2.28035,2,1.09091
	seasonal (2),2.28035,2,1.09091
	END
	run --separate-stderr rnn-predict --import c --score --period 2 s.csv
	assert_success
	echo "$output" > got
	diff -u want got
}

@test "--score: a constant series has an empty MASE (its naive error is 0)" {
	const_model c 5
	printf 'y\n3\n3\n3\n3\n3\n' > flat.csv
	run --separate-stderr rnn-predict --import c --score flat.csv
	assert_success
	assert_output "method,rmse,mae,mase
model,2,2,
last value,0,0,"
}

@test "--score: a model that predicts the last value scores as the last value" {
	# relu(1 * x) with no recurrence: the last row of the window, y > 0
	mkdir id
	printf 'cell=elman\nact=relu\ninput=1\nhidden=1\nlayers=1\noutput=1\nwindow=3\n' > id/config
	echo 1 > id/weight_ih_l0.csv; echo 0 > id/weight_hh_l0.csv
	echo 0 > id/bias_ih_l0.csv; echo 0 > id/bias_hh_l0.csv
	echo 1 > id/fc.weight.csv; echo 0 > id/fc.bias.csv
	run --separate-stderr rnn-predict --import id --score s.csv
	assert_success
	assert_equal "${lines[1]#model,}" "${lines[2]#last value,}"
}

@test "--score: two targets get a target column" {
	mkdir c2
	printf 'cell=elman\nact=tanh\ninput=2\nhidden=1\nlayers=1\noutput=2\nwindow=2\ncolumn-1=a\ncolumn-2=b\n' > c2/config
	printf '0,0\n' > c2/weight_ih_l0.csv
	for f in weight_hh_l0 bias_ih_l0 bias_hh_l0; do echo 0 > c2/$f.csv; done
	printf '0\n0\n' > c2/fc.weight.csv; printf '5\n0\n' > c2/fc.bias.csv
	paste -d, s.csv s.csv | sed '1s/.*/a,b/' > ab.csv
	run --separate-stderr rnn-predict --import c2 --score --period 2 ab.csv
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_line --index 0 "target,method,rmse,mae,mase"
	assert_line --index 1 "a,model,2,1.66667,0.90909"
	assert_line --index 3 "a,seasonal (2),2.12132,1.83333,1"
	assert_line --index 4 "b,model,5.68624,5.33333,2.9091"
	assert_line --index 5 "b,last value,1.82574,1.66667,0.90909"
}

@test "--score of a trained model agrees with awk on rnn-predict's own predictions" {
	rnn-train -q --hidden 8 --window 6 --epochs 3 "$TESTDATA/series/elnino.csv" > m.gz
	rnn-predict -m m.gz "$TESTDATA/series/elnino.csv" > pred.csv
	run --separate-stderr rnn-predict -m m.gz --score "$TESTDATA/series/elnino.csv"
	assert_success
	assert_equal "${#lines[@]}" 3
	echo "$output" > score.csv
	# prediction line j (1-based) is for data row j + 6; the last is past the end
	awk -F, '
	FILENAME == ARGV[1] { if (FNR > 1) y[++n] = $1; next }
	FNR > 1 { p[++np] = $1 }
	END {
		for (r = 7; r <= n; r++) {
			e = p[r - 6] - y[r]; se += e * e; ae += (e < 0 ? -e : e)
			l = y[r - 1] - y[r]; sl += l * l; al += (l < 0 ? -l : l)
		}
		for (t = 2; t <= n; t++) { d = y[t] - y[t - 1]; q += (d < 0 ? -d : d) }
		q /= n - 1; m = n - 6
		printf "method,rmse,mae,mase\nmodel,%.9g,%.9g,%.9g\n", sqrt(se / m), ae / m, ae / m / q
		printf "last value,%.9g,%.9g,%.9g\n", sqrt(sl / m), al / m, al / m / q
	}' "$TESTDATA/series/elnino.csv" pred.csv > want.csv
	assert_csv_close want.csv score.csv 1e-4
}

@test "--score: the period comes from a monthly time column, and --period overrides it" {
	rnn-train -q --hidden 4 --epochs 1 "$TESTDATA/series/monthly.csv" > m.gz
	run --separate-stderr rnn-predict -m m.gz --score "$TESTDATA/series/monthly.csv"
	assert_success
	assert_line --index 0 "method,rmse,mae,mase"
	assert_equal "${#lines[@]}" 4
	assert_line --index 3 --regexp '^seasonal \(12\),'
	run --separate-stderr rnn-predict -m m.gz --score --period 1 "$TESTDATA/series/monthly.csv"
	assert_success
	assert_equal "${#lines[@]}" 3
}

@test "--score: a target that is not an input must be in the series" {
	printf 'a,b\n' > t.csv
	for i in $(seq 1 20); do echo "$i,$((i * 3))" >> t.csv; done
	rnn-train -q --hidden 3 --window 3 --epochs 1 --columns a --target b t.csv > m.gz
	run --separate-stderr rnn-predict -m m.gz --score t.csv
	assert_success
	assert_line --index 1 --regexp '^model,'
	cut -d, -f1 t.csv > a.csv
	run --separate-stderr rnn-predict -m m.gz --score a.csv
	assert_failure 65
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^rnn-predict: a\.csv:1: no column 'b'"
}

@test "--score: a series too short to score fails with 65" {
	const_model c 5
	head -n 3 s.csv > short.csv
	fails_with 65 "rnn-predict: short.csv: series has 2 rows, too few to score: the first row with every forecast is row 3 (window 2, horizon 1, period 2)" \
		rnn-predict --import c --score --period 2 short.csv
}

@test "--score --forecast 2: a constant model from every origin, pooled over the steps, numbers by hand" {
	const_model c 5
	# origins o = 1..5 (a window of 2 before, a period of 2, 2 rows after),
	# rows o+1, o+2: (2,5) (5,4) (4,6) (6,8) (8,7). Model 5: errors
	# 3 0 0 -1 1 -1 -1 -3 -3 -2, sum of squares 35, of |e| 15 over 10.
	# Last value y[o] = 3 2 5 4 6: 1 -2 -3 -2 1 -1 -2 -4 -2 -1: 45, 19.
	# Seasonal y[o+h-2]: -1 -2 -2 -2 -2 -1 -1 -4 -4 -1: 52, 20. Scale 11/6.
	cat > want <<-'END'
	method,rmse,mae,mase
	model,1.87083,1.5,0.81818
	last value,2.12132,1.9,1.03636
	seasonal (2),2.28035,2,1.09091
	END
	run --separate-stderr rnn-predict --import c --score --forecast 2 --period 2 s.csv
	assert_success
	echo "$output" > got
	diff -u want got
}

# pooled_like_forecast MODEL: --score --forecast 3 on e.csv (40 rows, a
# window of 4, no transform, no season) gives the RMSE and MAE of
# --forecast 3 run from every origin o = 3..36 (the series cut after row
# o, 0-based) against rows o+1..o+3, and of the last value y[o]
pooled_like_forecast() {
	local o want got a b c d e f g h pair
	for o in $(seq 3 36); do
		head -n $((o + 2)) e.csv > cut.csv
		rnn-predict -m "$1" --forecast 3 cut.csv | tail -n +2 |
			paste -d, - <(tail -n +$((o + 3)) e.csv | head -n 3) |
			sed "s/$/,$(sed -n "$((o + 2))p" e.csv)/"
	done > f.csv
	assert_equal "$(wc -l < f.csv)" 102
	want=$(awk -F, '{ e = $1 - $2; m2 += e * e; m1 += e < 0 ? -e : e
		l = $3 - $2; l2 += l * l; l1 += l < 0 ? -l : l }
		END { printf "%.6g %.6g %.6g %.6g", sqrt(m2 / NR), m1 / NR, sqrt(l2 / NR), l1 / NR }' f.csv)
	run --separate-stderr rnn-predict -m "$1" --score --forecast 3 e.csv
	assert_success
	got=$(printf '%s\n' "${lines[@]}" | awk -F, '$1 == "model" { m = $2 " " $3 } $1 == "last value" { l = $2 " " $3 } END { print m, l }')
	read -r a b c d <<< "$want"
	read -r e f g h <<< "$got"
	for pair in "$a $e" "$b $f" "$c $g" "$d $h"; do
		set -- $pair
		awk -v x="$1" -v y="$2" 'BEGIN { d = x - y; exit !(d * d <= 1e-10 * x * x) }' ||
			fail "$1 != $2 (want: $want, got: $got)"
	done
}

@test "--score --forecast: a trained model's pooled errors are those of --forecast run from every origin; K = 1 is --score" {
	head -n 41 "$TESTDATA/series/elnino.csv" > e.csv
	rnn-train -q --hidden 3 --window 4 --epochs 2 --period 1 --transform none --ensemble 2 e.csv > m.gz
	rnn-predict -m m.gz --score e.csv > one.csv
	rnn-predict -m m.gz --score --forecast 1 e.csv > k1.csv
	diff -u one.csv k1.csv
	pooled_like_forecast m.gz
}

@test "--score --forecast with a direct model: its own steps from every origin, and past them fed back" {
	head -n 41 "$TESTDATA/series/elnino.csv" > e.csv
	rnn-train -q --hidden 3 --window 4 --epochs 2 --period 1 --transform none --horizon 1-3 --ensemble 1 e.csv > d.gz
	pooled_like_forecast d.gz
	run --separate-stderr rnn-predict -m d.gz --score --forecast 5 e.csv
	assert_success
	assert_equal "${#lines[@]}" 3
	# 40 rows leave no origin for 37 steps
	fails_with 65 "rnn-predict: e.csv: series has 40 rows, too few to score forecasts of 37 steps: it needs a window (4 rows), the 37 steps after it" \
		rnn-predict -m d.gz --score --forecast 37 e.csv
}

@test "--score with --stream, --align or --export, or --period alone, is a usage error" {
	const_model c 5
	for a in --stream --align; do
		run --separate-stderr rnn-predict --import c --score "$a" s.csv
		assert_failure 64
		assert_output ""
		assert_equal "${stderr_lines[0]}" "rnn-predict: --score judges the default predictions or --forecast's, not --stream or --align"
	done
	run --separate-stderr rnn-predict --import c --score --export d
	assert_failure 64
	run --separate-stderr rnn-predict --import c --period 12 s.csv
	assert_failure 64
	assert_regex "$stderr" "--period is --score's seasonal period"
	run --separate-stderr rnn-predict --import c --score --period 0 s.csv
	assert_failure 64
}
