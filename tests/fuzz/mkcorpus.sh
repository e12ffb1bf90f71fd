#!/bin/sh
# mkcorpus.sh - (re)make the seed corpora of the fuzz targets in
# tests/fuzz/corpus/: valid inputs from the tools in BIN (default bin/)
# and the hostile inputs of issue 8, each small (the sanitized replay in
# `make check` runs them all). Usage: tests/fuzz/mkcorpus.sh [BIN]
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/bin}
c=$top/tests/fuzz/corpus
seed=$top/testdata/seed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$c"
mkdir -p "$c/csv" "$c/hop" "$c/bam" "$c/rnn" "$c/state" "$c/detect"

# csv: the first byte picks the options (fuzz_csv.c)
n=0
for f in "$seed"/ex3-patterns.csv "$seed"/ex3-probe.csv "$top"/testdata/ramp.csv \
         "$top"/testdata/series/monthly.csv; do
	n=$((n + 1))
	{ printf '\000'; head -c 4000 "$f"; } > "$c/csv/valid-$n"
done
{ printf '\020'; printf 'a;b\n1,5;2\n\n3;4\n'; } > "$c/csv/series-semicolon"
{ printf '\040'; printf 'x,y\n"1,5","2"\n'; } > "$c/csv/decimal-comma"
{ printf '\000'; printf '1,"'; head -c 70000 /dev/zero | tr '\0' a; printf '"\n'; } > "$c/csv/long-cell"
{ printf '\000'; printf '1,2\n1,x\001\033\r\ty\n'; } > "$c/csv/control-chars"
{ printf '\000'; printf '\357\273\2771,2\r\n3\n'; } > "$c/csv/bom-ragged"
{ printf '\000'; printf '1,"2\n'; } > "$c/csv/open-quote"

# a stream's body sealed with its trailer (as tests/test_helper.bash)
seal() {
	n=$(wc -c < "$1")
	cat "$1"
	printf RKCRC
	gzip -c < "$1" | tail -c 8 | head -c 4
	for i in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %03o $(((n >> (8 * i)) & 255)))"
	done
}

# hop: valid memories, then the hostile streams of tests/hostile.bats
# ex3 with W and patterns, as hop-store wrote hebb before (the hostile
# streams below edit its W line); ex3-patterns.raw as it writes it now
cp "$top/testdata/v1/hebb-ex3.gz" "$c/hop/ex3.gz"
gzip -dc "$c/hop/ex3.gz" > "$c/hop/ex3.raw"
"$bin/hop-store" -q "$seed/ex3-patterns.csv" | gzip -dc > "$c/hop/ex3-patterns.raw"
"$bin/hop-store" -q --no-patterns --rule storkey "$seed/ex3-patterns.csv" | gzip -dc > "$c/hop/storkey.raw"
hdr() { printf 'rnnkit-weights 1.0\nkind: hopfield\nneurons: %s\nrule: hebb\npatterns: 0\n' "$1"; }
{ hdr 6; echo 'tensor: W f64 6x6'; echo 'tensor: junk f64 268435456x1'; echo end; head -c 4096 /dev/zero; } | gzip > "$c/hop/bomb-2gib.gz"
{ hdr 6; for i in 1 2 3 4 5 6 7 8; do echo "tensor: t$i f64 1073741824x1"; done; echo end; } > "$c/hop/bomb-8gib"
{ hdr 32768; echo 'tensor: W f64 32768x32768'; echo end; head -c 4096 /dev/zero; } | gzip > "$c/hop/bomb-32768.gz"
{ hdr 32768; echo 'tensor: W f64 2x2'; echo end; } > "$c/hop/neurons-vs-w"
{ hdr 8000; echo 'tensor: W f64 8000x8000'; echo end; } > "$c/hop/short-big"
sed '1s/.*/rnnkit-weights 4294967297.0/' "$c/hop/ex3.raw" > "$c/hop/version-overflow"
sed '1s/.*/rnnkit-weights 1.-5/' "$c/hop/ex3.raw" > "$c/hop/version-negative"
sed '2s/$/\r/' "$c/hop/ex3.raw" > "$c/hop/cr"
h=$(grep -a -b -m1 -x end "$c/hop/ex3.raw" | cut -d: -f1)
h=$((h + 4))
{ head -c "$h" "$c/hop/ex3.raw" | sed '/^tensor: W /i kind: bam'; tail -c +$((h + 1)) "$c/hop/ex3.raw" | head -c -17; } > "$tmp/b"
seal "$tmp/b" > "$c/hop/kind-twice"
{ head -c "$h" "$c/hop/ex3.raw" | sed '/^tensor: W /i x: y\nx: y'; tail -c +$((h + 1)) "$c/hop/ex3.raw" | head -c -17; } > "$tmp/b"
seal "$tmp/b" > "$c/hop/key-twice"
head -c -17 "$c/hop/ex3.raw" > "$tmp/b"
printf '\0\0\0\0\0\0\370\177' | dd of="$tmp/b" bs=1 seek=$((h + 8)) conv=notrunc status=none
seal "$tmp/b" > "$c/hop/nan"
head -c 200 "$c/hop/ex3.raw" > "$c/hop/truncated"

# bam
"$bin/bam-pair" store -q --split 3 "$seed/ex3-patterns.csv" > "$c/bam/pairs.gz"
gzip -dc "$c/bam/pairs.gz" > "$c/bam/pairs.raw"
printf 'rnnkit-weights 1.0\nkind: bam\na-neurons: 100\nb-neurons: 100\nrule: hebb\npairs: 268435456\npairs-kept: yes\ntensor: W f64 100x100\ntensor: A bits 2x100\ntensor: B bits 2x100\nend\n' > "$c/bam/pairs-vs-a"
cp "$c/hop/ex3.raw" "$c/bam/a-hopfield"

# rnn
"$bin/rnn-train" -q --epochs 2 --hidden 3 --window 3 -o "$c/rnn/lstm.gz" "$top/testdata/ramp.csv" 2>/dev/null ||
	{ seq 30 | awk '{ print $1 % 5 }' > "$tmp/s.csv"; "$bin/rnn-train" -q --epochs 2 --hidden 3 --window 3 -o "$c/rnn/lstm.gz" "$tmp/s.csv"; }
seq 30 | awk '{ print $1 % 5 "," $1 % 3 }' > "$tmp/s2.csv"
"$bin/rnn-train" -q --cell gru --epochs 2 --hidden 2 --window 2 --val 0.3 -o "$c/rnn/gru-val.gz" "$tmp/s2.csv"
"$bin/rnn-train" -q --cell elman --epochs 2 --hidden 2 --window 2 --val 0.3 --checkpoint "$c/rnn/ckpt.gz" -o /dev/null "$tmp/s2.csv"
gzip -dc "$c/rnn/gru-val.gz" > "$c/rnn/gru-val.raw"
"$bin/rnn-train" -q --mode seq --epochs 2 --hidden 2 --bptt 3 -o "$c/rnn/seq.gz" "$tmp/s2.csv"
rnn() {
	printf 'rnnkit-weights 1.0\nkind: rnn\ncell: lstm\nactivation: tanh\ninputs: %s\nhidden: %s\nlayers: 1\noutputs: 1\nwindow: %s\nhorizon: 1\nscaling: zscore\ntarget-1: 1\n' "$1" "$2" "$3"
	G=$((4 * $2))
	printf 'tensor: weight_ih_l0 %s %sx%s\ntensor: weight_hh_l0 %s %sx%s\ntensor: bias_ih_l0 %s %sx1\ntensor: bias_hh_l0 %s %sx1\ntensor: fc.weight %s 1x%s\ntensor: fc.bias %s 1x1\ntensor: scale.shift f64 %sx1\ntensor: scale.scale f64 %sx1\nend\n' \
		"$4" $G "$1" "$4" $G "$2" "$4" $G "$4" $G "$4" "$2" "$4" "$1" "$1"
}
{ rnn 1 8192 4 bits; head -c 4096 /dev/zero; } | gzip > "$c/rnn/bits-8192.gz"
{ rnn 1 16384 4 bits; head -c 4096 /dev/zero; } | gzip > "$c/rnn/bits-16384.gz"
{ rnn 1 1024 4 bits; head -c 4096 /dev/zero; } | gzip > "$c/rnn/bits-1024.gz"
rnn 100000 1 1000000 f32 > "$c/rnn/ring"
# a text model (rnn-train --text): its vocabulary holds NUL, quote, comma
printf 'a,b"c\000d\n%.0s' $(seq 20) > "$tmp/t.txt"
"$bin/rnn-train" -q --text --hidden 2 --epochs 1 --val 0 -o "$c/rnn/text.gz" "$tmp/t.txt"
gzip -dc "$c/rnn/text.gz" > "$c/rnn/text.raw"

# state: rnn-predict --state files of a model of window 3, lag 1 and 2
# columns (fuzz_state.c), with and without a time column, and headers
# edited (then sealed again) to values out of range
awk -F, 'NR == 1 { print "month,a,b"; next } NR <= 30 { print $1 "," $2 "," NR % 5 }' \
	"$top/testdata/series/monthly.csv" > "$tmp/ab.csv"
"$bin/rnn-train" -q --epochs 1 --hidden 2 --window 4 --transform diff -o "$tmp/ab.gz" "$tmp/ab.csv"
head -n 3 "$tmp/ab.csv" | "$bin/rnn-predict" -m "$tmp/ab.gz" --state "$c/state/start.gz" > /dev/null
"$bin/rnn-predict" -m "$tmp/ab.gz" --state "$c/state/full.gz" "$tmp/ab.csv" > /dev/null
cut -d, -f2- "$tmp/ab.csv" > "$tmp/ab-notime.csv"
"$bin/rnn-predict" -m "$tmp/ab.gz" --state "$c/state/notime.gz" "$tmp/ab-notime.csv" > /dev/null
gzip -dc "$c/state/full.gz" > "$c/state/full.raw"
state_edit() {
	h=$(($(grep -a -b -m1 -x end "$c/state/full.raw" | cut -d: -f1) + 4))
	{ head -c $h "$c/state/full.raw" | sed "$2"
	  tail -c +$((h + 1)) "$c/state/full.raw" | head -c -17; } > "$tmp/body"
	seal "$tmp/body" > "$c/state/$1"
}
state_edit last-time-huge 's/^last-time: .*/last-time: 99999999999999999999 0 0 1 1 0 0 0 0/'
state_edit last-time-month 's/^last-time: \([-0-9]*\) [0-9]* /last-time: \1 5 /'
state_edit fields-zero 's/^column-fields: .*/column-fields: 0,1/'
state_edit fields-over 's/^column-fields: .*/column-fields: 2,9/'
state_edit fields-short 's/^column-fields: .*/column-fields: 2/'
state_edit time-fields-many 's/^time-fields: .*/time-fields: 1,2,3/'
state_edit counts 's/^seen: .*/seen: 18446744073709551615/'
state_edit version 's/^state-version: .*/state-version: 2/'
state_edit format 's/^time-format: .*/time-format: YYYY-MM-DDTHH/'
state_edit ring-shape 's/^tensor: ring f64 3x2/tensor: ring f64 2x3/'
# a sequence model's (mode seq: the hidden state, 2 lstm layers of 2)
"$bin/rnn-train" -q --mode seq --epochs 1 --hidden 2 --layers 2 --bptt 4 -o "$tmp/seq.gz" "$tmp/ab.csv"
head -n 3 "$tmp/ab.csv" | "$bin/rnn-predict" -m "$tmp/seq.gz" --state "$c/state/seq-start.gz" > /dev/null
"$bin/rnn-predict" -m "$tmp/seq.gz" --state "$c/state/seq-full.gz" "$tmp/ab.csv" > /dev/null

# detect: plain, gzip, two gzip members, other compressors, garbage
printf '1,2\n3,4\n' > "$c/detect/plain"
printf '1,2\n' | gzip > "$c/detect/gzip"
{ printf '1,2\n' | gzip; printf '3,4\n' | gzip; } > "$c/detect/gzip-members"
printf '1,2\n' | gzip | head -c 15 > "$c/detect/gzip-truncated"
printf '\375\067\172\130\132\000rest' > "$c/detect/xz"
printf '\050\265\057\375rest' > "$c/detect/zstd"
printf 'BZh9rest' > "$c/detect/bzip2"
printf '\037\213\010\000garbage' > "$c/detect/gzip-garbage"
cp "$c/hop/ex3.gz" "$c/detect/stream.gz"
: > "$c/detect/empty"
du -sh "$c"
