#!/usr/bin/env bats
# One model for any --threads: minibatches are cut into shards of at most
# 16 windows that do not depend on the threads, and the shard gradients and losses
# are summed in shard order (rnn.h, "Shards and threads"), so a net
# trained on 1, 2, 3 or 8 threads is the same stream, byte for byte.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	# 200 rows of elnino (100 under the sanitizers): enough windows for
	# several minibatches of several shards
	local rows=200
	EPOCHS=3
	if [[ -n "${RNNKIT_SANITIZED:-}" ]]; then EPOCHS=1 rows=100; fi
	head -n $((rows + 1)) "$TESTDATA/series/elnino.csv" > s.csv
}

# same_for_threads NAME OPTIONS...: trains at --threads 1, 2, 3 and 8,
# and compares the models with cmp
same_for_threads() {
	local name="$1" t
	shift
	for t in 1 2 3 8; do
		rnn-train -q --ensemble 1 --hidden 6 --window 6 --epochs "$EPOCHS" --seed 3 \
			--threads $t "$@" -o "$name.$t.gz" s.csv
	done
	for t in 2 3 8; do
		cmp "$name.1.gz" "$name.$t.gz"
	done
}

@test "every cell: the same model at --threads 1, 2, 3 and 8" {
	# batch 40: 3 shards, of 14, 14 and 12 windows; the last minibatch
	# of an epoch (34 windows) 3 of 12, 12 and 10
	for cell in elman lstm gru gru-torch; do
		same_for_threads $cell --cell $cell --batch 40 --val 0
	done
}

@test "with validation and early stopping, and a batch of 1" {
	same_for_threads val --cell lstm --batch 50 --val 0.25 --patience 1
	same_for_threads one --cell elman --batch 1 --val 0.2
}

@test "stacked layers with dropout, a direct 1-K model and a refit" {
	same_for_threads drop --cell gru --layers 2 --dropout 0.3 --batch 48 --val 0.2
	same_for_threads direct --cell lstm --horizon 1-3 --batch 32 --val 0.2
	same_for_threads refit --cell elman --refit --batch 33 --val 0.3
}

@test "a resume on another number of threads gives the one-run model" {
	rnn-train -q --ensemble 1 --cell lstm --hidden 6 --window 6 --epochs 2 --seed 3 \
		--threads 3 --batch 40 --val 0.2 -o whole.gz s.csv
	rnn-train -q --ensemble 1 --cell lstm --hidden 6 --window 6 --epochs 1 --seed 3 \
		--threads 1 --batch 40 --val 0.2 --checkpoint ck.gz -o part.gz s.csv
	rnn-train -q --init ck.gz --epochs 2 --threads 2 -o resumed.gz s.csv
	cmp whole.gz resumed.gz
}

@test "a net big enough that the threads also share the sum of the shards" {
	# lstm, hidden 96: 38k parameters, 7 shard gradients of them
	for t in 1 2 3; do
		rnn-train -q --ensemble 1 --cell lstm --hidden 96 --window 4 --epochs 1 --seed 3 \
			--threads $t --batch 64 --val 0 -o big.$t.gz s.csv
	done
	cmp big.1.gz big.2.gz
	cmp big.1.gz big.3.gz
}
