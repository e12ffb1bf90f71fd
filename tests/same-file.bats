#!/usr/bin/env bats
# An output that names an input is refused before anything is read or
# written: exit 64, nothing on stdout, one line on stderr, and the input
# byte for byte as it was. Files are compared by device and inode, so
# "./x", hard links and symbolic links count.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	head -40 "$TESTDATA/series/elnino.csv" > s.csv
	cp "$SEED/ex3-patterns.csv" p.csv
	cp "$SEED/ex4-pairs.csv" pairs.csv
	cp s.csv s.csv.orig
	cp p.csv p.csv.orig
	cp pairs.csv pairs.csv.orig
	ln s.csv s-link.csv
	ln -s s.csv s-sym.csv
	ln p.csv p-link.csv
}

# refuses MESSAGE FILE CMD...: exit 64, stdout empty, stderr MESSAGE, and
# FILE unchanged (compared with FILE's copy made in setup)
refuses() {
	local want="$1" file="$2"
	shift 2
	run --separate-stderr "$@"
	assert_equal "$status" 64
	assert_equal "$output" ""
	assert_equal "$stderr" "$want"
	cmp "$file" "$file.orig"
}

@test "an output that names an input is refused: rnn-train: -o, --log or --checkpoint naming a series is refused" {
	refuses "rnn-train: refusing to overwrite input 's.csv' with -o 's.csv'" s.csv \
		rnn-train -q -o s.csv s.csv
	refuses "rnn-train: refusing to overwrite input 's.csv' with -o './s.csv'" s.csv \
		rnn-train -q -o ./s.csv s.csv
	refuses "rnn-train: refusing to overwrite input 's.csv' with --log 's-link.csv'" s.csv \
		rnn-train -q --log s-link.csv s.csv
	refuses "rnn-train: refusing to overwrite input 's.csv' with --checkpoint 's-sym.csv'" s.csv \
		rnn-train -q --checkpoint s-sym.csv s.csv
	refuses "rnn-train: refusing to overwrite input './s.csv' with --log 's.csv'" s.csv \
		rnn-train -q --log s.csv p.csv ./s.csv
}

@test "an output that names an input is refused: rnn-train: an output that is the series on stdin or stdout is refused" {
	refuses "rnn-train: refusing to overwrite standard input with -o 's-link.csv'" s.csv \
		rnn-train -q -o s-link.csv < s.csv
	refuses "rnn-train: refusing to overwrite input 's.csv' with standard output" s.csv \
		sh -c 'rnn-train -q s.csv >> s.csv'
}

@test "an output that names an input is refused: rnn-train: --init may be replaced by the model or checkpoint, not by the log" {
	rnn-train --ensemble 1 -q --epochs 1 --window 4 --hidden 2 s.csv > m.gz
	cp m.gz m.gz.orig
	refuses "rnn-train: refusing to overwrite --init file 'm.gz' with --log './m.gz'" m.gz \
		rnn-train --ensemble 1 -q --epochs 1 --init m.gz --log ./m.gz s.csv
	run rnn-train --ensemble 1 -q --epochs +1 --init m.gz --checkpoint m.gz -o m.gz.next s.csv
	assert_success
	run rnn-train --ensemble 1 -q --epochs +1 --init m.gz -o m.gz s.csv
	assert_success
	run cmp -s m.gz m.gz.orig
	assert_failure
}

@test "an output that names an input is refused: rnn-train: two outputs naming one file are refused, existing or not" {
	refuses "rnn-train: --checkpoint './x' and --log 'x' are the same file" s.csv \
		rnn-train -q --log x --checkpoint ./x s.csv
	[[ ! -e x ]]
	: > y
	ln y y-link
	refuses "rnn-train: -o 'y' and --log 'y-link' are the same file" s.csv \
		rnn-train -q -o y --log y-link s.csv
	# devices are not files that collide
	run rnn-train -q --epochs 1 --window 4 --hidden 2 --log /dev/null \
		--checkpoint /dev/null -o /dev/null s.csv
	assert_success
}

@test "an output that names an input is refused: rnn-train: --import files are inputs" {
	rnn-train --ensemble 1 -q --epochs 1 --window 4 --hidden 2 s.csv |
		rnn-predict --export w
	cp w/config w/config.orig
	refuses "rnn-train: refusing to overwrite --import file 'w/config' with --log 'w/config'" w/config \
		rnn-train --ensemble 1 -q --import w --log w/config s.csv
}

@test "an output that names an input is refused: rnn-predict: -o naming the series or the model is refused" {
	rnn-train -q --epochs 1 --window 4 --hidden 2 s.csv > m.gz
	cp m.gz m.gz.orig
	refuses "rnn-predict: refusing to overwrite input 's.csv' with -o 's-link.csv'" s.csv \
		rnn-predict -m m.gz -o s-link.csv s.csv
	refuses "rnn-predict: refusing to overwrite input 's.csv' with -o './s.csv'" s.csv \
		rnn-predict -m m.gz --stream -o ./s.csv s.csv
	refuses "rnn-predict: refusing to overwrite -m file 'm.gz' with -o 'm.gz'" m.gz \
		rnn-predict -m m.gz -o m.gz s.csv
}

@test "an output that names an input is refused: rnn-predict: --export into a directory holding an input is refused" {
	rnn-train --ensemble 1 -q --epochs 1 --window 4 --hidden 2 --cell gru s.csv > m.gz
	rnn-predict -m m.gz --export w
	cp w/scale.csv w/scale.csv.orig
	cp w/bias_hh_l0.csv w/bias_hh_l0.csv.orig
	# the first of the files in name order
	refuses "rnn-predict: refusing to overwrite --import file 'w/bias_hh_l0.csv' with --export 'w'" w/bias_hh_l0.csv \
		rnn-predict --import w --export w
	mkdir v
	ln w/scale.csv v/scale.csv
	refuses "rnn-predict: refusing to overwrite --import file 'w/scale.csv' with --export './v'" w/scale.csv \
		rnn-predict --import w --export ./v
	cp m.gz m.gz.orig
	mkdir u
	ln -s ../m.gz u/scale.csv
	refuses "rnn-predict: refusing to overwrite -m file 'm.gz' with --export 'u'" m.gz \
		rnn-predict -m m.gz --export u
	# only what an export writes counts: a model file in it is no input
	cp m.gz w/m.gz
	run rnn-predict -m w/m.gz --export w
	assert_success
}

@test "an output that names an input is refused: grad-check: -o naming the data or the model is refused" {
	rnn-train -q --epochs 1 --window 4 --hidden 2 s.csv > m.gz
	cp m.gz m.gz.orig
	refuses "grad-check: refusing to overwrite input 's.csv' with -o 's-link.csv'" s.csv \
		grad-check -m m.gz -o s-link.csv s.csv
	refuses "grad-check: refusing to overwrite -m file 'm.gz' with -o './m.gz'" m.gz \
		grad-check -m m.gz -o ./m.gz s.csv
}

@test "an output that names an input is refused: hop-store: -o naming the patterns is refused; -m memory -o memory is an update" {
	refuses "hop-store: refusing to overwrite input 'p.csv' with -o 'p.csv'" p.csv \
		hop-store -o p.csv p.csv
	refuses "hop-store: refusing to overwrite input 'p.csv' with -o './p-link.csv'" p.csv \
		hop-store -o ./p-link.csv p.csv
	refuses "hop-store: refusing to overwrite standard input with -o 'p.csv'" p.csv \
		hop-store -q -o p.csv - < p.csv
	hop-store -q p.csv > mem.gz
	run hop-store -q -m mem.gz p.csv -o mem.gz
	assert_success
	run --separate-stderr sh -c 'hop-store -q -m mem.gz p.csv >> mem.gz'
	assert_equal "$status" 64
	assert_equal "$stderr" "hop-store: refusing to overwrite -m file 'mem.gz' with standard output"
}

@test "an output that names an input is refused: hop-recall: -o naming the probes or the memory is refused" {
	hop-store -q p.csv > mem.gz
	cp mem.gz mem.gz.orig
	refuses "hop-recall: refusing to overwrite input 'p.csv' with -o 'p-link.csv'" p.csv \
		hop-recall -m mem.gz -o p-link.csv p.csv
	refuses "hop-recall: refusing to overwrite -m file 'mem.gz' with -o './mem.gz'" mem.gz \
		hop-recall -m mem.gz -o ./mem.gz p.csv
	refuses "hop-recall: refusing to overwrite standard input with -o 'mem.gz'" mem.gz \
		hop-recall -o mem.gz p.csv < mem.gz
}

@test "an output that names an input is refused: bam-pair: -o naming the pairs, probes or memory is refused" {
	refuses "bam-pair: refusing to overwrite input 'pairs.csv' with -o './pairs.csv'" pairs.csv \
		bam-pair store --split 3 -o ./pairs.csv pairs.csv
	bam-pair store --split 3 pairs.csv > bam.gz
	cp bam.gz bam.gz.orig
	run bam-pair store --split 3 -m bam.gz -o bam.gz pairs.csv
	assert_success
	cp bam.gz bam.gz.orig
	refuses "bam-pair: refusing to overwrite -m file 'bam.gz' with -o 'bam.gz'" bam.gz \
		bam-pair recall -m bam.gz -o bam.gz "$SEED/ex4-probe.csv"
}
