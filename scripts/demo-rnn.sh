#!/bin/sh
# demo-rnn.sh - the forecasting half of `make demo`: train with every
# default on the bundled El Nino series (all but the last year), forecast
# that year with 80% intervals, compare with what happened and with the
# naive forecasts, score the one-step predictions, and, for learners,
# trace a net of two units computed step by step (the seed notes' Elman
# example).
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
series=testdata/series/elnino.csv
n=$(($(wc -l < "$series") - 1))
head -n $((n - 11)) "$series" > "$tmp/train.csv"
tail -n 12 "$series" > "$tmp/actual.csv"

echo "== rnn-train train.csv > model.gz: monthly sea surface temperature (Nino 1+2,"
echo "   NOAA), every choice made from the data and said on stderr"
rnn-train "$tmp/train.csv" > "$tmp/model.gz" 2> "$tmp/progress"
sed 's/^/   /' "$tmp/progress"
echo
echo "== the model is a gzip stream with a readable header: zcat model.gz | head"
gzip -dc "$tmp/model.gz" | sed -n '1,12p' | sed 's/^/   /'
echo
echo "== rnn-predict --forecast 12 --interval 80: the last year, from the years before"
rnn-predict -m "$tmp/model.gz" --forecast 12 --interval 80 "$tmp/train.csv" > "$tmp/forecast.csv"
# the naive forecasts: the last value, and the same month a year before
last=$(tail -n 1 "$tmp/train.csv")
tail -n 12 "$tmp/train.csv" > "$tmp/lastyear"
echo "   month  forecast  80% interval    actual  same month  last value"
echo "                                            a year ago"
tail -n +2 "$tmp/forecast.csv" | paste -d, - "$tmp/actual.csv" "$tmp/lastyear" |
	awk -F, -v last="$last" '{ printf "   %5d  %8.2f  %5.2f .. %5.2f  %6.2f  %10.2f  %10.2f\n",
		NR, $1, $2, $3, $4, $5, last
		e += ($1 - $4) ^ 2; es += ($5 - $4) ^ 2; en += (last - $4) ^ 2
		in80 += $2 <= $4 && $4 <= $3 }
	END { printf "   RMSE   %8.3f                          %10.3f  %10.3f\n", sqrt(e / NR), sqrt(es / NR), sqrt(en / NR)
		printf "   the 80%% intervals hold %d of the %d months\n", in80, NR }'
echo
echo "== rnn-predict --score train.csv: one step ahead over the training years"
rnn-predict -m "$tmp/model.gz" --score "$tmp/train.csv" | sed 's/^/   /'
echo
echo "== rnn-predict --trace: an Elman net of two sigmoid units, h_t = f(w x_t + u h_t-1 + b),"
echo "   its weights written by hand as CSV tensors (testdata/seed/rnn002)"
rnn-predict --import testdata/seed/rnn002 --trace testdata/seed/rnn002/x.csv 2>&1 > /dev/null |
	sed 's/^/   /'
