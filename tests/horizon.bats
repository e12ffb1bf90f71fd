#!/usr/bin/env bats
# Direct multi-horizon models (rnn-train --horizon 1-K): one output per step
# and target, rnn-predict --forecast taking them, then continuing in blocks
# of K; intervals per direct step.

load test_helper
load rnn_helper

bats_require_minimum_version 1.5.0

@test "--horizon 1-5 --transform diff: a ramp 1..100 forecasts 101..105 within 1%" {
	cd "$BATS_TEST_TMPDIR"
	ramp 100 ramp.csv
	rnn-train -q --transform diff --horizon 1-5 --window 6 --hidden 8 --epochs 30 ramp.csv > m.gz
	ws_header m.gz | grep -x 'horizon: 1-5'
	ws_header m.gz | grep -x 'outputs: 5'
	run --separate-stderr rnn-predict -m m.gz --forecast 5 ramp.csv
	assert_success
	echo "$output" > got.csv
	awk 'BEGIN { print "x"; for (t = 101; t <= 105; t++) print t }' > want.csv
	assert_within_pct want.csv got.csv 1
}

@test "--forecast N > K continues in blocks of K: 12 steps of a 1-5 model" {
	cd "$BATS_TEST_TMPDIR"
	ramp 100 ramp.csv
	rnn-train -q --transform diff --horizon 1-5 --window 4 --hidden 8 --epochs 30 ramp.csv > m.gz
	run --separate-stderr rnn-predict -m m.gz --forecast 12 ramp.csv
	assert_success
	echo "$output" > got.csv
	awk 'BEGIN { print "x"; for (t = 101; t <= 112; t++) print t }' > want.csv
	assert_within_pct want.csv got.csv 1
	# the first block is the direct forecast itself
	rnn-predict -m m.gz --forecast 5 ramp.csv > five.csv
	assert_file_equal five.csv <(head -n 6 got.csv)
}

@test "--horizon 1-K with a seasonal difference: steps past the period use the predicted ones" {
	cd "$BATS_TEST_TMPDIR"
	# x_t = 10 s(t mod 4) + 2t: the lag-4 difference is 8 everywhere, and
	# (1-B)(1-B^4) x is 0, so both models forecast the pattern on
	awk 'BEGIN { split("0 3 1 2", s, " "); print "x"
	             for (t = 1; t <= 80; t++) print 10 * s[t % 4 + 1] + 2 * t }' > s.csv
	awk 'BEGIN { split("0 3 1 2", s, " "); print "x"
	             for (t = 81; t <= 90; t++) print 10 * s[t % 4 + 1] + 2 * t }' > want.csv
	for tf in none diff; do
		# the window's 4 (5 with diff) rows of history, then 4 steps
		w=8
		[[ $tf == none ]] || w=9
		rnn-train -q --transform $tf --period 4 --horizon 1-10 --window $w --lr 0.005 --hidden 8 --epochs 20 s.csv > m.gz
		ws_header m.gz | grep -x 'period: 4'
		run --separate-stderr rnn-predict -m m.gz --forecast 10 s.csv
		assert_success
		echo "$output" > got.csv
		assert_csv_close want.csv got.csv 0.2
	done
	# K = 3 < P = 4 < W = 8: the 10 steps cross blocks fed back, and the
	# lag-4 levels of the later ones are themselves predictions
	rnn-train -q --transform diff --period 4 --horizon 1-3 --window 13 --lr 0.005 --hidden 8 --epochs 20 s.csv > m.gz
	rnn-predict -m m.gz --forecast 10 s.csv > got.csv
	assert_csv_close want.csv got.csv 0.2
}

@test "a 1-K model's one-step predictions are its step-1 outputs, in every mode" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 60; t++) print sin(t / 3) * 10 + t }' > w.csv
	rnn-train -q --transform diff --horizon 1-4 --window 7 --hidden 6 --epochs 5 w.csv > m.gz
	run --separate-stderr rnn-predict -m m.gz w.csv
	assert_success
	echo "$output" > p.csv
	# 60 rows, one of history, a window of 6: 54 predictions
	assert_equal "$(wc -l < p.csv)" 55
	rnn-predict -m m.gz --stream < w.csv > s.csv
	cmp p.csv s.csv
	# --align: the same numbers beside rows 8..60 and one past the end
	rnn-predict -m m.gz --align w.csv | awk -F, 'NR > 1 && $2 != "" { print $2 }' > a.csv
	assert_file_equal <(tail -n +2 p.csv) a.csv
	# and the first step of --forecast is the last of them
	assert_equal "$(rnn-predict -m m.gz --forecast 1 w.csv | tail -1)" "$(tail -1 p.csv)"
	run --separate-stderr rnn-predict -m m.gz --score w.csv
	assert_success
}

@test "--interval with a 1-K model: each step's quantile of that step's validation errors" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { srand(7); print "x"; v = 50
	             for (t = 1; t <= 70; t++) { v += 0.5 + 2 * (rand() - 0.5); print v } }' > rw.csv
	# the residuals as they are (the default keeps step 1's relative to
	# each window's scale, and widens them: interval.bats)
	rnn-train -q --transform diff --horizon 1-3 --window 6 --hidden 6 --epochs 10 --val 0.2 \
		--interval-scale none --interval-widen none rw.csv > m.gz
	# 12 validation windows, reaching 3 steps, and 11 more past the last
	ws_header m.gz | grep -x 'interval-steps: 14'
	rnn-predict -m m.gz --forecast 5 --interval 80 rw.csv > iv.csv
	# independently: 70 rows, 1 of history, window 5 and 3 steps make 62
	# windows; the last round(0.2 * 62) = 12 validate, ending at rows
	# 56..67 (1-based). Forecast 5 steps from the series cut there (steps
	# 4 and 5 from the 3 fed back), and take, of the n_h absolute errors
	# of step h where the series has the row, the ceil((n_h + 1) 0.8)-th
	# smallest
	for t in $(seq 56 67); do
		head -n $((t + 1)) rw.csv > cut.csv
		rnn-predict -m m.gz --forecast 5 cut.csv | tail -n 5 > f.txt
		tail -n +$((t + 2)) rw.csv | head -n 5 | paste -d, f.txt - |
			awk -F, '$2 != "" { d = $1 - $2; print NR, d < 0 ? -d : d }'
	done | sort -k1,1n -k2,2g |
		awk '{ h[NR] = $1; e[NR] = $2; n[$1]++ }
		     END { for (i = 1; i <= NR; i++) {
		               j[h[i]]++
		               if (j[h[i]] == int(((n[h[i]] + 1) * 80 + 99) / 100)) print h[i], e[i] } }' > q.txt
	assert_equal "$(cut -d' ' -f1 q.txt | tr '\n' ' ')" "1 2 3 4 5 "
	awk -F, 'NR > 1 { print ($3 - $2) / 2 }' iv.csv | paste -d' ' q.txt - |
		awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-4) { print "step " $1 ": " $2 " != " $3; bad = 1 } } END { exit bad }'
	# and the widths are per step, not one for all
	[ "$(awk -F, 'NR > 1 { print $3 - $2 }' iv.csv | sort -u | wc -l)" -gt 1 ]
}

@test "--interval past the steps a direct model kept is an error" {
	cd "$BATS_TEST_TMPDIR"
	ramp 60 r.csv
	rnn-train -q --transform diff --horizon 1-3 --window 5 --hidden 4 --epochs 2 --val 0.3 r.csv > m.gz
	# 16 validation windows: steps up to 18, the 15th from 4 of them
	ws_header m.gz | grep -x 'interval-steps: 18'
	run --separate-stderr rnn-predict -m m.gz --forecast 15 --interval 80 r.csv
	assert_success
	fails_with 65 "rnn-predict: m.gz: a 80% interval 16 steps ahead needs 4 validation windows with a forecast that long, and the model has 3: train it with a larger --val" \
		rnn-predict -m m.gz --forecast 16 --interval 80 r.csv
	fails_with 65 "rnn-predict: m.gz: the model has residuals of forecasts up to 18 steps ahead, not 19: train it with a larger --val for longer intervals" \
		rnn-predict -m m.gz --forecast 19 --interval 80 r.csv
	# a model that cannot feed back keeps its K steps
	awk 'BEGIN { print "a,b"; for (t = 1; t <= 40; t++) print t "," 2 * t }' > ab.csv
	rnn-train -q --horizon 1-3 --window 4 --hidden 4 --epochs 2 --target b --val 0.3 ab.csv > t.gz
	ws_header t.gz | grep -x 'interval-steps: 3'
}

@test "--horizon takes H or 1-K: other forms are usage errors" {
	ramp 30 "$BATS_TEST_TMPDIR/r.csv"
	for h in 1-1 2-5 1-x 1- 1-1001; do
		fails_with 64 "rnn-train: --horizon takes H or 1-K, K from 2 to 1000 (not '$h')
Try 'rnn-train --help' for more information." \
			rnn-train -q --horizon "$h" "$BATS_TEST_TMPDIR/r.csv"
	done
}

@test "a series too short for the K rows after a window is an error naming 1-K" {
	cd "$BATS_TEST_TMPDIR"
	ramp 20 r.csv
	fails_with 65 "rnn-train: r.csv: series has 20 rows, too short for --window 9 and --horizon 1-12 (needs 21; the window's first row is history for the transform)" \
		rnn-train -q --transform diff --horizon 1-12 --window 9 r.csv
}

@test "--forecast past K needs the model to predict its inputs" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "a,b"; for (t = 1; t <= 40; t++) print t "," 2 * t }' > ab.csv
	rnn-train -q --horizon 1-3 --window 4 --hidden 4 --epochs 2 --target b ab.csv > m.gz
	ws_header m.gz | grep -x 'outputs: 3'
	run --separate-stderr rnn-predict -m m.gz --forecast 3 ab.csv
	assert_success
	assert_equal "${#lines[@]}" 4
	fails_with 65 "rnn-predict: --forecast 4 goes past the model's 3 direct steps by feeding predictions back as inputs, so the model must predict all its input columns, in order (this one predicts 1 of 2 columns)" \
		rnn-predict -m m.gz --forecast 4 ab.csv
	# two targets: 2 K outputs, step-major
	rnn-train -q --horizon 1-3 --window 4 --hidden 4 --epochs 2 ab.csv > m2.gz
	ws_header m2.gz | grep -x 'outputs: 6'
	run --separate-stderr rnn-predict -m m2.gz --forecast 7 ab.csv
	assert_success
	assert_equal "${lines[0]}" "a,b"
	assert_equal "${#lines[@]}" 8
}

@test "--init keeps the model's horizon range; another is a usage error" {
	cd "$BATS_TEST_TMPDIR"
	ramp 40 r.csv
	rnn-train --ensemble 1 -q --horizon 1-3 --window 4 --hidden 4 --epochs 2 r.csv > m.gz
	rnn-train --ensemble 1 -q --init m.gz --epochs +1 r.csv > m2.gz
	ws_header m2.gz | grep -x 'horizon: 1-3'
	fails_with 64 "rnn-train: options disagree with the model in 'm.gz' (lstm, hidden 4, layers 1, window 4, horizon 1-3)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 1 -q --init m.gz --horizon 1 --epochs +1 r.csv
}

@test "a 1-K model exports and imports with horizon=1-K, predicting the same" {
	cd "$BATS_TEST_TMPDIR"
	ramp 50 r.csv
	rnn-train --ensemble 1 -q --transform diff --horizon 1-4 --window 5 --hidden 4 --epochs 3 r.csv > m.gz
	rnn-predict -m m.gz --export d
	grep -x 'horizon=1-4' d/config
	grep -x 'output=4' d/config
	assert_equal "$(rnn-predict --import d --forecast 9 r.csv)" "$(rnn-predict -m m.gz --forecast 9 r.csv)"
	# a horizon that does not divide the outputs is refused
	sed -i 's/^horizon=.*/horizon=1-3/' d/config
	fails_with 65 "rnn-predict: d/config: horizon 1-3 needs a multiple of 3 outputs, not 4" \
		rnn-predict --import d --forecast 2 r.csv
}

@test "grad-check passes on a 1-K model's data and targets" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x"; for (t = 1; t <= 40; t++) print sin(t / 3) * 10 + t }' > w.csv
	rnn-train -q --transform diff --horizon 1-5 --window 7 --hidden 5 --epochs 2 w.csv > m.gz
	run --separate-stderr grad-check -m m.gz w.csv
	assert_success
	[[ "$output" == *"fc.weight"*pass* ]] || fail "$output"
}

@test "a --horizon 1 model trains and predicts exactly as before direct horizons" {
	d="$TESTDATA/models"
	{
		rnn-predict -m "$d/pre-horizon.gz" "$d/wave.csv"
		rnn-predict -m "$d/pre-horizon.gz" --forecast 5 --interval 50 "$d/wave.csv"
		rnn-predict -m "$d/pre-horizon.gz" --align "$d/wave.csv" | tail -n 3
		rnn-predict -m "$d/pre-horizon.gz" --score "$d/wave.csv"
	} > "$BATS_TEST_TMPDIR/got.out"
	assert_file_equal "$d/pre-horizon.out" "$BATS_TEST_TMPDIR/got.out"
	# training: the same model, byte for byte, as pre-horizon-sharded.gz, made
	# when minibatches became shards (rnn.h); its weights differ from the
	# pre-horizon model's by rounding only (and --interval-scale none
	# --interval-widen none --forecast-blend none, the residuals as they
	# were, no blend)
	(cd "$d" && rnn-train --ensemble 1 --linear none --interval-scale none --interval-widen none --forecast-blend none -q --transform diff --window 5 --hidden 4 --epochs 3 --lr 0.005 --val 0.3 --patience 0 wave.csv) > "$BATS_TEST_TMPDIR/m.gz"
	cmp "$d/pre-horizon-sharded.gz" "$BATS_TEST_TMPDIR/m.gz"
	assert_weights_close "$d/pre-horizon.gz" "$BATS_TEST_TMPDIR/m.gz" 1e-6
}

@test "--forecast with a model of --horizon 3: the horizon is the trouble, not the columns' order" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "v"; for (i = 0; i < 60; i++) print i % 7 }' > h.csv
	rnn-train -q --epochs 1 --ensemble 1 --hidden 2 --horizon 3 -o m.gz h.csv
	fails_with 65 "rnn-predict: --forecast feeds predictions back as inputs, so the model must predict all its input columns, in order, one step ahead (this one predicts 1 of 1 columns, horizon 3)" \
		rnn-predict -m m.gz --forecast 3 h.csv
	# columns in another order: said so
	awk 'BEGIN { print "a,b"; for (i = 0; i < 60; i++) print i % 7 "," i % 5 }' > ab.csv
	rnn-train -q --epochs 1 --ensemble 1 --hidden 2 --target b,a -o m2.gz ab.csv
	fails_with 65 "rnn-predict: --forecast feeds predictions back as inputs, so the model must predict all its input columns, in order, one step ahead (this one predicts 2 of 2 columns in another order, horizon 1)" \
		rnn-predict -m m2.gz --forecast 3 ab.csv
}
