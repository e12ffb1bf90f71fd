#!/usr/bin/env bats
# Errors: one test per class. Each checks the exit status (sysexits.h), that
# stdout is empty (no output that looks valid), and the one-line message
# "PROG: FILE:LINE:COLUMN: what is wrong (what was found)".

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
}



@test "ragged rows: 65 at the short row's line" {
	printf '1,-1,1\n-1,1,-1\n1,-1\n' > ragged.csv
	fails_with 65 "hop-store: ragged.csv:3: row has 2 fields, expected 3 like the first row" \
		hop-store ragged.csv
}

@test "a non-numeric cell: 65 at line and column" {
	printf '1,-1,1\n1,x,1\n' > word.csv
	fails_with 65 "hop-store: word.csv:2:2: not a number (found 'x')" hop-store word.csv
}

@test "an empty cell: 65 at line and column" {
	printf '1,,1\n' > hole.csv
	fails_with 65 "hop-store: hole.csv:1:2: empty cell" hop-store hole.csv
}

@test "NaN: 65 at line and column" {
	printf '1,-1,1\n1,NaN,1\n' > nan.csv
	fails_with 65 "hop-store: nan.csv:2:2: NaN or Inf is not allowed (found 'NaN')" hop-store nan.csv
}

@test "Inf, and a number too large for a double: 65 at line and column" {
	printf '1,-1,1\n1,-1,-inf\n' > inf.csv
	fails_with 65 "hop-store: inf.csv:2:3: NaN or Inf is not allowed (found '-inf')" hop-store inf.csv
	printf '1,1e999,1\n' > big.csv
	fails_with 65 "hop-store: big.csv:1:2: NaN or Inf is not allowed (found '1e999')" hop-store big.csv
}

@test "a NUL byte in a cell: 65 at line and column" {
	printf '1,-1\0,1\n' > nul.csv
	fails_with 65 "hop-store: nul.csv:1:2: NUL byte in a cell (binary data, not CSV)" hop-store nul.csv
}

@test "empty input: 65, for a file, stdin, and blank lines only" {
	: > empty.csv
	fails_with 65 "hop-store: empty.csv: no data (empty input)" hop-store empty.csv
	fails_with 65 "hop-store: <stdin>: no data (empty input)" hop-store - < empty.csv
	printf '\n\r\n\n' > blank.csv
	fails_with 65 "hop-store: blank.csv: no data (empty input)" hop-store blank.csv
	fails_with 65 "hop-recall: empty.csv: no data (empty input)" hop-recall -m m.gz empty.csv
}

@test "an empty memory: 65" {
	: > empty.gz
	fails_with 65 "hop-recall: empty.gz: no memory (empty input)" hop-recall -m empty.gz "$SEED/ex3-probe.csv"
}

@test "a header-only file: 65 at line 1" {
	printf 'a,b,c\n' > header.csv
	fails_with 65 "hop-store: header.csv:1: header but no data rows" hop-store header.csv
}

@test "a pattern value other than +-1: 65 at line and column" {
	printf '1,-1,1\n1,-1,2\n' > two.csv
	fails_with 65 "hop-store: two.csv:2:3: pattern values must be +1 or -1 (or 0/1) (found '2')" hop-store two.csv
	printf '1,-1,1,-1,0.5,1\n' > half.csv
	fails_with 65 "hop-recall: half.csv:1:5: probe values must be +1, -1 or 0 (unknown), or 0/1 (found '0.5')" \
		hop-recall -m m.gz half.csv
	printf '1,-1,1\n1,-1,2\n' > two.csv
	fails_with 65 "bam-pair: two.csv:2:3: pattern values must be +1 or -1 (or 0/1) (found '2')" \
		bam-pair store --split 2 two.csv
}

@test "a file mixing 0 with -1: 65 where the mix shows" {
	printf '1,0,1\n1,0,0\n-1,1,1\n' > mix.csv
	fails_with 65 "hop-store: mix.csv:3:1: patterns mix 0 and -1 (found '-1'; use +-1 or 0/1 throughout)" \
		hop-store mix.csv
}

@test "--encoding: 01 refuses -1, pm1 refuses 0 in patterns, a bad name is 64" {
	printf '1,0,1\n1,-1,0\n' > pm.csv
	fails_with 65 "hop-store: pm.csv:2:2: pattern values must be 0 or 1 with --encoding=01 (found '-1')" \
		hop-store --encoding 01 pm.csv
	fails_with 65 "hop-recall: pm.csv:2:2: probe values must be 0 or 1 with --encoding=01 (found '-1')" \
		hop-recall -m m.gz --encoding=01 pm.csv
	printf '1,0,1\n1,1,0\n' > zo.csv
	fails_with 65 "hop-store: zo.csv:1:2: pattern values must be +1 or -1 with --encoding=pm1 (found '0')" \
		hop-store --encoding pm1 zo.csv
	fails_with 65 "bam-pair: zo.csv:1:2: pattern values must be +1 or -1 with --encoding=pm1 (found '0')" \
		bam-pair store --split 2 --encoding pm1 zo.csv
	printf '1,0,1,0.5,1,1\n' > half.csv
	fails_with 65 "hop-recall: half.csv:1:4: probe values must be +1, -1 or 0 (unknown) with --encoding=pm1 (found '0.5')" \
		hop-recall -m m.gz --encoding pm1 half.csv
	usage_fails "hop-store: unknown encoding 'pm' (auto, pm1 or 01)" hop-store --encoding pm zo.csv
	usage_fails "hop-recall: unknown encoding '' (auto, pm1 or 01)" hop-recall -m m.gz --encoding= zo.csv
	usage_fails "bam-pair: unknown encoding '1' (auto, pm1 or 01)" bam-pair recall --encoding 1 zo.csv
}

@test "a file wholly in 0/1 is read as -1/+1" {
	tr -- '-' 'x' < "$SEED/ex3-patterns.csv" | sed 's/x1/0/g' > zo.csv
	hop-store -q zo.csv > zo.gz
	cmp <(ws_data m.gz) <(ws_data zo.gz)
}

@test "rows of different lengths in a later row of probes: 65 at that line" {
	printf '1,-1,1,-1,1,1\n\n1,-1,1\n' > probes.csv
	fails_with 65 "hop-recall: probes.csv:3: row has 3 fields, expected 6 like the first row" \
		hop-recall -m m.gz probes.csv
}

@test "probe length differs from the memory: 65 at the first probe line" {
	printf 'p1,p2,p3\n1,-1,1\n' > short.csv
	fails_with 65 "hop-recall: short.csv:2: probes have 3 values but the memory has 6 neurons" \
		hop-recall -m m.gz short.csv
}

@test "counts agree in number: 1 value, 1 neuron, 1 row, 1 pattern" {
	printf '1\n' > one.csv
	fails_with 65 "hop-recall: one.csv:1: probes have 1 value but the memory has 6 neurons" \
		hop-recall -m m.gz one.csv
	fails_with 65 "hop-store: one.csv:1: patterns have 1 value but the memory has 6 neurons" \
		hop-store -m m.gz one.csv
	printf '2\n' > w1.csv
	printf '1,-1\n' > two.csv
	fails_with 65 "hop-recall: two.csv:1: probes have 2 values but the memory has 1 neuron" \
		hop-recall -m w1.csv two.csv
	fails_with 65 "hop-store: two.csv:1: patterns have 2 values but the memory has 1 neuron" \
		hop-store -m w1.csv two.csv
	printf '0.5,1\n' > w12.csv
	fails_with 65 "hop-recall: w12.csv: a weight matrix must be square (found 1 row of 2)" \
		hop-recall -m w12.csv two.csv
	fails_with 65 "bam-pair: one.csv:1: --split 1 leaves no B columns (rows have 1 value)" \
		bam-pair store --split 1 one.csv
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > bam.gz
	fails_with 65 "bam-pair: one.csv:1: probes have 1 value but the memory's A side has 3 neurons" \
		bam-pair recall -m bam.gz one.csv
	printf '1,-1,1\n' > b3.csv
	fails_with 65 "bam-pair: b3.csv:1: probes have 3 values but the memory's B side has 2 neurons" \
		bam-pair recall -m bam.gz --from b b3.csv
	usage_fails "hop-recall: --show 1x1 needs 1 neuron, the memory has 6" hop-recall -m m.gz --show 1x1 one.csv
	# pinv at n = 2: the limit n - 1 is 1 pattern
	printf '1,-1\n-1,-1\n' > p2.csv
	run --separate-stderr -0 hop-store --rule pinv p2.csv
	assert_equal "$stderr" "hop-store: warning: load m/n = 2/2 = 1 passes n - 1, beyond which pinv patterns span the whole space (1 pattern)"
}

@test "-q silences warnings, never errors" {
	printf '1,-1\n-1,-1\n' > p2.csv
	run --separate-stderr -0 hop-store -q --rule pinv p2.csv
	assert_equal "$stderr" ""
	printf '1,-1,2\n' > bad.csv
	fails_with 65 "hop-store: bad.csv:1:3: pattern values must be +1 or -1 (or 0/1) (found '2')" \
		hop-store -q bad.csv
	fails_with 65 "hop-recall: bad.csv:1:3: probe values must be +1, -1 or 0 (unknown), or 0/1 (found '2')" \
		hop-recall -q -m m.gz bad.csv
	fails_with 65 "bam-pair: bad.csv:1:3: pattern values must be +1 or -1 (or 0/1) (found '2')" \
		bam-pair store -q --split 1 bad.csv
	usage_fails "hop-recall: unknown mode 'x' (sync, async or seq)" hop-recall -q -m m.gz --mode x bad.csv
}

@test "patterns added with -m must match the memory's size: 65" {
	printf '1,-1,1\n' > three.csv
	fails_with 65 "hop-store: three.csv:1: patterns have 3 values but the memory has 6 neurons" \
		hop-store -m m.gz three.csv
}

@test "a BAM stream given to hop-recall is the wrong kind: 65" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > bam.gz
	fails_with 65 "hop-recall: bam.gz: this is a 'bam' weight stream; expected a hopfield memory (from hop-store)" \
		hop-recall -m bam.gz "$SEED/ex3-probe.csv"
	fails_with 65 "hop-store: bam.gz: this is a 'bam' weight stream; expected a hopfield memory (from hop-store)" \
		hop-store -m bam.gz "$SEED/ex3-patterns.csv"
}

@test "a CSV weight matrix that is not square: 65" {
	printf '0,1,0\n1,0,0\n' > W.csv
	fails_with 65 "hop-recall: W.csv: a weight matrix must be square (found 2 rows of 3)" \
		hop-recall -m W.csv "$SEED/ex3-probe.csv"
}

@test "line numbers count the header, blank lines and CRLF lines, also in gzip" {
	printf 'a,b,c\r\n\r\n1,-1,1\r\n\r\n1,-1,x\r\n' > crlf.csv
	fails_with 65 "hop-store: crlf.csv:5:3: not a number (found 'x')" hop-store crlf.csv
	gzip -c crlf.csv > crlf.csv.gz
	fails_with 65 "hop-store: crlf.csv.gz:5:3: not a number (found 'x')" hop-store crlf.csv.gz
	fails_with 65 "hop-store: <stdin>:5:3: not a number (found 'x')" hop-store < crlf.csv.gz
}

@test "a missing file: 66" {
	fails_with 66 "hop-store: cannot open 'nosuch.csv': No such file or directory" hop-store nosuch.csv
	fails_with 66 "hop-recall: cannot open 'nosuch.gz': No such file or directory" \
		hop-recall -m nosuch.gz "$SEED/ex3-probe.csv"
	fails_with 66 "hop-recall: cannot open 'nosuch.csv': No such file or directory" \
		hop-recall -m m.gz nosuch.csv
	fails_with 66 "bam-pair: cannot open 'nosuch.csv': No such file or directory" \
		bam-pair store --split 2 nosuch.csv
}

@test "an unknown option: 64 with a short usage" {
	usage_fails "hop-store: unrecognized option '--bogus'" hop-store --bogus
	usage_fails "hop-recall: invalid option -- 'x'" hop-recall -x
	usage_fails "bam-pair: unrecognized option '--bogus'" bam-pair --bogus recall
	usage_fails "hop-store: option requires an argument -- 'r'" hop-store -r
}

@test "a bad option value: 64 naming the option" {
	usage_fails "hop-recall: invalid number for --max-iter: 'abc'" hop-recall --max-iter abc -m m.gz x
	usage_fails "hop-recall: --max-iter must be between 1 and 1000000000 (got 0)" hop-recall --max-iter 0 -m m.gz x
	usage_fails "hop-recall: invalid number for --seed: '1x'" hop-recall --seed 1x -m m.gz x
	usage_fails "hop-recall: unknown mode 'fast' (sync, async or seq)" hop-recall --mode fast -m m.gz x
	usage_fails "hop-recall: --show takes ROWSxCOLS, e.g. 8x8 (got '8')" hop-recall --show 8 -m m.gz x
	usage_fails "hop-store: unknown rule 'oja' (hebb, storkey, pinv or dense)" hop-store --rule oja
	usage_fails "hop-store: --delimiter takes one character other than a quote or newline (got ';;')" hop-store -d ';;'
	usage_fails "bam-pair: --from takes a or b (got 'c')" bam-pair recall --from c x
	usage_fails "bam-pair: --split must be between 1 and 32768 (got 0)" bam-pair store --split 0 x
}

@test "bad argument combinations: 64" {
	usage_fails "hop-recall: the memory comes on standard input, so give the probes as a file (or the memory with -m)" hop-recall
	usage_fails "hop-recall: the memory and the probes cannot both come from standard input" hop-recall -m - -
	usage_fails "hop-recall: too many arguments (one PROBES file at most)" hop-recall -m m.gz a b
	usage_fails "hop-store: too many arguments (one PATTERNS file at most)" hop-store a b
}

@test "an -o path that cannot be created: 73" {
	fails_with 73 "hop-recall: cannot create 'no/such/dir/out.csv': No such file or directory" \
		hop-recall -m m.gz -o no/such/dir/out.csv "$SEED/ex3-probe.csv"
	mkdir dir
	fails_with 73 "hop-recall: cannot create 'dir': Is a directory" \
		hop-recall -m m.gz -o dir "$SEED/ex3-probe.csv"
}

@test "an -o path in a read-only directory: 73" {
	[[ $(id -u) != 0 ]] || skip "root can write into a read-only directory"
	mkdir ro
	chmod a-w ro
	fails_with 73 "hop-store: cannot create 'ro/m.gz': Permission denied" \
		hop-store -q -o ro/m.gz "$SEED/ex3-patterns.csv"
}

@test "a full disk: 74, on stdout and with -o" {
	[[ -c /dev/full ]] || skip "no /dev/full"
	run --separate-stderr bash -c 'hop-recall -m m.gz "$SEED/ex3-probe.csv" > /dev/full'
	assert_equal "$status" 74
	assert_equal "$stderr" "hop-recall: write error on '<stdout>': No space left on device"
	run --separate-stderr bash -c 'hop-store -q "$SEED/ex3-patterns.csv" > /dev/full'
	assert_equal "$status" 74
	assert_equal "$stderr" "hop-store: write error on '<stdout>': No space left on device"
	fails_with 74 "hop-store: write error on '/dev/full': No space left on device" \
		hop-store -q -o /dev/full "$SEED/ex3-patterns.csv"
	fails_with 74 "bam-pair: write error on '/dev/full': No space left on device" \
		bam-pair recall -m "$SEED/ex4-W.csv" -o /dev/full "$SEED/ex4-probe.csv"
	# -o on a device writes to it: it is never replaced by a file
	[[ -c /dev/full ]]
}

@test "a closed pipe ends quietly" {
	awk '{ for (i = 0; i < 20000; i++) print }' "$SEED/ex3-probe.csv" > many.csv
	# killed by SIGPIPE (141), as a shell filter should be: no message
	run --separate-stderr bash -c 'hop-recall -m m.gz many.csv | head -c1; exit ${PIPESTATUS[0]}'
	assert_output "1"
	assert_equal "$status" 141
	assert_equal "$stderr" ""
	# with SIGPIPE ignored: the write fails with EPIPE, still no message
	run --separate-stderr bash -c 'trap "" PIPE; hop-recall -m m.gz many.csv | head -c1; exit ${PIPESTATUS[0]}'
	assert_output "1"
	assert_equal "$status" 74
	assert_equal "$stderr" ""
}

@test "-o FILE is atomic: an error leaves the old file, and no temporary file" {
	mkdir d
	echo old > d/out.csv
	printf '1,-1,x,-1,1,1\n' > bad.csv
	run --separate-stderr -65 hop-recall -m m.gz -o d/out.csv bad.csv
	assert_output ""
	assert_equal "$(cat d/out.csv)" old
	assert_dir_lists d out.csv
	run --separate-stderr -66 hop-recall -m nosuch.gz -o d/new.csv "$SEED/ex3-probe.csv"
	assert_dir_lists d out.csv
}

@test "-o FILE replaces the file only on success" {
	mkdir d
	echo old > d/out.csv
	run --separate-stderr -0 hop-recall -m m.gz -o d/out.csv "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$(cat d/out.csv)" "1,-1,1,-1,1,-1"
	assert_dir_lists d out.csv
}
