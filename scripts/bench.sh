#!/bin/sh
# bench.sh - rnnkit against PyTorch and numpy on this machine (make bench).
# The speed figures in README.md come from the table this prints (and
# writes as markdown to build/bench.md).
#
# It installs the peers' Debian packages when it can (root or sudo),
# else prints the exact apt-get line and measures rnnkit alone; it says
# which BLAS numpy and torch run on, then runs scripts/bench_table.py.
# BENCH_ARGS passes options to it (--quick: smaller sizes, a trial run).
set -eu
cd "$(dirname "$0")/.."
py=/usr/bin/python3
# libopenblas0-pthread: Debian's torch and numpy call the generic BLAS
# (libblas.so.3); without it they run on the slow reference BLAS
# bible-kjv, bible-kjv-text: the whole King James Bible for bench-text.sh
pkgs="python3-torch python3-numpy python3-threadpoolctl libopenblas0-pthread time bible-kjv bible-kjv-text"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bench: installing:$missing" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing ||
			echo "bench: apt-get failed; measuring what is installed" >&2
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing ||
			echo "bench: apt-get failed; measuring what is installed" >&2
	else
		echo "bench: cannot install packages here; to compare with PyTorch and numpy, run:" >&2
		echo "  sudo apt-get install -y$missing" >&2
	fi
fi
[ -x $py ] || { echo "bench: needs $py" >&2; exit 1; }

echo "== machine =="
echo "$(uname -m), $(nproc) CPUs: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort -u | head -n 1)"
uptime
echo "== BLAS =="
for m in numpy torch; do
	if $py -c "import $m" 2>/dev/null; then
		$py scripts/bench_blas.py $m
	else
		echo "$m: not installed"
	fi
done
echo "== measuring (about 4 minutes; each figure the best of 3 short runs) =="
$py scripts/bench_table.py --bin bin --out build/bench.md ${BENCH_ARGS:-}
# many series, a model each: a sequential loop against GNU parallel
# (README, "Many series"); SERIES=1000 for the README's figure
echo
SERIES=${SERIES:-300} scripts/bench-parallel.sh
# character-level text against the Markov baseline and PyTorch (issue 10;
# about 9 minutes: TEXT_SECONDS=60 for a shorter run)
echo
scripts/bench-text.sh
