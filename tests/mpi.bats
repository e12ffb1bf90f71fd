#!/usr/bin/env bats
# Data-parallel training with Open MPI (rnn-train(1), "MPI"): rank 0
# alone reads the data and deals each rank the windows of its fixed block
# of each minibatch's shards (--mode seq: the rows of its block of streams
# of each chunk, their state allgathered; --text likewise); the ranks
# allgather their shard gradients and losses and sum them in shard order
# as one process does, so the model of mpirun -np N is the one-process
# model byte for byte, apart from its header's "ranks: N" line. Needs mpirun and rnn-train built
# with MPI in RNNKIT_MPI_BIN: make check and make bats build it
# (make mpi-bin: build/mpicheck) and set it; make MPI=1 builds
# build/mpi/bin.

load test_helper

setup() {
	if [[ -n "${RNNKIT_SANITIZED:-}" ]]; then
		skip "the MPI tests run in the plain build only"
	fi
	if ! command -v mpirun >/dev/null; then
		skip "no mpirun (Debian: openmpi-bin)"
	fi
	if [[ -z "${RNNKIT_MPI_BIN:-}" || ! -x "$RNNKIT_MPI_BIN/rnn-train" ]]; then
		skip "no rnn-train built with MPI in RNNKIT_MPI_BIN (make mpi-bin)"
	fi
	cd "$BATS_TEST_TMPDIR"
	head -n 201 "$TESTDATA/series/elnino.csv" > s.csv
	MPIRUN=(mpirun --oversubscribe)
	if [[ $(id -u) == 0 ]]; then MPIRUN+=(--allow-run-as-root); fi
	COMMON=(-q --ensemble 1 --hidden 6 --window 6 --epochs 3 --seed 3)
}

# mpi_train NP OUT ARGS...: the MPI build of rnn-train on NP ranks
mpi_train() {
	local np="$1" out="$2"
	shift 2
	"${MPIRUN[@]}" -np "$np" "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" "$@" -o "$out" s.csv
}

# same_but_ranks ONE MANY N: MANY is ONE with "ranks: N" added to the header
same_but_ranks() {
	ws_header "$1" > h1
	ws_header "$2" | grep -v '^ranks: ' > h2
	assert_file_equal h1 h2
	run -0 grep -c -x "ranks: $3" <(ws_header "$2")
	assert_output 1
	cmp <(ws_data "$1") <(ws_data "$2")
}

# same_for_ranks NAME ARGS...: one process, then 2 and 4 ranks
same_for_ranks() {
	local name="$1" np
	shift
	rnn-train "${COMMON[@]}" "$@" -o "$name.1.gz" s.csv
	for np in 2 4; do
		mpi_train $np "$name.$np.gz" "$@"
		same_but_ranks "$name.1.gz" "$name.$np.gz" $np
	done
}

@test "mpi: lstm with validation and early stopping, 2 and 4 ranks give the one-process model" {
	# batch 64: 4 shards of 16; the last batch of an epoch (out of 155
	# windows) 27 windows, 2 shards, so 2 of 4 ranks have none
	same_for_ranks lstm --batch 64 --patience 2
	# and the ranks did not all train alone: a model differs by its seed
	rnn-train "${COMMON[@]}" --batch 64 --patience 2 --seed 4 -o other.gz s.csv
	run ! cmp -s <(ws_data lstm.1.gz) <(ws_data other.gz)
}

@test "mpi: 2-layer gru with dropout, bptt and threads, 3 shards over 2 and 4 ranks" {
	same_for_ranks gru --cell gru --layers 2 --dropout 0.2 --bptt 4 --batch 40 --threads 2
}

@test "mpi: --mode seq, 3 shards of streams over 2 and 4 ranks give the one-process model" {
	# 2 layers of lstm, the state of each rank's streams carried from
	# chunk to chunk (and sent to the others: rnn_seq_step_grad)
	COMMON=(-q --ensemble 1 --hidden 6 --epochs 3 --seed 3 --mode seq)
	same_for_ranks seq --cell lstm --layers 2 --bptt 8 --batch 40 --threads 2
}

@test "mpi: --mode seq from standard input, which only rank 0 gets: 2-layer gru, dropout, validation on 3 ranks" {
	# rank 0 alone reads; each chunk's streams are dealt out (20 streams,
	# 2 shards: rank 2 has none), the dropout masks keyed by the stream
	COMMON=(-q --ensemble 1 --hidden 6 --epochs 3 --seed 5 --mode seq)
	head -n 301 "$TESTDATA/series/elnino.csv" > s.csv
	local a=(--cell gru --layers 2 --dropout 0.2 --bptt 6 --batch 20 --patience 2)
	rnn-train "${COMMON[@]}" "${a[@]}" --log one.log -o one.gz < s.csv
	"${MPIRUN[@]}" -np 3 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" "${a[@]}" --log three.log -o three.gz < s.csv
	same_but_ranks one.gz three.gz 3
	# the losses of every epoch, validation's too (rank 0 computes it)
	cut -d, -f1-4 one.log > l1
	cut -d, -f1-4 three.log > l3
	assert_file_equal l1 l3
	run -0 grep -c -E '^[0-9]+,[0-9.e-]+,[0-9.e-]+,' l1
	assert_output 3
}

@test "mpi: the MPI build alone, without mpirun, writes the plain build's model" {
	rnn-train "${COMMON[@]}" --cell elman -o plain.gz s.csv
	"$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --cell elman -o mpi.gz s.csv
	cmp plain.gz mpi.gz
	run -1 grep -c '^ranks:' <(ws_header mpi.gz)
}

@test "mpi: rank 0 alone writes the log and the checkpoint, as one process does" {
	rnn-train "${COMMON[@]}" --batch 64 --log one.log --checkpoint one.ckpt -o one.gz s.csv
	mpi_train 2 two.gz --batch 64 --log two.log --checkpoint two.ckpt
	same_but_ranks one.gz two.gz 2
	same_but_ranks one.ckpt two.ckpt 2
	# the seconds column aside, the same log, written once
	cut -d, -f1-4 one.log > l1
	cut -d, -f1-4 two.log > l2
	assert_file_equal l1 l2
	assert_dir_lists . h1 h2 l1 l2 one.ckpt one.gz one.log s.csv two.ckpt two.gz two.log
}

@test "mpi: --ensemble > 1 on N > 1 ranks is a usage error" {
	run --separate-stderr mpi_train 2 e.gz --ensemble 3
	assert_equal "$status" 64
	assert_equal "$output" ""
	[[ "$stderr" == *"rnn-train: --ensemble 3: MPI processes train one net together (--ensemble 1); train an ensemble with one rnn-train"* ]]
	[[ ! -e e.gz ]]
}

@test "mpi: the model to standard output on N > 1 ranks is a usage error" {
	run --separate-stderr "${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" s.csv
	assert_equal "$status" 64
	assert_equal "$output" ""
	[[ "$stderr" == *"rnn-train: MPI processes write the model with -o FILE (mpirun passes standard output through a terminal)"* ]]
}

@test "mpi: --text on 2 and 3 ranks gives the one-process model, its checkpoint and its log" {
	# the text as a data source (fit.h): rank 0 alone reads it, deals
	# each rank its streams' one-hot chunks and scores the held-out part
	gzip -dc "$TESTDATA/text/kjv-gospels-acts.txt.gz" | head -c 12000 > t.txt
	local a=(-q --text --hidden 12 --layers 2 --dropout 0.2 --batch 12 --bptt 16 --epochs 3 --seed 5
		--lr-decay 0.5 --threads 2)
	rnn-train "${a[@]}" --checkpoint one.ckpt --log one.log -o one.gz t.txt
	for np in 2 3; do
		"${MPIRUN[@]}" -np $np "$RNNKIT_MPI_BIN/rnn-train" "${a[@]}" --checkpoint $np.ckpt \
			--log $np.log -o $np.gz t.txt
		same_but_ranks one.gz $np.gz $np
		same_but_ranks one.ckpt $np.ckpt $np
		cmp <(cut -d, -f1-4 one.log) <(cut -d, -f1-4 $np.log)
	done
	# and the ranks did not all train alone: a model differs by its seed
	rnn-train "${a[@]}" --seed 6 -o other.gz t.txt
	run ! cmp -s <(ws_data one.gz) <(ws_data other.gz)
}

@test "mpi: a rank that fails in training ends the job with its status, no model written" {
	# divergence is found after MPI has started: MPI_Abort with 65
	run --separate-stderr mpi_train 2 bad.gz --optim sgd --lr 1e6 --clip-norm 0
	assert_equal "$status" 65
	[[ "$stderr" == *"rnn-train: training diverged"* ]]
	# neither the model nor its temporary file
	run -0 find . -name '*bad.gz*'
	assert_output ""

}

@test "mpi: SIGTERM to mpirun leaves a checkpoint that one process resumes to the one-process model" {
	"${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --epochs 1000000 \
		--val 0 --checkpoint ck.gz -o never.gz s.csv 2> err &
	local pid=$! k
	for k in $(seq 200); do [[ -e ck.gz ]] && break; sleep 0.05; done
	kill -TERM $pid
	wait $pid || true
	[[ -e ck.gz && ! -e never.gz ]]
	# rank 0 alone says so; mpirun, itself stopping, may drop a rank's
	# last line of stderr under load (seen once at load 6): at most once
	run grep -c '^rnn-train: interrupted; model after .* written to' err
	[[ "$output" == 0 || "$output" == 1 ]]
	local e
	e=$(ws_header ck.gz | sed -n 's/^epochs: //p')
	run -0 grep -c -x 'ranks: 2' <(ws_header ck.gz)
	rnn-train "${COMMON[@]}" --epochs $((e + 1)) --val 0 --init ck.gz -o resumed.gz s.csv
	rnn-train "${COMMON[@]}" --epochs $((e + 1)) --val 0 -o straight.gz s.csv
	cmp resumed.gz straight.gz
}

@test "mpi: two files of two columns and a direct 3-step horizon (2 inputs, 6 outputs a window) on 2 and 4 ranks" {
	awk -F, 'NR == 1 { print "sst,d"; next } NR <= 101 { print $1 "," ($1 * 2 - 40) }' s.csv > a.csv
	awk -F, 'NR == 1 { print "sst,d"; next } NR > 101 { print $1 "," ($1 * 0.5) }' s.csv > b.csv
	rnn-train "${COMMON[@]}" --horizon 1-3 --batch 40 -o one.gz a.csv b.csv
	run -0 grep -c -x -e 'inputs: 2' -e 'outputs: 6' <(ws_header one.gz)
	assert_output 2
	local np
	for np in 2 4; do
		"${MPIRUN[@]}" -np $np "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --horizon 1-3 --batch 40 -o many.gz a.csv b.csv
		same_but_ranks one.gz many.gz $np
	done
}

@test "mpi: --mode seq over two files (spans in a drawn order) and a seq classifier on 2 ranks" {
	awk -F, 'NR == 1 { print "sst,d"; next } NR <= 101 { print $1 "," ($1 * 2 - 40) }' s.csv > a.csv
	awk -F, 'NR == 1 { print "sst,d"; next } NR > 101 { print $1 "," ($1 * 0.5) }' s.csv > b.csv
	COMMON=(-q --ensemble 1 --hidden 6 --epochs 3 --seed 3 --mode seq --bptt 5 --batch 20)
	rnn-train "${COMMON[@]}" -o one.gz a.csv b.csv
	"${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" -o two.gz a.csv b.csv
	same_but_ranks one.gz two.gz 2
	head -n 301 "$TESTDATA/classify/train.csv" > c.csv
	COMMON=(-q --loss ce --target label --horizon 0 --hidden 8 --epochs 3 --batch 20 --bptt 6 --ensemble 1 --seed 2 --mode seq)
	rnn-train "${COMMON[@]}" -o cone.gz c.csv
	"${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" -o ctwo.gz c.csv
	same_but_ranks cone.gz ctwo.gz 2
}

@test "mpi: a classifier (cross-entropy, validation accuracy) on 2 ranks gives the one-process model" {
	head -n 301 "$TESTDATA/classify/train.csv" > c.csv
	local a=(-q --loss ce --target label --horizon 0 --window 5 --hidden 8 --epochs 3 --batch 40 --ensemble 1 --seed 2)
	rnn-train "${a[@]}" --log one.log -o one.gz c.csv
	"${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${a[@]}" --log two.log -o two.gz c.csv
	same_but_ranks one.gz two.gz 2
	# the accuracy column, as one process has it
	cut -d, -f1-4,6- one.log > l1
	cut -d, -f1-4,6- two.log > l2
	assert_file_equal l1 l2
	run -0 grep -c ',val_accuracy$' l1
}

# Rank 0 alone reads the data (fit.h, "MPI ranks"): mpirun gives standard
# input to rank 0 only, so a rank > 0 that read the series would find none.
@test "mpi: the series on standard input, which only rank 0 gets, trains the one-process model" {
	rnn-train "${COMMON[@]}" --batch 64 --patience 2 -o one.gz < s.csv
	"${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --batch 64 --patience 2 -o two.gz < s.csv
	same_but_ranks one.gz two.gz 2
}

@test "mpi: a rank > 0 opens no input: rank 1 starts where the series is not" {
	mkdir here there
	mv s.csv here/
	(cd here && rnn-train "${COMMON[@]}" --cell gru -o ../one.gz s.csv)
	"${MPIRUN[@]}" -np 1 --wdir "$PWD/here" "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --cell gru -o ../two.gz s.csv : \
		-np 1 --wdir "$PWD/there" "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" --cell gru -o ../two.gz s.csv
	same_but_ranks one.gz two.gz 2
	# with the source's name as rank 0 read it
	run -0 grep -c -x 'source: s.csv' <(ws_header two.gz)
	assert_dir_lists there
}

@test "mpi: --refit, a second fit() on every window, on 2 and 4 ranks gives the one-process model" {
	same_for_ranks refit --batch 40 --patience 1 --epochs 4 --refit
	run -0 grep -c '^refit: ' <(ws_header refit.2.gz)
	assert_output 1
}

@test "mpi: --init of a checkpoint with Adam's moments and an early-stopping state resumes on 2 ranks as on one" {
	# best epoch 4 of 6: two epochs since; --patience 3 stops after epoch 7
	rnn-train "${COMMON[@]}" --epochs 6 --lr 0.03 --batch 40 --patience 20 --checkpoint ck.gz -o first.gz s.csv
	run -0 grep -c -x -e 'fit-best-epoch: 4' -e 'fit-since-best: 2' -e 'optimizer-step: 24' <(ws_header ck.gz)
	assert_output 3
	rnn-train "${COMMON[@]}" --epochs 12 --patience 3 --init ck.gz -o one.gz s.csv
	run -0 grep -c -x -e 'epochs: 7' -e 'best-epoch: 4' <(ws_header one.gz)
	assert_output 2
	# a rank that missed the state would not stop with rank 0: bounded
	timeout 60 "${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" \
		--epochs 12 --patience 3 --init ck.gz -o two.gz s.csv
	same_but_ranks one.gz two.gz 2
}

@test "mpi: an error in the data, found by rank 0 alone, ends the job with its status and message" {
	printf 'y\n1\n2\nx\n' > bad.csv
	run --separate-stderr "${MPIRUN[@]}" -np 2 "$RNNKIT_MPI_BIN/rnn-train" "${COMMON[@]}" -o bad.gz bad.csv
	assert_equal "$status" 65
	run -0 grep -c '^rnn-train: bad.csv:4' <(printf '%s\n' "$stderr")
	assert_output 1
	[[ ! -e bad.gz ]]
}
