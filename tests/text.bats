#!/usr/bin/env bats
# Character-level text (issue 10, "Character-level text"): rnn-train --text
# trains a sequence model with a softmax head on raw text, the vocabulary
# kept in the model; rnn-predict --generate samples from it (deterministic
# for a seed) and --text --score prints bits per character; invalid UTF-8
# is an error naming its byte offset unless --bytes. The numbers of the
# scoring and the sampler are checked against PyTorch and by hand in
# tests/unit/test_text.c; the long comparison with the Markov baseline and
# PyTorch is `make bench`. Training is fit()'s, the loop of every model
# (lib/nets/fit.h, the text a data source: textdata.h), so checkpoints,
# resumes and signals work as for series (tests/train-loop.bats too).

load test_helper

KJV="$TESTDATA/text/kjv-gospels-acts.txt.gz"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# the small model most tests use: 3 epochs on the first 20000 characters
setup_file() {
	local d="$BATS_FILE_TMPDIR"
	gzip -dc "$KJV" | head -c 20000 > "$d/s20.txt"
	rnn-train -q --text --hidden 32 --batch 8 --bptt 32 --lr 0.01 \
		--epochs 3 --seed 3 --log "$d/log.csv" -o "$d/m.gz" "$d/s20.txt"
	# --lr 0.3: too high, the held-out score climbs back after its low
	# (early stopping and --lr-decay)
	rnn-train -q --text --hidden 16 --batch 8 --bptt 16 --lr 0.3 \
		--epochs 6 --seed 2 --log "$d/hi.csv" -o "$d/hi.gz" "$d/s20.txt"
}

@test "--text: a text model of mode seq with its vocabulary" {
	local V
	# distinct characters: every line's, plus the newline
	V=$(( $(fold -w1 "$BATS_FILE_TMPDIR/s20.txt" | sort -u | grep -c .) + 1 ))
	run ws_header "$BATS_FILE_TMPDIR/m.gz"
	assert_line "text: utf-8"
	assert_line "vocabulary: $V"
	assert_line "inputs: $V"
	assert_line "outputs: $V"
	assert_line "loss: ce"
	assert_line "mode: seq"
	assert_line "tensor: text.vocabulary f64 ${V}x1"
	assert_line "epochs: 3"
	refute_line --partial "window:"
	refute_line --partial "target-"
}

@test "--text: the log has bits per character each epoch, falling" {
	run cat "$BATS_FILE_TMPDIR/log.csv"
	assert_line --index 0 "epoch,train_bpc,val_bpc,grad_norm,chars_per_s,seconds"
	assert_equal "${#lines[@]}" 4
	# held-out bits per character fall epoch after epoch, below the
	# 5.9 bits of a uniform guess among the 60 characters
	run awk -F, 'NR > 2 && !($3 < prev) { bad = 1 } NR > 1 { prev = $3 }
		END { exit bad || !(prev < 4) }' "$BATS_FILE_TMPDIR/log.csv"
	assert_success
}

@test "--text: the same model for --threads 1 and 2" {
	rnn-train -q --text --hidden 32 --batch 8 --bptt 32 --lr 0.01 \
		--epochs 3 --seed 3 --threads 2 -o t2.gz "$BATS_FILE_TMPDIR/s20.txt"
	cmp "$BATS_FILE_TMPDIR/m.gz" t2.gz
}

@test "--generate: N characters, the same for a seed, others for another" {
	local m="$BATS_FILE_TMPDIR/m.gz"
	rnn-predict -m "$m" --generate 300 --seed 5 > a
	rnn-predict -m "$m" --generate 300 --seed 5 > b
	rnn-predict -m "$m" --generate 300 --seed 6 > c
	cmp a b
	! cmp -s a c
	assert_equal "$(wc -c < a)" 300
	# --prime and temperature: deterministic too
	rnn-predict -m "$m" --generate 100 --prime "And Jesus " \
		--temperature 0.7 --top-k 5 --seed 9 > d
	rnn-predict -m "$m" --generate 100 --prime "And Jesus " \
		--temperature 0.7 --top-k 5 --seed 9 > e
	cmp d e
}

@test "--generate: temperature 0 and --top-k 1 are both the likeliest" {
	local m="$BATS_FILE_TMPDIR/m.gz"
	rnn-predict -m "$m" --generate 200 --temperature 0 --seed 1 > a
	rnn-predict -m "$m" --generate 200 --temperature 0 --seed 2 > b
	rnn-predict -m "$m" --generate 200 --top-k 1 --seed 3 > c
	cmp a b
	cmp a c
}

@test "--text --score: the held-out part's bits per character, as trained" {
	local n val
	# rnn-train held out the last floor(20000 * 0.1) characters
	tail -c 2000 "$BATS_FILE_TMPDIR/s20.txt" > held.txt
	run --separate-stderr rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" \
		--text --score held.txt
	assert_success
	assert_line --index 0 "chars,bits_per_char"
	assert_equal "${lines[1]%%,*}" 1999
	val=$(gzip -dc "$BATS_FILE_TMPDIR/m.gz" | sed -n 's/^val-bpc: //p')
	# the model's val-bpc has 4 decimals
	run awk -v a="${lines[1]#*,}" -v b="$val" \
		'BEGIN { d = a - b; exit !(d < 0.00005 && d > -0.00005) }'
	assert_success
}

@test "--text: UTF-8 code points, or bytes with --bytes" {
	local i
	for i in $(seq 60); do printf 'h\303\251llo w\303\266rld \342\202\254\n'; done > u.txt
	rnn-train -q --text --hidden 8 --epochs 1 --val 0 -o u.gz u.txt
	run ws_header u.gz
	# h e-acute l o space w o-umlaut r d euro newline
	assert_line "vocabulary: 11"
	rnn-predict -m u.gz --generate 50 --seed 1 > g
	assert_equal "$(LC_ALL=C.UTF-8 wc -m < g)" 50
	rnn-train -q --text --bytes --hidden 8 --epochs 1 --val 0 -o b.gz u.txt
	run ws_header b.gz
	assert_line "text: bytes"
	# h l o space w r d newline, C3 A9 B6, E2 82 AC
	assert_line "vocabulary: 14"
	rnn-predict -m b.gz --generate 50 --seed 1 > g
	assert_equal "$(wc -c < g)" 50
}

@test "--text: newline, comma, quote and NUL round-trip in the vocabulary" {
	local i
	for i in $(seq 100); do printf 'a,b"c\000d\n'; done > q.txt
	rnn-train -q --text --hidden 8 --epochs 2 --val 0 -o q.gz q.txt
	run ws_header q.gz
	assert_line "vocabulary: 8"
	rnn-predict -m q.gz --generate 400 --seed 2 > g
	assert_equal "$(wc -c < g)" 400
	# every byte generated is one of the text's
	assert_equal "$(tr -d 'abcd,"\000\n' < g | wc -c)" 0
	# and each of them can come out: NUL and the quote included
	assert_equal "$(rnn-predict -m q.gz --generate 2000 --temperature 3 \
		--seed 3 | od -An -c | tr -s ' ' '\n' | grep -c '^\\0$' |
		awk '{ print ($1 > 0) }')" 1
}

@test "--max-time: stops after the chunk past it and writes the model" {
	run --separate-stderr rnn-train --text --hidden 16 --epochs 1000 \
		--max-time 0.3 --log l.csv -o t.gz "$BATS_FILE_TMPDIR/s20.txt"
	assert_success
	[[ "$stderr" == *"--max-time 0.3: stopped in epoch "* ]]
	[[ "$stderr" == *"held-out: 1999 characters, "* ]]
	# the last row is the epoch cut short
	run awk -F, 'END { exit !(NR >= 2 && $1 == NR - 1) }' l.csv
	assert_success
	run rnn-predict -m t.gz --generate 10
	assert_success
}

@test "--init continues a text model: epochs count on" {
	rnn-train -q --text --epochs +1 --init \
		"$BATS_FILE_TMPDIR/m.gz" -o c.gz "$BATS_FILE_TMPDIR/s20.txt"
	run ws_header c.gz
	assert_line "epochs: 4"
	assert_line "hidden: 32"
	assert_line "seed: 3"
}

@test "--text --checkpoint: stopped after epoch 2 and resumed = one run, Adam's moments from the checkpoint" {
	local s="$BATS_FILE_TMPDIR/s20.txt"
	local args=(--text -q --hidden 16 --batch 8 --bptt 16 --lr 0.02 --seed 4)
	rnn-train "${args[@]}" --epochs 3 -o one.gz "$s"
	rnn-train "${args[@]}" --epochs 2 --checkpoint ck.gz -o two.gz "$s"
	run ws_header ck.gz
	assert_line "optimizer-state: adam"
	assert_line "epochs: 2"
	rnn-train -q --text --init ck.gz --epochs 3 -o res.gz "$s"
	cmp one.gz res.gz
	# the model of 2 epochs has no moments: resumed from it, Adam starts
	# afresh and the run is another
	rnn-train -q --text --init two.gz --epochs 3 -o fresh.gz "$s"
	run ! cmp -s one.gz fresh.gz
	run ws_header res.gz
	refute_line --partial "optimizer-state"
	refute_line --partial "fit-"
}

@test "invalid UTF-8 is an error naming its byte offset, unless --bytes" {
	printf 'abc\nd\351f\n' > bad.txt
	fails_with 65 "rnn-train: bad.txt: byte 5: invalid UTF-8 (sequence cut short)" \
		rnn-train -q --text bad.txt
	printf 'abc\x80' > bad2.txt
	fails_with 65 "rnn-train: bad2.txt: byte 3: invalid UTF-8 (continuation byte without a lead byte)" \
		rnn-train -q --text bad2.txt
	printf 'ab\342\202' | gzip > bad3.txt.gz
	fails_with 65 "rnn-train: bad3.txt.gz: byte 2: invalid UTF-8 (sequence cut short by the end of the text)" \
		rnn-train -q --text bad3.txt.gz
	fails_with 65 "rnn-predict: bad.txt: byte 5: invalid UTF-8 (sequence cut short)" \
		rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" --text --score bad.txt
	run rnn-train -q --text --bytes --hidden 4 --epochs 1 --val 0 -o ok.gz bad.txt
	assert_success
	test -s ok.gz
}

@test "text errors: characters the model does not know, the wrong model" {
	printf 'abc\n' > abc.txt
	printf 'Jesus wept. \342\202\254\n' > euro.txt
	fails_with 65 "rnn-predict: euro.txt: byte 12: U+20AC is not in the model's vocabulary" \
		rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" --text --score euro.txt
	run --separate-stderr rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" \
		--generate 5 --prime "7 loaves"
	assert_equal "$status" 64
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "rnn-predict: --prime: '7' (U+0037) is not in the model's vocabulary"
	run --separate-stderr rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" \
		--generate 5 --prime "$(printf 'a\303')"
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --prime: byte 1: invalid UTF-8 (sequence cut short by the end of the text)"
	fails_with 65 "rnn-predict: $BATS_FILE_TMPDIR/m.gz: a text model (rnn-train --text): use --generate or --text --score" \
		rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" abc.txt
	printf 'x\n1\n2\n3\n4\n5\n6\n7\n8\n' > s.csv
	rnn-train -q --hidden 2 --epochs 1 --window 2 --ensemble 1 -o s.gz s.csv
	fails_with 65 "rnn-predict: s.gz: not a text model (rnn-train --text): --generate and --text need one" \
		rnn-predict -m s.gz --generate 5
	fails_with 65 "rnn-train: s.gz: not a text model (rnn-train --text): --init continues one" \
		rnn-train --text --init s.gz abc.txt
	fails_with 65 "rnn-train: abc.txt: 4 characters, too few to train on after --val's held-out part" \
		rnn-train --text --val 0.9 abc.txt
	printf 'aaaa' > a.txt
	fails_with 65 "rnn-train: a.txt: one distinct character: nothing to predict" \
		rnn-train --text a.txt
	printf 'a' > one.txt
	fails_with 65 "rnn-predict: one.txt: 1 character: nothing to score (the first is context only)" \
		rnn-predict -m "$BATS_FILE_TMPDIR/m.gz" --text --score one.txt
}

@test "text usage errors" {
	local m="$BATS_FILE_TMPDIR/m.gz" try="Try 'rnn-predict --help' for more information."
	run --separate-stderr rnn-train --text --window 5 x.txt
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --window does not go with --text"
	run --separate-stderr rnn-train --bytes x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --bytes goes with --text"
	run --separate-stderr rnn-train --max-time 5 --ensemble 3 x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --ensemble 3: --max-time goes with one net only (--ensemble 1)"
	run --separate-stderr rnn-train --max-time 5 --refit x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --max-time does not go with --refit: the refit trains the validation run's epoch count"
	run --separate-stderr rnn-train --text --checkpoint - x.txt
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --log and --checkpoint need a file: standard output carries the model"
	run --separate-stderr rnn-train --text --ensemble 3 x.txt
	assert_equal "$status" 64
	run --separate-stderr rnn-train --text --mode window x.txt
	assert_equal "$status" 64
	run --separate-stderr rnn-predict -m "$m" --generate 5 --text
	assert_equal "$status" 64
	run --separate-stderr rnn-predict -m "$m" --prime abc
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --prime, --temperature, --top-k and --seed go with --generate"
	run --separate-stderr rnn-predict -m "$m" --text x.txt
	assert_equal "$status" 64
	run --separate-stderr rnn-predict -m "$m" --generate 5 --top-k 1000
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-predict: --top-k 1000: the model knows $(ws_header "$m" | sed -n 's/^vocabulary: //p') characters"
	run --separate-stderr rnn-predict -m "$m" --generate 5 --temperature -1
	assert_equal "$status" 64
	run --separate-stderr rnn-predict -m "$m" --generate 5 --forecast 3
	assert_equal "$status" 64
	assert_equal "${stderr_lines[1]}" "$try"
}

@test "scripts/markov_bpc.py: a periodic text costs almost nothing, a random one log2 4" {
	command -v python3 > /dev/null || skip "no python3"
	local i
	for i in $(seq 400); do printf 'abcd'; done > p.txt
	run --separate-stderr python3 "$REPO/scripts/markov_bpc.py" p.txt
	assert_success
	assert_line --index 0 "order,bits_per_char"
	assert_equal "${#lines[@]}" 6
	# order 1 knows the next letter from the last: a few hundredths of
	# a bit for the smoothing
	run awk -F, 'NR == 2 { exit !($2 < 0.1) }' <<< "$output"
	assert_success
	[[ "$stderr" == best,*,0.0* ]]
	# letters drawn uniformly: 2 bits each, a little more for the model
	awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++) printf "%c", 97 + int(4 * rand()) }' > r.txt
	run --separate-stderr python3 "$REPO/scripts/markov_bpc.py" --max-order 3 r.txt
	run awk -v s="$stderr" 'BEGIN { split(s, f, ","); exit !(f[3] >= 1.98 && f[3] < 2.1) }'
	assert_success
}

@test "--text: the model kept is the best held-out epoch's; --patience stops" {
	local best
	# --lr 0.3 (setup_file): too high, the held-out score climbs back
	cp "$BATS_FILE_TMPDIR/hi.csv" l.csv
	cp "$BATS_FILE_TMPDIR/hi.gz" b.gz
	best=$(awk -F, 'NR > 1 && (NR == 2 || $3 < b) { b = $3; e = $1 }
		END { print e "," b }' l.csv)
	# the low is not the last epoch, or this test shows nothing
	run awk -F, -v e="${best%,*}" 'END { exit !(e < $1) }' l.csv
	assert_success
	run ws_header b.gz
	assert_line "epochs: 6"
	assert_line "best-epoch: ${best%,*}"
	# the kept weights score the best epoch's bits per character
	tail -c 2000 "$BATS_FILE_TMPDIR/s20.txt" > held.txt
	run awk -v a="$(rnn-predict -m b.gz --text --score held.txt |
		sed -n '2s/.*,//p')" -v b="${best#*,}" \
		'BEGIN { d = a - b; exit !(d < 0.00005 && d > -0.00005) }'
	assert_success
	# --patience 1: stops after the first epoch that is not better
	# than the best before it, and keeps that best
	local first
	first=$(awk -F, 'NR > 2 && $3 >= b && !f { f = $1 "," e } NR > 1 &&
		(NR == 2 || $3 < b) { b = $3; e = $1 } END { print f }' l.csv)
	[ -n "$first" ]
	run --separate-stderr rnn-train --text --hidden 16 --batch 8 --bptt 16 \
		--lr 0.3 --epochs 6 --seed 2 --patience 1 -o p.gz \
		"$BATS_FILE_TMPDIR/s20.txt"
	assert_success
	[[ "$stderr" == *"early stop: no better validation loss in 1 epoch; keeping epoch ${first#*,}"* ]]
	run ws_header p.gz
	assert_line "epochs: ${first%,*}"
	assert_line "best-epoch: ${first#*,}"
	# --val 0: no held-out part, the last epoch's weights
	rnn-train -q --text --hidden 16 --epochs 1 --val 0 -o n.gz \
		"$BATS_FILE_TMPDIR/s20.txt"
	run ws_header n.gz
	refute_line --partial "best-epoch"
}

@test "--lr-decay: the rate falls after each epoch that is not the best" {
	# the run of setup_file, the rate halved after the epochs not
	# better: from the first such epoch on, the logs part
	cp "$BATS_FILE_TMPDIR/hi.csv" a.csv
	rnn-train -q --text --hidden 16 --batch 8 --bptt 16 --lr 0.3 \
		--epochs 6 --seed 2 --lr-decay 0.5 --log d.csv -o d.gz \
		"$BATS_FILE_TMPDIR/s20.txt"
	run ws_header d.gz
	assert_line "lr-decay: 0.5"
	local first
	first=$(awk -F, 'NR > 2 && $3 >= b && !f { f = $1 } NR > 1 &&
		(NR == 2 || $3 < b) { b = $3 } END { print f }' a.csv)
	[ -n "$first" ]
	# the same up to that epoch, then not
	cmp <(cut -d, -f1-4 a.csv | head -n $(( first + 1 ))) \
		<(cut -d, -f1-4 d.csv | head -n $(( first + 1 )))
	! cmp -s <(cut -d, -f1-3 a.csv) <(cut -d, -f1-3 d.csv)
	run --separate-stderr rnn-train --text --lr-decay 0.5 --val 0 x.txt
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --lr-decay needs --val (a held-out part to watch)"
	run --separate-stderr rnn-train --lr-decay 0.5 --val 0 x.csv
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "rnn-train: --lr-decay needs --val (a validation loss to watch)"
	run --separate-stderr rnn-train --text --lr-decay 1.5 x.txt
	assert_equal "$status" 64
}

@test "--text beats the best character Markov model where a line's state lasts" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a quality check, run in the plain build"
	command -v python3 > /dev/null || skip "no python3"
	local markov net
	# The first 40000 characters of the Gospels, each line's spaces
	# replaced by one of 20 symbols (by its line number, 7 NR mod 20).
	# The separator is set at the line's start and lasts to its end: an
	# LSTM carries it in its state, and a Markov model of order k <= 5
	# sees it only when one stands in its last k characters: after a
	# word of 5 letters or more it must guess among the 20, and its
	# contexts across words are split 20 ways, so it has fewer counts of
	# each. Measured: the best Markov model (order 5) 2.944 bits per
	# character held out; the net below 2.669, 2.745, 2.801 for seeds
	# 1-3 (on plain text the order-5 model wins: 2.061).
	gzip -dc "$KJV" | head -c 40000 | awk 'BEGIN { s = "0123456789#$%&*+=@^~" }
		{ gsub(/ /, substr(s, 1 + (NR * 7) % 20, 1)); print }' > sep.txt
	markov=$(python3 "$REPO/scripts/markov_bpc.py" sep.txt 2>&1 >/dev/null)
	[[ "$markov" == best,5,2.9439 ]]
	rnn-train -q --text --hidden 96 --batch 4 --bptt 32 --lr 0.005 \
		--epochs 6 --seed 1 -o sep.gz sep.txt
	net=$(ws_header sep.gz | sed -n 's/^val-bpc: //p')
	run awk -v n="$net" -v m="${markov##*,}" 'BEGIN { exit !(n < m - 0.1) }'
	assert_success
}
