#!/usr/bin/env bats
# Real users' files: missing values, streams that lose nothing, column
# choice, delimiters and decimal commas, time columns (rnnkit(7), "Real
# files").

load test_helper

# identity_model DIR: an imported Elman net (relu, window 1, no scaling)
# whose prediction for a row is the row's value (for values >= 0), so the
# predictions show the series exactly as the tools read and filled it.
identity_model() {
	mkdir -p "$1"
	printf 'cell=elman\nact=relu\ninput=1\nhidden=1\nlayers=1\noutput=1\nwindow=1\n' > "$1/config"
	echo 1 > "$1/weight_ih_l0.csv"
	echo 0 > "$1/weight_hh_l0.csv"
	echo 0 > "$1/bias_ih_l0.csv"
	echo 0 > "$1/bias_hh_l0.csv"
	echo 1 > "$1/fc.weight.csv"
	echo 0 > "$1/fc.bias.csv"
}

# predicted_values ARGS...: rnn-predict through the identity model, the
# predictions (header dropped) joined by spaces
predicted_values() {
	rnn-predict --import "$BATS_TEST_TMPDIR/id" "$@" | tail -n +2 | paste -sd' '
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	identity_model "$BATS_TEST_TMPDIR/id"
}

@test "missing values: a blank line inside a one-column series is an error at its line" {
	printf 'v\n1\n2\n\n4\n5\n6\n' > gap.csv
	run --separate-stderr rnn-train --window 2 gap.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: gap.csv:4:1: missing values (a blank line inside the series; choose --missing=interpolate, ffill, zero or drop)"
	run --separate-stderr rnn-predict --import id gap.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: gap.csv:4:1: missing values (a blank line inside the series; choose --missing=interpolate, ffill, zero or drop)"
}

@test "missing values: NA, NaN, nan, null, ? and an empty cell are errors naming --missing" {
	for cell in NA NaN nan null '?'; do
		printf 'a,b\n1,2\n3,%s\n5,6\n' "$cell" > m.csv
		run --separate-stderr rnn-train --window 1 m.csv
		assert_failure 65
		assert_output ""
		assert_equal "$stderr" "rnn-train: m.csv:3:2: missing value (found '$cell'; choose --missing=interpolate, ffill, zero or drop)"
	done
	# blanks around a cell do not count (and are not shown)
	printf 'a,b\n1,2\n3, NULL \n5,6\n' > m.csv
	run --separate-stderr rnn-train --window 1 m.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: m.csv:3:2: missing value (found 'NULL'; choose --missing=interpolate, ffill, zero or drop)"
	printf 'a,b\n1,2\n,4\n5,6\n' > m.csv
	run --separate-stderr rnn-train --window 1 m.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: m.csv:3:1: missing value (an empty cell; choose --missing=interpolate, ffill, zero or drop)"
	# a blank line in a two-column series is a missing row
	printf 'a,b\n1,2\n\n5,6\n' > m.csv
	run --separate-stderr rnn-train --window 1 m.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: m.csv:3:1: missing values (a blank line inside the series; choose --missing=interpolate, ffill, zero or drop)"
	# Inf stays an error of its own
	printf 'a\n1\ninf\n3\n' > m.csv
	run --separate-stderr rnn-train --window 1 --missing zero m.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: m.csv:3:1: NaN or Inf is not allowed (found 'inf')"
}

@test "missing values: blank lines before the first and after the last data row are not rows" {
	printf '\nv\n\n1\n2\n3\n\n\n' > edge.csv
	run --separate-stderr predicted_values edge.csv
	assert_success
	assert_output "1 2 3"
}

@test "missing values: --missing=interpolate is linear inside, the nearest value at the ends" {
	printf 'v\nNA\n2\n\n4\nnull\nnull\n7\n?\n' > s.csv
	run --separate-stderr predicted_values --missing=interpolate s.csv
	assert_success
	assert_output "2 2 3 4 5 6 7 7"
}

@test "missing values: --missing=ffill carries the last value; a leading gap is an error" {
	printf 'v\n2\n\n4\nnull\nnull\n7\n?\n' > s.csv
	run --separate-stderr predicted_values --missing ffill s.csv
	assert_success
	assert_output "2 2 4 4 4 7 7"
	# --stream fills the same way
	run --separate-stderr bash -c 'rnn-predict --import id --missing ffill --stream < s.csv | tail -n +2 | paste -sd" "'
	assert_output "2 2 4 4 4 7 7"
	printf 'v\nNA\n2\n3\n' > lead.csv
	run --separate-stderr rnn-predict --import id --missing ffill lead.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: lead.csv:2:1: missing value with no earlier value to carry forward (--missing=ffill; try interpolate)"
	run --separate-stderr rnn-predict --import id --missing ffill --stream lead.csv
	assert_failure 65
	assert_output "x1"
	assert_equal "$stderr" "rnn-predict: lead.csv:2:1: missing value with no earlier value to carry forward (--missing=ffill)"
}

@test "missing values: --missing=zero puts 0" {
	printf 'v\n2\n\n4\nnull\nnull\n7\n?\n' > s.csv
	run --separate-stderr predicted_values --missing=zero s.csv
	assert_output "2 0 4 0 0 7 0"
	run --separate-stderr bash -c 'rnn-predict --import id --missing zero --stream < s.csv | tail -n +2 | paste -sd" "'
	assert_output "2 0 4 0 0 7 0"
}

@test "missing values: --missing=drop drops the rows and says how many" {
	printf 'v\n2\n\n4\nnull\nnull\n7\n?\n' > s.csv
	run --separate-stderr rnn-predict --import id --missing=drop s.csv
	assert_success
	assert_equal "${lines[*]}" "x1 2 4 7"
	assert_equal "$stderr" "rnn-predict: warning: s.csv: dropped 4 rows with missing values; the rows after them move up in time"
	printf 'v\n2\nNA\n4\n' > one.csv
	run --separate-stderr rnn-predict --import id --missing=drop --stream one.csv
	assert_success
	assert_equal "${lines[*]}" "x1 2 4"
	assert_equal "$stderr" "rnn-predict: warning: one.csv: dropped 1 row with missing values; the rows after it move up in time"
	run --separate-stderr rnn-predict -q --import id --missing=drop one.csv
	assert_success
	assert_equal "$stderr" ""
}

@test "missing values: a column with no value is an error whatever the policy" {
	printf 'a,b\n1,NA\n2,\n3,?\n' > empty.csv
	for how in interpolate ffill zero drop; do
		run --separate-stderr rnn-train --window 1 --missing $how empty.csv
		assert_failure 65
		assert_output ""
		assert_equal "$stderr" "rnn-train: empty.csv: column 'b' has no values (all 3 missing)"
	done
}

@test "missing values: rnn-train fills before training; bad --missing and interpolate with --stream are usage errors" {
	printf 'v\n' > t.csv
	for i in $(seq 1 30); do echo "$i" >> t.csv; echo "" >> t.csv; done
	run --separate-stderr rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --missing interpolate -o m.gz t.csv
	assert_success
	run --separate-stderr rnn-train --missing guess t.csv
	assert_failure 64
	assert_output ""
	assert_equal "${stderr_lines[0]}" "rnn-train: unknown --missing 'guess' (interpolate, ffill, zero, drop or error)"
	run --separate-stderr rnn-predict --import id --stream --missing interpolate t.csv
	assert_failure 64
	assert_output ""
	assert_equal "${stderr_lines[0]}" "rnn-predict: --missing=interpolate needs the values after a gap, so not --stream (use ffill, zero or drop)"
}

@test "missing values: the model keeps rnn-train's --missing, rnn-predict's default; --missing overrides it, error too" {
	D="$TESTDATA/series/daily-gap.csv"
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --ensemble 1 --missing ffill -o f.gz "$D"
	run -0 ws_header f.gz
	assert_line "missing: ffill"
	rnn-predict -m f.gz --missing ffill "$D" > given.csv
	rnn-predict -m f.gz "$D" > kept.csv
	cmp given.csv kept.csv
	[[ $(wc -l < kept.csv) -gt 10 ]]
	# the same for a cron job's chunks
	rnn-predict -m f.gz --state s "$D" > st.csv
	cmp given.csv st.csv
	# error: the default of rnn-train, given to rnn-predict
	run --separate-stderr rnn-predict -m f.gz --missing error "$D"
	assert_failure 65
	assert_output ""
	[[ "$stderr" == "rnn-predict: $D:9:1: missing values (no row for 2024-03-08, "* ]] || fail "$stderr"
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --ensemble 1 --missing error -o e.gz "$TESTDATA/series/monthly.csv"
	run -0 ws_header e.gz
	refute_line --partial "missing:"
	# exported and imported with the model
	rnn-predict -m f.gz --export dir
	grep -qx 'missing=ffill' dir/config
	rnn-predict --import dir "$D" > imp.csv
	cmp given.csv imp.csv
	# interpolate needs the rows after a gap: rows one by one cannot
	rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --ensemble 1 --missing interpolate -o i.gz "$D"
	for a in --stream --state=s2; do
		fails_with 64 "rnn-predict: i.gz was trained with --missing=interpolate, which needs the values after a gap, and ${a%=*} reads rows one by one: give --missing=ffill, zero, drop or error
Try 'rnn-predict --help' for more information." rnn-predict -m i.gz "$a" "$D"
	done
	[[ ! -e s2 ]]
	rnn-predict -m i.gz --state s2 --missing ffill "$D" > /dev/null
	# a key that is no policy
	ws_header f.gz > /dev/null
	gzip -dc f.gz | head -c -17 | sed 's/^missing: ffill$/missing: guess/' > b
	ws_seal b > g.gz
	fails_with 65 "rnn-predict: g.gz: model key 'missing' is not valid (found 'guess'; interpolate, ffill, zero, drop or error)" \
		rnn-predict -m g.gz "$D"
}

@test "missing values: pattern files still skip blank lines (hop-store)" {
	printf '1,-1,1,-1\n\n-1,-1,1,1\n\n' > p.csv
	printf '1,-1,1,-1\n-1,-1,1,1\n' > q.csv
	hop-store -q < p.csv > a.gz
	hop-store -q < q.csv > b.gz
	cmp a.gz b.gz
}

@test "--stream loses nothing: a bad cell at line 31 comes after the header and every prediction before it" {
	{ echo v; seq 1 29; echo x; seq 31 40; } > bad.csv
	run --separate-stderr rnn-predict --import id --stream bad.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: bad.csv:31:1: not a number (found 'x')"
	assert_equal "${#lines[@]}" 30
	assert_equal "${lines[0]}" "x1"
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | paste -sd' ')" "$(seq 1 29 | paste -sd' ')"
	# the same from a pipe, gzip-compressed output, and a missing value
	run --separate-stderr bash -c 'rnn-predict --import id --stream -z < bad.csv | gzip -dc | wc -l'
	assert_output "30"
	{ echo v; seq 1 29; echo NA; } > na.csv
	run --separate-stderr rnn-predict --import id --stream na.csv
	assert_failure 65
	assert_equal "${#lines[@]}" 30
	assert_equal "$stderr" "rnn-predict: na.csv:31:1: missing value (found 'NA'; choose --missing=interpolate, ffill, zero or drop)"
	# the whole-file mode stays all or nothing
	run --separate-stderr rnn-predict --import id bad.csv
	assert_failure 65
	assert_output ""
}

@test "--stream loses nothing: a bad row after 100001 rows keeps all 100001 predictions" {
	{ echo v; seq 1 100001; echo 1,2; } > big.csv
	run --separate-stderr bash -c 'rnn-predict --import id --stream big.csv | wc -l'
	assert_output "100002"
	run --separate-stderr bash -c 'rnn-predict --import id --stream big.csv | tail -n 1'
	assert_output "100001"
	run --separate-stderr rnn-predict --import id --stream big.csv -o out.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: big.csv:100003: row has 2 fields, expected 1 like the first row"
	# -o FILE is put in place only on success
	[[ ! -e out.csv ]]
}

# wide.csv: station (text), then a, b, c, d; 40 rows
wide_csv() {
	awk 'BEGIN { print "station,a,b,c,d"; for (i = 1; i <= 40; i++) printf "st%d,%d,%d,%d,%d\n", i % 3, i, i % 7, (i * 3) % 11, i % 5 }' > wide.csv
}

@test "--columns: names, numbers and ranges choose the inputs; the model keeps names and positions" {
	wide_csv
	run --separate-stderr rnn-train -q --hidden 2 --window 3 --epochs 1 --columns b,4-5 -o m.gz wide.csv
	assert_success
	run ws_header m.gz
	assert_line "inputs: 3"
	assert_line "outputs: 3"
	assert_line "column-1: b"
	assert_line "column-2: c"
	assert_line "column-3: d"
	assert_line "positions: 3,4,5"
	assert_line "fields: 5"
	refute_line --partial "columns:"
	# in the order given, open ranges as with cut
	run --separate-stderr rnn-train -q --hidden 2 --window 3 --epochs 1 --columns 5,2-3 -o m2.gz wide.csv
	assert_success
	run ws_header m2.gz
	assert_line "positions: 5,2,3"
	run --separate-stderr rnn-train -q --hidden 2 --window 3 --epochs 1 --columns 4- -o m3.gz wide.csv
	assert_success
	run ws_header m3.gz
	assert_line "positions: 4,5"
}

@test "--columns: without it every numeric column is an input, a text column is left out with a warning" {
	wide_csv
	run --separate-stderr rnn-train --transform none --hidden 2 --window 3 --epochs 1 -o m.gz wide.csv
	assert_success
	assert_equal "${stderr_lines[0]}" "rnn-train: warning: wide.csv:2:1: column 'station' is not numeric, so not an input (found 'st1'; --columns chooses the inputs)"
	run ws_header m.gz
	assert_line "inputs: 4"
	assert_line "positions: 2,3,4,5"
	# predictions carry the model's columns, found by name
	run --separate-stderr rnn-predict -m m.gz wide.csv
	assert_success
	assert_equal "${lines[0]}" "a,b,c,d"
	assert_equal "${#lines[@]}" 39
	assert_equal "$stderr" ""
}

@test "--columns: a --target left out of --columns is predicted but not fed" {
	wide_csv
	run --separate-stderr rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --columns a,b --target d -o m.gz wide.csv
	assert_success
	run ws_header m.gz
	assert_line "inputs: 2"
	assert_line "columns: 3"
	assert_line "outputs: 1"
	assert_line "column-3: d"
	assert_line "target-1: 3"
	assert_line "tensor: weight_ih_l0 f32 2x2"
	# the column to predict need not be in the data to predict from
	cut -d, -f2,3 wide.csv > ab.csv
	rnn-predict -m m.gz ab.csv > p1.csv
	rnn-predict -m m.gz wide.csv > p2.csv
	cmp p1.csv p2.csv
	run head -n 1 p1.csv
	assert_output "d"
	rnn-predict -m m.gz --stream < ab.csv > p3.csv
	cmp p1.csv p3.csv
	# a target number is a field number, as in the file
	run --separate-stderr rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --columns 2,3 --target 5 -o n.gz wide.csv
	assert_success
	run ws_header n.gz
	assert_line "column-3: d"
	# and such a model cannot forecast
	run --separate-stderr rnn-predict -m m.gz --forecast 2 ab.csv
	assert_failure 65
	assert_output ""
}

@test "--columns: rnn-predict finds the model's columns by name in any order, by position without a header" {
	wide_csv
	rnn-train -q --hidden 2 --window 3 --epochs 1 --columns c,a -o m.gz wide.csv
	rnn-predict -m m.gz wide.csv > p1.csv
	# other columns, another order: the same predictions
	awk -F, -v OFS=, '{ print $4, "x", $2 }' wide.csv > moved.csv
	rnn-predict -m m.gz moved.csv > p2.csv
	cmp p1.csv p2.csv
	# no header: field numbers, so the file must have the training file's fields
	tail -n +2 wide.csv > nohead.csv
	rnn-predict -m m.gz --no-header nohead.csv > p3.csv
	cmp p1.csv p3.csv
	tail -n +2 moved.csv > bad.csv
	run --separate-stderr rnn-predict -m m.gz --no-header bad.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: bad.csv:1: data has 3 columns but the model takes 5 (c, ...)"
}

@test "--columns: unknown columns, empty ranges and repeats are errors" {
	wide_csv
	run --separate-stderr rnn-train --columns a,e wide.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: wide.csv:1: no column 'e' for --columns (5 columns, first station)"
	run --separate-stderr rnn-train --columns 4-9 wide.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: wide.csv:1: no column '4-9' for --columns (5 columns, first station)"
	run --separate-stderr rnn-train --columns 4-2 wide.csv
	assert_failure 64
	assert_output ""
	assert_equal "${stderr_lines[0]}" "rnn-train: --columns range '4-2' is empty"
	run --separate-stderr rnn-train --columns a,2 wide.csv
	assert_failure 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --columns names column 'a' twice"
	# a text column chosen as input is still an error at its cell
	run --separate-stderr rnn-train --columns 1,2 wide.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: wide.csv:2:1: not a number (found 'st1')"
	run --separate-stderr rnn-predict --columns a -m m.gz wide.csv
	assert_failure 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --columns is for rnn-train: the model knows its input columns"
}

@test "--columns: --align prints every input cell exactly as read" {
	printf 'name,v\n"a, b",1.50\nc,2.0\nd,3\ne,NA\n' > t.csv
	cp -r id idv
	echo column-1=v >> idv/config
	run --separate-stderr rnn-predict -q --import idv --missing ffill --align t.csv
	assert_success
	assert_equal "${lines[0]}" "name,v,predicted_v"
	assert_equal "${lines[1]}" '"a, b",1.50,'
	assert_equal "${lines[2]}" "c,2.0,1.5"
	assert_equal "${lines[3]}" "d,3,2"
	assert_equal "${lines[4]}" "e,NA,3"
	assert_equal "${lines[5]}" ",,3"
}

@test "hints: a ';'- or tab-separated file read with commas suggests -d" {
	printf 'a;b\n1;2\n3;4\n' > semi.csv
	run --separate-stderr rnn-train --window 1 semi.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: semi.csv:2: no numeric column to read (found '1;2'; the file looks ';'-separated: try -d ';')"
	printf 'a\tb\n1\t2\n3\t4\n' > tab.csv
	run --separate-stderr rnn-predict --import id tab.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: tab.csv:2:1: not a number (found '1\\t2'; the file looks tab-separated: try -d tab)"
	# a one-column header, then rows with ';'
	printf 'v\n1\n3;4\n' > late.csv
	run --separate-stderr rnn-train --window 1 late.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: late.csv:3:1: not a number (found '3;4'; the file looks ';'-separated: try -d ';')"
	# with the delimiter it reads (the model takes one column, by position)
	cut -d';' -f1 semi.csv > one.csv
	run --separate-stderr predicted_values -d ';' one.csv
	assert_success
	assert_output "1 3"
}

@test "hints: --decimal-comma reads 1,5 with -d ';'; without it the error says so" {
	printf 'v;w\n1,5;x\n2,25;y\n3;z\n' > dc.csv
	run --separate-stderr rnn-predict --import id -d ';' --decimal-comma --columns 1 dc.csv
	assert_failure 64
	cut -d';' -f1 dc.csv > dc1.csv
	run --separate-stderr predicted_values -d ';' --decimal-comma dc1.csv
	assert_success
	assert_output "1.5 2.25 3"
	run --separate-stderr bash -c 'rnn-predict --import id -d ";" --decimal-comma --stream < dc1.csv | tail -n +2 | paste -sd" "'
	assert_output "1.5 2.25 3"
	printf 'v;w\n1;2\n2,5;3\n' > mid.csv
	run --separate-stderr rnn-train --window 1 -d ';' mid.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: mid.csv:3:1: not a number (found '2,5'; for a decimal comma use --decimal-comma)"
	# a first row in decimal commas: the column is left out, and the message says why
	run --separate-stderr rnn-train --window 1 --epochs 1 -d ';' -o m.gz dc.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: dc.csv:2: no numeric column to read (found '1,5'; for a decimal comma use --decimal-comma)"
	printf 'v;w\n1,5;1\n2,25;2\n3;3\n' > dcw.csv
	run --separate-stderr rnn-train --window 1 --epochs 1 -d ';' -o m.gz dcw.csv
	assert_success
	assert_equal "${stderr_lines[0]}" "rnn-train: warning: dcw.csv:2:1: column 'v' is not numeric, so not an input (found '1,5'; for a decimal comma use --decimal-comma)"
	# '.' is not a decimal mark then
	printf 'v\n1.5\n' > dot.csv
	run --separate-stderr rnn-predict --import id -d ';' --decimal-comma --columns 1 dot.csv
	assert_failure 64
	run --separate-stderr rnn-predict --import id -d ';' --decimal-comma dot.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: dot.csv:2:1: not a number (found '1.5'; with --decimal-comma the decimal mark is ',')"
	# with ',' as the delimiter it is a usage error
	run --separate-stderr rnn-train --decimal-comma dc1.csv
	assert_failure 64
	assert_output ""
	assert_equal "${stderr_lines[0]}" "rnn-train: --decimal-comma needs another field delimiter, such as -d ';' or -d tab"
	run --separate-stderr rnn-predict --import id --stream --decimal-comma dc1.csv
	assert_failure 64
	assert_output ""
}

# timed_model DIR KEY=VALUE...: the identity model for a column v, with the
# time keys given (as an export's config has them)
timed_model() {
	local d=$1
	shift
	cp -r "$BATS_TEST_TMPDIR/id" "$d"
	echo column-1=v >> "$d/config"
	printf '%s\n' "$@" >> "$d/config"
}

@test "time column: a first column of ISO dates or times is the time axis, not a feature" {
	for cell in 2024-01 2024-01-01 2024-01-01T00:00 '2024-01-01 00:00:00' 2024-01-01T00:00Z 2024-01-01T00:00:00+01:00; do
		{ echo "when,v"; for i in 1 2 3 4; do echo "$cell,$i"; done; } > t.csv
		# times must increase: make them so by the year
		awk -F, -v OFS=, 'NR > 1 { $1 = (2019 + NR) substr($1, 5) } 1' t.csv > s.csv
		run --separate-stderr rnn-train --cell elman --hidden 2 --window 1 --epochs 1 -o m.gz s.csv
		assert_success
		run ws_header m.gz
		assert_line "inputs: 1"
		assert_line "column-1: v"
		assert_line "time-column: when"
		assert_line "time-position: 1"
	done
	run ws_header m.gz
	assert_line "time-format: YYYY-MM-DDTHH:MM:SS+HH:MM"
	assert_line "time-step: 12 months"
	# no header: still the time, called "time" in outputs
	printf '2024-01,1\n2024-02,2\n2024-03,3\n' > nohead.csv
	run --separate-stderr rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 -o n.gz nohead.csv
	assert_success
	run ws_header n.gz
	assert_line "inputs: 1"
	assert_line "time-position: 1"
	assert_line "time-format: YYYY-MM"
	refute_line --partial "time-column:"
	run --separate-stderr rnn-predict -m n.gz nohead.csv
	assert_success
	assert_equal "${lines[0]}" "time,x1"
	assert_equal "${lines[1]%%,*}" "2024-02"
	assert_equal "${#lines[@]}" 4
}

@test "time column: a bare year is the time only under a header like year or date; year,month trains on the value" {
	printf 'year,v\n2001,1\n2002,2\n2003,3\n' > y.csv
	rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 -o y.gz y.csv
	run ws_header y.gz
	assert_line "inputs: 1"
	assert_line "time-format: YYYY"
	assert_line "time-step: 12 months"
	# another name: a number like any other
	printf 'n,v\n2001,1\n2002,2\n2003,3\n' > n.csv
	rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 -o n.gz n.csv
	run ws_header n.gz
	assert_line "inputs: 2"
	refute_line --partial "time-"
	# unless --time says so
	rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 --time n -o t.gz n.csv
	run ws_header t.gz
	assert_line "inputs: 1"
	assert_line "time-column: n"
	# and --time=none reads a year as a number
	rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 --time none -o u.gz y.csv
	run ws_header u.gz
	assert_line "inputs: 2"
	refute_line --partial "time-"
	# year,month,value: the value alone is the input
	rnn-train -q --cell elman --hidden 2 --window 12 --epochs 1 -o ym.gz "$TESTDATA/series/year-month.csv"
	run ws_header ym.gz
	assert_line "inputs: 1"
	assert_line "column-1: sst"
	assert_line "time-column: year,month"
	assert_line "time-position: 1,2"
	assert_line "time-format: YYYY,M"
	assert_line "time-step: 1 month"
	run --separate-stderr rnn-predict -m ym.gz --forecast 2 "$TESTDATA/series/year-month.csv"
	assert_success
	assert_equal "${lines[0]}" "year,month,sst"
	assert_equal "${lines[1]%,*}" "1960,1"
	assert_equal "${lines[2]%,*}" "1960,2"
}

@test "time column: --time names it by name or number; Unix seconds need --time, or COL:unix" {
	awk 'BEGIN { print "v,ts"; for (i = 0; i < 6; i++) printf "%d,%d\n", i + 1, 1700000000 + 3600 * i }' > u.csv
	# integers are numbers: without --time both columns are inputs
	rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 -o a.gz u.csv
	run ws_header a.gz
	assert_line "inputs: 2"
	for spec in ts 2 ts:unix 2:unix; do
		rnn-train -q --cell elman --hidden 2 --window 1 --epochs 1 --time "$spec" -o b.gz u.csv
		run ws_header b.gz
		assert_line "inputs: 1"
		assert_line "column-1: v"
		assert_line "time-column: ts"
		assert_line "time-position: 2"
		assert_line "time-format: unix"
		assert_line "time-step: 3600 s"
	done
	# rnn-predict takes the model's time column: Unix seconds out, an hour on
	timed_model idu time-column=ts time-position=2 time-format=unix "time-step=3600 s"
	run --separate-stderr rnn-predict --import idu u.csv
	assert_success
	assert_equal "${lines[*]}" "ts,v 1700003600,1 1700007200,2 1700010800,3 1700014400,4 1700018000,5 1700021600,6"
	# and --time too, where the series calls it otherwise
	sed '1s/ts/epoch/' u.csv > e.csv
	run --separate-stderr rnn-predict --import idu --time epoch --forecast 1 e.csv
	assert_success
	assert_equal "${lines[*]}" "epoch,v 1700021600,6"
	# errors
	run --separate-stderr rnn-train --time when u.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: u.csv:1: no column 'when' for --time (2 columns, first v)"
	printf 'v,when\n1,soon\n' > w.csv
	run --separate-stderr rnn-train --time when w.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: w.csv:2:2: not a time for --time (found 'soon'; ISO 8601 dates and times, or Unix seconds)"
	run --separate-stderr rnn-train --time v,ts,v u.csv
	assert_failure 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --time takes one column, or a year and a month (found 'v,ts,v')"
}

@test "time column: --columns or --target naming it is a usage error" {
	cp "$TESTDATA/series/monthly.csv" .
	run --separate-stderr rnn-train --columns month,sst monthly.csv
	assert_failure 64
	assert_output ""
	assert_equal "${stderr_lines[0]}" "rnn-train: --columns names the time column 'month' (--time=none reads it as a number)"
	run --separate-stderr rnn-train --target 1 monthly.csv
	assert_failure 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --target names the time column 'month' (--time=none reads it as a number)"
}

@test "time column: times must increase; a repeated or earlier time is an error at its line" {
	timed_model idd time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=86400 s"
	printf 'date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-02,3\n' > dup.csv
	printf 'date,v\n2024-01-01,1\n2024-01-03,2\n2024-01-02,3\n' > dec.csv
	run --separate-stderr rnn-train --window 1 dup.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: dup.csv:4:1: time '2024-01-02' repeats line 3's (times must increase)"
	run --separate-stderr rnn-train --window 1 dec.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: dec.csv:4:1: time '2024-01-02' comes before line 3's '2024-01-03' (times must increase)"
	run --separate-stderr rnn-predict --import idd dec.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: dec.csv:4:1: time '2024-01-02' comes before line 3's '2024-01-03' (times must increase)"
	# --stream: the predictions before it are out
	run --separate-stderr rnn-predict --import idd --stream --missing ffill dec.csv
	assert_failure 65
	assert_equal "${lines[*]}" "date,v 2024-01-02,1 2024-01-03,1 2024-01-04,2"
	assert_equal "$stderr" "rnn-predict: dec.csv:4:1: time '2024-01-02' comes before line 3's '2024-01-03' (times must increase)"
	# every row needs a time, in the first row's form
	printf 'date,v\n2024-01-01,1\n,2\n' > none.csv
	run --separate-stderr rnn-train --window 1 none.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: none.csv:3:1: missing time (an empty cell; every row needs its time)"
	printf 'date,v\n2024-01-01,1\n2024-02,2\n' > form.csv
	run --separate-stderr rnn-train --window 1 form.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-train: form.csv:3:1: not a time of the form YYYY-MM-DD like the first row's (found '2024-02')"
}

@test "time column: a missing step is a row of missing values; the error names the time and --missing" {
	cp "$TESTDATA/series/daily-gap.csv" .
	run --separate-stderr rnn-train --window 3 daily-gap.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: daily-gap.csv:9:1: missing values (no row for 2024-03-08, between 2024-03-07 and 2024-03-09; choose --missing=interpolate, ffill, zero or drop)"
	run --separate-stderr rnn-train -q --cell elman --hidden 2 --window 3 --epochs 1 --missing interpolate -o m.gz daily-gap.csv
	assert_success
	run ws_header m.gz
	assert_line "time-step: 86400 s"
	# through the identity model: what each policy makes of a 2-day gap
	timed_model idd time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=86400 s"
	printf 'date,v\n2024-03-01,1\n2024-03-02,2\n2024-03-05,5\n2024-03-06,6\n' > g.csv
	run --separate-stderr rnn-predict --import idd g.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: g.csv:4:1: missing values (no rows for 2024-03-03 to 2024-03-04, 2 steps between 2024-03-02 and 2024-03-05; choose --missing=interpolate, ffill, zero or drop)"
	run --separate-stderr rnn-predict --import idd --missing interpolate g.csv
	assert_success
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-03,2 2024-03-04,3 2024-03-05,4 2024-03-06,5 2024-03-07,6"
	run --separate-stderr rnn-predict --import idd --missing ffill g.csv
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-03,2 2024-03-04,2 2024-03-05,2 2024-03-06,5 2024-03-07,6"
	run --separate-stderr rnn-predict --import idd --missing zero g.csv
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-03,2 2024-03-04,0 2024-03-05,0 2024-03-06,5 2024-03-07,6"
	run --separate-stderr rnn-predict --import idd --missing drop g.csv
	assert_success
	# each prediction the time of the row it predicts: after 03-02 comes
	# 03-05 (the rows between dropped), and past the end the clock's
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-05,2 2024-03-06,5 2024-03-07,6"
	assert_equal "$stderr" "rnn-predict: warning: g.csv: dropped 2 rows with missing values; the rows after them move up in time"
	# a blank line is no row when the times say what is missing
	printf 'date,v\n2024-03-01,1\n\n2024-03-02,2\n' > b.csv
	run --separate-stderr rnn-predict --import idd b.csv
	assert_success
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-03,2"
	# a month step: by the calendar
	timed_model idm time-column=month time-position=1 time-format=YYYY-MM "time-step=1 month"
	printf 'month,v\n2023-11,1\n2024-02,4\n' > mg.csv
	run --separate-stderr rnn-predict --import idm mg.csv
	assert_failure 65
	assert_equal "$stderr" "rnn-predict: mg.csv:3:1: missing values (no rows for 2023-12 to 2024-01, 2 steps between 2023-11 and 2024-02; choose --missing=interpolate, ffill, zero or drop)"
}

@test "time column: one-step predictions carry the time of the row they predict, past the end too" {
	timed_model idm time-column=month time-position=1 time-format=YYYY-MM "time-step=1 month"
	printf 'month,v\n2023-11,1\n2023-12,2\n2024-01,3\n' > m.csv
	run --separate-stderr rnn-predict --import idm m.csv
	assert_success
	assert_equal "${lines[*]}" "month,v 2023-12,1 2024-01,2 2024-02,3"
	# horizon 3, window 2: the row 3 steps after each window's last row
	timed_model idh time-column=month time-position=1 time-format=YYYY-MM "time-step=1 month"
	sed -i 's/^window=1$/window=2\nhorizon=3/' idh/config
	run --separate-stderr rnn-predict --import idh m.csv
	assert_success
	assert_equal "${lines[*]}" "month,v 2024-03,2 2024-04,3"
	# a trained model: the clock goes on a month past the end of elnino
	rnn-train -q --transform none --hidden 4 --window 12 --epochs 1 -o t.gz "$TESTDATA/series/monthly.csv"
	run --separate-stderr rnn-predict -m t.gz "$TESTDATA/series/monthly.csv"
	assert_success
	assert_equal "${lines[0]}" "month,sst"
	assert_equal "${lines[1]%%,*}" "1951-01"
	assert_equal "${lines[-1]%%,*}" "2011-01"
	assert_equal "${#lines[@]}" 722
}

@test "time column: --forecast K carries the next K times of the series' step" {
	timed_model idd time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=86400 s"
	printf 'date,v\n2024-02-27,1\n2024-02-28,2\n' > d.csv
	run --separate-stderr rnn-predict --import idd --forecast 3 d.csv
	assert_success
	assert_equal "${lines[*]}" "date,v 2024-02-29,2 2024-03-01,2 2024-03-02,2"
	# times of day and zones as written
	timed_model idt time-column=t time-position=1 time-format=YYYY-MM-DDTHH:MM+HH:MM "time-step=1800 s"
	printf 't,v\n2024-03-31T23:00+02:00,1\n2024-03-31T23:30+02:00,2\n' > z.csv
	run --separate-stderr rnn-predict --import idt --forecast 2 z.csv
	assert_success
	assert_equal "${lines[*]}" "t,v 2024-04-01T00:00+02:00,2 2024-04-01T00:30+02:00,2"
	# a model without a step takes the series' own (here 2 months)
	timed_model ido column-1=v
	printf 'month,v\n2024-01,1\n2024-03,2\n2024-05,3\n' > two.csv
	run --separate-stderr rnn-predict --import ido --forecast 2 two.csv
	assert_success
	assert_equal "${lines[*]}" "month,v 2024-07,3 2024-09,3"
}

@test "time column: ISO times with a fraction of a second (toISOString's .000Z) are times, rounded to the second" {
	# JavaScript's toISOString: hourly, .000Z
	{ echo "t,v"; for h in 0 1 2 3 4 5 6 7; do printf '2024-01-01T%02d:00:00.000Z,%d\n' "$h" $((h % 3)); done; } > js.csv
	run -0 rnn-train -q --cell elman --hidden 2 --window 2 --epochs 1 --ensemble 1 -o js.gz js.csv
	run ws_header js.gz
	assert_line "inputs: 1"
	assert_line "time-column: t"
	assert_line "time-format: YYYY-MM-DDTHH:MM:SS.sssZ"
	assert_line "time-step: 3600 s"
	run --separate-stderr rnn-predict -m js.gz --forecast 2 js.csv
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[1]%%,*}" "2024-01-01T08:00:00.000Z"
	assert_equal "${lines[2]%%,*}" "2024-01-01T09:00:00.000Z"
	# any 1-9 digits, '.' or ',', an offset; half a second rounds up:
	# 59.5 is the next minute
	{ echo "t;v"; for s in 56 57 58 59; do printf '2024-01-01T00:00:%02d,5+01:00;%d\n' "$s" $((s % 2)); done; } > c.csv
	run -0 rnn-train -q -d ';' --cell elman --hidden 2 --window 2 --epochs 1 --ensemble 1 -o c.gz c.csv
	run ws_header c.gz
	assert_line "time-format: YYYY-MM-DDTHH:MM:SS,s+HH:MM"
	assert_line "time-step: 1 s"
	run --separate-stderr rnn-predict -d ';' -m c.gz --forecast 1 c.csv
	assert_success
	assert_equal "${lines[1]%%;*}" "2024-01-01T00:01:01,0+01:00"
	# 10 digits, a fraction without seconds or without digits: no time
	for cell in 2024-01-01T00:00:00.0000000001Z 2024-01-01T00:00.5Z 2024-01-01T00:00:00.Z; do
		printf 'when,v\n%s,1\n%s,2\n' "$cell" "$cell" > bad.csv
		run --separate-stderr rnn-train -q --window 1 --epochs 1 --time when -o b.gz bad.csv
		assert_failure 65
		assert_equal "$stderr" "rnn-train: bad.csv:2:1: not a time for --time (found '$cell'; ISO 8601 dates and times, or Unix seconds)"
	done
}

@test "time column: --align keeps the input's cells and gives times to the rows it adds" {
	timed_model idd time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=86400 s"
	printf 'v,date\n1,2024-03-01\n2,"2024-03-02"\n4.0,2024-03-04\n' > a.csv
	run --separate-stderr rnn-predict --import idd --time date --missing interpolate --align a.csv
	assert_success
	assert_equal "${lines[0]}" "v,date,predicted_v"
	assert_equal "${lines[1]}" "1,2024-03-01,"
	assert_equal "${lines[2]}" "2,2024-03-02,1"
	assert_equal "${lines[3]}" ",2024-03-03,2"
	assert_equal "${lines[4]}" "4.0,2024-03-04,3"
	assert_equal "${lines[5]}" ",2024-03-05,4"
	assert_equal "${#lines[@]}" 6
}

@test "time column: --stream carries the same times, filling a missing step as the whole file does" {
	timed_model idd time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=86400 s"
	printf 'date,v\n2024-03-01,1\n2024-03-02,2\n2024-03-05,5\n2024-03-06,6\n' > g.csv
	for how in ffill zero drop; do
		rnn-predict -q --import idd --missing $how g.csv > whole.csv
		rnn-predict -q --import idd --missing $how --stream < g.csv > stream.csv
		# but under drop: the whole file gives the row after the gap
		# its own time, a stream (not read yet) the clock's
		[[ $how != drop ]] || sed -i 's/^2024-03-05,2$/2024-03-03,2/' whole.csv
		diff -u whole.csv stream.csv
	done
	run --separate-stderr rnn-predict --import idd --stream g.csv
	assert_failure 65
	assert_equal "${lines[*]}" "date,v 2024-03-02,1 2024-03-03,2"
	assert_equal "$stderr" "rnn-predict: g.csv:4:1: missing values (no rows for 2024-03-03 to 2024-03-04, 2 steps between 2024-03-02 and 2024-03-05; choose --missing=interpolate, ffill, zero or drop)"
	# a model without a step: no clock to go on, the times are empty
	timed_model ido column-1=v
	run --separate-stderr rnn-predict --import ido --stream g.csv
	assert_success
	assert_equal "${lines[*]}" "date,v ,1 ,2 ,5 ,6"
}

@test "time column: the model keeps the time; rnn-predict refuses times off its step" {
	rnn-train --ensemble 1 -q --transform none --hidden 4 --window 12 --epochs 1 -o t.gz "$TESTDATA/series/monthly.csv"
	run ws_header t.gz
	assert_line "positions: 2"
	assert_line "time-column: month"
	assert_line "time-position: 1"
	assert_line "time-format: YYYY-MM"
	assert_line "time-step: 1 month"
	# exported and imported with the model
	rnn-predict -m t.gz --export ex
	run grep '^time-' ex/config
	assert_output "time-column=month
time-position=1
time-format=YYYY-MM
time-step=1 month"
	rnn-predict -m t.gz --forecast 2 "$TESTDATA/series/monthly.csv" > a.csv
	rnn-predict --import ex --forecast 2 "$TESTDATA/series/monthly.csv" > b.csv
	diff -u a.csv b.csv
	# days for a monthly model: an error, not a guess
	timed_model idm time-column=date time-position=1 time-format=YYYY-MM-DD "time-step=1 month"
	printf 'date,v\n2024-01-01,1\n2024-01-02,2\n' > d.csv
	run --separate-stderr rnn-predict --import idm d.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-predict: d.csv:3:1: time '2024-01-02' is not a whole number of the model's steps (1 month) after '2024-01-01'"
	# a model from before time columns: the series' time and step
	rnn-train --ensemble 1 -q --hidden 4 --window 12 --epochs 1 -o old.gz "$TESTDATA/series/elnino.csv"
	run ws_header old.gz
	refute_line --partial "time-"
	run --separate-stderr rnn-predict -m old.gz --forecast 1 "$TESTDATA/series/monthly.csv"
	assert_success
	assert_equal "${lines[0]}" "month,sst"
	assert_equal "${lines[1]%%,*}" "2011-01"
}

@test "time column: rnn-train --init finds the model's columns and time without --columns" {
	wide_csv
	rnn-train --ensemble 1 -q --cell elman --hidden 2 --window 3 --epochs 3 --columns c,a --target d --checkpoint ck.gz -o /dev/null wide.csv
	rnn-train --ensemble 1 -q --cell elman --hidden 2 --window 3 --epochs 5 --columns c,a --target d -o one.gz wide.csv
	# the columns in another order, and more of them: found by name
	mkdir moved
	awk -F, -v OFS=, '{ print $5, $4, $3, $2, $1 }' wide.csv > moved/wide.csv
	cd moved
	run --separate-stderr rnn-train --ensemble 1 -q --init ../ck.gz --epochs 5 -o ../two.gz wide.csv
	assert_success
	cd ..
	cmp one.gz two.gz
	# a time series resumed keeps its time keys
	rnn-train --ensemble 1 -q --hidden 4 --window 12 --epochs 1 --checkpoint mck.gz -o /dev/null "$TESTDATA/series/monthly.csv"
	rnn-train --ensemble 1 -q --init mck.gz --epochs 2 -o m2.gz "$TESTDATA/series/monthly.csv"
	run ws_header m2.gz
	assert_line "time-column: month"
	assert_line "time-step: 1 month"
}

@test "time column: a gap longer than 10000 steps and than the rows before it is a wrong time, not missing rows" {
	printf 't,v\n1700000000,1\n1700000001,2\n1700000002,3\n1700000003,4\n2000000000,5\n' > ugap.csv
	run --separate-stderr timeout 60 rnn-train -q --epochs 1 --window 2 --time=t --missing=zero ugap.csv
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "rnn-train: ugap.csv:6:1: time '2000000000' is 299999997 steps (1 s) after '1700000003': a gap longer than 10000 steps and than the 4 rows before it is taken for a wrong time"
	# the same for --stream, after the predictions before it
	head -n 5 ugap.csv > ok.csv
	rnn-train -q --epochs 1 --window 2 --time=t -o u.gz ok.csv
	run --separate-stderr timeout 60 rnn-predict -m u.gz --stream --missing=ffill ugap.csv
	assert_failure 65
	assert_equal "${#lines[@]}" 4
	[[ "$stderr" == *"ugap.csv:6:1: time '2000000000' is 299999997 steps"* ]] || fail "$stderr"
	# a long gap after a longer series is a gap
	{ echo t,v; seq 1700000000 1700011999 | sed 's/$/,1/'; echo "1700023000,2"; } > long.csv
	run --separate-stderr rnn-train -q --ensemble 1 --val 0 --cell elman --hidden 2 --epochs 1 --window 2 --time=t --missing=zero -o l.gz long.csv
	assert_success
}

@test "time column: month-end dates have a monthly clock" {
	printf 't,v\n2024-01-31,1\n2024-02-29,2\n2024-03-31,3\n2024-04-30,4\n2024-05-31,5\n' > monend.csv
	rnn-train -q --epochs 1 --window 2 -o me.gz monend.csv
	run ws_header me.gz
	assert_line "time-step: 1 month-end"
	run -0 rnn-predict -m me.gz --forecast 3 monend.csv
	assert_equal "$(cut -d, -f1 <<<"$output" | tr '\n' ' ')" "t 2024-06-30 2024-07-31 2024-08-31 "
	# a missing month-end is a missing row
	sed -i '4d' monend.csv
	run --separate-stderr rnn-predict -m me.gz monend.csv
	assert_failure 65
	[[ "$stderr" == *"monend.csv:4:1: missing values (no row for 2024-03-31, between 2024-02-29 and 2024-04-30;"* ]] || fail "$stderr"
}

@test "missing values: 200000 blank lines in a row are 200000 missing rows" {
	{ echo v; echo 1; yes '' | head -n 200000; echo 2; } > blanks.csv
	run --separate-stderr rnn-train -q --ensemble 1 --val 0 --cell elman --hidden 2 --epochs 1 --window 2 --missing=zero -o b.gz blanks.csv
	assert_success
	run -0 rnn-predict -m b.gz --missing=zero blanks.csv
	assert_equal "${#lines[@]}" 200002
}

@test "time column: a basic date YYYYMMDD is a time under a header like date, a number under another" {
	printf 'date,v\n20240130,1\n20240131,2\n20240201,3\n20240202,4\n20240203,5\n20240204,6\n' > ymd.csv
	rnn-train -q --epochs 2 --window 2 -o y.gz ymd.csv
	run ws_header y.gz
	assert_line "inputs: 1"
	assert_line "time-format: YYYYMMDD"
	assert_line "time-step: 86400 s"
	run -0 rnn-predict -m y.gz --forecast 2 ymd.csv
	assert_equal "$(cut -d, -f1 <<<"$output" | tr '\n' ' ')" "date 20240205 20240206 "
	# a missing day is a missing value, named in the file's own form
	sed -i '4d' ymd.csv
	run --separate-stderr rnn-predict -m y.gz ymd.csv
	assert_failure 65
	[[ "$stderr" == *"ymd.csv:4:1: missing values (no row for 20240201, between 20240131 and 20240202;"* ]] || fail "$stderr"
	# under another header it is a number, and --time makes it the time
	sed '1s/date/id/' ymd.csv > id.csv
	rnn-train -q --epochs 1 --window 2 -o i.gz id.csv
	run ws_header i.gz
	assert_line "inputs: 2"
	rnn-train -q --epochs 1 --window 2 --time id --missing ffill -o t.gz id.csv
	run ws_header t.gz
	assert_line "time-format: YYYYMMDD"
}

@test "--missing=drop: a prediction carries the time of the row it predicts; --align keeps a line for a dropped input row" {
	cp "$TESTDATA/series/daily-gap.csv" .
	rnn-train -q --cell elman --hidden 2 --epochs 1 --ensemble 1 --window 3 --missing drop -o m.gz daily-gap.csv
	# no row for 03-08 (dropped): the window ending 03-07 predicts 03-09
	run --separate-stderr rnn-predict -m m.gz daily-gap.csv
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]}" | cut -d, -f1 | sed -n '4,7p' | tr '\n' ' ')" "2024-03-06 2024-03-07 2024-03-09 2024-03-10 "
	# the times of the predictions are the times of the data's rows,
	# then one past the end
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1)" "$(sed -n '5,$p' daily-gap.csv | cut -d, -f1; echo 2024-03-22)"
	# --align: the 03-09 row with the prediction above; an input row with
	# a missing value (03-05) its line, empty, the predictions going on to
	# the rows kept
	rnn-predict -m m.gz daily-gap.csv | sed -n 6p | cut -d, -f2 > p9
	run --separate-stderr rnn-predict -m m.gz --align daily-gap.csv
	assert_success
	assert_line --index 8 "2024-03-09,137,$(cat p9)"
	sed '6s/,119$/,/' daily-gap.csv > miss.csv
	run --separate-stderr rnn-predict -m m.gz --align miss.csv
	assert_success
	assert_line --index 5 "2024-03-05,,"
	assert_equal "${#lines[@]}" 22
	[[ "${lines[6]}" == 2024-03-06,119,?* ]] || fail "${lines[6]}"
	[[ "${lines[4]}" == 2024-03-04,119,?* ]] || fail "${lines[4]}"
}

@test "time column: one time off an otherwise regular grid warns at its line with the step the others follow; -q quiets it" {
	# hourly, 2024-01-03T22:00 moved by a minute (line 69)
	awk 'BEGIN { print "ts,load"; for (i = 0; i < 96; i++) printf "2024-01-%02dT%02d:%s,%d\n", 1 + int(i / 24), i % 24, i == 70 ? "01" : "00", 100 + i % 24 }' > odd.csv
	sed -n 72p odd.csv | grep -q 'T22:01' || fail "$(sed -n 72p odd.csv)"
	run --separate-stderr rnn-train --epochs 1 --ensemble 1 --hidden 2 -o m.gz odd.csv
	assert_success
	assert_equal "${stderr_lines[0]}" "rnn-train: warning: odd.csv:72: time 2024-01-03T22:01 is off the step of 3600 s the other times follow; the series has no time step (no gaps found, no season from it)"
	run --separate-stderr rnn-train -q --epochs 1 --ensemble 1 --hidden 2 -o m.gz odd.csv
	assert_success
	assert_equal "$stderr" ""
	# monthly dates, one a day late: the month grid; the first row off
	printf 'date,v\n2024-01-02,1\n2024-02-01,2\n2024-03-01,3\n2024-04-01,4\n2024-05-01,5\n2024-06-01,6\n2024-07-01,7\n' > m.csv
	run --separate-stderr rnn-train --epochs 1 --ensemble 1 --hidden 2 --window 2 --val 0 -o m.gz m.csv
	assert_success
	assert_equal "${stderr_lines[0]}" "rnn-train: warning: m.csv:2: time 2024-01-02 is off the step of 1 month the other times follow; the series has no time step (no gaps found, no season from it)"
	# times with no grid at all: no warning
	printf 'ts,v\n2024-01-01T00:00,1\n2024-01-01T00:17,2\n2024-01-01T01:03,3\n2024-01-01T02:41,4\n2024-01-01T03:34,5\n2024-01-01T04:45,6\n2024-01-01T05:14,7\n' > irr.csv
	run --separate-stderr rnn-train --epochs 1 --ensemble 1 --hidden 2 --window 2 --val 0 -o m.gz irr.csv
	assert_success
	[[ "$stderr" != *warning* ]] || fail "$stderr"
}
