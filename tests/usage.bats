#!/usr/bin/env bats
# Usage errors (64): options that do not go together, unknown names, and
# inputs that cannot both come from standard input. Each is refused before
# any output is written: exit 64, nothing on stdout, the one-line
# message and the --help hint on stderr. A few data errors about the
# command line's column names (65) close the file.

load test_helper

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	seq 1 60 | awk 'BEGIN { print "v" } { print $1 + sin($1) }' > s.csv
	rnn-train -q --epochs 3 --ensemble 1 s.csv > m.gz
	rnn-train -q --epochs 1 --ensemble 2 s.csv > e.gz
	for i in $(seq 50); do echo 'hello world, hello text.'; done > t.txt
	rnn-train -q --text t.txt --epochs 1 --hidden 8 > t.gz
}

setup() { cd "$BATS_FILE_TMPDIR"; }

# usage_fails MESSAGE CMD...: exit 64, stdout empty, stderr "CMD: MESSAGE"
# and the hint
usage_fails() {
	local want="$1"
	shift
	fails_with 64 "$1: $want
Try '$1 --help' for more information." "$@"
}

@test "grad-check: unknown names and options that do not go together" {
	usage_fails "unknown cell 'foo' (elman, lstm, gru or gru-torch)" grad-check --cell foo
	usage_fails "unknown activation 'relu2'" grad-check --activation relu2
	usage_fails "--activation is for --cell elman" grad-check --cell lstm --activation relu
	usage_fails "--bptt is for --mode window: a sequence chunk of --window steps is truncated at its start" \
		grad-check --mode seq --bptt 3
	usage_fails "--bptt 5 is longer than the window (3)" grad-check --window 3 --bptt 5
	usage_fails "-m MODEL needs one DATA.csv" grad-check -m m.gz
	usage_fails "DATA.csv goes with -m MODEL" grad-check s.csv
}

@test "hop-recall, bam-pair: an option of another mode, an unknown command" {
	usage_fails "--mode async: the --beta update is synchronous" hop-recall --beta 2 --mode async x.csv
	usage_fails "unknown command 'a.csv' (store or recall)" bam-pair a.csv b.csv
}

@test "rnn-predict: text options against series ones" {
	usage_fails "--text goes with --score (rnn-predict(1), \"Text\")" rnn-predict -m t.gz --text
	usage_fails "--score goes with --text, not --generate" rnn-predict -m t.gz --generate 5 --score
	usage_fails "--forecast, --stream, --state, --align, --period, --interval, --precision, --proba, --unknown-label and --trace are for series, not text" \
		rnn-predict -m t.gz --generate 5 --forecast 3
	usage_fails "--generate reads no file" rnn-predict -m t.gz --generate 5 t.txt
	usage_fails "the model and the text cannot both come from standard input" \
		rnn-predict -m - --text - --score < t.gz
	fails_with 65 "rnn-predict: m.gz: not a text model (rnn-train --text): --generate and --text need one" \
		rnn-predict -m m.gz --text t.txt --score
}

@test "rnn-predict: modes that do not go together, one model, one input on stdin" {
	usage_fails "too many arguments (one SERIES file at most)" rnn-predict -m m.gz s.csv s.csv
	usage_fails "-m and --import both give the model" rnn-predict -m m.gz --import dir s.csv
	usage_fails "--forecast and --stream do not go together" rnn-predict -m m.gz --forecast 3 --stream s.csv
	usage_fails "--align goes with the default predictions, not --forecast or --stream" \
		rnn-predict -m m.gz --forecast 3 --align s.csv
	usage_fails "--interval goes with predictions and forecasts, not --score or --export" \
		rnn-predict -m m.gz --interval 80 --score s.csv
	usage_fails "the model and the series cannot both come from standard input" rnn-predict -m - - < m.gz
	usage_fails "--export writes the tensors of one net, and 'e.gz' is an ensemble of 2 (rnn-train --ensemble 1 trains one)" \
		rnn-predict -m e.gz --export dir
	usage_fails "--interval must be between 1 and 99 (got 0)" rnn-predict -m m.gz --interval 0 s.csv
	usage_fails "--interval: level 80 given twice" rnn-predict -m m.gz --interval 80,80 s.csv
	[[ ! -e dir ]]
}

@test "rnn-train --text: CSV options, ensembles, window mode, a model of bytes or code points" {
	usage_fails "--columns, --time, --missing and --decimal-comma are for CSV series, not --text" \
		rnn-train --text t.txt --columns 1
	usage_fails "--ensemble 3: --text trains one net" rnn-train --text t.txt --ensemble 3
	usage_fails "--text trains a model of --mode seq" rnn-train --text t.txt --mode window
	usage_fails "--patience needs --val (a held-out part to watch)" rnn-train --text t.txt --patience 3 --val 0
	usage_fails "--init - and the text cannot both come from standard input" rnn-train --text - --init - < t.txt
	usage_fails "'t.gz' is a model of UTF-8 code points: drop --bytes" rnn-train --init t.gz --text t.txt --bytes
}

@test "rnn-train: unknown names" {
	usage_fails "unknown cell 'foo' (elman, lstm, gru or gru-torch)" rnn-train --cell foo s.csv
	usage_fails "unknown activation 'foo' (tanh, sigmoid or relu)" rnn-train --activation foo s.csv
	usage_fails "unknown optimizer 'foo' (adam or sgd)" rnn-train --optim foo s.csv
	usage_fails "unknown scaling 'foo' (zscore, minmax or none)" rnn-train --scaling foo s.csv
	usage_fails "--activation is for --cell elman" rnn-train --cell lstm --activation relu s.csv
	usage_fails "--val must be between 0 and 0.9 (got 0.99)" rnn-train --val 0.99 s.csv
	usage_fails "--columns names no column" rnn-train --columns '' s.csv
}

@test "rnn-train: validation, starting models and standard input" {
	usage_fails "--patience needs --val (a validation loss to watch)" rnn-train --patience 5 --val 0 s.csv
	usage_fails "--lr-decay needs --val (a validation loss to watch)" rnn-train --lr-decay 0.5 --val 0 s.csv
	usage_fails "--refit needs --val (the best epoch count comes from the validation loss)" \
		rnn-train --refit --val 0 s.csv
	usage_fails "--refit trains afresh from random weights: not with --init" rnn-train --refit --init m.gz s.csv
	usage_fails "--init and --import both give the starting model" rnn-train --init m.gz --import d s.csv
	usage_fails "--init - and the series cannot both come from standard input" rnn-train --init - - < m.gz
	usage_fails "--loss comes from the starting model (mse)" rnn-train --loss ce --init m.gz s.csv
}

@test "rnn-train: what --mode seq has not, direct horizons, --bptt past the window" {
	usage_fails "--transform=diff is for --mode window: a sequence model sees the scaled values" \
		rnn-train --mode seq --transform diff s.csv
	usage_fails "--normalize=window is for --mode window" rnn-train --mode seq --normalize window s.csv
	usage_fails "--linear=ar is for --mode window" rnn-train --mode seq --linear ar s.csv
	usage_fails "--horizon 1-3 is for --mode window: a sequence model predicts at every row" \
		rnn-train --mode seq --horizon 1-3 s.csv
	usage_fails "--normalize=window goes with --horizon H, not a direct --horizon 1-3" \
		rnn-train --normalize window --horizon 1-3 s.csv
	usage_fails "--bptt 50 is longer than the 5 steps the net takes a window" \
		rnn-train --bptt 50 --window 5 --transform none s.csv
	usage_fails "--bptt 50 is longer than the 4 steps the net takes a window (the window's first rows are the transform's history)" \
		rnn-train --bptt 50 --window 5 --transform diff s.csv
}

@test "rnn-train: a column the command line names and the file has not (65, at the header)" {
	fails_with 65 "rnn-train: s.csv:1: no column 'nope' for --target (1 column, first v)" rnn-train --target nope s.csv
	fails_with 65 "rnn-train: s.csv:1: no column 'nope' for --time (1 column, first v)" rnn-train --time nope s.csv
}

@test "a model or memory on standard input wants the data as a file; extra arguments" {
	usage_fails "the model comes on standard input, so give the series as a file (or the model with -m)" \
		rnn-predict --score < m.gz
	usage_fails "the model comes on standard input, so give the text as a file (or the model with -m)" \
		rnn-predict --text --score < t.gz
	usage_fails "the memory and the patterns cannot both come from standard input" hop-store -m - - < s.csv
	usage_fails "too many arguments (one input file at most)" bam-pair recall a b c
	fails_with 65 "rnn-predict: t.gz: a text model (rnn-train --text): use --generate or --text --score" \
		rnn-predict -m t.gz --export dir
	[[ ! -e dir ]]
}

@test "--time: a column named twice or none (64); a year and month, or Unix seconds, that are not (65)" {
	printf 'y,m,v\n2024,1,1\n2024,13,2\n' > ym.csv
	usage_fails "--time names column 'y' twice" rnn-train --time y,y ym.csv
	usage_fails "--time names no column" rnn-train --time '' ym.csv
	fails_with 65 "rnn-train: ym.csv:3:1: not a year and a month (found '2024' and '13')" \
		rnn-train --time y,m --window 1 ym.csv
	printf 't,v\n1700000000,1\nabc,2\n' > ux.csv
	fails_with 65 "rnn-train: ux.csv:3:1: not a time in Unix seconds (found 'abc')" rnn-train --time t --window 1 ux.csv
}

@test "data errors: gzip with trailing garbage, --val that leaves no training window (65)" {
	seq 6 > six.csv
	{ gzip -c six.csv; echo junk; } > g.csv.gz
	fails_with 65 "rnn-train: g.csv.gz: trailing garbage after gzip data" rnn-train --window 2 g.csv.gz
	fails_with 65 "rnn-train: six.csv: --val 0.9 leaves no training windows (4 windows)" \
		rnn-train --window 2 --val 0.9 six.csv
}
