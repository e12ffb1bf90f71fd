#!/bin/sh
# gen_time_series.sh - the time-column test files of testdata/series/
# (testdata/README.md): the El Nino series with its dates put back, and a
# small synthetic daily series with a missing day. Deterministic; rerun
# from anywhere: sh scripts/gen_time_series.sh
set -eu
dir=$(dirname "$0")/../testdata/series

# row i (0-based) of elnino.csv is month i % 12 + 1 of year 1950 + i / 12
awk 'NR > 1 { i = NR - 2; printf "%04d-%02d,%s\n", 1950 + int(i / 12), i % 12 + 1, $0 }
     NR == 1 { print "month,sst" }' "$dir/elnino.csv" > "$dir/monthly.csv"
# the 1950s as year,month,sst (the month without a leading zero)
awk 'NR > 1 && NR <= 121 { i = NR - 2; printf "%d,%d,%s\n", 1950 + int(i / 12), i % 12 + 1, $0 }
     NR == 1 { print "year,month,sst" }' "$dir/elnino.csv" > "$dir/year-month.csv"
# 21 days of March 2024 but the 8th: a weekly pattern plus a slow rise
awk 'BEGIN {
	print "date,visitors"
	split("0 12 15 14 13 17 31 28", week, " ")
	for (d = 1; d <= 21; d++)
		if (d != 8)
			printf "2024-03-%02d,%d\n", d, 100 + week[(d + 4) % 7 + 2] + d
}' > "$dir/daily-gap.csv"
