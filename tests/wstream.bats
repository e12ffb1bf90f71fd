#!/usr/bin/env bats
# The weight stream (man 5 rnnkit-weights): exact round trips, the layout,
# corruption caught, and the input conventions every tool shares (gzip,
# CRLF, BOM, quotes, delimiter, header, -z).

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
	V1="$TESTDATA/v1"
	hop-store -q "$SEED/ex3-patterns.csv" > ex3.gz
	# a stream with W and patterns: hebb as hop-store wrote it before
	# hebb streams kept only the patterns (rnnkit-weights(5))
	cp "$V1/hebb-n100-m20.gz" m.gz
	gzip -dc m.gz > m.raw
}

# crc32 of a file's bytes, in hex: gzip's trailer carries it (LE)
crc32_of() {
	gzip -c < "$1" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' '
}

@test "the header is text: magic, kind, metadata, tensor lines, end" {
	run -0 ws_header ex3.gz
	assert_equal "${#lines[@]}" 10
	assert_line -n 0 "rnnkit-weights 1.0"
	assert_line -n 1 "kind: hopfield"
	assert_line -n 2 "neurons: 6"
	assert_line -n 3 "rule: hebb"
	assert_line -n 4 "patterns: 4"
	assert_line -n 5 "patterns-kept: yes"
	assert_line -n 6 --regexp '^created-by: hop-store [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line -n 7 "source: $SEED/ex3-patterns.csv"
	assert_line -n 8 "tensor: patterns bits 4x6"
	assert_line -n 9 "end"
}

@test "layout: header, 4 bytes of bits, 17-byte trailer (hebb: no W)" {
	gzip -dc ex3.gz > ex3.raw
	h=$(ws_header_bytes ex3.raw)
	assert_equal "$(wc -c < ex3.raw)" $((h + 4 * 1 + 17))
	hop-store -q --rule storkey "$SEED/ex3-patterns.csv" > s3.gz
	gzip -dc s3.gz > s3.raw
	h=$(ws_header_bytes s3.raw)
	assert_equal "$(wc -c < s3.raw)" $((h + 6 * 6 * 8 + 4 * 1 + 17))
}

@test "patterns are packed LSB first, a byte per row of 6, 1 = +1" {
	# x1 = 1,-1,1,-1,1,-1 -> bits 101010 (LSB first) = 0x15 = 21, and so on
	ws_data ex3.gz | tail -c 4 | od -An -tu1 > bits
	assert_equal "$(echo $(cat bits))" "21 42 51 12"
}

@test "the trailer is RKCRC, the crc32 and the length of what precedes it" {
	gzip -dc ex3.gz > ex3.raw
	n=$(($(wc -c < ex3.raw) - 17))
	head -c $n ex3.raw > body
	assert_equal "$(tail -c 17 ex3.raw | head -c 5)" RKCRC
	assert_equal "$(tail -c 12 ex3.raw | head -c 4 | od -An -tx4 | tr -d ' ')" "$(crc32_of body)"
	assert_equal "$(tail -c 8 ex3.raw | od -An -tu8 | tr -d ' ')" $n
}

@test "storing the same patterns twice gives byte-identical streams" {
	hop-store -q "$R/n100-m20.csv" > once.gz
	hop-store -q "$R/n100-m20.csv" > again.gz
	cmp once.gz again.gz
	for rule in storkey pinv; do
		hop-store -q --rule $rule "$R/n100-m20.csv" > a.gz
		hop-store -q --rule $rule "$R/n100-m20.csv" > b.gz
		cmp a.gz b.gz
	done
}

@test "round trip: W read back and stored again with -m is bit-identical (hebb)" {
	# only the header's source line differs: compare the tensor bytes
	head -12 "$R/n100-m20.csv" > a.csv
	tail -8 "$R/n100-m20.csv" > b.csv
	hop-store -q a.csv > a.gz
	hop-store -q -m a.gz b.csv > ab.gz
	hop-store -q "$R/n100-m20.csv" > all.gz
	cmp <(ws_data all.gz) <(ws_data ab.gz)
}

@test "round trip: the stored patterns come back exactly as fixed points" {
	for rule in storkey pinv; do
		hop-store -q --rule $rule "$R/n100-m20.csv" > $rule.gz
		hop-recall -m $rule.gz "$R/n100-m20.csv" > back.csv
		cmp "$R/n100-m20.csv" back.csv
	done
}

@test "an uncompressed stream is read like the compressed one" {
	hop-recall -m m.gz --stats "$R/n100-m20-p5.csv" > a
	hop-recall -m m.raw --stats "$R/n100-m20-p5.csv" > b
	cmp a b
}

@test "a truncated stream is an error (65), compressed or not" {
	head -c 5000 m.gz > t.gz
	run --separate-stderr -65 hop-recall -m t.gz "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: t.gz: unexpected end of gzip data (truncated file)"
	head -c 5000 m.raw > t.raw
	run --separate-stderr -65 hop-recall -m t.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: t.raw: weight stream is truncated (in W)"
	head -c -3 m.raw > t2.raw
	run --separate-stderr -65 hop-recall -m t2.raw "$R/n100-m20-p5.csv"
	assert_equal "$stderr" "hop-recall: t2.raw: weight stream is truncated (in the trailer)"
	head -c 100 m.raw > t3.raw
	run --separate-stderr -65 hop-recall -m t3.raw "$R/n100-m20-p5.csv"
	assert_equal "$stderr" "hop-recall: t3.raw: weight stream is truncated (in the header)"
}

@test "a flipped byte in the gzip data is an error (65)" {
	cp m.gz f.gz
	flip_byte f.gz 3000
	run --separate-stderr -65 hop-recall -m f.gz "$R/n100-m20-p5.csv"
	assert_output ""
	[[ "$stderr" == "hop-recall: f.gz: corrupt gzip data ("*")" ]] || fail "stderr: $stderr"
}

@test "a flipped byte in an uncompressed stream fails the crc32 (65)" {
	h=$(ws_header_bytes m.raw)
	for off in $((h + 8 * 4321 + 3)) $((h + 80000 + 17)); do
		cp m.raw f.raw
		flip_byte f.raw $off
		if cmp -s m.raw f.raw; then fail "byte $off not flipped"; fi
		run --separate-stderr -65 hop-recall -m f.raw "$R/n100-m20-p5.csv"
		assert_output ""
		[[ "$stderr" == "hop-recall: f.raw: weight stream checksum mismatch (crc32 "*", expected "*"): the data is corrupt" ]] ||
			fail "stderr: $stderr"
	done
}

@test "a changed header value fails the crc32 (65)" {
	sed '4s/^rule: hebb$/rule: pinv/' m.raw > f.raw
	if cmp -s m.raw f.raw; then fail "header not changed"; fi
	run --separate-stderr -65 hop-recall -m f.raw "$R/n100-m20-p5.csv"
	assert_output ""
	[[ "$stderr" == *"checksum mismatch"* ]] || fail "stderr: $stderr"
}

@test "a BAM stream given to hop-recall is the wrong kind (65)" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > bam.gz
	run --separate-stderr -65 hop-recall -m bam.gz "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: bam.gz: this is a 'bam' weight stream; expected a hopfield memory (from hop-store)"
}

@test "a newer format version is refused (65)" {
	sed '1s/^rnnkit-weights 1\.0$/rnnkit-weights 2.0/' m.raw > v2.raw
	if cmp -s m.raw v2.raw; then fail "version not changed"; fi
	run --separate-stderr -65 hop-recall -m v2.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: v2.raw: weight stream format 2.0 is newer than this rnnkit reads (1.x); upgrade rnnkit"
}

@test "a newer minor version is read" {
	head -c -17 m.raw | sed '1s/^rnnkit-weights 1\.0$/rnnkit-weights 1.7/' > body
	ws_seal body > v17.raw
	hop-recall -m m.raw --stats "$R/n100-m20-p5.csv" > a
	hop-recall -m v17.raw --stats "$R/n100-m20-p5.csv" > b
	cmp a b
}

@test "a newer major version is refused even with a valid checksum (65)" {
	head -c -17 m.raw | sed '1s/^rnnkit-weights 1\.0$/rnnkit-weights 3.1/' > body
	ws_seal body > v3.raw
	run --separate-stderr -65 hop-recall -m v3.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: v3.raw: weight stream format 3.1 is newer than this rnnkit reads (1.x); upgrade rnnkit"
}

@test "bad magic is refused (65)" {
	printf 'hello\n' | gzip > hello.gz
	run --separate-stderr -65 rnn-predict -m hello.gz "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "rnn-predict: hello.gz: not an rnnkit weight stream (bad magic)"
	# a memory may also be a CSV matrix: binary bytes are neither
	printf '\001\002\n' | gzip > bin.gz
	run --separate-stderr -65 hop-recall -m bin.gz "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: bin.gz: not an rnnkit weight stream (bad magic), nor a CSV matrix"
}

@test "an empty model file or stream is refused as empty input (65), not as bad magic" {
	: > empty.gz
	run --separate-stderr -65 rnn-predict -m empty.gz "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "rnn-predict: empty.gz: no model (empty input)"
	run --separate-stderr -65 rnn-predict "$SEED/ex3-probe.csv" < /dev/null
	assert_output ""
	assert_equal "$stderr" "rnn-predict: <stdin>: no model (empty input)"
	run --separate-stderr -65 grad-check -m empty.gz "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "grad-check: empty.gz: no model (empty input)"
}

@test "dimensions too large are refused before allocation (65)" {
	printf 'rnnkit-weights 1.0\nkind: hopfield\nneurons: 100\nrule: hebb\npatterns: 0\ntensor: W f64 100000x100000\nend\n' > huge.raw
	run --separate-stderr -65 hop-recall -m huge.raw "$SEED/ex3-probe.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: huge.raw: tensor 'W' (100000x100000) is over the limit of 268435456 values"
}

@test "a short stream claiming a big tensor allocates only what it holds" {
	printf 'rnnkit-weights 1.0\nkind: hopfield\nneurons: 8000\nrule: hebb\npatterns: 0\ntensor: W f64 8000x8000\nend\n' > big.raw
	# 512 MB claimed, within every limit; a 200 MB address-space limit proves it is not allocated
	(ulimit -v 200000) 2>/dev/null || skip "ulimit -v is not available here"
	run --separate-stderr bash -c 'ulimit -v 200000 || exit 99; hop-recall -m big.raw "$SEED/ex3-probe.csv"'
	if [[ "$stderr" == *AddressSanitizer* || "$stderr" == *"ASan"* ]]; then
		skip "ulimit -v does not work under AddressSanitizer"
	fi
	assert_equal "$status" 65
	assert_output ""
	assert_equal "$stderr" "hop-recall: big.raw: weight stream is truncated (in W)"
}

@test "ws_seal makes a stream that reads back like the original" {
	head -c -17 m.raw > body
	ws_seal body > sealed.raw
	cmp m.raw sealed.raw
}

@test "a W whose size differs from neurons is refused (65)" {
	head -c -17 m.raw | sed '3s/^neurons: 100$/neurons: 99/' > body
	ws_seal body > n99.raw
	run --separate-stderr -65 hop-recall -m n99.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: n99.raw: tensor 'W' is 100x100, expected 99x99"
}

@test "a stream of a kind no tool knows is refused by name (65)" {
	head -c -17 m.raw | sed '2s/^kind: hopfield$/kind: lstm/' > body
	ws_seal body > lstm.raw
	run --separate-stderr -65 hop-recall -m lstm.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: lstm.raw: this is a 'lstm' weight stream; expected a hopfield memory (from hop-store)"
}

@test "an unknown storage rule is refused (65)" {
	head -c -17 m.raw | sed '4s/^rule: hebb$/rule: oja/' > body
	ws_seal body > oja.raw
	run --separate-stderr -65 hop-recall -m oja.raw "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: oja.raw: unknown storage rule 'oja'"
}

@test "data after the trailer is refused (65)" {
	cat m.gz m.gz > twice.gz
	run --separate-stderr -65 hop-recall -m twice.gz "$R/n100-m20-p5.csv"
	assert_output ""
	assert_equal "$stderr" "hop-recall: twice.gz: trailing data after the weight stream"
}

@test "patterns and probes may be gzip-compressed" {
	gzip -c "$R/n100-m20.csv" > pats.csv.gz
	gzip -c "$R/n100-m20-p5.csv" > probes.csv.gz
	hop-store -q pats.csv.gz > z.gz
	hop-store -q "$R/n100-m20.csv" > plain.gz
	cmp <(ws_data plain.gz) <(ws_data z.gz)
	hop-recall -m m.gz --stats "$R/n100-m20-p5.csv" > a
	hop-recall -m z.gz --stats probes.csv.gz > b
	cmp a b
	hop-recall -m m.gz --stats < probes.csv.gz > c
	cmp a c
}

@test "CRLF, a BOM, quoted numbers and blank lines are accepted" {
	printf '\xef\xbb\xbf"1",-1,1,"-1",1,1\r\n\r\n-1,-1,1,1," -1",-1\r\n' > fancy.csv
	run --separate-stderr -0 hop-recall -m ex3.gz fancy.csv
	assert_line -n 0 "1,-1,1,-1,1,-1"
	assert_line -n 1 "-1,-1,1,1,-1,-1"
	assert_equal "${#lines[@]}" 2
}

@test "-d ';' reads and writes that delimiter" {
	tr ',' ';' < "$SEED/ex3-probe.csv" > semi.csv
	run --separate-stderr -0 hop-recall -m ex3.gz -d ';' --stats semi.csv
	assert_output "1;-1;1;-1;1;-1;2;stable;-24;1;0"
	tr ',' ';' < "$SEED/ex3-patterns.csv" > pats.csv
	hop-store -q -d ';' pats.csv > semi.gz
	cmp <(ws_data ex3.gz) <(ws_data semi.gz)
}

@test "-d tab works" {
	tr ',' '\t' < "$SEED/ex3-probe.csv" > tab.csv
	run --separate-stderr -0 hop-recall -m ex3.gz -d tab tab.csv
	assert_output "$(printf '1\t-1\t1\t-1\t1\t-1')"
}

@test "a header row is carried to the output; --no-header makes it data" {
	printf 'p1,p2,p3,p4,p5,"p 6"\n1,-1,1,-1,1,1\n' > h.csv
	run --separate-stderr -0 hop-recall -m ex3.gz h.csv
	assert_line -n 0 'p1,p2,p3,p4,p5,p 6'
	assert_line -n 1 "1,-1,1,-1,1,-1"
	run --separate-stderr -65 hop-recall -m ex3.gz --no-header h.csv
	assert_output ""
	assert_equal "$stderr" "hop-recall: h.csv:1:1: not a number (found 'p1')"
}

@test "--header takes a numeric first row as the header" {
	printf '1,2,3,4,5,6\n1,-1,1,-1,1,1\n' > h.csv
	run --separate-stderr -0 hop-recall -m ex3.gz --header h.csv
	assert_line -n 0 "1,2,3,4,5,6"
	assert_line -n 1 "1,-1,1,-1,1,-1"
}

@test "a header name with the delimiter is quoted in the output" {
	printf 'a;b,c,d,e,f,g\n1,-1,1,-1,1,1\n' > h.csv
	run --separate-stderr -0 hop-recall -m ex3.gz h.csv
	assert_line -n 0 'a;b,c,d,e,f,g'
	tr ',' ';' < h.csv | sed '1s/^a;b;/"a;b";/' > hs.csv
	run --separate-stderr -0 hop-recall -m ex3.gz -d ';' hs.csv
	assert_line -n 0 '"a;b";c;d;e;f;g'
}

@test "-z compresses the output, -o with -z writes a gzip file" {
	hop-recall -m m.gz -z "$R/n100-m20-p5.csv" > out.gz
	hop-recall -m m.gz "$R/n100-m20-p5.csv" > out.csv
	[[ "$(head -c 2 out.gz | od -An -tx1 | tr -d ' ')" == 1f8b ]]
	gzip -dc out.gz | cmp - out.csv
	hop-recall -m m.gz -z -o o.gz "$R/n100-m20-p5.csv"
	gzip -dc o.gz | cmp - out.csv
}

@test "-o FILE.gz compresses as -z does; other names stay plain; models are compressed once" {
	hop-recall -m m.gz "$R/n100-m20-p5.csv" > out.csv
	hop-recall -m m.gz -o o.csv.gz "$R/n100-m20-p5.csv"
	[[ "$(head -c 2 o.csv.gz | od -An -tx1 | tr -d ' ')" == 1f8b ]]
	gzip -dc o.csv.gz | cmp - out.csv
	hop-recall -m m.gz -o o.csv "$R/n100-m20-p5.csv"
	cmp o.csv out.csv
	# rnn-predict and grad-check too
	seq 30 | awk '{ print $1 % 5 }' > s.csv
	rnn-train -q --epochs 1 --ensemble 1 --window 3 --hidden 2 -o rm.gz s.csv
	rnn-predict -m rm.gz s.csv > p.csv
	rnn-predict -m rm.gz -o p.csv.gz s.csv
	gzip -dc p.csv.gz | cmp - p.csv
	grad-check -q -o g.gz -m rm.gz s.csv
	[[ "$(head -c 2 g.gz | od -An -tx1 | tr -d ' ')" == 1f8b ]]
	# a model is one gzip stream, named .gz or not: no second layer
	gzip -dc rm.gz | head -n 1 | grep -qx 'rnnkit-weights 1.0'
	run -0 rnn-predict -m rm.gz s.csv
	assert_equal "$output" "$(cat p.csv)"
}

@test "a malformed header or trailer is refused, each with its own message (65)" {
	hop-store -q "$SEED/ex3-patterns.csv" | gzip -dc > ex3.raw
	head -c -17 ex3.raw > body
	grep -qx 'tensor: patterns bits 4x6' body
	# sed edit | the message after "hop-recall: x.raw: "
	while IFS='|' read -r edit want; do
		sed "$edit" body > b
		cmp -s b body && fail "'$edit' changed nothing"
		ws_seal b > x.raw
		fails_with 65 "hop-recall: x.raw: $want" hop-recall -m x.raw "$SEED/ex3-probe.csv"
	done <<-'TABLE'
	s/^rule: hebb$/rule hebb/|bad weight stream header line (found 'rule hebb')
	/^kind: /d|weight stream has no kind
	s/^tensor: patterns bits 4x6$/tensor: patterns b99 4x6/|unknown tensor type in 'tensor: patterns b99 4x6' (f64, f32, bits)
	s/^tensor: patterns bits 4x6$/tensor: patterns bits 0x6/|tensor 'patterns' has a zero dimension (0x6)
	s/^tensor: patterns bits 4x6$/tensor: patterns bits/|bad tensor line in weight stream header (found 'tensor: patterns bits')
	s/^tensor: patterns bits 4x6$/tensor: patterns bits 4x6x1/|bad tensor line in weight stream header (found 'tensor: patterns bits 4x6x1')
	TABLE
	# no trailer at all; a trailer whose length is not the body's
	fails_with 65 "hop-recall: body: weight stream is truncated (in the trailer)" hop-recall -m body "$SEED/ex3-probe.csv"
	{ cat body; printf RKCRC; gzip -c < body | tail -c 8 | head -c 4; printf '\001\000\000\000\000\000\000\000'; } > len.raw
	fails_with 65 "hop-recall: len.raw: weight stream length mismatch (trailer says 1 bytes, read $(wc -c < body))" \
		hop-recall -m len.raw "$SEED/ex3-probe.csv"
}
