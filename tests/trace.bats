#!/usr/bin/env bats
# rnn-predict --trace (rnn-predict(1), "Trace"): every window's steps on
# stderr, each layer's input, gates and state, then the net's output. The
# cell equations are checked on the traced numbers themselves (awk, in
# double), the layers' chaining, the ensemble's members, and the output
# against the prediction. The seed notes' worked example is in seed.bats.

load test_helper

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	head -n 30 "$TESTDATA/series/elnino.csv" > e.csv
	local tr="rnn-train -q --hidden 3 --window 4 --epochs 2 --linear none --transform none --scaling none"
	$tr --cell lstm --layers 2 --ensemble 1 e.csv > lstm.gz
	$tr --cell gru --ensemble 2 e.csv > gru.gz
	$tr --cell gru-torch --ensemble 1 e.csv > gtorch.gz
	$tr --cell elman --activation relu --ensemble 1 e.csv > elman.gz
}

setup() { cd "$BATS_FILE_TMPDIR"; }

# vec LINE NAME: the values after " NAME " in a trace line, space-separated
vec() {
	awk -v n="$2" '{ for (i = 1; i < NF; i++) if ($i == n) { gsub(",", " ", $(i + 1)); print $(i + 1); exit } }' <<< "$1"
}

# close A B: |a_j - b_j| <= 1e-5 (1 + |b_j|) for the space-separated lists
close() {
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); if (n != split(b, y, " ")) exit 1
		for (j = 1; j <= n; j++) { d = x[j] - y[j]; if (d < 0) d = -d; m = y[j] < 0 ? -y[j] : y[j]
			if (d > 1e-5 * (1 + m)) exit 1 } }' || fail "[$1] is not [$2]"
}

@test "an LSTM of 2 layers: c = f c' + i g, h = o tanh(c), layer 2 reads layer 1's h, y is the prediction" {
	run --separate-stderr rnn-predict -m lstm.gz --trace e.csv
	assert_success
	echo "$stderr" > trace
	# 26 windows of 4 rows in 29: a head line, 4 steps x 2 layers, y
	assert_equal "$(grep -c '^window [0-9]*: rows ' trace)" 26
	assert_equal "$(grep -c ' layer [12]: x ' trace)" $((26 * 8))
	assert_equal "$(sed -n 1p trace)" "window 1: rows 1-4"
	for k in 1 7 26; do
		prev1="0 0 0" prev2="0 0 0"
		for t in 1 2 3 4; do
			for l in 1 2; do
				line=$(grep "^window $k step $t layer $l: " trace)
				i=$(vec "$line" i) f=$(vec "$line" f) g=$(vec "$line" g)
				o=$(vec "$line" o) c=$(vec "$line" c) h=$(vec "$line" h)
				[[ $l == 1 ]] && cp=$prev1 || cp=$prev2
				close "$c" "$(awk -v i="$i" -v f="$f" -v g="$g" -v p="$cp" 'BEGIN {
					split(i, I, " "); split(f, F, " "); split(g, G, " "); split(p, P, " ")
					for (j = 1; j <= 3; j++) printf "%.9g ", F[j] * P[j] + I[j] * G[j] }')"
				close "$h" "$(awk -v o="$o" -v c="$c" 'BEGIN { split(o, O, " "); split(c, C, " ")
					for (j = 1; j <= 3; j++) { e = exp(2 * C[j]); printf "%.9g ", O[j] * (e - 1) / (e + 1) } }')"
				[[ $l == 1 ]] && prev1=$c || prev2=$c
				[[ $l == 1 ]] && h1=$h
				[[ $l == 2 ]] && assert_equal "$(vec "$line" x)" "$h1"
			done
		done
		# the identity scaling, no linear path: y is the prediction
		y=$(grep "^window $k: y " trace | sed 's/.*: y //')
		close "$y" "${lines[$k]}"
	done
	# layer 1 reads the window's rows as they are (--scaling none)
	close "$(vec "$(grep '^window 3 step 2 layer 1: ' trace)" x)" "$(sed -n 5p e.csv | cut -d, -f2)"
}

@test "GRUs: h = (1 - z) h' + z n (gru), h = (1 - z) n + z h' (gru-torch); an ensemble traces each member" {
	run --separate-stderr rnn-predict -m gru.gz --trace e.csv
	assert_success
	echo "$stderr" > trace
	assert_equal "$(grep -c '^window 5 member [12] step [1-4] layer 1: x ' trace)" 8
	assert_equal "$(grep -c '^window 5 member [12]: y ' trace)" 2
	for m in 1 2; do
		prev="0 0 0"
		for t in 1 2 3 4; do
			line=$(grep "^window 5 member $m step $t layer 1: " trace)
			z=$(vec "$line" z) n=$(vec "$line" n) h=$(vec "$line" h)
			close "$h" "$(awk -v z="$z" -v n="$n" -v p="$prev" 'BEGIN { split(z, Z, " "); split(n, N, " "); split(p, P, " ")
				for (j = 1; j <= 3; j++) printf "%.9g ", (1 - Z[j]) * P[j] + Z[j] * N[j] }')"
			prev=$h
		done
	done
	run --separate-stderr rnn-predict -m gtorch.gz --trace e.csv
	echo "$stderr" > trace
	prev="0 0 0"
	for t in 1 2 3 4; do
		line=$(grep "^window 2 step $t layer 1: " trace)
		z=$(vec "$line" z) n=$(vec "$line" n) h=$(vec "$line" h)
		close "$h" "$(awk -v z="$z" -v n="$n" -v p="$prev" 'BEGIN { split(z, Z, " "); split(n, N, " "); split(p, P, " ")
			for (j = 1; j <= 3; j++) printf "%.9g ", (1 - Z[j]) * N[j] + Z[j] * P[j] }')"
		prev=$h
	done
}

@test "an Elman net shows x and h; --align traces too, and the predictions are those without --trace" {
	run --separate-stderr rnn-predict -m elman.gz --trace e.csv
	assert_success
	[[ "$(grep '^window 1 step 1 layer 1: ' <<< "$stderr")" =~ ^window\ 1\ step\ 1\ layer\ 1:\ x\ [-0-9.e]+\ h\ [-0-9.e]+,[-0-9.e]+,[-0-9.e]+$ ]] ||
		fail "$stderr"
	rnn-predict -m elman.gz e.csv > plain.csv
	rnn-predict -m elman.gz --trace e.csv 2> /dev/null > traced.csv
	cmp plain.csv traced.csv
	rnn-predict -m elman.gz --align --trace e.csv 2> t2 > /dev/null
	assert_equal "$(grep -c ': rows ' t2)" 26
}

@test "--trace: not with --forecast, --stream, --state or --score, nor a sequence model on stdin (64)" {
	usage_err() { fails_with 64 "rnn-predict: $1
Try 'rnn-predict --help' for more information." "${@:2}"; }
	local w="--trace shows the default predictions and --align, not --forecast, --stream, --state, --score or --export"
	usage_err "$w" rnn-predict -m lstm.gz --trace --forecast 3 e.csv
	usage_err "$w" rnn-predict -m lstm.gz --trace --stream e.csv
	usage_err "$w" rnn-predict -m lstm.gz --trace --state s e.csv
	usage_err "$w" rnn-predict -m lstm.gz --trace --score e.csv
	rnn-train -q --mode seq --hidden 2 --epochs 1 e.csv > seq.gz
	usage_err "--trace of a sequence model reads the series twice (the trace, then the predictions row by row): give it as a file" \
		rnn-predict -m seq.gz --trace - < e.csv
	[[ ! -e s ]]
}

@test "a sequence model: one step a row from a zero state, the head at every row, the predictions those without --trace" {
	rnn-train -q --mode seq --cell lstm --hidden 3 --epochs 2 --scaling none e.csv > seq.gz
	run --separate-stderr rnn-predict -m seq.gz --trace e.csv
	assert_success
	echo "$stderr" > trace
	assert_equal "$(grep -c '^step [0-9]* layer 1: x ' trace)" 29
	assert_equal "$(grep -c '^step [0-9]*: y ' trace)" 29
	# the state goes on from row to row: step 2's c from step 1's
	l1=$(grep '^step 1 layer 1: ' trace) l2=$(grep '^step 2 layer 1: ' trace)
	close "$(vec "$l2" c)" "$(awk -v i="$(vec "$l2" i)" -v f="$(vec "$l2" f)" -v g="$(vec "$l2" g)" -v p="$(vec "$l1" c)" 'BEGIN {
		split(i, I, " "); split(f, F, " "); split(g, G, " "); split(p, P, " ")
		for (j = 1; j <= 3; j++) printf "%.9g ", F[j] * P[j] + I[j] * G[j] }')"
	# no scaling: the head's y at row t is line t's prediction (of row t + 1)
	for t in 1 2 15 29; do
		close "$(grep "^step $t: y " trace | sed 's/.*: y //')" "${lines[$t]}"
	done
	rnn-predict -m seq.gz e.csv > plain.csv
	printf '%s\n' "${lines[@]}" | cmp - plain.csv
}
