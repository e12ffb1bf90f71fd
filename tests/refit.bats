#!/usr/bin/env bats
# rnn-train --refit (issue 7): after the validation run finds the best
# epoch B, train afresh from the same initial weights on every window for
# B epochs; the intervals' residuals stay those of the validation run.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# wave SEED ROWS: a header x and a noisy sine in [-1, 1], where --scaling
# none keeps the net's inputs unsaturated
wave() {
	awk -v seed="$1" -v n="$2" 'BEGIN {
		srand(seed); print "x"
		for (i = 0; i < n; i++)
			printf "%.4f\n", sin(i * 0.3) * 0.8 + (rand() - 0.5) * 0.4
	}'
}

# nothing in these depends on the split: no scaling, no transform
FIXED=(--cell elman --hidden 4 --window 6 --scaling none --transform none
	--linear none --seed 7 --lr 0.02)

@test "--refit: the header says refit, with B the best epoch of the same run without --refit" {
	wave 5 300 > s.csv
	run --separate-stderr rnn-train --ensemble 1 "${FIXED[@]}" --epochs 200 --val 0.2 \
		--patience 8 -o v.gz s.csv
	assert_success
	[[ "$stderr" =~ keeping\ epoch\ ([0-9]+) ]] || fail "$stderr"
	best=${BASH_REMATCH[1]}
	[[ $best -lt 200 ]] || fail "no early stop: $best"
	run --separate-stderr rnn-train --ensemble 1 "${FIXED[@]}" --epochs 200 --val 0.2 \
		--patience 8 --refit -o r.gz s.csv
	assert_success
	[[ "$stderr" =~ keeping\ epoch\ $best ]] || fail "$stderr"
	# the refit's lines, then its summary last
	[[ $(grep -c "^refit: epoch [0-9]*/$best " <<<"$stderr") -eq $best ]] ||
		fail "$stderr"
	run tail -n 1 <<<"$stderr"
	assert_output "refit: $best epochs on all 294 windows; --interval residuals from the validation run"
	run ws_header r.gz
	assert_line "epochs: $best"
	assert_line "best-epoch: $best"
	assert_line "refit: $best epochs on 294 windows"
	refute_line --partial "fit-"
	# the validation run's model has no refit line
	run ws_header v.gz
	refute_line --partial "refit"
}

@test "--refit: the model equals a run with --val 0 --epochs B when nothing depends on the split, one series or several" {
	wave 5 300 > s.csv
	wave 9 150 > t.csv
	for files in "s.csv" "s.csv t.csv"; do
		# shellcheck disable=SC2086
		rnn-train --ensemble 1 -q "${FIXED[@]}" --epochs 200 --val 0.3 --patience 8 \
			--refit -o r.gz $files
		best=$(ws_header r.gz | sed -n 's/^best-epoch: //p')
		[[ $best -gt 1 && $best -lt 200 ]] || fail "best epoch $best"
		# shellcheck disable=SC2086
		rnn-train --ensemble 1 -q "${FIXED[@]}" --val 0 --epochs "$best" -o p.gz $files
		# the same weights, byte for byte: the tensors of p.gz begin
		# those of r.gz, which then holds the residuals
		n=$(ws_data p.gz | wc -c)
		cmp <(ws_data r.gz | head -c "$n") <(ws_data p.gz)
		rnn-predict -m r.gz s.csv > r.csv
		rnn-predict -m p.gz s.csv > p.csv
		cmp r.csv p.csv
		# and not those of one epoch more
		rnn-train --ensemble 1 -q "${FIXED[@]}" --val 0 --epochs $((best + 1)) -o p1.gz $files
		rnn-predict -m p1.gz s.csv > p1.csv
		cmp -s r.csv p1.csv && fail "--epochs $((best + 1)) gives the same"
		true
	done
}

@test "--refit after --lr-decay trains at --lr: the model equals a run with --val 0 --epochs B" {
	wave 5 300 > s.csv
	# the validation run halves the rate after each epoch not the best,
	# the patience epochs after B included; the refit has no validation
	# loss to follow and starts again from --lr
	rnn-train --ensemble 1 -q "${FIXED[@]}" --epochs 200 --val 0.3 --patience 8 \
		--lr-decay 0.5 --refit -o r.gz s.csv
	best=$(ws_header r.gz | sed -n 's/^best-epoch: //p')
	[[ $best -gt 1 && $best -lt 200 ]] || fail "best epoch $best"
	rnn-train --ensemble 1 -q "${FIXED[@]}" --val 0 --epochs "$best" -o p.gz s.csv
	n=$(ws_data p.gz | wc -c)
	cmp <(ws_data r.gz | head -c "$n") <(ws_data p.gz)
}

@test "--refit: usage errors without --val, with --init or --import" {
	wave 5 100 > s.csv
	# the default --val auto: none on a short series
	wave 5 20 > short.csv
	run rnn-train --refit short.csv
	assert_failure 64
	assert_line --regexp "^rnn-train: --refit needs validation windows: none \(1[0-9] windows; a validation part needs 20\)$"
	run rnn-train --refit --val 0 s.csv
	assert_failure 64
	assert_line --partial "--refit needs --val"
	rnn-train -q --hidden 2 --epochs 1 --val 0.2 -o m.gz s.csv
	run rnn-train --refit --val 0.2 --init m.gz s.csv
	assert_failure 64
	assert_line --partial "not with --init"
	mkdir dir
	run rnn-train --refit --val 0.2 --import dir s.csv
	assert_failure 64
	assert_line --partial "not with --import"
	run rnn-train --refit=yes --val 0.2 s.csv
	assert_failure 64
}

@test "--refit: --interval works, with the residuals of the validation run" {
	wave 5 300 > s.csv
	# --interval-scale none: one half-width per level for every row
	args=(--cell elman --hidden 4 --window 6 --epochs 40 --val 0.3 --seed 3 --interval-scale none)
	rnn-train --ensemble 1 -q "${args[@]}" -o v.gz s.csv
	rnn-train --ensemble 1 -q "${args[@]}" --refit -o r.gz s.csv
	run ws_header r.gz
	assert_line --regexp '^refit: [0-9]+ epochs on 294 windows$'
	# the residuals kept are the same, byte for byte
	cmp <(ws_header v.gz | grep '^interval-') <(ws_header r.gz | grep '^interval-')
	cmp <(ws_data v.gz | tail -c 4000) <(ws_data r.gz | tail -c 4000)
	for m in v r; do
		rnn-predict -m $m.gz --align --interval 80,95 s.csv |
			awk -F, 'NR > 1 && $2 != "" { printf "%.4f %.4f\n", $4 - $2, $6 - $2 }' |
			sort -u > $m.w
		rnn-predict -m $m.gz --forecast 5 --interval 80 s.csv |
			awk -F, 'NR > 1 { printf "%.4f\n", $3 - $1 }' > $m.f
	done
	# one half-width per level: those of the validation run's model
	[[ $(wc -l < r.w) -eq 1 ]] || fail "$(cat r.w)"
	cmp v.w r.w
	cmp v.f r.f
	# the predictions themselves differ: the refit saw more data
	run -1 cmp -s <(rnn-predict -m v.gz s.csv) <(rnn-predict -m r.gz s.csv)
}

@test "--refit: -q is silent, and --log holds the validation run only" {
	wave 5 300 > s.csv
	run --separate-stderr rnn-train -q "${FIXED[@]}" --epochs 30 --val 0.2 \
		--refit --log log.csv -o r.gz s.csv
	assert_success
	assert_equal "$stderr" ""
	assert_output ""
	best=$(ws_header r.gz | sed -n 's/^best-epoch: //p')
	run cat log.csv
	assert_line --index 0 "epoch,train_loss,val_loss,grad_norm,seconds"
	# a row per epoch of the validation run, each with its val loss
	assert_equal "${#lines[@]}" 31
	assert_line --index 30 --regexp '^30,[0-9.e-]+,[0-9.e-]+,[0-9.e-]+,[0-9.]+$'
	[[ $best -ge 1 ]]
}

@test "--refit: --checkpoint keeps the validation run's; the refit writes none" {
	wave 5 300 > s.csv
	rnn-train -q "${FIXED[@]}" --epochs 30 --val 0.2 --checkpoint ck.gz \
		-o v.gz s.csv
	rnn-train -q "${FIXED[@]}" --epochs 30 --val 0.2 --refit \
		--checkpoint ck2.gz -o r.gz s.csv
	cmp ck.gz ck2.gz
}

# with_sigint CMD...: exec CMD with SIGINT at its default action
with_sigint() {
	exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' "$@"
}

@test "--refit: SIGINT in the refit writes the validation run's model, exit 130" {
	# a refit of a second or so, in either build
	if [[ -n "${RNNKIT_SANITIZED:-}" ]]; then
		args=(--cell elman --hidden 16 --window 12 --epochs 60 --lr 0.001 --val 0.2 --patience 0)
	else
		args=(--cell lstm --hidden 96 --window 12 --epochs 60 --lr 0.001 --val 0.2 --patience 0)
	fi
	rnn-train --ensemble 1 -q "${args[@]}" -o v.gz "$TESTDATA/series/elnino.csv"
	with_sigint rnn-train --ensemble 1 "${args[@]}" --refit -o r.gz \
		"$TESTDATA/series/elnino.csv" 2> err &
	pid=$!
	for _ in $(seq 3000); do
		grep -q '^refit: epoch 2/' err && break
		sleep 0.02
	done
	kill -INT $pid
	rc=0
	wait $pid || rc=$?
	assert_equal "$rc" 130
	run tail -n 1 err
	assert_output --regexp "^rnn-train: interrupted in the refit; the validation run's model \(epoch [0-9]+ of ${args[7]}\) written to 'r.gz'$"
	# that model, byte for byte
	cmp v.gz r.gz
	run ls -A
	refute_output --partial ".r.gz."
}
