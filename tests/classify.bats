#!/usr/bin/env bats
# Classifiers (rnn-train --loss ce): labels as the target, a softmax head
# trained by cross-entropy, rnn-predict printing labels, --proba, --score
# for labels, --horizon 0, and their errors.

load test_helper
load rnn_helper

bats_require_minimum_version 1.5.0

CLS="$TESTDATA/classify"

# a tiny classifier by hand (--import): elman, one unit, window 1,
# h = tanh(2 x), logits (0.5 - h, h) for the classes neg, pos
hand_model() {
	mkdir -p "$1"
	printf 'cell=elman\nact=tanh\ninput=1\nhidden=1\nlayers=1\noutput=2\nwindow=1\nhorizon=0\ncolumns=2\nloss=ce\ntargets=2\ncolumn-1=x\ncolumn-2=label\nclass-1=neg\nclass-2=pos\n' > "$1/config"
	echo 2 > "$1/weight_ih_l0.csv"
	echo 0 > "$1/weight_hh_l0.csv"
	echo 0 > "$1/bias_ih_l0.csv"
	echo 0 > "$1/bias_hh_l0.csv"
	printf -- '-1\n1\n' > "$1/fc.weight.csv"
	printf '0.5\n0\n' > "$1/fc.bias.csv"
}

@test "an LSTM tags the sum of the last 5 noise values: >= 97% on held-out rows (--horizon 0)" {
	[[ -z "${RNNKIT_SANITIZED:-}" ]] || skip "a statistical check: plain build only (slow under the sanitizers)"
	cd "$BATS_TEST_TMPDIR"
	# label = 1 when x_{t-4} + ... + x_t > 0 (scripts/gen_classify.sh)
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 16 --lr 0.01 --epochs 30 --ensemble 1 "$CLS/train.csv" > m.gz
	ws_header m.gz | grep -x 'loss: ce'
	ws_header m.gz | grep -x 'horizon: 0'
	ws_header m.gz | grep -x 'class-1: 0'
	ws_header m.gz | grep -x 'class-2: 1'
	run --separate-stderr rnn-predict -m m.gz --score "$CLS/test.csv"
	assert_success
	echo "$output" > score.csv
	assert_equal "${lines[0]}" "class,count,precision,recall,predicted_0,predicted_1"
	# the last row: every row scored, the accuracy as precision and recall
	assert_equal "$(csv_field score.csv 4 1),$(csv_field score.csv 4 2)" "all,396"
	acc=$(csv_field score.csv 4 3)
	echo "accuracy $acc"
	assert_lt 0.97 "$acc" accuracy
	# the score is the predictions' own: count them against the labels
	rnn-predict -m m.gz --align "$CLS/test.csv" > aligned.csv
	right=$(awk -F, 'NR > 1 && $3 != "" && $2 == $3 { n++ } END { print n }' aligned.csv)
	assert_equal "$(awk -v r="$right" 'BEGIN { printf "%.6g", r / 396 }')" "$(awk -v a="$acc" 'BEGIN { printf "%.6g", a }')"
}

@test "labels that are words are found by auto, kept sorted, and printed" {
	cd "$BATS_TEST_TMPDIR"
	awk -F, 'NR == 1 { print; next } { print $1 "," ($2 ? "up" : "down") }' "$CLS/train.csv" > train.csv
	awk -F, 'NR == 1 { print; next } { print $1 "," ($2 ? "up" : "down") }' "$CLS/test.csv" > test.csv
	run --separate-stderr rnn-train --target label --horizon 0 --window 5 --hidden 16 --lr 0.01 --epochs 30 --ensemble 1 -o m.gz train.csv
	assert_success
	[[ "${stderr_lines[0]}" == "loss: ce (column 'label' holds labels, not numbers: 2 classes, 'down', 'up')" ]] || fail "${stderr_lines[0]}"
	# no warning that the label column is not an input: it never is
	[[ "$stderr" != *"not numeric"* ]] || fail "$stderr"
	ws_header m.gz | grep -x 'inputs: 1'
	ws_header m.gz | grep -x 'class-1: down'
	ws_header m.gz | grep -x 'class-2: up'
	rnn-predict -m m.gz test.csv > got.csv
	assert_equal "$(head -n 1 got.csv)" "label"
	# the window's own last row (horizon 0): predictions from row 5 on
	assert_equal "$(wc -l < got.csv)" 397
	bad=$(paste -d, <(tail -n +6 test.csv) <(tail -n +2 got.csv) | awk -F, '$2 != $3' | wc -l)
	echo "wrong: $bad of 396"
	assert_lt "$bad" 12 "wrong labels"
}

@test "the classes are those of every file, sorted, in any order of the files" {
	cd "$BATS_TEST_TMPDIR"
	printf 'x,label\n1,up\n-1,down\n1,up\n-1,down\n1,up\n' > a.csv
	# the second file's first cell is a number: the first file decides
	printf 'x,label\n1,10\n-1,flat\n1,2\n-1,up\n1,up\n' > b.csv
	rnn-train -q --target label --window 2 --hidden 2 --epochs 1 --val 0 --ensemble 1 a.csv b.csv > ab.gz
	rnn-train -q --loss ce --target label --window 2 --hidden 2 --epochs 1 --val 0 --ensemble 1 b.csv a.csv > ba.gz
	# (auto would read b.csv's first cell, a number: a regression)
	run --separate-stderr rnn-train -q --target label --window 2 b.csv a.csv
	assert_failure 65
	[[ "$stderr" == "rnn-train: b.csv:3:2: not a number (found 'flat')"* ]] || fail "$stderr"
	for m in ab ba; do
		assert_equal "$(ws_header $m.gz | grep '^class-')" "$(printf 'class-1: 10\nclass-2: 2\nclass-3: down\nclass-4: flat\nclass-5: up')"
	done
	# numbers only: by value
	printf 'x,label\n1,10\n-1,2\n1,-1\n-1,2\n1,10\n' > n.csv
	rnn-train -q --loss ce --target label --window 2 --hidden 2 --epochs 1 --val 0 --ensemble 1 n.csv > n.gz
	assert_equal "$(ws_header n.gz | grep '^class-')" "$(printf 'class-1: -1\nclass-2: 2\nclass-3: 10')"
}

@test "--proba: the softmax of a hand-made net, by hand" {
	cd "$BATS_TEST_TMPDIR"
	hand_model net
	printf 'x,label\n0.5,pos\n-1,neg\n0,neg\n' > d.csv
	# p(pos) = 1 / (1 + exp(0.5 - 2 tanh(2 x)))
	printf 'neg,pos\n0.264406821465825,0.7355931785341749\n0.9189417839618635,0.08105821603813643\n0.6224593312018546,0.37754066879814546\n' > want.csv
	rnn-predict --import net --proba d.csv > got.csv
	assert_equal "$(head -n 1 got.csv)" "neg,pos"
	assert_csv_close want.csv got.csv 1e-6
	run --separate-stderr rnn-predict --import net d.csv
	assert_success
	assert_equal "$output" "$(printf 'label\npos\nneg\nneg')"
	run --separate-stderr rnn-predict --import net --score d.csv
	assert_success
	assert_equal "$output" "$(printf 'class,count,precision,recall,predicted_neg,predicted_pos\nneg,2,1,1,2,0\npos,1,1,1,0,1\nall,3,1,1,2,1')"
	# a wrong label: precision, recall and the confusion counts move
	printf 'x,label\n0.5,neg\n-1,neg\n0,neg\n' > d2.csv
	run --separate-stderr rnn-predict --import net --score d2.csv
	assert_equal "$output" "$(printf 'class,count,precision,recall,predicted_neg,predicted_pos\nneg,3,1,0.666667,2,1\npos,0,0,,0,0\nall,3,0.666667,0.666667,2,1')"
	# --align: predicted_ columns per class
	rnn-predict --import net --align --proba d.csv > al.csv
	assert_equal "$(head -n 1 al.csv)" "x,label,predicted_neg,predicted_pos"
	# an export keeps the classes; imported again it predicts the same
	rnn-predict --import net --export ex
	grep -x 'loss=ce' ex/config
	grep -x 'class-2=pos' ex/config
	rnn-predict --import ex --proba d.csv > again.csv
	assert_file_equal got.csv again.csv
}

@test "an ensemble's probabilities are the mean of its members'" {
	cd "$BATS_TEST_TMPDIR"
	head -n 301 "$CLS/train.csv" > small.csv
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 2 --ensemble 2 --seed 7 small.csv > ens.gz
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 2 --ensemble 1 --seed 7 small.csv > a.gz
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 2 --ensemble 1 --seed 8 small.csv > b.gz
	ws_header ens.gz | grep -x 'ensemble: 2'
	rnn-predict -m ens.gz --proba --precision 9 small.csv > e.csv
	rnn-predict -m a.gz --proba --precision 9 small.csv > pa.csv
	rnn-predict -m b.gz --proba --precision 9 small.csv > pb.csv
	paste -d, pa.csv pb.csv | awk -F, 'NR == 1 { print $1 "," $2; next } { printf "%.9g,%.9g\n", ($1 + $3) / 2, ($2 + $4) / 2 }' > mean.csv
	assert_csv_close mean.csv e.csv 1e-6
}

@test "a classifier is the same bytes for any --threads" {
	cd "$BATS_TEST_TMPDIR"
	# 64 windows a batch: 4 shards for the threads to share
	for t in 1 2 3; do
		rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 8 --epochs 2 --batch 64 --ensemble 1 --threads $t "$CLS/train.csv" > m$t.gz
	done
	cmp m1.gz m2.gz
	cmp m1.gz m3.gz
	# and an ensemble's members over threads
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 1 --ensemble 3 --threads 1 "$CLS/train.csv" > e1.gz
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 1 --ensemble 3 --threads 2 "$CLS/train.csv" > e2.gz
	cmp e1.gz e2.gz
}

@test "the log says the validation accuracy; --horizon 1 predicts the next row's label" {
	cd "$BATS_TEST_TMPDIR"
	rnn-train -q --loss ce --target label --window 6 --hidden 8 --epochs 2 --ensemble 1 --log log.csv "$CLS/train.csv" > m.gz
	assert_equal "$(head -n 1 log.csv)" "epoch,train_loss,val_loss,grad_norm,seconds,val_accuracy"
	awk -F, 'NR > 1 && !($6 >= 0 && $6 <= 1) { exit 1 }' log.csv
	ws_header m.gz | grep -x 'horizon: 1'
	# horizon 1: one prediction per window of 6 rows, the last one's for
	# the row after the data: 400 - 6 + 1 and the header
	rnn-predict -m m.gz "$CLS/test.csv" > p.csv
	assert_equal "$(wc -l < p.csv)" 396
}

@test "--state: chunks print what one run prints, for a classifier" {
	cd "$BATS_TEST_TMPDIR"
	hand_model net
	awk 'BEGIN { print "x,label"; for (i = 0; i < 20; i++) printf "%g,%s\n", (i % 7 - 3) / 3, (i % 7 >= 3 ? "pos" : "neg") }' > d.csv
	rnn-predict --import net --proba d.csv > whole.csv
	head -n 8 d.csv | rnn-predict --import net --proba --state s.gz > chunks.csv
	# a headerless chunk: its labels are data, not a header
	tail -n +9 d.csv | rnn-predict --import net --proba --state s.gz >> chunks.csv
	assert_file_equal whole.csv chunks.csv
	# a row with a word that is no label is still a header
	head -n 8 d.csv | rnn-predict --import net --proba --state s2.gz > c2.csv
	{ echo "x,pos"; tail -n +9 d.csv; } | rnn-predict --import net --proba --state s2.gz >> c2.csv
	assert_file_equal whole.csv c2.csv
	# --header makes it a header all the same, and the state stays
	cp s.gz s0.gz
	tail -n +9 d.csv > rest.csv
	fails_with 65 "rnn-predict: rest.csv:1: no column 'x', which the model takes as input (2 columns, first '-1')" \
		rnn-predict --header --import net --proba --state s.gz rest.csv
	cmp s.gz s0.gz
}

@test "a label not seen in training is an error at its line, or skipped and counted" {
	cd "$BATS_TEST_TMPDIR"
	hand_model net
	printf 'x,label\n0.5,pos\n-1,maybe\n0,neg\n1,maybe\n' > d.csv
	fails_with 65 "rnn-predict: d.csv:3:2: label 'maybe' was not seen in training (the model knows 2: 'neg', 'pos'; --unknown-label=skip leaves such rows out of the score)" rnn-predict --import net --score d.csv
	run --separate-stderr rnn-predict --import net --score --unknown-label=skip d.csv
	assert_success
	assert_equal "$stderr" "rnn-predict: d.csv: 2 rows with a label the model was not trained on left out of the score (--unknown-label=skip)"
	assert_equal "${lines[3]}" "all,2,1,1,1,1"
	# even with -q: never silently
	run --separate-stderr rnn-predict -q --import net --score --unknown-label=skip d.csv
	assert_equal "$stderr" "rnn-predict: d.csv: 2 rows with a label the model was not trained on left out of the score (--unknown-label=skip)"
	# predictions do not read the labels
	run --separate-stderr rnn-predict --import net d.csv
	assert_success
	assert_equal "${#lines[@]}" 5
	# nor can training go on from a classifier on a label it lacks
	printf 'x,label\n0.5,pos\n-1,neg\n0,neg\n' > ok.csv
	rnn-train -q --import net --epochs 1 --val 0 ok.csv > m.gz
	fails_with 65 "rnn-train: d.csv:3:2: label 'maybe' was not seen in training (the model knows 2: 'neg', 'pos')" rnn-train -q --init m.gz --epochs 2 d.csv
}

@test "a classifier stopped at a checkpoint and resumed is the model of one run" {
	cd "$BATS_TEST_TMPDIR"
	d="$CLS/train.csv"
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 3 --ensemble 1 "$d" > one.gz
	rnn-train -q --loss ce --target label --horizon 0 --window 5 --hidden 4 --epochs 1 --ensemble 1 --checkpoint ck.gz "$d" > /dev/null
	ws_header ck.gz | grep '^fit-best-accuracy: '
	rnn-train -q --init ck.gz --epochs 3 "$d" > resumed.gz
	cmp one.gz resumed.gz
}

@test "classifier usage errors: --proba, --interval, --forecast, --unknown-label" {
	cd "$BATS_TEST_TMPDIR"
	hand_model net
	printf 'x,label\n0.5,pos\n-1,neg\n' > d.csv
	rnn-train -q --window 4 --hidden 2 --epochs 1 --ensemble 1 "$TESTDATA/ramp.csv" > reg.gz
	usage_fails "rnn-predict: --proba: this model predicts numbers, not labels (rnn-train --loss ce trains a classifier)" rnn-predict -m reg.gz --proba "$TESTDATA/ramp.csv"
	usage_fails "rnn-predict: --interval: a classifier's labels have no interval (--proba gives its probabilities)" rnn-predict --import net --interval 80 d.csv
	usage_fails "rnn-predict: --forecast feeds predictions back as inputs, and a classifier predicts labels, which are not inputs" rnn-predict --import net --forecast 2 d.csv
	usage_fails "rnn-predict: --unknown-label goes with --score (only the score reads the labels)" rnn-predict --import net --unknown-label skip d.csv
	usage_fails "rnn-predict: unknown --unknown-label 'drop' (error or skip)" rnn-predict --import net --score --unknown-label drop d.csv
	usage_fails "rnn-predict: --proba goes with predictions, not --score or --export" rnn-predict --import net --proba --score d.csv
}

@test "rnn-train: --loss ce on one class, and options that go with numbers only" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x,label"; for (i = 0; i < 40; i++) print i % 3 ",on" }' > one.csv
	fails_with 65 "rnn-train: one.csv: --loss ce needs 2 classes or more, and column 'label' holds one label only ('on')" rnn-train -q --target label --window 4 one.csv
	d="$CLS/train.csv"
	usage_fails "rnn-train: --loss ce needs --target: the column of labels" rnn-train --loss ce "$d"
	usage_fails "rnn-train: unknown loss 'hinge' (auto, mse or ce)" rnn-train --loss hinge --target label "$d"
	usage_fails "rnn-train: --horizon 1-3: a classifier predicts one label (--horizon H, or 0 for the window's last row)" rnn-train -q --loss ce --target label --horizon 1-3 "$d"
	usage_fails "rnn-train: --transform=diff: labels are not transformed (a classifier takes --transform none or auto)" rnn-train -q --loss ce --target label --transform diff "$d"
	usage_fails "rnn-train: --transform=none --period 4: labels are not differenced (--period alone sets the season)" rnn-train -q --loss ce --target label --transform none --period 4 "$d"
	# --period alone is the season of --window auto, not a difference
	rnn-train -q --loss ce --target label --period 4 --epochs 1 --hidden 2 --ensemble 1 "$d" > p4.gz
	ws_header p4.gz | grep -x 'window: 8'
	run ws_header p4.gz
	[[ "$output" != *"period"* && "$output" != *"transform"* ]] || fail "a classifier with a transform"
	usage_fails "rnn-train: --linear=ar: a classifier has no linear path" rnn-train -q --loss ce --target label --linear ar "$d"
	usage_fails "rnn-train: --normalize=window: labels are not normalised" rnn-train -q --loss ce --target label --normalize window "$d"
	usage_fails "rnn-train: --horizon 0 (the window's own last row) is for a classifier's labels (--loss ce)" rnn-train -q --loss mse --target label --horizon 0 "$d"
	usage_fails "rnn-train: --columns names the label column 'label': labels are predicted, never an input" rnn-train -q --loss ce --columns x,label --target label "$d"
	usage_fails "rnn-train: --loss ce predicts one column of labels, not --target x,label" rnn-train -q --loss ce --target x,label "$d"
	# integers are numbers unless --loss ce: auto trains a regression
	rnn-train -q --target label --window 4 --hidden 2 --epochs 1 --ensemble 1 "$d" > reg.gz
	run ws_header reg.gz
	[[ "$output" != *"loss: ce"* ]] || fail "auto took integers for labels"
	# --loss mse on words: the cell is not a number
	awk -F, 'NR == 1 { print; next } { print $1 "," ($2 ? "up" : "down") }' "$d" > w.csv
	run --separate-stderr rnn-train -q --loss mse --target label w.csv
	assert_failure 65
	[[ "$stderr" == "rnn-train: w.csv:2:2: not a number (found 'up')"* ]] || fail "$stderr"
}

@test "a missing label: ffill and drop fill it, zero and interpolate are errors" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { print "x,label"; for (i = 0; i < 40; i++) print (i % 2 ? 1 : -1) "," (i == 9 ? "" : i % 2 ? "odd" : "even") }' > m.csv
	fails_with 65 "rnn-train: m.csv:11:2: missing label: --missing=zero cannot fill a label (use ffill or drop)" rnn-train -q --target label --missing zero m.csv
	fails_with 65 "rnn-train: m.csv:11:2: missing value (an empty cell; choose --missing=interpolate, ffill, zero or drop)" rnn-train -q --target label m.csv
	rnn-train -q --target label --missing ffill --window 2 --hidden 2 --epochs 1 --ensemble 1 m.csv > f.gz
	ws_header f.gz | grep -x 'outputs: 2'
}

@test "a classifier's model is checked: classes, loss, horizon 0" {
	cd "$BATS_TEST_TMPDIR"
	hand_model net
	printf 'x,label\n0.5,pos\n' > d.csv
	# a stream with a class named twice, or one missing
	printf 'x,label\n0.5,pos\n-1,neg\n0.2,pos\n' > d3.csv
	rnn-train -q --import net --epochs 1 --val 0 d3.csv > m.gz
	body() { gzip -dc m.gz | head -c -17; }
	body | sed 's/^class-2: pos$/class-2: neg/' > b1
	ws_seal b1 > dup.gz
	fails_with 65 "rnn-predict: dup.gz: class-2 repeats class 1" rnn-predict -m dup.gz d.csv
	body | sed '/^class-2: pos$/d' > b2
	ws_seal b2 > miss.gz
	fails_with 65 "rnn-predict: miss.gz: missing 'class-2' (a classifier names its 2 classes)" rnn-predict -m miss.gz d.csv
	body | sed '/^loss: ce$/d' > b3
	ws_seal b3 > mse.gz
	fails_with 65 "rnn-predict: mse.gz: horizon 0 (the window's own last row) goes with a classifier (loss ce)" rnn-predict -m mse.gz d.csv
	# at horizon 1, a target per output (as readers from before
	# classifiers want)
	body | sed '/^loss: ce$/d; s/^horizon: 0$/horizon: 1/' > b5
	ws_seal b5 > mse1.gz
	fails_with 65 "rnn-predict: mse1.gz: weight stream lacks 'target-2'" rnn-predict -m mse1.gz d.csv
	body | sed 's/^loss: ce$/loss: hinge/' > b4
	ws_seal b4 > hinge.gz
	fails_with 65 "rnn-predict: hinge.gz: unknown loss 'hinge' (mse or ce)" rnn-predict -m hinge.gz d.csv
	# the import's config alike
	sed -i '/^class-2=/d' net/config
	fails_with 65 "rnn-predict: net/config: missing 'class-2' (a classifier names its 2 classes)" rnn-predict --import net d.csv
	# horizon 0 is a classifier's only
	sed -i '/^loss=/d; /^class-/d; s/^targets=2$/targets=2,2/' net/config
	fails_with 65 "rnn-predict: net/config: horizon 0 (the window's own last row) goes with a classifier (loss ce)" rnn-predict --import net d.csv
}
