#!/usr/bin/env bats
# Consistency across tools: --help and the man page's OPTIONS list the same
# options (tests/optcheck.sh TOOL PAGE), and shared options read the same.
# Run for every tool.

load test_helper

TOOLS="rnn-train rnn-predict grad-check hop-store hop-recall bam-pair"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# same_options TOOL: --help and man/man1/TOOL.1 agree
same_options() {
	"$BATS_TEST_DIRNAME/optcheck.sh" "$1" "$REPO/man/man1/$1.1"
}

# entry PAGE OPTION: the text of the OPTIONS entry whose .It line names
# OPTION (e.g. "Fl q"), joined into one line
entry() {
	awk -v opt="$2" '
		/^\.Sh / { in_opts = ($2 == "OPTIONS"); next }
		in_opts && /^\.It / { on = index($0, ".It " opt " ") == 1; next }
		in_opts && /^\.El/ { on = 0 }
		in_opts && on { printf "%s ", $0 }' "$1"
}

@test "consistency: rnn-train: --help and rnn-train(1) list the same options" {
	run -0 same_options rnn-train
	assert_output ""
}

@test "consistency: rnn-predict: --help and rnn-predict(1) list the same options" {
	run -0 same_options rnn-predict
	assert_output ""
}

@test "consistency: grad-check: --help and grad-check(1) list the same options" {
	run -0 same_options grad-check
	assert_output ""
}

@test "consistency: hop-store: --help and hop-store(1) list the same options" {
	run -0 same_options hop-store
	assert_output ""
}

@test "consistency: hop-recall: --help and hop-recall(1) list the same options" {
	run -0 same_options hop-recall
	assert_output ""
}

@test "consistency: bam-pair: --help and bam-pair(1) list the same options" {
	run -0 same_options bam-pair
	assert_output ""
}

@test "consistency: optcheck.sh fails for an option missing from the page" {
	grep -v -e '^\.It Fl z' -e '^\.It Fl \\-encoding' "$REPO/man/man1/hop-store.1" > page.1
	run -1 "$BATS_TEST_DIRNAME/optcheck.sh" hop-store page.1
	assert_equal "$output" "in hop-store --help, not in the page: --encoding
in hop-store --help, not in the page: --gzip
in hop-store --help, not in the page: -z"
}

@test "consistency: optcheck.sh fails for an option missing from --help" {
	mkdir fake
	# the real tool by its path: fake/ comes first in PATH
	printf '#!/bin/sh\n"%s/hop-recall" --help | grep -v -e --seed -e -t,\n' \
		"$RNNKIT_BIN" > fake/hop-recall
	chmod +x fake/hop-recall
	PATH="$PWD/fake:$PATH" run -1 "$BATS_TEST_DIRNAME/optcheck.sh" hop-recall "$REPO/man/man1/hop-recall.1"
	assert_equal "$output" "in $REPO/man/man1/hop-recall.1, not in --help: --seed
in $REPO/man/man1/hop-recall.1, not in --help: --trace
in $REPO/man/man1/hop-recall.1, not in --help: -t"
}

@test "consistency: -q means the same in every tool: errors only, and -z of a stream does nothing" {
	for t in $TOOLS; do
		run -0 entry "$REPO/man/man1/$t.1" "Fl q"
		assert_output --regexp '^Standard error carries errors only: no warnings.*errors are still reported'
		run -0 "$t" --help
		assert_output --partial "  -q, --quiet          errors only on standard error: no warnings or"
	done
	for t in hop-store bam-pair; do
		run -0 entry "$REPO/man/man1/$t.1" "Fl z"
		assert_output --partial "Accepted and ignored: the stream is always compressed."
	done
	# as rnn-train, the other tool that writes a weight stream, says it
	run -0 entry "$REPO/man/man1/rnn-train.1" "Fl z"
	assert_output --partial "Accepted and ignored: the model is always compressed."
}

@test "consistency: -q means the same in every tool: the warning goes, the output stays" {
	printf 'name,v\n' > t.csv
	for i in $(seq 1 20); do echo "a$i,$i" >> t.csv; done
	printf 'name,v\na,1\nb,NA\nc,3\nd,4\ne,5\n' > gap.csv
	# each command warns without -q (checked), and says nothing with it
	quiet_check() {
		run --separate-stderr "$@"
		assert_success
		[[ "$stderr" == *"warning: "* ]] || fail "no warning from $*: $stderr"
		want=$output
		run --separate-stderr "$@" -q
		assert_success
		assert_equal "$stderr" ""
		assert_equal "$output" "$want"
	}
	rnn-train -q --epochs 1 --window 3 -o r.gz t.csv
	quiet_check rnn-train --epochs 1 --window 3 -o q.gz t.csv
	quiet_check rnn-predict -m r.gz --missing drop gap.csv
	quiet_check hop-store -o m.gz "$SEED/ex3-patterns.csv"
	echo 1,0,0,0,0,0 > part.csv
	quiet_check hop-recall -m m.gz --encoding pm1 part.csv
	bam-pair store -q --split 3 "$SEED/ex4-pairs.csv" > b.gz
	echo 0,0,0 > a.csv
	quiet_check bam-pair recall -m b.gz --encoding pm1 a.csv
}
