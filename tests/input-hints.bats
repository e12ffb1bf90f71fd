#!/usr/bin/env bats
# Inputs that are nearly right get a hint: compressed in a format other
# than gzip (named, with the command that reads it), and a model or memory
# expected on standard input when that is a terminal. CSV data typed at a
# terminal is read, as cat reads it.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	# the magic bytes of each format, then junk: no compressor needed
	printf '\3757zXZ\0junkjunk' > x.xz
	printf '\050\265\057\375junkjunk' > x.zst
	printf 'BZh91AY&SYjunkjunk' > x.bz2
	printf '\004\042\115\030junkjunk' > x.lz4
	printf 'PK\3\4junkjunk' > x.zip
	printf '7z\274\257\047\034junkjunk' > x.7z
	hop-store -q "$SEED/ex3-patterns.csv" > mem.gz
	rnn-train -q --epochs 1 --window 4 --hidden 2 "$TESTDATA/ramp.csv" > m.gz
}


@test "hints: compressed CSV other than gzip: 65, naming the format and the tool to use" {
	fails_with 65 "hop-store: x.xz: xz-compressed input is not supported; use xz -dc" hop-store x.xz
	fails_with 65 "rnn-train: x.zst: zstd-compressed input is not supported; use zstd -dc" rnn-train x.zst
	fails_with 65 "hop-recall: x.bz2: bzip2-compressed input is not supported; use bzip2 -dc" hop-recall -m mem.gz x.bz2
	fails_with 65 "bam-pair: x.lz4: lz4-compressed input is not supported; use lz4 -dc" bam-pair store --split 3 x.lz4
	fails_with 65 "rnn-predict: x.zip: zip archive input is not supported; use unzip -p" rnn-predict -m m.gz x.zip
	fails_with 65 "rnn-predict: x.7z: 7z archive input is not supported; use 7z x -so" rnn-predict -m m.gz --stream x.7z
	fails_with 65 "grad-check: x.xz: xz-compressed input is not supported; use xz -dc" grad-check -m m.gz x.xz
	fails_with 65 "hop-store: <stdin>: bzip2-compressed input is not supported; use bzip2 -dc" hop-store < x.bz2
}

@test "hints: a model or memory compressed other than gzip: 65, naming the format" {
	fails_with 65 "hop-recall: x.zst: zstd-compressed input is not supported; use zstd -dc" hop-recall -m x.zst "$SEED/ex3-probe.csv"
	fails_with 65 "hop-store: x.xz: xz-compressed input is not supported; use xz -dc" hop-store -m x.xz "$SEED/ex3-patterns.csv"
	fails_with 65 "bam-pair: <stdin>: lz4-compressed input is not supported; use lz4 -dc" bam-pair recall "$SEED/ex4-probe.csv" < x.lz4
	fails_with 65 "rnn-predict: x.xz: xz-compressed input is not supported; use xz -dc" rnn-predict -m x.xz "$TESTDATA/ramp.csv"
	fails_with 65 "rnn-predict: <stdin>: zip archive input is not supported; use unzip -p" rnn-predict --export w < x.zip
	fails_with 65 "rnn-train: x.bz2: bzip2-compressed input is not supported; use bzip2 -dc" rnn-train --init x.bz2 "$TESTDATA/ramp.csv"
	fails_with 65 "grad-check: x.7z: 7z archive input is not supported; use 7z x -so" grad-check -m x.7z "$TESTDATA/ramp.csv"
}

@test "hints: text that starts like a magic number is CSV" {
	printf '7\n8\n9\n10\n' > seven.csv
	run rnn-predict -m m.gz seven.csv
	assert_success
	assert_equal "${#lines[@]}" 2
	printf 'PK,7z\n1,2\n3,4\n' > pk.csv
	run rnn-train -q --epochs 1 --window 1 --hidden 2 -o /dev/null pk.csv
	assert_success
}

# on_tty CMD: run the shell command CMD with standard input, output and
# error on a terminal (script(1)), feeding it this function's stdin
on_tty() {
	command -v script > /dev/null || skip "script(1) is not installed"
	run timeout 20 script -qec "$1" /dev/null
	output="${output//$'\r'/}"
	mapfile -t lines <<< "$output"
}

@test "hints: -d applies to the memory and the probes alike, and the error says so" {
	tr , ';' < "$SEED/ex1-W.csv" > Ws.csv
	fails_with 65 "hop-recall: $SEED/ex1-probe.csv:1: header but no data rows (the file looks ','-separated, but -d ';' applies to every file read)" \
		hop-recall -m Ws.csv -d ';' "$SEED/ex1-probe.csv"
	(cat "$SEED/ex1-probe.csv"; cat "$SEED/ex1-probe.csv") > p2.csv
	fails_with 65 "hop-recall: p2.csv:2:1: not a number (found '1,-1,1,-1'; the file looks ','-separated, but -d ';' applies to every file read)" \
		hop-recall -m Ws.csv -d ';' p2.csv
}

@test "hints: a model or memory expected from a terminal: 64 at once, with a hint" {
	on_tty "rnn-predict $TESTDATA/ramp.csv" < /dev/null
	assert_equal "$status" 64
	assert_equal "$output" "rnn-predict: the model is read from standard input, which is a terminal; give it with -m FILE or a pipe"
	on_tty "hop-recall -m - $SEED/ex3-probe.csv" < /dev/null
	assert_equal "$status" 64
	assert_equal "$output" "hop-recall: the memory is read from standard input, which is a terminal; give it with -m FILE or a pipe"
	on_tty "bam-pair recall $SEED/ex4-probe.csv" < /dev/null
	assert_equal "$status" 64
	assert_equal "$output" "bam-pair: the memory is read from standard input, which is a terminal; give it with -m FILE or a pipe"
	on_tty "rnn-train --init - $TESTDATA/ramp.csv" < /dev/null
	assert_equal "$status" 64
	assert_equal "$output" "rnn-train: the model is read from standard input, which is a terminal; give it with --init FILE or a pipe"
}

@test "hints: CSV typed at a terminal is read to end of file" {
	printf '1,-1,1\n-1,1,1\n\004' > typed
	on_tty "hop-store -q | gzip -dc | sed -n 2p" < typed
	assert_success
	assert_line "kind: hopfield"
}

@test "hints: a quote left open swallows the lines after it, and the error says so" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,b\n1,2\n3,"4\n5,6\n7,8\n' > q.csv
	fails_with 65 "rnn-train: q.csv:3:2: not a number (found '4\\n5,6\\n7,8\\n'; a quoted cell runs over a line end: is a closing quote missing?)" \
		rnn-train --window 1 q.csv
	printf '1,1\n1,"-1\n1,1\n' > h.csv
	fails_with 65 "hop-store: h.csv:2:2: not a number (found '-1\\n1,1\\n'; a quoted cell runs over a line end: is a closing quote missing?)" \
		hop-store h.csv
	# a row cut short by the quote: the width error gives the hint too
	printf 'a,b,c,d\n1,2,3,4\n1,"2,3,4\n5,6,7,8\n' > w.csv
	fails_with 65 "rnn-train: w.csv:3: row has 2 fields, expected 4 like the first row (a quoted cell runs over a line end: is a closing quote missing?)" \
		rnn-train --window 1 w.csv
	fails_with 65 "hop-store: w.csv:3: row has 2 fields, expected 4 like the first row (a quoted cell runs over a line end: is a closing quote missing?)" \
		hop-store w.csv
	# ... and when the quote opens on the last line, without a line end
	printf 'a,b,c,d\n1,2,3,4\n5,6,7,8\n1,"2,3,4' > e.csv
	fails_with 65 "rnn-train: e.csv:4: row has 2 fields, expected 4 like the first row (a quoted cell runs to the end of the input: is a closing quote missing?)" \
		rnn-train --window 1 e.csv
	# a short row without a quote has no such hint
	printf 'a,b,c,d\n1,2,3,4\n1,2\n5,6,7,8\n' > s.csv
	fails_with 65 "rnn-train: s.csv:3: row has 2 fields, expected 4 like the first row" \
		rnn-train --window 1 s.csv
	# a quoted line end in a label is the label's own: no error
	printf 'x,label\n1,"a\nb"\n2,"b"\n3,"a\nb"\n' > fine.csv
	run rnn-train -q --window 1 --epochs 1 --ensemble 1 fine.csv
	assert_success
}

@test "hints: a first row mostly of data taken as a header warns, naming the field; -q quiets it" {
	printf '1,-1,x\n1,-1,1\n-1,1,1\n' > typo.csv
	run -0 --separate-stderr hop-store -o t.gz typo.csv
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "hop-store: warning: typo.csv:1: the first row is taken as a header, though 2 of its 3 fields read as data (field 3, 'x', does not); --no-header reads it as data"
	# the row is the header: two patterns stored
	hop-store -q typo.csv | zcat | grep -ax 'patterns: 2'
	run -0 --separate-stderr hop-store -q -o t.gz typo.csv
	assert_equal "$stderr" ""
	# --no-header reads it as data, so the typo is an error at its cell
	fails_with 65 "hop-store: typo.csv:1:3: not a number (found 'x')" hop-store --no-header typo.csv
	# a time series: a time and a missing value read as data too
	printf '2020-01,NA,5x\n2020-02,1,2\n2020-03,2,3\n2020-04,3,4\n2020-05,4,5\n' > ts.csv
	run -0 --separate-stderr rnn-train --epochs 1 --window 2 --hidden 2 -o m2.gz ts.csv
	printf '%s\n' "$stderr" | grep -Fx "rnn-train: warning: ts.csv:1: the first row is taken as a header, though 2 of its 3 fields read as data (field 3, '5x', does not); --no-header reads it as data"
	# a header of names says nothing
	printf 'a,b\n1,-1\n-1,1\n' > named.csv
	run -0 --separate-stderr hop-store --no-patterns -o n.gz named.csv
	[[ "$stderr" != *"taken as a header"* ]]
}
