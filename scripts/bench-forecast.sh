#!/bin/sh
# bench-forecast.sh - rnnkit's forecasting recipe against last value,
# seasonal naive, mean, statsmodels ETS and ARIMA on public series that ship
# with Debian's python3-statsmodels (make bench-forecast; not part of make
# check). The "Forecasting benchmark" table in README.md comes from this
# script's output. Arguments go to scripts/bench_forecast.py (-k keeps the
# scratch files, --series NAME,... runs a few, --seed N).
set -eu
cd "$(dirname "$0")/.."
py=/usr/bin/python3
if ! $py -c 'import statsmodels, numpy' 2>/dev/null; then
	echo "bench-forecast: needs Debian's statsmodels: apt-get install python3-statsmodels" >&2
	exit 69
fi
PATH=$PWD/bin:$PATH exec $py scripts/bench_forecast.py "$@"
