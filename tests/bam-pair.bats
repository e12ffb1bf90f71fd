#!/usr/bin/env bats
# bam-pair: store pairs, recall whole pairs from either side.
# Data: testdata/recall/bam-a30-b20-m3*.csv (scripts/gen_patterns.py): 3
# pairs of 30 + 20 values; probe j is the A side of pair j / 10 + 1 with 3
# of its 30 bits flipped.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
}

@test "store writes a bam stream with W = sum A B^T and the pairs" {
	bam-pair store --split 30 "$R/bam-a30-b20-m3.csv" > b.gz
	run -0 ws_header b.gz
	assert_line -n 1 "kind: bam"
	assert_line "a-neurons: 30"
	assert_line "b-neurons: 20"
	assert_line "pairs: 3"
	assert_line "tensor: W f64 30x20"
	assert_line "tensor: A bits 3x30"
	assert_line "tensor: B bits 3x20"
	# W from the pairs, computed here with awk
	awk -F, '{ for (i = 1; i <= 30; i++) for (j = 1; j <= 20; j++) w[i, j] += $i * $(30 + j) }
	END { for (i = 1; i <= 30; i++) for (j = 1; j <= 20; j++) printf "%s%s", w[i, j], j < 20 ? "," : "\n" }' \
		"$R/bam-a30-b20-m3.csv" > want.csv
	ws_w_csv b.gz 30 20 > W.csv
	assert_file_equal want.csv W.csv
}

@test "noisy A sides (10% flipped) recall their whole pair" {
	bam-pair store --split 30 "$R/bam-a30-b20-m3.csv" > b.gz
	bam-pair recall -m b.gz --stats "$R/bam-a30-b20-m3-p10.csv" > out
	assert_equal "$(wc -l < out)" 30
	run -0 awk -F, '$NF != int((NR-1)/10) + 1 || $(NF-2) != "stable" { bad++ } END { exit bad > 0 }' out
	# the pair itself: A then B, 50 values
	awk -F, '{ NF = 50; print }' OFS=, out > pairs
	awk '{ for (i = 0; i < 10; i++) print }' "$R/bam-a30-b20-m3.csv" > want
	cmp want pairs
}

@test "--from b recalls the A side from a B side" {
	bam-pair store --split 30 "$R/bam-a30-b20-m3.csv" > b.gz
	cut -d, -f31-50 "$R/bam-a30-b20-m3.csv" > bsides.csv
	bam-pair recall -m b.gz --from b bsides.csv > out
	cmp "$R/bam-a30-b20-m3.csv" out
}

@test "the stored pairs and their negations are stable, energy falls to them" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	printf -- '-1,1,-1\n1,1,1\n' > probes.csv
	run --separate-stderr -0 bam-pair recall -m b.gz --stats probes.csv
	assert_line -n 0 "-1,1,-1,1,-1,2,stable,-12,2"
	assert_line -n 1 --regexp '^(1,-1,1,-1,1|-1,1,-1,1,-1),[0-9]+,stable,-12,[12]$'
}

@test "-m adds pairs to an existing memory" {
	head -2 "$R/bam-a30-b20-m3.csv" > a.csv
	tail -1 "$R/bam-a30-b20-m3.csv" > b.csv
	bam-pair store --split 30 "$R/bam-a30-b20-m3.csv" > all.gz
	bam-pair store --split 30 a.csv > a.gz
	bam-pair store --split 30 -m a.gz b.csv > ab.gz
	cmp <(ws_data all.gz) <(ws_data ab.gz)
}

@test "-m with a CSV matrix keeps no pairs, so recall claims no match" {
	head -1 "$SEED/ex4-pairs.csv" > p1.csv
	bam-pair store --split 3 -m "$SEED/ex4-W.csv" p1.csv > b.gz
	run -0 ws_header b.gz
	assert_line "pairs: 1"
	assert_line "pairs-kept: no"
	refute_line --partial "tensor: A"
	# W = ex4-W + a b^T = [-3,3; 3,-3; -3,3]: E = -a.W b = -18
	run --separate-stderr -0 bam-pair recall -m b.gz --stats "$SEED/ex4-probe.csv"
	assert_output "1,-1,1,-1,1,2,stable,-18"
}

@test "--no-patterns leaves the pairs out, and the match column too" {
	bam-pair store --split 3 --no-patterns "$SEED/ex4-pairs.csv" > b.gz
	run -0 ws_header b.gz
	assert_line "pairs-kept: no"
	refute_line --partial "tensor: A"
	run --separate-stderr -0 bam-pair recall -m b.gz --stats "$SEED/ex4-probe.csv"
	assert_output "1,-1,1,-1,1,2,stable,-12"
}

@test "a header on the probes gives named columns a1.. b1.. and the stats" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	printf 'x,y,z\n1,-1,1\n' > probes.csv
	run --separate-stderr -0 bam-pair recall -m b.gz --stats probes.csv
	assert_line -n 0 "a1,a2,a3,b1,b2,iters,status,energy,match"
	assert_line -n 1 "1,-1,1,-1,1,2,stable,-12,1"
}

@test "the memory comes on stdin by default" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	run --separate-stderr -0 bash -c 'bam-pair recall "$SEED/ex4-probe.csv" < b.gz'
	assert_output "1,-1,1,-1,1"
}

@test "store needs --split, and a split that leaves B columns" {
	run --separate-stderr -64 bam-pair store "$SEED/ex4-pairs.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "bam-pair: store needs --split K (the number of A columns)"
	run --separate-stderr -65 bam-pair store --split 5 "$SEED/ex4-pairs.csv"
	assert_output ""
	assert_equal "$stderr" "bam-pair: $SEED/ex4-pairs.csv:1: --split 5 leaves no B columns (rows have 5 values)"
}

@test "options of the other command are usage errors" {
	run --separate-stderr -64 bam-pair store --split 3 --stats "$SEED/ex4-pairs.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "bam-pair: --stats is an option of recall, not store"
	run --separate-stderr -64 bam-pair recall --split 3 -m b.gz "$SEED/ex4-probe.csv"
	assert_equal "${stderr_lines[0]}" "bam-pair: --split is an option of store, not recall"
}

@test "a missing or unknown command is a usage error" {
	run --separate-stderr -64 bam-pair
	assert_output ""
	assert_equal "${stderr_lines[0]}" "bam-pair: missing command: store or recall"
	run --separate-stderr -64 bam-pair fetch x.csv
	assert_equal "${stderr_lines[0]}" "bam-pair: unknown command 'fetch' (store or recall)"
}

@test "probes of the wrong side's length are refused with file:line" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	run --separate-stderr -65 bam-pair recall -m b.gz --from b "$SEED/ex4-probe.csv"
	assert_output ""
	assert_equal "$stderr" "bam-pair: $SEED/ex4-probe.csv:1: probes have 3 values but the memory's B side has 2 neurons"
}

@test "a hopfield stream given to bam-pair recall is the wrong kind" {
	hop-store -q "$SEED/ex3-patterns.csv" > h.gz
	run --separate-stderr -65 bam-pair recall -m h.gz "$SEED/ex4-probe.csv"
	assert_output ""
	assert_equal "$stderr" "bam-pair: h.gz: this is a 'hopfield' weight stream; expected a bam memory (from bam-pair store)"
}

@test "--help prints the usage on stdout and exits 0" {
	run --separate-stderr -0 bam-pair --help
	assert_line -n 0 "Usage: bam-pair store --split K [OPTIONS] [PAIRS.csv] > bam.gz"
	assert_line -n 1 "       bam-pair recall [--from a|b] [OPTIONS] PROBES.csv < bam.gz"
	assert_equal "$stderr" ""
}

@test "--help lists --precision under recall, as bam-pair(1) does and store refuses it" {
	run --separate-stderr -0 bam-pair --help
	sect=$(awk '/^[a-z]+:$/ { s = $1 } /--precision/ { print s }' <<< "$output")
	assert_equal "$sect" "recall:"
	run --separate-stderr -64 bam-pair store --split 3 --precision 3 "$SEED/ex4-pairs.csv"
	assert_equal "${stderr_lines[0]}" "bam-pair: --precision is an option of recall, not store"
}

@test "--version prints the version and exits 0" {
	run --separate-stderr -0 bam-pair --version
	assert_output --regexp '^bam-pair \(rnnkit\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "incomplete probes: a BAM probe of unknowns stays unknown where its field is 0" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	# u = 0: W^T u = 0, B keeps its start (1,1); W (1,1) = 0, A stays 0.
	# iters 2: the start of B is a placeholder, so the first iteration
	# cannot show that nothing changes; the second does
	printf '0,0,0\n' > u.csv
	run --separate-stderr -0 bam-pair recall -m b.gz --encoding pm1 --stats u.csv
	assert_output "0,0,0,1,1,2,unknown:3,0,spurious"
	assert_equal "$stderr" "bam-pair: warning: 1 probe ended with unknown neurons (0 in the output)"
	run --separate-stderr -0 bam-pair recall -m b.gz -q --encoding pm1 --stats u.csv
	assert_equal "$stderr" ""
}

@test "incomplete probes: a BAM probe file with a -1 reads its 0s as unknown bits" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > b.gz
	printf '0,1,-1\n' > u.csv
	# W = [[-2,2],[2,-2],[-2,2]], u = (0,1,-1): W^T u = (2+2, -2-2) =
	# (4,-4): B = (1,-1); W B = (-4,4,-4): A = (-1,1,-1), the pair (A2, B2),
	# E = -A^T W B = -(4+4+4) = -12
	run --separate-stderr -0 bam-pair recall -m b.gz --stats u.csv
	assert_output "-1,1,-1,1,-1,2,stable,-12,2"
}

@test "store -z is accepted and changes nothing; recall -z compresses" {
	bam-pair store --split 3 "$SEED/ex4-pairs.csv" > plain.gz
	bam-pair store -z --split 3 "$SEED/ex4-pairs.csv" > z.gz
	cmp plain.gz z.gz
	gzip -t z.gz
	bam-pair recall -z -m z.gz "$SEED/ex4-probe.csv" > out.gz
	assert_equal "$(gzip -dc out.gz)" "1,-1,1,-1,1"
}
