#!/usr/bin/env bats
# Outputs are checked before any input is read or any work done: an output
# that cannot be created is 73, compressed data for a terminal 64, with the
# same message the writing would give. The bad input given with each shows
# that the output was checked first.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '1,x\n' > bad.csv
	: > file
}


@test "fail fast: an -o file in a missing directory: 73 before reading anything" {
	fails_with 73 "hop-store: cannot create 'nodir/m.gz': No such file or directory" \
		hop-store -o nodir/m.gz bad.csv
	fails_with 73 "hop-recall: cannot create 'nodir/r.csv': No such file or directory" \
		hop-recall -m missing.gz -o nodir/r.csv bad.csv
	fails_with 73 "bam-pair: cannot create 'nodir/b.gz': No such file or directory" \
		bam-pair store --split 1 -o nodir/b.gz bad.csv
	fails_with 73 "bam-pair: cannot create 'nodir/r.csv': No such file or directory" \
		bam-pair recall -m missing.gz -o nodir/r.csv bad.csv
	fails_with 73 "rnn-predict: cannot create 'nodir/p.csv': No such file or directory" \
		rnn-predict -m missing.gz -o nodir/p.csv bad.csv
	fails_with 73 "grad-check: cannot create 'nodir/g.txt': No such file or directory" \
		grad-check -m missing.gz -o nodir/g.txt bad.csv
	[[ ! -e nodir ]]
}

@test "fail fast: an -o path through a file, or naming a directory: 73" {
	fails_with 73 "hop-store: cannot create 'file/m.gz': Not a directory" \
		hop-store -o file/m.gz bad.csv
	mkdir d
	fails_with 73 "hop-recall: cannot create 'd': Is a directory" \
		hop-recall -m missing.gz -o d bad.csv
	fails_with 73 "rnn-predict: cannot create 'file/w': Not a directory" \
		rnn-predict -m missing.gz --export file/w
	assert_dir_lists d
}

@test "fail fast: an -o file in a directory without write permission: 73" {
	[[ $(id -u) != 0 ]] || skip "root may write anywhere"
	mkdir ro
	chmod 555 ro
	fails_with 73 "hop-store: cannot create 'ro/m.gz': Permission denied" \
		hop-store -o ro/m.gz bad.csv
}

@test "fail fast: an existing file in a writable directory may be replaced, even read-only" {
	hop-store -q "$SEED/ex3-patterns.csv" > m.gz
	chmod 444 m.gz
	run hop-store -q -m m.gz -o m.gz "$SEED/ex3-patterns.csv"
	assert_success
	[[ $(stat -c %a m.gz) == 444 ]]
}

@test "fail fast: compressed data for a terminal: 64 before reading anything" {
	command -v script > /dev/null || skip "script(1) is not installed"
	run timeout 20 script -qec "hop-store $BATS_TEST_TMPDIR/bad.csv" /dev/null < /dev/null
	assert_equal "$status" 64
	assert_equal "${output//$'\r'/}" "hop-store: refusing to write compressed data to a terminal (use -o FILE, a redirection, or -f)"
	run timeout 20 script -qec "hop-recall -z -m missing.gz $BATS_TEST_TMPDIR/bad.csv" /dev/null < /dev/null
	assert_equal "$status" 64
	assert_equal "${output//$'\r'/}" "hop-recall: refusing to write compressed data to a terminal (use -o FILE, a redirection, or -f)"
}
