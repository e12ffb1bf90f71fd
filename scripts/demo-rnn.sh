#!/bin/sh
# demo-rnn.sh - the forecasting half of `make demo`: train an LSTM on the
# bundled El Nino series (all but the last year), forecast that year, and
# compare with what happened.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
series=testdata/series/elnino.csv
n=$(($(wc -l < "$series") - 1))
head -n $((n - 11)) "$series" > "$tmp/train.csv"
tail -n 12 "$series" > "$tmp/actual.csv"

echo "== rnn-train: an LSTM learns monthly sea surface temperature (Nino 1+2, NOAA)"
echo "   rnn-train --cell lstm --hidden 32 --window 24 --epochs 40 --val 0.1 train.csv > model.gz"
rnn-train --cell lstm --hidden 32 --window 24 --epochs 40 --val 0.1 "$tmp/train.csv" \
	> "$tmp/model.gz" 2> "$tmp/progress"
sed -n '1,3p' "$tmp/progress"; echo "   ..."; tail -n 2 "$tmp/progress"
echo
echo "== the model is a gzip stream with a readable header: zcat model.gz | head"
gzip -dc "$tmp/model.gz" | sed -n '1,12p'
echo
echo "== rnn-predict --forecast 12: the last year, from the years before"
rnn-predict -m "$tmp/model.gz" --forecast 12 "$tmp/train.csv" > "$tmp/forecast.csv"
echo "month  forecast  actual   naive (last value)"
last=$(tail -n 1 "$tmp/train.csv")
tail -n +2 "$tmp/forecast.csv" | paste -d, - "$tmp/actual.csv" |
	awk -F, -v last="$last" '{ printf "%5d  %8.2f  %6.2f   %6.2f\n", NR, $1, $2, last
		e += ($1 - $2) ^ 2; en += (last - $2) ^ 2 }
		END { printf "RMSE   %8.3f           %6.3f\n", sqrt(e / NR), sqrt(en / NR) }'
