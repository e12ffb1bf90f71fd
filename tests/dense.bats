#!/usr/bin/env bats
# Dense associative memories: hop-store --rule dense, hop-recall --energy
# poly:K|exp (Krotov & Hopfield 2016, Demircigil et al. 2017) and --beta
# (Ramsauer et al. 2020). Random data is made here with awk (srand(seed)):
# the assertions are counts with wide margins, so any awk's generator does.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	R="$TESTDATA/recall"
}


# bits N M SEED FLIP: M random +-1 patterns of N bits (pat.csv) and one
# probe per pattern with exactly FLIP distinct bits flipped (probe.csv;
# probe k comes from pattern k)
bits() {
	awk -v n="$1" -v m="$2" -v seed="$3" -v flip="$4" 'BEGIN {
		srand(seed)
		for (k = 1; k <= m; k++) {
			for (i = 1; i <= n; i++) { p[i] = rand() < 0.5 ? -1 : 1; q[i] = p[i] }
			for (f = 0; f < flip; ) {
				j = int(rand() * n) + 1
				if (q[j] == p[j]) { q[j] = -p[j]; f++ }
			}
			a = ""; b = ""
			for (i = 1; i <= n; i++) { a = a (i > 1 ? "," : "") p[i]; b = b (i > 1 ? "," : "") q[i] }
			print a > "pat.csv"; print b > "probe.csv"
		}
	}'
}

# gauss N M SEED SIGMA ZERO: M N(0,1) patterns of dimension N (gpat.csv)
# and one probe per pattern (gprobe.csv): the pattern plus SIGMA N(0,1)
# noise, and with ZERO=1 its second half set to 0
gauss() {
	awk -v n="$1" -v m="$2" -v seed="$3" -v sigma="$4" -v zero="$5" '
	function g() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
	BEGIN {
		srand(seed)
		for (k = 1; k <= m; k++) {
			a = ""; b = ""
			for (i = 1; i <= n; i++) {
				x = g(); y = x + sigma * g()
				if (zero && i > n / 2) y = 0
				a = a (i > 1 ? "," : "") sprintf("%.6f", x)
				b = b (i > 1 ? "," : "") sprintf("%.6f", y)
			}
			print a > "gpat.csv"; print b > "gprobe.csv"
		}
	}'
}

# right OUT: rows whose match column (next to last) is their row number
right() {
	awk -F, '$(NF-1) == NR { c++ } END { print c + 0 }' "$1"
}

# close A B TOL: numbers within TOL
close() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
		fail "expected $2 (within $3), got $1"
}

@test "the stream: kind dense, +-1 patterns as bits, real ones as f64" {
	printf '1,-1,1,-1\n1,1,-1,-1\n' > pm.csv
	hop-store --rule dense pm.csv > pm.gz
	run ws_header pm.gz
	assert_line "kind: dense"
	assert_line "neurons: 4"
	assert_line "patterns: 2"
	assert_line "values: pm1"
	assert_line "tensor: patterns bits 2x4"
	printf '0.5,-1,1,2\n' > re.csv
	hop-store --rule dense re.csv > re.gz
	run ws_header re.gz
	assert_line "values: real"
	assert_line "tensor: patterns f64 1x4"
	# the values exactly as written
	run od -An -tf8 -w32 < <(ws_data re.gz)
	assert_equal "$(echo $output)" "0.5 -1 1 2"
}

@test "-m adds patterns: the same stream as storing them all at once" {
	bits 16 6 7 0
	head -3 pat.csv > a.csv
	tail -3 pat.csv > b.csv
	hop-store --rule dense a.csv > a.gz
	hop-store -m a.gz b.csv > ab.gz
	hop-store --rule dense pat.csv > all.gz
	run ws_header ab.gz
	assert_line "patterns: 6"
	cmp <(ws_data ab.gz) <(ws_data all.gz)
}

@test "exp: n = 64, m = 1000 (load 15.6), every probe with 6 bits flipped recalls its pattern" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	bits 64 1000 9 6
	hop-store --rule dense pat.csv > d.gz
	hop-recall -m d.gz --energy exp --stats probe.csv > out.csv
	assert_equal "$(right out.csv)" 1000
	# and the states are the patterns themselves
	cmp <(cut -d, -f1-64 out.csv) pat.csv
	# hebb, for comparison, holds none of them
	hop-store -q pat.csv > h.gz
	hop-recall -m h.gz --stats probe.csv > hout.csv
	assert_equal "$(right hout.csv)" 0
}

@test "--threads: sync and --beta recall print the same bytes at 1, 2 and 3 threads" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	# 600 probes: 3 batches of at most 256 (dense.c), so the threads share them
	bits 64 600 11 10
	hop-store --rule dense pat.csv > d.gz
	for k in poly:3 exp; do
		for t in 1 2 3; do
			hop-recall -m d.gz --energy $k --threads $t --stats probe.csv > s$t.csv
		done
		cmp s1.csv s2.csv
		cmp s1.csv s3.csv
	done
	gauss 64 600 7 0.5 1
	hop-store --rule dense gpat.csv > g.gz
	for t in 1 2 3; do
		hop-recall -m g.gz --beta 4 --max-iter 3 --threads $t -s gprobe.csv > c$t.csv
	done
	cmp c1.csv c2.csv
	cmp c1.csv c3.csv
	# not a test that cannot fail: the runs did recall something
	[[ $(right s1.csv) -gt 300 ]] || fail "$(right s1.csv) of 600 recalled"
}

@test "exp is the default for a +-1 dense memory, and async recalls as well" {
	bits 64 200 11 6
	hop-store --rule dense pat.csv > d.gz
	hop-recall -m d.gz probe.csv > a.csv
	hop-recall -m d.gz --energy exp probe.csv > b.csv
	cmp a.csv b.csv
	cmp a.csv pat.csv
	hop-recall -m d.gz --mode async --seed 3 probe.csv > c.csv
	cmp c.csv pat.csv
	hop-recall -m d.gz --mode seq probe.csv > c.csv
	cmp c.csv pat.csv
}

@test "poly: capacity grows as n^(K-1): n = 64, K = 3 holds 80 patterns where K = 2 holds none, K = 4 holds 600 where K = 3 holds none" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	# Krotov & Hopfield (2016): recall without errors up to about
	# n^(K-1) / (2 (2K-3)!! ln n) patterns: at n = 64, 7.7 for K = 2
	# (hebb's n / (2 ln n)), 164 for K = 3, 2101 for K = 4. Each load
	# below is under one K's limit and well over the next lower one's.
	bits 64 80 3 6
	hop-store --rule dense pat.csv > d.gz
	hop-recall -m d.gz --energy poly:3 -s probe.csv > k3.csv
	assert_equal "$(right k3.csv)" 80
	hop-recall -m d.gz --energy poly:2 -s probe.csv > k2.csv
	assert_equal "$(right k2.csv)" 0
	bits 64 600 3 6
	hop-store --rule dense pat.csv > d.gz
	hop-recall -m d.gz --energy poly:4 -s probe.csv > k4.csv
	assert_equal "$(right k4.csv)" 600
	hop-recall -m d.gz --energy poly:3 -s probe.csv > k3.csv
	assert_equal "$(right k3.csv)" 0
}

@test "poly:2 is hebb: the same states in every mode (unknown bits too), and E = 2 E_hebb - m n" {
	hop-store -q "$R/n100-m20.csv" > h.gz
	hop-store --rule dense "$R/n100-m20.csv" > d.gz
	# the first 40 bits unknown (0)
	awk -F, -v OFS=, '{ for (i = 1; i <= 40; i++) $i = 0; print }' \
		"$R/n100-m20-p10.csv" > unk.csv
	for mode in sync async seq; do
		for p in "$R/n100-m20-p10.csv" unk.csv; do
			hop-recall -q -m h.gz --mode "$mode" -s --encoding pm1 "$p" > a.csv
			hop-recall -q -m d.gz --energy poly:2 --mode "$mode" -s --encoding pm1 "$p" > b.csv
			cmp <(cut -d, -f1-102 a.csv) <(cut -d, -f1-102 b.csv)
			# energy column 103: m n = 2000
			run awk -F, 'NR == FNR { e[FNR] = $103; next }
				$103 != 2 * e[FNR] - 2000 { print FNR ": " $103 " vs " e[FNR]; bad = 1 }
				END { exit bad }' a.csv b.csv
			assert_success
		done
	done
}

# The small case for both discrete energies: patterns x1 = (1,1,1,1),
# x2 = (1,-1,1,-1), x3 = (-1,-1,1,1); probe s = (1,1,1,-1).
# Overlaps o = (2, 2, -2).
# poly:3: E = -(8 + 8 - 8) = -8. The fields f_i = sum_mu F(a + x) - F(a - x)
# with a = o - x_mu,i s_i:
#   i=1: a = (1,1,-1), x = (1,1,-1): (8-0) + (8-0) + (-8-0) = 8    -> +1
#   i=2: a = (1,3,-1), x = (1,-1,-1): (8-0) + (8-64) + (-8-0) = -56 -> -1
#   i=3: a = (1,1,-3), x = (1,1,1): 8 + 8 + (-8+64) = 72           -> +1
#   i=4: a = (3,1,-1), x = (1,-1,1): (64-8) + (0-8) + (0+8) = 56    -> +1
# so one sync step gives (1,-1,1,1), o = (2,2,2), E = -24, hamming 1 to
# each pattern. exp: the same signs (i=2: e^2-1 + e^2-e^4 + e^-2-1 < 0);
# E is printed as -lse(o): -(2 + log(2 + e^-4)), then -(2 + log 3).
small() {
	printf '1,1,1,1\n1,-1,1,-1\n-1,-1,1,1\n' > x.csv
	printf '1,1,1,-1\n' > s.csv
	hop-store --rule dense x.csv > x.gz
}

@test "hand-computed: poly:3 energy and one sync step" {
	small
	run --separate-stderr hop-recall -m x.gz --energy poly:3 --max-iter 1 -s -t s.csv
	assert_success
	assert_output "1,-1,1,1,1,limit,-24,spurious,1"
	assert_equal "${stderr_lines[0]}" "probe 1 step 0: 1,1,1,-1 energy -8"
	assert_equal "${stderr_lines[1]}" "probe 1 step 1: 1,-1,1,1 energy -24"
}

@test "hand-computed: poly:3 seq flips neuron 2 and settles on pattern 2" {
	small
	# seq: i=1 stays; i=2 (f = -56) flips: s = (1,-1,1,-1), o = (0,4,0);
	# i=3: a = (-1,3,-1), x = (1,1,1): (0+8) + (64-8) + (0+8) = 72 stays;
	# i=4 (s=-1): a = (1,3,1), x = (1,-1,1): (8-0) + (8-64) + (8-0) = -40
	# stays -1. Sweep 2 changes nothing: x2, E = -64, stable.
	run --separate-stderr hop-recall -m x.gz --energy poly:3 --mode seq -s -t s.csv
	assert_output "1,-1,1,-1,2,stable,-64,2,0"
	assert_equal "${stderr_lines[1]}" "probe 1 step 2 neuron 2: 1,-1,1,-1 energy -64"
}

@test "hand-computed: exp energies (as -lse) and one sync step" {
	small
	run --separate-stderr hop-recall -m x.gz --energy exp --max-iter 1 -s -t s.csv
	assert_success
	assert_output --regexp '^1,-1,1,1,1,limit,[-0-9.e]+,spurious,1$'
	e1=$(cut -d, -f7 <<< "$output")
	close "$e1" "$(awk 'BEGIN { printf "%.17g", -(2 + log(3)) }')" 1e-14
	e0=$(sed -n '1s/.* energy //p' <<< "$stderr")
	close "$e0" "$(awk 'BEGIN { printf "%.17g", -(2 + log(2 + exp(-4))) }')" 1e-14
}

@test "exp: a field that is 0 exactly keeps its neuron in seq and sync alike" {
	printf '1,1,1,1,-1\n1,-1,1,-1,1\n-1,1,-1,-1,1\n-1,-1,1,-1,-1\n' > tie.csv
	hop-store -q --rule dense tie.csv > t.gz
	echo -1,-1,-1,1,1 > p.csv
	# neuron 1's field: overlaps o = (-3,-1,1,-1), a = o - x_1 s_1, terms
	# e^(a+x_1) - e^(a-x_1) = (e^-1 - e^-3) + (e^1 - e^-1) + (e^-1 - e^1)
	# + (e^-3 - e^-1) = 0 exactly, so it stays -1 (it flipped to +1 before);
	# seq flips neurons 2 and 4 and stops at pattern 3, o = (-3,-1,5,-1):
	# E = -log(e^-3 + 2 e^-1 + e^5) = -5.005279008464485 (exact reference,
	# /tmp/audit2/ref.py)
	run --separate-stderr -0 hop-recall -m t.gz --energy exp --mode seq -s -t p.csv
	assert_output "-1,1,-1,-1,1,2,stable,-5.00527900846448,3,0"
	assert_equal "${#stderr_lines[@]}" 3
	assert_equal "${stderr_lines[1]}" "probe 1 step 2 neuron 2: -1,1,-1,1,1 energy -3.02300645352241"
	# sync keeps neuron 1 as well: 2-cycle (exact reference)
	run --separate-stderr -0 hop-recall -m t.gz --energy exp --mode sync -s p.csv
	assert_output "-1,1,1,-1,1,3,cycle:2,-3.25385602208594,spurious,1"
}

@test "exp stays finite where e^(x.s) overflows: n = 2048" {
	bits 2048 3 21 100
	hop-store --rule dense pat.csv > d.gz
	hop-recall -m d.gz -s probe.csv > out.csv
	# each probe back at its pattern, E = -lse = -(2048 + log(1 + tiny))
	run cut -d, -f2049-2053 out.csv
	assert_line --index 0 "2,stable,-2048,1,0"
	assert_equal "$(right out.csv)" 3
}

# Continuous, by hand: X = ((1,0), (0,1)), beta = ln 3, xi = (1,0):
# beta X xi = (ln 3, 0), softmax = (3/4, 1/4), so xi' = (0.75, 0.25).
# E(xi) = -log(3 + 1)/ln 3 + 1/2 + log(2)/ln 3 + 1/2 = 1 - ln 2/ln 3;
# E(xi') = -log(3^0.75 + 3^0.25)/ln 3 + 0.3125 + ln 2/ln 3 + 0.5;
# distance of xi' to x1: sqrt(2 * 0.25^2).
@test "hand-computed: --beta energy and one update" {
	printf '1,0\n0,1\n' > x.csv
	printf '1,0\n' > p.csv
	hop-store --rule dense --encoding real x.csv > x.gz
	beta=$(awk 'BEGIN { printf "%.17g", log(3) }')
	run --separate-stderr hop-recall -m x.gz --beta "$beta" -s -t p.csv
	assert_success
	IFS=, read -r a b it st e match d <<< "$output"
	close "$a" 0.75 1e-15
	close "$b" 0.25 1e-15
	assert_equal "$it,$st,$match" "1,limit,spurious"
	close "$e" "$(awk 'BEGIN { l3 = log(3); printf "%.17g", -log(3^0.75 + 3^0.25)/l3 + 0.3125 + log(2)/l3 + 0.5 }')" 1e-13
	close "$d" "$(awk 'BEGIN { printf "%.17g", sqrt(0.125) }')" 1e-15
	e0=$(sed -n '1s/.* energy //p' <<< "$stderr")
	close "$e0" "$(awk 'BEGIN { printf "%.17g", 1 - log(2)/log(3) }')" 1e-14
}

@test "--beta 1000: no overflow, the probe is a fixed point, E = ln 2 / 1000" {
	printf '1,0\n0,1\n' > x.csv
	printf '1,0\n' > p.csv
	hop-store --rule dense --encoding real x.csv > x.gz
	run hop-recall -m x.gz --beta 1000 -s p.csv
	assert_success
	IFS=, read -r a b it st e match d <<< "$output"
	assert_equal "$a,$b,$it,$st,$match,$d" "1,0,1,stable,1,0"
	close "$e" "$(awk 'BEGIN { printf "%.17g", log(2) / 1000 }')" 1e-15
}

@test "--beta: values whose squares overflow are refused (65), never printed as NaN or inf" {
	printf '1e200,-1e200\n-1e200,1e200\n' > big.csv
	run --separate-stderr -65 hop-store -q --rule dense big.csv
	assert_output ""
	assert_equal "$stderr" "hop-store: big.csv:1: pattern too large: its squared norm is over 1.12356e+307, where --beta recall would overflow"
	printf '1,2\n' > x.csv
	hop-store -q --rule dense --encoding real x.csv > x.gz
	echo 1e308,1e308 > p.csv
	run --separate-stderr -65 hop-recall -m x.gz --beta 1 -s p.csv
	assert_output ""
	assert_equal "$stderr" "hop-recall: p.csv:1: probe too large for --beta 1: the recall would overflow (|beta| |x| |xi| and |xi|^2 must stay below 1.12356e+307)"
}

# X = ((1,2), (2,1)), xi = (1,1): both overlaps 3, softmax (1/2, 1/2) for
# any beta, xi' = (1.5,1.5), overlaps 4.5: E = -4.5 - log(1)/beta + 4.5/2
# + 5/2 = 0.25 exactly, for beta = 1 down to 1e-300 (log(m)/beta cancelled
# 0.2578125 out of it at 1e-14)
@test "--beta: a tiny beta gives the energy without cancellation" {
	printf '1,2\n2,1\n' > x.csv
	echo 1,1 > p.csv
	hop-store -q --rule dense --encoding real x.csv > x.gz
	for beta in 1 1e-10 1e-14 1e-200; do
		run --separate-stderr -0 hop-recall -m x.gz --beta $beta -s p.csv
		assert_output "1.5,1.5,1,stable,0.25,spurious,0.7071067811865476"
	done
}

@test "--beta: 500 Gaussian patterns of dimension 64, noise sigma 0.3: all 500 back at their pattern in one step" {
	gauss 64 500 5 0.3 0
	hop-store --rule dense gpat.csv > g.gz
	hop-recall -m g.gz --beta 1 -s gprobe.csv > out.csv
	n=$(right out.csv)
	[[ $n -ge 495 ]] || fail "$n of 500 at their pattern (want >= 99%)"
	run awk -F, '$65 != 1 || $66 != "stable" { print NR ": " $65 "," $66; bad = 1 } END { exit bad }' out.csv
	assert_success
	# beta too small averages the patterns: none retrieved
	hop-recall -m g.gz --beta 0.125 -s gprobe.csv > out.csv
	assert_equal "$(right out.csv)" 0
}

@test "--beta: half of every probe zeroed, beta 8, 3 steps: >= 99% at their pattern" {
	gauss 64 500 5 0.3 1
	hop-store --rule dense gpat.csv > g.gz
	hop-recall -m g.gz --beta 8 --max-iter 3 -s gprobe.csv > out.csv
	n=$(right out.csv)
	[[ $n -ge 495 ]] || fail "$n of 500 at their pattern (want >= 99%)"
}

@test "--beta on a +-1 dense memory: real probes converge to the patterns" {
	bits 64 200 13 6
	hop-store --rule dense pat.csv > d.gz
	awk -F, -v OFS=, '{ for (i = 1; i <= NF; i++) $i *= 0.5; print }' probe.csv > half.csv
	hop-recall -m d.gz --beta 4 -s half.csv > out.csv
	assert_equal "$(right out.csv)" 200
}

@test "a header row names the columns; --beta ends in distance" {
	printf 'a,b\n1,0\n0,1\n' > x.csv
	printf 'a,b\n1,0\n' > p.csv
	hop-store --rule dense --encoding real x.csv > x.gz
	run hop-recall -m x.gz --beta 30 -s p.csv
	assert_line --index 0 "a,b,iters,status,energy,match,distance"
}

@test "errors: option and memory mismatches (64)" {
	hop-store -q "$R/n100-m5.csv" > h.gz
	hop-store --rule dense "$R/n100-m5.csv" > d.gz
	printf '0.5,1\n' > re.csv
	hop-store --rule dense re.csv > re.gz
	usage_fails "hop-recall: --energy needs a dense memory (hop-store --rule dense), not a hebb one" \
		hop-recall -m h.gz --energy exp "$R/n100-m5.csv"
	usage_fails "hop-recall: --beta needs a dense memory (hop-store --rule dense), not a hebb one" \
		hop-recall -m h.gz --beta 1 "$R/n100-m5.csv"
	usage_fails "hop-recall: --energy needs +-1 patterns, but the memory holds real values (use --beta)" \
		hop-recall -m re.gz --energy exp re.csv
	usage_fails "hop-recall: a memory of real-valued patterns needs --beta" \
		hop-recall -m re.gz re.csv
	usage_fails "hop-recall: --energy (+-1 probes) and --beta (real probes) exclude each other" \
		hop-recall -m d.gz --energy exp --beta 1 "$R/n100-m5.csv"
	usage_fails "hop-recall: --mode async: the --beta update is synchronous" \
		hop-recall -m d.gz --beta 1 --mode async "$R/n100-m5.csv"
	usage_fails "hop-recall: --encoding: --beta reads real-valued probes" \
		hop-recall -m d.gz --beta 1 --encoding pm1 "$R/n100-m5.csv"
	usage_fails "hop-recall: --show draws +-1 states, not the real ones of --beta" \
		hop-recall -m d.gz --beta 1 --show 10x10 "$R/n100-m5.csv"
	usage_fails "hop-store: the memory was stored with --rule hebb, not dense" \
		hop-store -m h.gz --rule dense "$R/n100-m5.csv"
	usage_fails "hop-store: the memory was stored with --rule dense, not hebb" \
		hop-store -m d.gz --rule hebb "$R/n100-m5.csv"
	usage_fails "hop-store: --no-patterns: a dense memory is its patterns" \
		hop-store --rule dense --no-patterns "$R/n100-m5.csv"
	usage_fails "hop-store: --encoding real needs --rule dense" \
		hop-store --encoding real "$R/n100-m5.csv"
}

@test "errors: bad --energy and --beta values (64)" {
	for e in poly:1 poly:0 poly:65 poly: poly:3x poly:-2 cube; do
		usage_fails "hop-recall: unknown energy '$e' (poly:K with K from 2 to 64, or exp)" \
			hop-recall -m d.gz --energy "$e" p.csv
	done
	usage_fails "hop-recall: --beta must be greater than 0" hop-recall -m d.gz --beta 0 p.csv
	usage_fails "hop-recall: invalid number for --beta: 'x'" hop-recall -m d.gz --beta x p.csv
}

@test "errors: real patterns into a +-1 dense memory, a bad values key (65)" {
	printf '1,-1\n' > pm.csv
	hop-store --rule dense pm.csv > d.gz
	printf '0.5,1\n' > re.csv
	fails_with 65 "hop-store: re.csv:1: real-valued patterns, but d.gz holds +-1 patterns" \
		hop-store -m d.gz re.csv
	gzip -dc d.gz | head -c -17 | sed 's/^values: pm1$/values: int8/' > body
	ws_seal body > bad.raw
	fails_with 65 "hop-recall: bad.raw: unknown pattern values 'int8' (pm1 or real)" \
		hop-recall -m bad.raw pm.csv
}
