#!/usr/bin/env bats
# rnn-predict --state=FILE (issue 10, "State across runs"): runs over
# successive chunks of a series print what one run over the whole series
# prints, byte for byte; the header only when FILE is new; --stream saves
# on SIGTERM and at EOF; a state of another model, corrupt, truncated or
# newer is refused and left as it is.

load test_helper

# The models, trained once: small and quick, their outputs all that counts.
setup_file() {
	local d="$BATS_FILE_TMPDIR" tr
	tr="rnn-train -q --cell elman --hidden 3 --epochs 2 --seed 7"
	head -n 41 "$TESTDATA/series/elnino.csv" > "$d/e.csv"
	head -n 41 "$TESTDATA/series/monthly.csv" > "$d/mon.csv"
	head -n 41 "$TESTDATA/series/year-month.csv" > "$d/ym.csv"
	awk -F, 'NR == 1 { print "a,b,c"; next }
	         { print $1 "," $1 / 2 + NR % 7 "," NR % 5 }' "$d/e.csv" > "$d/abc.csv"
	$tr --window 5 -o "$d/plain.gz" "$d/e.csv"
	$tr --window 4 --transform diff -o "$d/diff.gz" "$d/e.csv"
	$tr --window 8 --transform diff --period 4 -o "$d/sdiff.gz" "$d/e.csv"
	$tr --window 4 --transform log -o "$d/log.gz" "$d/e.csv"
	$tr --window 4 -o "$d/abc.gz" "$d/abc.csv"
	$tr --window 4 --target b -o "$d/b.gz" "$d/abc.csv"
	$tr --window 4 -o "$d/mon.gz" "$d/mon.csv"
	$tr --window 4 -o "$d/ym.gz" "$d/ym.csv"
	$tr --window 4 --missing ffill -o "$d/gap.gz" "$TESTDATA/series/daily-gap.csv"
	$tr --window 4 --ensemble 3 -o "$d/ens.gz" "$d/e.csv"
	$tr --window 4 --val 0.3 -o "$d/val.gz" "$d/e.csv"
	$tr --window 4 --horizon 3 -o "$d/h3.gz" "$d/mon.csv"
	$tr --window 4 --horizon 1-3 -o "$d/direct.gz" "$d/mon.csv"
	$tr --window 4 --normalize window -o "$d/norm.gz" "$d/e.csv"
	# sequence models (rnn-train --mode seq): the net's state carried
	tr="rnn-train -q --mode seq --hidden 3 --epochs 2 --seed 7 --bptt 6"
	$tr --cell lstm --layers 2 -o "$d/seq.gz" "$d/e.csv"
	$tr --cell gru --target b -o "$d/seqb.gz" "$d/abc.csv"
	$tr --cell elman --horizon 2 -o "$d/seqmon.gz" "$d/mon.csv"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	M="$BATS_FILE_TMPDIR"
}

# chunked FILE STATE SIZES [OPTIONS...]: rnn-predict --state STATE over
# FILE's header and data rows in chunks of SIZES (comma-separated rows,
# cycled; the header goes with the first), each run's output appended
# to stdout; FILE's first chunk starts afresh (STATE removed)
chunked() {
	local f="$1" s="$2" i=0 k=2 n total
	local -a sizes
	IFS=, read -ra sizes <<< "$3"
	shift 3
	rm -f "$s"
	total=$(wc -l < "$f")
	while ((k <= total)); do
		n=${sizes[i++ % ${#sizes[@]}]}
		if ((k == 2)); then
			head -n $((n + 1)) "$f"
		else
			tail -n +$k "$f" | head -n "$n"
		fi | rnn-predict --state "$s" "$@" || return
		k=$((k + n))
	done
}

# same_in_chunks FILE N [OPTIONS...]: the output of one run without a
# state, then of runs of 1 + 1 + ... + 1 rows (N of them: through the
# start-up; 3 under the sanitizers, each run slow to start) and the rest,
# and of uneven chunks: byte for byte the same
same_in_chunks() {
	local f="$1" ones n="$2"
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || n=3
	ones=$(printf '1,%.0s' $(seq "$n"))
	shift 2
	rnn-predict "$@" "$f" > want.csv
	chunked "$f" s1 "${ones}1000" "$@" > got.csv
	assert_files_same want.csv got.csv
	chunked "$f" s2 7,1,13,2,19 "$@" > got.csv
	assert_files_same want.csv got.csv
}

assert_files_same() {
	[[ $(wc -l < "$1") -gt 1 ]] || fail "$1 holds no predictions"
	diff -u "$1" "$2" || fail "$2 is not $1"
}

@test "a plain model: 1+1+...+1 rows and uneven chunks print what one run prints" {
	same_in_chunks "$M/e.csv" 8 -m "$M/plain.gz"
	# one run over it all with a new state is that run too
	rnn-predict -m "$M/plain.gz" --state s "$M/e.csv" > whole.csv
	assert_files_same want.csv whole.csv
}

@test "a difference carries its history row" {
	same_in_chunks "$M/e.csv" 7 -m "$M/diff.gz"
}

@test "a seasonal difference carries its 5 history rows" {
	same_in_chunks "$M/e.csv" 11 -m "$M/sdiff.gz"
}

@test "a log transform" {
	same_in_chunks "$M/e.csv" 7 -m "$M/log.gz"
}

@test "a multi-column model, every column predicted" {
	same_in_chunks "$M/abc.csv" 7 -m "$M/abc.gz"
}

@test "a multi-column model predicting one of its three columns" {
	same_in_chunks "$M/abc.csv" 7 -m "$M/b.gz"
}

@test "a time column: the printed times go on" {
	same_in_chunks "$M/mon.csv" 7 -m "$M/mon.gz"
}

@test "year and month columns: a month 1 stays 1 after 12" {
	same_in_chunks "$M/ym.csv" 7 -m "$M/ym.gz"
	run grep -c '^1951,1,' got.csv
	assert_output 1
}

@test "an ensemble: the median of its members" {
	same_in_chunks "$M/e.csv" 7 -m "$M/ens.gz"
}

@test "--interval columns" {
	same_in_chunks "$M/e.csv" 7 -m "$M/val.gz" --interval 50,80
}

@test "a horizon of 3, and a direct 1-3 model" {
	same_in_chunks "$M/mon.csv" 2 -m "$M/h3.gz"
	same_in_chunks "$M/mon.csv" 2 -m "$M/direct.gz"
}

@test "a long first chunk is predicted in batches: the same bytes across batch edges, with intervals" {
	# 200 and more windows a run: rnn-predict --state predicts 64 at a
	# time (predstream.c), as a run without a state does
	rnn-train -q --cell elman --hidden 3 --epochs 2 --seed 7 --ensemble 2 \
		--window 8 --transform diff --period 4 --val 0.2 -o long.gz "$TESTDATA/series/elnino.csv"
	rnn-predict -m long.gz --interval 80 "$TESTDATA/series/elnino.csv" > want.csv
	[[ $(wc -l < want.csv) -gt 300 ]] || fail "too few predictions"
	chunked "$TESTDATA/series/elnino.csv" s 200,1,63,64,65,1000 -m long.gz --interval 80 > got.csv
	assert_files_same want.csv got.csv
	rnn-predict -m long.gz --interval 80 --state s2 "$TESTDATA/series/elnino.csv" > whole.csv
	assert_files_same want.csv whole.csv
}

@test "window normalization" {
	same_in_chunks "$M/e.csv" 7 -m "$M/norm.gz"
}

@test "sequence models: the hidden state carried, 1+1+...+1 rows and uneven chunks" {
	same_in_chunks "$M/e.csv" 8 -m "$M/seq.gz"
	# a prediction from every row
	assert_equal "$(wc -l < want.csv)" 41
	rnn-predict -m "$M/seq.gz" --state s "$M/e.csv" > whole.csv
	assert_files_same want.csv whole.csv
	same_in_chunks "$M/abc.csv" 5 -m "$M/seqb.gz"
	same_in_chunks "$M/mon.csv" 5 -m "$M/seqmon.gz"
}

@test "sequence models: --stream --state, stopped and restarted, carries on" {
	head -n 18 "$M/e.csv" | rnn-predict -m "$M/seq.gz" --stream --state s > out1
	tail -n +19 "$M/e.csv" | rnn-predict -m "$M/seq.gz" --stream --state s > out2
	cat out1 out2 > got.csv
	rnn-predict -m "$M/seq.gz" --stream "$M/e.csv" > want.csv
	assert_files_same want.csv got.csv
	rnn-predict -m "$M/seq.gz" "$M/e.csv" > want2.csv
	assert_files_same want.csv want2.csv
}

@test "a sequence model's state file: mode seq, the hidden state, no ring" {
	head -n 9 "$M/e.csv" | rnn-predict -m "$M/seq.gz" --state s > /dev/null
	run ws_header s
	assert_output "rnnkit-weights 1.0
kind: rnn-state
state-version: 1
model: $(gzip -dc s | sed -n 's/^model: //p')
mode: seq
window: 1
lag: 0
columns: 1
seen: 8
used: 8
rows: 8
fields: 1
column-fields: 1
time-fields: none
tensor: levels f64 1x1
tensor: fill f64 1x1
tensor: h.l0 f64 3x1
tensor: c.l0 f64 3x1
tensor: h.l1 f64 3x1
tensor: c.l1 f64 3x1
end"
	# a window state for it, or its own made a window one, is refused
	{ ws_header s | sed 's/^mode: seq$/mode: window/'; ws_data s; } > body
	ws_seal body > w
	fails_with 65 "rnn-predict: w: not a usable state file: its mode is not 'seq'" \
		rnn-predict -m "$M/seq.gz" --state w "$M/e.csv"
	# the hidden state: h.l0 after levels and fill (8 bytes each), each
	# value the net's float exactly; a NaN in it is refused
	ws_data s | od -An -v -tf8 -j16 -N24 > h0
	run awk '{ for (i = 1; i <= NF; i++) if ($i == 0 || $i > 1 || $i < -1) bad = 1 } END { print bad ? "out of (-1, 1)" : "ok" }' h0
	assert_output "ok"
	{ ws_header s; ws_data s | head -c 16; printf '\000\000\000\000\000\000\370\177'; ws_data s | tail -c +25; } > body
	ws_seal body > nan
	fails_with 65 "rnn-predict: nan: not a usable state file: its hidden state holds a value that is not finite" \
		rnn-predict -m "$M/seq.gz" --state nan "$M/e.csv"
	# truncated: refused, left as it is
	head -c 120 s > t
	cp t t0
	run --separate-stderr rnn-predict -m "$M/seq.gz" --state t "$M/e.csv"
	assert_equal "$status" 65
	assert_output ""
	cmp t t0
	# a window model's state file is another model's
	head -n 9 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state p > /dev/null
	cp p p0
	run --separate-stderr rnn-predict -m "$M/seq.gz" --state p "$M/e.csv"
	assert_equal "$status" 65
	[[ "$stderr" == *"state file belongs to another model"* ]]
	cmp p p0
}

@test "missing rows: gaps filled the same when a chunk ends before one" {
	local pol g="$TESTDATA/series/daily-gap.csv"

	for pol in ffill drop; do
		# one stream: under drop the whole file gives a prediction the
		# time of the row it predicts, 03-09, which a stream has not
		# read yet (rnn-predict(1), --stream)
		rnn-predict -q -m "$M/gap.gz" --missing $pol --stream "$g" > want.csv
		# rows 1..7 then 2024-03-09: the gap is between two runs
		chunked "$g" s 7,3 -q -m "$M/gap.gz" --missing $pol > got.csv
		assert_files_same want.csv got.csv
	done
	chunked "$g" s 1,1,1,1,1,1,1,1,1,1,100 -q -m "$M/gap.gz" --missing ffill > got.csv
	rnn-predict -q -m "$M/gap.gz" --missing ffill "$g" > want.csv
	assert_files_same want.csv got.csv
	# the model's own policy (ffill) by default
	chunked "$g" s 7,3 -q -m "$M/gap.gz" > got.csv
	assert_files_same want.csv got.csv
	# with --missing=error the gap between two runs is the same error
	chunked "$g" s 7 -m "$M/gap.gz" --missing error > /dev/null 2> err || true
	assert_equal "$(cat err)" "rnn-predict: <stdin>:1:1: missing values (no row for 2024-03-08, between 2024-03-07 and 2024-03-09; choose --missing=interpolate, ffill, zero or drop)"
}

@test "the header only when FILE is new: >> appends clean CSV" {
	head -n 11 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s >> out.csv
	tail -n +12 "$M/e.csv" | head -n 20 | rnn-predict -m "$M/plain.gz" --state s >> out.csv
	tail -n +32 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s >> out.csv
	rnn-predict -m "$M/plain.gz" "$M/e.csv" > want.csv
	assert_files_same want.csv out.csv
	assert_equal "$(grep -c sst out.csv)" 1
}

@test "a first run shorter than the window prints the header only; no new rows change nothing" {
	head -n 3 "$M/e.csv" > short.csv
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state s short.csv
	assert_success
	assert_output "sst"
	assert_equal "$stderr" ""
	cp s s0
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state s < /dev/null
	assert_success
	assert_output ""
	cmp s s0
	# a header and no rows: nothing either
	head -n 1 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s > out
	[[ ! -s out ]]
	cmp s s0
	# without a state, a short series is the usual error
	run --separate-stderr rnn-predict -m "$M/plain.gz" short.csv
	assert_equal "$status" 65
}

@test "the state file: a weight stream of kind rnn-state with its counts" {
	head -n 9 "$M/e.csv" | rnn-predict -m "$M/diff.gz" --state s > /dev/null
	run ws_header s
	assert_success
	# 8 rows: 1 of difference history, 7 differences seen by the net
	assert_output "rnnkit-weights 1.0
kind: rnn-state
state-version: 1
model: $(gzip -dc s | sed -n 's/^model: //p')
mode: window
window: 3
lag: 1
columns: 1
seen: 7
used: 8
rows: 8
fields: 1
column-fields: 1
time-fields: none
tensor: ring f64 3x1
tensor: levels f64 2x1
tensor: fill f64 1x1
end"
	# the levels: rows 7 and 8 of the series, exactly (no log), and the
	# last value known
	ws_data s | tail -c 24 | od -An -tf8 -w24 > lev
	run awk '{ printf "%.3f %.3f %.3f\n", $1, $2, $3 }' lev
	assert_output "$(sed -n '8p;9p' "$M/e.csv" | paste -sd' ') $(sed -n 9p "$M/e.csv")"
}

@test "a time column keeps its last time, form and fields" {
	head -n 6 "$M/ym.csv" | rnn-predict -m "$M/ym.gz" --state s > /dev/null
	run ws_header s
	# 1950-05-01T00:00Z: -620784000 s, 1950 * 12 + 4 months
	assert_line "last-time: -620784000 23404 1950 5 1 0 0 0 0"
	assert_line "time-rows: 5"
	assert_line "time-format: YYYY,M"
	assert_line "time-fields: 1,2"
	assert_line "column-fields: 3"
}

@test "a time not after the state's last one is refused: a chunk fed twice" {
	head -n 11 "$M/mon.csv" | rnn-predict -m "$M/mon.gz" --state s > /dev/null
	cp s s0
	tail -n +11 "$M/mon.csv" | head -n 3 > again.csv
	fails_with 65 "rnn-predict: again.csv:1:1: time '1950-10' is not after '1950-10', the last time already read (times must increase)" \
		rnn-predict -m "$M/mon.gz" --state s again.csv
	cmp s s0
}

@test "a time column that comes or goes between runs is refused" {
	head -n 11 "$M/mon.csv" | rnn-predict -m "$M/mon.gz" --state s > /dev/null
	fails_with 65 "rnn-predict: <stdin>: no time column, but the state's rows had times (--time)" \
		rnn-predict -m "$M/mon.gz" --time none --state s < <(tail -n +12 "$M/mon.csv")
	head -n 11 "$M/mon.csv" | rnn-predict -m "$M/mon.gz" --time none --state t > /dev/null
	fails_with 65 "rnn-predict: <stdin>: a time column, but the state's rows had none (--time)" \
		rnn-predict -m "$M/mon.gz" --state t < <(tail -n +12 "$M/mon.csv")
}

@test "runs without a header read the state's fields; other fields are refused" {
	# the columns in another order: named by the header in the first run
	awk -F, '{ print $3 "," $1 "," $2 }' "$M/abc.csv" > cab.csv
	rnn-predict -m "$M/abc.gz" "$M/abc.csv" > want.csv
	head -n 11 cab.csv | rnn-predict -m "$M/abc.gz" --state s > got.csv
	cp s s0
	fails_with 65 "rnn-predict: <stdin>: no header, and the model's field positions are not the fields the state's rows were read from: give each run the header line" \
		rnn-predict -m "$M/abc.gz" --state s < <(tail -n +12 cab.csv)
	cmp s s0
	# with the header in each run it goes on
	{ head -n 1 cab.csv; tail -n +12 cab.csv; } |
		rnn-predict -m "$M/abc.gz" --state s >> got.csv
	# (the second header is not printed)
	assert_files_same want.csv got.csv
}

@test "without --stream a bad row prints nothing and leaves the state as it was" {
	head -n 21 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s > /dev/null
	cp s s0
	{ tail -n +22 "$M/e.csv" | head -n 5; echo x; } > bad.csv
	fails_with 65 "rnn-predict: bad.csv:6:1: not a number (found 'x')" \
		rnn-predict -m "$M/plain.gz" --state s bad.csv
	cmp s s0
	# a value a log cannot take, after good rows: the same
	{ tail -n +22 "$M/e.csv" | head -n 5; echo -1; } > neg.csv
	run --separate-stderr rnn-predict -m "$M/log.gz" --state l neg.csv
	assert_equal "$status" 65
	assert_output ""
	[[ ! -e l ]]
}

@test "--stream --state: a bad row keeps the predictions before it and the state up to it" {
	{ head -n 21 "$M/e.csv"; echo x; } > bad.csv
	run --separate-stderr rnn-predict -m "$M/plain.gz" --stream --state s bad.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "rnn-predict: bad.csv:22:1: not a number (found 'x')"
	printf '%s\n' "$output" > got.csv
	assert_line --index 16 "$(rnn-predict -m "$M/plain.gz" "$M/e.csv" | sed -n 17p)"
	run ws_header s
	assert_line "rows: 20"
	# the row fixed, the stream goes on where it stopped
	tail -n +22 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --stream --state s >> got.csv
	rnn-predict -m "$M/plain.gz" "$M/e.csv" > want.csv
	assert_files_same want.csv got.csv
}

@test "--stream --state -o FILE: a bad row removes the unfinished FILE and leaves the state as it was" {
	head -n 11 "$M/e.csv" > first.csv
	rnn-predict -m "$M/plain.gz" --stream --state s -o p1.csv first.csv
	cp s s.before
	{ tail -n +12 "$M/e.csv" | head -n 10; echo x; } > bad.csv
	run --separate-stderr rnn-predict -m "$M/plain.gz" --stream --state s -o p2.csv bad.csv
	assert_equal "$status" 65
	[[ ! -e p2.csv ]] || fail "the unfinished -o file was kept"
	cmp s s.before
	# given the rows again, fixed, nothing is lost or printed twice
	tail -n +12 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --stream --state s -o p2.csv
	cat p1.csv p2.csv > got.csv
	rnn-predict -m "$M/plain.gz" "$M/e.csv" > want.csv
	assert_files_same want.csv got.csv
}

@test "--stream --state: a bad value in the row after a gap prints none of the gap's rows" {
	local g="$TESTDATA/series/daily-gap.csv"
	# rows 1..7, then 2024-03-09 (after the missing 03-08) with a bad value
	head -n 8 "$g" > first.csv
	{ sed -n 9p "$g" | sed 's/,[^,]*$/,abc/'; } > bad.csv
	rnn-predict -q -m "$M/gap.gz" --missing ffill --stream --state s first.csv > got.csv
	run --separate-stderr rnn-predict -q -m "$M/gap.gz" --missing ffill --stream --state s --no-header bad.csv
	assert_equal "$status" 65
	assert_output ""
	tail -n +9 "$g" | rnn-predict -q -m "$M/gap.gz" --missing ffill --stream --state s >> got.csv
	rnn-predict -q -m "$M/gap.gz" --missing ffill "$g" > want.csv
	assert_files_same want.csv got.csv
}

@test "--stream --state saves on SIGTERM and at EOF: a restarted stream carries on" {
	local pid i st=0
	mkfifo in
	rnn-predict -m "$M/plain.gz" --stream --state s < in > out1 &
	pid=$!
	exec 4> in      # (3 is bats' own)
	head -n 31 "$M/e.csv" >&4
	# 30 rows, window 5: the header and 26 predictions
	for ((i = 0; i < 200; i++)); do
		[[ $(wc -l < out1) -ge 27 ]] && break
		sleep 0.05
	done
	kill -TERM $pid
	wait $pid || st=$?
	exec 4>&-
	assert_equal "$st" 143
	assert_equal "$(wc -l < out1)" 27
	run ws_header s
	assert_line "rows: 30"
	tail -n +32 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --stream --state s > out2
	run ws_header s
	assert_line "rows: 40"
	cat out1 out2 > got.csv
	rnn-predict -m "$M/plain.gz" "$M/e.csv" > want.csv
	assert_files_same want.csv got.csv
	# stopped before its first row: the state as it was
	cp s s0
	mkfifo in2
	rnn-predict -m "$M/plain.gz" --stream --state s < in2 > out3 &
	pid=$!
	exec 4> in2
	sleep 0.2
	kill -TERM $pid
	st=0
	wait $pid || st=$?
	exec 4>&-
	assert_equal "$st" 143
	[[ ! -s out3 ]]
	cmp s s0
}

@test "a state of another model is refused, the file untouched" {
	head -n 21 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s > /dev/null
	cp s s0
	run --separate-stderr rnn-predict -m "$M/diff.gz" --state s < <(tail -n +22 "$M/e.csv")
	assert_equal "$status" 65
	assert_output ""
	assert_regex "$stderr" "^rnn-predict: s: state file belongs to another model \(model check [0-9a-f]{16}, this model's [0-9a-f]{16}\); remove it to start afresh$"
	cmp s s0
	# the same model again is the same model: it goes on
	rnn-train -q --cell elman --hidden 3 --epochs 2 --seed 7 --window 5 -o again.gz "$M/e.csv"
	tail -n +22 "$M/e.csv" | rnn-predict -m again.gz --state s > /dev/null
}

@test "a corrupt, truncated, newer or foreign state file is refused and left as it is" {
	head -n 21 "$M/e.csv" | rnn-predict -m "$M/plain.gz" --state s > /dev/null
	gzip -dc s > raw
	# a flipped byte in the tensor data: the checksum
	cp raw c
	flip_byte c $(($(wc -c < raw) - 30))
	cp c c0
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state c "$M/e.csv"
	assert_equal "$status" 65
	assert_output ""
	assert_regex "$stderr" "^rnn-predict: c: weight stream checksum mismatch \(crc32 [0-9a-f]{8}, expected [0-9a-f]{8}\): the data is corrupt$"
	cmp c c0
	# truncated, compressed and not
	head -c 100 s > t
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state t "$M/e.csv"
	assert_equal "$status" 65
	assert_output ""
	assert_regex "$stderr" "^rnn-predict: t: "
	head -c $(($(wc -c < raw) - 5)) raw > t2
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state t2 "$M/e.csv"
	assert_equal "$status" 65
	assert_regex "$stderr" "^rnn-predict: t2: "
	cmp t2 <(head -c $(($(wc -c < raw) - 5)) raw)
	# an empty file is no state either
	: > e
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state e "$M/e.csv"
	assert_equal "$status" 65
	[[ ! -s e ]]
	# a newer state-version
	{ ws_header s | sed 's/^state-version: 1$/state-version: 2/'; ws_data s; } > body
	ws_seal body > n
	fails_with 65 "rnn-predict: n: state file is from a newer rnnkit (state-version 2; this one reads 1)" \
		rnn-predict -m "$M/plain.gz" --state n "$M/e.csv"
	# a sequence model's state (mode seq) for a window model
	{ ws_header s | sed 's/^mode: window$/mode: seq/'; ws_data s; } > body
	ws_seal body > q
	fails_with 65 "rnn-predict: q: not a usable state file: its mode is not 'window'" \
		rnn-predict -m "$M/plain.gz" --state q "$M/e.csv"
	# counts that disagree
	{ ws_header s | sed 's/^seen: .*/seen: 3/'; ws_data s; } > body
	ws_seal body > k
	fails_with 65 "rnn-predict: k: not a usable state file: its row counts disagree" \
		rnn-predict -m "$M/plain.gz" --state k "$M/e.csv"
	# a model is not a state
	cp "$M/plain.gz" m.gz
	fails_with 65 "rnn-predict: m.gz: this is a 'rnn' weight stream; expected a prediction state (from rnn-predict --state)" \
		rnn-predict -m "$M/plain.gz" --state m.gz "$M/e.csv"
	cmp m.gz "$M/plain.gz"
}

@test "--state goes with the default predictions and --stream only" {
	local opt
	for opt in "--forecast 3" --align --score "--export d"; do
		usage_fails "rnn-predict: --state goes with the default predictions and --stream, not --forecast, --align, --score or --export" \
			rnn-predict -m "$M/plain.gz" --state s $opt "$M/e.csv"
	done
	usage_fails "rnn-predict: --missing=interpolate needs the values after a gap, so not --state (use ffill, zero or drop)" \
		rnn-predict -m "$M/plain.gz" --state s --missing interpolate "$M/e.csv"
	[[ ! -e s ]]
}

@test "--state cannot be the series, the model or -o, and must be creatable" {
	cp "$M/e.csv" e.csv
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state e.csv e.csv
	assert_equal "$status" 64
	assert_equal "$stderr" "rnn-predict: refusing to overwrite input 'e.csv' with --state 'e.csv'"
	run --separate-stderr rnn-predict -m "$M/plain.gz" --state o.csv -o o.csv e.csv
	assert_equal "$status" 64
	fails_with 73 "rnn-predict: cannot create 'no/such/s': No such file or directory" \
		rnn-predict -m "$M/plain.gz" --state no/such/s e.csv
	cmp e.csv "$M/e.csv"
}
