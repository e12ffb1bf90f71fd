#!/usr/bin/env bats
# Errors of the recurrent-net tools: status, empty stdout, file:line.

load test_helper

setup() {
	rnn-train -q --cell elman --hidden 3 --window 4 --epochs 1 "$TESTDATA/series/elnino.csv" > "$BATS_TEST_TMPDIR/m.gz"
}

@test "rnn-train: a non-numeric cell is an error at its line and column" {
	printf 'a,b\n1,2\n3,x\n5,6\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr rnn-train --window 1 "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: $BATS_TEST_TMPDIR/bad.csv:3:2: not a number (found 'x')"
}

@test "rnn-train: ragged rows are an error at their line" {
	printf '1,2\n3,4\n5\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr rnn-train --window 1 "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == "rnn-train: $BATS_TEST_TMPDIR/bad.csv:3: row has 1 field, expected 2"* ]] || fail "$stderr"
}

@test "rnn-train: a window longer than the series is an error" {
	run --separate-stderr rnn-train --window 10 "$TESTDATA/ramp.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: $TESTDATA/ramp.csv: series has 10 rows, too short for --window 10 and --horizon 1 (needs 11)"
}

@test "rnn-train: an unknown target column is an error" {
	run --separate-stderr rnn-train --target temp "$TESTDATA/series/elnino.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == "rnn-train: $TESTDATA/series/elnino.csv:1: no column 'temp' for --target"* ]] || fail "$stderr"
}

@test "rnn-train: Inf in the data is an error" {
	printf '1\n2\nInf\n4\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr rnn-train --window 1 "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: $BATS_TEST_TMPDIR/bad.csv:3:1: NaN or Inf is not allowed (found 'Inf')"
}

@test "rnn-train: bad option values are usage errors" {
	run --separate-stderr rnn-train --cell transformer "$TESTDATA/ramp.csv"
	assert_failure 64
	assert_output ""
	run --separate-stderr rnn-train --hidden 0 "$TESTDATA/ramp.csv"
	assert_failure 64
	run --separate-stderr rnn-train --patience 3 --val 0 "$TESTDATA/ramp.csv"
	assert_failure 64
	run --separate-stderr rnn-train --no-such-option
	assert_failure 64
	[[ "$stderr" == *"Try 'rnn-train --help'"* ]]
}

@test "rnn-predict: a Hopfield memory is not a model" {
	hop-store -q < "$TESTDATA/seed/ex3-patterns.csv" > "$BATS_TEST_TMPDIR/h.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/h.gz" "$TESTDATA/series/elnino.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/h.gz: this is a 'hopfield' weight stream; expected a recurrent net model (from rnn-train)"
}

@test "hop-recall: a model is not a Hopfield memory" {
	run --separate-stderr hop-recall -m "$BATS_TEST_TMPDIR/m.gz" "$TESTDATA/seed/ex3-probe.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == *"this is a 'rnn' weight stream; expected a hopfield memory"* ]] || fail "$stderr"
}

@test "rnn-predict: data whose columns don't match the model" {
	# without a header: by position, so the number of fields must match
	printf '1,2\n3,4\n5,6\n7,8\n9,10\n' > "$BATS_TEST_TMPDIR/two.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/two.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/two.csv:1: data has 2 columns but the model takes 1 (sst)"
	# with a header: by name, so the model's column must be there
	printf 'temp\n1\n2\n3\n4\n5\n' > "$BATS_TEST_TMPDIR/named.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/named.csv"
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/named.csv:1: no column 'sst', which the model takes as input (1 column, first 'temp')"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --stream "$BATS_TEST_TMPDIR/named.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/named.csv:1: no column 'sst', which the model takes as input (1 column, first 'temp')"
}

@test "rnn-predict: a series shorter than the window" {
	printf 'sst\n1\n2\n' > "$BATS_TEST_TMPDIR/short.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/short.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/short.csv: series has 2 rows, shorter than the model's window of 4"
}

@test "rnn-predict: a truncated model is an error" {
	head -c 200 "$BATS_TEST_TMPDIR/m.gz" > "$BATS_TEST_TMPDIR/cut.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/cut.gz" "$TESTDATA/series/elnino.csv"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == "rnn-predict: $BATS_TEST_TMPDIR/cut.gz: "*"truncated"* ]] || fail "$stderr"
}

@test "rnn-predict: model and series cannot both be stdin" {
	run --separate-stderr rnn-predict < "$BATS_TEST_TMPDIR/m.gz"
	assert_failure 64
	assert_output ""
}

@test "rnn-predict: a missing model file exits 66" {
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/none.gz" "$TESTDATA/ramp.csv"
	assert_failure 66
	assert_output ""
	assert_equal "$stderr" "rnn-predict: cannot open '$BATS_TEST_TMPDIR/none.gz': No such file or directory"
}

@test "rnn-train: a model of many named columns saves and loads" {
	awk 'BEGIN { for (c = 1; c <= 40; c++) printf "%scol%d", (c > 1 ? "," : ""), c; print "";
		for (r = 0; r < 12; r++) { for (c = 1; c <= 40; c++) printf "%s%d", (c > 1 ? "," : ""), (r * c) % 7; print "" } }' > "$BATS_TEST_TMPDIR/wide.csv"
	rnn-train -q --hidden 3 --window 3 --epochs 1 "$BATS_TEST_TMPDIR/wide.csv" > "$BATS_TEST_TMPDIR/m.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/wide.csv"
	assert_success
	assert_equal "${#lines[@]}" 11
	[[ "${lines[0]}" == col1,col2,*,col40 ]]
}

@test "rnn-train: weights that turn NaN or Inf stop training (65), no model" {
	printf '%de16\n' 1 2 3 4 5 6 7 > "$BATS_TEST_TMPDIR/blow.csv"
	# --linear none: an autoregression would leave the net too little to
	# blow up on
	run --separate-stderr rnn-train --ensemble 1 --transform none --linear none --cell elman --activation relu --scaling none --clip-norm 0 \
		--optimizer sgd --momentum 0 --lr 1e6 --hidden 4 --window 2 --epochs 1 --val 0 "$BATS_TEST_TMPDIR/blow.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: training diverged: a weight turned NaN or infinite in epoch 1 (try a smaller --lr or --clip-norm)"
}

@test "rnn-train: --checkpoint - and a target named twice are usage errors" {
	run --separate-stderr rnn-train --checkpoint - "$TESTDATA/ramp.csv"
	assert_failure 64
	assert_output ""
	run --separate-stderr rnn-train --target 1,1 "$TESTDATA/ramp.csv"
	assert_failure 64
	assert_output ""
	[[ "$stderr" == "rnn-train: --target names column 'x1' twice"* ]] || fail "$stderr"
}

@test "rnn-predict: --stream with too few rows is an error after the header" {
	printf 'sst\n1\n2\n' > "$BATS_TEST_TMPDIR/short.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --stream "$BATS_TEST_TMPDIR/short.csv"
	assert_failure 65
	assert_output "sst"
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/short.csv: series has 2 rows, shorter than the model's window of 4"
}

@test "rnn-predict: a directory is not a model (66)" {
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR" "$TESTDATA/ramp.csv"
	assert_failure 66
	assert_output ""
	assert_equal "$stderr" "rnn-predict: cannot open '$BATS_TEST_TMPDIR': Is a directory"
}

@test "rnn-predict: predictions keep the digits a large offset needs" {
	awk 'BEGIN { print "v"; for (i = 0; i < 120; i++) printf "%.6f\n", 1000000 + 0.01 * sin(i / 3) }' > "$BATS_TEST_TMPDIR/off.csv"
	rnn-train -q --hidden 6 --window 5 --epochs 30 "$BATS_TEST_TMPDIR/off.csv" > "$BATS_TEST_TMPDIR/off.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/off.gz" "$BATS_TEST_TMPDIR/off.csv"
	assert_success
	# the predictions differ from each other: not all rounded to 1000000
	[[ $(printf '%s\n' "${lines[@]:1}" | sort -u | wc -l) -gt 50 ]] || fail "predictions collapsed: ${lines[1]} ${lines[2]}"
}

@test "rnn-predict --import: a tensor of the wrong shape, a bad config, no config" {
	cp -r "$TESTDATA/torch/lstm" "$BATS_TEST_TMPDIR/lstm"
	head -n 5 "$TESTDATA/torch/lstm/weight_hh_l0.csv" > "$BATS_TEST_TMPDIR/lstm/weight_hh_l0.csv"
	run --separate-stderr rnn-predict --import "$BATS_TEST_TMPDIR/lstm" "$TESTDATA/torch/lstm/series.csv"
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/lstm/weight_hh_l0.csv: tensor weight_hh_l0 is 5x8, the config needs 32x8"
	cp "$TESTDATA/torch/lstm/weight_hh_l0.csv" "$BATS_TEST_TMPDIR/lstm/"
	sed -i 's/^cell=.*/cell=transformer/' "$BATS_TEST_TMPDIR/lstm/config"
	run --separate-stderr rnn-predict --import "$BATS_TEST_TMPDIR/lstm" "$TESTDATA/torch/lstm/series.csv"
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: $BATS_TEST_TMPDIR/lstm/config: 'cell=' must be elman, lstm, gru or gru-torch"
	rm "$BATS_TEST_TMPDIR/lstm/config"
	run --separate-stderr rnn-predict --import "$BATS_TEST_TMPDIR/lstm" "$TESTDATA/torch/lstm/series.csv"
	assert_failure 66
	assert_equal "$stderr" "rnn-predict: cannot open '$BATS_TEST_TMPDIR/lstm/config': No such file or directory"
}

@test "counts agree in number: a series of 1 row" {
	printf 'v\n1\n' > "$BATS_TEST_TMPDIR/one.csv"
	run --separate-stderr rnn-train --window 3 "$BATS_TEST_TMPDIR/one.csv"
	assert_failure 65
	assert_equal "$stderr" "rnn-train: $BATS_TEST_TMPDIR/one.csv: series has 1 row, too short for --window 3 and --horizon 1 (needs 4)"
	printf 'v\n1\n2\n3\n4\n5\n' > "$BATS_TEST_TMPDIR/five.csv"
	rnn-train -q --window 2 --epochs 1 -o "$BATS_TEST_TMPDIR/m.gz" "$BATS_TEST_TMPDIR/five.csv"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/m.gz" --stream "$BATS_TEST_TMPDIR/one.csv"
	assert_failure 65
	[[ "$stderr" == *"series has 1 row, shorter than the model's window of 2" ]] || fail "$stderr"
}

@test "rnn-train: started by mpirun as one of N > 1 processes, refuses (no MPI support)" {
	local msg="rnn-train: refusing to train as one of 4 MPI processes: this rnn-train has no MPI support, so each would train the whole model alone (run one rnn-train, without mpirun)"
	OMPI_COMM_WORLD_SIZE=4 fails_with 64 "$msg" rnn-train -q --ensemble 1 --hidden 3 --window 4 --epochs 1 "$TESTDATA/series/elnino.csv"
	PMI_SIZE=4 fails_with 64 "$msg" rnn-train -q --ensemble 1 --hidden 3 --window 4 --epochs 1 "$TESTDATA/series/elnino.csv"
	# one process of one: an ordinary run
	OMPI_COMM_WORLD_SIZE=1 PMI_SIZE=1 run -0 rnn-train -q --ensemble 1 --hidden 3 --window 4 --epochs 1 \
		-o "$BATS_TEST_TMPDIR/m1.gz" "$TESTDATA/series/elnino.csv"
	[[ -s "$BATS_TEST_TMPDIR/m1.gz" ]] || fail "no model"
}

@test "rnn-predict: a model's tampered layout keys (time format, time step, column positions) are errors naming the model (65)" {
	cd "$BATS_TEST_TMPDIR"
	printf 'date,v\n' > d.csv
	for i in 1 2 3 4 5 6 7 8; do printf '2024-%02d,%d\n' "$i" "$i"; done >> d.csv
	tail -n +2 d.csv > dn.csv
	rnn-train -q --window 2 --epochs 1 --ensemble 1 d.csv > dm.gz
	gzip -dc dm.gz | head -c -17 > body
	grep -qx 'time-format: YYYY-MM' body
	grep -qx 'time-step: 1 month' body
	grep -qx 'positions: 2' body
	sed 's/^time-format: .*/time-format: x/' body > b1; ws_seal b1 > f.gz
	fails_with 65 "rnn-predict: f.gz: model key 'time-format' is not valid (found 'x')" rnn-predict -m f.gz d.csv
	sed 's/^time-step: .*/time-step: x/' body > b2; ws_seal b2 > s.gz
	fails_with 65 "rnn-predict: s.gz: model key 'time-step' is not valid (found 'x')" rnn-predict -m s.gz dn.csv
	sed 's/^positions: .*/positions: 9/' body > b3; ws_seal b3 > p.gz
	fails_with 65 "rnn-predict: p.gz: model key 'positions' is not valid (found '9')" rnn-predict -m p.gz dn.csv
}

@test "rnn-predict: a model whose header keys were edited is refused, naming the model and the key (65)" {
	cd "$BATS_TEST_TMPDIR"
	seq 1 60 | awk 'BEGIN { print "v" } { print $1 + sin($1) }' > s.csv
	rnn-train -q --cell lstm --hidden 2 --window 4 --epochs 1 --ensemble 1 --transform none --forecast-blend none s.csv > tm.gz
	gzip -dc tm.gz | head -c -17 > body
	# sed edit | the message
	while IFS='|' read -r edit want; do
		sed "$edit" body > b
		grep -q . b
		cmp -s b body && fail "'$edit' changed nothing"
		ws_seal b > x.gz
		fails_with 65 "rnn-predict: x.gz: $want" rnn-predict -m x.gz s.csv
	done <<-'TABLE'
	s/^cell: lstm$/cell: foo/|unknown cell 'foo'
	s/^activation: tanh$/activation: foo/|unknown activation 'foo'
	s/^scaling: zscore$/scaling: foo/|unknown scaling 'foo'
	s/^horizon: 1$/transform: foo\nhorizon: 1/|unknown transform 'foo' (none, diff, log, logdiff, diff2, logdiff2)
	s/^horizon: 1$/transform: diff\nhorizon: 2/|transform diff with period 1 and horizon 2: a difference goes with horizon 1 only
	s/^horizon: 1$/horizon: x/|bad horizon 'x' (H, or 1-K with K from 2 to 1000)
	s/^horizon: 1$/horizon: 1-999/|horizon 1-999 needs a multiple of 999 outputs, not 1
	s/^window: 4$/window: 0/|weight stream 'window' must be a number from 1 to 1000000 (found '0')
	s/^layers: 1$/layers: 0/|weight stream 'layers' must be a number from 1 to 64 (found '0')
	s/^target-1: 1$/target-1: 5/|weight stream 'target-1' must be a number from 1 to 1 (found '5')
	s/^linear: ar$/linear: foo/|unknown linear 'foo' (ar)
	s/^interval-scale: diff$/interval-scale: foo/|unknown interval-scale 'foo' (diff)
	s/^horizon: 1$/horizon: 1\nforecast-blend: 0.5/|forecast-blend and forecast-period go together
	s/^horizon: 1$/horizon: 1\nmode: seq/|a model of mode seq has no window
	s/^optimizer: adam lr 0.001$/optimizer: adam lr 0.001\noptimizer-state: foo/|unknown optimizer state 'foo'
	TABLE
}

@test "rnn-train: two fields of one name, one of them a column, are refused before training (65), naming both" {
	cd "$BATS_TEST_TMPDIR"
	{ echo a,a; seq 1 40 | awk '{ print $1 "," $1 % 5 }'; } > dup.csv
	fails_with 65 "rnn-train: dup.csv:1:2: fields 1 and 2 are both named 'a': a model finds its columns by name (rename one)" \
		rnn-train -q --epochs 1 --ensemble 1 -o out.gz dup.csv
	assert [ ! -e out.gz ]
	# a text field of a column's name: rnn-predict would read the text
	{ echo a,b,a; seq 1 40 | awk '{ print "x," $1 "," $1 % 5 }'; } > dup3.csv
	fails_with 65 "rnn-train: dup3.csv:1:3: fields 1 and 3 are both named 'a': a model finds its columns by name (rename one)" \
		rnn-train -q --epochs 1 --ensemble 1 -o out.gz dup3.csv
	# two text fields of one name are no column: trained, predicted
	{ echo n,n,v; seq 1 40 | awk '{ print "x,y," $1 % 5 }'; } > text2.csv
	run -0 rnn-train -q --epochs 1 --ensemble 1 --window 2 -o t.gz text2.csv
	run -0 rnn-predict -m t.gz text2.csv
	assert_equal "${lines[0]}" "v"
}

@test "rnn-predict: a model naming a column twice is bad data (65), not a usage error" {
	cd "$BATS_TEST_TMPDIR"
	{ echo a,b; seq 1 40 | awk '{ print $1 "," $1 % 5 }'; } > ab.csv
	rnn-train -q --epochs 1 --ensemble 1 --window 2 --forecast-blend none -o m.gz ab.csv
	gzip -dc m.gz | head -c -17 | sed 's/^column-2: b$/column-2: a/' > body
	grep -qx 'column-2: a' body
	ws_seal body > d.gz
	{ echo a,a; seq 1 40 | awk '{ print $1 "," $1 % 5 }'; } > aa.csv
	fails_with 65 "rnn-predict: d.gz: the model names column 'a' twice (its columns 1 and 2)" \
		rnn-predict -m d.gz aa.csv
	# by position: a list that names field 1 twice
	{ echo t,a,b; seq 1 40 | awk '{ print "x," $1 "," $1 % 5 }'; } > tab.csv
	rnn-train -q --epochs 1 --ensemble 1 --window 2 --forecast-blend none -o p.gz tab.csv
	gzip -dc p.gz | head -c -17 | sed 's/^positions: 2,3$/positions: 2,2/' > pbody
	grep -qx 'positions: 2,2' pbody
	ws_seal pbody > pd.gz
	tail -n +2 tab.csv > rows.csv
	fails_with 65 "rnn-predict: pd.gz: the model names column 'x2' twice (its columns 1 and 2)" \
		rnn-predict -m pd.gz --no-header rows.csv
}

@test "rnn-train: values of 1e300 scale without overflow, and rnn-predict reads the model" {
	# the variance of such values overflows a double unless the scaling
	# divides by their magnitude first
	awk 'BEGIN { print "v"; for (i = 1; i <= 60; i++) printf "%de300\n", i % 7 }' > "$BATS_TEST_TMPDIR/huge.csv"
	rnn-train -q --epochs 2 --ensemble 1 --hidden 3 --transform none "$BATS_TEST_TMPDIR/huge.csv" > "$BATS_TEST_TMPDIR/huge.gz"
	run --separate-stderr rnn-predict -m "$BATS_TEST_TMPDIR/huge.gz" "$BATS_TEST_TMPDIR/huge.csv"
	assert_success
	[[ ${#lines[@]} -gt 40 ]] || fail "${#lines[@]} lines"
	# each prediction a finite number of the data's size
	awk 'NR > 1 && !($1 + 0 > 1e298 && $1 + 0 < 1e302) { exit 1 }' <<< "$output" || fail "${lines[1]}"
}

@test "rnn-train: a range too large for a double is an error at its cell (65), no model" {
	awk 'BEGIN { print "v"; for (i = 1; i <= 60; i++) print (i == 10 ? "1e308" : i == 20 ? "-1e308" : i % 7) }' > "$BATS_TEST_TMPDIR/wide.csv"
	cd "$BATS_TEST_TMPDIR"
	fails_with 65 "rnn-train: wide.csv:21:1: column 'v' spans -1e+308 to 1e+308, a range too large for a double" \
		rnn-train -q --epochs 2 --ensemble 1 --transform none -o out.gz wide.csv
	[[ ! -e out.gz ]] || fail "a model was written"
	# a difference of them: the transformed values
	fails_with 65 "rnn-train: wide.csv:12:1: the --transform=diff values of 'v' span -1e+308 to 1e+308, a range too large for a double" \
		rnn-train -q --epochs 2 --ensemble 1 --transform diff -o out.gz wide.csv
}

@test "rnn-train: a value too large for the net once scaled is an error at its cell, not a diverged training" {
	awk 'BEGIN { print "v"; for (i = 1; i <= 60; i++) print (i == 10 ? "1e30" : i % 7) }' > "$BATS_TEST_TMPDIR/big.csv"
	cd "$BATS_TEST_TMPDIR"
	fails_with 65 "rnn-train: big.csv:11:1: 1e+30 in column 'v' is too large for the net: 1e+30 once scaled, over 1.84467e+19" \
		rnn-train -q --epochs 2 --ensemble 1 --scaling none --transform none -o out.gz big.csv
}

@test "rnn-train: validation errors too large for a double are an error at the column's largest value, no model" {
	awk 'BEGIN { print "v"; for (i = 1; i <= 60; i++) print (i == 10 ? "1e300" : i % 7) }' > "$BATS_TEST_TMPDIR/spike.csv"
	cd "$BATS_TEST_TMPDIR"
	fails_with 65 "rnn-train: spike.csv:11:1: column 'v' spans too wide a range: its validation errors are too large for a double (1e+300 here)" \
		rnn-train -q --epochs 2 --ensemble 1 -o out.gz spike.csv
	[[ ! -e out.gz ]] || fail "a model was written"
}

@test "rnn-train: a value too large once transformed names the transform and the transformed value" {
	printf '1\n1e19\n-1e19\n4\n5\n6\n7\n8\n' > "$BATS_TEST_TMPDIR/jump.csv"
	# each value is within 2^64, the first difference of row 3 is not
	fails_with 65 "rnn-train: $BATS_TEST_TMPDIR/jump.csv:3:1: -1e+19 in column 'x1' is too large for the net after --transform diff: -2e+19, -2e+19 once scaled, over 1.84467e+19" \
		rnn-train -q --scaling none --transform diff --window 3 --epochs 1 -o "$BATS_TEST_TMPDIR/j.gz" "$BATS_TEST_TMPDIR/jump.csv"
	[[ ! -e "$BATS_TEST_TMPDIR/j.gz" ]]
}

@test "a long column name is quoted cut to 60 bytes in the messages about its values" {
	n=$(printf 'c%.0s' $(seq 200))
	{ echo "$n"; for i in $(seq 30); do echo $((i % 5)); done; } > "$BATS_TEST_TMPDIR/longn.csv"
	fails_with 65 "rnn-train: $BATS_TEST_TMPDIR/longn.csv:6:1: cannot take the logarithm of 0 in column '$(printf 'c%.0s' $(seq 60))...': --transform=log needs every value > 0" \
		rnn-train -q --transform log --window 3 --epochs 1 -o "$BATS_TEST_TMPDIR/l.gz" "$BATS_TEST_TMPDIR/longn.csv"
}
