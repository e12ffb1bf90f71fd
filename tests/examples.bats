#!/usr/bin/env bats
# Documentation that runs: every example command of README.md and of the
# man pages, as printed, from the top of a source tree (a scratch directory
# whose testdata/ is the repository's), with the built tools first in PATH.
#
# What counts as an example, found anew on every run so that examples added
# later are covered too:
#   README.md   every code block: lines indented 4 spaces after a blank
#               line, or between ``` fences
#   man pages   in EXAMPLES, every .Dl line and .Bd -literal block; elsewhere
#               a .Dl line that starts with a tool's name
# A block runs as one bash script (set -e -o pipefail), so a command that
# fails fails the test. A block in transcript form ("$ command", "> "
# continuation lines, then what it prints) runs command by command and must
# print exactly what follows it (stdout and stderr together). The examples
# of one page run in order in one directory, as a reader would type them.
#
# Made bounded: "tail ... -f" runs without -f (the file is read once); a
# crontab line runs its command (the five time fields are dropped).
#
# Not run (each must still be found, so that this list stays true):
#   README.md   "make demo" block: installs packages, and "make check" would
#               run this very test again
#   rnn-predict.1  the Python block that saves a PyTorch model: Python with
#               a model object "net", not a shell command
#   README.md, rnn-train.1  "mpirun -np 4 --host a:2,b:2": two hosts
#               (tests/mpi.bats runs rnn-train under mpirun on this one)

load test_helper

# extract_readme FILE DIR, extract_man FILE DIR: DIR/NNN.sh, one per block
# ($-form blocks: DIR/NNN.tr, the transcript), DIR/NNN.src "FILE:LINE"
extract_readme() {
	awk -v dir="$2" -v name="$(basename "$1")" '
	function flush() {
		if (nl) {
			while (nl && buf[nl] == "") nl--
			emit()
		}
		nl = 0
	}
	function emit(   f, i) {
		n++
		f = sprintf("%s/%03d", dir, n)
		for (i = 1; i <= nl; i++)
			print buf[i] > (f (buf[1] ~ /^\$ / ? ".tr" : ".sh"))
		close(f ".tr"); close(f ".sh")
		print name ":" start > (f ".src")
		close(f ".src")
	}
	/^```/ { if (fence) { fence = 0; flush() } else { fence = 1; start = NR + 1 }; next }
	fence { buf[++nl] = $0; next }
	/^(    |\t)/ && (blank || nl) {
		if (!nl) start = NR
		sub(/^(    |\t)/, "")
		buf[++nl] = $0
		next
	}
	/^[ \t]*$/ { blank = 1; if (nl) buf[++nl] = ""; next }
	{ flush(); blank = 0 }
	END { flush() }
	' "$1"
}

extract_man() {
	awk -v dir="$2" -v name="$(basename "$1")" '
	function unesc(s) {
		gsub(/\\-/, "-", s); gsub(/\\\(dq/, "\"", s); gsub(/\\\(aq/, "'"'"'", s)
		gsub(/\\\(ti/, "~", s); gsub(/\\\(ha/, "^", s); gsub(/\\&/, "", s)
		gsub(/\\e/, "\\", s); gsub(/\\\\/, "\\", s)
		return s
	}
	function emit(   f, i) {
		n++
		f = sprintf("%s/%03d", dir, n)
		for (i = 1; i <= nl; i++)
			print buf[i] > (f (buf[1] ~ /^\$ / ? ".tr" : ".sh"))
		close(f ".tr"); close(f ".sh")
		print name ":" start > (f ".src")
		close(f ".src")
		nl = 0
	}
	/^\.Sh / { sec = $2; next }
	lit && /^\.Ed/ { lit = 0; if (nl) emit(); next }
	lit { if ($0 !~ /^\./) buf[++nl] = unesc($0); next }
	/^\.Bd -literal/ && sec == "EXAMPLES" { lit = 1; start = NR + 1; nl = 0; next }
	/^\.Dl / {
		s = unesc(substr($0, 5))
		if (sec == "EXAMPLES" || s ~ /^(rnn-train|rnn-predict|grad-check|hop-store|hop-recall|bam-pair) /) {
			start = NR; nl = 0; buf[++nl] = s; emit()
		}
	}
	' "$1"
}

# Why a block is not run, by its first line; empty: it runs.
skip_reason() {
	case "$1" in
	"make demo"*) echo "installs packages; make check would run this test again" ;;
	"import os, numpy as np") echo "Python with a PyTorch model object, not shell" ;;
	"mpirun -np 4 --host a:2,b:2 "*) echo "needs the hosts a and b; tests/mpi.bats runs mpirun" ;;
	esac
}

# bounded FILE: the block, with "tail ... -f" read once and crontab lines
# reduced to their command
bounded() {
	sed -E -e 's/^([0-9*][0-9*,\/-]*[ \t]+){5}//' \
	       -e '/(^|[|;&(][ \t]*)tail /s/ -f( |$)/\1/' "$1"
}

# plain_only: the pages are checked by the plain build; under the
# sanitizers the same code paths run in every other test, and the
# examples' trainings cost 10 to 30 times as much
plain_only() {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "examples run in the plain build"
}

# run_examples PAGE: run PAGE's examples; prints the number run
run_examples() {
	local page="$1" units="$BATS_TEST_TMPDIR/units" f src first why
	local -i ran=0
	mkdir -p "$units" "$BATS_TEST_TMPDIR/root"
	case "$page" in
	*.md) extract_readme "$REPO/$page" "$units" ;;
	*) extract_man "$REPO/$page" "$units" ;;
	esac
	ln -s "$REPO/testdata" "$BATS_TEST_TMPDIR/root/testdata"
	cd "$BATS_TEST_TMPDIR/root"
	for f in "$units"/*.src; do
		[[ -e "$f" ]] || break
		f="${f%.src}"
		src=$(cat "$f.src")
		if [[ -e "$f.sh" ]]; then
			first=$(head -1 "$f.sh")
			why=$(skip_reason "$first")
			if [[ -n "$why" ]]; then
				echo "# not run: $src: $first ($why)" >&3
				continue
			fi
			if grep -Eq '(^|[|;&(][ \t]*)tail [^|]*-f( |$)' "$f.sh" &&
			   ! grep -Eq 'tail [^|]*-n \+?[0-9]' "$f.sh"; then
				fail "$src: 'tail -f' without '-n +1' prints only the last 10 rows: $first"
				return 1
			fi
			run timeout 300 bash -e -o pipefail -c "$(bounded "$f.sh")" < /dev/null
			[[ "$status" == 0 ]] || {
				fail "$(printf '%s: exit %s from\n%s\n--- output:\n%s' "$src" "$status" "$(cat "$f.sh")" "$output")"
				return 1
			}
		else
			run_transcript "$src" "$f.tr" || return 1
		fi
		ran+=1
	done
	echo "$ran" > "$BATS_TEST_TMPDIR/ran"
	(( ran > 0 )) || { fail "$page: no examples found"; return 1; }
}

# run_transcript SRC FILE: "$ cmd" lines (with "> " continuations) and what
# each prints
run_transcript() {
	local src="$1" cmd="" want="" line
	local -a cmds=() wants=()
	while IFS= read -r line; do
		if [[ "$line" == '$ '* ]]; then
			[[ -n "$cmd" ]] && { cmds+=("$cmd"); wants+=("$want"); }
			cmd="${line#\$ }"
			want=""
		elif [[ "$line" == '> '* && -z "$want" ]]; then
			cmd+=$'\n'"${line#> }"
		else
			want+="${want:+$'\n'}$line"
		fi
	done < "$2"
	cmds+=("$cmd")
	wants+=("$want")
	local -i i
	for ((i = 0; i < ${#cmds[@]}; i++)); do
		run timeout 300 bash -e -o pipefail -c "${cmds[i]}" < /dev/null
		[[ "$status" == 0 ]] || {
			fail "$(printf '%s: exit %s from\n$ %s\n--- output:\n%s' "$src" "$status" "${cmds[i]}" "$output")"
			return 1
		}
		[[ "$output" == "${wants[i]}" ]] || {
			fail "$(printf '%s: $ %s\n--- printed:\n%s\n--- the page says:\n%s' "$src" "${cmds[i]}" "$output" "${wants[i]}")"
			return 1
		}
	done
}

@test "documentation that runs: README.md examples run" { plain_only; run_examples README.md; }
@test "documentation that runs: rnnkit(7) examples run" { plain_only; run_examples man/man7/rnnkit.7; }
@test "documentation that runs: rnnkit-weights(5) examples run" { plain_only; run_examples man/man5/rnnkit-weights.5; }
@test "documentation that runs: rnn-train(1) examples run" { plain_only; run_examples man/man1/rnn-train.1; }
@test "documentation that runs: rnn-predict(1) examples run" { plain_only; run_examples man/man1/rnn-predict.1; }
@test "documentation that runs: grad-check(1) examples run" { plain_only; run_examples man/man1/grad-check.1; }
@test "documentation that runs: hop-store(1) examples run" { plain_only; run_examples man/man1/hop-store.1; }
@test "documentation that runs: hop-recall(1) examples run" { plain_only; run_examples man/man1/hop-recall.1; }
@test "documentation that runs: bam-pair(1) examples run" { plain_only; run_examples man/man1/bam-pair.1; }

@test "documentation that runs: every man page's examples are run" {
	local p have
	have=$(grep -ho '^@test "documentation that runs: [^(]*([0-9])' "$BATS_TEST_FILENAME" | sed 's/^@test "documentation that runs: //' | sort)
	for p in "$REPO"/man/man[157]/*.[157]; do
		p=$(basename "$p")
		grep -qx "${p%.*}(${p##*.})" <<< "$have" || fail "no test runs the examples of $p"
	done
}

@test "documentation that runs: the extraction finds examples, the skipped blocks, and catches a failing one" {
	local d="$BATS_TEST_TMPDIR/x"
	mkdir "$d"
	extract_readme "$REPO/README.md" "$d"
	grep -l "^make demo" "$d"/*.sh > /dev/null ||
		fail "README.md: the skipped 'make demo' block is gone; update the list"
	rm -r "$d"; mkdir "$d"
	extract_man "$REPO/man/man1/rnn-predict.1" "$d"
	grep -lx 'import os, numpy as np' "$d"/*.sh > /dev/null ||
		fail "rnn-predict.1: the skipped Python block is gone; update the list"
	# a page whose example fails, or prints other than it says, fails
	mkdir -p "$BATS_TEST_TMPDIR/fake/man/man1"
	printf '%s\n' '.Sh EXAMPLES' '.Dl hop-store no-such-file.csv' > "$BATS_TEST_TMPDIR/fake/man/man1/bad.1"
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal' '$ echo 1' '2' '.Ed' > "$BATS_TEST_TMPDIR/fake/man/man1/bad2.1"
	REPO="$BATS_TEST_TMPDIR/fake"
	run -1 run_examples man/man1/bad.1
	[[ "$output" == *"bad.1:2: exit 66 from"* ]] || fail "$output"
	rm -r "$BATS_TEST_TMPDIR/units" "$BATS_TEST_TMPDIR/root"
	run -1 run_examples man/man1/bad2.1
	[[ "$output" == *"the page says:"* ]] || fail "$output"
}
