#!/bin/sh
# gen_kjv.sh - testdata/text/kjv-gospels-acts.txt.gz (testdata/README.md):
# the King James Version of the four Gospels and Acts, Matthew 1:1 to Acts
# 28:31, one verse a line without its reference, from the Debian packages
# bible-kjv (the `bible` reader) and bible-kjv-text (its data file,
# /usr/lib/bible.data). Deterministic (gzip -n); rerun from anywhere:
# sh scripts/gen_kjv.sh
# With --whole OUT: the whole Bible, Genesis 1:1 to Revelation 22:21
# (4137850 characters, 1.2 MB gzipped: too large for git), written to OUT
# the same way; scripts/bench-text.sh's TEXT_KJV=1 uses it.
set -eu
out=$(dirname "$0")/../testdata/text/kjv-gospels-acts.txt.gz
range=Mat1:1-Acts28:31
if [ "${1:-}" = --whole ]; then
	[ $# -eq 2 ] || { echo "usage: gen_kjv.sh [--whole OUT]" >&2; exit 64; }
	out=$2
	range=Gen1:1-Rev22:21
elif [ $# -ne 0 ]; then
	echo "usage: gen_kjv.sh [--whole OUT]" >&2
	exit 64
fi
if ! command -v bible >/dev/null 2>&1 || [ ! -r /usr/lib/bible.data ]; then
	echo "gen_kjv: needs the Debian packages bible-kjv and bible-kjv-text:" >&2
	echo "  sudo apt-get install -y bible-kjv bible-kjv-text" >&2
	exit 1
fi
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT INT TERM
# bible -f: no pretty-printing, one "Mat1:1 text" line per verse
bible -f "$range" </dev/null | sed 's/^[^ ]* //' | gzip -9n > "$tmp"
mv "$tmp" "$out"
