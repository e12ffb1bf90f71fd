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
}

@test "80% forecast intervals cover 70-90% of noise at steps 1 and 5" {
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
	rnn-train -q --cell elman --hidden 4 --window 5 --epochs 10 --val 0.5 \
		--transform diff walk.csv > w.gz
	run -0 bash -c "zcat w.gz | sed -n '1,/^end\$/p' | grep '^interval-'"
	assert_line "interval-steps: 100"
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
