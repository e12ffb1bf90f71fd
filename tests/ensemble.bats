#!/usr/bin/env bats
# rnn-train --ensemble (issue 7): N members with seeds S..S+N-1, trained
# whole on threads, in one model stream; rnn-predict predicts their median.

load test_helper
load rnn_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a small recipe: fast, early stopping, residuals for --interval
small() {
	rnn-train -q --cell elman --hidden 4 --window 6 --epochs 12 --val 0.2 \
		--patience 3 --transform none "$@"
}
DATA="$TESTDATA/series/elnino.csv"

# member_bytes STREAM K: the tensor bytes of member K (1: the tensors
# without an "mK." prefix, scaling and residuals left out), from the
# header's tensor lines
member_bytes() {
	local spec
	spec=$(ws_header "$1" | awk -v k="$2" '
		/^tensor: / {
			split($4, d, "x"); n = d[1] * d[2] * ($3 == "f64" ? 8 : 4)
			if (k == 1)
				mine = $2 !~ /^m[0-9]+\./ && $2 !~ /^(scale|interval|optim|fit|linear)\./
			else
				mine = index($2, "m" k ".") == 1
			if (mine) { if (!got) { start = off; got = 1 }; len += n }
			off += n
		}
		END { print start + 0, len + 0 }')
	[[ "${spec#* }" -gt 0 ]] || { echo "no member $2 in $1" >&2; return 1; }
	ws_data "$1" | tail -c +$((${spec% *} + 1)) | head -c "${spec#* }"
}

# median_csv FILE...: per cell, the median of the files' numbers (CSV of
# one header line and equal shapes); even counts: the mean of the middle two
median_csv() {
	awk -F, -v n="$#" '
		FNR == 1 { f++; if (f == 1) print; next }
		{ for (i = 1; i <= NF; i++) v[FNR, i, f] = $i; rows = FNR; nf = NF }
		END {
			for (r = 2; r <= rows; r++) {
				for (i = 1; i <= nf; i++) {
					for (k = 1; k <= n; k++) s[k] = v[r, i, k] + 0
					for (a = 2; a <= n; a++)
						for (b = a; b > 1 && s[b - 1] > s[b]; b--) {
							t = s[b]; s[b] = s[b - 1]; s[b - 1] = t
						}
					m = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
					printf "%s%.17g", (i > 1 ? "," : ""), m
				}
				printf "\n"
			}
		}' "$@"
}

@test "member k has the weights of --seed S+k --threads 1, bit for bit" {
	small --ensemble 3 --seed 5 --threads 2 -o e.gz "$DATA"
	for k in 1 2 3; do
		small --ensemble 1 --seed $((4 + k)) --threads 1 -o s$k.gz "$DATA"
		member_bytes e.gz $k > e$k.bin
		member_bytes s$k.gz 1 > s$k.bin
		cmp e$k.bin s$k.bin
	done
	# and they differ from each other
	! cmp -s e1.bin e2.bin
}

@test "with --refit, member k is the refit of --seed S+k" {
	small --ensemble 2 --refit --seed 3 -o e.gz "$DATA"
	for k in 1 2; do
		small --ensemble 1 --refit --seed $((2 + k)) -o s$k.gz "$DATA"
		member_bytes e.gz $k > e$k.bin
		member_bytes s$k.gz 1 > s$k.bin
		cmp e$k.bin s$k.bin
	done
	# the header says what the refits ran, each one net's epochs: B
	local e b
	e=$(for k in 1 2; do ws_header s$k.gz | sed -n 's/^epochs: //p'; done | paste -sd' ')
	b=$(for k in 1 2; do ws_header s$k.gz | sed -n 's/^best-epoch: //p'; done | paste -sd' ')
	assert_equal "$e" "$b"
	run -0 ws_header e.gz
	assert_line "refit: $e epochs on 726 windows"
	assert_line "member-epochs: $e"
	assert_line "member-best-epochs: $b"
}

@test "the ensemble is the same stream, byte for byte, for --threads 1, 2 and 3" {
	for t in 1 2 3; do
		small --ensemble 3 --threads $t -o e$t.gz "$DATA"
	done
	cmp e1.gz e2.gz
	cmp e1.gz e3.gz
	run -0 ws_header e1.gz
	refute_line --regexp '^threads:'
}

@test "the header says ensemble: N and each member's epochs; one net has no such keys" {
	small --ensemble 3 -o e.gz "$DATA"
	for k in 1 2 3; do
		small --ensemble 1 --seed $k -o s$k.gz "$DATA"
	done
	run -0 ws_header e.gz
	assert_line "ensemble: 3"
	refute_line --regexp '^(epochs|best-epoch|train-loss):'
	# member k's numbers are those of the run with seed k
	local e b
	e=$(for k in 1 2 3; do ws_header s$k.gz | sed -n 's/^epochs: //p'; done | paste -sd' ')
	b=$(for k in 1 2 3; do ws_header s$k.gz | sed -n 's/^best-epoch: //p'; done | paste -sd' ')
	assert_line "member-epochs: $e"
	assert_line "member-best-epochs: $b"
	assert_line --regexp '^member-val-loss: [0-9.e-]+ [0-9.e-]+ [0-9.e-]+$'
	assert_line --regexp '^tensor: m3\.fc\.bias f32 1x1$'
	run -0 ws_header s1.gz
	refute_line --regexp '^(ensemble|member-)'
	# nor a threads key: a net is the same for any --threads
	refute_line --regexp '^threads:'
	assert_line "seed: 1"
}

@test "without --ensemble, rnn-train trains an ensemble of 5" {
	rnn-train -q --cell elman --hidden 2 --window 4 --epochs 1 -o e.gz "$TESTDATA/ramp.csv"
	run -0 ws_header e.gz
	assert_line "ensemble: 5"
	assert_line "member-epochs: 1 1 1 1 1"
}

@test "predictions are the median of the members' (odd N exactly, even N the middle mean)" {
	small --ensemble 3 -o e3.gz "$DATA"
	small --ensemble 2 -o e2.gz "$DATA"
	for k in 1 2 3; do
		small --ensemble 1 --seed $k -o s$k.gz "$DATA"
		rnn-predict -m s$k.gz "$DATA" > p$k.csv
	done
	rnn-predict -m e3.gz "$DATA" > e3.csv
	median_csv p1.csv p2.csv p3.csv > want3.csv
	assert_csv_close want3.csv e3.csv 0
	rnn-predict -m e2.gz "$DATA" > e2.csv
	median_csv p1.csv p2.csv > want2.csv
	assert_csv_close want2.csv e2.csv 1e-5
	# not just member 1's
	run ! cmp -s p1.csv e3.csv
}

@test "--forecast feeds the median back: step 2 is the median from the series with step 1 appended" {
	small --ensemble 3 -o e.gz "$DATA"
	for k in 1 2 3; do
		small --ensemble 1 --seed $k -o s$k.gz "$DATA"
	done
	rnn-predict -m e.gz --forecast 2 "$DATA" > f.csv
	run -0 wc -l < f.csv
	assert_output 3
	{ cat "$DATA"; sed -n 2p f.csv; } > longer.csv
	for k in 1 2 3; do
		rnn-predict -m s$k.gz "$DATA" | tail -n 1 > a$k.csv
		rnn-predict -m s$k.gz longer.csv | tail -n 1 > b$k.csv
	done
	{ echo sst; median_csv <(echo sst; cat a1.csv) <(echo sst; cat a2.csv) \
		<(echo sst; cat a3.csv) | tail -n 1
	  median_csv <(echo sst; cat b1.csv) <(echo sst; cat b2.csv) \
		<(echo sst; cat b3.csv) | tail -n 1; } > want.csv
	assert_csv_close want.csv f.csv 1e-5
}

@test "--stream, --align and --score use the median too" {
	small --ensemble 3 -o e.gz "$DATA"
	rnn-predict -m e.gz "$DATA" > batch.csv
	rnn-predict -m e.gz --stream "$DATA" > stream.csv
	assert_file_equal batch.csv stream.csv
	rnn-predict -m e.gz --align "$DATA" > align.csv
	# the aligned predictions are the batch ones, a row later
	tail -n +2 batch.csv | sed '$d' > want.csv
	awk -F, 'NR > 2 && $2 != "" { print $2 }' align.csv | head -n "$(wc -l < want.csv)" > got.csv
	assert_file_equal want.csv got.csv
	# --score's model RMSE is the RMSE of those predictions
	local rmse
	rmse=$(awk -F, 'NR > 1 && $1 != "" && $2 != "" { d = $1 - $2; s += d * d; n++ } END { printf "%.17g", sqrt(s / n) }' align.csv)
	rnn-predict -m e.gz --score "$DATA" > score.csv
	run -0 csv_field score.csv 2 2
	# (printed within 5e-6 of its value, relative)
	awk -v a="$output" -v b="$rmse" 'BEGIN { d = a - b; exit !(d < 1e-5 * b && d > -1e-5 * b) }' ||
		fail "--score rmse $output, aligned predictions give $rmse"
}

@test "--interval's residuals are those of the median predictions on the validation windows" {
	# the residuals as they are (--interval-scale diff, the default,
	# keeps step 1's relative to each window's scale, and
	# --interval-widen auto widens them: interval.bats)
	small --ensemble 3 --interval-scale none --interval-widen none -o e.gz "$DATA"
	n=$(ws_header e.gz | sed -n 's/^interval-windows: //p')
	rnn-predict -m e.gz --align "$DATA" > align.csv
	# the validation windows predict the last n rows; the 80% half-width
	# is the ceil((n+1) 0.8)-th smallest of their absolute residuals
	q=$(awk -F, 'NR > 1 && $1 != "" && $2 != "" { d = $1 - $2; print d < 0 ? -d : d }' align.csv |
		tail -n "$n" | sort -g | sed -n "$(( ((n + 1) * 80 + 99) / 100 ))p")
	rnn-predict -m e.gz --interval 80 "$DATA" | tail -n 1 > iv.csv
	# within the digits printed
	awk -F, -v q="$q" '{ w = $3 - $1; d = w - q; exit !(d < 1e-5 * q && d > -1e-5 * q) }' iv.csv ||
		fail "half-width $(awk -F, '{ print $3 - $1 }' iv.csv), expected $q"
}

@test "an ensemble with --init, --import, --log or --checkpoint is a usage error" {
	small --ensemble 1 -o one.gz "$DATA"
	rnn-predict -m one.gz --export dir
	fails_with 64 "rnn-train: --ensemble 3: --init goes with one net only (--ensemble 1)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 3 --init one.gz "$DATA"
	fails_with 64 "rnn-train: --ensemble 3: --import goes with one net only (--ensemble 1)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 3 --import dir "$DATA"
	fails_with 64 "rnn-train: --ensemble 2: --log goes with one net only (--ensemble 1)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 2 --log log.csv "$DATA"
	fails_with 64 "rnn-train: --ensemble 2: --checkpoint goes with one net only (--ensemble 1)
Try 'rnn-train --help' for more information." \
		rnn-train --ensemble 2 --checkpoint ck.gz "$DATA"
	[[ ! -e log.csv && ! -e ck.gz ]]
}

@test "without --ensemble, --init, --log and --checkpoint train one net" {
	small -o one.gz --log log.csv --checkpoint ck.gz "$DATA"
	for f in one.gz ck.gz; do
		run -0 ws_header $f
		refute_line --regexp '^ensemble:'
	done
	small -o two.gz --init one.gz --epochs +2 "$DATA"
	run -0 ws_header two.gz
	refute_line --regexp '^ensemble:'
}

@test "--init of an ensemble and --export of one are usage errors" {
	small --ensemble 2 -o e.gz "$DATA"
	fails_with 64 "rnn-train: --init continues one net, and 'e.gz' is an ensemble of 2
Try 'rnn-train --help' for more information." \
		rnn-train --init e.gz "$DATA"
	fails_with 64 "rnn-predict: --export writes the tensors of one net, and 'e.gz' is an ensemble of 2 (rnn-train --ensemble 1 trains one)
Try 'rnn-predict --help' for more information." \
		rnn-predict -m e.gz --export dir
	[[ ! -e dir ]]
}

@test "--ensemble out of range: 0, 101, or more tensors than a stream holds" {
	fails_with 64 "rnn-train: --ensemble must be between 1 and 100 (got 0)
Try 'rnn-train --help' for more information." rnn-train --ensemble 0 "$DATA"
	fails_with 64 "rnn-train: --ensemble must be between 1 and 100 (got 101)
Try 'rnn-train --help' for more information." rnn-train --ensemble 101 "$DATA"
	fails_with 64 "rnn-train: --ensemble 100 of 3-layer nets needs more than the 1024 tensors a model holds
Try 'rnn-train --help' for more information." rnn-train --ensemble 100 --layers 3 "$DATA"
}

@test "a member that diverges stops the run (65), naming it; no model" {
	printf '%de16\n' 1 2 3 4 5 6 7 > blow.csv
	# --linear none: an autoregression would leave the net too little to
	# blow up on
	run --separate-stderr rnn-train --transform none --linear none --cell elman --activation relu --scaling none \
		--clip-norm 0 --optimizer sgd --momentum 0 --lr 1e6 --hidden 4 --window 2 --epochs 1 \
		--ensemble 2 --val 0 -o m.gz blow.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: member 1 of 2 (seed 1): training diverged: a weight turned NaN or infinite in epoch 1 (try a smaller --lr or --clip-norm)"
	[[ ! -e m.gz ]]
}

@test "progress: one line per member as it ends, then the ensemble's loss; -q is silent" {
	run --separate-stderr rnn-train --cell elman --hidden 4 --window 6 --epochs 12 --val 0.2 \
		--patience 3 --transform none --ensemble 3 -o e.gz "$DATA"
	assert_success
	local got
	got=$(printf '%s\n' "$stderr" | grep '^member' | sort)
	[[ $(printf '%s\n' "$got" | wc -l) -eq 3 ]] || fail "$stderr"
	printf '%s\n' "$got" | grep -q -E '^member 2/3: epoch [0-9]+ of [0-9]+ kept \(val [0-9.e-]+\)$' ||
		fail "$stderr"
	local last want
	last=$(printf '%s\n' "$stderr" | tail -n 1)
	[[ "$last" =~ ^"ensemble of 3: validation loss "([0-9.e-]+)" (the median of the members' predictions)"$ ]] ||
		fail "$last"
	# the header's val-loss, to the digits printed
	want=$(ws_header e.gz | sed -n 's/^val-loss: //p')
	awk -v a="${BASH_REMATCH[1]}" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-4 * b && d > -1e-4 * b) }' ||
		fail "printed ${BASH_REMATCH[1]}, header $want"
	run --separate-stderr small --ensemble 3 -o q.gz "$DATA"
	assert_success
	assert_equal "$stderr" ""
}

# with_sigint CMD...: CMD with SIGINT at its default action (see
# train-loop.bats)
with_sigint() {
	exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' "$@"
}

@test "ctrl-c: the members stop, their ensemble is written, exit 130" {
	# an elman net of 4 whose epochs take milliseconds: every member has
	# ended one within the 2 s, even sanitized on a loaded machine
	with_sigint rnn-train --cell elman --hidden 4 --window 6 --epochs 100000 --val 0 --ensemble 3 --threads 3 \
		-o m.gz "$DATA" 2> err &
	local pid=$! rc=0
	sleep 2
	kill -INT $pid
	wait $pid || rc=$?
	assert_equal "$rc" 130
	run cat err
	assert_line "rnn-train: interrupted; ensemble of 3 members written to 'm.gz'"
	run -0 ws_header m.gz
	assert_line "ensemble: 3"
	run -0 rnn-predict -m m.gz "$DATA"
}

@test "--epochs 0: every member is kept, with its seed's initial weights" {
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 0 --ensemble 3 --seed 4 \
		-o e.gz "$TESTDATA/ramp.csv"
	run -0 ws_header e.gz
	assert_line "member-epochs: 0 0 0"
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 0 --ensemble 1 --seed 6 \
		-o s.gz "$TESTDATA/ramp.csv"
	member_bytes e.gz 3 > e3.bin
	member_bytes s.gz 1 > s3.bin
	cmp e3.bin s3.bin
}
