#!/bin/sh
# forecast-eval.sh - hold out the last 20% of a one-column series, train on
# the rest, and compare the net with naive forecasts on the holdout.
#
# usage: scripts/forecast-eval.sh SERIES.csv PERIOD [rnn-train options]
# prints one CSV row (with a header):
#   onestep_rmse    one-step predictions over the holdout (true history)
#   seasonal_rmse   seasonal naive: y[t] = y[t - PERIOD]
#   forecast_rmse   rnn-predict --forecast over the whole holdout
#   naive_rmse      naive forecast: the last training value, repeated
# The tools are taken from PATH (make check puts bin/ first).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 SERIES.csv PERIOD [rnn-train options]" >&2; exit 64; }
series=$1 period=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(($(wc -l < "$series") - 1))
split=$((n * 8 / 10))
head -n $((split + 1)) "$series" > "$tmp/train.csv"
tail -n +2 "$series" > "$tmp/all.csv"
rnn-train -q "$@" "$tmp/train.csv" > "$tmp/model.gz"
# one-step: the predictions for the holdout rows, each from the window
# before it in the whole series (the last one is past the end)
rnn-predict -m "$tmp/model.gz" "$series" | tail -n +2 | head -n -1 |
	tail -n $((n - split)) > "$tmp/onestep.csv"
rnn-predict -m "$tmp/model.gz" --forecast $((n - split)) "$tmp/train.csv" | tail -n +2 > "$tmp/forecast.csv"
awk -F, -v s="$split" -v p="$period" '
FILENAME == ARGV[1] { y[++n] = $1; next }
FILENAME == ARGV[2] { a[++na] = $1; next }
                    { f[++nf] = $1 }
END {
	for (i = s + 1; i <= n; i++) {
		k = i - s
		e1 += (a[k] - y[i]) ^ 2; es += (y[i - p] - y[i]) ^ 2
		ef += (f[k] - y[i]) ^ 2; en += (y[s] - y[i]) ^ 2
	}
	m = n - s
	if (na != m || nf != m) { print "forecast-eval: wrong prediction count" > "/dev/stderr"; exit 70 }
	print "onestep_rmse,seasonal_rmse,forecast_rmse,naive_rmse"
	printf "%.6f,%.6f,%.6f,%.6f\n", sqrt(e1 / m), sqrt(es / m), sqrt(ef / m), sqrt(en / m)
}' "$tmp/all.csv" "$tmp/onestep.csv" "$tmp/forecast.csv"
