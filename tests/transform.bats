#!/usr/bin/env bats
# Transforms (rnn-train(1), "Transforms"): the net learns a log or a
# difference of the series, and rnn-predict turns it back.

load test_helper
load rnn_helper

bats_require_minimum_version 1.5.0

@test "--transform diff: a ramp trained on 1..100 forecasts 101..110 within 1%" {
	cd "$BATS_TEST_TMPDIR"
	ramp 100 ramp.csv
	rnn-train -q --transform diff --window 5 --hidden 8 --epochs 30 ramp.csv > m.gz
	run --separate-stderr rnn-predict -m m.gz --forecast 10 ramp.csv
	assert_success
	echo "$output" > got.csv
	awk 'BEGIN { print "x"; for (t = 101; t <= 110; t++) print t }' > want.csv
	assert_within_pct want.csv got.csv 1
}

@test "the ramp check can fail: without a transform the forecast stays near the training maximum" {
	cd "$BATS_TEST_TMPDIR"
	ramp 100 ramp.csv
	rnn-train -q --transform none --window 5 --hidden 8 --epochs 30 ramp.csv > m.gz
	rnn-predict -m m.gz --forecast 10 ramp.csv > got.csv
	awk 'BEGIN { print "x"; for (t = 101; t <= 110; t++) print t }' > want.csv
	run assert_within_pct want.csv got.csv 1
	assert_failure
}

@test "--transform logdiff: an exponential series forecasts its next 10 values within 1%" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 80; t++) printf "%.6g\n", 10 * 1.05^t }' > all.csv
	head -n 71 all.csv > train.csv
	{ echo x; tail -n 10 all.csv; } > want.csv
	rnn-train -q --transform logdiff --window 5 --hidden 8 --epochs 30 train.csv > m.gz
	run --separate-stderr rnn-predict -m m.gz --forecast 10 train.csv
	assert_success
	echo "$output" > got.csv
	assert_within_pct want.csv got.csv 1
}

@test "--period 12: a trend plus a season beats the seasonal naive forecast on a held-out tail" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a quality check of the default recipe: plain build only (slow under the sanitizers)"
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { srand(7); print "x"
	     for (t = 1; t <= 144; t++)
	         printf "%.4f\n", 50 + 0.5 * t + 10 * sin(2 * 3.14159265358979 * t / 12) + rand() - 0.5 }' > all.csv
	head -n 121 all.csv > train.csv
	tail -n 24 all.csv > test.csv
	# the default recipe: the file has no time column, so --period
	rnn-train -q --period 12 train.csv > m.gz
	rnn-predict -m m.gz --forecast 24 train.csv > fc.csv
	# RMSE of the forecast and of seasonal naive (the same month a year
	# before, from the training part) over the 24 held-out months
	read -r model naive < <(awk 'FNR == 1 { f++ }
		f == 1 && FNR > 1 { tr[++n] = $1 } f == 2 { te[++m] = $1 } f == 3 && FNR > 1 { fc[++k] = $1 }
		END {
			for (h = 1; h <= 24; h++) {
				sn = tr[n + h - 12 * int((h + 11) / 12)]
				e1 += (fc[h] - te[h])^2; e2 += (sn - te[h])^2
			}
			if (k != 24 || m != 24) { print "nan nan"; exit }
			print sqrt(e1 / 24), sqrt(e2 / 24)
		}' train.csv test.csv fc.csv)
	echo "RMSE: model $model, seasonal naive $naive"
	assert_lt "$model" "$naive" "model RMSE"
	# and by a wide margin: the naive forecast misses the trend
	assert_lt "$(awk -v m="$model" 'BEGIN { print 4 * m }')" "$naive" "4 x model RMSE"
}

@test "one-step predictions invert the transform with the actual previous value" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 40; t++) printf "%.4f\n", t + 3 * sin(t) }' > s.csv
	# a window of 5 rows: 1 of history, 4 differences for the net
	rnn-train --ensemble 1 -q --transform diff --window 5 --hidden 4 --epochs 5 s.csv > m.gz
	rnn-predict -m m.gz s.csv > pred.csv
	# the same net without the transform, fed the differences, predicts
	# the changes: each prediction is the previous value plus its change
	rnn-predict --export exp -m m.gz
	grep -q '^transform=diff$' exp/config
	# the config's window is the net's steps: 5 rows less 1 of history
	grep -q '^window=4$' exp/config
	sed -i '/^transform=/d' exp/config
	awk 'NR == 1 { print; next } NR > 2 { print $1 - p } { p = $1 }' s.csv > d.csv
	rnn-predict --import exp d.csv > change.csv
	# prediction i (from the window ending at row 5 + i - 1 of the data)
	# is for data row 5 + i, whose previous value is row 4 + i
	awk 'FNR == 1 { f++; next }
	     f == 1 { x[FNR - 1] = $1 } f == 2 { c[FNR - 1] = $1 }
	     END { print "x"; for (i = 1; i in c; i++) print x[4 + i] + c[i] }' s.csv change.csv > want.csv
	assert_csv_close want.csv pred.csv 1e-4
	# log: the prediction is exp of the net's, on ln of the data
	rnn-train --ensemble 1 -q --transform log --window 4 --hidden 4 --epochs 5 s.csv > l.gz
	rnn-predict -m l.gz s.csv > lpred.csv
	rnn-predict --export lexp -m l.gz
	sed -i '/^transform=/d' lexp/config
	awk 'NR == 1 { print; next } { print log($1) }' s.csv > ln.csv
	rnn-predict --import lexp ln.csv | awk 'NR == 1 { print; next } { print exp($1) }' > lwant.csv
	assert_csv_close lwant.csv lpred.csv 1e-3
}

@test "--transform diff2: one-step predictions add the predicted second difference to 2 x[t-1] - x[t-2]" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 40; t++) printf "%.4f\n", 0.02 * t * t + 3 * sin(t) }' > s.csv
	# a window of 6 rows: 2 of history, 4 second differences for the net
	rnn-train --ensemble 1 -q --transform diff2 --window 6 --hidden 4 --epochs 5 s.csv > m.gz
	zcat m.gz | grep -aqx 'transform: diff2' || fail "the model does not record diff2"
	rnn-predict -m m.gz s.csv > pred.csv
	# the same net without the transform, fed the second differences,
	# predicts the next one
	rnn-predict --export exp -m m.gz
	grep -q '^transform=diff2$' exp/config
	grep -q '^window=4$' exp/config
	sed -i '/^transform=/d' exp/config
	awk 'NR == 1 { print; next } NR > 3 { print $1 - 2 * p + q } { q = p; p = $1 }' s.csv > d2.csv
	rnn-predict --import exp d2.csv > change.csv
	# prediction i (from the window ending at data row 6 + i - 1) is for
	# row 6 + i: 2 x[5 + i] - x[4 + i] + its change
	awk 'FNR == 1 { f++; next }
	     f == 1 { x[FNR - 1] = $1 } f == 2 { c[FNR - 1] = $1 }
	     END { print "x"; for (i = 1; i in c; i++) print 2 * x[5 + i] - x[4 + i] + c[i] }' s.csv change.csv > want.csv
	assert_csv_close want.csv pred.csv 1e-4
	# the check can fail: the first difference's inversion, x[5 + i] +
	# the change, is not it
	awk 'FNR == 1 { f++; next }
	     f == 1 { x[FNR - 1] = $1 } f == 2 { c[FNR - 1] = $1 }
	     END { print "x"; for (i = 1; i in c; i++) print x[5 + i] + c[i] }' s.csv change.csv > wrong.csv
	run assert_csv_close wrong.csv pred.csv 1e-4
	assert_failure
}

@test "--stream and --align give the whole file's predictions with a transform" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x,y"; for (t = 1; t <= 60; t++) printf "%.3f,%.3f\n", t + 2 * sin(t), 100 + t * t / 10 }' > s.csv
	rnn-train -q --transform logdiff --period 4 --window 11 --hidden 6 --epochs 5 s.csv > m.gz
	rnn-predict -m m.gz s.csv > whole.csv
	# 60 rows, window 11 (5 rows of history, 6 steps): 50 predictions
	assert_equal "$(wc -l < whole.csv)" 51
	rnn-predict -m m.gz --stream < s.csv > streamed.csv
	assert_file_equal whole.csv streamed.csv
	rnn-predict -m m.gz --align s.csv > aligned.csv
	# the first window + H - 1 = 11 rows have no prediction
	assert_equal "$(awk -F, 'NR > 1 && NR <= 12 && $3 == "" && $4 == ""' aligned.csv | wc -l)" 11
	awk -F, 'NR == 1 { print "x,y"; next } NR > 12 { print $3 "," $4 }' aligned.csv > from-align.csv
	assert_file_equal whole.csv from-align.csv
}

@test "the model header carries the transform and the period; a model without one is as before" {
	cd "$BATS_TEST_TMPDIR"
	ramp 40 ramp.csv
	rnn-train --ensemble 1 -q --transform logdiff --period 12 --window 17 --hidden 4 --epochs 1 ramp.csv > m.gz
	ws_header m.gz > h
	grep -x 'transform: logdiff' h
	grep -x 'period: 12' h
	# --window counts the 13 rows of history; the header, the net's steps
	grep -x 'window: 4' h
	rnn-train --ensemble 1 -q --transform log --window 4 --hidden 4 --epochs 1 ramp.csv > l.gz
	ws_header l.gz > h
	grep -x 'transform: log' h
	run ! grep '^period:' h
	rnn-train --ensemble 1 -q --transform none --window 4 --hidden 4 --epochs 1 ramp.csv > n.gz
	ws_header n.gz > h
	run ! grep -E '^(transform|period):' h
	# --init takes them from the model; a different one is a usage error
	rnn-train --ensemble 1 -q --init m.gz --epochs +1 ramp.csv > m2.gz
	ws_header m2.gz | grep -x 'transform: logdiff'
	fails_with 64 "rnn-train: --transform and --period come from the starting model (logdiff, period 12)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 1 -q --init m.gz --transform diff --epochs +1 ramp.csv
}

@test "a model from before transforms loads and predicts as it did" {
	d="$TESTDATA/models"
	run --separate-stderr rnn-predict -m "$d/pre-transform.gz" "$d/wave.csv"
	assert_success
	echo "$output" > "$BATS_TEST_TMPDIR/got.out"
	rnn-predict -m "$d/pre-transform.gz" --forecast 5 "$d/wave.csv" >> "$BATS_TEST_TMPDIR/got.out"
	assert_file_equal "$d/pre-transform.out" "$BATS_TEST_TMPDIR/got.out"
	# and training without --transform (or --linear) writes that model (run where it
	# was, for the same source key): since minibatches are cut into
	# shards (rnn.h), byte for byte pre-transform-sharded.gz, whose
	# weights differ from pre-transform.gz's by rounding only
	(cd "$d" && rnn-train --ensemble 1 --linear none --forecast-blend none -q --transform none --val 0 --lr 0.005 --window 4 --hidden 4 --epochs 3 wave.csv) > "$BATS_TEST_TMPDIR/m.gz"
	cmp "$d/pre-transform-sharded.gz" "$BATS_TEST_TMPDIR/m.gz"
	assert_weights_close "$d/pre-transform.gz" "$BATS_TEST_TMPDIR/m.gz" 1e-6
}

@test "--transform log: a value <= 0 is an error at FILE:LINE:COL naming the option" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,b\n1,2\n3,4\n5,0\n7,8\n9,10\n11,12\n' > s.csv
	fails_with 65 "rnn-train: s.csv:4:2: cannot take the logarithm of 0 in column 'b': --transform=log needs every value > 0" \
		rnn-train -q --transform log --window 2 --epochs 1 s.csv
	# the first value <= 0, whatever the rows of history: line 2 here,
	# not that of the first transformed value (3 for logdiff, 4 for
	# logdiff2); the first line of all the columns (3:2, not 6:1)
	printf 'v\n0\n0\n0\n0\n0\n0\n0\n' > z.csv
	for t in log logdiff logdiff2; do
		fails_with 65 "rnn-train: z.csv:2:1: cannot take the logarithm of 0 in column 'v': --transform=$t needs every value > 0" \
			rnn-train -q --transform $t --window 3 --epochs 1 z.csv
	done
	printf 'a,b\n1,2\n3,0\n5,6\n7,8\n0,10\n11,12\n' > s2.csv
	fails_with 65 "rnn-train: s2.csv:3:2: cannot take the logarithm of 0 in column 'b': --transform=logdiff2 needs every value > 0" \
		rnn-train -q --transform logdiff2 --window 3 --epochs 1 s2.csv
	printf 'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n' > ok.csv
	rnn-train -q --transform logdiff --window 3 --hidden 2 --epochs 1 ok.csv > m.gz
	printf 'a,b\n1,2\n-3,4\n5,6\n7,8\n' > bad.csv
	fails_with 65 "rnn-predict: bad.csv:3:1: cannot take the logarithm of -3 in column 'a': --transform=logdiff needs every value > 0" \
		rnn-predict -m m.gz bad.csv
	# --stream: the predictions before the bad row, then the error
	printf 'a,b\n1,2\n3,4\n5,6\n7,8\n-1,2\n' > late.csv
	run --separate-stderr rnn-predict -m m.gz --stream late.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "rnn-predict: late.csv:6:1: cannot take the logarithm of -1 in column 'a': --transform=logdiff needs every value > 0"
	assert_equal "$(echo "$output" | wc -l)" 3
}

@test "a difference goes with --horizon 1 or 1-K, and every target must be an input" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n' > s.csv
	fails_with 64 "rnn-train: --horizon 2 with a difference (--transform=diff, --period 1): differences go with --horizon 1 or 1-K
Try 'rnn-train --help' for more information." \
		rnn-train --transform diff --horizon 2 s.csv
	fails_with 64 "rnn-train: --horizon 2 with a difference (--transform=diff2, --period 1): differences go with --horizon 1 or 1-K
Try 'rnn-train --help' for more information." \
		rnn-train --transform diff2 --horizon 2 s.csv
	fails_with 64 "rnn-train: --horizon 3 with a difference (--transform=none, --period 4): differences go with --horizon 1 or 1-K
Try 'rnn-train --help' for more information." \
		rnn-train --transform none --period 4 --horizon 3 s.csv
	# log alone is pointwise: any horizon
	rnn-train -q --transform log --horizon 2 --window 2 --hidden 2 --epochs 1 s.csv > m.gz
	fails_with 64 "rnn-train: --transform=log --period 1 turns the inputs, so every target must be one ('b' is not)
Try 'rnn-train --help' for more information." \
		rnn-train --transform log --columns a --target b s.csv
	fails_with 64 "rnn-train: unknown transform 'sqrt' (auto, none, diff, log, logdiff, diff2, logdiff2)
Try 'rnn-train --help' for more information." \
		rnn-train --transform sqrt s.csv
}

@test "a series too short for the window and the transform's history is an error" {
	cd "$BATS_TEST_TMPDIR"
	ramp 8 s.csv
	fails_with 65 "rnn-train: s.csv: series has 8 rows, too short for --window 8 and --horizon 1 (needs 9; the window's first 4 rows are history for the transform)" \
		rnn-train --transform none --period 4 --window 8 s.csv
	# a window all history leaves the net nothing
	fails_with 64 "rnn-train: --window 4 is not longer than the 4 rows of history that --transform=none --period 4 takes (a window reads them too)
Try 'rnn-train --help' for more information." \
		rnn-train --transform none --period 4 --window 4 s.csv
	ramp 20 t.csv
	rnn-train -q --transform diff --window 5 --hidden 2 --epochs 1 t.csv > m.gz
	ramp 4 u.csv
	fails_with 65 "rnn-predict: u.csv: series has 4 rows, shorter than the model's window of 5" \
		rnn-predict -m m.gz u.csv
}

@test "--score judges a transformed model in the data's units, from the row its history allows" {
	cd "$BATS_TEST_TMPDIR"
	seq 1 100 > ramp.csv
	rnn-train -q --transform diff --window 6 --epochs 30 -o rd.gz ramp.csv
	run -0 rnn-predict -m rd.gz --score ramp.csv
	assert_line --index 0 "method,rmse,mae,mase"
	assert_line --index 2 "last value,1,1,1"
	IFS=, read -r name rmse mae mase <<<"${lines[1]}"
	assert_equal "$name" "model"
	assert_lt "$rmse" 0.05 "model RMSE on the ramp"
	# the same as the default predictions scored by awk over rows 7..100
	rnn-predict -m rd.gz ramp.csv | sed -n 2,95p > pred.csv   # rows 7..100
	want=$(paste -d, <(seq 7 100) pred.csv | awk -F, '{ d = $2 - $1; s += d * d } END { printf "%.4f", sqrt(s / NR) }')
	assert_equal "$(printf '%.4f' "$rmse")" "$want"
}

@test "default (auto): a linear ramp trained on 1..100 forecasts 101..110 within 1%" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a quality check of the default recipe: plain build only (slow under the sanitizers)"
	cd "$BATS_TEST_TMPDIR"
	ramp 100 ramp.csv
	# the default recipe: no option
	run --separate-stderr rnn-train -o m.gz ramp.csv
	assert_success
	[[ "$stderr" == *"transform: diff (KPSS "*" > 0.463: trending)"* ]] || fail "$stderr"
	zcat m.gz | grep -qx 'transform diff' || zcat m.gz | grep -q '^transform' || fail "the model does not record the transform"
	rnn-predict -m m.gz --forecast 10 ramp.csv > got.csv
	awk 'BEGIN { print "x"; for (t = 101; t <= 110; t++) print t }' > want.csv
	assert_within_pct want.csv got.csv 1
}

@test "default (auto): a quadratic trend on 60 rows takes a second difference and forecasts the next 10 exactly; one difference does not" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 70; t++) printf "%.6g\n", 100 + 2 * t + 0.05 * t * t }' > all.csv
	head -n 61 all.csv > train.csv
	{ echo x; tail -n 10 all.csv; } > want.csv
	run --separate-stderr rnn-train -o m.gz train.csv
	assert_success
	[[ "$stderr" == *"transform: diff2 (KPSS "*" > 0.463: trending; the first differences' last-value ratio "*" > 2: their trend too)"* ]] || fail "$stderr"
	rnn-predict -m m.gz --forecast 10 train.csv > got.csv
	# the second differences are all 0.1: exact but for rounding
	assert_within_pct want.csv got.csv 0.0001
	rnn-train -q --transform diff -o d.gz train.csv
	rnn-predict -m d.gz --forecast 10 train.csv > dgot.csv
	run assert_within_pct want.csv dgot.csv 0.0001
	assert_failure
}

@test "seed 004's ramp: trained on 1..60 with --window 5 and nothing else, the forecast after 1..5 is 6 +- 0.05" {
	cd "$BATS_TEST_TMPDIR"
	ramp 60 ramp.csv
	rnn-train -q --window 5 ramp.csv > m.gz
	# the window's 5 rows are the first difference's history and its 4
	# steps
	printf 'x\n1\n2\n3\n4\n5\n' > probe.csv
	run --separate-stderr rnn-predict -m m.gz probe.csv
	assert_success
	awk -v got="$(echo "$output" | tail -n 1)" 'BEGIN { d = got - 6; if (d < 0) d = -d; exit !(d <= 0.05) }' ||
		fail "forecast after 1..5: $output (want 6 +- 0.05)"
}

@test "auto picks none on a level-stationary series (El Nino) and says why; -q says nothing" {
	run --separate-stderr rnn-train --period 1 --window 4 --hidden 2 --epochs 1 -o "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	[[ "$stderr" == "transform: none (KPSS "*" <= 0.463: level-stationary)"* ]] || fail "$stderr"
	run --separate-stderr rnn-train -q --period 1 --window 4 --hidden 2 --epochs 1 -o "$BATS_TEST_TMPDIR/q.gz" "$TESTDATA/series/elnino.csv"
	assert_success
	assert_equal "$stderr" ""
	cmp "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/q.gz"
}

@test "--period defaults from the time column's step; auto differences at it when the season is strong" {
	cd "$BATS_TEST_TMPDIR"
	# a season on a trend
	awk 'BEGIN { print "month,x"; for (t = 0; t < 96; t++) printf "%d-%02d,%.6g\n", 2000 + int(t / 12), t % 12 + 1, 10 * sin(2 * 3.14159265 * t / 12) + 0.3 * t + 0.01 * ((t * 7919) % 13) }' > s.csv
	run --separate-stderr rnn-train --hidden 2 --epochs 1 -o m.gz s.csv
	assert_success
	[[ "$stderr" == "window: 36 rows (2 periods of 12; plus 12 rows of history for the transform)
transform: seasonal difference at lag 12 (--transform none --period 12; seasonal strength "*" > 0.64 at period 12; KPSS of the seasonal difference "* ]] || fail "$stderr"
	# an explicit window too short for the seasonal difference's history
	run --separate-stderr rnn-train --window 12 --hidden 2 --epochs 1 -o m12.gz s.csv
	assert_success
	[[ "$stderr" == *"transform: diff (KPSS "*") (no seasonal difference: --window 12 rows would all be its history)"* ]] || fail "$stderr"
	zcat m.gz | grep -q '^period.*12' || fail "no period 12 in the model"
	# --period 1: no season
	run --separate-stderr rnn-train --period 1 --window 4 --hidden 2 --epochs 1 -o m1.gz s.csv
	[[ "$stderr" == *"transform: diff (KPSS "* ]] || fail "$stderr"
	# a season on a steady level: no difference, the net learns it
	awk 'BEGIN { print "month,x"; for (t = 0; t < 96; t++) printf "%d-%02d,%.6g\n", 2000 + int(t / 12), t % 12 + 1, 10 * sin(2 * 3.14159265 * t / 12) + 0.01 * ((t * 7919) % 13) }' > st.csv
	run --separate-stderr rnn-train --hidden 2 --epochs 1 -o st.gz st.csv
	[[ "$stderr" == "window: 24 rows (2 periods of 12)
transform: none (seasonal strength "*" > 0.64 at period 12; KPSS less the season "*" <= 0.463 and last-value ratio "*" <= 2: level-stationary)"* ]] || fail "$stderr"
	# no time column: the period of the autocorrelation
	cut -d, -f2 s.csv > n.csv
	run --separate-stderr rnn-train --hidden 2 --epochs 1 -o n.gz n.csv
	[[ "$stderr" == "period: 12 (the autocorrelation of the changes is 0."*" at lag 12)
window: 36 rows (2 periods of 12; plus 12 rows of history for the transform)
transform: seasonal difference at lag 12 (--transform none --period 12; "* ]] || fail "$stderr"
	# none in noise
	awk 'BEGIN { srand(3); print "x"; for (t = 0; t < 96; t++) print rand() }' > noise.csv
	run --separate-stderr rnn-train --hidden 2 --epochs 1 -o z.gz noise.csv
	[[ "$stderr" == "window: 12 rows (12 steps, no season)"* ]] || fail "$stderr"
}

# first_diffs FILE: a one-column CSV's first differences, as one
first_diffs() {
	awk 'NR == 1 { print; next } NR > 2 { printf "%.17g\n", $1 - p } { p = $1 }' "$1"
}

# naive_ratio FILE: the last-value ratio (transform.h, rk_tf_naive_ratio)
# of a one-column CSV's values, all of them (--val 0), as %.3g
naive_ratio() {
	awk 'NR > 1 { x[n++] = $1 }
	END {
		h = int(0.2 * n + 0.5); if (h < 1) h = 1
		for (t = 0; t < n - h; t++) m += x[t]
		m /= n - h
		for (t = n - h; t < n; t++) { em += (x[t] - m)^2; el += (x[t] - x[t-1])^2 }
		printf "%.3g", sqrt(em / el)
	}' "$1"
}

@test "auto differences a short series that left its level though KPSS calls it level-stationary; from 100 rows KPSS alone" {
	cd "$BATS_TEST_TMPDIR"
	# flat, a hump, then below where it began (like fertility OMN)
	for n in 99 100; do
		awk -v n=$n 'BEGIN { print "x"; for (t = 0; t < n; t++) printf "%.6g\n", t < 25 ? 7 : 7 + sin(2 * 3.14159265 * (t - 25) / 54) }' > h$n.csv
	done
	# its first differences (a slope from 0, then a cosine) have left
	# theirs too: a second difference (diff2)
	run --separate-stderr rnn-train --period 1 --window 4 --val 0 --hidden 2 --epochs 1 -o m99.gz h99.csv
	assert_success
	rho=$(naive_ratio h99.csv)
	assert_lt 2 "$rho" "the hump's last-value ratio"
	first_diffs h99.csv > d99.csv
	rho_d=$(naive_ratio d99.csv)
	assert_lt 2 "$rho_d" "its first differences' last-value ratio"
	[[ "$stderr" == *"transform: diff2 (KPSS "*" <= 0.463 but last-value ratio $rho > 2: trending; the first differences' last-value ratio $rho_d > 2: their trend too)"* ]] || fail "$stderr"
	kpss=${stderr#*transform: diff2 (KPSS }
	assert_lt "${kpss%% *}" 0.463 "KPSS"
	zcat m99.gz | grep -aqx 'transform: diff2' || fail "m99.gz: no second difference"
	# a noisy short ramp: its differences are noise about a level, one
	# difference
	awk 'BEGIN { print "x"; for (t = 0; t < 40; t++) print t + ((t * 7919) % 13) / 13 }' > nr.csv
	first_diffs nr.csv > dnr.csv
	rho_d=$(naive_ratio dnr.csv)
	assert_lt "$rho_d" 2 "the noisy ramp's first differences' last-value ratio"
	run --separate-stderr rnn-train --period 1 --window 4 --val 0 --hidden 2 --epochs 1 -o nr.gz nr.csv
	assert_success
	[[ "$stderr" == *"transform: diff (KPSS "*" > 0.463: trending)"* ]] || fail "$stderr"
	# a row more: KPSS alone, which calls it level-stationary
	run --separate-stderr rnn-train --period 1 --window 4 --val 0 --hidden 2 --epochs 1 -o m100.gz h100.csv
	assert_success
	assert_lt 2 "$(naive_ratio h100.csv)" "the longer hump's last-value ratio"
	[[ "$stderr" == *"transform: none (KPSS "*" <= 0.463: level-stationary)"* ]] || fail "$stderr"
	# a short level-stationary series: none, and the ratio says why
	awk 'BEGIN { print "x"; for (t = 0; t < 40; t++) print 5 + ((t * 7919) % 13) / 13 }' > flat.csv
	run --separate-stderr rnn-train --period 1 --window 4 --val 0 --hidden 2 --epochs 1 -o f.gz flat.csv
	assert_success
	rho=$(naive_ratio flat.csv)
	[[ "$stderr" == *"transform: none (KPSS "*" <= 0.463 and last-value ratio $rho <= 2: level-stationary)"* ]] || fail "$stderr"
}

@test "auto takes no difference with --horizon > 1, nor one the series is too short for" {
	cd "$BATS_TEST_TMPDIR"
	ramp 40 ramp.csv
	run --separate-stderr rnn-train --horizon 2 --window 4 --hidden 2 --epochs 1 -o m.gz ramp.csv
	assert_success
	[[ "$stderr" == "transform: none (--horizon 2: differences go with --horizon 1 or 1-K)"* ]] || fail "$stderr"
	# a window of one row has no room for a difference's history
	run --separate-stderr rnn-train --window 1 --hidden 2 --epochs 1 -o m.gz ramp.csv
	assert_success
	[[ "$stderr" == "transform: none (--window 1 row: no room for a difference)"* ]] || fail "$stderr"
}

@test "a straight line of decimals: no season, trend or scale from rounding noise" {
	cd "$BATS_TEST_TMPDIR"
	# 6.00, 5.95, ...: the changes differ in their last bits only
	awk 'BEGIN { print "year,rate"; for (i = 0; i < 56; i++) printf "%d,%.2f\n", 1960 + i, 6 - 0.05 * i }' > yr.csv
	run --separate-stderr rnn-train --epochs 2 --ensemble 1 --hidden 3 -o m.gz yr.csv
	assert_success
	# yearly: no season from the clock; none from the changes' noise
	[[ "$stderr" != *"period:"* ]] || fail "$stderr"
	[[ "$stderr" == *"window: 13 rows (12 steps, no season; plus 1 row of history for the transform)"* ]] || fail "$stderr"
	[[ "$stderr" == *"transform: diff (KPSS "*" > 0.463: trending)"* ]] || fail "$stderr"
	# the changes are a constant column: scale 1e-12 times the levels'
	# 6.00, over 64 (the net sees little), not the noise's 3.4e-16
	rnn-predict -m m.gz --export exp
	awk -F, '{ exit !($2 > 5.99e-12 / 64 && $2 < 6.01e-12 / 64) }' exp/scale.csv || fail "scale $(cat exp/scale.csv)"
	# and the forecast goes on exactly, with the data's digits
	run --separate-stderr rnn-predict -m m.gz --forecast 4 yr.csv
	assert_success
	assert_output "$(printf 'year,rate\n2016,3.2\n2017,3.15\n2018,3.1\n2019,3.05')"
}

@test "a constant column: scale 1 when it is an input only, 1e-12 of its level over 64 when a target" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "t,y,lvl"; for (i = 0; i < 120; i++) printf "%d,%.4f,5\n", i, 10 + sin(i / 3) }' > c.csv
	# an input only: a later value off the constant is no huge input
	rnn-train -q --epochs 2 --ensemble 1 --hidden 3 --target y -o in.gz c.csv
	rnn-predict -m in.gz --export in
	assert_equal "$(sed -n 3p in/scale.csv)" "5,1"
	# a target: its forecast keeps the constant's digits
	rnn-train -q --epochs 2 --ensemble 1 --hidden 3 -o tg.gz c.csv
	rnn-predict -m tg.gz --export tg
	assert_equal "$(sed -n 3p tg/scale.csv)" "5,7.8125e-14"
	run -0 rnn-predict -m tg.gz --forecast 3 c.csv
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f3 | tail -3 | sort -u)" "5"
}

@test "an explicit transform with --period says that the seasonal difference comes with it" {
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr rnn-train --transform none --period 12 --epochs 1 --ensemble 1 --hidden 3 -o m.gz "$TESTDATA/series/monthly.csv"
	printf '%s\n' "$stderr" | grep -Fx "transform: none, and the seasonal difference y[t] - y[t-12] (--period 12 is given)"
	# the model keeps it: 12 rows of history
	zcat m.gz | head -c 4000 | grep -ax 'period: 12'
	run -0 --separate-stderr rnn-train -q --transform none --period 12 --epochs 1 --ensemble 1 --hidden 3 -o m.gz "$TESTDATA/series/monthly.csv"
	assert_equal "$stderr" ""
	# without --period: nothing to say
	run -0 --separate-stderr rnn-train --transform none --epochs 1 --ensemble 1 --hidden 3 -o m.gz "$TESTDATA/series/monthly.csv"
	[[ "$stderr" != *"transform:"* ]] || fail "$stderr"
}
