#!/bin/sh
# bench-text.sh - character-level text against its baselines (make bench;
# issue 10): on testdata/text/kjv-gospels-acts.txt.gz with the last tenth
# held out, the same LSTM (two layers of 128 with dropout 0.3 between
# them; rnn-train --text's defaults otherwise: 32 streams of 64
# characters, Adam lr 0.002, clip-norm 5, seed 1) trained for the same
# time on the same 2 threads by rnn-train --text and by PyTorch
# (scripts/bench_torch_charlstm.py), beside the best interpolated
# Kneser-Ney character Markov model of order 1-5 (scripts/markov_bpc.py).
# Prints held-out bits per character and training characters/s, and
# writes the table as markdown to build/bench-text.md.
#   TEXT_SECONDS  training time of each net (default 240)
#   TEXT_THREADS  threads of each (default 2)
#   TEXT_NET      the net's options, given to both (default
#                 "--hidden 128 --layers 2 --dropout 0.3": on this text it
#                 ends 0.09 bits per character lower than one layer)
set -eu
cd "$(dirname "$0")/.."
py=/usr/bin/python3
secs=${TEXT_SECONDS:-240}
thr=${TEXT_THREADS:-2}
net=${TEXT_NET:---hidden 128 --layers 2 --dropout 0.3}
text=testdata/text/kjv-gospels-acts.txt.gz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnnkit-bench-text.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p build

echo "== text: $text, the last tenth held out; $net, $secs s of training on $thr threads each"
$py scripts/markov_bpc.py "$text" > "$tmp/markov.csv" 2> "$tmp/markov.err"
markov=$(sed -n 's/^best,\([0-9]*\),\(.*\)$/\2 (order \1)/p' "$tmp/markov.err")
echo "markov: $markov"

bin/rnn-train --text $net --max-time "$secs" --epochs 1000000 --threads "$thr" \
	--log "$tmp/rk.csv" -o "$tmp/rk.gz" "$text" 2> "$tmp/rk.err"
rk_bpc=$(gzip -dc "$text" | tail -c 56608 | bin/rnn-predict -m "$tmp/rk.gz" --text --score | sed -n '2s/.*,//p')
rk_cps=$(sed -n 's/^trained on .*: \([0-9]*\) characters\/s$/\1/p' "$tmp/rk.err")
echo "rnnkit: $rk_bpc bits per character, $rk_cps characters/s"

if $py -c "import torch" 2>/dev/null; then
	$py scripts/bench_torch_charlstm.py $net --seconds "$secs" --threads "$thr" \
		"$text" > "$tmp/torch.json" 2> "$tmp/torch.err"
	t_bpc=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['bpc'])" "$tmp/torch.json")
	t_cps=$($py -c "import json,sys; print(round(json.load(open(sys.argv[1]))['train_chars_per_s']))" "$tmp/torch.json")
	tver=$($py -c "import torch; print(torch.__version__)")
	echo "pytorch $tver: $t_bpc bits per character, $t_cps characters/s"
else
	t_bpc=""; t_cps=""; tver="(not installed)"
	echo "pytorch: not installed (sudo apt-get install -y python3-torch)"
fi

awk -v m="$markov" -v rb="$rk_bpc" -v rc="$rk_cps" -v tb="$t_bpc" -v tc="$t_cps" \
    -v tv="$tver" -v s="$secs" -v th="$thr" 'BEGIN {
	split(m, mm, " ")
	print "| held-out text, " s " s on " th " threads | bits per char | train chars/s |"
	print "| --- | --- | --- |"
	printf "| rnnkit rnn-train --text | %s | %s |\n", rb, rc
	if (tb != "")
		printf "| PyTorch %s, same net | %s | %s |\n", tv, tb, tc
	printf "| best Markov, order 1-5 (KN) | %s | |\n", m
	print ""
	printf "rnnkit below the Markov baseline: %s (%.4f vs %s)\n",
	       rb < mm[1] ? "yes" : "no", rb, mm[1]
	if (tb != "") {
		printf "rnnkit within 5%% of PyTorch: %s (%.4f vs %.4f)\n",
		       rb <= tb * 1.05 ? "yes" : "no", rb, tb
		printf "rnnkit characters/s / PyTorch: %.2f (target >= 3)\n", rc / tc
	}
}' | tee build/bench-text.md
