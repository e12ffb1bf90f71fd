# test_helper.bash - loaded by every tests/*.bats file (`load test_helper`).
#
# Puts the tools under test first in PATH (RNNKIT_BIN, default <repo>/bin:
# `make check` points it at bin/ and then at the sanitizer build), sets
# TESTDATA, and clears the environment the tools could depend on. On a
# failing test, teardown prints the last `run` command with its status,
# stdout and stderr.

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
RNNKIT_BIN="${RNNKIT_BIN:-$REPO/bin}"
PATH="$RNNKIT_BIN:$PATH"
TESTDATA="$REPO/testdata"
SEED="$TESTDATA/seed"
export REPO RNNKIT_BIN PATH TESTDATA SEED

# Same behaviour whatever the caller's locale and settings.
unset LC_ALL LANG LANGUAGE LC_CTYPE LC_NUMERIC LC_COLLATE LC_MESSAGES \
      LC_TIME LC_MONETARY GZIP POSIXLY_CORRECT TMPDIR
export LC_ALL=C

# On failure: what was run last, and everything it printed.
rk_teardown() {
	if [[ -z "${BATS_TEST_COMPLETED:-}" && -n "${BATS_RUN_COMMAND:-}" ]]; then
		echo "last run: $BATS_RUN_COMMAND (status=${status:-?})"
		echo "--- stdout:"
		printf '%s\n' "${output:-}"
		echo "--- stderr:"
		printf '%s\n' "${stderr:-}"
	fi
}
teardown() { rk_teardown; }

# fails_with STATUS MESSAGE CMD...: exit STATUS, nothing on stdout, exactly
# the one line MESSAGE on stderr
fails_with() {
	local want_status="$1" want="$2"
	shift 2
	run --separate-stderr "$@"
	assert_equal "$status" "$want_status"
	assert_equal "$output" ""
	assert_equal "$stderr" "$want"
}

# flip_byte FILE OFFSET: invert every bit of the byte at OFFSET (0-based).
flip_byte() {
	local v
	v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	[[ -n "$v" ]] || { echo "flip_byte: $1 has no byte $2" >&2; return 1; }
	printf "\\$(printf %03o $((v ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# ws_header STREAM: the decompressed header lines, magic to "end".
ws_header() {
	gzip -dc -f "$1" | sed -n '1,/^end$/p' | sed '/^end$/q'
}

# ws_header_bytes STREAM: the header's length in bytes, "end\n" included.
ws_header_bytes() {
	local off
	off=$(gzip -dc -f "$1" | grep -a -b -m1 -x 'end' | cut -d: -f1)
	echo $((off + 4))
}

# ws_data STREAM: the tensor bytes, without header and 17-byte trailer.
ws_data() {
	local h
	h=$(ws_header_bytes "$1")
	gzip -dc -f "$1" | tail -c +$((h + 1)) | head -c -17
}

# ws_seal BODY: BODY (a decompressed stream without its trailer) followed
# by a valid trailer: "RKCRC", crc32 (LE, as gzip's own trailer has it) and
# the length (8 bytes LE). For hand-made streams that pass the checksum.
ws_seal() {
	local n i
	n=$(wc -c < "$1")
	cat "$1"
	printf RKCRC
	gzip -c < "$1" | tail -c 8 | head -c 4
	for i in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %03o $(((n >> (8 * i)) & 255)))"
	done
}

# ws_w_csv STREAM ROWS COLS: the first tensor (f64, W) as CSV rows, through
# od, so independent of the tools' own formatting (%g-like: exact for
# integers, about 7 digits otherwise).
ws_w_csv() {
	ws_data "$1" | head -c $(($2 * $3 * 8)) | od -An -v -tf8 -w$(($3 * 8)) |
		awk '{ for (i = 1; i <= NF; i++) printf "%s%s", $i + 0, i < NF ? "," : "\n" }'
}

# assert_file_equal EXPECTED ACTUAL: text files, diff -u on failure.
assert_file_equal() {
	diff -u "$1" "$2" || fail "$2 differs from $1"
}

# assert_dir_lists DIR NAME...: DIR holds exactly these files.
assert_dir_lists() {
	local dir="$1"
	shift
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(cd "$dir" && ls -A | sort)
	[[ "$got" == "$want" ]] ||
		fail "$(printf 'files in %s:\n%s\nexpected:\n%s' "$dir" "$got" "$want")"
}

# usage_fails MESSAGE CMD...: exit 64, stdout empty, MESSAGE then the hint
usage_fails() {
	local want="$1" prog="$2"
	shift
	run --separate-stderr "$@"
	assert_equal "$status" 64
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "$want"
	assert_equal "${stderr_lines[1]}" "Try '$prog --help' for more information."
}
