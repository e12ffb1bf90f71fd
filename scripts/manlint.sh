#!/bin/sh
# manlint.sh - render each man page with groff and fail on any warning.
status=0
for f in "$@"; do
	out=$(groff -ww -mandoc -z "$f" 2>&1)
	if [ -n "$out" ]; then
		echo "manlint: $f:" >&2
		echo "$out" >&2
		status=1
	fi
done
[ $status = 0 ] && echo "manlint: $# pages clean"
exit $status
