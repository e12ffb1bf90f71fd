#!/usr/bin/env bats
# Hostile and broken weight streams (issue 8, man 5 rnnkit-weights,
# LIMITS): each one made here, small, and each refused fast, in bounded
# memory, with one clear line, or read within the limits. Every run goes
# through `timeout` (a guard against hangs) and /usr/bin/time (peak RSS).

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v /usr/bin/time >/dev/null || skip "/usr/bin/time missing (scripts/deps.sh installs package time)"
	# a stream with W and patterns (hebb as hop-store wrote it before hebb
	# streams kept only the patterns; readers take it)
	cp "$TESTDATA/v1/hebb-ex3.gz" ex3.gz
	gzip -dc ex3.gz > ex3.raw
	# the sanitizer's own memory comes on top of ours
	RSS_SLACK=0
	[[ -n "${RNNKIT_SANITIZED:-}" ]] && RSS_SLACK=200000
	true
}

# hostile STATUS MESSAGE MAX_KIB CMD...: CMD exits STATUS within 60 s,
# prints nothing on stdout and exactly the one line MESSAGE on stderr,
# with a peak RSS under MAX_KIB (plus the sanitizer's slack).
hostile() {
	local want_status="$1" want="$2" max=$(($3 + RSS_SLACK)) kb
	shift 3
	run --separate-stderr timeout 60 /usr/bin/time -o rss.txt -f %M "$@"
	assert_equal "$status" "$want_status"
	assert_equal "$output" ""
	assert_equal "$stderr" "$want"
	kb=$(tail -n 1 rss.txt)
	((kb < max)) || fail "peak RSS $kb KiB, over $max KiB"
}

# hop_header KEYS...: a hop stream's first lines (magic, then KEYS, one per
# argument); the caller adds tensor lines, "end" and data
lines() { printf '%s\n' "$@"; }

# the ex3 memory's body (everything before the trailer) with LINES put
# before its first tensor line: a stream with extra keys or tensors
ex3_with() {
	local h
	h=$(ws_header_bytes ex3.raw)
	head -c "$h" ex3.raw | sed '/^tensor: W /,$d'
	cat "$1"
	head -c "$h" ex3.raw | sed -n '/^tensor: W /,$p'
	tail -c +$((h + 1)) ex3.raw | head -c -17
}

# --- decompression bombs ---

@test "bomb: a 6-neuron memory with an unneeded 2 GiB tensor is refused at the header" {
	lines "tensor: junk f64 268435456x1" > extra
	ex3_with extra > body
	head -c 1048576 /dev/zero >> body
	gzip -1 < body > bomb.gz
	hostile 65 "hop-recall: bomb.gz: weight stream refused: its tensor data is over 1024 MiB" 30000 \
		hop-recall -m bomb.gz "$SEED/ex3-probe.csv"
}

@test "an unneeded tensor within the limits is streamed past, not held" {
	# 32 MiB of zeros after the memory's own tensors: recall is as
	# without them, in a few MiB
	h=$(ws_header_bytes ex3.raw)
	{ head -c "$h" ex3.raw | sed '/^end$/d'
	  lines "tensor: junk f64 4194304x1" end
	  tail -c +$((h + 1)) ex3.raw | head -c -17
	  head -c 33554432 /dev/zero; } > body
	ws_seal body | gzip -1 > padded.gz
	hop-recall -m ex3.gz "$SEED/ex3-probe.csv" > want.csv
	run --separate-stderr timeout 60 /usr/bin/time -o rss.txt -f %M \
		hop-recall -m padded.gz "$SEED/ex3-probe.csv"
	assert_equal "$status" 0
	assert_equal "$output" "$(cat want.csv)"
	kb=$(tail -n 1 rss.txt)
	((kb < 20000 + RSS_SLACK)) || fail "peak RSS $kb KiB: the unneeded tensor was held"
}

@test "bomb: 64 tensors of 8 GiB each are refused at the first, before any data" {
	{ lines "rnnkit-weights 1.0" "kind: hopfield" "neurons: 6" "rule: hebb" "patterns: 0"
	  for i in $(seq 64); do echo "tensor: t$i f64 1073741824x1"; done
	  echo end; } > body
	head -c 10485760 /dev/zero >> body
	gzip -1 < body > bomb.gz
	hostile 65 "hop-recall: bomb.gz: tensor 't1' (1073741824x1) is over the limit of 268435456 values" 30000 \
		hop-recall -m bomb.gz "$SEED/ex3-probe.csv"
}

@test "bomb: a 32768-neuron header with gigabytes of zeros is refused at the header" {
	{ lines "rnnkit-weights 1.0" "kind: hopfield" "neurons: 32768" "rule: hebb" "patterns: 0" \
	        "tensor: W f64 32768x32768" end
	  head -c 4194304 /dev/zero; } | gzip -1 > bomb.gz
	hostile 65 "hop-recall: bomb.gz: tensor 'W' (32768x32768) is over the limit of 268435456 values" 30000 \
		hop-recall -m bomb.gz "$SEED/ex3-probe.csv"
}

# --- bit-packed tensors ---

# rnn_header HIDDEN DTYPE: an lstm model's header with one input and output
rnn_header() {
	local H=$1 G=$((4 * $1)) dt=$2
	lines "rnnkit-weights 1.0" "kind: rnn" "cell: lstm" "activation: tanh" \
	      "inputs: 1" "hidden: $H" "layers: 1" "outputs: 1" "window: 4" \
	      "horizon: 1" "scaling: zscore" "target-1: 1" \
	      "tensor: weight_ih_l0 $dt ${G}x1" "tensor: weight_hh_l0 $dt ${G}x$H" \
	      "tensor: bias_ih_l0 $dt ${G}x1" "tensor: bias_hh_l0 $dt ${G}x1" \
	      "tensor: fc.weight $dt 1x$H" "tensor: fc.bias $dt 1x1" \
	      "tensor: scale.shift f64 1x1" "tensor: scale.scale f64 1x1" end
}

@test "bits: hidden 8192 in a small file is refused, not expanded to gigabytes" {
	{ rnn_header 8192 bits; head -c 1048576 /dev/zero; } | gzip -1 > m.gz
	hostile 65 "rnn-predict: m.gz: weight stream refused: its tensors hold more than 268435456 values" 30000 \
		rnn-predict -m m.gz "$TESTDATA/ramp.csv"
}

@test "bits: hidden 16384 is refused at its tensor line" {
	{ rnn_header 16384 bits; head -c 1048576 /dev/zero; } | gzip -1 > m.gz
	hostile 65 "rnn-predict: m.gz: tensor 'weight_hh_l0' (65536x16384) is over the limit of 268435456 values" 30000 \
		rnn-predict -m m.gz "$TESTDATA/ramp.csv"
}

@test "bits: RNNKIT_MAX_MEMORY refuses what the expanded tensors would take" {
	# hidden 1024: 4096x1024 values at 1 bit stored and 8 bytes decoded:
	# 0.5 + 32 MiB for weight_hh_l0, 33 MiB in all
	{ rnn_header 1024 bits; head -c 1048576 /dev/zero; } | gzip -1 > m.gz
	RNNKIT_MAX_MEMORY=16M hostile 65 "rnn-predict: m.gz: the tensors needed take 33 MiB, over the memory limit of 16 MiB (RNNKIT_MAX_MEMORY)" 30000 \
		rnn-predict -m m.gz "$TESTDATA/ramp.csv"
}

@test "RNNKIT_MAX_MEMORY must be a size" {
	RNNKIT_MAX_MEMORY=12X hostile 64 "hop-recall: RNNKIT_MAX_MEMORY must be a number of bytes, with an optional K, M or G (found '12X')" 30000 \
		hop-recall -m ex3.gz "$SEED/ex3-probe.csv"
}

@test "RNNKIT_MAX_MEMORY at the cost of a memory reads it, one byte less refuses it" {
	# W 6x6 f64: 288 + 288 bytes; patterns 4x6 bits: 4 + 192 bytes
	RNNKIT_MAX_MEMORY=772 run -0 hop-recall -m ex3.gz "$SEED/ex3-probe.csv"
	# in bytes below a 16 KiB limit: the two numbers differ
	RNNKIT_MAX_MEMORY=771 hostile 65 "hop-recall: ex3.gz: the tensors needed take 772 bytes, over the memory limit of 771 bytes (RNNKIT_MAX_MEMORY)" 30000 \
		hop-recall -m ex3.gz "$SEED/ex3-probe.csv"
}

@test "RNNKIT_MAX_MEMORY: a limit below 16 MiB is given in KiB, the cost rounded up" {
	# W 100x100 f64: 80000 bytes stored, 80000 decoded: 156.25 KiB
	hop-store -q --no-patterns "$TESTDATA/recall/n100-m5.csv" > w.gz
	RNNKIT_MAX_MEMORY=64K hostile 65 "hop-recall: w.gz: the tensors needed take 157 KiB, over the memory limit of 64 KiB (RNNKIT_MAX_MEMORY)" 30000 \
		hop-recall -m w.gz "$TESTDATA/recall/n100-m5.csv"
}

# --- allocation before validation ---

@test "bam-pair recall: a huge pairs count is checked against A before allocating" {
	{ lines "rnnkit-weights 1.0" "kind: bam" "a-neurons: 100" "b-neurons: 100" \
	        "rule: hebb" "pairs: 268435456" "pairs-kept: yes" \
	        "tensor: W f64 100x100" "tensor: A bits 2x100" "tensor: B bits 2x100" end; } > m.raw
	[[ $(wc -c < m.raw) -lt 300 ]]
	hostile 65 "bam-pair: m.raw: tensor 'A' is 2x100, expected 268435456x100" 30000 \
		bam-pair recall -m m.raw "$SEED/ex3-probe.csv"
}

@test "hop-recall: neurons is checked against W before n x n is allocated" {
	lines "rnnkit-weights 1.0" "kind: hopfield" "neurons: 32768" "rule: hebb" \
	      "patterns: 0" "tensor: W f64 2x2" end > m.raw
	hostile 65 "hop-recall: m.raw: tensor 'W' is 2x2, expected 32768x32768" 30000 \
		hop-recall -m m.raw "$SEED/ex3-probe.csv"
}

@test "rnn-predict: a window times inputs over the ring limit is refused before allocating" {
	lines "rnnkit-weights 1.0" "kind: rnn" "cell: elman" "activation: tanh" \
	      "inputs: 100000" "hidden: 1" "layers: 1" "outputs: 1" "window: 1000000" \
	      "horizon: 1" "scaling: zscore" "target-1: 1" \
	      "tensor: weight_ih_l0 f32 1x100000" "tensor: weight_hh_l0 f32 1x1" \
	      "tensor: bias_ih_l0 f32 1x1" "tensor: bias_hh_l0 f32 1x1" \
	      "tensor: fc.weight f32 1x1" "tensor: fc.bias f32 1x1" \
	      "tensor: scale.shift f64 100000x1" "tensor: scale.scale f64 100000x1" end > m.raw
	[[ $(wc -c < m.raw) -lt 1400 ]]
	hostile 65 "rnn-predict: m.raw: window 1000000 times 100000 inputs is over the limit of 16777216 values" 30000 \
		rnn-predict --stream -m m.raw "$TESTDATA/ramp.csv"
}

# --- the header ---

@test "100 000 distinct keys are read in linear time" {
	seq 100000 | sed 's/^/x-/; s/$/: v/' > keys
	ex3_with keys > body
	ws_seal body | gzip -1 > many.gz
	hop-recall -m ex3.gz "$SEED/ex3-probe.csv" > want.csv
	run --separate-stderr timeout 30 /usr/bin/time -o rss.txt -f %M \
		hop-recall -m many.gz "$SEED/ex3-probe.csv"
	assert_equal "$status" 0
	assert_equal "$output" "$(cat want.csv)"
	kb=$(tail -n 1 rss.txt)
	((kb < 60000 + RSS_SLACK)) || fail "peak RSS $kb KiB"
}

@test "a 16 MiB header of distinct keys stops at the key limit" {
	seq 900000 | sed 's/^/k/; s/$/: v/' > keys
	ex3_with keys | gzip -1 > many.gz
	hostile 65 "hop-recall: many.gz: weight stream has more than 262144 keys" 100000 \
		hop-recall -m many.gz "$SEED/ex3-probe.csv"
}

@test "a key given twice is refused at its second copy (3.3 M copies)" {
	yes "x: y" | head -n 3300000 > keys
	ex3_with keys | gzip -1 > dup.gz
	hostile 65 "hop-recall: dup.gz: key 'x' twice in the weight stream header" 30000 \
		hop-recall -m dup.gz "$SEED/ex3-probe.csv"
}

@test "kind twice is refused, not first-wins" {
	lines "kind: bam" > keys
	ex3_with keys > body
	ws_seal body > two.raw
	hostile 65 "hop-recall: two.raw: key 'kind' twice in the weight stream header" 30000 \
		hop-recall -m two.raw "$SEED/ex3-probe.csv"
}

@test "a tensor given twice is refused" {
	lines "tensor: W f64 6x6" > extra
	ex3_with extra > body
	ws_seal body > two.raw
	hostile 65 "hop-recall: two.raw: tensor 'W' twice in the weight stream header" 30000 \
		hop-recall -m two.raw "$SEED/ex3-probe.csv"
}

@test "version numbers are digits only, with no overflow and no sign" {
	for v in 4294967297.0 1.-5 1.+0 " 1.0" 1.0x 1. .0 1.10000000; do
		sed "1s/.*/rnnkit-weights $v/" ex3.raw > v.raw
		hostile 65 "hop-recall: v.raw: bad weight stream version line (found 'rnnkit-weights $v'; expected 'rnnkit-weights 1.0')" 30000 \
			hop-recall -m v.raw "$SEED/ex3-probe.csv"
	done
}

@test "an older or equal minor version reads; 1.7 too (a newer minor adds keys)" {
	for v in 1.0 1.7 01.00; do
		h=$(ws_header_bytes ex3.raw)
		{ echo "rnnkit-weights $v"; head -c -17 ex3.raw | tail -n +2; } > body
		ws_seal body > v.raw
		run -0 hop-recall -m v.raw "$SEED/ex3-probe.csv"
	done
}

@test "a CR ending a header line is refused, and shown escaped" {
	sed '2s/$/\r/' ex3.raw > cr.raw
	hostile 65 "hop-recall: cr.raw: weight stream header line holds a carriage return (CRLF line ends?) (found 'kind: hopfield\\r')" 30000 \
		hop-recall -m cr.raw "$SEED/ex3-probe.csv"
}

@test "a header line over the limit (4 MiB) is cut in the message" {
	# 4 MiB exactly is read (and then refused as no such kind)
	{ echo "rnnkit-weights 1.0"; printf 'kind: %04194298d\nend\n' 0; } > at.raw
	hostile 65 "hop-recall: at.raw: this is a '$(printf '%060d' 0)...' weight stream; expected a hopfield memory (from hop-store)" 40000 \
		hop-recall -m at.raw "$SEED/ex3-probe.csv"
	{ echo "rnnkit-weights 1.0"; printf 'kind: %04194299d\n' 0; } > long.raw
	hostile 65 "hop-recall: long.raw: weight stream header line is over 4194304 bytes (found 'kind: 000000000000000000000000000000000000000000000000000000...')" 40000 \
		hop-recall -m long.raw "$SEED/ex3-probe.csv"
}

@test "keys are a-z, 0-9 and '-' only" {
	lines "Bad_Key: 1" > keys
	ex3_with keys > body
	ws_seal body > k.raw
	hostile 65 "hop-recall: k.raw: bad key 'Bad_Key' in weight stream header (a-z, 0-9 and '-' only)" 30000 \
		hop-recall -m k.raw "$SEED/ex3-probe.csv"
}

@test "tensor dimensions are digits only" {
	for d in -1x6 6x+6 "6x6 " 0x6; do
		sed "s/^tensor: W f64 6x6\$/tensor: W f64 $d/" ex3.raw > d.raw
		run --separate-stderr -65 hop-recall -m d.raw "$SEED/ex3-probe.csv"
		assert_equal "$output" ""
		[[ "$stderr" == "hop-recall: d.raw: "* && "$stderr" != *$'\n'* ]]
	done
}

# --- bad values ---

# ex3 with the W value at INDEX replaced by the 8 bytes LE of HEX (f64)
ex3_w_value() {
	local h off
	h=$(ws_header_bytes ex3.raw)
	off=$((h + 8 * $1))
	head -c -17 ex3.raw > body
	printf "$2" | dd of=body bs=1 seek=$off conv=notrunc status=none
	ws_seal body
}

@test "NaN or Inf in a Hopfield W is refused" {
	for v in '\0\0\0\0\0\0\370\177' '\0\0\0\0\0\0\360\177' '\0\0\0\0\0\0\360\377'; do
		ex3_w_value 1 "$v" > nan.raw
		hostile 65 "hop-recall: nan.raw: tensor 'W' holds NaN or Inf" 30000 \
			hop-recall -m nan.raw "$SEED/ex3-probe.csv"
	done
}

@test "NaN in a BAM W is refused" {
	bam-pair store -q --split 3 "$SEED/ex3-patterns.csv" > b.gz
	gzip -dc b.gz > b.raw
	h=$(ws_header_bytes b.raw)
	head -c -17 b.raw > body
	printf '\0\0\0\0\0\0\370\177' | dd of=body bs=1 seek=$((h + 16)) conv=notrunc status=none
	ws_seal body > nan.raw
	hostile 65 "bam-pair: nan.raw: tensor 'W' holds NaN or Inf" 30000 \
		bam-pair recall -m nan.raw "$SEED/ex3-probe.csv"
}

# --- writers make only what readers take ---

@test "a column name with a line break is refused by rnn-train, in one line" {
	{ printf '"a\nb",c\n'; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > nl.csv
	{ printf '"a\rb",c\n'; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > cr.csv
	hostile 65 "rnn-train: nl.csv:1:1: column name 'a\\nb' holds a line break: a model keeps each name on one line of at most 1000 bytes" 60000 \
		rnn-train -q --epochs 1 --window 3 -o m.gz nl.csv
	hostile 65 "rnn-train: cr.csv:1:1: column name 'a\\rb' holds a line break: a model keeps each name on one line of at most 1000 bytes" 60000 \
		rnn-train -q --epochs 1 --window 3 -o m.gz cr.csv
	[[ ! -e m.gz ]]
}

@test "a column name of 1000 bytes round-trips; 1001 is refused before training" {
	n=$(printf 'n%0999d' 0)
	{ echo "$n,c"; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > long.csv
	run -0 rnn-train -q --epochs 1 --window 3 -o m.gz long.csv
	run -0 rnn-predict -m m.gz long.csv
	{ echo "${n}x,c"; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > longer.csv
	hostile 65 "rnn-train: longer.csv:1:1: column name '$(printf 'n%059d' 0)...' is too long: a model keeps each name on one line of at most 1000 bytes" 60000 \
		rnn-train -q --epochs 1 --window 3 -o m2.gz longer.csv
	# the column is field 3, after a text field and a short name
	{ echo "t,c,${n}x"; seq 20 | awk '{ print "x," $1 "," 2 * $1 }'; } > third.csv
	hostile 65 "rnn-train: third.csv:1:3: column name '$(printf 'n%059d' 0)...' is too long: a model keeps each name on one line of at most 1000 bytes" 60000 \
		rnn-train -q --epochs 1 --window 3 -o m3.gz third.csv
}

@test "a column name the model lacks is quoted escaped in rnn-predict's message" {
	{ echo "a,c"; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > a.csv
	rnn-train -q --epochs 1 --window 3 -o m.gz a.csv
	{ printf '"x\ty",c\n'; seq 20 | awk '{ print $1 "," 2 * $1 }'; } > b.csv
	hostile 65 "rnn-predict: b.csv:1: no column 'a', which the model takes as input (2 columns, first 'x\\ty')" 60000 \
		rnn-predict -m m.gz b.csv
}

# ex3 without its patterns, claiming M of them stored
ex3_count() {
	local h
	h=$(ws_header_bytes ex3.raw)
	{ head -c "$h" ex3.raw | sed -e "s/^patterns: 4\$/patterns: $1/" \
		-e 's/^patterns-kept: yes$/patterns-kept: no/' -e '/^tensor: patterns /d'
	  tail -c +$((h + 1)) ex3.raw | head -c 288; } > body
	ws_seal body
}

@test "hop-store -m: a patterns count at 2^28 round-trips, past it is refused" {
	ex3_count 268435452 > m.raw
	hop-store -q -m m.raw "$SEED/ex3-patterns.csv" > at.gz
	assert_equal "$(ws_header at.gz | grep '^patterns: ')" "patterns: 268435456"
	run -0 hop-recall -m at.gz "$SEED/ex3-probe.csv"
	hostile 65 "hop-store: $SEED/ex3-patterns.csv: the memory would be too large to read back: 6 neurons and 268435460 patterns: at most 32768 and 268435456 (rnnkit-weights(5), LIMITS)" 30000 \
		hop-store -q -m at.gz "$SEED/ex3-patterns.csv"
}

@test "hop-store: 16385 neurons are refused as over the 16384 a memory may have" {
	awk 'BEGIN { for (i = 1; i <= 16385; i++) printf "%s%d", (i > 1 ? "," : ""), (i % 2 ? 1 : -1); print "" }' > p.csv
	hostile 65 "hop-store: p.csv: the memory would be too large to read back: 16385 neurons: at most 16384 (W, which a reader builds if the stream has none, holds n^2 values, at most 268435456) (rnnkit-weights(5), LIMITS)" 30000 \
		hop-store -q p.csv
}

@test "hop-store: 8193 neurons are refused before W is allocated (8192 is the memory cap)" {
	awk 'BEGIN { for (i = 1; i <= 8193; i++) printf "%s%d", (i > 1 ? "," : ""), (i % 2 ? 1 : -1); print "" }' > p.csv
	hostile 65 "hop-store: p.csv: the memory would be too large to read back: a reader would need 1025 MiB for its tensors, over the limit of 1024 MiB (rnnkit-weights(5), LIMITS)" 30000 \
		hop-store -q --no-patterns p.csv
}

# wide N: two rows of N values +-1
wide() {
	awk -v n="$1" 'BEGIN { for (r = 0; r < 2; r++) { for (i = 1; i <= n; i++)
		printf "%s%d", (i > 1 ? "," : ""), ((i + r) % 3 ? 1 : -1); print "" } }'
}

@test "bam-pair store: 32768 B neurons round-trip, 39999 are refused before storing" {
	wide 32769 > w.csv
	bam-pair store -q --split 1 w.csv > b.gz
	cut -d, -f1 w.csv > a.csv
	run -0 bam-pair recall -m b.gz a.csv
	assert_equal "${#lines[@]}" 2
	wide 40000 > w.csv
	hostile 65 "bam-pair: w.csv: the memory would be too large to read back: 1 and 39999 neurons and 2 pairs: at most 32768 neurons a side and 268435456 pairs (rnnkit-weights(5), LIMITS)" 60000 \
		bam-pair store -q --split 1 w.csv
}

@test "rnn-train checks the tensor limit when the options are parsed: 4 members of 62 layers round-trip, 5 do not" {
	seq 40 | awk '{ print $1 % 7 }' > s.csv
	# (4 x 62 + 2) tensors a member, and the model's 7, in 1024
	run --separate-stderr timeout 60 rnn-train --layers 62 --hidden 1 -o m.gz no-such-file.csv
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "rnn-train: --ensemble 5 of 62-layer nets needs more than the 1024 tensors a model holds"
	run -0 rnn-train -q --ensemble 4 --layers 62 --hidden 1 --epochs 1 --window 2 -o m.gz s.csv
	run -0 rnn-predict -m m.gz s.csv
}

@test "rnn-train checks the value limit when the options are parsed" {
	run --separate-stderr timeout 60 /usr/bin/time -o rss.txt -f %M rnn-train --cell lstm --hidden 8192 -o m.gz no-such-file.csv
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "rnn-train: this model would be too large to read back: its tensors hold more than 268435456 values (rnnkit-weights(5), LIMITS)"
	(($(tail -n 1 rss.txt) < 30000 + RSS_SLACK))
}

# wide_csv N [TEXT]: N columns c1..cN of 60 rows of values in [0, 1); with
# TEXT, a text column "name" first
wide_csv() {
	awk -v n="$1" -v t="${2:-}" 'BEGIN { srand(7)
		if (t) printf "name,"
		for (i = 1; i <= n; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print ""
		for (r = 0; r < 60; r++) { if (t) printf "x,"
			for (i = 1; i <= n; i++) printf "%s%.3f", (i > 1 ? "," : ""), rand(); print "" } }'
}

@test "rnn-train on 300 columns writes a model rnn-predict reads (forecast-blend and positions over 1 KiB)" {
	wide_csv 300 > wide.csv
	run -0 rnn-train -q --epochs 2 --ensemble 1 -o wide.gz wide.csv
	blend=$(ws_header wide.gz | sed -n 's/^forecast-blend: //p')
	((${#blend} > 1023)) || fail "forecast-blend is ${#blend} bytes"
	assert_equal "$(tr ',' '\n' <<< "$blend" | grep -c .)" 300
	run -0 rnn-predict -m wide.gz wide.csv
	assert_equal "${lines[0]}" "$(head -n 1 wide.csv)"
	assert_equal "$(tr ',' '\n' <<< "${lines[1]}" | grep -c .)" 300
	# the field positions of 300 columns after a text one
	wide_csv 300 text > wide2.csv
	run -0 rnn-train -q --epochs 2 --ensemble 1 --forecast-blend none -o wide2.gz wide2.csv
	pos=$(ws_header wide2.gz | sed -n 's/^positions: //p')
	assert_equal "$pos" "$(seq -s, 2 301)"
	tail -n +2 wide2.csv > rows.csv
	run -0 rnn-predict -m wide2.gz --no-header rows.csv
	assert_equal "$(tr ',' '\n' <<< "${lines[0]}" | grep -c .)" 300
}

@test "a long forecast-blend that is not valid is quoted cut in the message" {
	wide_csv 300 > wide.csv
	rnn-train -q --epochs 2 --ensemble 1 -o wide.gz wide.csv
	gzip -dc wide.gz | head -c -17 | sed 's/^forecast-blend: [^,]*,/forecast-blend: 2,/' > body
	ws_seal body > bad.raw
	v=$(ws_header bad.raw | sed -n 's/^forecast-blend: //p')
	hostile 65 "rnn-predict: bad.raw: forecast-blend needs 300 weights in [0, 1], comma-separated, not '${v:0:60}...'" 30000 \
		rnn-predict -m bad.raw wide.csv
}

@test "rnn-train refuses before training a model whose header would be over 16 MiB" {
	# 17000 names of 1000 bytes: 17 MB of column-N lines
	awk 'BEGIN { x = sprintf("%0994d", 0)
		for (i = 1; i <= 17000; i++) printf "%sc%05d%s", (i > 1 ? "," : ""), i, x; print ""
		for (r = 0; r < 30; r++) { for (i = 1; i <= 17000; i++) printf "%s%d", (i > 1 ? "," : ""), (i + r) % 7; print "" } }' > long.csv
	run --separate-stderr timeout 60 rnn-train -q --epochs 1 --ensemble 1 --hidden 2 --window 2 -o m.gz long.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "rnn-train: this model would be too large to read back: its header is over 16 MiB (rnnkit-weights(5), LIMITS)"
	assert [ ! -e m.gz ]
	assert_equal "$(ls -A | grep -c m.gz)" 0
}

@test "a key's value is quoted escaped and cut in messages" {
	{ printf 'rnnkit-weights 1.0\nkind: x\001%070d\nend\n' 0; } > k.raw
	hostile 65 "hop-recall: k.raw: this is a 'x\\x01$(printf '%058d' 0)...' weight stream; expected a hopfield memory (from hop-store)" 30000 \
		hop-recall -m k.raw "$SEED/ex3-probe.csv"
	{ printf 'rnnkit-weights 1.0\nkind: hopfield\nneurons: 1\t%070d\nend\n' 0; } > n.raw
	run --separate-stderr -65 hop-recall -m n.raw "$SEED/ex3-probe.csv"
	assert_equal "$stderr" "hop-recall: n.raw: weight stream 'neurons' must be a number from 1 to 32768 (found '1\\t$(printf '%058d' 0)...')"
}

@test "a model's long time keys and a long bad time cell are quoted cut in messages" {
	printf 'date,v\n' > d.csv
	for i in 1 2 3 4 5 6 7 8; do printf '2024-%02d,%d\n' "$i" "$i"; done >> d.csv
	rnn-train -q --window 2 --epochs 1 --ensemble 1 -o dm.gz d.csv
	gzip -dc dm.gz | head -c -17 > body
	x=$(printf 'x%099d' 0)
	sed "s/^time-format: .*/time-format: $x/" body > b1; ws_seal b1 > f.raw
	hostile 65 "rnn-predict: f.raw: model key 'time-format' is not valid (found '${x:0:60}...')" 30000 \
		rnn-predict -m f.raw d.csv
	sed "s/^time-step: .*/time-step: $x/" body > b2; ws_seal b2 > s.raw
	hostile 65 "rnn-predict: s.raw: model key 'time-step' is not valid (found '${x:0:60}...')" 30000 \
		rnn-predict -m s.raw d.csv
	{ head -n 3 d.csv; echo "2024-03$x,3"; } > bad.csv
	hostile 65 "rnn-train: bad.csv:4:1: not a time of the form YYYY-MM like the first row's (found '2024-03$(printf 'x%052d' 0)...')" 30000 \
		rnn-train -q --window 1 --epochs 1 -o m.gz bad.csv
}
