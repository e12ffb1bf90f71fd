#!/usr/bin/env bats
# Consistency across tools: --help and the man page's OPTIONS list the same
# options (tests/optcheck.sh TOOL PAGE), and shared options read the same.
# Run here for the memory tools. For another tool, add a test like the
# first three: `run -0 same_options rnn-train; assert_output ""`.

load test_helper

TOOLS="hop-store hop-recall bam-pair"     # the memory tools

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

@test "hop-store: --help and hop-store(1) list the same options" {
	run -0 same_options hop-store
	assert_output ""
}

@test "hop-recall: --help and hop-recall(1) list the same options" {
	run -0 same_options hop-recall
	assert_output ""
}

@test "bam-pair: --help and bam-pair(1) list the same options" {
	run -0 same_options bam-pair
	assert_output ""
}

@test "rnn-train: --help and rnn-train(1) list the same options" {
	run -0 same_options rnn-train
	assert_output ""
}

@test "rnn-predict: --help and rnn-predict(1) list the same options" {
	run -0 same_options rnn-predict
	assert_output ""
}

@test "optcheck.sh fails for an option missing from the page" {
	grep -v -e '^\.It Fl z' -e '^\.It Fl \\-encoding' "$REPO/man/man1/hop-store.1" > page.1
	run -1 "$BATS_TEST_DIRNAME/optcheck.sh" hop-store page.1
	assert_equal "$output" "in hop-store --help, not in the page: --encoding
in hop-store --help, not in the page: --gzip
in hop-store --help, not in the page: -z"
}

@test "optcheck.sh fails for an option missing from --help" {
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

@test "every memory page says -q keeps errors, and -z of a stream does nothing" {
	for t in $TOOLS; do
		run -0 entry "$REPO/man/man1/$t.1" "Fl q"
		assert_output --regexp '^No warnings.*errors are still reported\. $'
	done
	for t in hop-store bam-pair; do
		run -0 entry "$REPO/man/man1/$t.1" "Fl z"
		assert_output --partial "Accepted and ignored: the stream is always compressed."
	done
	# as rnn-train, the other tool that writes a weight stream, says it
	run -0 entry "$REPO/man/man1/rnn-train.1" "Fl z"
	assert_output --partial "Accepted and ignored: the model is always compressed."
}
