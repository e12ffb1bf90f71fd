#!/bin/sh
# bench-mpi.sh - rnn-train over MPI ranks (README, "Scaling"): the peak
# memory of each rank at np 1 and 2 on a long series, and seconds per
# epoch at np 1 and 2 (and one process on 2 threads), with the load
# average beside each figure: measure on a quiet machine.
#
# usage: scripts/bench-mpi.sh [DIR]
#   DIR holds an rnn-train built with MPI (default build/mpicheck: make
#   mpi-bin; or build/mpi/bin: make MPI=1). Needs mpirun and /usr/bin/time
#   (make deps). Takes a few minutes.
set -eu
dir=${1:-build/mpicheck}
bin=$(cd "$dir" && pwd)/rnn-train
[ -x "$bin" ] || { echo "bench-mpi: no $bin (make mpi-bin)" >&2; exit 1; }
mpirun=mpirun
[ "$(id -u)" = 0 ] && mpirun="mpirun --allow-run-as-root"
mpirun="$mpirun --oversubscribe"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# 200,000 rows of one column (and of 8 for the wide case): two sines and
# a little noise from a Lehmer generator (exact in awk's doubles), the same every time
awk 'BEGIN { s = 1; print "y"; for (i = 0; i < 200000; i++) {
	s = (s * 16807) % 2147483647
	printf "%.5f\n", sin(i * 0.05) + 0.3 * sin(i * 0.011) + 0.1 * (s / 2147483647 - 0.5) } }' > long.csv
awk 'BEGIN { s = 7; printf "c0"; for (j = 1; j < 8; j++) printf ",c%d", j; print ""
	for (i = 0; i < 200000; i++) { for (j = 0; j < 8; j++) {
		s = (s * 16807) % 2147483647
		printf "%s%.5f", j ? "," : "", sin(i * 0.05 * (j + 1)) + 0.1 * (s / 2147483647 - 0.5) }
	print "" } }' > wide.csv

echo "== peak memory (RSS) per rank: hidden 8, window 64, batch 64, 1 epoch =="
mem="-q --ensemble 1 --hidden 8 --window 64 --batch 64 --epochs 1 --threads 1"
for f in long wide; do
	/usr/bin/time -f "$f.csv np 1: %M KB" "$bin" $mem -o m.gz $f.csv
	$mpirun -np 2 sh -c '/usr/bin/time -f "'$f'.csv np 2, rank $OMPI_COMM_WORLD_RANK: %M KB" "$@"' \
		sh "$bin" $mem -o m.gz $f.csv
	echo "  (load $(load))"
done

echo "== peak memory (RSS) per rank, --mode seq: hidden 8, bptt 64, batch 64, 1 epoch =="
mem="-q --ensemble 1 --hidden 8 --mode seq --bptt 64 --batch 64 --epochs 1 --threads 1"
for f in long wide; do
	/usr/bin/time -f "$f.csv np 1: %M KB" "$bin" $mem -o m.gz $f.csv
	$mpirun -np 2 sh -c '/usr/bin/time -f "'$f'.csv np 2, rank $OMPI_COMM_WORLD_RANK: %M KB" "$@"' \
		sh "$bin" $mem -o m.gz $f.csv
	echo "  (load $(load))"
done

echo "== seconds per epoch: lstm, hidden 128, window 64, batch 64, 3,936 windows =="
head -n 4985 long.csv > speed.csv
spd="-q --ensemble 1 --cell lstm --hidden 128 --window 64 --batch 64 --epochs 3 --seed 1"
# best epoch of 3 runs of 3 epochs, from --log's seconds
best() {
	b=
	for run in 1 2 3; do
		rm -f s.log
		"$@" --log s.log -o s.gz speed.csv
		for t in $(tail -n +2 s.log | cut -d, -f5); do
			b=$(echo "$t ${b:-$t}" | awk '{ print $1 < $2 ? $1 : $2 }')
		done
	done
	echo "$b"
}
one=$(best "$bin" $spd --threads 1)
echo "one process:              $one s/epoch (load $(load))"
two=$(best $mpirun -np 2 "$bin" $spd --threads 1)
echo "mpirun -np 2:             $two s/epoch, speed-up $(echo "$one $two" | awk '{ printf "%.2f", $1 / $2 }') (load $(load))"
thr=$(best "$bin" $spd --threads 2)
echo "one process, --threads 2: $thr s/epoch, speed-up $(echo "$one $thr" | awk '{ printf "%.2f", $1 / $2 }') (load $(load))"
