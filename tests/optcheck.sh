#!/bin/sh
# optcheck.sh TOOL PAGE: do TOOL --help and the OPTIONS section of the mdoc
# page PAGE list the same options? Prints both lists' differences and exits
# 1 if there are any, 0 if not, 2 on a usage error.
#
# --help: every line whose first field is an option, "  -x, --long..." or
# "      --long...", gives -x and --long (a tool's help may list an option
# twice, under two commands: counted once).
# Page: every ".It Fl ..." line between ".Sh OPTIONS" and the next ".Sh";
# each argument of Fl up to the next macro (Ns, Ar, Cm, ...) is a flag, so
# ".It Fl z , \-gzip" gives -z and --gzip, ".It Fl \-mode Ns = Ns Ar m"
# gives --mode, and ".It Fl h , Fl -help" gives -h and --help.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: optcheck.sh TOOL PAGE" >&2
	exit 2
fi
tool=$1 page=$2
[ -r "$page" ] || { echo "optcheck.sh: cannot read '$page'" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tool" --help | awk '
	/^ +-[A-Za-z],/ || /^ +--[a-z]/ {
		if (match($0, /^ +-[A-Za-z],/))
			print substr($0, RSTART + RLENGTH - 3, 2)
		if (match($0, /--[a-z][a-z0-9-]*/))
			print substr($0, RSTART, RLENGTH)
	}' | sort -u > "$tmp/help"

awk '
	/^\.Sh / { in_opts = ($2 == "OPTIONS"); next }
	in_opts && /^\.It +Fl / {
		gsub(/\\-/, "-")
		fl = 0
		for (i = 2; i <= NF; i++) {
			if ($i == "Fl") { fl = 1; continue }
			if ($i ~ /^[A-Z][a-z][a-z]?$/) { fl = 0; continue }
			if ($i == "," || $i == "|") continue
			if (fl) print "-" $i
		}
	}' "$page" | sort -u > "$tmp/page"

if [ ! -s "$tmp/help" ] || [ ! -s "$tmp/page" ]; then
	echo "optcheck.sh: no options found in $tool --help or $page" >&2
	exit 1
fi
if ! cmp -s "$tmp/help" "$tmp/page"; then
	comm -23 "$tmp/help" "$tmp/page" |
		awk -v p="in $tool --help, not in the page: " '{ print p $0 }'
	comm -13 "$tmp/help" "$tmp/page" |
		awk -v p="in $page, not in --help: " '{ print p $0 }' 
	exit 1
fi
