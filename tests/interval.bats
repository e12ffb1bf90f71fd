#!/usr/bin/env bats
# Prediction intervals (issue 7): rnn-train --val keeps the validation
# residuals, rnn-predict --interval makes split conformal intervals of them.

load test_helper
load rnn_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# noise N ROWS SEED: a header x and ROWS values of N(10, 2^2), i.i.d.
noise() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed); print "x"
		for (i = 0; i < n; i++) {
			u = rand(); v = rand(); if (u < 1e-12) u = 1e-12
			printf "%.4f\n", 10 + 2 * sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
		}
	}'
}

# a model of noise with residuals: train.csv, test.csv, m.gz
noise_model() {
	noise 4000 7 > all.csv
	head -n 2001 all.csv > train.csv
	{ echo x; tail -n 2000 all.csv; } > test.csv
	rnn-train -q --cell elman --hidden 4 --window 5 --epochs 10 --val 0.5 \
		train.csv > m.gz
}

@test "80% intervals on noise of known variance cover 75-85%" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	noise_model
	rnn-predict -m m.gz --align --interval 80,95 test.csv > a.csv
	run -0 head -n 1 a.csv
	assert_output "x,predicted_x,predicted_x_lo80,predicted_x_hi80,predicted_x_lo95,predicted_x_hi95"
	# coverage of the rows with a prediction, and the mean half-width
	read -r n c80 c95 w80 < <(awk -F, 'NR > 1 && $2 != "" && $1 != "" {
		n++; w += ($4 - $3) / 2
		if ($1 >= $3 && $1 <= $4) c80++
		if ($1 >= $5 && $1 <= $6) c95++
	} END { printf "%d %.4f %.4f %.4f\n", n, c80 / n, c95 / n, w / n }' a.csv)
	echo "rows $n, 80%: $c80, 95%: $c95, half-width $w80 (sigma 2: 2.563)" >&3
	[ "$n" -eq 1995 ]
	assert_lt 0.75 "$c80" "80% coverage"
	assert_lt "$c80" 0.85 "80% coverage"
	assert_lt 0.92 "$c95" "95% coverage"
	assert_lt "$c95" 0.98 "95% coverage"
	# the half-width is near the noise's own 80% half-width, 1.2816 sigma
	assert_lt 2.2 "$w80" "half-width"
	assert_lt "$w80" 2.9 "half-width"
	# the residuals as they are: the same coverage, nearer 1.2816 sigma
	rnn-train -q --cell elman --hidden 4 --window 5 --epochs 10 --val 0.5 \
		--interval-scale none train.csv > n.gz
	rnn-predict -m n.gz --align --interval 80 test.csv > n.csv
	read -r c80 w80 < <(awk -F, 'NR > 1 && $2 != "" && $1 != "" {
		n++; w += ($4 - $3) / 2
		if ($1 >= $3 && $1 <= $4) c80++
	} END { printf "%.4f %.4f\n", c80 / n, w / n }' n.csv)
	echo "--interval-scale none: 80%: $c80, half-width $w80" >&3
	assert_lt 0.75 "$c80" "80% coverage, none"
	assert_lt "$c80" 0.85 "80% coverage, none"
	assert_lt 2.2 "$w80" "half-width, none"
	assert_lt "$w80" 2.9 "half-width, none"
}

@test "80% forecast intervals cover 70-90% of noise at steps 1 and 5" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	noise_model
	# forecasts from 120 origins in the held-out part
	for o in $(seq 100 10 1290); do
		head -n "$o" test.csv > h.csv
		rnn-predict -m m.gz --forecast 5 --interval 80 h.csv |
			awk -F, -v o="$o" 'NR == 2 || NR == 6 { print o + NR - 1, NR - 1, $2, $3 }'
	done > f.txt
	awk 'NR == FNR { y[FNR] = $1; next } { k[$2]++; if (y[$1] >= $3 && y[$1] <= $4) c[$2]++ }
		END { printf "%.3f %.3f\n", c[1] / k[1], c[5] / k[5] }' test.csv f.txt > cov.txt
	read -r s1 s5 < cov.txt
	echo "coverage at step 1: $s1, at step 5: $s5 (120 origins)" >&3
	assert_lt 0.70 "$s1" "step 1"
	assert_lt "$s1" 0.90 "step 1"
	assert_lt 0.70 "$s5" "step 5"
	assert_lt "$s5" 0.90 "step 5"
}

@test "forecast intervals widen with the horizon on a random walk" {
	noise 600 3 | awk 'NR == 1 { print; next } { s += $1 - 10; printf "%.4f\n", s }' > walk.csv
	# the residuals as they are (--interval-scale diff scales step 1's)
	rnn-train -q --cell elman --hidden 4 --window 5 --epochs 10 --val 0.5 \
		--transform diff --interval-scale none walk.csv > w.gz
	run -0 bash -c "zcat w.gz | sed -n '1,/^end\$/p' | grep '^interval-'"
	assert_line "interval-steps: 100"
	refute_line --partial "interval-scale"
	rnn-predict -m w.gz --forecast 16 --interval 80 walk.csv > f.csv
	w1=$(awk -F, 'NR == 2 { print $3 - $2 }' f.csv)
	w16=$(awk -F, 'NR == 17 { print $3 - $2 }' f.csv)
	echo "80% width at step 1: $w1, at step 16: $w16" >&3
	# errors of a random walk grow as sqrt(h): 4 times at step 16
	assert_lt "$(awk -v w="$w1" 'BEGIN { print 2.5 * w }')" "$w16" "width at 16"
}

@test "--interval: column names in every mode, in the order of the levels" {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 2 --val 0.3 \
		"$TESTDATA/series/elnino.csv" > m.gz
	run -0 bash -c "rnn-predict -m m.gz --interval 95,80 '$TESTDATA/series/elnino.csv' | head -n 2"
	assert_line -n 0 "sst,sst_lo95,sst_hi95,sst_lo80,sst_hi80"
	run -0 bash -c "rnn-predict -m m.gz --interval 80 --align '$TESTDATA/series/elnino.csv' | head -n 1"
	assert_output "sst,predicted_sst,predicted_sst_lo80,predicted_sst_hi80"
	run -0 bash -c "rnn-predict -m m.gz --interval 80 --forecast 3 '$TESTDATA/series/elnino.csv'"
	assert_line -n 0 "sst,sst_lo80,sst_hi80"
	[ "${#lines[@]}" -eq 4 ]
	# lo <= value <= hi
	rnn-predict -m m.gz --interval 80 --forecast 3 "$TESTDATA/series/elnino.csv" |
		awk -F, 'NR > 1 && !($(NF-1) <= $(NF-2) && $(NF-2) <= $NF) { exit 1 }'
	rnn-predict -m m.gz --interval 80 "$TESTDATA/series/elnino.csv" > p.csv
	rnn-predict -m m.gz --interval 80 --stream < "$TESTDATA/series/elnino.csv" > s.csv
	cmp p.csv s.csv
}

@test "--interval: a model trained without --val has no residuals: 65" {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0 \
		"$TESTDATA/series/elnino.csv" > m.gz
	run -0 bash -c "zcat m.gz | sed -n '1,/^end\$/p' | grep -c interval || true"
	assert_output 0
	run --separate-stderr rnn-predict -m m.gz --interval 80 "$TESTDATA/series/elnino.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == "rnn-predict: m.gz: the model has no validation residuals for --interval: train it with --val"* ]]
}

@test "--interval: too few validation windows for a level: 65 naming how many it needs" {
	head -n 31 "$TESTDATA/series/elnino.csv" > short.csv
	# 25 windows of 6 rows, the last 5 for validation
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0.2 short.csv > m.gz
	run -0 bash -c "zcat m.gz | sed -n '1,/^end\$/p'"
	assert_line "interval-windows: 5"
	assert_line "interval-steps: 5"
	assert_line "tensor: interval.count f64 5x1"
	assert_line "tensor: interval.residuals f64 5x5"
	run -0 rnn-predict -m m.gz --interval 80 short.csv
	run --separate-stderr rnn-predict -m m.gz --interval 80,95 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.gz: a 95% interval needs 19 validation windows, and the model has 5: train it with a larger --val"
	# step 2 has 4 windows, enough for 80%; step 3 has 3
	run -0 rnn-predict -m m.gz --interval 80 --forecast 2 short.csv
	run --separate-stderr rnn-predict -m m.gz --interval 80 --forecast 3 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.gz: a 80% interval 3 steps ahead needs 4 validation windows with a forecast that long, and the model has 3: train it with a larger --val"
	run --separate-stderr rnn-predict -m m.gz --interval 50 --forecast 6 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.gz: the model has residuals of forecasts up to 5 steps ahead, not 6: train it with a larger --val for longer intervals"
}

@test "--interval: a model that cannot forecast keeps one step" {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0.2 \
		--horizon 3 "$TESTDATA/series/elnino.csv" > m.gz
	run -0 bash -c "zcat m.gz | sed -n '1,/^end\$/p' | grep '^interval-steps'"
	assert_output "interval-steps: 1"
	run -0 rnn-predict -m m.gz --interval 90 "$TESTDATA/series/elnino.csv"
	run --separate-stderr rnn-predict -m m.gz --interval 90 --forecast 2 "$TESTDATA/series/elnino.csv"
	assert_failure 65
	[[ "$stderr" == "rnn-predict: --forecast feeds predictions back as inputs"* ]]
}

@test "--interval: bad levels and modes are usage errors" {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0.3 \
		"$TESTDATA/series/elnino.csv" > m.gz
	for bad in 0 100 80,80 x 80, ""; do
		run --separate-stderr rnn-predict -m m.gz --interval "$bad" "$TESTDATA/series/elnino.csv"
		assert_failure 64
		assert_output ""
	done
	run rnn-predict -m m.gz --interval 80 --score "$TESTDATA/series/elnino.csv"
	assert_failure 64
	run rnn-predict -m m.gz --interval 80 --export d
	assert_failure 64
}

@test "--interval: residuals are those of the kept model, and a resume without --val drops them" {
	rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 6 --epochs 3 --val 0.3 \
		"$TESTDATA/series/elnino.csv" > m.gz
	rnn-train --ensemble 1 -q --cell elman --hidden 4 --window 6 --epochs 3 --val 0.3 \
		"$TESTDATA/series/elnino.csv" > m2.gz
	cmp m.gz m2.gz
	rnn-train --ensemble 1 -q --init m.gz --epochs 4 --val 0 "$TESTDATA/series/elnino.csv" > r.gz
	run -0 bash -c "zcat r.gz | sed -n '1,/^end\$/p' | grep -c interval || true"
	assert_output 0
}

# reseal RAW: a new trailer (RKCRC, crc32, length) for RAW's body
reseal() {
	local n crc
	head -c -17 "$1" > body
	n=$(wc -c < body)
	crc=$(gzip -c < body | tail -c 8 | head -c 4 | od -An -tx1 | tr -d ' \n')
	{
		cat body
		printf RKCRC
		printf "$(echo "$crc" | sed 's/../\\x&/g')"
		printf "$(printf '%016x' "$n" | sed 's/../& /g' | awk '{ for (i = NF; i >= 1; i--) printf "\\x%s", $i }')"
	} > "$1"
}

@test "--interval: a stream whose residuals are not sorted is rejected (65)" {
	head -n 31 "$TESTDATA/series/elnino.csv" > short.csv
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0.2 short.csv > m.gz
	gzip -dc m.gz > m.raw
	cp m.raw ok.raw
	reseal ok.raw
	cmp m.raw ok.raw        # the helper reseals as the writer does
	# the first residual of step 1 (interval.residuals is the last
	# tensor: 5 x 5 f64) becomes +Inf, before finite ones
	n=$(wc -c < m.raw)
	printf '\x00\x00\x00\x00\x00\x00\xf0\x7f' |
		dd of=m.raw bs=1 seek=$((n - 17 - 200)) conv=notrunc 2>/dev/null
	reseal m.raw
	run --separate-stderr rnn-predict -m m.raw --interval 80 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.raw: interval.residuals are not sorted residuals (step 1, output 1)"
}

@test "--interval: more than 99 validation windows keep the 99 quantiles, not every residual; older streams load to the same intervals" {
	d="$TESTDATA/models"
	# pre-quantiles.gz: 145 windows, 100 steps, every residual (19 KB)
	{ rnn-predict -m "$d/pre-quantiles.gz" --interval 80,95 "$TESTDATA/series/elnino.csv"
	  rnn-predict -m "$d/pre-quantiles.gz" --interval 1,50,99 --forecast 12 "$TESTDATA/series/elnino.csv"
	} > old.out
	assert_file_equal "$d/pre-quantiles.out" old.out
	# trained the same way today (the residuals not widened, no blend, as
	# then): the quantile table, the same intervals
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --ensemble 1 \
		--val 0.2 --linear none --interval-widen none --forecast-blend none \
		"$TESTDATA/series/elnino.csv" > q.gz
	run -0 ws_header q.gz
	assert_line "interval-windows: 145"
	assert_line "tensor: interval.quantiles f64 100x99"
	refute_line --partial "interval.residuals"
	{ rnn-predict -m q.gz --interval 80,95 "$TESTDATA/series/elnino.csv"
	  rnn-predict -m q.gz --interval 1,50,99 --forecast 12 "$TESTDATA/series/elnino.csv"
	} > new.out
	assert_file_equal "$d/pre-quantiles.out" new.out
	[ "$(wc -c < q.gz)" -lt "$(wc -c < "$d/pre-quantiles.gz")" ]
}

@test "--interval: a quantile table that does not ascend is rejected (65)" {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --ensemble 1 \
		--val 0.2 --linear none "$TESTDATA/series/elnino.csv" > q.gz
	gzip -dc q.gz > q.raw
	# the level-1 quantile of step 1 (interval.quantiles is the last
	# tensor: 100 x 99 f64) becomes +Inf, before finite ones
	n=$(wc -c < q.raw)
	printf '\x00\x00\x00\x00\x00\x00\xf0\x7f' |
		dd of=q.raw bs=1 seek=$((n - 17 - 79200)) conv=notrunc 2>/dev/null
	reseal q.raw
	run --separate-stderr rnn-predict -m q.raw --interval 80 "$TESTDATA/series/elnino.csv"
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: q.raw: interval.quantiles are not sorted residuals (step 1, output 1)"
}

# grow N SEED: a header x and N values of 10 + (1 + 4 i/N) e, e ~ N(0, 1):
# noise whose spread grows fivefold along the series
grow() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed); print "x"
		for (i = 0; i < n; i++) {
			u = rand(); v = rand(); if (u < 1e-12) u = 1e-12
			printf "%.4f\n", 10 + (1 + 4 * i / n) * sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
		}
	}'
}

# coverage FILE: the share of --align rows with a prediction whose 80%
# interval holds the value, over all of them and over the last third
coverage() {
	awk -F, 'NR > 1 && $2 != "" && $1 != "" { n++; h[n] = $1 >= $3 && $1 <= $4 }
		END { for (i = 1; i <= n; i++) { c += h[i]; if (i > 2 * n / 3) { c3 += h[i]; n3++ } }
		      printf "%.3f %.3f\n", c / n, c3 / n3 }' "$1"
}

@test "--interval-scale diff: 80% intervals keep covering 70-85% where the noise grows; none falls short" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	grow 3000 11 > all.csv
	head -n 1501 all.csv > train.csv
	{ echo x; tail -n 1500 all.csv; } > test.csv
	# the default is diff; the scale alone, not widened
	rnn-train -q --cell elman --hidden 4 --window 12 --epochs 5 --val 0.3 \
		--transform none --interval-widen none train.csv > d.gz
	run -0 bash -c "zcat d.gz | sed -n '1,/^end\$/p' | grep '^interval-scale'"
	assert_output "interval-scale: diff"
	rnn-train -q --cell elman --hidden 4 --window 12 --epochs 5 --val 0.3 \
		--transform none --interval-scale none --interval-widen none \
		train.csv > n.gz
	rnn-predict -m d.gz --align --interval 80 test.csv > d.csv
	rnn-predict -m n.gz --align --interval 80 test.csv > n.csv
	read -r d dl < <(coverage d.csv)
	read -r n nl < <(coverage n.csv)
	echo "80% coverage: diff $d (last third $dl), none $n (last third $nl)" >&3
	assert_lt 0.70 "$d" "diff"
	assert_lt "$d" 0.85 "diff"
	# the reference scale r damps the growth: a little short at the end
	assert_lt 0.68 "$dl" "diff, last third"
	assert_lt "$dl" 0.85 "diff, last third"
	# the validation part's errors are smaller than the later ones
	assert_lt "$n" 0.66 "none"
	assert_lt "$nl" 0.60 "none, last third"
}

@test "--interval-widen auto: every interval is widened by sqrt(max(rho, 1/rho)), rho the mean absolute change on the validation windows over that before them" {
	# noise of sd 3, then of sd 1 from row 200 (0-based): 300 rows,
	# window 12, 289 windows, the last 87 validate, from row 202
	awk 'BEGIN { srand(5); print "x"
		for (i = 0; i < 300; i++) {
			u = rand(); v = rand(); if (u < 1e-12) u = 1e-12
			printf "%.4f\n", 10 + (i < 200 ? 3 : 1) * sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
		} }' > train.csv
	# rho: the changes into rows 203..299 over those into rows 1..202
	f=$(awk 'NR > 1 { x[NR - 2] = $1 } END {
		for (t = 1; t < 300; t++) { d = x[t] - x[t - 1]; d = d < 0 ? -d : d
			if (t > 202) { v += d; nv++ } else { b += d; nb++ } }
		r = (v / nv) / (b / nb); if (r < 1) r = 1 / r; printf "%.9f\n", sqrt(r) }' train.csv)
	opts="--cell elman --hidden 4 --window 12 --epochs 3 --ensemble 1 --val 0.3 --transform none --linear none"
	# the default is auto, and says so
	run --separate-stderr rnn-train $opts -o w.gz train.csv
	assert_success
	run -0 grep -c '^intervals: errors widened by ' <<<"$stderr"
	rnn-train -q $opts --interval-widen none -o n.gz train.csv
	# a forecast's 3 steps, then the last 20 one-step predictions
	for m in w n; do
		rnn-predict -m $m.gz --forecast 3 --interval 80 train.csv > $m.csv
		rnn-predict -m $m.gz --interval 80 train.csv | tail -n 20 >> $m.csv
	done
	# the same predictions; every half-width f times the unwidened one
	read -r worst n < <(paste -d, w.csv n.csv | awk -F, -v f="$f" '
		NR == 1 { next }
		$1 != $4 { print "differ", 0; exit }
		{ r = ($3 - $2) / ($6 - $5) / f - 1; r = r < 0 ? -r : r
		  if (r > w) w = r; n++ }
		END { printf "%.3g %d\n", w, n }')
	echo "f $f (sd 1 after sd 3: sqrt(3) = 1.732 expected roughly); worst relative error $worst over $n half-widths" >&3
	assert_lt 1.5 "$f" "f"
	assert_lt "$f" 2 "f"
	assert_equal "$n" 23
	assert_lt "$worst" 1e-6 "half-width / (f unwidened) - 1"
	run -64 rnn-train -q $opts --interval-widen some train.csv
	assert_output --partial "unknown interval-widen 'some' (auto or none)"
}

@test "--interval-scale diff: flat windows (intermittent counts) keep intervals near the unscaled ones" {
	# 85% zeros, else 1 to 5: many windows do not change at all
	awk 'BEGIN { srand(9); print "x"; for (i = 0; i < 600; i++) print rand() < 0.15 ? int(1 + 5 * rand()) : 0 }' > all.csv
	head -n 401 all.csv > train.csv
	{ echo x; tail -n 200 all.csv; } > test.csv
	rnn-train -q --cell elman --hidden 4 --epochs 5 train.csv > d.gz
	rnn-train -q --cell elman --hidden 4 --epochs 5 --interval-scale none train.csv > n.gz
	for m in d n; do
		rnn-predict -m $m.gz --align --interval 80 test.csv |
			awk -F, 'NR > 1 && $2 != "" && $1 != "" { n++; w += ($4 - $3) / 2; if ($1 >= $3 && $1 <= $4) c++ }
				END { printf "%.3f %.4f\n", c / n, w / n }' > $m.txt
	done
	read -r dc dw < d.txt
	read -r nc nw < n.txt
	echo "80%: diff $dc (mean half-width $dw), none $nc ($nw)" >&3
	assert_lt 0.75 "$dc" "diff"
	assert_lt 0.75 "$nc" "none"
	# a ratio to a scale of 0 would make them without bound
	assert_lt "$dw" "$(awk -v w="$nw" 'BEGIN { print 1.5 * w }')" "diff's half-width"
}

@test "--interval-scale diff: a one-step interval is the prediction +- q (l + r), l its window's mean absolute change, r the validation windows' mean" {
	grow 400 5 > g.csv
	rnn-train -q --cell elman --hidden 4 --window 12 --epochs 2 --val 0.3 \
		--transform none g.csv > d.gz
	n=$(ws_header d.gz | sed -n 's/^interval-windows: //p')
	[ "$n" -eq 116 ]        # round(0.3 * 388)
	rnn-predict -m d.gz --align --interval 80 g.csv > a.csv
	# row r's window is rows r-12 .. r-1: with no transform, the scaled
	# changes times the scale are the data's own; the validation windows
	# are the last n of the 388, rows 388-n .. 399 (0-based)
	read -r rows r lo hi < <(awk -F, -v W=12 -v n="$n" 'NR > 1 { r = NR - 2; x[r] = $1; w[r] = ($4 - $3) / 2 }
		function l(e,   s, t) {     # the window ending at row e
			for (t = e - W + 2; t <= e; t++)
				s += x[t] > x[t - 1] ? x[t] - x[t - 1] : x[t - 1] - x[t]
			return s / (W - 1)
		}
		END {
			for (j = 388 - n; j < 388; j++) ref += l(j + W - 1)
			ref /= n
			for (r = W; r < 400; r++) {
				q = w[r] / (l(r - 1) + ref)
				if (!m++ || q < lo) lo = q
				if (m == 1 || q > hi) hi = q
			}
			printf "%d %.9g %.9g %.9g\n", m, ref, lo, hi
		}' a.csv)
	echo "rows $rows: r $r, half-width over l + r $lo .. $hi" >&3
	[ "$rows" -eq 388 ]
	assert_lt 0.3 "$lo" "q"
	assert_lt "$hi" "$(awk -v x="$lo" 'BEGIN { printf "%.9g", x * (1 + 1e-6) }')" "the same q"
	# r is in the model
	run -0 bash -c "zcat d.gz | sed -n '1,/^end\$/p' | grep '^tensor: interval.scale'"
	assert_output "tensor: interval.scale f64 1x1"
	# the last row's interval is step 1 of --forecast, and --stream's
	tail -n 1 a.csv | cut -d, -f 2- > last.csv
	rnn-predict -m d.gz --forecast 1 --interval 80 g.csv | tail -n 1 > f1.csv
	cmp last.csv f1.csv
	rnn-predict -m d.gz --interval 80 g.csv > p.csv
	rnn-predict -m d.gz --interval 80 --stream < g.csv > s.csv
	cmp p.csv s.csv
	# step 2 keeps its residuals as they are: the same width from any origin
	head -n 300 g.csv > h1.csv
	w1=$(rnn-predict -m d.gz --forecast 2 --interval 80 h1.csv | awk -F, 'NR == 3 { printf "%.6f", $3 - $2 }')
	w2=$(rnn-predict -m d.gz --forecast 2 --interval 80 g.csv | awk -F, 'NR == 3 { printf "%.6f", $3 - $2 }')
	assert_equal "$w1" "$w2"
}

@test "--interval-scale: a bad value is a usage error; an unknown one in a model is rejected (65)" {
	run --separate-stderr rnn-train -q --interval-scale level "$TESTDATA/series/elnino.csv"
	assert_failure 64
	assert_output ""
	[[ "$stderr" == *"unknown interval-scale 'level' (diff or none)"* ]]
	head -n 31 "$TESTDATA/series/elnino.csv" > short.csv
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --val 0.2 short.csv > m.gz
	gzip -dc m.gz | sed 's/^interval-scale: diff$/interval-scale: dixx/' > m.raw
	reseal m.raw
	run --separate-stderr rnn-predict -m m.raw --interval 80 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.raw: unknown interval-scale 'dixx' (diff)"
	# interval.scale (1x1 f64) comes before interval.count (5x1) and
	# interval.residuals (5x5): made -1
	gzip -dc m.gz > m.raw
	n=$(wc -c < m.raw)
	printf '\x00\x00\x00\x00\x00\x00\xf0\xbf' |
		dd of=m.raw bs=1 seek=$((n - 17 - 200 - 40 - 8)) conv=notrunc 2>/dev/null
	reseal m.raw
	run --separate-stderr rnn-predict -m m.raw --interval 80 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.raw: interval.scale is not a positive scale (output 1)"
}

@test "--forecast-blend 0: a forecast's steps 2 on are the seasonal naive forecast, step 1 the net's; none writes no blend" {
	head -n 121 "$TESTDATA/series/elnino.csv" > s.csv
	args="-q --cell elman --hidden 4 --epochs 2 --ensemble 1 --period 12 --window 24 --transform none --val 0.2"
	rnn-train $args --forecast-blend none s.csv > n.gz
	rnn-train $args --forecast-blend 0 s.csv > b.gz
	run -0 ws_header b.gz
	assert_line "forecast-period: 12"
	assert_line "forecast-blend: 0"
	run -0 ws_header n.gz
	refute_line --partial "forecast-"
	rnn-predict -m n.gz --forecast 14 s.csv > n.out
	rnn-predict -m b.gz --forecast 14 s.csv > b.out
	# step 1: the net's, as without a blend
	assert_equal "$(sed -n 2p b.out)" "$(sed -n 2p n.out)"
	# step h: the value of row T + h - 12 ceil(h / 12), T the last
	tail -n 24 s.csv | cut -d, -f2 > last24
	for h in 2 3 12 13 14; do
		back=$(( 12 * ((h + 11) / 12) ))
		want=$(sed -n "$(( 24 + h - back ))p" last24)
		got=$(sed -n "$(( h + 1 ))p" b.out)
		[ "$(awk -v a="$got" -v b="$want" 'BEGIN { print (a - b < 1e-9 && b - a < 1e-9) }')" = 1 ] ||
			{ echo "step $h: $got, want $want"; false; }
	done
}

@test "--forecast-blend auto: the weight of the least squared error on the validation forecasts, and the blend's residuals for its intervals" {
	# a season that repeats exactly: the seasonal naive forecast has no
	# error, a net of one epoch does
	awk 'BEGIN { print "x"; for (i = 0; i < 120; i++) print (i * 7) % 12 + (i % 12 == 3 ? 20 : 0) }' > p.csv
	run --separate-stderr rnn-train --cell elman --hidden 4 --epochs 1 --ensemble 1 --period 12 \
		--window 24 --transform none --linear none --val 0.3 --forecast-blend auto -o a.gz p.csv
	assert_success
	[[ "$stderr" == *"forecast blend: steps 2 on 0 net + 1 seasonal naive (period 12): the least squared error of the validation windows' forecasts"* ]]
	run -0 ws_header a.gz
	assert_line "forecast-blend: 0"
	run -0 rnn-predict -m a.gz --forecast 3 --interval 80 p.csv
	# steps 2 and 3: the naive values, with intervals of width 0
	assert_line --index 2 "$(sed -n 111p p.csv),$(sed -n 111p p.csv),$(sed -n 111p p.csv)"
	assert_line --index 3 "$(sed -n 112p p.csv),$(sed -n 112p p.csv),$(sed -n 112p p.csv)"
	# auto is the default: the same choice without the option, and
	# none writes no blend
	rnn-train -q --cell elman --hidden 4 --epochs 1 --ensemble 1 --period 12 --window 24 \
		--transform none --linear none --val 0.3 p.csv > d.gz
	cmp a.gz d.gz
	rnn-train -q --cell elman --hidden 4 --epochs 1 --ensemble 1 --period 12 --window 24 \
		--transform none --linear none --val 0.3 --forecast-blend none p.csv > n.gz
	run -0 ws_header n.gz
	refute_line --partial "forecast-"
}

@test "--forecast-blend: a weight outside 0..1 is a usage error; a bad blend in a model is rejected (65)" {
	run --separate-stderr rnn-train -q --forecast-blend 1.5 "$TESTDATA/series/elnino.csv"
	assert_failure 64
	assert_output ""
	[[ "$stderr" == *"--forecast-blend"* ]]
	head -n 61 "$TESTDATA/series/elnino.csv" > short.csv
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 1 --ensemble 1 --val 0.2 \
		--forecast-blend 0 short.csv > m.gz
	gzip -dc m.gz | sed 's/^forecast-blend: 0$/forecast-blend: 2/' > m.raw
	reseal m.raw
	run --separate-stderr rnn-predict -m m.raw --forecast 3 short.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: m.raw: forecast-blend needs 1 weight in [0, 1], comma-separated, not '2'"
}

@test "--forecast-blend: an export keeps the blend, and the imported model forecasts the same; a classifier has none" {
	cd "$BATS_TEST_TMPDIR"
	E="$TESTDATA/series/elnino.csv"
	rnn-train -q --forecast-blend 0.5 --ensemble 1 --epochs 2 --hidden 4 "$E" > b.gz
	rnn-predict -m b.gz --export ex
	grep -qx 'forecast-blend=0.5' ex/config
	grep -qx 'forecast-period=12' ex/config
	rnn-predict -m b.gz --forecast 6 "$E" > a.csv
	rnn-predict --import ex --forecast 6 "$E" > i.csv
	cmp a.csv i.csv
	# without the keys the import forecasts with the net alone
	sed -i '/^forecast-/d' ex/config
	rnn-predict --import ex --forecast 6 "$E" > n.csv
	! cmp -s a.csv n.csv
	# a blend without its period is refused
	printf 'forecast-blend=0.5\n' >> ex/config
	run --separate-stderr rnn-predict --import ex --forecast 6 "$E"
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: ex/config: missing 'forecast-period='"
	# a classifier has no recursive forecast: no blend, no key, no line
	run --separate-stderr rnn-train --forecast-blend auto --ensemble 1 --epochs 1 --loss ce --target label -o c.gz "$TESTDATA/classify/train.csv"
	assert_success
	[[ "$stderr" != *"forecast blend"* ]] || fail "$stderr"
	run -0 ws_header c.gz
	refute_line --partial "forecast-"
}
